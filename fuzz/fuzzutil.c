/* fuzzutil.c: helpers shared by the libFuzzer targets (see fuzzutil.h). */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzutil.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* libFuzzer calls this once: the C.UTF-8 locale, and full logs to /dev/null. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	FILE *null;

	(void)argc;
	(void)argv;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		setlocale(LC_ALL, "C");
	null = fopen("/dev/null", "w");
	log_init(null, LOG_DEBUG);
	return 0;
}

/* Reports a broken invariant and aborts. */
void
fuzzutil_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "\n%s:%d: invariant broken: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/* A new NUL-terminated copy of data[0..size). */
char *
fuzzutil_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits off the next line of *data. */
int
fuzzutil_line(const uint8_t **data, size_t *size, const char **line, size_t *len)
{
	const uint8_t *nl;

	if (*size == 0)
		return -1;
	*line = (const char *)*data;
	nl = memchr(*data, '\n', *size);
	if (nl == NULL) {
		*len = *size;
		*data += *size;
		*size = 0;
		return 0;
	}
	*len = (size_t)(nl - *data);
	*size -= *len + 1;
	*data = nl + 1;
	return 0;
}

/* True when s[0..len) is text safe to print (see fuzzutil.h). */
int
fuzzutil_safe_text(const char *s, size_t len, const char *allow)
{
	const char *p = s, *end = s + len;
	uint32_t cp;

	while (p < end) {
		if (utf8_decode(&p, end, &cp) == 0)
			return 0;
		if ((cp < 0x20 && (cp == 0 || strchr(allow, (int)cp) == NULL)) || cp == 0x7F)
			return 0;
		if (cp >= 0x80 && cp <= 0x9F)
			return 0;
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
			return 0;
	}
	return 1;
}
