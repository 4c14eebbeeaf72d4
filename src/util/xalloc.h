/* xalloc.h: allocation wrappers that abort on out-of-memory, and small string helpers. */
#ifndef CONFAB_XALLOC_H
#define CONFAB_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

/* Each returns new memory (never NULL); the program aborts with a message when memory runs out. */
void *xmalloc(size_t size);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *ptr, size_t size);
/* Like reallocarray: grows ptr to nmemb * size, aborting on overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A new string formatted like printf. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Copies src into dst of size dstsize, always terminated; returns strlen(src). */
size_t strlcpy_cf(char *dst, const char *src, size_t dstsize);

#endif
