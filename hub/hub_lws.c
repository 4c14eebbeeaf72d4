/* hub_lws.c: the libwebsockets glue of the hub: one vhost, one protocol ("confab.1").
 *
 * Callbacks only move bytes: complete frames go to hub_session_input(), and on WRITEABLE
 * one frame from hub_session_next_frame() is written (one lws_write per callback, re-armed
 * while more is queued). The hub's periodic work runs from an lws_sul timer scheduled for
 * whenever hub_tick_due() says. */
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_lws.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HUB_LWS_RX_BUFFER 4096

/* Dead peers: lws sends a WebSocket PING after a minute without traffic in both directions
 * and drops a connection that has not answered within 150 s. A minute keeps an idle
 * attendee's cost to about a hundred bytes an hour, yet frees a vanished one's name soon. */
static const lws_retry_bo_t hub_lws_idle_policy = {
	.secs_since_valid_ping = 60,
	.secs_since_valid_hangup = 150,
};

struct hub_server {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct hub *hub;
	int port;
	lws_sorted_usec_list_t sul;
	struct lws_protocols protocols[2];
	char vhost_name[64];
};

/* Per connection (lws allocates and zeroes it). */
struct hub_lws_conn {
	struct hub_session *hs;
	char *rx;              /* the message being reassembled */
	size_t rxlen, rxcap;
	bool overflow;         /* the message went over PROTO_MAX_FRAME: discarding */
	bool binary;
	struct msg *writing;   /* the frame last written (deflate may still read it) */
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

/* Hub callback: the session of conn has frames to send. */
static void
hub_lws_want_write(void *conn)
{
	lws_callback_on_writable(conn);
}

/* Hub callback: drop conn soon (not from inside the hub's call). */
static void
hub_lws_close_conn(void *conn)
{
	lws_set_timeout(conn, PENDING_TIMEOUT_LAGGING, LWS_TO_KILL_ASYNC);
}

/* Appends a received piece to the message being reassembled; delivers it when complete. */
static void
hub_lws_receive(struct lws *wsi, struct hub_lws_conn *c, const char *in, size_t len)
{
	if (lws_is_first_fragment(wsi)) {
		c->rxlen = 0;
		c->overflow = false;
		c->binary = lws_frame_is_binary(wsi) != 0;
	}
	if (!c->overflow && c->rxlen + len > PROTO_MAX_FRAME) {
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
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
		return;
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
	case LWS_CALLBACK_ESTABLISHED:
		if (srv == NULL || c == NULL)
			return -1;
		peer[0] = '\0';
		lws_get_peer_simple(wsi, peer, sizeof peer);
		memset(c, 0, sizeof *c);
		c->hs = hub_session_open(srv->hub, wsi, peer);
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (srv == NULL || c == NULL || c->hs == NULL)
			return -1;
		hub_lws_receive(wsi, c, in, len);
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

/* Creates the hub and its vhost. */
struct hub_server *
hub_server_create(struct lws_context *cx, const struct hub_server_config *cfg, char **cause)
{
	static unsigned serial;
	struct lws_context_creation_info info;
	struct hub_config hcfg;
	struct hub_server *srv;

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

	memset(&info, 0, sizeof info);
	info.port = cfg->port;
	info.iface = cfg->host;
	info.protocols = srv->protocols;
	info.vhost_name = srv->vhost_name;
	info.server_string = "confabd";
	info.retry_and_idle_policy = &hub_lws_idle_policy;
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

/* Frees the server (after lws_context_destroy()). */
void
hub_server_free(struct hub_server *srv)
{
	if (srv == NULL)
		return;
	hub_free(srv->hub);
	free(srv);
}
