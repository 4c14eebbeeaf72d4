/* proxy.c: the HTTP proxy for a hub, from http_proxy, HTTPS_PROXY, no_proxy and their
 * kin (see proxy.h). */
#include "util/i18n.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/proxy.h"
#include "util/xalloc.h"

#define PROXY_DEFAULT_PORT 1080
#define PROXY_MAX_HOST 120   /* lws keeps the proxy's address in 128 bytes */
#define PROXY_MAX_AUTH 90    /* ... and USER:PASSWORD in under 96 */

/* An address in either family, for comparing prefixes. */
struct proxy_addr {
	int family;                 /* AF_INET or AF_INET6; 0: not an address */
	unsigned char b[16];
};

/* Reads an IPv4 or IPv6 address (IPv6 with or without brackets). */
static struct proxy_addr
proxy_addr_parse(const char *s, size_t n)
{
	struct proxy_addr a;
	char buf[64];

	memset(&a, 0, sizeof a);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof buf)
		return a;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a.b) == 1)
		a.family = AF_INET;
	else if (inet_pton(AF_INET6, buf, a.b) == 1)
		a.family = AF_INET6;
	return a;
}

/* True when the first bits bits of a and b are equal (same family). */
static bool
proxy_addr_prefix(const struct proxy_addr *a, const struct proxy_addr *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	unsigned char mask;

	if (a->family == 0 || a->family != b->family)
		return false;
	if (memcmp(a->b, b->b, whole) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (unsigned char)(0xff << (8 - rest));
	return (a->b[whole] & mask) == (b->b[whole] & mask);
}

bool
proxy_is_loopback(const char *host)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	struct proxy_addr a;
	size_t n = strlen(host);

	if (n > 0 && host[n - 1] == '.')
		n--;                    /* "localhost." is localhost */
	if ((n == 9 && strncasecmp(host, "localhost", 9) == 0) ||
	    (n > 10 && strncasecmp(host + n - 10, ".localhost", 10) == 0))
		return true;
	a = proxy_addr_parse(host, strlen(host));
	if (a.family == AF_INET)
		return a.b[0] == 127;
	if (a.family == AF_INET6) {
		static const unsigned char one[16] = { [15] = 1 };

		return memcmp(a.b, one, 16) == 0 ||
		    (memcmp(a.b, mapped, 12) == 0 && a.b[12] == 127);
	}
	return false;
}

/* True when one no_proxy entry (n bytes at e, trimmed, not empty) names host. */
static bool
proxy_entry_match(const char *e, size_t n, const char *host)
{
	struct proxy_addr ha, ea;
	const char *slash = memchr(e, '/', n);
	size_t hn = strlen(host);

	if (n == 1 && e[0] == '*')
		return true;
	ha = proxy_addr_parse(host, hn);
	if (slash != NULL) {
		char *end;
		unsigned long bits;
		char num[8];
		size_t nn = n - (size_t)(slash - e) - 1;

		if (nn == 0 || nn >= sizeof num)
			return false;
		memcpy(num, slash + 1, nn);
		num[nn] = '\0';
		bits = strtoul(num, &end, 10);
		ea = proxy_addr_parse(e, (size_t)(slash - e));
		if (*end != '\0' || !isdigit((unsigned char)num[0]) ||
		    bits > (ea.family == AF_INET ? 32u : 128u))
			return false;
		return proxy_addr_prefix(&ha, &ea, (unsigned)bits);
	}
	ea = proxy_addr_parse(e, n);
	if (ea.family != 0 || ha.family != 0)
		return proxy_addr_prefix(&ha, &ea, ea.family == AF_INET ? 32 : 128);
	if (e[0] == '.') {
		e++;
		n--;
	}
	if (hn > 0 && host[hn - 1] == '.')
		hn--;
	if (n > 0 && e[n - 1] == '.')
		n--;
	if (n == 0 || hn < n || strncasecmp(host + hn - n, e, n) != 0)
		return false;
	return hn == n || host[hn - n - 1] == '.';
}

bool
proxy_no_proxy_match(const char *list, const char *host)
{
	const char *p = list;

	while (*p != '\0') {
		size_t n;

		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		n = 0;
		while (p[n] != '\0' && p[n] != ',' && !isspace((unsigned char)p[n]))
			n++;
		if (n > 0 && proxy_entry_match(p, n, host))
			return true;
		p += n;
	}
	return false;
}

/* The first of two variables that is set and not empty (NULL if neither). */
static const char *
proxy_var(char *(*get)(const char *), const char *a, const char *b, const char **name)
{
	const char *v = get(a);

	*name = a;
	if (v == NULL || *v == '\0') {
		v = get(b);
		*name = b;
	}
	return v != NULL && *v != '\0' ? v : NULL;
}

/* Reads a proxy's value ([http://][USERINFO@]HOST[:PORT][/...]) into ch. */
static int
proxy_parse(const char *v, const char *var, struct proxy_choice *ch, char **cause)
{
	const char *p = v, *sep, *at, *hs, *he, *end;
	unsigned long port = PROXY_DEFAULT_PORT;
	size_t hn, an = 0;
	char *host;

	sep = strstr(p, "://");
	if (sep != NULL) {
		if ((size_t)(sep - p) != 4 || strncasecmp(p, "http", 4) != 0) {
			*cause = xasprintf(_("%s: confab can use only an http:// proxy, not %.*s:// "
			    "(unset %s, or name the hub in no_proxy)"), var,
			    (int)(sep - p > 16 ? 16 : sep - p), p, var);
			return -1;
		}
		p = sep + 3;
	}
	end = p + strcspn(p, "/?#");
	at = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			at = q;
	if (at != NULL) {
		an = (size_t)(at - p);
		hs = at + 1;
	} else
		hs = p;
	if (*hs == '[') {
		he = memchr(hs, ']', (size_t)(end - hs));
		if (he == NULL)
			goto bad;
		he++;
	} else
		for (he = hs; he < end && *he != ':'; he++)
			;
	hn = (size_t)(he - hs);
	if (hn == 0 || hn > PROXY_MAX_HOST || an > PROXY_MAX_AUTH)
		goto bad;
	if (he < end && *he == ':') {
		char num[8];
		size_t nn = (size_t)(end - he - 1);
		char *e;

		if (nn == 0 || nn >= sizeof num)
			goto bad;
		memcpy(num, he + 1, nn);
		num[nn] = '\0';
		port = strtoul(num, &e, 10);
		if (*e != '\0' || !isdigit((unsigned char)num[0]) || port == 0 || port > 65535)
			goto bad;
	} else if (he != end)
		goto bad;
	host = xstrndup(hs, hn);
	if (strchr(host, ':') != NULL && host[0] != '[') {
		free(host);
		goto bad;
	}
	ch->shown = xasprintf("%s:%lu", host, port);
	ch->lws = an > 0 ? xasprintf("%.*s@%s:%lu", (int)an, p, host, port) : xstrdup(ch->shown);
	ch->var = var;
	free(host);
	return 0;
bad:
	*cause = xasprintf(_("%s: cannot read the proxy's address: expected "
	    "http://HOST:PORT (unset %s, or name the hub in no_proxy)"), var, var);
	return -1;
}

int
proxy_choose(const char *host, bool tls, char *(*get)(const char *),
    struct proxy_choice *ch, char **cause)
{
	const char *v, *var, *list, *lvar;

	memset(ch, 0, sizeof *ch);
	if (proxy_is_loopback(host))
		return 0;
	v = tls ? proxy_var(get, "https_proxy", "HTTPS_PROXY", &var) :
	    proxy_var(get, "http_proxy", "HTTP_PROXY", &var);
	if (v == NULL)
		return 0;
	list = proxy_var(get, "no_proxy", "NO_PROXY", &lvar);
	if (list != NULL && proxy_no_proxy_match(list, host))
		return 0;
	return proxy_parse(v, var, ch, cause);
}

void
proxy_choice_clear(struct proxy_choice *ch)
{
	free(ch->lws);
	free(ch->shown);
	memset(ch, 0, sizeof *ch);
}
