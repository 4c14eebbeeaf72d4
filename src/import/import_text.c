/* import_text.c: plain text from the abstracts of exports: character references, the
 * choice between HTML and Markdown, Markdown itself, one-line text, cutting to a limit.
 * HTML is import_html.c. */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"
#include "import/import_text.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Raw text longer than this is cut before it is converted: the result is cut to
 * PROGRAM_MAX_DESCRIPTION anyway, and the converters then stay fast on any input. */
#define IMPORT_TEXT_MAX_RAW (32 * 1024)
/* How far Markdown looks for the end of an emphasis, a code span or a link. */
#define IMPORT_TEXT_LOOKAHEAD 512
/* How deep emphasis may nest. */
#define IMPORT_TEXT_MAX_NEST 8

/* Named character references: the ones exports use (HTML's full list is 2,000). */
static const struct {
	const char *name;
	uint32_t cp;
} import_text_named[] = {
	{ "AElig", 0xc6 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 }, { "Agrave", 0xc0 },
	{ "Aring", 0xc5 }, { "Atilde", 0xc3 }, { "Auml", 0xc4 }, { "Ccedil", 0xc7 },
	{ "Eacute", 0xc9 }, { "Ecirc", 0xca }, { "Egrave", 0xc8 }, { "Euml", 0xcb },
	{ "Iacute", 0xcd }, { "Icirc", 0xce }, { "Igrave", 0xcc }, { "Iuml", 0xcf },
	{ "Ntilde", 0xd1 }, { "Oacute", 0xd3 }, { "Ocirc", 0xd4 }, { "Ograve", 0xd2 },
	{ "Oslash", 0xd8 }, { "Otilde", 0xd5 }, { "Ouml", 0xd6 }, { "Scaron", 0x160 },
	{ "Uacute", 0xda }, { "Ucirc", 0xdb }, { "Ugrave", 0xd9 }, { "Uuml", 0xdc },
	{ "Yacute", 0xdd }, { "aacute", 0xe1 }, { "acirc", 0xe2 }, { "acute", 0xb4 },
	{ "aelig", 0xe6 }, { "agrave", 0xe0 }, { "amp", '&' }, { "apos", '\'' },
	{ "aring", 0xe5 }, { "atilde", 0xe3 }, { "auml", 0xe4 }, { "bdquo", 0x201e },
	{ "brvbar", 0xa6 }, { "bull", 0x2022 }, { "ccedil", 0xe7 }, { "cedil", 0xb8 },
	{ "cent", 0xa2 }, { "copy", 0xa9 }, { "curren", 0xa4 }, { "dagger", 0x2020 },
	{ "deg", 0xb0 }, { "divide", 0xf7 }, { "eacute", 0xe9 }, { "ecirc", 0xea },
	{ "egrave", 0xe8 }, { "emsp", 0x2003 }, { "ensp", 0x2002 }, { "eth", 0xf0 },
	{ "euml", 0xeb }, { "euro", 0x20ac }, { "frac12", 0xbd }, { "frac14", 0xbc },
	{ "frac34", 0xbe }, { "gt", '>' }, { "hellip", 0x2026 }, { "iacute", 0xed },
	{ "icirc", 0xee }, { "iexcl", 0xa1 }, { "igrave", 0xec }, { "iquest", 0xbf },
	{ "iuml", 0xef }, { "laquo", 0xab }, { "larr", 0x2190 }, { "ldquo", 0x201c },
	{ "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", '<' }, { "macr", 0xaf },
	{ "mdash", 0x2014 }, { "micro", 0xb5 }, { "middot", 0xb7 }, { "minus", 0x2212 },
	{ "nbsp", 0xa0 }, { "ndash", 0x2013 }, { "not", 0xac }, { "ntilde", 0xf1 },
	{ "oacute", 0xf3 }, { "ocirc", 0xf4 }, { "oelig", 0x153 }, { "ograve", 0xf2 },
	{ "ordf", 0xaa }, { "ordm", 0xba }, { "oslash", 0xf8 }, { "otilde", 0xf5 },
	{ "ouml", 0xf6 }, { "para", 0xb6 }, { "plusmn", 0xb1 }, { "pound", 0xa3 },
	{ "quot", '"' }, { "raquo", 0xbb }, { "rarr", 0x2192 }, { "rdquo", 0x201d },
	{ "reg", 0xae }, { "rsaquo", 0x203a }, { "rsquo", 0x2019 }, { "sbquo", 0x201a },
	{ "scaron", 0x161 }, { "sect", 0xa7 }, { "shy", 0xad }, { "sup1", 0xb9 },
	{ "sup2", 0xb2 }, { "sup3", 0xb3 }, { "szlig", 0xdf }, { "thinsp", 0x2009 },
	{ "thorn", 0xfe }, { "times", 0xd7 }, { "trade", 0x2122 }, { "uacute", 0xfa },
	{ "ucirc", 0xfb }, { "ugrave", 0xf9 }, { "uml", 0xa8 }, { "uuml", 0xfc },
	{ "yacute", 0xfd }, { "yen", 0xa5 }, { "yuml", 0xff }, { "zwj", 0x200d },
	{ "zwnj", 0x200c },
};

/* Reads one character reference at s (just after the '&', at most len bytes) into *cp;
 * returns its length after the '&' (the ';' included), or 0 when it is not one. */
static size_t
import_text_ref(const char *s, size_t len, uint32_t *cp)
{
	size_t i = 0, n, lo, hi, mid;
	uint32_t v = 0;
	int c;

	if (len > 0 && s[0] == '#') {
		int hex = len > 1 && (s[1] == 'x' || s[1] == 'X');

		for (i = hex ? 2 : 1, n = 0; i < len && n < 8; i++, n++) {
			c = (unsigned char)s[i];
			if (c >= '0' && c <= '9')
				v = v * (hex ? 16 : 10) + (uint32_t)(c - '0');
			else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'))
				v = v * 16 + (uint32_t)((c | 0x20) - 'a' + 10);
			else
				break;
		}
		if (n == 0 || i >= len || s[i] != ';')
			return 0;
		/* NUL, surrogates and out-of-range numbers become U+FFFD, as in HTML */
		if (v == 0 || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
			v = 0xfffd;
		*cp = v;
		return i + 1;
	}
	while (i < len && i < 8 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
	    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	if (i == 0 || i >= len || s[i] != ';')
		return 0;
	lo = 0;
	hi = sizeof import_text_named / sizeof import_text_named[0];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(s, import_text_named[mid].name, i);
		if (c == 0 && import_text_named[mid].name[i] != '\0')
			c = -1;
		if (c == 0) {
			*cp = import_text_named[mid].cp;
			return i + 1;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Decodes the character references of s[0..len). New string. */
char *
import_text_entities(const char *s, size_t len)
{
	struct import_buf b = { NULL, 0, 0 };
	const char *amp, *end = s + len;
	char enc[4];
	uint32_t cp;
	size_t n;

	while (s < end && (amp = memchr(s, '&', (size_t)(end - s))) != NULL) {
		import_buf_add(&b, s, (size_t)(amp - s));
		n = import_text_ref(amp + 1, (size_t)(end - amp - 1), &cp);
		if (n == 0) {
			import_buf_add(&b, "&", 1);
			s = amp + 1;
			continue;
		}
		import_buf_add(&b, enc, utf8_encode(cp, enc));
		s = amp + 1 + n;
	}
	if (s < end)
		import_buf_add(&b, s, (size_t)(end - s));
	return import_buf_take(&b);
}

/* The text of s with ill-formed UTF-8 made U+FFFD and NUL bytes dropped (new string). */
static char *
import_text_valid(const char *s, size_t len)
{
	struct import_buf b = { NULL, 0, 0 };
	const char *p = s, *end = s + len, *q;
	uint32_t cp;

	if (utf8_valid(s, len) && memchr(s, '\0', len) == NULL) {
		import_buf_add(&b, s, len);
		return import_buf_take(&b);
	}
	while (p < end) {
		q = p;
		if (utf8_decode(&p, end, &cp) == 0)
			import_buf_adds(&b, "\xef\xbf\xbd");
		else if (cp != 0)
			import_buf_add(&b, q, (size_t)(p - q));
	}
	return import_buf_take(&b);
}

/* Tidies converted text in place: controls become spaces (tab too), "\r" goes, lines
 * lose their trailing spaces, at most one empty line in a row, none first or last. */
static void
import_text_tidy(char *s)
{
	char *r = s, *w = s;
	int nl = 0;             /* newlines pending */

	while (*r == ' ' || *r == '\n' || *r == '\r' || *r == '\t')
		r++;
	for (; *r != '\0'; r++) {
		unsigned char c = (unsigned char)*r;

		if (c == '\r')
			continue;
		if (c == '\n') {
			while (w > s && w[-1] == ' ')
				w--;
			nl++;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (nl > 0) {
			*w++ = '\n';
			if (nl > 1)
				*w++ = '\n';
			nl = 0;
		}
		*w++ = (char)c;
	}
	while (w > s && (w[-1] == ' ' || w[-1] == '\n'))
		w--;
	*w = '\0';
}

/* True when s[0..len) starts with the ASCII word w, ignoring case. */
static int
import_text_prefix(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w), i;

	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if ((s[i] | 0x20) != w[i])
			return 0;
	return 1;
}

/* Which markup s holds: 2 HTML, 1 HTML escaped once more, 0 neither (Markdown or plain
 * text). A tag counts when it is one that abstracts use, so "a < b" is not HTML. */
static int
import_text_markup(const char *s)
{
	const char *p;
	size_t len = strlen(s);
	int escaped = 0;

	for (p = s; (p = strpbrk(p, "<&")) != NULL; p++) {
		size_t left = len - (size_t)(p - s);

		if (*p == '<' && import_html_tag_at(p + 1, left - 1))
			return 2;
		if (*p == '&' && !escaped && import_text_prefix(p, left, "&lt;")) {
			/* "&lt;p&gt;", "&lt;/a&gt;": decode a little and look again */
			char *t = import_text_entities(p, left < 64 ? left : 64);

			escaped = import_html_tag_at(t + 1, strlen(t + 1));
			free(t);
		}
	}
	return escaped;
}

/* Markdown inline markup of s[0..len) into b: links, code spans, emphasis, escapes,
 * autolinks and character references. */
static void
import_text_md_inline(struct import_buf *b, const char *s, size_t len, int depth);

/* Length of the run of character c at s (at most max). */
static size_t
import_text_run(const char *s, size_t max, char c)
{
	size_t n = 0;

	while (n < max && s[n] == c)
		n++;
	return n;
}

/* Finds the end of the bracketed text that begins after s[0] == '[' (nested brackets
 * allowed): the offset of the matching ']', or 0. */
static size_t
import_text_bracket(const char *s, size_t len)
{
	size_t i, lim = len < IMPORT_TEXT_LOOKAHEAD ? len : IMPORT_TEXT_LOOKAHEAD;
	int depth = 0;

	for (i = 1; i < lim; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && depth-- == 0)
			return i;
	}
	return 0;
}

/* Reads "(url)" or "(url "title")" at s; sets the url's span and returns the length of
 * the whole, or 0 when there is none. */
static size_t
import_text_target(const char *s, size_t len, const char **url, size_t *ulen)
{
	size_t i = 1, lim = len < IMPORT_TEXT_LOOKAHEAD ? len : IMPORT_TEXT_LOOKAHEAD;

	if (len < 2 || s[0] != '(')
		return 0;
	while (i < lim && s[i] == ' ')
		i++;
	*url = s + i;
	while (i < lim && s[i] != ')' && s[i] != ' ' && s[i] != '\n')
		i++;
	*ulen = (size_t)(s + i - *url);
	while (i < lim && s[i] != ')')         /* a title, dropped */
		i++;
	if (i >= lim || *ulen == 0)
		return 0;
	return i + 1;
}

/* Writes link text and url as "text (url)" (just "url" when the text says no more). */
static void
import_text_link(struct import_buf *b, const char *text, size_t tlen, const char *url,
    size_t ulen, int depth)
{
	size_t start = b->len;

	import_text_md_inline(b, text, tlen, depth + 1);
	if (b->len == start) {
		import_buf_add(b, url, ulen);
		return;
	}
	if (b->len - start == ulen && memcmp(b->s + start, url, ulen) == 0)
		return;
	import_buf_add(b, " (", 2);
	import_buf_add(b, url, ulen);
	import_buf_add(b, ")", 1);
}

/* True when s[i] is white space, or i is outside s[0..len). */
static int
import_text_blank(const char *s, size_t len, size_t i)
{
	return i >= len || s[i] == ' ' || s[i] == '\n' || s[i] == '\t';
}

/* Handles an emphasis run of c at s[i] (i is its offset in the whole span s[0..len)):
 * returns how far it read, or 0 when the run is literal. The closing run is the first
 * of the same length that follows text, passing over pairs nested inside. */
static size_t
import_text_md_emph(struct import_buf *b, const char *s, size_t len, size_t i, int depth)
{
	char c = s[i];
	size_t run = import_text_run(s + i, len - i, c), j, lim, n;
	int open = 0, right;

	if (run > 3 || (c == '~' && run != 2) || import_text_blank(s, len, i + run) ||
	    depth >= IMPORT_TEXT_MAX_NEST)
		return 0;
	if (c == '_' && i > 0 && ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z'))
		return 0;       /* snake_case stays */
	lim = len - i < IMPORT_TEXT_LOOKAHEAD ? len : i + IMPORT_TEXT_LOOKAHEAD;
	for (j = i + run; j < lim; j += n) {
		if (s[j] != c) {
			n = 1;
			continue;
		}
		n = import_text_run(s + j, lim - j, c);
		if (n != run)
			continue;
		right = !import_text_blank(s, len, j - 1) && (c != '_' || j + n >= len ||
		    !((s[j + n] | 0x20) >= 'a' && (s[j + n] | 0x20) <= 'z'));
		if (right && open == 0) {
			import_text_md_inline(b, s + i + run, j - i - run, depth + 1);
			return j + run - i;
		}
		if (right)
			open--;
		else if (!import_text_blank(s, len, j + n))
			open++;         /* a pair nested inside opens here */
	}
	return 0;
}

/* Markdown inline markup of s[0..len) into b. */
static void
import_text_md_inline(struct import_buf *b, const char *s, size_t len, int depth)
{
	const char *url, *q;
	size_t i = 0, n, close, ulen, k;
	char enc[4];
	uint32_t cp;

	while (i < len) {
		char c = s[i];

		if (c == '\\' && i + 1 < len && strchr("\\`*_{}[]()#+-.!<>~|\"'", s[i + 1]) &&
		    s[i + 1] != '\0') {
			import_buf_add(b, s + i + 1, 1);
			i += 2;
		} else if (c == '`') {
			n = import_text_run(s + i, len - i, '`');
			q = NULL;
			for (k = i + n; k < len && k < i + IMPORT_TEXT_LOOKAHEAD; k++)
				if (s[k] == '`' && import_text_run(s + k, len - k, '`') == n) {
					q = s + k;
					break;
				}
			if (q == NULL) {
				import_buf_add(b, s + i, n);
				i += n;
				continue;
			}
			import_buf_add(b, s + i + n, (size_t)(q - s) - i - n);
			i = (size_t)(q - s) + n;
		} else if ((c == '[' || (c == '!' && i + 1 < len && s[i + 1] == '[')) &&
		    (close = import_text_bracket(s + i + (c == '!'), len - i - (c == '!'))) > 0 &&
		    (n = import_text_target(s + i + (c == '!') + close + 1,
		    len - i - (c == '!') - close - 1, &url, &ulen)) > 0) {
			if (c == '!')   /* an image: its text only */
				import_text_md_inline(b, s + i + 2, close - 1, depth + 1);
			else
				import_text_link(b, s + i + 1, close - 1, url, ulen, depth);
			i += (c == '!') + close + 1 + n;
		} else if (c == '<' && (q = memchr(s + i, '>', len - i)) != NULL &&
		    memchr(s + i, ' ', (size_t)(q - s) - i) == NULL &&
		    (memchr(s + i, ':', (size_t)(q - s) - i) != NULL ||
		    memchr(s + i, '@', (size_t)(q - s) - i) != NULL)) {
			import_buf_add(b, s + i + 1, (size_t)(q - s) - i - 1);   /* <url> */
			i = (size_t)(q - s) + 1;
		} else if ((c == '*' || c == '_' || c == '~') &&
		    (n = import_text_md_emph(b, s, len, i, depth)) > 0) {
			i += n;
		} else if (c == '&' && (n = import_text_ref(s + i + 1, len - i - 1, &cp)) > 0) {
			import_buf_add(b, enc, utf8_encode(cp, enc));
			i += n + 1;
		} else {
			import_buf_add(b, s + i, 1);
			i++;
		}
	}
}

/* Length of a list marker ("- ", "* ", "+ ", "12. ", "3) ") at s, setting *ordered; 0
 * when there is none. */
static size_t
import_text_marker(const char *s, size_t len, int *ordered)
{
	size_t i = 0;

	*ordered = 0;
	if (len >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ')
		return 2;
	while (i < len && i < 9 && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i > 0 && i + 1 < len && (s[i] == '.' || s[i] == ')') && s[i + 1] == ' ') {
		*ordered = 1;
		return i + 2;
	}
	return 0;
}

/* True when the line s[0..len) is a thematic break or a setext underline: three or more
 * of one of "-*_=" and spaces only. */
static int
import_text_rule(const char *s, size_t len)
{
	size_t i, n = 0;
	char c = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ')
			continue;
		if (c == 0 && strchr("-*_=", s[i]) != NULL && s[i] != '\0')
			c = s[i];
		if (s[i] != c)
			return 0;
		n++;
	}
	return n >= 3;
}

/* One line of Markdown into b (not in a code block); prev_text says the line before held
 * text (for setext underlines). */
static void
import_text_md_line(struct import_buf *b, const char *s, size_t len, int prev_text)
{
	size_t indent = 0, n;
	int ordered;

	while (indent < len && s[indent] == ' ')
		indent++;
	s += indent;
	len -= indent;
	if (import_text_rule(s, len)) {
		/* a rule is a paragraph break; an underline after text is dropped */
		if (!prev_text || (s[0] != '=' && s[0] != '-'))
			import_buf_add(b, "\n", 1);
		return;
	}
	if (len > 0 && s[0] == '#') {
		n = import_text_run(s, len, '#');
		if (n <= 6 && (n == len || s[n] == ' ')) {
			while (n < len && s[n] == ' ')
				n++;
			while (len > n && (s[len - 1] == '#' || s[len - 1] == ' '))
				len--;
			import_text_md_inline(b, s + n, len - n, 0);
			return;
		}
	}
	if ((n = import_text_marker(s, len, &ordered)) > 0) {
		for (; indent >= 2; indent -= 2)
			import_buf_add(b, "  ", 2);
		if (ordered)
			import_buf_add(b, s, n);
		else
			import_buf_add(b, "- ", 2);
		import_text_md_inline(b, s + n, len - n, 0);
		return;
	}
	if (len > 0 && s[0] == '>') {
		import_buf_add(b, "> ", 2);
		n = len > 1 && s[1] == ' ' ? 2 : 1;
		import_text_md_inline(b, s + n, len - n, 0);
		return;
	}
	import_text_md_inline(b, s, len, 0);
}

/* Markdown (or plain text) into plain text: lines are kept as they are. */
static char *
import_text_markdown(const char *s)
{
	struct import_buf b = { NULL, 0, 0 };
	const char *line = s, *nl, *t;
	size_t len;
	int fence = 0, prev_text = 0;

	while (*line != '\0') {
		nl = strchr(line, '\n');
		len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		if (len > 0 && line[len - 1] == '\r')
			len--;
		for (t = line; t < line + len && *t == ' '; t++)
			;
		if (import_text_prefix(t, len - (size_t)(t - line), "```") ||
		    import_text_prefix(t, len - (size_t)(t - line), "~~~"))
			fence = !fence;         /* fence lines go; the code stays as it is */
		else {
			if (fence)
				import_buf_add(&b, line, len);
			else
				import_text_md_line(&b, line, len, prev_text);
			import_buf_add(&b, "\n", 1);
		}
		prev_text = t < line + len;
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	return import_buf_take(&b);
}

/* The plain text of an abstract or description. */
char *
import_text_clean(const char *s)
{
	char *valid, *text, *decoded;
	size_t len = s != NULL ? strlen(s) : 0;

	if (len > IMPORT_TEXT_MAX_RAW)
		len = IMPORT_TEXT_MAX_RAW;  /* the ill-formed tail of a cut becomes U+FFFD */
	valid = import_text_valid(s != NULL ? s : "", len);
	switch (import_text_markup(valid)) {
	case 2:
		text = import_html_text(valid);
		break;
	case 1:
		decoded = import_text_entities(valid, strlen(valid));
		text = import_html_text(decoded);
		free(decoded);
		break;
	default:
		text = import_text_markdown(valid);
		break;
	}
	free(valid);
	import_text_tidy(text);
	return text;
}

/* One line of plain text: references decoded, tags dropped, white space collapsed. */
char *
import_text_line(const char *s)
{
	char *valid, *text, *r, *w;
	size_t len = s != NULL ? strlen(s) : 0;

	if (len > IMPORT_TEXT_MAX_RAW)
		len = IMPORT_TEXT_MAX_RAW;
	valid = import_text_valid(s != NULL ? s : "", len);
	if (import_text_markup(valid) != 0)
		text = import_html_text(valid);
	else
		text = import_text_entities(valid, strlen(valid));
	free(valid);
	for (r = w = text; *r != '\0'; r++) {
		unsigned char c = (unsigned char)*r;

		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (w > text && w[-1] != ' ')
				*w++ = ' ';
			continue;
		}
		*w++ = (char)c;
	}
	while (w > text && w[-1] == ' ')
		w--;
	*w = '\0';
	return text;
}

/* Cuts s to at most max bytes, at a character and preferably a word boundary, with an
 * ellipsis. */
int
import_text_cut(char *s, size_t max)
{
	size_t len = strlen(s), cut, i;

	if (len <= max)
		return 0;
	cut = max - 3;          /* room for U+2026 */
	while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
		cut--;
	for (i = cut; i > max / 2; i--) {
		if (s[i] == ' ' || s[i] == '\n') {
			cut = i;
			break;
		}
	}
	while (cut > 0 && (s[cut - 1] == ' ' || s[cut - 1] == '\n'))
		cut--;
	memcpy(s + cut, "\xe2\x80\xa6", 4);
	return 1;
}
