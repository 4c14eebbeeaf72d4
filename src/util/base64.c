/* base64.c: base64 encoding, and the hex decoding that goes with it for obfs4 keys. */
#include <ctype.h>
#include <string.h>

#include "util/base64.h"
#include "util/xalloc.h"

static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* data in base64. */
char *
base64_encode(const void *data, size_t len, bool pad)
{
	const unsigned char *p = data;
	char *out = xmalloc((len + 2) / 3 * 4 + 1), *o = out;
	size_t i;
	unsigned v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*o++ = base64_alphabet[v >> 18 & 63];
		*o++ = base64_alphabet[v >> 12 & 63];
		*o++ = base64_alphabet[v >> 6 & 63];
		*o++ = base64_alphabet[v & 63];
	}
	if (i < len) {
		v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
		*o++ = base64_alphabet[v >> 18 & 63];
		*o++ = base64_alphabet[v >> 12 & 63];
		if (i + 1 < len)
			*o++ = base64_alphabet[v >> 6 & 63];
		else if (pad)
			*o++ = '=';
		if (pad)
			*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* The value of one hex digit, or -1. */
int
base64_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes exactly 2 * cap hex digits. */
int
base64_hex_decode(const char *hex, unsigned char *out, size_t cap)
{
	size_t i;
	int hi, lo;

	if (strlen(hex) != cap * 2)
		return -1;
	for (i = 0; i < cap; i++) {
		hi = base64_hex_digit(hex[2 * i]);
		lo = base64_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
