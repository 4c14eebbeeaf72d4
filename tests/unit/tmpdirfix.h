/* tmpdirfix.h: a private temporary directory for the unit tests that write files (see
 * tmpdirfix.c). */
#ifndef CONFAB_TEST_TMPDIRFIX_H
#define CONFAB_TEST_TMPDIRFIX_H

/* Sets the C.UTF-8 locale (messages stay English: no translation is installed for it)
 * and makes the directory named by tmpl ("/tmp/NAME-XXXXXX", completed in place).
 * Returns 0, or -1: for a cmocka group setup. */
int tmpdirfix_setup(char *tmpl);
/* Removes dir and everything in it. Returns 0, or -1: for a cmocka group teardown. */
int tmpdirfix_teardown(const char *dir);

#endif
