/* proxy.h: which HTTP proxy a link to a hub goes through, chosen from the environment as
 * people set it for curl and wget.
 *
 * ws:// hubs: http_proxy, else HTTP_PROXY; wss:// hubs: https_proxy, else HTTPS_PROXY
 * (an empty value counts as unset). The value is [http://][USER[:PASSWORD]@]HOST[:PORT][/]
 * (port 1080 when none is given, as curl does); another scheme (socks5://, https://) is an
 * error rather than a silent direct link, which could bypass what the user relies on the
 * proxy for. no_proxy (else NO_PROXY) lists hubs reached directly: names (a name matches
 * itself and its subdomains, a leading dot is ignored), addresses, address/bits prefixes,
 * or * for all. A loopback hub (localhost, 127.0.0.0/8, ::1) is never proxied. The link
 * then tunnels through the proxy with HTTP CONNECT (lws, see ui/main.c). Pure: no I/O. */
#ifndef CONFAB_PROXY_H
#define CONFAB_PROXY_H

#include <stdbool.h>

/* A proxy chosen for a hub. */
struct proxy_choice {
	char *lws;        /* for lws_set_proxy: "[USER:PASSWORD@]HOST:PORT" ("[v6]:PORT");
	                   * NULL: connect directly */
	char *shown;      /* "HOST:PORT", without credentials, for people */
	const char *var;  /* the variable it came from (static) */
};

/* Chooses the proxy for a hub on host (a name, or an address without brackets; tls:
 * wss://), reading variables through get (getenv; tests give their own). Returns 0 with
 * ch filled (ch->lws NULL: no proxy), or -1 with *cause set to a new, translated message
 * that names the variable (never its password). Free ch with proxy_choice_clear. */
int proxy_choose(const char *host, bool tls, char *(*get)(const char *),
    struct proxy_choice *ch, char **cause);
void proxy_choice_clear(struct proxy_choice *ch);

/* True for a loopback host: localhost (and NAME.localhost), 127.0.0.0/8, ::1, and
 * 127.0.0.0/8 mapped into IPv6. */
bool proxy_is_loopback(const char *host);
/* True when the no_proxy list (commas or white space between entries) names host. */
bool proxy_no_proxy_match(const char *list, const char *host);

#endif
