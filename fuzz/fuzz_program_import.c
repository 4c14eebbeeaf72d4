/* fuzz_program_import.c: libFuzzer target for the importers of other software's programs
 * (src/import: frab / c3voc / pretalx schedule.json, frab / Pentabarf XML, iCalendar, told
 * apart by their content). The input is handed to import_program_from_buffer() as a file
 * would be, with the conference's zone given or not (the first byte decides, so both paths
 * are reached). An accepted program must keep what struct program promises and survive the
 * wire form (fuzzprog.c); a refusal must say why, and every warning must be safe to print,
 * as the hub logs them and --check-program prints them. */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzprog.h"
#include "fuzz/fuzzutil.h"
#include "import/import.h"

/* A warning is checked as a refusal's message is (a copy: fuzzprog_check_cause frees). */
static void
check_warnings(const struct import_report *report)
{
	size_t i;

	for (i = 0; i < report->nwarnings; i++) {
		FUZZ_CHECK(report->warnings[i] != NULL);
		fuzzprog_check_cause(strdup(report->warnings[i]));
	}
}

/* One program file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_options opts;
	struct import_report report;
	struct program *p;
	char *cause = NULL;

	memset(&opts, 0, sizeof opts);
	memset(&report, 0, sizeof report);
	if (size > 0 && (data[0] & 1) == 1)
		opts.timezone = "America/New_York";
	p = import_program_from_buffer((const char *)data, size, "fuzz.input", &opts, &report,
	    &cause);
	if (p == NULL) {
		fuzzprog_check_cause(cause);
		import_report_clear(&report);
		return 0;
	}
	FUZZ_CHECK(cause == NULL);
	check_warnings(&report);
	fuzzprog_check(p);
	program_free(p);
	import_report_clear(&report);
	return 0;
}
