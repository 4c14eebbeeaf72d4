/* importfix.h: helpers shared by the import tests (test_import.c, test_import_real.c):
 * fixtures and real exports by name, a session by id, local times as text, errors. */
#ifndef CONFAB_IMPORTFIX_H
#define CONFAB_IMPORTFIX_H

#include <stddef.h>
#include <stdint.h>

#include "import/import.h"
#include "import/import_kinds.h"
#include "model/program.h"

/* The path of fixture name in tests/fixtures/programs (new string). */
char *importfix_fixture(const char *name);

/* Imports path with zone (may be NULL) and kinds (may be NULL) into a program, filling
 * report (may be NULL); fails the test when the file is refused. */
struct program *importfix_load(const char *path, const char *zone,
    const struct import_kinds *kinds, struct import_report *report);

/* Imports text (named name in messages) and returns the error (new string), failing the
 * test when it is accepted. */
char *importfix_error(const char *text, size_t len, const char *name, const char *zone);

/* Asserts that text is refused with exactly want. */
void importfix_refused(const char *text, const char *name, const char *zone,
    const char *want);

/* The session with this id; fails the test when there is none. */
const struct session *importfix_session(const struct program *p, const char *id);

/* "YYYY-MM-DD HH:MM ZZZ" of ms in p's zone, in buf. Returns buf. */
const char *importfix_local(const struct program *p, int64_t ms, char *buf, size_t len);

/* Asserts that session id of p runs from start to end, both "YYYY-MM-DD HH:MM ZZZ" in p's
 * zone. */
void importfix_when(const struct program *p, const char *id, const char *start,
    const char *end);

/* The warning of report that contains text, or NULL. */
const char *importfix_warning(const struct import_report *report, const char *text);

#endif
