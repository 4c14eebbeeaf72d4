/* utf8.c: strict UTF-8 validation, decoding and encoding. */

#include "util/utf8.h"

/* Decodes one code point at *p (not past end) into *cp and advances *p; 0 if ill-formed. */
size_t
utf8_decode(const char **p, const char *end, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t avail = (size_t)(end - *p), need, i;
	uint32_t c, min;

	if (avail == 0) {
		*cp = 0xFFFD;
		return 0;
	}
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		(*p)++;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (avail < need)
		goto bad;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	*p += need;
	return need;

bad:
	*cp = 0xFFFD;
	(*p)++;
	return 0;
}

/* True when s[0..len) is well-formed UTF-8. */
bool
utf8_valid(const char *s, size_t len)
{
	const char *end = s + len;
	uint32_t cp;

	while (s < end) {
		if (utf8_decode(&s, end, &cp) == 0)
			return false;
	}
	return true;
}

/* Writes cp as UTF-8 into out; returns the length, 0 if cp is not a scalar value. */
size_t
utf8_encode(uint32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;

	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		o[0] = (unsigned char)(0xF0 | (cp >> 18));
		o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[3] = (unsigned char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

/* Number of code points in a UTF-8 string (each ill-formed byte counts as one). */
size_t
utf8_strlen(const char *s, size_t len)
{
	const char *end = s + len;
	uint32_t cp;
	size_t n = 0;

	while (s < end) {
		utf8_decode(&s, end, &cp);
		n++;
	}
	return n;
}
