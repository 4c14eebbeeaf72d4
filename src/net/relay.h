/* relay.h: tunnels to the hub through a proxy or a transport's SOCKS5 port, inside the
 * client's lws loop.
 *
 * lws 4.1.6 as packaged has no SOCKS5, and its HTTP proxying is one per vhost, blind to
 * no_proxy and loopback. So confab gives lws a plain stream to a relay in the same
 * process and loop instead: a Unix socket in a private directory (0700), whose
 * connections are accepted only from this very process (SO_PEERCRED). relay_open() first
 * connects to the proxy (an lws raw client) and does the SOCKS5 (socks5.c) or HTTP
 * CONNECT (httpconnect.c) handshake; once the tunnel is up it calls back with the address
 * for lws ("+/path/relay.sock"), and the connection lws then makes is spliced to the
 * tunnel byte for byte. lws speaks WebSocket, and TLS for wss://, over it: the hub's
 * certificate is checked for the hub's name, never the proxy's.
 *
 * Failures come back as a struct relay_failure (what went wrong where) for the caller to
 * put in words that fit (a proxy, Tor, a transport and its bridge). The TCP counters of
 * the connection to the proxy stand in for those of the hub link in /stats. */
#ifndef CONFAB_RELAY_H
#define CONFAB_RELAY_H

#include <libwebsockets.h>
#include <stddef.h>
#include <stdint.h>

#define RELAY_PROTOCOL_NAME "confab-relay"
#define RELAY_HANDSHAKE_MS 30000    /* a proxy that has not finished by then has failed */

/* How the tunnel is asked for. */
enum relay_via { RELAY_HTTP = 1, RELAY_SOCKS5 };

/* What to connect to, and through what. Strings are copied. */
struct relay_target {
	enum relay_via via;
	const char *proxy_host;     /* the proxy (or the transport's SOCKS5 port) */
	int proxy_port;
	const char *host;           /* what the proxy connects to */
	int port;
	const void *user, *pass;    /* credentials, or the transport's arguments (SOCKS5) */
	size_t ulen, plen;          /* ulen 0: none */
	int handshake_ms;           /* how long the proxy may take; 0: RELAY_HANDSHAKE_MS */
};

/* Why a tunnel failed. */
enum relay_fail {
	RELAY_F_CONNECT = 1,   /* the proxy could not be reached (detail: lws's words) */
	RELAY_F_CLOSED,        /* the proxy closed the connection during the handshake */
	RELAY_F_TIMEOUT,       /* no answer within the target's handshake_ms */
	RELAY_F_SOCKS,         /* the SOCKS5 handshake failed (socks_err, socks_rep) */
	RELAY_F_HTTP,          /* the CONNECT was answered with http_status (0: not HTTP) */
	RELAY_F_LOCAL          /* the relay itself could not go on (detail) */
};

struct relay_failure {
	enum relay_fail kind;
	int socks_err;          /* enum socks5_error */
	int socks_rep;          /* the SOCKS5 reply code */
	int http_status;
	const char *http_reason;
	const char *detail;     /* borrowed for the call */
};

/* A tunnel is up (path: the address to give lws, borrowed for the call) or failed
 * (path NULL, f says why). */
typedef void (*relay_done_fn)(void *arg, const char *path, const struct relay_failure *f);

struct relay;

/* The protocol to put in the client vhost's protocol list (borrowed, static). */
const struct lws_protocols *relay_protocol(void);

/* A relay on vhost vh (whose protocols include relay_protocol()): creates its private
 * directory and socket. Returns NULL with *cause (new, translated) on failure. */
struct relay *relay_create(struct lws_context *cx, struct lws_vhost *vh, char **cause);
/* Starts a tunnel to t; done() is called once, later (never from inside this call). A
 * tunnel still waiting is cancelled first. */
void relay_open(struct relay *r, const struct relay_target *t, relay_done_fn done, void *arg);
/* Cancels the tunnel being made, if any (its done() is not called). */
void relay_cancel(struct relay *r);
/* The TCP counters of the last tunnel's connection to the proxy (bytes acknowledged by
 * the peer, bytes received): 0 before the first. */
void relay_wire(struct relay *r, uint64_t *tx, uint64_t *rx);
/* Closes every tunnel, the socket and its directory; frees r (safe on NULL). */
void relay_free(struct relay *r);

#endif
