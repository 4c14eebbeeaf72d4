/* base64.h: base64 encoding (RFC 4648, section 4), for HTTP Basic credentials and obfs4
 * bridge certificates. */
#ifndef CONFAB_BASE64_H
#define CONFAB_BASE64_H

#include <stdbool.h>
#include <stddef.h>

/* data[0..len) in base64, with '=' padding when pad is true (obfs4 certificates go
 * without). A new string. */
char *base64_encode(const void *data, size_t len, bool pad);

/* The value of a hex digit (either case), or -1. */
int base64_hex_digit(char c);

/* Decodes the hex digits of hex (2 * cap of them, nothing else) into out[0..cap). Returns
 * 0, or -1 when hex is not exactly that. */
int base64_hex_decode(const char *hex, unsigned char *out, size_t cap);

#endif
