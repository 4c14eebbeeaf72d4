/* conn.h: the client's WebSocket connection to a hub (libwebsockets).
 *
 * Parses the hub URL, connects with the confab subprotocol, reassembles fragmented
 * messages (capped at CONN_MAX_MESSAGE: a larger one drops the link), queues outgoing frames (one write per WRITEABLE),
 * reconnects with backoff after any failure, and ticks its owner while open, when the
 * owner asks to be ticked next and after every message (the owner decides when to send a
 * clock sample; see client_ping()).
 *
 * Dead links: anything received from the hub (a data frame or a PONG) proves the link
 * alive. After CONN_IDLE_PING_S s without proof, lws sends a WebSocket PING (2 + 4 bytes;
 * the hub's PONG is 2 bytes), and a link without proof for CONN_DEAD_MS is dropped: an
 * idle dead link is found within a minute, and a busy one is never pinged. Faster when it
 * matters: a link on which nothing at all arrives for CONN_ANSWER_MS after something was
 * sent (every request has an answer) is dropped at once. All timers are lws_sul
 * timers on the context's loop. It offers permessage-deflate and keeps it only with a hub that promises to
 * compress every data frame (see conn.c), and counts bytes and messages (conn_stats()).
 *
 * wss:// links are TLS (lws with OpenSSL; the vhost must have been created with
 * LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT). The hub's certificate is ruled on by
 * src/net/tlsverify.c (certificate authorities, the known-hosts file, --trust-cert). A
 * certificate refused there ends the connection for good: no further attempt, and the
 * owner's refused() callback says why; a TLS handshake that fails otherwise (a ws:// hub,
 * interference on the path) is retried like any failed attempt. */
#ifndef CONFAB_CONN_H
#define CONFAB_CONN_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/tlsverify.h"

/* The largest hub message accepted: above the welcome of the largest program a hub may
 * load (program files are capped at 4 MiB), with room for JSON escaping. */
#define CONN_MAX_MESSAGE (8 * 1024 * 1024)
#define CONN_TICK_FIRST_MS 200   /* first tick after the link opens */
#define CONN_TICK_MAX_MS 30000   /* longest sleep between ticks */
#define CONN_IDLE_PING_S 45      /* lws PINGs a link that proved alive this long ago */
#define CONN_DEAD_MS 60000       /* drop a link with no proof of life for this long */
#define CONN_ANSWER_MS 15000     /* drop a link silent this long while an answer is due */
#define CONN_PROTOCOL_NAME "confab-client"
#define CONN_CLOSE_POLICY 1008   /* a hub's close for policy (a facilitator removed us) */
/* permessage-deflate: the window (bits) the client compresses with, announced in its offer
 * as client_max_window_bits; and the 101 header (lws's lower-case form, with the colon)
 * by which a hub promises to compress every data frame. */
#define CONN_DEFLATE_BITS 10
#define CONN_DEFLATE_MARK "confab-deflate:"
#define CONN_DEFLATE_MARK_VALUE "every-frame"
#define CONN_STR_(x) #x
#define CONN_STR(x) CONN_STR_(x)

/* Counters over every link of a connection object. */
struct conn_stats {
	uint64_t ws_tx, ws_rx;     /* WebSocket message payload bytes (uncompressed) */
	uint64_t msgs_tx, msgs_rx; /* WebSocket messages */
	uint64_t wire_tx, wire_rx; /* TCP bytes (TCP_INFO tcpi_bytes_acked/_received): closed
	                            * sockets plus the current one; handshakes, framing and
	                            * compression included */
	unsigned links;            /* links opened (WebSocket established) */
	bool compressed;           /* permessage-deflate is on for the current link */
};

/* What the connection tells its owner. */
struct conn_callbacks {
	void *arg;
	/* the WebSocket is open */
	void (*connected)(void *arg);
	/* one complete text message (NUL-terminated; len bytes), borrowed for the call */
	void (*frame)(void *arg, const char *text, size_t len);
	/* the link is down or could not be made; delay_ms: until the next attempt, or -1 */
	void (*disconnected)(void *arg, const char *reason, int64_t delay_ms);
	/* the hub closed the link with a close frame carrying a status code (1001: going
	 * away, 1008: policy, ...) and reason (its words, network text, may be ""); called
	 * instead of disconnected() (which gets the reason when this is NULL). After 1008 no
	 * attempt follows (delay_ms -1). */
	void (*closed)(void *arg, int code, const char *reason, int64_t delay_ms);
	/* a tick while open (also after each message): send a clock sample if one is due;
	 * returns the ms until the next tick is wanted (at most CONN_TICK_MAX_MS) */
	int64_t (*keepalive)(void *arg);
	/* wss://: the hub's certificate was refused for good and no attempt follows (NULL:
	 * disconnected() is called with delay -1 instead); message: several lines, translated,
	 * borrowed for the call */
	void (*refused)(void *arg, const char *message, enum tlsverify_refusal why);
	/* wss://: something to tell the user (a certificate trusted and recorded, the
	 * known-hosts file could not be written); borrowed for the call */
	void (*note)(void *arg, const char *message);
};

/* A parsed hub address. */
struct conn_url {
	char *host;   /* without the brackets of an IPv6 address */
	int port;     /* 80 for ws://, 443 for wss:// when the address gives none */
	char *path;
	bool tls;     /* wss:// */
};

/* Parses "ws://HOST[:PORT][/path]" or "wss://..." into url (free with conn_url_clear).
 * Returns 0, or -1 with *cause set to a new, translated message. */
int conn_url_parse(const char *s, struct conn_url *url, char **cause);
void conn_url_clear(struct conn_url *url);

/* The protocol to put in the client vhost's protocol list (borrowed, static). It must be
 * the vhost's first protocol: lws asks that one whether to offer an extension. */
const struct lws_protocols *conn_protocol(void);
/* The extension list for the client vhost's info.extensions (borrowed, static). */
const struct lws_extension *conn_extensions(void);

struct conn;

/* A connection to url (copied) on vhost vh, whose protocols include conn_protocol().
 * Nothing happens until conn_start(). Returns NULL with *cause when url is bad. */
struct conn *conn_create(struct lws_context *cx, struct lws_vhost *vh, const char *url,
    const struct conn_callbacks *cb, char **cause);
/* Adds another hub of the same event (after conn_create(), before conn_start()): when a
 * link to one hub drops or cannot be made, the next attempt goes to the next hub, in
 * turn. All are ws:// or all wss://. Returns 0, or -1 with *cause (new, translated). */
int conn_add_url(struct conn *c, const char *url, char **cause);
/* Sets the TLS options of a wss:// connection (o is copied; without this call: the
 * default known-hosts file and no --trust-cert). Call before conn_start(). */
void conn_set_tls(struct conn *c, const struct tlsverify_opts *o);
struct route;
/* Sends every attempt through rt (a proxy or a transport: see route.h; borrowed, it must
 * outlive c) instead of connecting directly. Call before conn_start(). */
void conn_set_route(struct conn *c, struct route *rt);
/* Makes the first connection attempt. */
void conn_start(struct conn *c);
/* Queues one text frame. Returns 0, or -1 when the link is not open. */
int conn_send(struct conn *c, const char *text, size_t len);
/* The link is good (the owner heard the hub's welcome on it): the next drop is retried
 * after the shortest delay again. Until then every drop doubles the delay, even of links
 * that opened: a hub that takes the connection and then fails it (a message too large,
 * a refused hello) is not hammered. */
void conn_link_ok(struct conn *c);
/* Frames queued and not yet written. */
size_t conn_queued(const struct conn *c);
/* True when the WebSocket is open. */
int conn_is_open(const struct conn *c);
/* Fills *st with the counters so far. */
void conn_stats(struct conn *c, struct conn_stats *st);
/* Stops reconnecting and closes the link once the queue is written. */
void conn_stop(struct conn *c);
/* Frees c (safe on NULL); the lws context must still exist. */
void conn_free(struct conn *c);

#endif
