/* hub_lws.c: the libwebsockets glue of the hub: one vhost, one protocol ("confab.1").
 *
 * Callbacks only move bytes: complete frames go to hub_session_input(), and on WRITEABLE
 * one frame from hub_session_next_frame() is written (one lws_write per callback, re-armed
 * while more is queued). The hub's periodic work runs from an lws_sul timer scheduled for
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
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_lws.h"
#include "net/pmdguard.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HUB_LWS_RX_BUFFER 4096

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
 * proves it alive. After 90 s without proof lws sends a WebSocket PING (2 bytes; the PONG
 * is 6), and drops a connection with no proof for 150 s, which frees a vanished attendee's
 * name. In lws 4.1.6 a PING received from the client proves nothing on either side, so
 * the client's PINGs (after 45 s of silence from the hub, src/net/conn.h) do not spare
 * ours: 90 s keeps them at most 40 an hour on a silent link (320 bytes), fewer when the
 * client sends its clock samples (bench/RESULTS.md has the hour's sum). */
static const lws_retry_bo_t hub_lws_idle_policy = {
	.secs_since_valid_ping = 90,
	.secs_since_valid_hangup = 150,
};

struct hub_server {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct hub *hub;
	int port;
	lws_sorted_usec_list_t sul;
	struct lws_protocols protocols[2];
	struct lws_extension extensions[2];
	char vhost_name[64];
	bool deflate;          /* permessage-deflate is offered to clients */
	int deflate_bits, deflate_memlevel;
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
};

/* Runs the hub's periodic work. */
static void
hub_lws_tick(lws_sorted_usec_list_t *sul)
{
	struct hub_server *srv = lws_container_of(sul, struct hub_server, sul);
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

/* Hub callback: drop conn soon (not from inside the hub's call). */
static void
hub_lws_close_conn(void *conn)
{
	struct hub_lws_local *l = hub_lws_local_find(conn);

	if (l != NULL)
		l->ops.close_conn(conn);
	else
		lws_set_timeout(conn, PENDING_TIMEOUT_LAGGING, LWS_TO_KILL_ASYNC);
}

/* Appends a received piece to the message being reassembled; delivers it when complete.
 * Returns -1 to close the connection. */
static int
hub_lws_receive(struct lws *wsi, struct hub_lws_conn *c, const char *in, size_t len)
{
	if (c->killed)
		return -1;
	if (lws_is_first_fragment(wsi)) {
		c->rxlen = 0;
		c->overflow = false;
		c->binary = lws_frame_is_binary(wsi) != 0;
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
	lws_validity_confirmed(wsi); /* data proves the link alive: no PING needed */
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
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
		return 0;
	if (c->overflow) {
		char detail[64];

		snprintf(detail, sizeof detail, "frame over %d bytes", PROTO_MAX_FRAME);
		hub_session_frame_error(c->hs, PE_BAD_FRAME, detail);
	} else
		hub_session_input(c->hs, c->rx != NULL ? c->rx : "", c->rxlen, c->binary);
	c->rxlen = 0;
	c->overflow = false;
	if (c->rxcap > 4 * 1024) {
		free(c->rx);
		c->rx = NULL;
		c->rxcap = 0;
	}
	return 0;
}

/* Writes one queued frame. Returns -1 to close the connection. */
static int
hub_lws_writeable(struct lws *wsi, struct hub_lws_conn *c)
{
	struct msg *m;
	int n;

	m = hub_session_next_frame(c->hs);
	if (m == NULL)
		return 0;
	n = lws_write(wsi, (unsigned char *)msg_payload(m), m->len, LWS_WRITE_TEXT);
	msg_unref(c->writing);
	c->writing = m;
	if (n < (int)m->len) {
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
	log_info("hub: %s: permessage-deflate on (window bits %d, memLevel %d)", peer, b,
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
		c->hs = hub_session_open(srv->hub, wsi, peer);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return -1;
		if (hub_lws_receive(wsi, c, in, len) != 0)
			return -1;
		hub_lws_schedule(srv);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return 0;
		return hub_lws_writeable(wsi, c);
	case LWS_CALLBACK_CLOSED:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return 0;
		hub_session_closed(c->hs);
		c->hs = NULL;
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
	hcfg.clock = cfg->clock;
	hcfg.name = "confabd " PACKAGE_VERSION;
	hcfg.pre = LWS_PRE;
	hcfg.want_write = hub_lws_want_write;
	hcfg.close_conn = hub_lws_close_conn;
	if ((srv->hub = hub_create(&hcfg, cause)) == NULL) {
		free(srv);
		return NULL;
	}

	srv->protocols[0].name = PROTO_SUBPROTOCOL;
	srv->protocols[0].callback = hub_lws_callback;
	srv->protocols[0].per_session_data_size = sizeof(struct hub_lws_conn);
	srv->protocols[0].rx_buffer_size = HUB_LWS_RX_BUFFER;
	srv->protocols[0].user = srv;
	snprintf(srv->vhost_name, sizeof srv->vhost_name, "confab-hub-%u", serial++);
	hub_lws_deflate_config(srv);
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
	return srv;
}

/* The listening port. */
int
hub_server_port(const struct hub_server *srv)
{
	return srv->port;
}

/* The hub. */
struct hub *
hub_server_hub(struct hub_server *srv)
{
	return srv->hub;
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
	if (srv == NULL)
		return;
	hub_free(srv->hub);
	free(srv);
}
