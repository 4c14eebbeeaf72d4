/* hub_lws.c: the libwebsockets glue of the hub: one vhost, one protocol ("confab.1").
 *
 * Callbacks only move bytes: complete frames go to hub_session_input(), and on WRITEABLE
 * what hub_session_next_frame() gives is written (one lws_write per callback, re-armed
 * while more is queued; on a plain link several queued frames go in that one write). The hub's periodic work runs from an lws_sul timer scheduled for
 * whenever hub_tick_due() says.
 *
 * permessage-deflate (RFC 7692) is accepted from any client that offers it. lws
 * compresses every data frame it sends once the extension is on, and the 101 answer says
 * so in a "Confab-Deflate: every-frame" header: the confab client (lws 4.1.6, whose
 * client hangs on one uncompressed data frame) only keeps a deflate link that carries it.
 * Window and memLevel: see HUB_LWS_DEFLATE_BITS. The extension callback is lws's own
 * behind src/net/pmdguard.c, which keeps one crafted frame from aborting the hub. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <unistd.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_lws.h"
#include "hub/hub_mask.h"
#include "net/pmdguard.h"
#include "util/container.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HUB_LWS_RX_BUFFER 512           /* lws's receive buffer per connection: most requests
                                           fit; longer ones arrive in pieces (reassembled) */
#define HUB_LWS_FD_RESERVE 32           /* descriptors kept free: new connections beyond are
                                           refused at once instead of failing in accept() */
#define HUB_LWS_HTTP_MAX 65536
#define HUB_LWS_TX_PACKET 16384         /* bytes lws hands the kernel in one send (it would
                                           take the receive buffer's size otherwise) */
#define HUB_LWS_BATCH_BYTES 16384       /* a plain link's queued frames joined in one write */
#define HUB_LWS_BATCH_FRAMES 64

/* The hub's deflate settings, chosen by measurement (bench/deflatemem.py, bench/RESULTS.md):
 * window 2^HUB_LWS_DEFLATE_BITS bytes, zlib memLevel HUB_LWS_DEFLATE_MEMLEVEL. lws uses
 * one window size for both directions of a server connection, so a client that may
 * compress with a larger window (it offered client_max_window_bits with no value or a
 * larger one, or did not offer it) gets that larger window instead. The environment
 * variable CONFABD_DEFLATE ("off", or "BITS,MEMLEVEL") overrides both, for benchmarks. */
#define HUB_LWS_DEFLATE_BITS 10
#define HUB_LWS_DEFLATE_MEMLEVEL 4
#define HUB_LWS_MARK_NAME "Confab-Deflate:"
#define HUB_LWS_MARK_VALUE "every-frame"

/* Dead peers: anything received from a connection (a message: hub_lws_receive(), or a PONG)
 * proves it alive. After 90 s without proof the hub sends a WebSocket PING (3 bytes; the
 * PONG is 7), and drops a connection with no proof for 150 s, which frees a vanished
 * attendee's name. In lws 4.1.6 a PING received from the client proves nothing, so the
 * client's PINGs (after 45 s of silence from the hub, src/net/conn.h) do not spare ours:
 * 90 s keeps them at most 40 an hour on a silent link (400 bytes), fewer when the client
 * sends its clock samples (bench/RESULTS.md has the hour's sum).
 *
 * The hub keeps this itself rather than with lws's validity timers: lws keeps one timer
 * per connection in a sorted list (each re-arm walks it, O(N)) and each timer firing on
 * its own costs a loop pass, a poll() over every socket. One check every
 * HUB_LWS_LIVE_TICK_MS walks the connections once, and the PINGs that are due go out
 * together, so that their PONGs come back in a few passes (bench/RESULTS.md, issue 13).
 * lws's validity timers are off (a policy without a hangup time). The environment
 * variable CONFABD_LIVENESS ("PING_S,HANGUP_S") shortens the times, for tests. */
#define HUB_LWS_PING_MS 90000
#define HUB_LWS_HANGUP_MS 150000
#define HUB_LWS_LIVE_TICK_MS 5000
static const lws_retry_bo_t hub_lws_idle_policy = {
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0,
};

struct hub_server {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct hub *hub;
	char **origins;
	size_t norigins;
	int port;
	lws_sorted_usec_list_t sul;
	struct lws_protocols protocols[2];
	struct lws_extension extensions[2];
	char vhost_name[64];
	bool deflate;          /* permessage-deflate is offered to clients */
	int deflate_bits, deflate_memlevel;
	long open_max;         /* the descriptor limit lws sized its table for */
	struct lws *listen_wsi;
	lws_sorted_usec_list_t accept_sul;
	bool accept_paused;
	int64_t accept_logged_ms;
	unsigned long accept_refused;
	size_t nconns;         /* WebSocket connections open */
	struct hub_lws_conn *live;   /* every WebSocket connection, for the liveness check */
	lws_sorted_usec_list_t live_sul;
	bool live_scheduled;
	int64_t ping_ms, hangup_ms, live_tick_ms;   /* HUB_LWS_PING_MS... or CONFABD_LIVENESS */
	unsigned char *batch;  /* LWS_PRE, then frames being joined into one write */
	size_t batch_cap;
	char **metrics_allow;  /* addresses (or prefixes ending in '.' or ':') allowed */
	size_t nmetrics_allow;
};

/* Per connection (lws allocates and zeroes it). */
struct hub_lws_conn {
	struct hub_session *hs;
	char *rx;              /* the message being reassembled */
	size_t rxlen, rxcap;
	bool overflow;         /* the message went over PROTO_MAX_FRAME: discarding */
	bool binary;
	bool deflate;          /* permessage-deflate accepted for this connection */
	bool killed;           /* being closed for a deflate bomb: ignore further input */
	int client_bits;       /* the window the client may compress with (8..15) */
	/* The frame last written: lws keeps deflating it after lws_write() returns (it
	 * drains in 1 KiB pieces on later WRITEABLE events, without calling us), so it
	 * must stay alive until our next WRITEABLE callback. */
	struct msg *writing;
	bool at_boundary;      /* the last piece received ended a message */
	bool pause_wanted;     /* stop reading at the end of the message being received */
	bool paused;
	struct lws *wsi;
	struct hub_lws_conn *live_prev, *live_next;
	int64_t alive_ms;      /* when something last came from it (monotonic) */
	int64_t ping_ms;       /* when the hub last sent it a PING */
	bool ping_due;         /* a PING goes at the next WRITEABLE */
	bool hung;             /* being dropped for silence */
	char *http_body;       /* GET /health, /metrics: the answer being sent */
	size_t http_len;
	int close_code;        /* to close politely at the next WRITEABLE (0: no) */
	const char *close_text;
};

/* Runs the hub's periodic work. */
static void
hub_lws_tick(lws_sorted_usec_list_t *sul)
{
	struct hub_server *srv = CF_CONTAINER_OF(sul, struct hub_server, sul);
	int64_t due;

	due = hub_tick(srv->hub);
	if (due >= 0)
		lws_sul_schedule(srv->cx, 0, &srv->sul, hub_lws_tick, (lws_usec_t)due * 1000);
}

/* Schedules the tick for when the hub wants it. */
static void
hub_lws_schedule(struct hub_server *srv)
{
	int64_t due = hub_tick_due(srv->hub);

	if (due >= 0)
		lws_sul_schedule(srv->cx, 0, &srv->sul, hub_lws_tick, (lws_usec_t)due * 1000);
}

/* Store callback: a shared store completed writes or reported changes on its own
 * connections: the hub's tick runs when it is due (held requests resume). */
static void
hub_lws_wake(void *arg)
{
	hub_lws_schedule(arg);
}

/* In-process connections (the demo's bots): conn pointers of the hub's sessions that are
 * not lws connections, with their own callbacks. Few, and looked up by pointer. */
struct hub_lws_local {
	void *conn;
	struct hub_server_local ops;
	struct hub_lws_local *next;
};
static struct hub_lws_local *hub_lws_locals;

/* The in-process connection conn, or NULL for an lws one. */
static struct hub_lws_local *
hub_lws_local_find(const void *conn)
{
	struct hub_lws_local *l;

	for (l = hub_lws_locals; l != NULL; l = l->next)
		if (l->conn == conn)
			return l;
	return NULL;
}

/* Milliseconds on the monotonic clock. */
static int64_t
hub_lws_now_ms(void)
{
	return (int64_t)(lws_now_usecs() / 1000);
}

/* The liveness check: PINGs to connections silent for HUB_LWS_PING_MS, drops those
 * silent for HUB_LWS_HANGUP_MS; again in HUB_LWS_LIVE_TICK_MS while any is open. */
static void
hub_lws_live_check(lws_sorted_usec_list_t *sul)
{
	struct hub_server *srv = CF_CONTAINER_OF(sul, struct hub_server, live_sul);
	struct hub_lws_conn *c;
	int64_t now = hub_lws_now_ms();

	srv->live_scheduled = false;
	for (c = srv->live; c != NULL; c = c->live_next) {
		if (c->hung)
			continue;
		if (now - c->alive_ms >= srv->hangup_ms) {
			log_info("hub: nothing received from a connection for %lld s: closing it",
			    (long long)(srv->hangup_ms / 1000));
			c->hung = true;
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_LAGGING, LWS_TO_KILL_ASYNC);
		} else if (now - c->alive_ms >= srv->ping_ms && now - c->ping_ms >= srv->ping_ms) {
			c->ping_due = true;
			c->ping_ms = now;
			lws_callback_on_writable(c->wsi);
		}
	}
	if (srv->live != NULL) {
		srv->live_scheduled = true;
		lws_sul_schedule(srv->cx, 0, &srv->live_sul, hub_lws_live_check,
		    (lws_usec_t)srv->live_tick_ms * 1000);
	}
}

/* Puts a new connection under the liveness check. */
static void
hub_lws_live_add(struct hub_server *srv, struct lws *wsi, struct hub_lws_conn *c)
{
	c->wsi = wsi;
	c->alive_ms = hub_lws_now_ms();
	c->live_prev = NULL;
	c->live_next = srv->live;
	if (srv->live != NULL)
		srv->live->live_prev = c;
	srv->live = c;
	if (!srv->live_scheduled) {
		srv->live_scheduled = true;
		lws_sul_schedule(srv->cx, 0, &srv->live_sul, hub_lws_live_check,
		    (lws_usec_t)srv->live_tick_ms * 1000);
	}
}

/* Takes a closed connection out of the liveness check. */
static void
hub_lws_live_remove(struct hub_server *srv, struct hub_lws_conn *c)
{
	if (c->live_prev != NULL)
		c->live_prev->live_next = c->live_next;
	else if (srv->live == c)
		srv->live = c->live_next;
	if (c->live_next != NULL)
		c->live_next->live_prev = c->live_prev;
	c->live_prev = c->live_next = NULL;
	c->wsi = NULL;
}

/* Hub callback: the session of conn has frames to send. */
static void
hub_lws_want_write(void *conn)
{
	struct hub_lws_local *l = hub_lws_local_find(conn);

	if (l != NULL)
		l->ops.want_write(conn);
	else
		lws_callback_on_writable(conn);
}

/* Hub callback: drop conn soon (not from inside the hub's call); a polite close (the
 * hub shutting down, a kick) goes with a close frame that says why. */
static void
hub_lws_close_conn(void *conn)
{
	struct hub_lws_local *l = hub_lws_local_find(conn);
	struct hub_lws_conn *c;
	const char *reason;
	int code;

	if (l != NULL) {
		l->ops.close_conn(conn);
		return;
	}
	c = lws_wsi_user(conn);
	if (c != NULL && c->hs != NULL && hub_session_close_reason(c->hs, &code, &reason)) {
		c->close_code = code;
		c->close_text = reason;
		lws_callback_on_writable(conn);
		/* if it never becomes writeable, it goes all the same */
		lws_set_timeout(conn, PENDING_TIMEOUT_CLOSE_SEND, 5);
		return;
	}
	lws_set_timeout(conn, PENDING_TIMEOUT_LAGGING, LWS_TO_KILL_ASYNC);
}

/* Hub callback: stop or resume reading conn (too much queued for it). Reading stops only
 * between messages: lws 4.1.6 busy-loops on a connection paused in the middle of a
 * compressed one. */
static void
hub_lws_flow(void *conn, bool read)
{
	struct hub_lws_conn *c;

	if (hub_lws_local_find(conn) != NULL)
		return;   /* an in-process connection reads what it is given */
	c = lws_wsi_user(conn);
	if (c == NULL)
		return;
	if (!read) {
		if (c->at_boundary || c->rxlen == 0) {
			c->paused = true;
			lws_rx_flow_control(conn, 0);
		} else
			c->pause_wanted = true;
		return;
	}
	c->pause_wanted = false;
	if (c->paused) {
		c->paused = false;
		lws_rx_flow_control(conn, 1);
		c->alive_ms = hub_lws_now_ms();  /* no PONG could be read meanwhile */
	}
}

/* The peer's address without the IPv4-in-IPv6 prefix lws listens with. */
static const char *
hub_lws_addr(const char *peer)
{
	return strncmp(peer, "::ffff:", 7) == 0 && strchr(peer + 7, '.') != NULL ? peer + 7 :
	    peer;
}

/* The address of a connection being accepted, as text, into buf. */
static void
hub_lws_sockaddr(const struct lws_filter_network_conn_args *a, char *buf, size_t len)
{
	/* copies, not casts: clang's -Wcast-align counts sockaddr's alignment as 2 */
	struct sockaddr_in in4;
	struct sockaddr_in6 in6;

	buf[0] = '\0';
	if (a->cli_addr.ss_family == AF_INET) {
		memcpy(&in4, &a->cli_addr, sizeof in4);
		inet_ntop(AF_INET, &in4.sin_addr, buf, (socklen_t)len);
	} else if (a->cli_addr.ss_family == AF_INET6) {
		memcpy(&in6, &a->cli_addr, sizeof in6);
		inet_ntop(AF_INET6, &in6.sin6_addr, buf, (socklen_t)len);
	}
	memmove(buf, hub_lws_addr(buf), strlen(hub_lws_addr(buf)) + 1);
}

/* Lets accept() run again after a pause. */
static void
hub_lws_accept_resume(lws_sorted_usec_list_t *sul)
{
	struct hub_server *srv = CF_CONTAINER_OF(sul, struct hub_server, accept_sul);

	srv->accept_paused = false;
	if (srv->listen_wsi != NULL)
		lws_rx_flow_control(srv->listen_wsi, 1);
}

/* lws could not accept a connection (errno e): out of descriptors or memory, new
 * connections wait a second in the kernel's backlog instead of making lws spin; logged at
 * most once a second. */
void
hub_server_accept_failed(struct hub_server *srv, int e)
{
	int64_t now = hub_lws_now_ms();

	if (srv == NULL || (e != EMFILE && e != ENFILE && e != ENOBUFS && e != ENOMEM))
		return;
	srv->accept_refused++;
	if (now - srv->accept_logged_ms >= 1000) {
		log_err("hub: cannot accept connections: %s (%lu times); trying again in a "
		    "second", strerror(e), srv->accept_refused);
		srv->accept_logged_ms = now;
		srv->accept_refused = 0;
	}
	if (srv->listen_wsi == NULL)
		return;
	lws_rx_flow_control(srv->listen_wsi, 0);     /* on every error: lws turns it back on */
	if (!srv->accept_paused) {
		srv->accept_paused = true;
		lws_sul_schedule(srv->cx, 0, &srv->accept_sul, hub_lws_accept_resume,
		    LWS_US_PER_SEC);
	}
}

/* A connection being accepted (before any handshake): refused at once when descriptors
 * run low, when its address has too many, or is banned. */
static int
hub_lws_filter_network(struct hub_server *srv, struct lws *wsi, void *user, void *in)
{
	char addr[INET6_ADDRSTRLEN + 1];
	int64_t now;

	srv->listen_wsi = wsi;              /* here wsi is the listen socket's */
	if ((long)(lws_intptr_t)in >= srv->open_max - HUB_LWS_FD_RESERVE) {
		srv->accept_refused++;
		now = hub_lws_now_ms();
		if (now - srv->accept_logged_ms >= 1000) {
			log_err("hub: refusing connections: out of file descriptors (%lu)",
			    srv->accept_refused);
			srv->accept_logged_ms = now;
			srv->accept_refused = 0;
		}
		return 1;
	}
	if (user == NULL)
		return 0;
	hub_lws_sockaddr(user, addr, sizeof addr);
	return hub_admit(srv->hub, addr) ? 0 : 1;
}

/* True when peer may read /health and /metrics. */
static bool
hub_lws_metrics_allowed(const struct hub_server *srv, const char *peer)
{
	size_t i, n;

	for (i = 0; i < srv->nmetrics_allow; i++) {
		n = strlen(srv->metrics_allow[i]);
		if (n > 0 && (srv->metrics_allow[i][n - 1] == '.' ||
		    srv->metrics_allow[i][n - 1] == ':') ? strncmp(peer, srv->metrics_allow[i],
		    n) == 0 : strcmp(peer, srv->metrics_allow[i]) == 0)
			return true;
	}
	return false;
}

/* An HTTP status with no body, then the end of the transaction. */
static int
hub_lws_http_status(struct lws *wsi, unsigned code)
{
	if (lws_return_http_status(wsi, code, NULL))
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* GET /health and GET /metrics (other paths: 404). */
static int
hub_lws_http(struct lws *wsi, struct hub_server *srv, struct hub_lws_conn *c, const char *path)
{
	unsigned char hb[LWS_PRE + 512], *start = hb + LWS_PRE, *p = start,
	    *end = hb + sizeof hb - 1;
	char peer[128];
	bool metrics;

	if (lws_hdr_total_length(wsi, WSI_TOKEN_GET_URI) == 0)
		return hub_lws_http_status(wsi, HTTP_STATUS_METHOD_NOT_ALLOWED);
	metrics = strcmp(path, "/metrics") == 0;
	if (!metrics && strcmp(path, "/health") != 0)
		return hub_lws_http_status(wsi, HTTP_STATUS_NOT_FOUND);
	peer[0] = '\0';
	lws_get_peer_simple(wsi, peer, sizeof peer);
	if (!hub_lws_metrics_allowed(srv, hub_lws_addr(peer)))
		return hub_lws_http_status(wsi, HTTP_STATUS_FORBIDDEN);
	free(c->http_body);
	c->http_body = metrics ? hub_metrics_text(srv->hub, srv->nconns, &c->http_len) :
	    hub_health_text(srv->hub, &c->http_len);
	if (lws_add_http_common_headers(wsi, HTTP_STATUS_OK, metrics ?
	    "text/plain; version=0.0.4; charset=utf-8" : "text/plain; charset=utf-8",
	    c->http_len, &p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CACHE_CONTROL,
	    (const unsigned char *)"no-store", 8, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return 1;
	lws_callback_on_writable(wsi);
	return 0;
}

/* Writes the answer of an HTTP request. */
static int
hub_lws_http_write(struct lws *wsi, struct hub_lws_conn *c)
{
	unsigned char *buf;
	int n;

	if (c->http_body == NULL)
		return 0;
	buf = xmalloc(LWS_PRE + c->http_len + 1);
	memcpy(buf + LWS_PRE, c->http_body, c->http_len);
	n = lws_write(wsi, buf + LWS_PRE, c->http_len, LWS_WRITE_HTTP_FINAL);
	free(buf);
	free(c->http_body);
	c->http_body = NULL;
	if (n != (int)c->http_len)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

/* Closes a connection that sent an unmasked frame (RFC 6455 section 5.1). */
static int
hub_lws_unmasked(struct lws *wsi)
{
	log_info("hub: a client sent an unmasked frame: closing it");
	lws_close_reason(wsi, LWS_CLOSE_STATUS_PROTOCOL_ERR, (unsigned char *)"unmasked", 8);
	return -1;
}

/* True when the handshake's Origin is allowed: none (not a browser: confab sends none),
 * the hub's own host (same site), or one of --allow-origin. A web page elsewhere that
 * opens a WebSocket to the hub from a visitor's browser is refused. */
static bool
hub_lws_origin_ok(struct lws *wsi, const struct hub_server *srv)
{
	char origin[256], host[256];
	const char *o;
	size_t i;

	/* no Origin: not a browser. An Origin too long to copy is refused, not taken for
	 * none (lws_hdr_copy() fails on it: found by review, a page on a 250-byte host name
	 * got through) */
	if (lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) <= 0)
		return true;
	if (lws_hdr_copy(wsi, origin, sizeof origin, WSI_TOKEN_ORIGIN) <= 0) {
		log_info("hub: refused a connection from a web page (an Origin of %d bytes; "
		    "see --allow-origin)", lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN));
		return false;
	}
	for (i = 0; i < srv->norigins; i++)
		if (strcasecmp(origin, srv->origins[i]) == 0)
			return true;
	o = strstr(origin, "://");
	o = o != NULL ? o + 3 : origin;
	if (lws_hdr_copy(wsi, host, sizeof host, WSI_TOKEN_HOST) > 0 && strcasecmp(o, host) == 0)
		return true;
	log_info("hub: refused a connection from a web page (Origin %.64s; see "
	    "--allow-origin)", origin);
	return false;
}

/* Delivers a complete message (or its error) to the hub. */
static void
hub_lws_deliver(struct lws *wsi, struct hub_lws_conn *c, const char *data, size_t len)
{
	c->at_boundary = true;
	if (c->pause_wanted) {       /* asked for during the message: stop reading now */
		c->pause_wanted = false;
		c->paused = true;
		lws_rx_flow_control(wsi, 0);
	}
	if (c->overflow) {
		char detail[64];

		snprintf(detail, sizeof detail, "frame over %d bytes", PROTO_MAX_FRAME);
		hub_session_frame_error(c->hs, PE_BAD_FRAME, detail);
	} else
		hub_session_input(c->hs, data != NULL ? data : "", len, c->binary);
}

/* Appends a received piece to the message being reassembled; delivers it when complete.
 * A message that arrives in one piece (most requests are small) goes to the hub from
 * lws's buffer, with no copy; the buffer of one that came in pieces is freed once it has
 * been delivered, so that an idle connection holds none. Returns -1 to close. */
static int
hub_lws_receive(struct lws *wsi, struct hub_lws_conn *c, const char *in, size_t len)
{
	bool whole;

	if (c->killed)
		return -1;
	if (lws_is_first_fragment(wsi)) {
		c->rxlen = 0;
		c->overflow = false;
		c->binary = lws_frame_is_binary(wsi) != 0;
	}
	c->at_boundary = false;
	c->alive_ms = hub_lws_now_ms();   /* data proves the link alive: no PING needed */
	whole = lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0;
	if (whole && c->rxlen == 0 && !c->overflow && len <= PROTO_MAX_FRAME) {
		hub_lws_deliver(wsi, c, in, len);
		return 0;
	}
	if (!c->overflow && c->rxlen + len > PROTO_MAX_FRAME) {
		if (c->deflate) {
			/* the cap counts inflated bytes; stop inflating at once (a small
			 * compressed message can inflate to gigabytes) */
			log_info("hub: a compressed message inflated past %d bytes: closing",
			    PROTO_MAX_FRAME);
			lws_close_reason(wsi, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE,
			    (unsigned char *)"message too big", 15);
			/* lws ignores our -1 while it drains inflated output from a
			 * previous read: also kill the connection from the loop */
			c->killed = true;
			lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
			return -1;
		}
		c->overflow = true;
		c->rxlen = 0;
	}
	if (!c->overflow && len > 0) {
		if (c->rxlen + len > c->rxcap) {
			c->rxcap = c->rxlen + len > 1024 ? c->rxlen + len : 1024;
			if (c->rxcap < PROTO_MAX_FRAME && c->rxcap * 2 <= PROTO_MAX_FRAME)
				c->rxcap *= 2;
			c->rx = xrealloc(c->rx, c->rxcap);
		}
		memcpy(c->rx + c->rxlen, in, len);
		c->rxlen += len;
	}
	if (!whole)
		return 0;
	hub_lws_deliver(wsi, c, c->rx, c->rxlen);
	c->rxlen = 0;
	c->overflow = false;
	free(c->rx);
	c->rx = NULL;
	c->rxcap = 0;
	return 0;
}

/* Appends frame m to the batch as a final, unmasked WebSocket text frame (RFC 6455
 * section 5.2: the header, then the payload). used: the batch's bytes so far. */
static void
hub_lws_batch_add(struct hub_server *srv, size_t *used, struct msg *m)
{
	unsigned char *p;
	size_t len = m->len, k;

	if (LWS_PRE + *used + 10 + len > srv->batch_cap) {
		srv->batch_cap = LWS_PRE + *used + 10 + len + HUB_LWS_BATCH_BYTES;
		srv->batch = xrealloc(srv->batch, srv->batch_cap);
	}
	p = srv->batch + LWS_PRE + *used;
	*p++ = 0x81;                              /* FIN, text */
	if (len < 126)
		*p++ = (unsigned char)len;
	else if (len <= 0xffff) {
		*p++ = 126;
		*p++ = (unsigned char)(len >> 8);
		*p++ = (unsigned char)len;
	} else {
		*p++ = 127;
		for (k = 8; k-- > 0;)
			*p++ = (unsigned char)((uint64_t)len >> (8 * k));
	}
	memcpy(p, msg_payload(m), len);
	*used = (size_t)(p + len - (srv->batch + LWS_PRE));
}

/* Writes what is queued for a connection: one frame, or on a plain link with more
 * queued, up to HUB_LWS_BATCH_FRAMES frames (HUB_LWS_BATCH_BYTES) joined in one write,
 * framed here and handed to lws as raw bytes: one send and one loop pass for all of them
 * instead of one each (a burst of chat). A deflate link gets one frame per callback: lws
 * must compress each. Returns -1 to close the connection. */
static int
hub_lws_writeable(struct hub_server *srv, struct lws *wsi, struct hub_lws_conn *c)
{
	struct msg *m;
	size_t used = 0, nframes = 0;
	int n;

	m = hub_session_next_frame(c->hs);
	if (m == NULL)
		return 0;
	msg_unref(c->writing);      /* lws is done with it: this is the next WRITEABLE */
	c->writing = NULL;
	if (c->deflate || !hub_session_pending(c->hs)) {
		n = lws_write(wsi, (unsigned char *)msg_payload(m), m->len, LWS_WRITE_TEXT);
		c->writing = m;
		used = m->len;
	} else {
		do {
			hub_lws_batch_add(srv, &used, m);
			msg_unref(m);
		} while (++nframes < HUB_LWS_BATCH_FRAMES && used < HUB_LWS_BATCH_BYTES &&
		    hub_session_pending(c->hs) && (m = hub_session_next_frame(c->hs)) != NULL);
		/* lws sends (or keeps, for later) the bytes as they are: they are copied */
		n = lws_write(wsi, srv->batch + LWS_PRE, used, LWS_WRITE_HTTP);
		if (srv->batch_cap > 4 * HUB_LWS_BATCH_BYTES) {
			free(srv->batch);     /* grown for a large frame: not kept */
			srv->batch = NULL;
			srv->batch_cap = 0;
		}
	}
	if (n < (int)used) {
		log_info("hub: write failed");
		return -1;
	}
	if (hub_session_pending(c->hs))
		lws_callback_on_writable(wsi);
	return 0;
}

/* The window (in bits) that the client's permessage-deflate offer lets it compress with:
 * the value of client_max_window_bits in its first permessage-deflate offer, else 15. */
static int
hub_lws_client_bits(struct lws *wsi)
{
	char buf[256], *p, *end;
	const char *key = "client_max_window_bits";
	long bits;

	if (lws_hdr_copy(wsi, buf, sizeof buf, WSI_TOKEN_EXTENSIONS) <= 0)
		return 15;
	if ((p = strstr(buf, "permessage-deflate")) == NULL)
		return 15;
	if ((end = strchr(p, ',')) != NULL)
		*end = '\0';
	if ((p = strstr(p, key)) == NULL)
		return 15;
	p += strlen(key);
	while (*p == ' ')
		p++;
	if (*p != '=')
		return 15;
	p++;
	while (*p == ' ' || *p == '"')
		p++;
	if (!isdigit((unsigned char)*p))
		return 15;
	bits = strtol(p, NULL, 10);
	if (bits < 8 || bits > 15)
		return 15;
	return bits == 8 ? 9 : (int)bits; /* zlib has no 256-byte raw window */
}

/* The connection was just accepted: applies the deflate settings. */
static void
hub_lws_deflate_setup(struct lws *wsi, struct hub_server *srv, struct hub_lws_conn *c,
    const char *peer)
{
	char bits[8], level[8];
	int b = srv->deflate_bits > c->client_bits ? srv->deflate_bits : c->client_bits;

	snprintf(bits, sizeof bits, "%d", b);
	snprintf(level, sizeof level, "%d", srv->deflate_memlevel);
	if (lws_set_extension_option(wsi, "permessage-deflate", "server_max_window_bits",
	    bits) != 0 || lws_set_extension_option(wsi, "permessage-deflate", "mem_level",
	    level) != 0) {
		c->deflate = false; /* the extension did not come up after all */
		return;
	}
	(void)peer;   /* addresses are logged only with --log-addresses, by the hub */
	log_info("hub: permessage-deflate on (window bits %d, memLevel %d)", b,
	    srv->deflate_memlevel);
}

/* The protocol callback. */
static int
hub_lws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	const struct lws_protocols *proto = lws_get_protocol(wsi);
	struct hub_server *srv = proto != NULL ? proto->user : NULL;
	struct hub_lws_conn *c = user;
	char peer[128];

	switch (reason) {
	case LWS_CALLBACK_FILTER_NETWORK_CONNECTION:
		return srv != NULL ? hub_lws_filter_network(srv, wsi, user, in) : 0;
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		/* the upgrade request: browsers' cross-site connections are refused */
		return srv != NULL && !hub_lws_origin_ok(wsi, srv) ? 1 : 0;
	case LWS_CALLBACK_HTTP:
		if (srv == NULL || c == NULL || in == NULL)
			return hub_lws_http_status(wsi, HTTP_STATUS_NOT_FOUND);
		return hub_lws_http(wsi, srv, c, in);
	case LWS_CALLBACK_HTTP_WRITEABLE:
		return c != NULL ? hub_lws_http_write(wsi, c) : 0;
	case LWS_CALLBACK_CLOSED_HTTP:
		if (c != NULL) {
			free(c->http_body);
			c->http_body = NULL;
		}
		return 0;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c != NULL && c->hs != NULL)
			c->alive_ms = hub_lws_now_ms();
		if (c != NULL && c->hs != NULL && hub_mask_unmasked(wsi, false) == 1)
			return hub_lws_unmasked(wsi);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (c != NULL && c->hs != NULL && hub_mask_unmasked(wsi, false) == 1)
			return hub_lws_unmasked(wsi);
		break;
	case LWS_CALLBACK_CONFIRM_EXTENSION_OKAY:
		/* before the 101 answer; 0 accepts the extension */
		if (srv == NULL || c == NULL || !srv->deflate || in == NULL ||
		    strcmp(in, "permessage-deflate") != 0)
			return 1;
		c->deflate = true;
		c->client_bits = hub_lws_client_bits(wsi);
		return 0;
	case LWS_CALLBACK_ADD_HEADERS:
		/* the 101 answer: promise that every data frame is compressed */
		if (srv != NULL && c != NULL && c->deflate && in != NULL) {
			struct lws_process_html_args *a = in;
			unsigned char *p = (unsigned char *)a->p;

			if (lws_add_http_header_by_name(wsi,
			    (const unsigned char *)HUB_LWS_MARK_NAME,
			    (const unsigned char *)HUB_LWS_MARK_VALUE,
			    (int)strlen(HUB_LWS_MARK_VALUE), &p,
			    (unsigned char *)a->p + a->max_len) != 0)
				return 1;
			a->max_len -= (int)((char *)p - a->p);
			a->p = (char *)p;
		}
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		if (srv == NULL || c == NULL)
			return -1;
		peer[0] = '\0';
		lws_get_peer_simple(wsi, peer, sizeof peer);
		/* lws zeroed *c; only the deflate fields are set already */
		if (c->deflate)
			hub_lws_deflate_setup(wsi, srv, c, peer);
		c->at_boundary = true;
		hub_lws_live_add(srv, wsi, c);
		srv->nconns++;
		c->hs = hub_session_open(srv->hub, wsi, hub_lws_addr(peer));
		hub_lws_schedule(srv);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return -1;
		if (hub_mask_unmasked(wsi, false) == 1)
			return hub_lws_unmasked(wsi);
		if (hub_lws_receive(wsi, c, in, len) != 0)
			return -1;
		hub_lws_schedule(srv);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return 0;
		if (c->close_code != 0) {
			lws_close_reason(wsi, (enum lws_close_status)c->close_code,
			    (unsigned char *)c->close_text, strlen(c->close_text));
			return -1;
		}
		/* lws answers a PING by itself: an unmasked one shows here, after the PONG */
		if (hub_mask_unmasked(wsi, true) == 1)
			return hub_lws_unmasked(wsi);
		if (c->ping_due) {
			/* one byte: lws 4.1.6 reports no empty PONG to the protocol */
			unsigned char ping[LWS_PRE + 1];

			c->ping_due = false;
			ping[LWS_PRE] = 'c';
			if (lws_write(wsi, ping + LWS_PRE, 1, LWS_WRITE_PING) < 0)
				return -1;
			if (hub_session_pending(c->hs))
				lws_callback_on_writable(wsi);
			return 0;
		}
		if (hub_lws_writeable(srv, wsi, c) != 0)
			return -1;
		if (hub_tick_now(srv->hub))
			hub_lws_schedule(srv);  /* caught up: what it sent meanwhile runs */
		return 0;
	case LWS_CALLBACK_CLOSED:
		if (srv != NULL && c != NULL && c->wsi != NULL)
			hub_lws_live_remove(srv, c);    /* never left in the list, whatever else */
		if (srv == NULL || c == NULL || c->hs == NULL)
			return 0;
		hub_session_closed(c->hs);
		c->hs = NULL;
		srv->nconns--;
		msg_unref(c->writing);
		c->writing = NULL;
		free(c->rx);
		c->rx = NULL;
		hub_lws_schedule(srv);
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

/* Reads the deflate settings: the defaults, or CONFABD_DEFLATE ("off" or "BITS,MEMLEVEL"). */
static void
hub_lws_deflate_config(struct hub_server *srv)
{
	const char *env = getenv("CONFABD_DEFLATE");
	int bits, level;

	srv->deflate = true;
	srv->deflate_bits = HUB_LWS_DEFLATE_BITS;
	srv->deflate_memlevel = HUB_LWS_DEFLATE_MEMLEVEL;
	if (env == NULL || *env == '\0')
		return;
	if (strcmp(env, "off") == 0)
		srv->deflate = false;
	else if (sscanf(env, "%d,%d", &bits, &level) == 2 && bits >= 9 && bits <= 15 &&
	    level >= 1 && level <= 9) {
		srv->deflate_bits = bits;
		srv->deflate_memlevel = level;
	} else
		log_warn("hub: ignoring CONFABD_DEFLATE=\"%s\" (want off or BITS,MEMLEVEL)", env);
	log_info("hub: permessage-deflate %s (window bits %d, memLevel %d)",
	    srv->deflate ? "on" : "off", srv->deflate_bits, srv->deflate_memlevel);
}

/* Reads the liveness times: the defaults, or CONFABD_LIVENESS ("PING_S,HANGUP_S"). */
static void
hub_lws_live_config(struct hub_server *srv)
{
	const char *env = getenv("CONFABD_LIVENESS");
	int ping, hangup;

	srv->ping_ms = HUB_LWS_PING_MS;
	srv->hangup_ms = HUB_LWS_HANGUP_MS;
	srv->live_tick_ms = HUB_LWS_LIVE_TICK_MS;
	if (env == NULL || *env == '\0')
		return;
	if (sscanf(env, "%d,%d", &ping, &hangup) == 2 && ping >= 1 && hangup > ping &&
	    hangup <= 86400) {
		srv->ping_ms = (int64_t)ping * 1000;
		srv->hangup_ms = (int64_t)hangup * 1000;
		if (srv->live_tick_ms > srv->ping_ms / 4)
			srv->live_tick_ms = srv->ping_ms / 4;
		log_info("hub: PING after %d s of silence, closing after %d s", ping, hangup);
	} else
		log_warn("hub: ignoring CONFABD_LIVENESS=\"%s\" (want PING_S,HANGUP_S)", env);
}

/* Creates the hub and its vhost. */
struct hub_server *
hub_server_create(struct lws_context *cx, const struct hub_server_config *cfg, char **cause)
{
	static unsigned serial;
	struct lws_context_creation_info info;
	struct hub_config hcfg;
	struct hub_server *srv;
	struct in_addr a4;

	srv = xcalloc(1, sizeof *srv);
	srv->cx = cx;
	memset(&hcfg, 0, sizeof hcfg);
	hcfg.program = cfg->program;
	hcfg.lineup = cfg->lineup;
	hcfg.nlineup = cfg->nlineup;
	hcfg.tokens = cfg->tokens;
	hcfg.ntokens = cfg->ntokens;
	hcfg.invites = cfg->invites;
	hcfg.ninvites = cfg->ninvites;
	hcfg.store = cfg->store;
	hcfg.limits = cfg->limits;
	hcfg.notice = cfg->notice;
	hcfg.log_addresses = cfg->log_addresses;
	hcfg.retain_ms = cfg->retain_ms;
	hcfg.votes_by_invite = cfg->votes_by_invite;
	hcfg.flow = hub_lws_flow;
	hcfg.clock = cfg->clock;
	hcfg.name = "confabd " PACKAGE_VERSION;
	hcfg.pre = LWS_PRE;
	hcfg.want_write = hub_lws_want_write;
	hcfg.close_conn = hub_lws_close_conn;
	if ((srv->hub = hub_create(&hcfg, cause)) == NULL) {
		free(srv);
		return NULL;
	}
	if (cfg->store != NULL)
		store_set_wake(cfg->store, hub_lws_wake, srv);

	srv->protocols[0].name = PROTO_SUBPROTOCOL;
	srv->protocols[0].callback = hub_lws_callback;
	srv->protocols[0].per_session_data_size = sizeof(struct hub_lws_conn);
	srv->protocols[0].rx_buffer_size = HUB_LWS_RX_BUFFER;
	srv->protocols[0].tx_packet_size = HUB_LWS_TX_PACKET;
	srv->protocols[0].user = srv;
	snprintf(srv->vhost_name, sizeof srv->vhost_name, "confab-hub-%u", serial++);
	hub_lws_deflate_config(srv);
	hub_lws_live_config(srv);
	srv->extensions[0].name = "permessage-deflate";
	srv->extensions[0].callback = pmdguard_callback; /* lws's, minus its assert */
	srv->extensions[0].client_offer = "permessage-deflate";

	memset(&info, 0, sizeof info);
	info.port = cfg->port;
	info.iface = cfg->host;
	if (inet_pton(AF_INET, cfg->host, &a4) == 1)
		/* lws 4.1.6 binds an IPv4 address given to an IPv6 socket to [::], every
		 * address of the machine: an IPv4 address gets an IPv4 socket */
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	info.protocols = srv->protocols;
	info.vhost_name = srv->vhost_name;
	info.server_string = "confabd";
	info.retry_and_idle_policy = &hub_lws_idle_policy;
	info.extensions = srv->extensions;
	if (cfg->tls_cert != NULL && cfg->tls_key != NULL) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.ssl_cert_filepath = cfg->tls_cert;
		info.ssl_private_key_filepath = cfg->tls_key;
		info.ssl_options_set = (long)(SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
		info.alpn = "http/1.1";   /* never WebSocket over HTTP/2 */
	}
	srv->vh = lws_create_vhost(cx, &info);
	if (srv->vh == NULL) {
		*cause = xasprintf(_("cannot listen on %s port %d"), cfg->host, cfg->port);
		hub_free(srv->hub);
		free(srv);
		return NULL;
	}
	srv->port = lws_get_vhost_listen_port(srv->vh);
	srv->open_max = sysconf(_SC_OPEN_MAX);   /* as lws sized its table */
	srv->metrics_allow = xcalloc(cfg->nmetrics_allow + 2, sizeof *srv->metrics_allow);
	if (cfg->nmetrics_allow == 0) {
		srv->metrics_allow[srv->nmetrics_allow++] = xstrdup("127.");
		srv->metrics_allow[srv->nmetrics_allow++] = xstrdup("::1");
	} else
		for (; srv->nmetrics_allow < cfg->nmetrics_allow; srv->nmetrics_allow++)
			srv->metrics_allow[srv->nmetrics_allow] =
			    xstrdup(cfg->metrics_allow[srv->nmetrics_allow]);
	srv->origins = xcalloc(cfg->norigins + 1, sizeof *srv->origins);
	for (srv->norigins = 0; srv->norigins < cfg->norigins; srv->norigins++)
		srv->origins[srv->norigins] = xstrdup(cfg->origins[srv->norigins]);
	return srv;
}

/* The hub. */
struct hub *
hub_server_hub(struct hub_server *srv)
{
	return srv->hub;
}

/* Replaces the program (a reload); the writes it makes are flushed at the next tick. */
size_t
hub_server_set_program(struct hub_server *srv, const struct program *p)
{
	size_t n = hub_set_program(srv->hub, p);

	hub_lws_schedule(srv);
	return n;
}

/* Starts a clean shutdown; returns the connections still open. */
size_t
hub_server_shutdown(struct hub_server *srv)
{
	hub_shutdown(srv->hub);
	hub_lws_schedule(srv);
	return srv->nconns;
}

/* The WebSocket connections open. */
size_t
hub_server_connections(const struct hub_server *srv)
{
	return srv->nconns;
}

/* The listening port. */
int
hub_server_port(const struct hub_server *srv)
{
	return srv->port;
}

/* Registers an in-process connection. */
void
hub_server_local_add(struct hub_server *srv, void *conn, const struct hub_server_local *ops)
{
	struct hub_lws_local *l = xcalloc(1, sizeof *l);

	(void)srv;
	l->conn = conn;
	l->ops = *ops;
	l->next = hub_lws_locals;
	hub_lws_locals = l;
}

/* Forgets an in-process connection. */
void
hub_server_local_remove(struct hub_server *srv, void *conn)
{
	struct hub_lws_local **pp, *l;

	(void)srv;
	for (pp = &hub_lws_locals; (l = *pp) != NULL; pp = &l->next) {
		if (l->conn == conn) {
			*pp = l->next;
			free(l);
			return;
		}
	}
}

/* After a call into the hub from outside an lws callback: its periodic work is
 * scheduled for when it wants it. */
void
hub_server_after_input(struct hub_server *srv)
{
	hub_lws_schedule(srv);
}

/* Frees the server (after lws_context_destroy()). */
void
hub_server_free(struct hub_server *srv)
{
	size_t i;

	if (srv == NULL)
		return;
	hub_free(srv->hub);
	for (i = 0; i < srv->norigins; i++)
		free(srv->origins[i]);
	free(srv->origins);
	for (i = 0; i < srv->nmetrics_allow; i++)
		free(srv->metrics_allow[i]);
	free(srv->metrics_allow);
	free(srv->batch);
	free(srv);
}
