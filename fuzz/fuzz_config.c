/* fuzz_config.c: libFuzzer target for the client's config file parser
 * (client/config.c): the settings it keeps are valid, its messages name a line each and
 * are safe to print, and a file with CRLF line ends reads the same. Input: a config file. */
#include <stdlib.h>
#include <string.h>

#include "client/config.h"
#include "fuzz/fuzzutil.h"
#include "proto/proto.h"

/* Parses text[0..len) into cfg; returns the message (new string) or NULL. */
static char *
fuzz_config_parse(struct config *cfg, const char *text, size_t len)
{
	char *cause = (char *)"unset";
	int rc;

	config_init(cfg);
	rc = config_parse(cfg, text, len, "config", &cause);
	FUZZ_CHECK((rc == 0 && cause == NULL) || (rc == -1 && cause != NULL));
	return cause;
}

/* Checks the settings, and that each line of the message names a line of the file. */
static void
fuzz_config_check(const struct config *cfg, const char *cause, size_t nlines)
{
	const char *line;
	char *end;
	unsigned long n;
	size_t nkeys;

	config_keys(&nkeys);
	FUZZ_CHECK(cfg->name == NULL || proto_name_check(cfg->name) == PE_NONE);
	FUZZ_CHECK(cfg->hub == NULL || strncmp(cfg->hub, "ws://", 5) == 0 ||
	    strncmp(cfg->hub, "wss://", 6) == 0);
	FUZZ_CHECK((cfg->name != NULL) == ((cfg->set & CONFIG_SET_NAME) != 0));
	FUZZ_CHECK((cfg->set & ~((1u << nkeys) - 1)) == 0);
	FUZZ_CHECK(cfg->plain >= 0 && cfg->plain <= 1 && cfg->bell >= 0 && cfg->bell <= 1);
	FUZZ_CHECK(cfg->colours <= CONFIG_COLOURS_NO && cfg->time <= CONFIG_TIME_LOCAL &&
	    cfg->clock <= CONFIG_CLOCK_12H);
	if (cause == NULL)
		return;
	if (!fuzzutil_safe_text(cause, strlen(cause), "\n"))
		fuzzutil_fail(__FILE__, __LINE__, "unsafe message: %s", cause);
	for (line = cause; line != NULL; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		FUZZ_CHECK(strncmp(line, "config:", 7) == 0);
		n = strtoul(line + 7, &end, 10);
		FUZZ_CHECK(n >= 1 && n <= nlines && *end == ':');
	}
}

/* True when two settings are both unset or equal. */
static int
fuzz_config_str_same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Compares two parsed configs field by field. */
static int
fuzz_config_same(const struct config *a, const struct config *b)
{
	return fuzz_config_str_same(a->name, b->name) && fuzz_config_str_same(a->hub, b->hub) &&
	    fuzz_config_str_same(a->log_file, b->log_file) &&
	    fuzz_config_str_same(a->ca_file, b->ca_file) && a->plain == b->plain &&
	    a->bell == b->bell && a->mention_bell == b->mention_bell &&
	    a->colours == b->colours && a->time == b->time && a->clock == b->clock &&
	    a->set == b->set;
}

/* One config file. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg, crlf;
	char *cause, *cause2, *text;
	size_t i, n = 0, nlines = 1;

	if (size > CONFIG_MAX_BYTES)
		return 0;
	cause = fuzz_config_parse(&cfg, (const char *)data, size);
	for (i = 0; i < size; i++)
		nlines += data[i] == '\n';
	fuzz_config_check(&cfg, cause, nlines);

	/* the same file with CRLF line ends */
	text = malloc(2 * size + 1);
	FUZZ_CHECK(text != NULL);
	for (i = 0; i < size; i++) {
		if (data[i] == '\n')
			text[n++] = '\r';
		text[n++] = (char)data[i];
	}
	cause2 = fuzz_config_parse(&crlf, text, n);
	FUZZ_CHECK(fuzz_config_same(&cfg, &crlf));
	FUZZ_CHECK((cause == NULL && cause2 == NULL) ||
	    (cause != NULL && cause2 != NULL && strcmp(cause, cause2) == 0));
	free(text);
	free(cause);
	free(cause2);
	config_clear(&cfg);
	config_clear(&crlf);
	return 0;
}
