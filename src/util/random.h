/* random.h: random bytes for tokens, epochs and send ids. */
#ifndef CONFAB_RANDOM_H
#define CONFAB_RANDOM_H

#include <stdbool.h>
#include <stddef.h>

/* Fills buf with n random bytes from the system (getrandom(), else /dev/urandom). Returns
 * true when they are secret; false when neither was available and the bytes came from the
 * clock and the pid (unique enough for an id, not for a secret). */
bool cf_random_bytes(void *buf, size_t n);
/* Writes ndigits random hex digits and a NUL into out (ndigits + 1 bytes, ndigits <= 128).
 * Returns as cf_random_bytes(). */
bool cf_random_hex(char *out, size_t ndigits);

#endif
