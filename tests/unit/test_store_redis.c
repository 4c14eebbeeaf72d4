/* test_store_redis.c: unit tests of the Redis store's parts that need no server: the
 * address (redis://HOST:PORT/DB) is parsed, and a bad one refused with a message that
 * quotes it. The store against a real redis-server: tests/integration/test_redis.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/store_redis.h"

/* Good addresses: host, port (default 6379), database (default 0). */
static void
test_url_good(void **state)
{
	static const struct {
		const char *url, *host;
		int port, db;
	} cases[] = {
		{ "redis://127.0.0.1:6380", "127.0.0.1", 6380, 0 },
		{ "redis://127.0.0.1:6380/3", "127.0.0.1", 6380, 3 },
		{ "redis://redis.example", "redis.example", 6379, 0 },
		{ "redis://redis.example/", "redis.example", 6379, 0 },
		{ "redis://[::1]:7000/15", "::1", 7000, 15 },
	};
	char *host, *cause = NULL;
	int port, db;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(store_redis_parse_url(cases[i].url, &host, &port, &db, &cause),
		    0);
		assert_string_equal(host, cases[i].host);
		assert_int_equal(port, cases[i].port);
		assert_int_equal(db, cases[i].db);
		free(host);
	}
}

/* Bad addresses are refused, naming the address; a password never goes in the URL. */
static void
test_url_bad(void **state)
{
	static const char *const bad[] = {
		"http://127.0.0.1:6379", "redis://", "redis://:6379", "redis://host:0",
		"redis://host:70000", "redis://host:12x", "redis://host/db", "redis://host/-1",
		"redis://user:secret@host:6379", "redis://[::1", "127.0.0.1:6379",
	};
	char *host, *cause;
	int port, db;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cause = NULL;
		host = NULL;
		assert_int_equal(store_redis_parse_url(bad[i], &host, &port, &db, &cause), -1);
		assert_null(host);
		assert_non_null(cause);
		assert_non_null(strstr(cause, bad[i]));
		free(cause);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_good),
		cmocka_unit_test(test_url_bad),
	};

	return cmocka_run_group_tests_name("store_redis", tests, NULL, NULL);
}
