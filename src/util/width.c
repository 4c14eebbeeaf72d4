/* width.c: display width of UTF-8 text in terminal columns (wcwidth(), as ncursesw uses),
 * and fitting, truncating and wrapping text to a number of columns.
 *
 * Every width is that of the text as sanitize_text() renders it, so that raw and
 * sanitised text measure the same and a wrapped line never overflows once sanitised. */

#include "config.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

/* A range of code points. */
struct width_range {
	uint32_t first, last;
};

/* Wide (2 columns) when the locale does not know: East Asian wide ranges and emoji. */
static const struct width_range width_wide[] = {
	{ 0x1100, 0x115F }, { 0x231A, 0x231B }, { 0x2329, 0x232A }, { 0x23E9, 0x23EC },
	{ 0x23F0, 0x23F0 }, { 0x23F3, 0x23F3 }, { 0x25FD, 0x25FE }, { 0x2614, 0x2615 },
	{ 0x2648, 0x2653 }, { 0x267F, 0x267F }, { 0x2693, 0x2693 }, { 0x26A1, 0x26A1 },
	{ 0x26AA, 0x26AB }, { 0x26BD, 0x26BE }, { 0x26C4, 0x26C5 }, { 0x26CE, 0x26CE },
	{ 0x26D4, 0x26D4 }, { 0x26EA, 0x26EA }, { 0x26F2, 0x26F5 }, { 0x26FA, 0x26FD },
	{ 0x2705, 0x2705 }, { 0x270A, 0x270B }, { 0x2728, 0x2728 }, { 0x274C, 0x274C },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 }, { 0x27B0, 0x27B0 },
	{ 0x27BF, 0x27BF }, { 0x2B1B, 0x2B1C }, { 0x2B50, 0x2B50 }, { 0x2B55, 0x2B55 },
	{ 0x2E80, 0x303E }, { 0x3041, 0x33FF }, { 0x3400, 0x4DBF }, { 0x4E00, 0x9FFF },
	{ 0xA000, 0xA4CF }, { 0xA960, 0xA97F }, { 0xAC00, 0xD7A3 }, { 0xF900, 0xFAFF },
	{ 0xFE10, 0xFE19 }, { 0xFE30, 0xFE6F }, { 0xFF00, 0xFF60 }, { 0xFFE0, 0xFFE6 },
	{ 0x16FE0, 0x16FE4 }, { 0x17000, 0x18CFF }, { 0x1B000, 0x1B2FF }, { 0x1F004, 0x1F004 },
	{ 0x1F0CF, 0x1F0CF }, { 0x1F18E, 0x1F18E }, { 0x1F191, 0x1F19A }, { 0x1F200, 0x1F251 },
	{ 0x1F300, 0x1F320 }, { 0x1F32D, 0x1F335 }, { 0x1F337, 0x1F37C }, { 0x1F37E, 0x1F393 },
	{ 0x1F3A0, 0x1F3CA }, { 0x1F3CF, 0x1F3D3 }, { 0x1F3E0, 0x1F3F0 }, { 0x1F3F4, 0x1F3F4 },
	{ 0x1F3F8, 0x1F43E }, { 0x1F440, 0x1F440 }, { 0x1F442, 0x1F4FC }, { 0x1F4FF, 0x1F53D },
	{ 0x1F54B, 0x1F54E }, { 0x1F550, 0x1F567 }, { 0x1F57A, 0x1F57A }, { 0x1F595, 0x1F596 },
	{ 0x1F5A4, 0x1F5A4 }, { 0x1F5FB, 0x1F64F }, { 0x1F680, 0x1F6C5 }, { 0x1F6CC, 0x1F6CC },
	{ 0x1F6D0, 0x1F6D2 }, { 0x1F6D5, 0x1F6D7 }, { 0x1F6EB, 0x1F6EC }, { 0x1F6F4, 0x1F6FC },
	{ 0x1F7E0, 0x1F7EB }, { 0x1F90C, 0x1F93A }, { 0x1F93C, 0x1F945 }, { 0x1F947, 0x1F9FF },
	{ 0x1FA70, 0x1FAFF }, { 0x20000, 0x2FFFD }, { 0x30000, 0x3FFFD }
};

/* Zero-width when the locale does not know: combining marks and invisible formatting. */
static const struct width_range width_zero[] = {
	{ 0x0300, 0x036F }, { 0x0483, 0x0489 }, { 0x0591, 0x05BD }, { 0x05BF, 0x05BF },
	{ 0x05C1, 0x05C2 }, { 0x05C4, 0x05C5 }, { 0x05C7, 0x05C7 }, { 0x0610, 0x061A },
	{ 0x064B, 0x065F }, { 0x0670, 0x0670 }, { 0x06D6, 0x06DC }, { 0x06DF, 0x06E4 },
	{ 0x0900, 0x0902 }, { 0x093A, 0x093A }, { 0x093C, 0x093C }, { 0x0941, 0x0948 },
	{ 0x094D, 0x094D }, { 0x0E31, 0x0E31 }, { 0x0E34, 0x0E3A }, { 0x0E47, 0x0E4E },
	{ 0x1AB0, 0x1AFF }, { 0x1DC0, 0x1DFF }, { 0x200B, 0x200F }, { 0x2060, 0x2064 },
	{ 0x20D0, 0x20FF }, { 0x302A, 0x302D }, { 0x3099, 0x309A }, { 0xFE00, 0xFE0F },
	{ 0xFE20, 0xFE2F }, { 0x1F3FB, 0x1F3FF }, { 0xE0000, 0xE0FFF }
};

/* True when cp lies in one of the n sorted ranges r. */
static int
width_in(const struct width_range *r, size_t n, uint32_t cp)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp < r[mid].first)
			hi = mid;
		else if (cp > r[mid].last)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* True for what sanitize_text() shows as "<U+XXXX>" (keep in step with sanitize.c; a unit
 * test checks that both agree). */
static int
width_is_hidden(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		return 1;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return 1;
	switch (cp) {
	case 0x061C:
	case 0x200E:
	case 0x200F:
	case 0x2028:
	case 0x2029:
	case 0xFEFF:
		return 1;
	}
	return 0;
}

/* Columns taken by one code point as drawn after sanitising. */
int
width_cp(uint32_t cp)
{
	int w;

	if (cp == '\t')
		return 1;
	if (cp < 0x20 || cp == 0x7F)
		return 2;
	if (cp < 0x7F)
		return 1;
	if (width_is_hidden(cp))
		return 8;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w > 2 ? 2 : w;
	if (width_in(width_zero, sizeof width_zero / sizeof width_zero[0], cp))
		return 0;
	if (width_in(width_wide, sizeof width_wide / sizeof width_wide[0], cp))
		return 2;
	return 1;
}

/* Decodes the character at *p (ill-formed bytes: U+FFFD, one byte) and returns its width. */
static int
width_next(const char **p, const char *end, uint32_t *cp)
{
	if (utf8_decode(p, end, cp) == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	return width_cp(*cp);
}

/* Columns taken by s[0..len). */
size_t
width_text(const char *s, size_t len)
{
	const char *p = s, *end = s + len;
	size_t w = 0;
	uint32_t cp;

	while (p < end)
		w += (size_t)width_next(&p, end, &cp);
	return w;
}

/* Columns taken by a NUL-terminated string; NULL gives 0. */
size_t
width_str(const char *s)
{
	return s == NULL ? 0 : width_text(s, strlen(s));
}

/* Bytes of the longest prefix of s[0..len) that fits in cols columns. */
size_t
width_fit(const char *s, size_t len, size_t cols, size_t *used)
{
	const char *p = s, *end = s + len, *q;
	size_t w = 0;
	uint32_t cp;
	int cw;

	while (p < end) {
		q = p;
		cw = width_next(&q, end, &cp);
		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
		p = q;
	}
	if (used != NULL)
		*used = w;
	return (size_t)(p - s);
}

/* Byte offset where the longest suffix of s[0..len) that fits in cols columns starts. */
size_t
width_fit_end(const char *s, size_t len, size_t cols, size_t *used)
{
	const char *p = s, *end = s + len, *q;
	size_t total = width_text(s, len), before = 0;
	uint32_t cp;
	int cw;

	/* A suffix starts where a character of non-zero width starts (or at the end), so a
	 * combining mark is never cut from its base. */
	while (p < end) {
		q = p;
		cw = width_next(&q, end, &cp);
		if (cw > 0 && total - before <= cols)
			break;
		before += (size_t)cw;
		p = q;
	}
	if (used != NULL)
		*used = total - before;
	return (size_t)(p - s);
}

/* True when LC_CTYPE's code set is UTF-8. */
bool
width_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs != NULL && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

/* A new string: s cut to cols columns with an ellipsis, optionally padded. */
char *
width_truncate(const char *s, size_t cols, int flags)
{
	const char *ell;
	size_t len, ellw, keep, used, pad, n;
	char *out, *o;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if ((flags & WIDTH_ASCII) || !width_locale_utf8()) {
		ell = "...";
		ellw = 3;
	} else {
		ell = "\xe2\x80\xa6"; /* U+2026 */
		ellw = 1;
	}
	keep = width_fit(s, len, cols, &used);
	if (keep < len && cols >= ellw) {
		keep = width_fit(s, len, cols - ellw, &used);
		used += ellw;
	} else
		ell = "";
	pad = (flags & WIDTH_PAD) && used < cols ? cols - used : 0;
	n = strlen(ell);
	out = xmalloc(keep + n + pad + 1);
	o = out;
	if (flags & WIDTH_RIGHT) {
		memset(o, ' ', pad);
		o += pad;
	}
	memcpy(o, s, keep);
	o += keep;
	memcpy(o, ell, n);
	o += n;
	if (!(flags & WIDTH_RIGHT)) {
		memset(o, ' ', pad);
		o += pad;
	}
	*o = '\0';
	return out;
}

/* True for punctuation that must not start a line (closing marks, CJK and ASCII). */
static int
width_no_break_before(uint32_t cp)
{
	static const uint32_t closing[] = {
		'!', ')', ',', '.', ':', ';', '?', ']', '}', 0x3001, 0x3002, 0x3009, 0x300B,
		0x300D, 0x300F, 0x3011, 0x3015, 0x30FC, 0xFF01, 0xFF09, 0xFF0C, 0xFF0E, 0xFF1A,
		0xFF1B, 0xFF1F, 0xFF3D, 0xFF5D
	};
	size_t i;

	for (i = 0; i < sizeof closing / sizeof closing[0]; i++) {
		if (closing[i] == cp)
			return 1;
	}
	return 0;
}

/* True for punctuation that must not end a line (opening marks, CJK and ASCII). */
static int
width_no_break_after(uint32_t cp)
{
	static const uint32_t opening[] = {
		'(', '[', '{', 0x3008, 0x300A, 0x300C, 0x300E, 0x3010, 0x3014, 0xFF08, 0xFF3B,
		0xFF5B
	};
	size_t i;

	for (i = 0; i < sizeof opening / sizeof opening[0]; i++) {
		if (opening[i] == cp)
			return 1;
	}
	return 0;
}

/* How a wrapped line ended. */
enum width_end { WIDTH_END_TEXT, WIDTH_END_NEWLINE, WIDTH_END_AUTO };

/* Lays out one line from s[*pos..len) in avail columns; fills *line (but its indent) and
 * advances *pos past it (for an automatic break, to the first byte after the line). */
static enum width_end
width_wrap_line(const char *s, size_t len, size_t *pos, size_t avail, struct width_line *line)
{
	const char *start = s + *pos, *p = start, *end = s + len, *q;
	size_t w = 0, brk_len = 0, brk_cols = 0;
	uint32_t cp, last_cp = 0, base_cp = 0;
	int cw, base_w = 0, content = 0, have_brk = 0;

	line->start = *pos;
	while (p < end) {
		q = p;
		cw = width_next(&q, end, &cp);
		if (cp == '\n') {
			line->len = (size_t)(p - start);
			line->cols = w;
			*pos = (size_t)(q - s);
			return WIDTH_END_NEWLINE;
		}
		if (cp == ' ' && content && last_cp != ' ') {
			have_brk = 1; /* before a run of spaces */
			brk_len = (size_t)(p - start);
			brk_cols = w;
		} else if (cw > 0 && p > start && last_cp != ' ' && (cw == 2 || base_w == 2) &&
		    !width_no_break_before(cp) && !width_no_break_after(base_cp)) {
			have_brk = 1; /* between two characters, one of them wide */
			brk_len = (size_t)(p - start);
			brk_cols = w;
		}
		if (w + (size_t)cw > avail) {
			if (have_brk) {
				line->len = brk_len;
				line->cols = brk_cols;
			} else if (p > start) {
				line->len = (size_t)(p - start); /* a word longer than the line */
				line->cols = w;
			} else {
				line->len = (size_t)(q - start); /* a wide character, cols < 2 */
				line->cols = (size_t)cw;
			}
			*pos = line->start + line->len;
			return WIDTH_END_AUTO;
		}
		w += (size_t)cw;
		last_cp = cp;
		if (cw > 0) {
			base_cp = cp;
			base_w = cw;
		}
		if (cp != ' ')
			content = 1;
		p = q;
	}
	line->len = (size_t)(p - start);
	line->cols = w;
	*pos = len;
	return WIDTH_END_TEXT;
}

/* Wraps s[0..len) into lines of at most cols columns; see width.h. */
size_t
width_wrap(const char *s, size_t len, size_t cols, size_t indent, struct width_line **lines)
{
	struct width_line *v = NULL, line;
	size_t n = 0, cap = 0, pos = 0, hang, ind = 0;
	enum width_end how;

	if (cols == 0)
		cols = 1;
	hang = cols < 2 ? 0 : (indent > cols - 2 ? cols - 2 : indent);
	for (;;) {
		how = width_wrap_line(s, len, &pos, cols - ind, &line);
		line.indent = ind;
		if (n == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n++] = line;
		if (how == WIDTH_END_TEXT)
			break;
		if (how == WIDTH_END_NEWLINE) {
			ind = 0;
			continue;
		}
		while (pos < len && s[pos] == ' ')
			pos++;
		if (pos < len && s[pos] == '\n') {
			pos++; /* the break and the newline coincide */
			ind = 0;
			continue;
		}
		if (pos == len)
			break;
		ind = hang;
	}
	*lines = v;
	return n;
}
