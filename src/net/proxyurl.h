/* proxyurl.h: proxy settings as people write them: a proxy URL (--proxy, the config
 * file's proxy, or the https_proxy/http_proxy/all_proxy environment variables), no_proxy
 * lists, and the rule that loopback is never proxied. No sockets, no lws.
 *
 *   http://[USER:PASSWORD@]HOST[:PORT]     HTTP CONNECT (the default scheme; port 1080)
 *   socks5h://[USER:PASSWORD@]HOST[:PORT]  SOCKS5, the hub's name resolved by the proxy
 *                                          (Tor: socks5h://127.0.0.1:9050; .onion hubs)
 *   socks5://...                           SOCKS5, the name resolved here
 * USER and PASSWORD may be percent-encoded (%40 for '@'). HOST may be an IPv6 address in
 * brackets. Other schemes (https://, socks4://) are refused with a message that says
 * which ones work. */
#ifndef CONFAB_PROXYURL_H
#define CONFAB_PROXYURL_H

#include <stdbool.h>

#define PROXYURL_DEFAULT_PORT 1080

enum proxyurl_kind { PROXYURL_HTTP = 1, PROXYURL_SOCKS5, PROXYURL_SOCKS5H };

/* A parsed proxy address. Strings are owned (freed by proxyurl_clear). */
struct proxyurl {
	enum proxyurl_kind kind;
	char *host;          /* without brackets */
	int port;
	char *user, *pass;   /* decoded; NULL when the URL gives none */
	char *shown;         /* SCHEME://HOST:PORT, without credentials: for messages */
};

/* Parses s into p. Returns 0, or -1 with *cause set to a new, translated message. */
int proxyurl_parse(const char *s, struct proxyurl *p, char **cause);
/* Frees p's strings (the password wiped first). Safe on a zeroed struct. */
void proxyurl_clear(struct proxyurl *p);

/* The proxy the environment asks for, for a hub reached with TLS (wss://: https_proxy,
 * HTTPS_PROXY) or without (ws://: http_proxy, HTTP_PROXY), then all_proxy, ALL_PROXY: the
 * first one set and not empty (borrowed from the environment), or NULL; *name gets the
 * variable's name. */
const char *proxyurl_from_env(bool tls, const char **name);

/* True when host (port) is in list, a no_proxy value: names or addresses separated by
 * commas or spaces; "*" matches every host; "example.org" and ".example.org" match that
 * name and every name below it; an address matches itself, and ADDRESS/BITS a range
 * (IPv4 or IPv6); NAME:PORT only that port. Case and a final dot do not matter. */
bool proxyurl_no_proxy_match(const char *list, const char *host, int port);

/* The no_proxy list of the environment (no_proxy, else NO_PROXY; borrowed) or NULL. */
const char *proxyurl_no_proxy_env(void);

/* True when host names this machine: localhost and names under .localhost, 127.0.0.0/8,
 * ::1 (also IPv4-mapped) and 0.0.0.0 / ::. Such hubs are never reached through a proxy. */
bool proxyurl_is_loopback(const char *host);

#endif
