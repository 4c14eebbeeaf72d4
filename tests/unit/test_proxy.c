/* test_proxy.c: unit tests of src/net/proxy.c: which variable applies to ws:// and wss://,
 * loopback never proxied, no_proxy entries (names, subdomains, addresses, prefixes, *),
 * the forms of a proxy's value and the errors that name the variable, not the password. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/proxy.h"

/* The environment the tests give proxy_choose: NAME=VALUE pairs, NULL-terminated. */
static const char *const *test_env;

static char *
test_getenv(const char *name)
{
	size_t n = strlen(name);

	for (const char *const *e = test_env; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return (char *)(*e + n + 1);
	return NULL;
}

/* The lws form chosen for host under env (NULL: direct); asserts success. */
static char *
test_choose(const char *const *env, const char *host, bool tls, const char **var)
{
	struct proxy_choice ch;
	char *cause = NULL, *r;

	test_env = env;
	assert_int_equal(proxy_choose(host, tls, test_getenv, &ch, &cause), 0);
	assert_null(cause);
	r = ch.lws != NULL ? strdup(ch.lws) : NULL;
	if (var != NULL)
		*var = ch.var;
	proxy_choice_clear(&ch);
	return r;
}

static void
test_proxy_variables(void **state)
{
	static const char *const lower[] = { "http_proxy=http://127.0.0.1:3128",
		"https_proxy=http://10.1.1.1:8443/", NULL };
	static const char *const upper[] = { "HTTP_PROXY=proxy.example:8080",
		"HTTPS_PROXY=", NULL };
	static const char *const both[] = { "http_proxy=a.example:1", "HTTP_PROXY=b.example:2",
		NULL };
	const char *var = NULL;
	char *r;

	(void)state;
	r = test_choose(lower, "hub.example.org", false, &var);
	assert_string_equal(r, "127.0.0.1:3128");
	assert_string_equal(var, "http_proxy");
	free(r);
	r = test_choose(lower, "hub.example.org", true, &var);
	assert_string_equal(r, "10.1.1.1:8443");
	assert_string_equal(var, "https_proxy");
	free(r);
	r = test_choose(upper, "hub.example.org", false, &var);
	assert_string_equal(r, "proxy.example:8080");
	assert_string_equal(var, "HTTP_PROXY");
	free(r);
	/* an empty HTTPS_PROXY is unset; http_proxy is not for wss:// */
	assert_null(test_choose(upper, "hub.example.org", true, NULL));
	r = test_choose(both, "hub.example.org", false, &var);
	assert_string_equal(r, "a.example:1");
	assert_string_equal(var, "http_proxy");
	free(r);
	assert_null(test_choose(NULL, "hub.example.org", false, NULL));
}

static void
test_proxy_loopback(void **state)
{
	static const char *const env[] = { "http_proxy=http://10.0.0.1:3128",
		"https_proxy=http://10.0.0.1:3128", NULL };
	static const char *const local[] = { "localhost", "LOCALHOST", "localhost.",
		"demo.localhost", "127.0.0.1", "127.3.4.5", "::1", "[::1]",
		"::ffff:127.0.0.1", NULL };
	static const char *const remote[] = { "localhost.example.org", "mylocalhost",
		"128.0.0.1", "::2", "10.0.0.1", NULL };

	(void)state;
	for (const char *const *h = local; *h != NULL; h++) {
		assert_true(proxy_is_loopback(*h));
		assert_null(test_choose(env, *h, false, NULL));
		assert_null(test_choose(env, *h, true, NULL));
	}
	for (const char *const *h = remote; *h != NULL; h++) {
		char *r = test_choose(env, *h, false, NULL);

		assert_false(proxy_is_loopback(*h));
		assert_string_equal(r, "10.0.0.1:3128");
		free(r);
	}
}

static void
test_proxy_no_proxy(void **state)
{
	static const char *const env[] = { "http_proxy=10.0.0.1:3128",
		"no_proxy=.corp.example, hub.test 192.168.0.0/16,10.9.8.7,fd00::/8", NULL };
	static const char *const upper[] = { "http_proxy=10.0.0.1:3128", "NO_PROXY=*", NULL };
	char *r;

	(void)state;
	assert_true(proxy_no_proxy_match("example.org", "example.org"));
	assert_true(proxy_no_proxy_match("example.org", "Hub.Example.ORG"));
	assert_true(proxy_no_proxy_match(".example.org", "example.org"));
	assert_true(proxy_no_proxy_match("example.org.", "hub.example.org"));
	assert_false(proxy_no_proxy_match("example.org", "badexample.org"));
	assert_false(proxy_no_proxy_match("hub.example.org", "example.org"));
	assert_true(proxy_no_proxy_match("10.0.0.0/8", "10.200.3.4"));
	assert_false(proxy_no_proxy_match("10.0.0.0/8", "11.0.0.1"));
	assert_true(proxy_no_proxy_match("10.1.2.3/32", "10.1.2.3"));
	assert_true(proxy_no_proxy_match("0.0.0.0/0", "1.2.3.4"));
	assert_false(proxy_no_proxy_match("10.0.0.0/33", "10.0.0.1"));
	assert_false(proxy_no_proxy_match("10.0.0.0/", "10.0.0.1"));
	assert_false(proxy_no_proxy_match("10.0.0.0/8", "ten.example"));
	assert_true(proxy_no_proxy_match("2001:db8::/32", "2001:db8:1::5"));
	assert_true(proxy_no_proxy_match("[2001:db8::5]", "2001:db8::5"));
	assert_false(proxy_no_proxy_match("2001:db8::/32", "10.0.0.1"));
	assert_false(proxy_no_proxy_match("", "example.org"));
	assert_false(proxy_no_proxy_match(" , ,", "example.org"));
	assert_true(proxy_no_proxy_match("a.example,*", "example.org"));

	assert_null(test_choose(env, "a.b.corp.example", false, NULL));
	assert_null(test_choose(env, "hub.test", false, NULL));
	assert_null(test_choose(env, "192.168.7.7", false, NULL));
	assert_null(test_choose(env, "10.9.8.7", false, NULL));
	assert_null(test_choose(env, "fd12::1", false, NULL));
	r = test_choose(env, "corp.example.org", false, NULL);
	assert_non_null(r);
	free(r);
	r = test_choose(env, "10.9.8.6", false, NULL);
	assert_non_null(r);
	free(r);
	assert_null(test_choose(upper, "anything.example", false, NULL));
}

static void
test_proxy_values(void **state)
{
	static const struct { const char *value, *lws, *shown; } ok[] = {
		{ "http://proxy.example:3128", "proxy.example:3128", "proxy.example:3128" },
		{ "HTTP://proxy.example:3128/", "proxy.example:3128", "proxy.example:3128" },
		{ "proxy.example", "proxy.example:1080", "proxy.example:1080" },
		{ "http://user:s3cret@proxy.example:8080", "user:s3cret@proxy.example:8080",
		  "proxy.example:8080" },
		{ "http://a@b:c@proxy.example:8080/x?y", "a@b:c@proxy.example:8080",
		  "proxy.example:8080" },
		{ "http://[::1]:3128", "[::1]:3128", "[::1]:3128" },
		{ "[fd00::1]", "[fd00::1]:1080", "[fd00::1]:1080" },
	};
	static const char *const bad[] = { "http://", "http://:3128", "proxy:0",
		"proxy:65536", "proxy:12ab", "proxy:", "[::1", "::1:3128", "proxy:80:80",
		"http://user:pw@" };
	struct proxy_choice ch;
	char *cause, env0[256];
	const char *env[] = { env0, NULL };

	(void)state;
	test_env = env;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(env0, sizeof env0, "http_proxy=%s", ok[i].value);
		cause = NULL;
		assert_int_equal(proxy_choose("hub.example", false, test_getenv, &ch, &cause), 0);
		assert_string_equal(ch.lws, ok[i].lws);
		assert_string_equal(ch.shown, ok[i].shown);
		proxy_choice_clear(&ch);
		proxy_choice_clear(&ch);        /* safe twice */
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		snprintf(env0, sizeof env0, "http_proxy=%s", bad[i]);
		cause = NULL;
		assert_int_equal(proxy_choose("hub.example", false, test_getenv, &ch, &cause),
		    -1);
		assert_non_null(cause);
		assert_non_null(strstr(cause, "http_proxy"));
		assert_null(ch.lws);
		free(cause);
	}
	/* another scheme is refused, saying which, and the password is never repeated */
	snprintf(env0, sizeof env0, "https_proxy=socks5h://me:hunter2@10.0.0.1:1080");
	cause = NULL;
	assert_int_equal(proxy_choose("hub.example", true, test_getenv, &ch, &cause), -1);
	assert_non_null(strstr(cause, "https_proxy"));
	assert_non_null(strstr(cause, "socks5h://"));
	assert_null(strstr(cause, "hunter2"));
	free(cause);
	/* an address too long for lws */
	memset(env0, 'a', sizeof env0 - 1);
	env0[sizeof env0 - 1] = '\0';
	memcpy(env0, "http_proxy=", 11);
	cause = NULL;
	assert_int_equal(proxy_choose("hub.example", false, test_getenv, &ch, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_variables),
		cmocka_unit_test(test_proxy_loopback),
		cmocka_unit_test(test_proxy_no_proxy),
		cmocka_unit_test(test_proxy_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
