/* fuzz_program_json.c: libFuzzer target for the program file in confab's JSON format
 * (doc/PROGRAM.md): the input is parsed as program_load_file() parses a file (jansson,
 * duplicate keys refused) and built by program_from_json(); an accepted program must keep
 * what struct program promises and survive the wire form (fuzzprog.c), a refused one must
 * say why in a message that is safe to print. Other formats get a target of their own
 * (fuzz_program_FORMAT.c) that hands its program to the same checks. */
#include <stdlib.h>

#include "fuzz/fuzzprog.h"
#include "fuzz/fuzzutil.h"
#include "model/program.h"

/* One program file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct program *p;
	json_t *obj;
	char *cause = NULL;

	obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (obj == NULL)
		return 0;
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p == NULL) {
		fuzzprog_check_cause(cause);
		return 0;
	}
	FUZZ_CHECK(cause == NULL);
	fuzzprog_check(p);
	program_free(p);
	return 0;
}
