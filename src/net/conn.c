/* conn.c: the client's WebSocket link to the hub: connect, reassemble, queue, reconnect,
 * count bytes.
 *
 * permessage-deflate and the lws 4.1.6 client bug: a 4.1.6 client that negotiated deflate
 * loops forever on the first uncompressed data frame from the server (fixed upstream in
 * 4.3.3). lws servers compress every data frame, other servers may not. So the client
 * offers deflate on every attempt, and in LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH (after
 * lws parsed the 101 answer and set the extension up, before it reads a single frame:
 * bytes after the headers wait in lws's buffer until the upgrade is complete) it checks
 * the hub's promise, the header "Confab-Deflate: every-frame". A hub that accepted deflate
 * without it is refused there; the attempt is then made again at once without the offer
 * (CLIENT_CONFIRM_EXTENSION_SUPPORTED says no) and this hub is never offered deflate again
 * by this connection object. See doc/PROTOCOL.md section 1.
 *
 * TLS: the same link inside TLS (LCCSCF_USE_SSL, ALPN http/1.1 only: never WebSocket over
 * HTTP/2). lws asks the context's first protocol, which is ours, to verify the hub's
 * certificate (LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION); src/net/tlsverify.c
 * rules. A refusal stops the connection (conn_refuse); the certificate is recorded once the
 * WebSocket is up. Reconnects, resume and deflate work inside TLS as outside. */
#include "util/i18n.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "net/backoff.h"
#include "net/conn.h"
#include "net/netutil.h"
#include "net/pmdguard.h"
#include "net/route.h"
#include "net/tlsverify.h"
#include "proto/proto.h"
#include "util/container.h"
#include "util/log.h"
#include "util/xalloc.h"

enum conn_state { CS_IDLE = 0, CS_CONNECTING, CS_OPEN, CS_WAITING, CS_STOPPED };

/* One queued outgoing frame, with LWS_PRE bytes of headroom. */
struct conn_frame {
	struct conn_frame *next;
	size_t len;
	unsigned char buf[];
};

struct conn {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct conn_url url;          /* the hub tried now: urls[cur] */
	char *url_text;
	char **urls;                  /* every hub of the event (conn_add_url()) */
	size_t nurls, cur;
	struct tlsverify_opts tls_opts;
	int have_tls_opts;
	struct conn_callbacks cb;
	enum conn_state state;
	struct lws *wsi;
	unsigned attempt;
	int stopping;
	const char *drop_reason;      /* static string, set when we drop the link */
	int peer_closed;              /* the hub sent a WebSocket close on this link */
	int close_code;               /* ... with this status code (0: none given) */
	char close_reason[124];       /* ... and these words (network text) */

	char *rx;                     /* message being reassembled */
	size_t rxlen, rxcap;          /* bytes held, bytes allocated (grows by doubling) */
	int rx_killed;                /* dropping the link for a deflate bomb */

	struct conn_frame *head, *tail;
	size_t nqueued;
	/* Written last: lws keeps deflating it after lws_write() returns (it drains the
	 * rest on later WRITEABLE events without calling us), so it lives until our next
	 * WRITEABLE callback. */
	struct conn_frame *inflight;

	int no_deflate;               /* this hub broke the deflate promise: never offer */
	int deflate_retry;            /* the attempt was refused for that: retry at once */
	const char *refused;          /* why confab refused the attempt's answer, or NULL */
	struct conn_stats stats;
	uint64_t tcp_tx, tcp_rx;      /* the current socket's TCP_INFO counters */

	struct tlsverify *tls;        /* wss://: the certificate checker; NULL for ws:// */
	struct route *route;          /* a proxy or transport (borrowed), or NULL: direct */
	int tunnel_wait;              /* waiting for the route's tunnel */

	int answer_armed;             /* sul_answer is scheduled */
	lws_sorted_usec_list_t sul_retry, sul_ping, sul_dead, sul_answer;
};

/* The drop reasons below name these numbers. */
_Static_assert(CONN_DEAD_MS == 60000 && CONN_ANSWER_MS == 15000,
    "update the drop reasons in conn_dead_cb and conn_answer_cb");
_Static_assert(CONN_IDLE_PING_S * 1000 < CONN_DEAD_MS, "PING before dropping");

/* lws's dead-link policy for our links: a WebSocket PING after CONN_IDLE_PING_S s without
 * proof of life (a PONG, or data: see conn_alive()). Its own hang-up comes after ours
 * (conn_dead_cb, which says why) and is only a backstop. Reconnecting is ours too. */
static const lws_retry_bo_t conn_idle_policy = {
	.secs_since_valid_ping = CONN_IDLE_PING_S,
	.secs_since_valid_hangup = CONN_DEAD_MS / 1000 + 15,
};

/* Frees url's strings. */
void
conn_url_clear(struct conn_url *url)
{
	free(url->host);
	free(url->path);
	memset(url, 0, sizeof *url);
}

/* Parses a hub URL. */
int
conn_url_parse(const char *s, struct conn_url *url, char **cause)
{
	const char *p, *hs, *he, *ps;
	long port = 80;
	char *end;

	memset(url, 0, sizeof *url);
	if (strncasecmp(s, "wss://", 6) == 0) {
		url->tls = true;
		port = 443;
		p = s + 6;
	} else if (strncasecmp(s, "ws://", 5) == 0)
		p = s + 5;
	else
		goto bad;
	if (*p == '[') {
		hs = p + 1;
		he = strchr(hs, ']');
		if (he == NULL)
			goto bad;
		p = he + 1;
	} else {
		hs = p;
		while (*p != '\0' && *p != ':' && *p != '/')
			p++;
		he = p;
	}
	if (he == hs || he - hs > 253)
		goto bad;
	for (ps = hs; ps < he; ps++)
		if (!isalnum((unsigned char)*ps) && strchr(".-_:", *ps) == NULL)
			goto bad;
	if (*p == ':') {
		ps = p + 1;
		if (!isdigit((unsigned char)*ps))
			goto bad;
		port = strtol(ps, &end, 10);
		if (port < 1 || port > 65535 || (*end != '\0' && *end != '/'))
			goto bad;
		p = end;
	} else if (*p != '\0' && *p != '/')
		goto bad;
	for (ps = p; *ps != '\0'; ps++)
		if ((unsigned char)*ps <= ' ' || (unsigned char)*ps >= 0x7f)
			goto bad;
	url->host = xstrndup(hs, (size_t)(he - hs));
	url->port = (int)port;
	url->path = xstrdup(*p == '/' ? p : "/");
	return 0;
bad:
	*cause = xasprintf(_("bad hub address \"%s\": expected ws://HOST:PORT or "
	    "wss://HOST:PORT"), s);
	url->tls = false;
	return -1;
}

/* Drops every queued frame. */
static void
conn_drop_queue(struct conn *c)
{
	struct conn_frame *f, *next;

	for (f = c->head; f != NULL; f = next) {
		next = f->next;
		free(f);
	}
	c->head = c->tail = NULL;
	c->nqueued = 0;
	free(c->inflight);
	c->inflight = NULL;
}

/* Forgets a message being reassembled. */
static void
conn_reset_rx(struct conn *c)
{
	free(c->rx);
	c->rx = NULL;
	c->rxlen = c->rxcap = 0;
	c->rx_killed = 0;
}

static void conn_connect(struct conn *c);

/* Reads the TCP counters of wsi's socket (or of the route's connection to its proxy)
 * into c->tcp_tx / c->tcp_rx (kept as they were when the socket cannot tell). */
static void
conn_tcp_sample(struct conn *c, struct lws *wsi)
{
	uint64_t tx, rx;

	if (c->route != NULL) {
		/* lws talks to the relay: the wire is the connection to the proxy */
		route_wire(c->route, &tx, &rx);
		if (tx > c->tcp_tx)
			c->tcp_tx = tx;
		if (rx > c->tcp_rx)
			c->tcp_rx = rx;
		return;
	}
	if (wsi != NULL)
		netutil_tcp_counters(lws_get_socket_fd(wsi), &c->tcp_tx, &c->tcp_rx);
}

/* The socket of the link is going: adds its TCP counters to the totals. */
static void
conn_tcp_close(struct conn *c, struct lws *wsi)
{
	conn_tcp_sample(c, wsi);
	c->stats.wire_tx += c->tcp_tx;
	c->stats.wire_rx += c->tcp_rx;
	c->tcp_tx = c->tcp_rx = 0;
	c->stats.compressed = 0;
}

/* Retry timer: makes the next attempt. */
static void
conn_retry_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = CF_CONTAINER_OF(sul, struct conn, sul_retry);

	conn_connect(c);
}

static void conn_ping_cb(lws_sorted_usec_list_t *sul);

/* Lets the owner send a clock sample when one is due, then sleeps for as long as the owner
 * says (no wake-ups while nothing is due). */
static void
conn_tick(struct conn *c)
{
	int64_t next = CONN_TICK_MAX_MS;

	if (c->state != CS_OPEN)
		return;
	if (c->cb.keepalive != NULL)
		next = c->cb.keepalive(c->cb.arg);
	if (next <= 0 || next > CONN_TICK_MAX_MS)
		next = CONN_TICK_MAX_MS;
	if (c->state == CS_OPEN)
		lws_sul_schedule(c->cx, 0, &c->sul_ping, conn_ping_cb, (lws_usec_t)next * 1000);
}

/* Tick timer. */
static void
conn_ping_cb(lws_sorted_usec_list_t *sul)
{
	conn_tick(CF_CONTAINER_OF(sul, struct conn, sul_ping));
}

/* Drops the open link for reason (static, untranslated): it will reconnect. */
static void
conn_kill(struct conn *c, const char *reason)
{
	if (c->state != CS_OPEN || c->wsi == NULL)
		return;
	c->drop_reason = reason;
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Dead-link timer: no proof of life for CONN_DEAD_MS (not even a PONG to lws's PING). */
static void
conn_dead_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = CF_CONTAINER_OF(sul, struct conn, sul_dead);

	log_warn("conn: nothing from the hub for %d s: dropping the link", CONN_DEAD_MS / 1000);
	conn_kill(c, N_("nothing from the hub for 60 s"));
}

/* Answer timer: nothing at all arrived for CONN_ANSWER_MS after we sent something (every
 * request is answered, a say by its echo): the link is dead. */
static void
conn_answer_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = CF_CONTAINER_OF(sul, struct conn, sul_answer);

	c->answer_armed = 0;
	log_warn("conn: no answer from the hub for %d s: dropping the link",
	    CONN_ANSWER_MS / 1000);
	conn_kill(c, N_("no answer from the hub for 15 s"));
}

/* Something arrived (data or a PONG): the link is alive. Restarts lws's PING timer and
 * ours, and stops the answer timer. */
static void
conn_alive(struct conn *c, struct lws *wsi)
{
	lws_validity_confirmed(wsi);
	lws_sul_schedule(c->cx, 0, &c->sul_dead, conn_dead_cb, (lws_usec_t)CONN_DEAD_MS * 1000);
	if (c->answer_armed) {
		lws_sul_cancel(&c->sul_answer);
		c->answer_armed = 0;
	}
}

/* Cancels the link's timers. */
static void
conn_cancel_timers(struct conn *c)
{
	lws_sul_cancel(&c->sul_ping);
	lws_sul_cancel(&c->sul_dead);
	lws_sul_cancel(&c->sul_answer);
	c->answer_armed = 0;
}

/* Forgets everything of the link that went. */
static void
conn_forget_link(struct conn *c)
{
	c->drop_reason = NULL;
	c->wsi = NULL;
	conn_reset_rx(c);
	conn_drop_queue(c);
	conn_cancel_timers(c);
}

/* The hub's certificate was refused: stop for good and tell the owner why. */
static void
conn_refuse(struct conn *c, const char *message, enum tlsverify_refusal why)
{
	if (c->state != CS_CONNECTING && c->state != CS_OPEN)
		return;
	conn_forget_link(c);
	c->stopping = 1;
	c->state = CS_STOPPED;
	log_warn("conn: %s: certificate refused: no further attempt", c->url_text);
	if (c->cb.refused != NULL)
		c->cb.refused(c->cb.arg, message, why);
	else if (c->cb.disconnected != NULL)
		c->cb.disconnected(c->cb.arg, message, -1);
}

/* With several hubs for the event: the next attempt goes to the next one (its TLS
 * checker made for it). Positions are the event's, so a resume works on any of them. */
static void
conn_next_url(struct conn *c)
{
	struct conn_url u;
	char *cause = NULL;

	if (c->nurls < 2)
		return;
	c->cur = (c->cur + 1) % c->nurls;
	if (conn_url_parse(c->urls[c->cur], &u, &cause) != 0) {
		free(cause);      /* checked by conn_add_url() */
		return;
	}
	conn_url_clear(&c->url);
	c->url = u;
	free(c->url_text);
	c->url_text = xstrdup(c->urls[c->cur]);
	if (c->url.tls)
		conn_set_tls(c, c->have_tls_opts ? &c->tls_opts : NULL);
	log_info("conn: next hub of the event: %s", c->url_text);
}

/* After a link went: stops when stopping, else schedules the next attempt with backoff.
 * Returns the delay before it, or -1 for none. */
static int64_t
conn_next_attempt(struct conn *c)
{
	uint32_t rnd = 0;
	int64_t delay;

	if (c->stopping) {
		c->state = CS_STOPPED;
		return -1;
	}
	conn_next_url(c);
	lws_get_random(c->cx, &rnd, sizeof rnd);
	delay = backoff_delay_ms(c->attempt, rnd);
	if (c->attempt < 16)
		c->attempt++;
	c->state = CS_WAITING;
	lws_sul_schedule(c->cx, 0, &c->sul_retry, conn_retry_cb, (lws_usec_t)delay * 1000);
	return delay;
}

/* The hub closed the link with a close frame that gave a status code: the owner hears
 * the code and the hub's words (closed(), else disconnected() with the words). After
 * 1008 (policy: a facilitator removed us) no attempt follows: coming back at once would
 * undo what the facilitator did. */
static void
conn_hub_closed(struct conn *c)
{
	char reason[sizeof c->close_reason];
	int code = c->close_code;
	int64_t delay;

	if (c->state != CS_CONNECTING && c->state != CS_OPEN)
		return;
	snprintf(reason, sizeof reason, "%s", c->close_reason);
	conn_forget_link(c);
	if (code == CONN_CLOSE_POLICY)
		c->stopping = 1;
	delay = conn_next_attempt(c);
	log_info("conn: the hub closed the link (%d, \"%s\"); next attempt in %lld ms", code,
	    reason, (long long)delay);
	if (c->cb.closed != NULL)
		c->cb.closed(c->cb.arg, code, reason, delay);
	else if (c->cb.disconnected != NULL)
		c->cb.disconnected(c->cb.arg, reason, delay);
}

/* Keeps the status code and reason of the hub's close frame (payload in[0..len)). */
static void
conn_peer_close(struct conn *c, const unsigned char *in, size_t len)
{
	size_t n;

	c->peer_closed = 1;
	c->close_code = 0;
	c->close_reason[0] = '\0';
	if (in == NULL || len < 2)
		return;
	c->close_code = (int)in[0] << 8 | in[1];
	n = len - 2 < sizeof c->close_reason - 1 ? len - 2 : sizeof c->close_reason - 1;
	memcpy(c->close_reason, in + 2, n);
	c->close_reason[n] = '\0';
}

/* The link is gone (or never came): tell the owner and schedule the next attempt. */
static void
conn_dropped(struct conn *c, const char *reason)
{
	int64_t delay;

	if (c->state != CS_CONNECTING && c->state != CS_OPEN)
		return;
	if (c->drop_reason != NULL)
		reason = _(c->drop_reason);
	conn_forget_link(c);
	delay = conn_next_attempt(c);
	log_info("conn: link down (%s); next attempt in %lld ms", reason, (long long)delay);
	if (c->cb.disconnected != NULL)
		c->cb.disconnected(c->cb.arg, reason, delay);
}

/* Makes one connection attempt to address (the hub, or the relay of a tunnel). */
static void
conn_connect_lws(struct conn *c, const char *address)
{
	struct lws_client_connect_info i;
	struct lws *wsi;

	if (c->stopping)
		return;
	memset(&i, 0, sizeof i);
	i.context = c->cx;
	i.vhost = c->vh;
	i.address = address;
	i.port = c->url.port;
	i.path = c->url.path;
	i.host = c->url.host;
	i.origin = c->url.host;
	i.protocol = PROTO_SUBPROTOCOL;
	i.local_protocol_name = CONN_PROTOCOL_NAME;
	i.opaque_user_data = c;
	i.retry_and_idle_policy = &conn_idle_policy;
	if (c->url.tls) {
		i.ssl_connection = LCCSCF_USE_SSL;
		i.alpn = "http/1.1";
		if (c->tls == NULL)
			conn_set_tls(c, NULL);
		tlsverify_attempt(c->tls);
	}
	c->state = CS_CONNECTING;
	c->wsi = NULL;
	log_info("conn: connecting to %s", c->url_text);
	wsi = lws_client_connect_via_info(&i);
	if (wsi == NULL) {
		/* no callback comes for this: retry ourselves (unless one came already) */
		conn_dropped(c, _("could not start a connection"));
	} else if (c->state == CS_CONNECTING || c->state == CS_OPEN)
		c->wsi = wsi;
}

/* The route's tunnel for this attempt is up (path: the relay) or failed (why). */
static void
conn_tunnel_done(void *arg, const char *path, const char *why)
{
	struct conn *c = arg;

	if (!c->tunnel_wait)
		return;
	c->tunnel_wait = 0;
	if (path != NULL)
		conn_connect_lws(c, path);
	else
		conn_dropped(c, why);
}

/* Makes one connection attempt: directly, or through the route's tunnel first. */
static void
conn_connect(struct conn *c)
{
	if (c->stopping)
		return;
	if (c->route == NULL) {
		conn_connect_lws(c, c->url.host);
		return;
	}
	c->state = CS_CONNECTING;
	c->wsi = NULL;
	c->tunnel_wait = 1;
	route_open(c->route, c->url.host, c->url.port, conn_tunnel_done, c);
}

/* Appends a received piece (inflated, when deflate is on) to the message being
 * reassembled. Returns -1 to drop the link. */
static int
conn_rx(struct conn *c, struct lws *wsi, const void *in, size_t len)
{
	if (c->rx_killed)
		return c->stats.compressed ? -1 : 0;
	c->stats.ws_rx += len;
	if (c->rxlen + len > CONN_MAX_MESSAGE) {
		/* Over the cap, the link goes: the message cannot be read, and the request it
		 * answers (a welcome, say) would wait for ever. Compressed, the cap counts
		 * inflated bytes: stop inflating at once rather than spend CPU on a bomb. */
		if (c->stats.compressed)
			log_warn("conn: a compressed message from the hub inflated past %d bytes: "
			    "dropping the link", CONN_MAX_MESSAGE);
		else
			log_warn("conn: a message from the hub is over %d bytes: dropping the link",
			    CONN_MAX_MESSAGE);
		c->drop_reason = N_("the hub sent a message that is too large");
		c->rx_killed = 1;
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		if (!c->stats.compressed)
			return 0;
		lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, NULL, 0);
		/* lws ignores our -1 while it drains inflated output from a previous read:
		 * also kill the link from the loop */
		return -1;
	}
	if (len > 0) {
		if (c->rxlen + len + 1 > c->rxcap) {
			/* doubling: deflate delivers 1 KiB pieces, and a welcome can be MiBs */
			c->rxcap = c->rxcap < 4096 ? 4096 : c->rxcap;
			while (c->rxcap < c->rxlen + len + 1)
				c->rxcap *= 2;
			c->rx = xrealloc(c->rx, c->rxcap);
		}
		memcpy(c->rx + c->rxlen, in, len);
		c->rxlen += len;
	}
	conn_alive(c, wsi);
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
		return 0;
	c->stats.msgs_rx++;
	if (c->rx != NULL) {
		char *msg = c->rx;
		size_t n = c->rxlen;

		msg[n] = '\0';
		c->rx = NULL;
		c->rxlen = c->rxcap = 0;
		if (c->cb.frame != NULL)
			c->cb.frame(c->cb.arg, msg, n);
		free(msg);
	}
	conn_reset_rx(c);
	conn_tick(c); /* the message may make a clock sample due (a timer started) */
	return 0;
}

/* Writes the next queued frame. Returns -1 to close the link. */
static int
conn_writeable(struct conn *c, struct lws *wsi)
{
	struct conn_frame *f;

	free(c->inflight);
	c->inflight = NULL;
	f = c->head;
	if (f == NULL) {
		if (c->stopping) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		return 0;
	}
	c->head = f->next;
	if (c->head == NULL)
		c->tail = NULL;
	c->nqueued--;
	c->inflight = f;
	if (lws_write(wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT) < (int)f->len) {
		log_warn("conn: write failed");
		return -1;
	}
	c->stats.ws_tx += f->len;
	c->stats.msgs_tx++;
	if (c->head != NULL || c->stopping)
		lws_callback_on_writable(wsi);
	return 0;
}

/* FILTER_PRE_ESTABLISH: lws has parsed the 101 answer and set up the extensions the hub
 * accepted, and has not read any frame yet. Refuses a deflate link without the hub's
 * promise to compress every data frame (see the top of this file). Returns nonzero to
 * refuse. */
static int
conn_check_deflate(struct conn *c, struct lws *wsi)
{
	char *ext, mark[64];
	int n, total = lws_hdr_total_length(wsi, WSI_TOKEN_EXTENSIONS);
	bool deflate;

	c->stats.compressed = 0;
	if (total <= 0)
		return 0;
	/* copied whole, however long: a header too long for a fixed buffer must not pass
	 * for "no extension" while lws has turned deflate on (found by review) */
	ext = xmalloc((size_t)total + 1);
	deflate = lws_hdr_copy(wsi, ext, total + 1, WSI_TOKEN_EXTENSIONS) <= 0 ||
	    strstr(ext, "permessage-deflate") != NULL;
	free(ext);
	if (!deflate)
		return 0;
	n = lws_hdr_custom_copy(wsi, mark, sizeof mark, CONN_DEFLATE_MARK,
	    (int)strlen(CONN_DEFLATE_MARK));
	if (n > 0 && strstr(mark, CONN_DEFLATE_MARK_VALUE) != NULL) {
		c->stats.compressed = 1;
		log_info("conn: permessage-deflate on");
		return 0;
	}
	if (c->no_deflate) {
		/* not offered, and still answered with it: lws 4.1.6 takes an extension it did
		 * not offer. No retry at once: the usual backoff, as for any failed attempt */
		log_warn("conn: the hub answers with permessage-deflate that was not offered, "
		    "without promising to compress every frame: refused");
		c->refused = _("the hub compresses the link without being asked to");
		pmdguard_client_refused(wsi);
		return 1;
	}
	log_warn("conn: the hub accepted permessage-deflate without promising to compress "
	    "every frame: connecting again without it");
	c->no_deflate = 1;
	c->deflate_retry = 1;
	pmdguard_client_refused(wsi);
	return 1;
}

/* An attempt failed before the WebSocket was up: a refused certificate ends the
 * connection; anything else is retried. */
static void
conn_connect_error(struct conn *c, struct lws *wsi, const char *reason)
{
	const char *message;
	enum tlsverify_refusal why;

	if (c->tls != NULL) {
		why = tlsverify_refused(c->tls, &message);
		if (why != TV_NONE) {
			conn_refuse(c, message, why);
			return;
		}
		/* a TLS handshake that did not finish: lws's own reason is a library code */
		if (lws_get_ssl(wsi) != NULL && !tlsverify_handshake_done(lws_get_ssl(wsi))) {
			log_info("conn: TLS handshake failed (%s)", reason);
			reason = tlsverify_handshake_failed();
		}
	}
	/* refused by confab itself: its own words, not lws's "HS: Rejected by filter cb" */
	if (c->refused != NULL) {
		reason = c->refused;
		c->refused = NULL;
	}
	/* through an HTTP proxy lws names its failures in its own words; any answer to
	 * CONNECT but 200 (407: credentials wanted, 403: not allowed) is "proxy not h1" */
	if (strcmp(reason, "proxy not h1") == 0)
		reason = _("the proxy refused to open a tunnel to the hub");
	else if (strncmp(reason, "proxy ", 6) == 0) {
		log_info("conn: %s", reason);
		reason = _("the link to the proxy failed");
	}
	conn_dropped(c, reason);
}

/* wss://: the WebSocket is up: records the hub's certificate as ruled and passes on what
 * the user should know. Returns -1 to drop a link whose certificate was never checked. */
static int
conn_tls_established(struct conn *c)
{
	char *note = NULL;

	if (c->tls == NULL)
		return 0;
	if (tlsverify_established(c->tls, &note) != 0) {
		log_warn("conn: TLS link without a certificate check: dropping it");
		c->drop_reason = N_("the hub's certificate was not checked");
		return -1;
	}
	if (note != NULL && c->cb.note != NULL)
		c->cb.note(c->cb.arg, note);
	free(note);
	return 0;
}

/* The lws protocol callback for the hub link. */
static int
conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	struct conn *c = lws_get_opaque_user_data(wsi);

	(void)user;
	if (c == NULL || (c->wsi != NULL && c->wsi != wsi)) {
		/* not ours, or a stale connection */
		return reason == LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED ? 1 : 0;
	}
	switch (reason) {
	case LWS_CALLBACK_CLIENT_CONFIRM_EXTENSION_SUPPORTED:
		/* 0: offer it on this attempt */
		return c->no_deflate || in == NULL || strcmp(in, "permessage-deflate") != 0;
	case LWS_CALLBACK_WS_EXT_DEFAULTS:
		/* our own compression window: what the offer promised */
		if (user != NULL && strcmp(user, "permessage-deflate") == 0 && in != NULL &&
		    len > 0)
			snprintf(in, len, "client_max_window_bits=%d", CONN_DEFLATE_BITS);
		break;
	case LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION:
		/* user: the X509_STORE_CTX; len: OpenSSL's verdict for this step */
		return c->tls != NULL ? tlsverify_step(c->tls, user, (int)len) : 1;
	case LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH:
		return conn_check_deflate(c, wsi);
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		if (conn_tls_established(c) != 0)
			return -1;
		c->wsi = wsi;
		c->state = CS_OPEN;
		c->stats.links++;
		c->peer_closed = 0;
		c->close_code = 0;
		c->tcp_tx = c->tcp_rx = 0;
		lws_sul_schedule(c->cx, 0, &c->sul_ping, conn_ping_cb,
		    (lws_usec_t)CONN_TICK_FIRST_MS * 1000);
		lws_sul_schedule(c->cx, 0, &c->sul_dead, conn_dead_cb,
		    (lws_usec_t)CONN_DEAD_MS * 1000);
		log_info("conn: connected to %s", c->url_text);
		if (c->cb.connected != NULL)
			c->cb.connected(c->cb.arg);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		return conn_rx(c, wsi, in, len);
	case LWS_CALLBACK_CLIENT_RECEIVE_PONG:
		conn_alive(c, wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return conn_writeable(c, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lws_set_opaque_user_data(wsi, NULL);
		if (c->deflate_retry) {
			/* refused by us for a missing deflate promise: again, without it */
			c->deflate_retry = 0;
			c->wsi = NULL;
			c->state = CS_WAITING;
			lws_sul_schedule(c->cx, 0, &c->sul_retry, conn_retry_cb, 1);
			break;
		}
		conn_connect_error(c, wsi, in != NULL && len > 0 ? (const char *)in :
		    _("could not connect"));
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		conn_peer_close(c, in, len);
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		lws_set_opaque_user_data(wsi, NULL);
		conn_tcp_close(c, wsi);
		/* a close frame from the hub (with its code and words: the hub shutting down is
		 * not a broken link), or a link that broke (reset, cut, dead path) */
		if (c->peer_closed && c->close_code != 0 && c->drop_reason == NULL)
			conn_hub_closed(c);
		else
			conn_dropped(c, c->peer_closed ? _("closed by the hub") :
			    _("the link broke"));
		break;
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		lws_set_opaque_user_data(wsi, NULL);
		conn_dropped(c, _("the hub did not accept the WebSocket handshake"));
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols conn_lws_protocol = {
	CONN_PROTOCOL_NAME, conn_callback, 0, 4096, 0, NULL, 0
};

static const struct lws_extension conn_lws_extensions[] = {
	{ "permessage-deflate", pmdguard_callback, /* lws's, minus its assert */
	  "permessage-deflate; client_max_window_bits=" CONN_STR(CONN_DEFLATE_BITS) },
	{ NULL, NULL, NULL }
};

/* The extension list for the client vhost. */
const struct lws_extension *
conn_extensions(void)
{
	return conn_lws_extensions;
}

/* Fills *st with the counters so far (the open socket's TCP counters included). */
void
conn_stats(struct conn *c, struct conn_stats *st)
{
	if (c->state == CS_OPEN && c->wsi != NULL)
		conn_tcp_sample(c, c->wsi);
	*st = c->stats;
	st->wire_tx += c->tcp_tx;
	st->wire_rx += c->tcp_rx;
}

/* The protocol entry for the client vhost. */
const struct lws_protocols *
conn_protocol(void)
{
	return &conn_lws_protocol;
}

/* Creates a connection object. */
struct conn *
conn_create(struct lws_context *cx, struct lws_vhost *vh, const char *url,
    const struct conn_callbacks *cb, char **cause)
{
	struct conn *c = xcalloc(1, sizeof *c);

	if (conn_url_parse(url, &c->url, cause) != 0) {
		free(c);
		return NULL;
	}
	c->cx = cx;
	c->vh = vh;
	c->url_text = xstrdup(url);
	c->urls = xcalloc(1, sizeof *c->urls);
	c->urls[c->nurls++] = xstrdup(url);
	c->cb = *cb;
	return c;
}

/* Adds another hub of the same event. */
int
conn_add_url(struct conn *c, const char *url, char **cause)
{
	struct conn_url u;

	if (conn_url_parse(url, &u, cause) != 0)
		return -1;
	if (u.tls != c->url.tls) {
		conn_url_clear(&u);
		*cause = xasprintf(_("the hubs of one event are all ws:// or all wss://: %s"),
		    url);
		return -1;
	}
	conn_url_clear(&u);
	c->urls = xreallocarray(c->urls, c->nurls + 1, sizeof *c->urls);
	c->urls[c->nurls++] = xstrdup(url);
	return 0;
}

/* Sets the TLS options. */
void
conn_set_tls(struct conn *c, const struct tlsverify_opts *o)
{
	if (o != NULL && o != &c->tls_opts) {
		c->tls_opts = *o;
		c->have_tls_opts = 1;
	}
	if (!c->url.tls)
		return;
	tlsverify_free(c->tls);
	c->tls = tlsverify_create(c->url.host, c->url.port, c->url_text, o);
}

/* Sets the route (borrowed). */
void
conn_set_route(struct conn *c, struct route *rt)
{
	c->route = rt;
}

/* Makes the first attempt. */
void
conn_start(struct conn *c)
{
	conn_connect(c);
}

/* Queues a text frame for the hub. */
int
conn_send(struct conn *c, const char *text, size_t len)
{
	struct conn_frame *f;

	if (c->state != CS_OPEN || c->wsi == NULL || c->stopping)
		return -1;
	f = xmalloc(sizeof *f + LWS_PRE + len + 1);
	f->next = NULL;
	f->len = len;
	memcpy(f->buf + LWS_PRE, text, len);
	f->buf[LWS_PRE + len] = '\0';
	if (c->tail != NULL)
		c->tail->next = f;
	else
		c->head = f;
	c->tail = f;
	c->nqueued++;
	if (!c->answer_armed) {
		c->answer_armed = 1;
		lws_sul_schedule(c->cx, 0, &c->sul_answer, conn_answer_cb,
		    (lws_usec_t)CONN_ANSWER_MS * 1000);
	}
	lws_callback_on_writable(c->wsi);
	return 0;
}

/* The owner found the link good: the backoff starts again from its shortest delay. */
void
conn_link_ok(struct conn *c)
{
	c->attempt = 0;
}

/* Frames waiting to be written. */
size_t
conn_queued(const struct conn *c)
{
	return c->nqueued;
}

/* True when open. */
int
conn_is_open(const struct conn *c)
{
	return c->state == CS_OPEN;
}

/* Stops reconnecting; closes an open link after its queue. */
void
conn_stop(struct conn *c)
{
	c->stopping = 1;
	lws_sul_cancel(&c->sul_retry);
	conn_cancel_timers(c);
	if (c->tunnel_wait) {
		c->tunnel_wait = 0;
		route_cancel(c->route);
		c->state = CS_STOPPED;
		return;
	}
	if (c->state == CS_OPEN && c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
	else if (c->state != CS_CONNECTING)
		c->state = CS_STOPPED;
}

/* Frees c (logging its totals); any live wsi forgets it. */
void
conn_free(struct conn *c)
{
	struct conn_stats st;

	if (c == NULL)
		return;
	conn_stats(c, &st);
	log_info("conn: totals: %u links, messages %llu sent %llu received, payload bytes "
	    "%llu sent %llu received, TCP bytes %llu sent %llu received", st.links,
	    (unsigned long long)st.msgs_tx, (unsigned long long)st.msgs_rx,
	    (unsigned long long)st.ws_tx, (unsigned long long)st.ws_rx,
	    (unsigned long long)st.wire_tx, (unsigned long long)st.wire_rx);
	lws_sul_cancel(&c->sul_retry);
	conn_cancel_timers(c);
	if (c->tunnel_wait)
		route_cancel(c->route);
	if (c->wsi != NULL)
		lws_set_opaque_user_data(c->wsi, NULL);
	conn_reset_rx(c);
	conn_drop_queue(c);
	tlsverify_free(c->tls);
	conn_url_clear(&c->url);
	free(c->url_text);
	while (c->nurls > 0)
		free(c->urls[--c->nurls]);
	free(c->urls);
	free(c);
}
