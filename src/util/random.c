/* random.c: random bytes from the system for tokens, epochs and send ids. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "util/random.h"

/* Fills buf with n random bytes; false when they are not secret. */
bool
cf_random_bytes(void *buf, size_t n)
{
	unsigned char *b = buf;
	struct timespec ts;
	uint64_t x;
	ssize_t got;
	size_t done = 0, i;
	int fd;

	while (done < n) {
		got = getrandom(b + done, n - done, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		done += (size_t)got;
	}
	if (done == n)
		return true;
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		got = read(fd, b, n);
		close(fd);
		if (got == (ssize_t)n)
			return true;
	}
	/* last resort: unique enough for an id, not a secret */
	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		b[i] = (unsigned char)x;
	}
	return false;
}

/* Writes ndigits random hex digits and a NUL into out. */
bool
cf_random_hex(char *out, size_t ndigits)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[64];
	size_t n, i;
	bool ok;

	if (ndigits > 2 * sizeof raw)
		ndigits = 2 * sizeof raw;
	n = (ndigits + 1) / 2;
	ok = cf_random_bytes(raw, n);
	for (i = 0; i < ndigits; i++)
		out[i] = hex[(raw[i / 2] >> ((i % 2) ? 0 : 4)) & 0xf];
	out[ndigits] = '\0';
	return ok;
}
