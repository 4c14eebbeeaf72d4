/* conn.c: the client's WebSocket link to the hub: connect, reassemble, queue, reconnect. */
#include "util/i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "net/backoff.h"
#include "net/conn.h"
#include "proto/proto.h"
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
	struct conn_url url;
	char *url_text;
	struct conn_callbacks cb;
	enum conn_state state;
	struct lws *wsi;
	unsigned attempt;
	int stopping;
	const char *drop_reason;      /* static string, set when we drop the link */

	char *rx;                     /* message being reassembled */
	size_t rxlen;
	int rx_overflow;

	struct conn_frame *head, *tail;
	size_t nqueued;
	struct conn_frame *inflight;  /* written last: deflate may still read it */

	lws_sorted_usec_list_t sul_retry, sul_ping, sul_dead;
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
		*cause = xstrdup(_("TLS is not supported yet: use a ws:// address"));
		return -1;
	}
	if (strncasecmp(s, "ws://", 5) != 0) {
		*cause = xasprintf(_("bad hub address \"%s\": expected ws://HOST:PORT"), s);
		return -1;
	}
	p = s + 5;
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
	*cause = xasprintf(_("bad hub address \"%s\": expected ws://HOST:PORT"), s);
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
	c->rxlen = 0;
	c->rx_overflow = 0;
}

static void conn_connect(struct conn *c);

/* Retry timer: makes the next attempt. */
static void
conn_retry_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_retry);

	conn_connect(c);
}

/* Tick timer: lets the owner send a ping when one is due, then sleeps for as long as the
 * owner says (no wake-ups while nothing is due). */
static void
conn_ping_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_ping);

	if (c->state != CS_OPEN)
		return;
	int64_t next = CONN_TICK_MAX_MS;

	if (c->cb.keepalive != NULL)
		next = c->cb.keepalive(c->cb.arg);
	if (next <= 0 || next > CONN_TICK_MAX_MS)
		next = CONN_TICK_MAX_MS;
	lws_sul_schedule(c->cx, 0, &c->sul_ping, conn_ping_cb, (lws_usec_t)next * 1000);
}

/* Dead-link timer: nothing arrived for too long: drop the link (it will reconnect). */
static void
conn_dead_cb(lws_sorted_usec_list_t *sul)
{
	struct conn *c = lws_container_of(sul, struct conn, sul_dead);

	if (c->state != CS_OPEN || c->wsi == NULL)
		return;
	log_warn("conn: nothing from the hub for %d s: dropping the link", CONN_DEAD_MS / 1000);
	c->drop_reason = N_("no data from the hub for 75 s");
	lws_set_timeout(c->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* The link is gone (or never came): tell the owner and schedule the next attempt. */
static void
conn_dropped(struct conn *c, const char *reason)
{
	uint32_t rnd = 0;
	int64_t delay = -1;

	if (c->state != CS_CONNECTING && c->state != CS_OPEN)
		return;
	if (c->drop_reason != NULL)
		reason = _(c->drop_reason);
	c->drop_reason = NULL;
	c->wsi = NULL;
	conn_reset_rx(c);
	conn_drop_queue(c);
	lws_sul_cancel(&c->sul_ping);
	lws_sul_cancel(&c->sul_dead);
	if (c->stopping) {
		c->state = CS_STOPPED;
	} else {
		lws_get_random(c->cx, &rnd, sizeof rnd);
		delay = backoff_delay_ms(c->attempt, rnd);
		if (c->attempt < 16)
			c->attempt++;
		c->state = CS_WAITING;
		lws_sul_schedule(c->cx, 0, &c->sul_retry, conn_retry_cb, (lws_usec_t)delay * 1000);
	}
	log_info("conn: link down (%s); next attempt in %lld ms", reason, (long long)delay);
	if (c->cb.disconnected != NULL)
		c->cb.disconnected(c->cb.arg, reason, delay);
}

/* Makes one connection attempt. */
static void
conn_connect(struct conn *c)
{
	struct lws_client_connect_info i;
	struct lws *wsi;

	if (c->stopping)
		return;
	memset(&i, 0, sizeof i);
	i.context = c->cx;
	i.vhost = c->vh;
	i.address = c->url.host;
	i.port = c->url.port;
	i.path = c->url.path;
	i.host = c->url.host;
	i.origin = c->url.host;
	i.protocol = PROTO_SUBPROTOCOL;
	i.local_protocol_name = CONN_PROTOCOL_NAME;
	i.opaque_user_data = c;
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

/* Appends a received piece to the message being reassembled. */
static void
conn_rx(struct conn *c, struct lws *wsi, const void *in, size_t len)
{
	if (!c->rx_overflow && c->rxlen + len > CONN_MAX_MESSAGE) {
		log_warn("conn: a message from the hub is over %d bytes: dropped",
		    CONN_MAX_MESSAGE);
		c->rx_overflow = 1;
		free(c->rx);
		c->rx = NULL;
		c->rxlen = 0;
	}
	if (!c->rx_overflow && len > 0) {
		c->rx = xrealloc(c->rx, c->rxlen + len + 1);
		memcpy(c->rx + c->rxlen, in, len);
		c->rxlen += len;
	}
	lws_sul_schedule(c->cx, 0, &c->sul_dead, conn_dead_cb, (lws_usec_t)CONN_DEAD_MS * 1000);
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi) != 0)
		return;
	if (!c->rx_overflow && c->rx != NULL) {
		char *msg = c->rx;
		size_t n = c->rxlen;

		msg[n] = '\0';
		c->rx = NULL;
		c->rxlen = 0;
		if (c->cb.frame != NULL)
			c->cb.frame(c->cb.arg, msg, n);
		free(msg);
	}
	conn_reset_rx(c);
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
	if (c->head != NULL || c->stopping)
		lws_callback_on_writable(wsi);
	return 0;
}

/* The lws protocol callback for the hub link. */
static int
conn_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	struct conn *c = lws_get_opaque_user_data(wsi);

	(void)user;
	if (c == NULL)
		return 0;
	if (c->wsi != NULL && c->wsi != wsi)
		return 0; /* a stale connection */
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->wsi = wsi;
		c->state = CS_OPEN;
		c->attempt = 0;
		lws_sul_schedule(c->cx, 0, &c->sul_ping, conn_ping_cb,
		    (lws_usec_t)CONN_TICK_FIRST_MS * 1000);
		lws_sul_schedule(c->cx, 0, &c->sul_dead, conn_dead_cb,
		    (lws_usec_t)CONN_DEAD_MS * 1000);
		log_info("conn: connected to %s", c->url_text);
		if (c->cb.connected != NULL)
			c->cb.connected(c->cb.arg);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		conn_rx(c, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return conn_writeable(c, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		lws_set_opaque_user_data(wsi, NULL);
		conn_dropped(c, in != NULL && len > 0 ? (const char *)in :
		    _("could not connect"));
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		lws_set_opaque_user_data(wsi, NULL);
		conn_dropped(c, _("closed by the hub"));
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
	c->cb = *cb;
	return c;
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
	lws_callback_on_writable(c->wsi);
	return 0;
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
	lws_sul_cancel(&c->sul_ping);
	lws_sul_cancel(&c->sul_dead);
	if (c->state == CS_OPEN && c->wsi != NULL)
		lws_callback_on_writable(c->wsi);
	else if (c->state != CS_CONNECTING)
		c->state = CS_STOPPED;
}

/* Frees c; any live wsi forgets it. */
void
conn_free(struct conn *c)
{
	if (c == NULL)
		return;
	lws_sul_cancel(&c->sul_retry);
	lws_sul_cancel(&c->sul_ping);
	lws_sul_cancel(&c->sul_dead);
	if (c->wsi != NULL)
		lws_set_opaque_user_data(c->wsi, NULL);
	conn_reset_rx(c);
	conn_drop_queue(c);
	conn_url_clear(&c->url);
	free(c->url_text);
	free(c);
}
