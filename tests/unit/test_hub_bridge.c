/* test_hub_bridge.c: unit tests for hub/hub_bridge.c: the bridge line made from
 * obfs4proxy's state file (a real one's node id and key give obfs4proxy's own cert). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "hub/hub_bridge.h"
#include "tmpdirfix.h"
#include "util/xalloc.h"

static char tmpdir[] = "/tmp/confab-test-bridge-XXXXXX";

/* A private directory. */
static int
setup(void **state)
{
	(void)state;
	return tmpdirfix_setup(tmpdir);
}

/* Removes it. */
static int
teardown(void **state)
{
	(void)state;
	return tmpdirfix_teardown(tmpdir);
}

/* Writes the state file. */
static void
write_state(const char *text)
{
	char *path = xasprintf("%s/%s", tmpdir, HUB_BRIDGE_STATE_FILE);
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* A state file as obfs4proxy 0.0.14 wrote it, and the cert its SMETHOD line gave. */
static void
test_bridge_line(void **state)
{
	char *cause = NULL, *line;

	(void)state;
	write_state("{\"node-id\":\"fa15fc8eed69d047fab25842c2550a7dc591cd30\","
	    "\"private-key\":\"bcf3e35d2860fd8030e0e1244649b9e402b0906a24ad71dcba34e1787700b3f6\","
	    "\"public-key\":\"0cf5ee19ebfc78b6643ee03d7a3d1dfbd1f1cb556279478cd858f35f0d11d045\","
	    "\"drbg-seed\":\"204900889267fef089544ff639855dff3ac443515ddb4522\",\"iat-mode\":0}");
	line = hub_bridge_line(tmpdir, "203.0.113.7:443", &cause);
	assert_non_null(line);
	assert_string_equal(line, "203.0.113.7:443 cert=+hX8ju1p0Ef6slhCwlUKfcWRzTAM9e4Z6/x4tmQ+"
	    "4D16PR370fHLVWJ5R4zYWPNfDRHQRQ iat-mode=0");
	free(line);
	write_state("{\"node-id\":\"fa15fc8eed69d047fab25842c2550a7dc591cd30\","
	    "\"public-key\":\"0cf5ee19ebfc78b6643ee03d7a3d1dfbd1f1cb556279478cd858f35f0d11d045\","
	    "\"iat-mode\":2}");
	line = hub_bridge_line(tmpdir, "[2001:db8::7]:9001", &cause);
	assert_non_null(line);
	assert_non_null(strstr(line, "[2001:db8::7]:9001 cert="));
	assert_non_null(strstr(line, " iat-mode=2"));
	free(line);
}

/* A missing directory, a file that is not JSON, a short key: refused in words. */
static void
test_bridge_errors(void **state)
{
	char *cause = NULL;

	(void)state;
	assert_null(hub_bridge_line("/nonexistent/confab", "a:1", &cause));
	assert_non_null(strstr(cause, "TOR_PT_STATE_LOCATION"));
	free(cause);
	write_state("not json");
	assert_null(hub_bridge_line(tmpdir, "a:1", &cause));
	assert_non_null(strstr(cause, "node-id"));
	free(cause);
	write_state("{\"node-id\":\"fa15\",\"public-key\":\"0cf5\"}");
	assert_null(hub_bridge_line(tmpdir, "a:1", &cause));
	free(cause);
	write_state("{\"node-id\":\"fa15fc8eed69d047fab25842c2550a7dc591cd30\","
	    "\"public-key\":\"0cf5ee19ebfc78b6643ee03d7a3d1dfbd1f1cb556279478cd858f35f0d11d045\","
	    "\"iat-mode\":\"0\"}");
	assert_null(hub_bridge_line(tmpdir, "a:1", &cause));
	free(cause);
}

/* Runs the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bridge_line),
		cmocka_unit_test(test_bridge_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
