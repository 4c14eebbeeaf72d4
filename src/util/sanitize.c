/* sanitize.c: render untrusted text (from the network) safely for a terminal.
 *
 * Control characters and anything that could move the cursor, change colours, set
 * the clipboard (OSC 52) or reorder text (bidi controls) is shown visibly instead. */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* True for code points shown as "<U+XXXX>" rather than passed through. */
static int
sanitize_is_hidden(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9F)
		return 1; /* C1 controls (CSI U+009B, OSC U+009D, ...) */
	if (cp >= 0x202A && cp <= 0x202E)
		return 1; /* bidi embeddings and overrides */
	if (cp >= 0x2066 && cp <= 0x2069)
		return 1; /* bidi isolates */
	switch (cp) {
	case 0x061C: /* Arabic letter mark */
	case 0x200E: /* left-to-right mark */
	case 0x200F: /* right-to-left mark */
	case 0x2028: /* line separator */
	case 0x2029: /* paragraph separator */
	case 0xFEFF: /* zero width no-break space / BOM */
		return 1;
	}
	return 0;
}

/* True for white space that SANITIZE_SQUEEZE folds: space, tab and the Unicode space
 * separators (Zs). */
static int
sanitize_is_space(uint32_t cp)
{
	switch (cp) {
	case ' ': case '\t': case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
		return 1;
	}
	return cp >= 0x2000 && cp <= 0x200A;
}

/* Returns a new NUL-terminated string: a safe rendering of s[0..len). */
char *
sanitize_text(const char *s, size_t len, int flags)
{
	const char *p = s, *end = s + len, *start;
	char *out, *o;
	uint32_t cp;
	size_t n;
	int space = 0;

	/* Worst case: every byte becomes "<U+FFFD>"-sized (8 bytes) at most. */
	if (len > (SIZE_MAX - 1) / 8)
		len = (SIZE_MAX - 1) / 8;
	out = xmalloc(len * 8 + 1);
	o = out;
	while (p < end) {
		start = p;
		n = utf8_decode(&p, end, &cp);
		if (n == 0) {
			o += utf8_encode(0xFFFD, o);
			space = 0;
			continue;
		}
		if ((flags & SANITIZE_SQUEEZE) && sanitize_is_space(cp)) {
			if (!space)
				*o++ = ' ';
			space = 1;
			continue;
		}
		space = 0;
		if (cp == '\t')
			*o++ = ' ';
		else if (cp == '\n' && (flags & SANITIZE_NEWLINES))
			*o++ = '\n';
		else if (cp < 0x20) {
			*o++ = '^';
			*o++ = (char)(cp + 0x40);
		} else if (cp == 0x7F) {
			*o++ = '^';
			*o++ = '?';
		} else if (sanitize_is_hidden(cp))
			o += sprintf(o, "<U+%04X>", (unsigned)cp);
		else {
			memcpy(o, start, n);
			o += n;
		}
	}
	*o = '\0';
	return xrealloc(out, (size_t)(o - out) + 1);
}

/* Convenience for NUL-terminated input; NULL gives "". New string. */
char *
sanitize_str(const char *s)
{
	if (s == NULL)
		return xstrdup("");
	return sanitize_text(s, strlen(s), 0);
}

/* True when s (NUL-terminated) would be changed by sanitize_text. */
int
sanitize_needed(const char *s)
{
	char *t;
	int changed;

	if (s == NULL)
		return 0;
	t = sanitize_text(s, strlen(s), 0);
	changed = strcmp(t, s) != 0;
	free(t);
	return changed;
}
