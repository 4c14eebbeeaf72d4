/* relay.c: tunnels through a proxy or a transport's SOCKS5 port, spliced to a private
 * Unix socket that lws connects to (see relay.h for why).
 *
 * A tunnel goes CONNECTING (an lws raw client to the proxy) -> HANDSHAKE (SOCKS5 or HTTP
 * CONNECT on that connection) -> READY (done() was told the socket's address; waiting
 * for lws to connect) -> SPLICE (bytes both ways) -> DEAD. Each direction has a buffer;
 * a side whose buffer towards the other is over RELAY_HIGH stops being read until it has
 * drained below RELAY_LOW, so a slow proxy pushes back on lws and the other way round.
 * When one side closes, what is buffered for the other is written first, then it closes
 * too. Everything runs on the lws loop: no thread, no blocking call. */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "net/httpconnect.h"
#include "net/netutil.h"
#include "net/relay.h"
#include "net/socks5.h"
#include "util/container.h"
#include "util/log.h"
#include "util/xalloc.h"

#define RELAY_HIGH (256 * 1024)   /* stop reading a side above this much buffered */
#define RELAY_LOW (64 * 1024)     /* ... and read it again below this */
#define RELAY_CHUNK 16384         /* the most written at once */
#define RELAY_TAG_LISTENER 0x52454c41
#define RELAY_TAG_TUNNEL 0x54554e4e

enum tunnel_state { T_CONNECTING = 0, T_HANDSHAKE, T_READY, T_SPLICE, T_DEAD };

/* Bytes on their way to one side. */
struct relay_buf {
	unsigned char *data;
	size_t len, cap;
};

struct relay;

/* One tunnel: the connection to the proxy (out) and the one lws made to us (in). */
struct relay_tunnel {
	int tag;                         /* RELAY_TAG_TUNNEL */
	struct relay *r;
	struct relay_tunnel *next;
	enum tunnel_state state;
	struct lws *out, *in;
	int out_throttled, in_throttled; /* reading that side is paused */
	int out_gone, in_gone;           /* that side has closed */
	enum relay_via via;
	struct socks5 s5;
	struct httpconnect hc;
	char *host;                      /* what the proxy connects to, for the log */
	int port;
	struct relay_buf to_out, to_in;
	relay_done_fn done;
	void *arg;
	int reporting;                   /* sul_report is scheduled */
	struct relay_failure fail;       /* what to report; kind 0: success */
	char detail[160];
	lws_sorted_usec_list_t sul_timeout, sul_report;
};

struct relay {
	int tag;                         /* RELAY_TAG_LISTENER */
	struct lws_context *cx;
	struct lws_vhost *vh;
	char *dir, *path, *lws_path;     /* the private directory, the socket, "+socket" */
	struct lws *listener;
	struct relay_tunnel *tunnels;
	struct relay_tunnel *cur;        /* the last tunnel opened (for relay_wire) */
	uint64_t cur_tx, cur_rx;
};

/* Appends n bytes to b. */
static void
relay_buf_add(struct relay_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (b->len + n > b->cap) {
		b->cap = b->cap < 4096 ? 4096 : b->cap;
		while (b->cap < b->len + n)
			b->cap *= 2;
		b->data = xrealloc(b->data, b->cap);
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

/* Drops the first n bytes of b. */
static void
relay_buf_consume(struct relay_buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
}

/* Samples the TCP counters of t's connection to the proxy, when t is the current one. */
static void
relay_sample(struct relay_tunnel *t)
{
	if (t->r->cur == t && t->out != NULL)
		netutil_tcp_counters(lws_get_socket_fd(t->out), &t->r->cur_tx, &t->r->cur_rx);
}

/* Frees t once nothing refers to it any more (both sides gone, nothing scheduled). */
static void
relay_tunnel_reap(struct relay_tunnel *t)
{
	struct relay_tunnel **pp;

	if (t->state != T_DEAD || t->out != NULL || t->in != NULL || t->reporting)
		return;
	for (pp = &t->r->tunnels; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	if (t->r->cur == t)
		t->r->cur = NULL;
	lws_sul_cancel(&t->sul_timeout);
	httpconnect_clear(&t->hc);
	explicit_bzero(&t->s5, sizeof t->s5);
	free(t->to_out.data);
	free(t->to_in.data);
	free(t->host);
	free(t);
}

/* Closes one side from the loop (its close callback comes later). */
static void
relay_kill(struct lws *wsi)
{
	if (wsi != NULL)
		lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

/* Reports the outcome to the owner (from the loop, never inside relay_open). */
static void
relay_report_cb(lws_sorted_usec_list_t *sul)
{
	struct relay_tunnel *t = CF_CONTAINER_OF(sul, struct relay_tunnel, sul_report);
	relay_done_fn done = t->done;
	struct relay_failure f = t->fail;

	t->reporting = 0;
	t->done = NULL;
	if (done != NULL) {
		f.detail = t->detail;
		f.http_reason = t->hc.reason;
		done(t->arg, f.kind == 0 ? t->r->lws_path : NULL, f.kind == 0 ? NULL : &f);
	}
	relay_tunnel_reap(t);
}

/* Schedules the report. */
static void
relay_report(struct relay_tunnel *t)
{
	t->reporting = 1;
	lws_sul_schedule(t->r->cx, 0, &t->sul_report, relay_report_cb, 1);
}

/* The tunnel failed before it was up: both sides go, the owner is told why. */
static void
relay_fail(struct relay_tunnel *t, enum relay_fail kind, const char *detail)
{
	if (t->state == T_DEAD)
		return;
	log_info("relay: tunnel to %s:%d failed (%d%s%s)", t->host, t->port, (int)kind,
	    detail != NULL ? ": " : "", detail != NULL ? detail : "");
	t->state = T_DEAD;
	t->fail.kind = kind;
	strlcpy_cf(t->detail, detail != NULL ? detail : "", sizeof t->detail);
	lws_sul_cancel(&t->sul_timeout);
	relay_kill(t->out);
	relay_kill(t->in);
	relay_report(t);
}

/* The handshake or the wait for lws took too long. */
static void
relay_timeout_cb(lws_sorted_usec_list_t *sul)
{
	struct relay_tunnel *t = CF_CONTAINER_OF(sul, struct relay_tunnel, sul_timeout);

	if (t->state == T_READY) {
		/* lws never connected to us: nothing the owner waits for any more */
		t->state = T_DEAD;
		relay_kill(t->out);
		relay_tunnel_reap(t);
		return;
	}
	relay_fail(t, RELAY_F_TIMEOUT, NULL);
}

/* Pauses or resumes reading a side. */
static void
relay_throttle(struct lws *wsi, int *flag, int on)
{
	if (wsi == NULL || *flag == on)
		return;
	*flag = on;
	lws_rx_flow_control(wsi, !on);
}

/* Feeds the proxy's answer during the handshake. */
static void
relay_handshake_rx(struct relay_tunnel *t, const unsigned char *in, size_t len)
{
	size_t used = 0;
	int st;

	if (t->via == RELAY_SOCKS5) {
		st = socks5_input(&t->s5, in, len, &used);
		if (t->s5.outlen > 0) {
			relay_buf_add(&t->to_out, t->s5.out, t->s5.outlen);
			t->s5.outlen = 0;
			lws_callback_on_writable(t->out);
		}
		if (st == SOCKS5_FAIL) {
			t->fail.socks_err = (int)t->s5.err;
			t->fail.socks_rep = t->s5.rep;
			relay_fail(t, RELAY_F_SOCKS, NULL);
			return;
		}
		st = st == SOCKS5_DONE;
	} else {
		st = httpconnect_input(&t->hc, (const char *)in, len, &used);
		if (st == HTTPC_FAIL) {
			t->fail.http_status = t->hc.status;
			relay_fail(t, RELAY_F_HTTP, NULL);
			return;
		}
		st = st == HTTPC_DONE;
	}
	if (!st)
		return;
	/* up: what came after the answer is the hub's */
	relay_buf_add(&t->to_in, in + used, len - used);
	explicit_bzero(&t->s5, sizeof t->s5);
	httpconnect_clear(&t->hc);
	t->state = T_READY;
	log_info("relay: tunnel to %s:%d is up", t->host, t->port);
	lws_sul_schedule(t->r->cx, 0, &t->sul_timeout, relay_timeout_cb,
	    (lws_usec_t)RELAY_HANDSHAKE_MS * 1000);
	relay_report(t);
}

/* Data from one side: on to the other. */
static int
relay_rx(struct relay_tunnel *t, struct lws *wsi, const void *in, size_t len)
{
	if (wsi == t->out) {
		relay_sample(t);
		if (t->state == T_HANDSHAKE) {
			relay_handshake_rx(t, in, len);
			return 0;
		}
		if (t->state == T_DEAD)
			return 0;
		relay_buf_add(&t->to_in, in, len);
		if (t->in != NULL)
			lws_callback_on_writable(t->in);
		if (t->to_in.len > RELAY_HIGH)
			relay_throttle(t->out, &t->out_throttled, 1);
	} else if (wsi == t->in) {
		relay_buf_add(&t->to_out, in, len);
		if (t->out != NULL)
			lws_callback_on_writable(t->out);
		if (t->to_out.len > RELAY_HIGH)
			relay_throttle(t->in, &t->in_throttled, 1);
	}
	return 0;
}

/* A side may be written: the next chunk of its buffer. Returns -1 to close it (the
 * other side is gone and all is written). */
static int
relay_writeable(struct relay_tunnel *t, struct lws *wsi)
{
	unsigned char buf[LWS_PRE + RELAY_CHUNK];
	struct relay_buf *b;
	int other_gone;
	size_t n;

	if (wsi == t->out) {
		b = &t->to_out;
		other_gone = t->in_gone;
	} else {
		b = &t->to_in;
		other_gone = t->out_gone;
	}
	if (b->len == 0)
		return other_gone ? -1 : 0;
	n = b->len < RELAY_CHUNK ? b->len : RELAY_CHUNK;
	memcpy(buf + LWS_PRE, b->data, n);
	if (lws_write(wsi, buf + LWS_PRE, n, LWS_WRITE_RAW) < (int)n)
		return -1;
	relay_buf_consume(b, n);
	if (wsi == t->out)
		relay_sample(t);
	if (b->len > 0 || other_gone)
		lws_callback_on_writable(wsi);
	if (b->len < RELAY_LOW) {
		if (wsi == t->out)
			relay_throttle(t->in, &t->in_throttled, 0);
		else
			relay_throttle(t->out, &t->out_throttled, 0);
	}
	return 0;
}

/* One side has closed. */
static void
relay_side_gone(struct relay_tunnel *t, struct lws *wsi, const char *why)
{
	lws_set_opaque_user_data(wsi, NULL);
	if (wsi != t->out && wsi != t->in) {
		/* lws failed the connection inside lws_client_connect_via_info() */
		if (t->state == T_CONNECTING && t->out == NULL)
			relay_fail(t, RELAY_F_CONNECT, why);
		return;
	}
	if (wsi == t->out) {
		relay_sample(t);
		t->out = NULL;
		t->out_gone = 1;
		if (t->state == T_CONNECTING)
			relay_fail(t, RELAY_F_CONNECT, why);
		else if (t->state == T_HANDSHAKE)
			relay_fail(t, RELAY_F_CLOSED, why);
		else if (t->state == T_READY) {
			/* closed before lws came: lws will find an empty tunnel */
			t->state = T_DEAD;
		} else if (t->in != NULL) {
			if (t->to_in.len == 0)
				relay_kill(t->in);
			else
				lws_callback_on_writable(t->in);
		}
	} else if (wsi == t->in) {
		t->in = NULL;
		t->in_gone = 1;
		if (t->out != NULL) {
			if (t->to_out.len == 0)
				relay_kill(t->out);
			else
				lws_callback_on_writable(t->out);
		}
	}
	if (t->out == NULL && t->in == NULL)
		t->state = T_DEAD;
	relay_tunnel_reap(t);
}

/* Accepts what waits on the listening socket: our own lws client, paired with the tunnel
 * that is ready; anything else is closed. */
static void
relay_accept(struct relay *r)
{
	struct relay_tunnel *t;
	struct ucred cred;
	socklen_t clen;
	int fd, lfd = lws_get_socket_fd(r->listener);

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		clen = sizeof cred;
		for (t = r->tunnels; t != NULL; t = t->next)
			if (t->state == T_READY && t->done == NULL && !t->reporting)
				break;
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) != 0 ||
		    cred.pid != getpid() || t == NULL) {
			log_warn("relay: a connection that is not ours, or no tunnel for it: closed");
			close(fd);
			continue;
		}
		t->in = netutil_adopt(r->vh, fd, true, RELAY_PROTOCOL_NAME, t);
		if (t->in == NULL) {
			log_warn("relay: cannot adopt the connection");
			close(fd);
			t->state = T_DEAD;
			relay_kill(t->out);
			continue;
		}
		t->state = T_SPLICE;
		lws_sul_cancel(&t->sul_timeout);
		if (t->to_in.len > 0)
			lws_callback_on_writable(t->in);
	}
}

/* The lws callback of the relay's sockets. */
static int
relay_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	void *o = lws_get_opaque_user_data(wsi);
	struct relay_tunnel *t = o;

	(void)user;
	if (o == NULL)
		return 0;
	if (*(int *)o == RELAY_TAG_LISTENER) {
		if (reason == LWS_CALLBACK_RAW_RX_FILE)
			relay_accept(o);
		else if (reason == LWS_CALLBACK_RAW_CLOSE_FILE) {
			((struct relay *)o)->listener = NULL;
			lws_set_opaque_user_data(wsi, NULL);
		}
		return 0;
	}
	switch (reason) {
	case LWS_CALLBACK_RAW_CONNECTED:
		if (wsi != t->out || t->state != T_CONNECTING)
			break;
		t->state = T_HANDSHAKE;
		if (t->via == RELAY_SOCKS5) {
			relay_buf_add(&t->to_out, t->s5.out, t->s5.outlen);
			t->s5.outlen = 0;
		} else
			relay_buf_add(&t->to_out, t->hc.out, t->hc.outlen);
		lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_RAW_RX:
		return relay_rx(t, wsi, in, len);
	case LWS_CALLBACK_RAW_WRITEABLE:
		return relay_writeable(t, wsi);
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		relay_side_gone(t, wsi, in != NULL && len > 0 ? in : NULL);
		break;
	case LWS_CALLBACK_RAW_CLOSE:
		relay_side_gone(t, wsi, NULL);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols relay_lws_protocol = {
	RELAY_PROTOCOL_NAME, relay_callback, 0, 0, 0, NULL, 0
};

/* The protocol entry. */
const struct lws_protocols *
relay_protocol(void)
{
	return &relay_lws_protocol;
}

/* Makes the private directory: under $XDG_RUNTIME_DIR when it is usable, else the
 * temporary directory. New string, or NULL with errno. */
static char *
relay_mkdir(void)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	char *dir;

	if (base == NULL || base[0] != '/' || strlen(base) > 60 || access(base, W_OK) != 0)
		base = getenv("TMPDIR");
	if (base == NULL || base[0] != '/' || strlen(base) > 60 || access(base, W_OK) != 0)
		base = "/tmp";
	dir = xasprintf("%s/confab-relay-XXXXXX", base);
	if (mkdtemp(dir) == NULL) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* Creates the relay. */
struct relay *
relay_create(struct lws_context *cx, struct lws_vhost *vh, char **cause)
{
	struct relay *r = xcalloc(1, sizeof *r);
	struct sockaddr_un sa;
	int fd = -1;

	r->tag = RELAY_TAG_LISTENER;
	r->cx = cx;
	r->vh = vh;
	if ((r->dir = relay_mkdir()) == NULL)
		goto fail;
	r->path = xasprintf("%s/relay", r->dir);
	r->lws_path = xasprintf("+%s", r->path);
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	if (strlen(r->path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	strlcpy_cf(sa.sun_path, r->path, sizeof sa.sun_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0)
		goto fail;
	r->listener = netutil_adopt(vh, fd, false, RELAY_PROTOCOL_NAME, r);
	if (r->listener == NULL) {
		errno = EIO;
		goto fail;
	}
	log_info("relay: listening on %s", r->path);
	return r;
fail:
	*cause = xasprintf(_("cannot make the local relay for the proxy: %s"), strerror(errno));
	if (fd >= 0 && r->listener == NULL)
		close(fd);
	if (r->path != NULL)
		unlink(r->path);
	if (r->dir != NULL)
		rmdir(r->dir);
	free(r->dir);
	free(r->path);
	free(r->lws_path);
	free(r);
	return NULL;
}

/* Kills a tunnel that is not up yet, without telling its owner. */
static void
relay_drop(struct relay_tunnel *t)
{
	t->done = NULL;
	if (t->reporting) {
		lws_sul_cancel(&t->sul_report);
		t->reporting = 0;
	}
	if (t->state != T_SPLICE) {
		t->state = T_DEAD;
		lws_sul_cancel(&t->sul_timeout);
		relay_kill(t->out);
		relay_kill(t->in);
	}
	relay_tunnel_reap(t);
}

/* Cancels the tunnel being made. */
void
relay_cancel(struct relay *r)
{
	struct relay_tunnel *t, *next;

	for (t = r->tunnels; t != NULL; t = next) {
		next = t->next;
		if (t->state != T_SPLICE && t->state != T_DEAD)
			relay_drop(t);
		else if (t->done != NULL)
			relay_drop(t);
	}
}

/* Starts a tunnel. */
void
relay_open(struct relay *r, const struct relay_target *tg, relay_done_fn done, void *arg)
{
	struct relay_tunnel *t = xcalloc(1, sizeof *t);
	struct lws_client_connect_info i;
	struct lws *w;
	int bad = 0;

	relay_cancel(r);
	t->tag = RELAY_TAG_TUNNEL;
	t->r = r;
	t->via = tg->via;
	t->host = xstrdup(tg->host);
	t->port = tg->port;
	t->done = done;
	t->arg = arg;
	t->next = r->tunnels;
	r->tunnels = t;
	r->cur = t;
	r->cur_tx = r->cur_rx = 0;
	if (tg->via == RELAY_SOCKS5)
		bad = socks5_init(&t->s5, tg->host, tg->port, tg->user, tg->ulen, tg->pass,
		    tg->plen) != 0;
	else
		httpconnect_init(&t->hc, tg->host, tg->port, tg->ulen > 0 ? tg->user : NULL,
		    tg->ulen > 0 ? tg->pass : NULL, "confab/" PACKAGE_VERSION);
	if (bad) {
		t->state = T_CONNECTING;
		relay_fail(t, RELAY_F_LOCAL, _("the name or the credentials are too long for "
		    "SOCKS5 (at most 255 bytes each)"));
		return;
	}
	lws_sul_schedule(r->cx, 0, &t->sul_timeout, relay_timeout_cb,
	    (lws_usec_t)(tg->handshake_ms > 0 ? tg->handshake_ms : RELAY_HANDSHAKE_MS) * 1000);
	memset(&i, 0, sizeof i);
	i.context = r->cx;
	i.vhost = r->vh;
	i.address = tg->proxy_host;
	i.port = tg->proxy_port;
	i.host = tg->proxy_host;
	i.method = "RAW";
	i.local_protocol_name = RELAY_PROTOCOL_NAME;
	i.opaque_user_data = t;
	log_info("relay: connecting to %s:%d for %s:%d", tg->proxy_host, tg->proxy_port,
	    tg->host, tg->port);
	t->state = T_CONNECTING;
	w = lws_client_connect_via_info(&i);
	if (t->state != T_CONNECTING)
		return;     /* it failed already, inside the call */
	t->out = w;
	if (w == NULL)
		relay_fail(t, RELAY_F_CONNECT, NULL);
}

/* The last tunnel's TCP counters. */
void
relay_wire(struct relay *r, uint64_t *tx, uint64_t *rx)
{
	if (r->cur != NULL)
		relay_sample(r->cur);
	*tx = r->cur_tx;
	*rx = r->cur_rx;
}

/* Closes everything and frees r. */
void
relay_free(struct relay *r)
{
	struct relay_tunnel *t, *next;

	if (r == NULL)
		return;
	for (t = r->tunnels; t != NULL; t = next) {
		next = t->next;
		if (t->out != NULL) {
			lws_set_opaque_user_data(t->out, NULL);
			relay_kill(t->out);
		}
		if (t->in != NULL) {
			lws_set_opaque_user_data(t->in, NULL);
			relay_kill(t->in);
		}
		t->out = t->in = NULL;
		t->state = T_DEAD;
		lws_sul_cancel(&t->sul_report);
		t->reporting = 0;
		relay_tunnel_reap(t);
	}
	if (r->listener != NULL) {
		lws_set_opaque_user_data(r->listener, NULL);
		relay_kill(r->listener);
	}
	unlink(r->path);
	rmdir(r->dir);
	free(r->dir);
	free(r->path);
	free(r->lws_path);
	free(r);
}
