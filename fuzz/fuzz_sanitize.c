/* fuzz_sanitize.c: libFuzzer target for the text that reaches the terminal: the sanitiser
 * (util/sanitize.c) and the width functions (util/width.c, util/utf8.c). It checks what
 * they promise, not only that they do not crash: sanitised text holds no ESC or other
 * control, no C1 control, no bidi override or isolate and no ill-formed UTF-8, measures
 * as wide as the raw text, and sanitises to itself; fitted, truncated and wrapped text
 * stays within the columns asked for and is cut only between characters.
 *
 * Input: byte 0 holds flags (bit 0: SANITIZE_NEWLINES; bits 1-3: WIDTH_PAD, WIDTH_RIGHT,
 * WIDTH_ASCII; bits 4-7: the hanging indent of width_wrap), byte 1 the columns (0..63),
 * the rest is the text. */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzutil.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

/* Kinds of the offsets of a text, in the array of fuzz_sanitize_bounds(). */
enum { FB_INSIDE = 0, FB_ZERO, FB_WIDE };

/* A new array of len + 1 kinds: at each offset of s[0..len] where a character starts,
 * FB_ZERO (it has no width) or FB_WIDE (it has one); FB_WIDE at len; elsewhere FB_INSIDE.
 * Checks utf8_decode, utf8_encode and utf8_valid on the way. */
static unsigned char *
fuzz_sanitize_bounds(const char *s, size_t len)
{
	unsigned char *b = xcalloc(len + 1, 1);
	const char *p = s, *end = s + len, *q;
	uint32_t cp;
	char enc[4];
	size_t n, bad = 0;

	while (p < end) {
		q = p;
		n = utf8_decode(&q, end, &cp);
		/* a well-formed character encodes back to the same bytes */
		if (n > 0)
			FUZZ_CHECK(utf8_encode(cp, enc) == n && memcmp(enc, p, n) == 0);
		else
			FUZZ_CHECK(q == p + 1 && cp == 0xFFFD);
		bad += n == 0;
		b[p - s] = width_text(p, (size_t)(q - p)) > 0 ? FB_WIDE : FB_ZERO;
		p = q;
	}
	b[len] = FB_WIDE;
	FUZZ_CHECK(utf8_valid(s, len) == (bad == 0));
	return b;
}

/* Checks sanitize_text and sanitize_needed on s[0..len). */
static void
fuzz_sanitize_text(const char *s, size_t len, int flags)
{
	char *out, *again, *c;
	size_t olen;

	out = sanitize_text(s, len, flags);
	olen = strlen(out);
	FUZZ_CHECK(fuzzutil_safe_text(out, olen, (flags & SANITIZE_NEWLINES) ? "\n" : ""));
	FUZZ_CHECK(olen <= SANITIZE_MAX_BYTES(utf8_strlen(s, len)));
	FUZZ_CHECK(width_text(out, olen) == width_text(s, len));
	again = sanitize_text(out, olen, flags);
	FUZZ_CHECK(strcmp(again, out) == 0);
	free(again);
	free(out);

	/* what sanitize_needed() lets through unchanged is safe as it is */
	c = xstrndup(s, len);
	if (!sanitize_needed(c))
		FUZZ_CHECK(fuzzutil_safe_text(c, strlen(c), ""));
	free(c);
}

/* Checks width_fit: the longest prefix of whole characters within cols. */
static void
fuzz_sanitize_fit(const char *s, size_t len, size_t cols, const unsigned char *bound)
{
	const char *p, *end = s + len;
	size_t keep, used;
	uint32_t cp;

	keep = width_fit(s, len, cols, &used);
	FUZZ_CHECK(keep <= len && bound[keep] != FB_INSIDE);
	FUZZ_CHECK(used <= cols && width_text(s, keep) == used);
	if (keep < len) {
		/* the next character has a width and does not fit */
		p = s + keep;
		utf8_decode(&p, end, &cp);
		FUZZ_CHECK(width_text(s + keep, (size_t)(p - (s + keep))) > 0);
		FUZZ_CHECK(used + width_text(s + keep, (size_t)(p - (s + keep))) > cols);
	}
}

/* Checks width_fit_end: the longest suffix within cols that starts at a character with a
 * width (or at the end). */
static void
fuzz_sanitize_fit_end(const char *s, size_t len, size_t cols, const unsigned char *bound)
{
	size_t start, used, i, prev = len + 1;

	start = width_fit_end(s, len, cols, &used);
	FUZZ_CHECK(start <= len && bound[start] == FB_WIDE);
	FUZZ_CHECK(used <= cols && width_text(s + start, len - start) == used);
	/* the start of the previous character with a width: that suffix would not fit */
	for (i = 0; i < start; i++) {
		if (bound[i] == FB_WIDE)
			prev = i;
	}
	if (prev <= len)
		FUZZ_CHECK(width_text(s + prev, len - prev) > cols);
}

/* Checks width_truncate: at most cols columns (exactly with WIDTH_PAD), s itself when it
 * fits, else a prefix of it. */
static void
fuzz_sanitize_truncate(const char *s, size_t cols, int flags)
{
	char *out = width_truncate(s, cols, flags);
	size_t w = width_str(out), sw = width_str(s), olen = strlen(out), slen = strlen(s);

	FUZZ_CHECK(w <= cols);
	if (flags & WIDTH_PAD)
		FUZZ_CHECK(w == cols);
	if (sw <= cols && !(flags & WIDTH_RIGHT))
		FUZZ_CHECK(olen >= slen && memcmp(out, s, slen) == 0);
	free(out);
}

/* Checks width_wrap: lines in order within cols, cut between characters, with only
 * spaces and at most one newline between them. */
static void
fuzz_sanitize_wrap(const char *s, size_t len, size_t cols, size_t indent,
    const unsigned char *bound)
{
	struct width_line *v;
	size_t n, i, j, at = 0, nl, max = cols == 0 ? 1 : cols;
	const char *p;
	uint32_t cp;

	n = width_wrap(s, len, cols, indent, &v);
	FUZZ_CHECK(n >= 1 && v[0].start == 0 && v[0].indent == 0);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(v[i].start >= at && v[i].start + v[i].len <= len);
		FUZZ_CHECK(bound[v[i].start] != FB_INSIDE &&
		    bound[v[i].start + v[i].len] != FB_INSIDE);
		FUZZ_CHECK(width_text(s + v[i].start, v[i].len) == v[i].cols);
		if (v[i].indent + v[i].cols > max) {
			/* only a character wider than the line may overflow it, alone (a wide
			 * one when cols < 2, a control shown as "<U+202E>" when cols < 8) */
			p = s + v[i].start;
			utf8_decode(&p, s + len, &cp);
			FUZZ_CHECK(p == s + v[i].start + v[i].len);
			FUZZ_CHECK(v[i].cols == (size_t)width_cp(cp));
			FUZZ_CHECK(v[i].cols > max - v[i].indent);
		}
		for (j = at, nl = 0; j < v[i].start; j++) {
			FUZZ_CHECK(s[j] == ' ' || s[j] == '\n');
			nl += s[j] == '\n';
		}
		FUZZ_CHECK(i == 0 || nl <= 1);
		at = v[i].start + v[i].len;
	}
	for (j = at; j < len; j++)
		FUZZ_CHECK(s[j] == ' ');
	free(v);
}

/* One input: see the top of the file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t len, cols;
	unsigned char *bound;
	char *c;
	int flags;

	if (size < 2)
		return 0;
	flags = data[0];
	cols = data[1] & 0x3F;
	s = (const char *)data + 2;
	len = size - 2;

	fuzz_sanitize_text(s, len, (flags & 1) ? SANITIZE_NEWLINES : 0);
	bound = fuzz_sanitize_bounds(s, len);
	fuzz_sanitize_fit(s, len, cols, bound);
	fuzz_sanitize_fit_end(s, len, cols, bound);
	fuzz_sanitize_wrap(s, len, cols, (size_t)(flags >> 4), bound);
	free(bound);

	c = xstrndup(s, len);
	fuzz_sanitize_truncate(c, cols, ((flags >> 1) & 7) == 0 ? 0 :
	    ((flags & 2) ? WIDTH_PAD : 0) | ((flags & 4) ? WIDTH_RIGHT : 0) |
	    ((flags & 8) ? WIDTH_ASCII : 0));
	free(c);
	return 0;
}
