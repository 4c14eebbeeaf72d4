/* fuzzutil.h: what the libFuzzer targets of fuzz/ share: set-up, invariant checks that
 * abort with a message (libFuzzer then saves the input), and the input as a C string. */
#ifndef CONFAB_FUZZUTIL_H
#define CONFAB_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's entry points. Each target defines LLVMFuzzerTestOneInput; fuzzutil.c
 * defines LLVMFuzzerInitialize for all of them: the C.UTF-8 locale (widths as in the
 * tests), and logs written in full (debug level, so that their formatting is fuzzed too)
 * to /dev/null. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant on stderr and aborts (libFuzzer saves the input). */
void fuzzutil_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4), noreturn));

/* Aborts with the condition's text when cond is false. */
#define FUZZ_CHECK(cond) do {						\
	if (!(cond))							\
		fuzzutil_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

/* A new NUL-terminated copy of data[0..size) (the input may hold NULs: C string users see
 * only what comes before the first one). */
char *fuzzutil_cstr(const uint8_t *data, size_t size);

/* Splits *data (of *size bytes) at the next '\n': *line gets the start and *len the length
 * of the line before it; *data and *size move past the newline. Returns 0, or -1 when
 * nothing is left. */
int fuzzutil_line(const uint8_t **data, size_t *size, const char **line, size_t *len);

/* True when s[0..len) holds only well-formed UTF-8 with no C0 control but those in allow
 * (a NUL-terminated list, e.g. "\n"), no DEL, no C1 control (U+0080..U+009F) and no bidi
 * embedding, override or isolate (U+202A..U+202E, U+2066..U+2069): text safe to print. */
int fuzzutil_safe_text(const char *s, size_t len, const char *allow);

#endif
