/* xalloc.c: allocation wrappers that abort on out-of-memory, and small string helpers. */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* Reports an allocation failure and aborts. */
static void
xalloc_fatal(const char *what, size_t size)
{
	fprintf(stderr, "confab: %s: out of memory (%zu bytes)\n", what, size);
	abort();
}

/* malloc that never returns NULL. */
void *
xmalloc(size_t size)
{
	void *p;

	if (size == 0)
		size = 1;
	p = malloc(size);
	if (p == NULL)
		xalloc_fatal("xmalloc", size);
	return p;
}

/* calloc that never returns NULL. */
void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (nmemb == 0 || size == 0)
		nmemb = size = 1;
	if (SIZE_MAX / nmemb < size)
		xalloc_fatal("xcalloc", SIZE_MAX);
	p = calloc(nmemb, size);
	if (p == NULL)
		xalloc_fatal("xcalloc", nmemb * size);
	return p;
}

/* realloc that never returns NULL. */
void *
xrealloc(void *ptr, size_t size)
{
	return xreallocarray(ptr, 1, size);
}

/* reallocarray that never returns NULL and aborts on overflow. */
void *
xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	size_t total;
	void *p;

	if (nmemb != 0 && SIZE_MAX / nmemb < size)
		xalloc_fatal("xreallocarray", SIZE_MAX);
	total = nmemb * size;
	if (total == 0)
		total = 1;
	p = realloc(ptr, total);
	if (p == NULL)
		xalloc_fatal("xreallocarray", total);
	return p;
}

/* strdup that never returns NULL. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* strndup that never returns NULL. */
char *
xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p;

	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* A new string formatted like printf. */
char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

/* A new string formatted like vprintf. */
char *
xvasprintf(const char *fmt, va_list ap)
{
	va_list ap2;
	int n;
	char *s;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		fprintf(stderr, "confab: xvasprintf: %s\n", strerror(errno));
		abort();
	}
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* Copies src into dst of size dstsize, always terminated; returns strlen(src). */
size_t
strlcpy_cf(char *dst, const char *src, size_t dstsize)
{
	size_t len = strlen(src);

	if (dstsize > 0) {
		size_t n = len < dstsize - 1 ? len : dstsize - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
