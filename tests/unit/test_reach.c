/* test_reach.c: unit tests for the ways out of a censored network that need no network:
 * the SOCKS5 client codec (src/net/socks5.c), HTTP CONNECT (httpconnect.c), proxy URLs,
 * the proxy environment, no_proxy and loopback (proxyurl.c), and the pluggable transport
 * lines, bridge lines and SOCKS arguments (ptline.c). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "net/httpconnect.h"
#include "net/proxyurl.h"
#include "net/ptline.h"
#include "net/socks5.h"
#include "util/base64.h"

/* Feeds a whole answer to s at once; returns the status. */
static enum socks5_status
feed(struct socks5 *s, const void *in, size_t len, size_t *used)
{
	return socks5_input(s, in, len, used);
}

/* No credentials, a domain name: greeting, request with ATYP 3, reply, tunnel bytes. */
static void
test_socks5_domain(void **state)
{
	static const unsigned char greet[] = { 5, 1, 0 };
	static const unsigned char reply[] = { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0, 'G', 'E' };
	struct socks5 s;
	size_t used;

	(void)state;
	assert_int_equal(socks5_init(&s, "hubxyzabcde.onion", 7450, NULL, 0, NULL, 0), 0);
	assert_int_equal(s.outlen, sizeof greet);
	assert_memory_equal(s.out, greet, sizeof greet);
	s.outlen = 0;
	assert_int_equal(feed(&s, "\x05\x00", 2, &used), SOCKS5_MORE);
	assert_int_equal(used, 2);
	assert_int_equal(s.outlen, 4 + 1 + 17 + 2);
	assert_int_equal(s.out[3], 3);
	assert_int_equal(s.out[4], 17);
	assert_memory_equal(s.out + 5, "hubxyzabcde.onion", 17);
	assert_int_equal(s.out[22], 7450 >> 8);
	assert_int_equal(s.out[23], 7450 & 0xff);
	s.outlen = 0;
	/* the reply, in pieces, with the first bytes of the tunnel after it */
	assert_int_equal(feed(&s, reply, 3, &used), SOCKS5_MORE);
	assert_int_equal(used, 3);
	assert_int_equal(feed(&s, reply + 3, sizeof reply - 3, &used), SOCKS5_DONE);
	assert_int_equal(used, 7);
	assert_int_equal(s.outlen, 0);
}

/* IPv4 and IPv6 addresses (bracketed or not) go as ATYP 1 and 4. */
static void
test_socks5_addresses(void **state)
{
	struct socks5 s;
	size_t used;

	(void)state;
	assert_int_equal(socks5_init(&s, "192.0.2.7", 443, NULL, 0, NULL, 0), 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(s.outlen, 4 + 4 + 2);
	assert_int_equal(s.out[3], 1);
	assert_int_equal(s.out[4], 192);
	assert_int_equal(s.out[7], 7);
	assert_int_equal(socks5_init(&s, "[2001:db8::7]", 443, NULL, 0, NULL, 0), 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(s.outlen, 4 + 16 + 2);
	assert_int_equal(s.out[3], 4);
	assert_int_equal(s.out[4], 0x20);
	assert_int_equal(s.out[19], 7);
	assert_int_equal(socks5_init(&s, "::1", 1, NULL, 0, NULL, 0), 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(s.out[3], 4);
	/* a reply with a domain name and one with an IPv6 address are read whole */
	{
		static const unsigned char r6[] = { 5, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 1, 0, 80 };
		static const unsigned char rd[] = { 5, 0, 0, 3, 3, 'a', 'b', 'c', 0, 80 };

		s.outlen = 0;
		assert_int_equal(feed(&s, r6, sizeof r6 - 1, &used), SOCKS5_MORE);
		assert_int_equal(feed(&s, r6 + sizeof r6 - 1, 1, &used), SOCKS5_DONE);
		assert_int_equal(socks5_init(&s, "x", 1, NULL, 0, NULL, 0), 0);
		feed(&s, "\x05\x00", 2, &used);
		assert_int_equal(feed(&s, rd, sizeof rd, &used), SOCKS5_DONE);
		assert_int_equal(used, sizeof rd);
	}
}

/* RFC 1929: both methods offered, the request carries user and password (binary). */
static void
test_socks5_auth(void **state)
{
	struct socks5 s;
	size_t used;
	char big[256];

	(void)state;
	assert_int_equal(socks5_init(&s, "hub", 80, "al\0ce", 5, "pw", 2), 0);
	assert_int_equal(s.outlen, 4);
	assert_memory_equal(s.out, "\x05\x02\x00\x02", 4);
	s.outlen = 0;
	assert_int_equal(feed(&s, "\x05\x02", 2, &used), SOCKS5_MORE);
	assert_int_equal(s.outlen, 1 + 1 + 5 + 1 + 2);
	assert_memory_equal(s.out, "\x01\x05" "al\0ce" "\x02" "pw", 10);
	s.outlen = 0;
	assert_int_equal(feed(&s, "\x01\x00", 2, &used), SOCKS5_MORE);
	assert_int_equal(s.out[0], 5);
	assert_int_equal(s.out[1], 1);
	/* refused credentials */
	socks5_init(&s, "hub", 80, "u", 1, "p", 1);
	feed(&s, "\x05\x02", 2, &used);
	assert_int_equal(feed(&s, "\x01\x01", 2, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_AUTH);
	/* a proxy that wants credentials we do not have */
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	assert_int_equal(feed(&s, "\x05\xff", 2, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_NEED_AUTH);
	socks5_init(&s, "hub", 80, "u", 1, "p", 1);
	assert_int_equal(feed(&s, "\x05\xff", 2, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_NO_METHOD);
	/* fields too long or missing */
	memset(big, 'x', sizeof big);
	big[255] = '\0';
	assert_int_equal(socks5_init(&s, big, 80, NULL, 0, NULL, 0), 0);
	big[255] = 'x';
	assert_int_equal(socks5_init(&s, "hub", 80, big, 256, "p", 1), -1);
	assert_int_equal(socks5_init(&s, "hub", 80, "u", 1, NULL, 0), -1);
	assert_int_equal(socks5_init(&s, "", 80, NULL, 0, NULL, 0), -1);
	assert_int_equal(socks5_init(&s, "hub", 0, NULL, 0, NULL, 0), -1);
}

/* Refusals and replies that break the protocol. */
static void
test_socks5_refusals(void **state)
{
	/* RFC 1928's codes, an unknown one, and Tor's onion-service codes (ExtendedErrors) */
	static const int reps[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4,
		0xf5, 0xf6, 0xf7 };
	struct socks5 s;
	size_t used, i;

	(void)state;
	for (i = 0; i < sizeof reps / sizeof reps[0]; i++) {
		unsigned char r[10] = { 5, (unsigned char)reps[i], 0, 1 };

		socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
		feed(&s, "\x05\x00", 2, &used);
		assert_int_equal(feed(&s, r, sizeof r, &used), SOCKS5_FAIL);
		assert_int_equal(s.err, S5E_REPLY);
		assert_int_equal(s.rep, reps[i]);
		if (reps[i] >= 0xf0)   /* each in words of its own */
			assert_string_not_equal(socks5_reply_text(reps[i]), "unknown error");
	}
	assert_string_equal(socks5_reply_text(9), "unknown error");
	assert_string_equal(socks5_reply_text(5), "connection refused");
	assert_string_equal(socks5_reply_text(4), "host unreachable");
	assert_string_equal(socks5_reply_text(0xf6), "not a valid .onion address");
	/* a short refusal (2 bytes, then the proxy closes) is understood at once */
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(feed(&s, "\x05\x05", 2, &used), SOCKS5_FAIL);
	assert_int_equal(s.rep, 5);
	/* not SOCKS5: an HTTP proxy's answer, a SOCKS4 one */
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	assert_int_equal(feed(&s, "HTTP/1.1 400", 12, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_NOT_SOCKS5);
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	assert_int_equal(feed(&s, "\x00\x5a", 2, &used), SOCKS5_FAIL);
	/* a bad address type, a bad reserved byte, an unknown method */
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(feed(&s, "\x05\x00\x00\x09\x00", 5, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_MALFORMED);
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	feed(&s, "\x05\x00", 2, &used);
	assert_int_equal(feed(&s, "\x05\x00\x07\x01\0\0\0\0\0\0", 10, &used), SOCKS5_FAIL);
	socks5_init(&s, "hub", 80, NULL, 0, NULL, 0);
	assert_int_equal(feed(&s, "\x05\x03", 2, &used), SOCKS5_FAIL);
	assert_int_equal(s.err, S5E_MALFORMED);
}

/* The request, with and without credentials, for names and IPv6 addresses. */
static void
test_httpconnect_request(void **state)
{
	struct httpconnect h;

	(void)state;
	httpconnect_init(&h, "hub.example", 7450, NULL, NULL, "confab/1");
	assert_string_equal(h.out, "CONNECT hub.example:7450 HTTP/1.1\r\nHost: hub.example:7450"
	    "\r\nUser-Agent: confab/1\r\n\r\n");
	assert_int_equal(h.outlen, strlen(h.out));
	httpconnect_clear(&h);
	httpconnect_init(&h, "2001:db8::1", 443, "Aladdin", "open sesame", "confab/1");
	assert_non_null(strstr(h.out, "CONNECT [2001:db8::1]:443 HTTP/1.1\r\n"));
	assert_non_null(strstr(h.out, "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
	    "\r\n"));
	httpconnect_clear(&h);
	assert_null(h.out);
}

/* Answers: 200 (in pieces, with tunnel bytes after), 407, 403, not HTTP, too long. */
static void
test_httpconnect_answers(void **state)
{
	static const char ok[] = "HTTP/1.1 200 Connection established\r\nVia: x\r\n\r\nHELLO";
	struct httpconnect h;
	char big[HTTPCONNECT_MAX_HEAD + 10];
	size_t used;

	(void)state;
	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	assert_int_equal(httpconnect_input(&h, ok, 10, &used), HTTPC_MORE);
	assert_int_equal(used, 10);
	assert_int_equal(httpconnect_input(&h, ok + 10, strlen(ok) - 10, &used), HTTPC_DONE);
	assert_int_equal(used, strlen(ok) - 10 - 5);
	assert_int_equal(h.status, 200);
	assert_string_equal(h.reason, "Connection established");
	httpconnect_clear(&h);

	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	assert_int_equal(httpconnect_input(&h, "HTTP/1.0 407 Proxy Authentication Required\r\n"
	    "Proxy-Authenticate: Basic\r\n\r\n", 73, &used), HTTPC_FAIL);
	assert_int_equal(h.status, 407);
	assert_string_equal(h.reason, "Proxy Authentication Required");
	httpconnect_clear(&h);

	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	assert_int_equal(httpconnect_input(&h, "HTTP/1.1 403 Forbid\x1b" "den\n\n", 25, &used),
	    HTTPC_FAIL);
	assert_int_equal(h.status, 403);
	assert_string_equal(h.reason, "Forbid?den");
	httpconnect_clear(&h);

	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	assert_int_equal(httpconnect_input(&h, "\x05\xff", 2, &used), HTTPC_MORE);
	assert_int_equal(httpconnect_input(&h, "\x00\x00\x00", 3, &used), HTTPC_FAIL);
	assert_int_equal(h.status, 0);
	httpconnect_clear(&h);

	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	memcpy(big, "HTTP/1.1 200 OK\r\n", 17);
	memset(big + 17, 'a', sizeof big - 17);
	assert_int_equal(httpconnect_input(&h, big, sizeof big, &used), HTTPC_FAIL);
	assert_int_equal(h.status, 0);
	httpconnect_clear(&h);

	httpconnect_init(&h, "hub", 80, NULL, NULL, "t");
	assert_int_equal(httpconnect_input(&h, "HTTP/1.1 2x0 OK\r\n\r\n", 19, &used), HTTPC_FAIL);
	assert_int_equal(h.status, 0);
	httpconnect_clear(&h);
}

/* Proxy URLs: schemes, ports, credentials (percent-encoded), IPv6, errors. */
static void
test_proxyurl_parse(void **state)
{
	struct proxyurl p;
	char *cause = NULL;

	(void)state;
	assert_int_equal(proxyurl_parse("socks5h://127.0.0.1:9050", &p, &cause), 0);
	assert_int_equal(p.kind, PROXYURL_SOCKS5H);
	assert_string_equal(p.host, "127.0.0.1");
	assert_int_equal(p.port, 9050);
	assert_null(p.user);
	assert_string_equal(p.shown, "socks5h://127.0.0.1:9050");
	proxyurl_clear(&p);

	assert_int_equal(proxyurl_parse("HTTP://us%40er:p%3Aa:ss@proxy.example:3128/", &p,
	    &cause), 0);
	assert_int_equal(p.kind, PROXYURL_HTTP);
	assert_string_equal(p.user, "us@er");
	assert_string_equal(p.pass, "p:a:ss");
	assert_string_equal(p.host, "proxy.example");
	assert_int_equal(p.port, 3128);
	assert_null(strstr(p.shown, "ss"));
	proxyurl_clear(&p);

	assert_int_equal(proxyurl_parse("proxy.example", &p, &cause), 0);
	assert_int_equal(p.kind, PROXYURL_HTTP);
	assert_int_equal(p.port, PROXYURL_DEFAULT_PORT);
	proxyurl_clear(&p);

	assert_int_equal(proxyurl_parse("socks5://[::1]:1080", &p, &cause), 0);
	assert_int_equal(p.kind, PROXYURL_SOCKS5);
	assert_string_equal(p.host, "::1");
	assert_string_equal(p.shown, "socks5://[::1]:1080");
	proxyurl_clear(&p);

	assert_int_equal(proxyurl_parse("socks5h://tor:@127.0.0.1:9050", &p, &cause), 0);
	assert_string_equal(p.user, "tor");
	assert_string_equal(p.pass, "");
	proxyurl_clear(&p);

	assert_int_equal(proxyurl_parse("socks4://127.0.0.1:9050", &p, &cause), -1);
	assert_non_null(strstr(cause, "socks4://"));
	assert_non_null(strstr(cause, "socks5h://"));
	free(cause);
	assert_int_equal(proxyurl_parse("https://proxy:443", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://user:secret@host:99999", &p, &cause), -1);
	assert_null(strstr(cause, "secret"));
	free(cause);
	assert_int_equal(proxyurl_parse("http://host:12x", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://:80", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://h/path", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://a%zz@h:1", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://a%00b@h:1", &p, &cause), -1);
	free(cause);
	assert_int_equal(proxyurl_parse("http://[::1:80", &p, &cause), -1);
	free(cause);
}

/* The environment: which variable applies to ws:// and wss:// hubs. */
static void
test_proxyurl_env(void **state)
{
	const char *name = NULL;

	(void)state;
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("https_proxy");
	unsetenv("HTTPS_PROXY");
	unsetenv("all_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	assert_null(proxyurl_from_env(false, &name));
	assert_null(proxyurl_no_proxy_env());
	setenv("HTTP_PROXY", "http://upper:1", 1);
	assert_string_equal(proxyurl_from_env(false, &name), "http://upper:1");
	assert_string_equal(name, "HTTP_PROXY");
	assert_null(proxyurl_from_env(true, &name));
	setenv("http_proxy", "http://lower:1", 1);
	assert_string_equal(proxyurl_from_env(false, &name), "http://lower:1");
	assert_string_equal(name, "http_proxy");
	setenv("ALL_PROXY", "socks5h://all:1", 1);
	assert_string_equal(proxyurl_from_env(true, &name), "socks5h://all:1");
	assert_string_equal(name, "ALL_PROXY");
	setenv("https_proxy", "", 1);
	assert_string_equal(proxyurl_from_env(true, &name), "socks5h://all:1");
	setenv("HTTPS_PROXY", "http://secure:1", 1);
	assert_string_equal(proxyurl_from_env(true, &name), "http://secure:1");
	setenv("NO_PROXY", "a", 1);
	assert_string_equal(proxyurl_no_proxy_env(), "a");
	setenv("no_proxy", "b", 1);
	assert_string_equal(proxyurl_no_proxy_env(), "b");
	unsetenv("http_proxy");
	unsetenv("HTTP_PROXY");
	unsetenv("HTTPS_PROXY");
	unsetenv("https_proxy");
	unsetenv("ALL_PROXY");
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
}

/* no_proxy lists: names and domains, '*', addresses and ranges, ports, case, dots. */
static void
test_proxyurl_no_proxy(void **state)
{
	(void)state;
	assert_false(proxyurl_no_proxy_match(NULL, "hub.example", 80));
	assert_false(proxyurl_no_proxy_match("", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match("*", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match("example.org, hub.example", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match("example", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match(".example", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match(".example", "example", 80));
	assert_true(proxyurl_no_proxy_match("EXAMPLE.", "Hub.Example.", 80));
	assert_false(proxyurl_no_proxy_match("ample", "hub.example", 80));
	assert_false(proxyurl_no_proxy_match("hub.example.org", "hub.example", 80));
	assert_false(proxyurl_no_proxy_match("*.example", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match("a b\thub.example", "hub.example", 80));
	assert_true(proxyurl_no_proxy_match("hub.example:7450", "hub.example", 7450));
	assert_false(proxyurl_no_proxy_match("hub.example:7450", "hub.example", 443));
	assert_true(proxyurl_no_proxy_match("192.0.2.7", "192.0.2.7", 80));
	assert_false(proxyurl_no_proxy_match("192.0.2.7", "192.0.2.8", 80));
	assert_true(proxyurl_no_proxy_match("10.0.0.0/8", "10.20.30.40", 80));
	assert_false(proxyurl_no_proxy_match("10.0.0.0/8", "11.0.0.1", 80));
	assert_true(proxyurl_no_proxy_match("192.0.2.0/25", "192.0.2.127", 80));
	assert_false(proxyurl_no_proxy_match("192.0.2.0/25", "192.0.2.128", 80));
	assert_true(proxyurl_no_proxy_match("0.0.0.0/0", "203.0.113.1", 80));
	assert_true(proxyurl_no_proxy_match("2001:db8::/32", "2001:db8:1::5", 80));
	assert_true(proxyurl_no_proxy_match("[2001:db8::5]", "2001:db8::5", 80));
	assert_false(proxyurl_no_proxy_match("2001:db8::/32", "2001:db9::5", 80));
	assert_false(proxyurl_no_proxy_match("10.0.0.0/8", "ten.example", 80));
	assert_false(proxyurl_no_proxy_match("10.0.0.0/33", "10.0.0.1", 80));
}

/* Loopback: never proxied. */
static void
test_proxyurl_loopback(void **state)
{
	(void)state;
	assert_true(proxyurl_is_loopback("localhost"));
	assert_true(proxyurl_is_loopback("LOCALHOST."));
	assert_true(proxyurl_is_loopback("hub.localhost"));
	assert_true(proxyurl_is_loopback("127.0.0.1"));
	assert_true(proxyurl_is_loopback("127.12.34.56"));
	assert_true(proxyurl_is_loopback("::1"));
	assert_true(proxyurl_is_loopback("[::1]"));
	assert_true(proxyurl_is_loopback("::ffff:127.0.0.1"));
	assert_true(proxyurl_is_loopback("0.0.0.0"));
	assert_true(proxyurl_is_loopback("::"));
	assert_false(proxyurl_is_loopback("128.0.0.1"));
	assert_false(proxyurl_is_loopback("localhost.example"));
	assert_false(proxyurl_is_loopback("mylocalhost"));
	assert_false(proxyurl_is_loopback("hubxyz.onion"));
	assert_false(proxyurl_is_loopback("::2"));
	assert_false(proxyurl_is_loopback("0.0.0.1"));
}

/* The lines a managed transport writes. */
static void
test_ptline_parse(void **state)
{
	struct ptline l;

	(void)state;
	ptline_parse("VERSION 1", &l);
	assert_int_equal(l.kind, PTL_VERSION);
	assert_string_equal(l.message, "1");
	ptline_parse("CMETHOD obfs4 socks5 127.0.0.1:37347\r", &l);
	assert_int_equal(l.kind, PTL_CMETHOD);
	assert_string_equal(l.transport, "obfs4");
	assert_string_equal(l.protocol, "socks5");
	assert_string_equal(l.host, "127.0.0.1");
	assert_int_equal(l.port, 37347);
	ptline_parse("CMETHOD meek_lite socks5 [::1]:9", &l);
	assert_int_equal(l.kind, PTL_CMETHOD);
	assert_string_equal(l.host, "::1");
	assert_int_equal(l.port, 9);
	ptline_parse("CMETHODS DONE", &l);
	assert_int_equal(l.kind, PTL_CMETHODS_DONE);
	ptline_parse("CMETHOD-ERROR obfs4 no rocks available", &l);
	assert_int_equal(l.kind, PTL_CMETHOD_ERROR);
	assert_string_equal(l.transport, "obfs4");
	assert_string_equal(l.message, "no rocks available");
	ptline_parse("VERSION-ERROR no-version", &l);
	assert_int_equal(l.kind, PTL_VERSION_ERROR);
	assert_string_equal(l.message, "no-version");
	ptline_parse("ENV-ERROR No TOR_PT_STATE_LOCATION", &l);
	assert_int_equal(l.kind, PTL_ENV_ERROR);
	assert_string_equal(l.message, "No TOR_PT_STATE_LOCATION");
	ptline_parse("PROXY DONE", &l);
	assert_int_equal(l.kind, PTL_PROXY_DONE);
	ptline_parse("PROXY-ERROR SOCKS 4 upstream proxies unsupported.", &l);
	assert_int_equal(l.kind, PTL_PROXY_ERROR);
	ptline_parse("LOG SEVERITY=notice MESSAGE=\"hi\"", &l);
	assert_int_equal(l.kind, PTL_LOG);
	ptline_parse("STATUS TRANSPORT=obfs4 CONNECT=Success", &l);
	assert_int_equal(l.kind, PTL_STATUS);
	/* unknown keywords are ignored; broken known ones are bad */
	ptline_parse("SMETHOD obfs4 1.2.3.4:5", &l);
	assert_int_equal(l.kind, PTL_UNKNOWN);
	ptline_parse("", &l);
	assert_int_equal(l.kind, PTL_UNKNOWN);
	ptline_parse("CMETHODS", &l);
	assert_int_equal(l.kind, PTL_UNKNOWN);
	ptline_parse("CMETHOD obfs4 socks5", &l);
	assert_int_equal(l.kind, PTL_BAD);
	ptline_parse("CMETHOD obfs4 socks5 127.0.0.1", &l);
	assert_int_equal(l.kind, PTL_BAD);
	ptline_parse("CMETHOD obfs4 socks5 127.0.0.1:0", &l);
	assert_int_equal(l.kind, PTL_BAD);
	ptline_parse("CMETHOD 4bad socks5 127.0.0.1:1", &l);
	assert_int_equal(l.kind, PTL_BAD);
	ptline_parse("CMETHOD-ERROR", &l);
	assert_int_equal(l.kind, PTL_BAD);
	assert_true(ptline_transport_ok("obfs4"));
	assert_true(ptline_transport_ok("_x9"));
	assert_false(ptline_transport_ok("9x"));
	assert_false(ptline_transport_ok("a-b"));
	assert_false(ptline_transport_ok(""));
}

/* Bridge lines in the forms people paste. */
static void
test_ptline_bridge(void **state)
{
	struct ptbridge b;
	char *cause = NULL;

	(void)state;
	assert_int_equal(ptline_bridge_parse("203.0.113.7:443 cert=AbC+/9 iat-mode=0", &b,
	    &cause), 0);
	assert_null(b.transport);
	assert_string_equal(b.host, "203.0.113.7");
	assert_int_equal(b.port, 443);
	assert_null(b.fingerprint);
	assert_string_equal(b.args, "cert=AbC+/9;iat-mode=0");
	ptline_bridge_clear(&b);

	assert_int_equal(ptline_bridge_parse("Bridge obfs4 [2001:db8::7]:9001 "
	    "4352E58420E68F5E40BF7C74FADDCCD9D1349413 cert=x iat-mode=1", &b, &cause), 0);
	assert_string_equal(b.transport, "obfs4");
	assert_string_equal(b.host, "2001:db8::7");
	assert_int_equal(b.port, 9001);
	assert_string_equal(b.fingerprint, "4352E58420E68F5E40BF7C74FADDCCD9D1349413");
	assert_string_equal(b.args, "cert=x;iat-mode=1");
	ptline_bridge_clear(&b);

	/* the spec's escaping: '\', '=' and ';' in keys and values */
	assert_int_equal(ptline_bridge_parse("h:1 shared-secret=ra;h=a\\ a=", &b, &cause), 0);
	assert_string_equal(b.args, "shared-secret=ra\\;h\\=a\\\\;a=");
	ptline_bridge_clear(&b);

	assert_int_equal(ptline_bridge_parse("obfs4 hub.example:80", &b, &cause), 0);
	assert_string_equal(b.args, "");
	ptline_bridge_clear(&b);

	assert_int_equal(ptline_bridge_parse("", &b, &cause), -1);
	free(cause);
	assert_int_equal(ptline_bridge_parse("obfs4", &b, &cause), -1);
	free(cause);
	assert_int_equal(ptline_bridge_parse("203.0.113.7 cert=x", &b, &cause), -1);
	assert_non_null(strstr(cause, "ADDRESS:PORT"));
	free(cause);
	assert_int_equal(ptline_bridge_parse("203.0.113.7:0 cert=x", &b, &cause), -1);
	free(cause);
	assert_int_equal(ptline_bridge_parse("1.2.3.4:5 cert", &b, &cause), -1);
	assert_non_null(strstr(cause, "KEY=VALUE"));
	free(cause);
	assert_int_equal(ptline_bridge_parse("ob-fs4 1.2.3.4:5", &b, &cause), -1);
	free(cause);
	assert_int_equal(ptline_bridge_parse("2001:db8::7:443 cert=x", &b, &cause), -1);
	free(cause);
}

/* The arguments in the SOCKS5 user name and password, as the spec's section 3.5 says. */
static void
test_ptline_socks_auth(void **state)
{
	struct ptbridge b;
	const char *user, *pass;
	size_t ulen, plen;
	char *cause = NULL, line[700], *p;

	(void)state;
	assert_int_equal(ptline_bridge_parse("1.2.3.4:5 cert=abc iat-mode=0", &b, &cause), 0);
	ptline_socks_auth(&b, &user, &ulen, &pass, &plen);
	assert_int_equal(ulen, strlen("cert=abc;iat-mode=0"));
	assert_memory_equal(user, "cert=abc;iat-mode=0", ulen);
	assert_int_equal(plen, 1);
	assert_int_equal(pass[0], '\0');
	ptline_bridge_clear(&b);

	assert_int_equal(ptline_bridge_parse("1.2.3.4:5", &b, &cause), 0);
	ptline_socks_auth(&b, &user, &ulen, &pass, &plen);
	assert_int_equal(ulen, 0);
	assert_int_equal(plen, 0);
	ptline_bridge_clear(&b);

	/* 300 bytes of arguments: 255 in the user name, the rest in the password */
	p = line + sprintf(line, "1.2.3.4:5 k=");
	memset(p, 'v', 298);
	p[298] = '\0';
	assert_int_equal(ptline_bridge_parse(line, &b, &cause), 0);
	ptline_socks_auth(&b, &user, &ulen, &pass, &plen);
	assert_int_equal(ulen, 255);
	assert_int_equal(plen, 300 - 255);
	assert_memory_equal(pass, b.args + 255, plen);
	ptline_bridge_clear(&b);

	/* more than 510 bytes cannot be carried */
	p = line + sprintf(line, "1.2.3.4:5 k=");
	memset(p, 'v', 600);
	p[600] = '\0';
	assert_int_equal(ptline_bridge_parse(line, &b, &cause), -1);
	assert_non_null(strstr(cause, "510"));
	free(cause);
}

/* base64 (padded for Basic credentials, unpadded for obfs4 certificates) and hex. */
static void
test_base64(void **state)
{
	unsigned char out[4];
	char *s;

	(void)state;
	s = base64_encode("", 0, true);
	assert_string_equal(s, "");
	free(s);
	s = base64_encode("f", 1, true);
	assert_string_equal(s, "Zg==");
	free(s);
	s = base64_encode("fo", 2, true);
	assert_string_equal(s, "Zm8=");
	free(s);
	s = base64_encode("foo", 3, true);
	assert_string_equal(s, "Zm9v");
	free(s);
	s = base64_encode("foob", 4, false);
	assert_string_equal(s, "Zm9vYg");
	free(s);
	s = base64_encode("\xfa\x15\xfc", 3, false);
	assert_string_equal(s, "+hX8");
	free(s);
	assert_int_equal(base64_hex_decode("fa15FC00", out, 4), 0);
	assert_int_equal(out[0], 0xfa);
	assert_int_equal(out[2], 0xfc);
	assert_int_equal(base64_hex_decode("fa15fc0", out, 4), -1);
	assert_int_equal(base64_hex_decode("fa15fcxx", out, 4), -1);
	assert_int_equal(base64_hex_digit('G'), -1);
}

/* Runs the tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socks5_domain),
		cmocka_unit_test(test_socks5_addresses),
		cmocka_unit_test(test_socks5_auth),
		cmocka_unit_test(test_socks5_refusals),
		cmocka_unit_test(test_httpconnect_request),
		cmocka_unit_test(test_httpconnect_answers),
		cmocka_unit_test(test_proxyurl_parse),
		cmocka_unit_test(test_proxyurl_env),
		cmocka_unit_test(test_proxyurl_no_proxy),
		cmocka_unit_test(test_proxyurl_loopback),
		cmocka_unit_test(test_ptline_parse),
		cmocka_unit_test(test_ptline_bridge),
		cmocka_unit_test(test_ptline_socks_auth),
		cmocka_unit_test(test_base64),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
