/* proxyurl.c: proxy URLs, the proxy environment variables, no_proxy lists and loopback. */
#include "util/i18n.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/proxyurl.h"
#include "util/base64.h"
#include "util/xalloc.h"

/* Frees p's strings. */
void
proxyurl_clear(struct proxyurl *p)
{
	free(p->host);
	free(p->user);
	if (p->pass != NULL)
		explicit_bzero(p->pass, strlen(p->pass));
	free(p->pass);
	free(p->shown);
	memset(p, 0, sizeof *p);
}

/* s[0..n) percent-decoded: a new string, or NULL when it decodes to a NUL or has a bad
 * escape. */
static char *
proxyurl_decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			*o++ = s[i];
			continue;
		}
		if (i + 2 >= n)
			goto bad;
		hi = base64_hex_digit(s[i + 1]);
		lo = base64_hex_digit(s[i + 2]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			goto bad;
		*o++ = (char)(hi << 4 | lo);
		i += 2;
	}
	*o = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

/* Parses the credentials "USER[:PASSWORD]" of s[0..n). Returns 0 or -1. */
static int
proxyurl_userinfo(const char *s, size_t n, struct proxyurl *p)
{
	const char *colon = memchr(s, ':', n);
	size_t ulen = colon != NULL ? (size_t)(colon - s) : n;

	p->user = proxyurl_decode(s, ulen);
	p->pass = colon != NULL ? proxyurl_decode(colon + 1, n - ulen - 1) : xstrdup("");
	if (p->user == NULL || p->pass == NULL || p->user[0] == '\0')
		return -1;
	return 0;
}

/* Parses a proxy URL. */
int
proxyurl_parse(const char *s, struct proxyurl *p, char **cause)
{
	const char *rest = s, *at, *hs, *he, *ps, *end;
	static const char *const kinds[] = { "", "http", "socks5", "socks5h" };
	long port = PROXYURL_DEFAULT_PORT;
	char *e;

	memset(p, 0, sizeof *p);
	p->kind = PROXYURL_HTTP;
	if (strstr(s, "://") != NULL) {
		if (strncasecmp(s, "http://", 7) == 0)
			rest = s + 7;
		else if (strncasecmp(s, "socks5h://", 10) == 0) {
			p->kind = PROXYURL_SOCKS5H;
			rest = s + 10;
		} else if (strncasecmp(s, "socks5://", 9) == 0) {
			p->kind = PROXYURL_SOCKS5;
			rest = s + 9;
		} else {
			*cause = xasprintf(_("proxy \"%.*s\": this kind of proxy is not supported: "
			    "use http://HOST:PORT (HTTP CONNECT), socks5h://HOST:PORT (SOCKS5, names "
			    "resolved by the proxy, as Tor wants) or socks5://HOST:PORT"),
			    (int)(strstr(s, "://") - s + 3), s);
			return -1;
		}
	}
	end = rest + strcspn(rest, "/?#");
	if (*end != '\0' && strcmp(end, "/") != 0)
		goto bad;
	at = NULL;
	for (hs = rest; hs < end; hs++)
		if (*hs == '@')
			at = hs;
	if (at != NULL) {
		if (proxyurl_userinfo(rest, (size_t)(at - rest), p) != 0)
			goto bad;
		rest = at + 1;
	}
	if (*rest == '[') {
		hs = rest + 1;
		he = memchr(hs, ']', (size_t)(end - hs));
		if (he == NULL)
			goto bad;
		ps = he + 1;
	} else {
		hs = rest;
		he = memchr(hs, ':', (size_t)(end - hs));
		if (he == NULL)
			he = end;
		ps = he;
	}
	if (he == hs || he - hs > 253)
		goto bad;
	for (at = hs; at < he; at++)
		if (!isalnum((unsigned char)*at) && strchr(".-_:", *at) == NULL)
			goto bad;
	if (ps < end) {
		if (*ps != ':' || !isdigit((unsigned char)ps[1]))
			goto bad;
		port = strtol(ps + 1, &e, 10);
		if (e != end || port < 1 || port > 65535)
			goto bad;
	}
	p->host = xstrndup(hs, (size_t)(he - hs));
	p->port = (int)port;
	p->shown = xasprintf(strchr(p->host, ':') != NULL ? "%s://[%s]:%d" : "%s://%s:%d",
	    kinds[p->kind], p->host, p->port);
	return 0;
bad:
	proxyurl_clear(p);
	/* never repeat a password in a message */
	*cause = xasprintf(_("bad proxy address \"%s\": expected http://HOST:PORT, "
	    "socks5h://HOST:PORT or socks5://HOST:PORT (with USER:PASSWORD@ before HOST if the "
	    "proxy wants them)"), strchr(s, '@') != NULL ? "...@..." : s);
	return -1;
}

/* The first of the named environment variables that is set and not empty. */
static const char *
proxyurl_getenv(const char *const *names, const char **name)
{
	const char *v;

	for (; *names != NULL; names++) {
		v = getenv(*names);
		if (v != NULL && *v != '\0') {
			if (name != NULL)
				*name = *names;
			return v;
		}
	}
	return NULL;
}

/* The proxy variable that applies. */
const char *
proxyurl_from_env(bool tls, const char **name)
{
	static const char *const https[] = { "https_proxy", "HTTPS_PROXY", "all_proxy",
	    "ALL_PROXY", NULL };
	static const char *const http[] = { "http_proxy", "HTTP_PROXY", "all_proxy",
	    "ALL_PROXY", NULL };

	return proxyurl_getenv(tls ? https : http, name);
}

/* The no_proxy list. */
const char *
proxyurl_no_proxy_env(void)
{
	static const char *const names[] = { "no_proxy", "NO_PROXY", NULL };

	return proxyurl_getenv(names, NULL);
}

/* Parses an IPv4 or IPv6 address (brackets allowed) into out (16 bytes: IPv4 as
 * IPv4-mapped); returns 4 or 6, or 0 when it is not one. */
static int
proxyurl_ip(const char *s, size_t n, unsigned char out[16])
{
	char buf[64];
	struct in_addr a4;

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		memset(out, 0, 10);
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &a4, 4);
		return 4;
	}
	if (inet_pton(AF_INET6, buf, out) == 1)
		return 6;
	return 0;
}

/* True when the first bits of a and b agree. */
static bool
proxyurl_prefix(const unsigned char *a, const unsigned char *b, int bits)
{
	int i;

	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a[i] != b[i])
			return false;
	return bits == 0 || ((a[i] ^ b[i]) & (0xff << (8 - bits)) & 0xff) == 0;
}

/* True when one no_proxy entry e[0..n) matches host (hlen bytes, final dot removed). */
static bool
proxyurl_entry_match(const char *e, size_t n, const char *host, size_t hlen, int port)
{
	unsigned char ea[16], ha[16];
	const char *slash = memchr(e, '/', n), *colon;
	int fam, bits;
	char *end;
	long p;

	if (n == 1 && e[0] == '*')
		return true;
	fam = proxyurl_ip(e, slash != NULL ? (size_t)(slash - e) : n, ea);
	if (fam != 0) {
		if (proxyurl_ip(host, hlen, ha) == 0)
			return false;
		bits = 128;
		if (slash != NULL) {
			p = strtol(slash + 1, &end, 10);
			if (end != e + n || p < 0 || p > (fam == 4 ? 32 : 128))
				return false;
			bits = (int)p + (fam == 4 ? 96 : 0);
		}
		return proxyurl_prefix(ea, ha, bits);
	}
	colon = memchr(e, ':', n);
	if (colon != NULL) {
		p = strtol(colon + 1, &end, 10);
		if (end != e + n || p != port)
			return false;
		n = (size_t)(colon - e);
	}
	while (n > 0 && e[0] == '.') {
		e++;
		n--;
	}
	if (n > 0 && e[n - 1] == '.')
		n--;
	if (n == 0 || n > hlen)
		return false;
	if (strncasecmp(host + hlen - n, e, n) != 0)
		return false;
	return n == hlen || host[hlen - n - 1] == '.';
}

/* True when host is in the no_proxy list. */
bool
proxyurl_no_proxy_match(const char *list, const char *host, int port)
{
	const char *p = list, *start;
	size_t hlen = strlen(host);

	if (list == NULL)
		return false;
	if (hlen > 0 && host[hlen - 1] == '.')
		hlen--;
	while (*p != '\0') {
		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		start = p;
		while (*p != '\0' && *p != ',' && !isspace((unsigned char)*p))
			p++;
		if (p > start && proxyurl_entry_match(start, (size_t)(p - start), host, hlen, port))
			return true;
	}
	return false;
}

/* True when host is this machine. */
bool
proxyurl_is_loopback(const char *host)
{
	static const unsigned char v6loop[16] = { [15] = 1 }, any[16] = { 0 };
	unsigned char a[16];
	size_t n = strlen(host);
	int fam;

	if (n > 0 && host[n - 1] == '.')
		n--;
	if ((n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (n > 10 && strncasecmp(host + n - 10, ".localhost", 10) == 0))
		return true;
	fam = proxyurl_ip(host, n, a);
	if (fam == 0)
		return false;
	if (memcmp(a, v6loop, 16) == 0 || memcmp(a, any, 16) == 0)
		return true;
	/* IPv4 (and IPv4-mapped): 127.0.0.0/8 and 0.0.0.0 */
	return a[10] == 0xff && a[11] == 0xff && memcmp(a, any, 10) == 0 &&
	    (a[12] == 127 || (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 0));
}
