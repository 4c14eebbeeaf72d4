/* fuzzprog.h: the checks every program importer target shares (fuzz_program_*.c): what
 * struct program promises (model/program.h), and the round trip through its wire form.
 * A target for a new format parses its input with that format's importer and hands the
 * program to fuzzprog_check(). */
#ifndef CONFAB_FUZZPROG_H
#define CONFAB_FUZZPROG_H

#include "model/program.h"

/* Checks p (borrowed): title, zone and version; sessions valid, sorted by start then id,
 * with unique ids; conference days ascending, each holding a session, each session in a
 * day; and the wire form (program_to_json, as text) read back by program_from_json gives
 * the same program with the same version, as does program_copy. */
void fuzzprog_check(const struct program *p);

/* Checks an importer's error message (new string, freed here): present, and safe to print
 * (no control characters, bidi controls or ill-formed UTF-8 from the input). */
void fuzzprog_check_cause(char *cause);

#endif
