/* loadgen.c: a load generator for confab hubs (issue 13; bench/hubbench.py drives it).
 *
 * One process, one epoll loop, N WebSocket connections of its own minimal RFC 6455 client
 * (lg_ws.c) to a hub on loopback, and four phases, each bounded in time:
 *
 *   connect  non-blocking connects, at most --inflight between connect() and welcome:
 *            upgrade (subprotocol confab.1, permessage-deflate offered with --deflate),
 *            hello, welcome; then a wait for the hub to go quiet. Time to connect all,
 *            hub VmRSS before and after (/proc/PID/status) per connection.
 *   idle     --idle seconds of nothing but WebSocket PING/PONG: hub CPU (/proc/PID/stat).
 *   lines    connection 0 says --lines lines at --rate a second in the lobby, each stamped
 *            with CLOCK_MONOTONIC; every connection (the sender too) stamps each delivery
 *            on the same clock when its socket read returns. Latency percentiles, lost
 *            (not received once no delivery has come for --drain seconds) and duplicated
 *            lines (by the line number in the text) and chat seqs out of order, hub CPU
 *            per delivery (from the first line to the last delivery).
 *   burst    the connections beyond --burst-attendees are closed, the hub settles, then
 *            --burst-rate lines a second for --burst-seconds, from several senders so that
 *            none goes over the hub's rate limit of 5 lines a second (ceil(rate / 4)).
 *
 * With --capture-welcome FILE it connects once, writes the welcome it gets to FILE and
 * stops (bench/peer.js serves those bytes). Output: a table, then one JSON line. Errors
 * before everything is connected end the run (exit 1, one line on stderr saying why);
 * connections the hub drops later are counted. The text and frames the hubs send are read
 * by searching for compact JSON members ("type":"chat", "text":"lg ...), which is what
 * confabd and JSON.stringify() write. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench/loadgen.h"
#include "util/random.h"
#include "util/xalloc.h"

#define LG_RBUF (64 * 1024)
#define LG_EVENTS 512
#define LG_FD_SPARE 16         /* descriptors kept for epoll, stdio, /proc reads */
#define LG_MAX_SOURCES 254
#define LG_TAIL_NS 500000000LL /* after a chat phase: 0.5 s more to see late duplicates */
#define NS 1000000000LL

enum lg_state { LS_NEW, LS_CONNECTING, LS_UPGRADING, LS_HELLO, LS_READY, LS_CLOSED };

struct lg_conn {
	int fd;
	uint8_t state;
	uint8_t msg_op;               /* opcode of a fragmented message being read, or 0 */
	bool msg_rsv1;
	bool deflate;
	bool server_no_context;
	bool out_armed;               /* EPOLLOUT is asked for */
	uint32_t next_id;
	int64_t t_start;
	int64_t last_seq;
	struct lg_buf in, out, msg;
	z_stream *inf;
	uint64_t *seen;               /* lines of the chat phase received (bitmap) */
	char key[LG_WS_KEY_LEN + 1];
};

static volatile sig_atomic_t lg_stop;

/* Prints why the run cannot go on and exits 1. */
static void __attribute__((format(printf, 1, 2), noreturn))
lg_fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "loadgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* SIGINT, SIGTERM: stop at the next wake-up. */
static void
lg_on_signal(int sig)
{
	(void)sig;
	lg_stop = 1;
}

/* Finds needle in [p, p + len); NULL when absent. */
static const char *
lg_find(const char *p, size_t len, const char *needle)
{
	return memmem(p, len, needle, strlen(needle));
}

/* Reads a decimal integer at *p (before end), moving *p past it; false when none. */
static bool
lg_num(const char **p, const char *end, int64_t *v)
{
	const char *s = *p;
	bool neg = false;
	int64_t n = 0;

	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return false;
	while (s < end && *s >= '0' && *s <= '9' && n < INT64_MAX / 10 - 10)
		n = n * 10 + (*s++ - '0');
	*p = s;
	*v = neg ? -n : n;
	return true;
}

/* Asks epoll for EPOLLOUT on c, or stops asking. */
static void
lg_arm(struct lg *lg, struct lg_conn *c, bool out)
{
	struct epoll_event ev;

	if (c->out_armed == out)
		return;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | (out ? EPOLLOUT : 0);
	ev.data.u32 = (uint32_t)(c - lg->conns);
	if (epoll_ctl(lg->ep, EPOLL_CTL_MOD, c->fd, &ev) != 0)
		lg_fatal("epoll_ctl: %s", strerror(errno));
	c->out_armed = out;
}

/* Closes c and frees what it holds; why (may be NULL) is a drop by the hub or an error,
 * fatal before the connection is welcomed or while everyone connects. */
static void
lg_close(struct lg *lg, struct lg_conn *c, const char *why)
{
	struct lg_phase *ph = lg->cur;
	uint64_t got = 0;
	long i;

	if (c->state == LS_CLOSED)
		return;
	if (why != NULL && (c->state != LS_READY || ph == NULL || ph == &lg->ph[LP_CONNECT]))
		lg_fatal("connection %ld (lg%ld): %s", (long)(c - lg->conns),
		    (long)(c - lg->conns), why);
	if (why != NULL) {
		ph->dropped++;
		if (ph->first_error[0] == '\0')
			snprintf(ph->first_error, sizeof ph->first_error, "lg%ld dropped: %s",
			    (long)(c - lg->conns), why);
		if (lg->chatting && c->seen != NULL) {
			for (i = 0; i < ph->lines; i++)
				got += (c->seen[i / 64] >> (i % 64)) & 1;
			ph->lost_closed += (uint64_t)ph->lines - got;
		}
	}
	if (c->state == LS_READY)
		lg->nready--;
	else if (c->state != LS_NEW)
		lg->ninflight--;
	close(c->fd);
	c->fd = -1;
	c->state = LS_CLOSED;
	lg_buf_free(&c->in);
	lg_buf_free(&c->out);
	lg_buf_free(&c->msg);
	lg_ws_inflater_free(c->inf);
	c->inf = NULL;
	free(c->seen);
	c->seen = NULL;
}

/* Writes data to c, keeping what the socket does not take. */
static void
lg_write(struct lg *lg, struct lg_conn *c, const void *data, size_t len)
{
	ssize_t n = 0;

	if (c->out.len == 0) {
		n = send(c->fd, data, len, MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			lg_close(lg, c, strerror(errno));
			return;
		}
		if (n < 0)
			n = 0;
		if ((size_t)n == len)
			return;
	}
	lg_buf_append(&c->out, (const char *)data + n, len - (size_t)n);
	lg_arm(lg, c, true);
}

/* Sends what was kept for c. */
static void
lg_flush(struct lg *lg, struct lg_conn *c)
{
	ssize_t n;

	if (c->out.len == 0) {
		lg_arm(lg, c, false);
		return;
	}
	n = send(c->fd, c->out.p, c->out.len, MSG_NOSIGNAL);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			lg_close(lg, c, strerror(errno));
		return;
	}
	memmove(c->out.p, c->out.p + n, c->out.len - (size_t)n);
	c->out.len -= (size_t)n;
	if (c->out.len == 0) {
		lg_buf_free(&c->out);
		lg_arm(lg, c, false);
	}
}

/* Sends one frame of opcode with payload. */
static void
lg_send_frame(struct lg *lg, struct lg_conn *c, int opcode, bool rsv1, const void *payload,
    size_t len)
{
	lg->fbuf.len = 0;
	lg_buf_reserve(&lg->fbuf, len + LG_WS_HEADROOM);
	lg->fbuf.len = lg_ws_frame(lg->fbuf.p, opcode, rsv1, payload, len);
	lg_write(lg, c, lg->fbuf.p, lg->fbuf.len);
}

/* Sends a text message, compressed when deflate is on (unless --send-plain). */
static void
lg_send_text(struct lg *lg, struct lg_conn *c, const char *text, size_t len)
{
	if (c->deflate && !lg->o.send_plain) {
		if (lg_ws_deflate(lg->def, text, len, &lg->zbuf) != 0)
			lg_fatal("deflate failed");
		lg_send_frame(lg, c, LG_OP_TEXT, true, lg->zbuf.p, lg->zbuf.len);
	} else
		lg_send_frame(lg, c, LG_OP_TEXT, false, text, len);
}

/* Says line number line from c, stamped with the clock. */
static void
lg_say(struct lg *lg, struct lg_conn *c, int64_t line)
{
	char buf[256];
	int n;

	n = snprintf(buf, sizeof buf, "{\"type\":\"say\",\"id\":%u,\"room\":\"lobby\","
	    "\"text\":\"lg %s %lld %lld\",\"cid\":\"lg%s-%lld\"}", c->next_id++, lg->token,
	    (long long)line, (long long)lg_now_ns(), lg->token, (long long)line);
	lg_send_text(lg, c, buf, (size_t)n);
}

/* A chat event arrived at c at time t. */
static void
lg_chat(struct lg *lg, struct lg_conn *c, const char *m, size_t len, int64_t t)
{
	struct lg_phase *ph = lg->cur;
	const char *end = m + len, *p;
	int64_t seq, line, sent;
	uint64_t idx, bit;

	if ((p = lg_find(m, len, "\"seq\":")) != NULL) {
		p += 6;
		if (lg_num(&p, end, &seq)) {
			if (seq <= c->last_seq)
				ph->reorder++;
			c->last_seq = seq;
		}
	}
	if ((p = lg_find(m, len, "\"text\":\"lg ")) == NULL || end - p < 20 ||
	    memcmp(p + 11, lg->token, 8) != 0 || p[19] != ' ') {
		ph->stray++;
		return;
	}
	p += 20;
	if (!lg_num(&p, end, &line) || p >= end || *p++ != ' ' || !lg_num(&p, end, &sent) ||
	    !lg->chatting || c->seen == NULL || line < ph->line0 ||
	    line >= ph->line0 + ph->lines) {
		ph->stray++;
		return;
	}
	idx = (uint64_t)(line - ph->line0);
	bit = (uint64_t)1 << (idx % 64);
	if (c->seen[idx / 64] & bit) {
		ph->dup++;
		return;
	}
	c->seen[idx / 64] |= bit;
	ph->delivered++;
	ph->last_delivery = t;
	lg_samples_add(&ph->lat, (t - sent) / 1000);
}

/* The type of message m into type (cap bytes); "" when it has none. */
static void
lg_type(const char *m, size_t len, char *type, size_t cap)
{
	const char *p = lg_find(m, len, "\"type\":\""), *end = m + len;
	size_t n = 0;

	if (p != NULL)
		for (p += 8; p < end && *p != '"' && n + 1 < cap; p++)
			type[n++] = *p;
	type[n] = '\0';
}

/* Writes the welcome for --capture-welcome and stops. */
static void __attribute__((noreturn))
lg_capture(struct lg *lg, const char *m, size_t len)
{
	FILE *f = fopen(lg->o.capture, "wb");

	if (f == NULL || fwrite(m, 1, len, f) != len || fclose(f) != 0)
		lg_fatal("cannot write %s: %s", lg->o.capture, strerror(errno));
	printf("loadgen: wrote the welcome (%zu bytes) to %s\n", len, lg->o.capture);
	exit(0);
}

/* A whole message arrived at c at time t. */
static void
lg_message(struct lg *lg, struct lg_conn *c, int opcode, bool rsv1, const unsigned char *data,
    size_t len, int64_t t)
{
	struct lg_phase *ph = lg->cur;
	const char *why, *m;
	char type[32];

	if (rsv1) {
		if (lg_ws_inflate(c->inf, data, len, &lg->ibuf, &why) != 0) {
			lg_close(lg, c, why);
			return;
		}
		if (c->server_no_context)
			inflateReset(c->inf);
		data = lg->ibuf.p;
		len = lg->ibuf.len;
	}
	m = (const char *)data;
	if (opcode != LG_OP_TEXT) {
		ph->frames[LK_OTHER]++;
		return;
	}
	lg_type(m, len, type, sizeof type);
	if (strcmp(type, "chat") == 0) {
		ph->frames[LK_CHAT]++;
		lg_chat(lg, c, m, len, t);
	} else if (strcmp(type, "welcome") == 0) {
		ph->frames[LK_WELCOME]++;
		if (c->state != LS_HELLO)
			return;
		if (lg->o.capture != NULL)
			lg_capture(lg, m, len);
		c->state = LS_READY;
		lg->ninflight--;
		lg->nready++;
		lg->last_welcome = t;
		ph->welcome_bytes += len;
		lg_samples_add(&ph->conn_lat, (t - c->t_start) / 1000);
	} else if (strcmp(type, "ok") == 0)
		ph->frames[LK_OK]++;
	else if (strcmp(type, "rooms") == 0 || strcmp(type, "occupancy") == 0)
		ph->frames[LK_ROOMS]++;
	else if (strcmp(type, "error") == 0) {
		ph->frames[LK_ERROR]++;
		ph->errors++;
		if (c->state == LS_HELLO)
			lg_fatal("the hub refused the hello of lg%ld: %.*s", (long)(c - lg->conns),
			    (int)(len > 300 ? 300 : len), m);
		if (ph->first_error[0] == '\0')
			snprintf(ph->first_error, sizeof ph->first_error, "%.*s",
			    (int)(len > 150 ? 150 : len), m);
	} else
		ph->frames[LK_OTHER]++;
}

/* One frame arrived at c at time t; -1 when c was closed. */
static int
lg_frame(struct lg *lg, struct lg_conn *c, const struct lg_ws_frame *f, int64_t t)
{
	char why[64];

	switch (f->opcode) {
	case LG_OP_PING:
		lg->cur->frames[LK_PING]++;
		lg_send_frame(lg, c, LG_OP_PONG, false, f->payload, f->len);
		break;
	case LG_OP_PONG:
		break;
	case LG_OP_CLOSE:
		lg_send_frame(lg, c, LG_OP_CLOSE, false, f->payload, f->len >= 2 ? 2 : 0);
		snprintf(why, sizeof why, "the hub closed the WebSocket (code %d)",
		    f->len >= 2 ? f->payload[0] << 8 | f->payload[1] : 1005);
		lg_close(lg, c, why);
		return -1;
	case LG_OP_TEXT:
	case LG_OP_BINARY:
		if (c->msg_op != 0 || (f->rsv1 && !c->deflate)) {
			lg_close(lg, c, c->msg_op != 0 ? "a new message inside a fragmented one" :
			    "a compressed frame without permessage-deflate");
			return -1;
		}
		if (f->fin) {
			lg_message(lg, c, f->opcode, f->rsv1, f->payload, f->len, t);
			break;
		}
		c->msg_op = (uint8_t)f->opcode;
		c->msg_rsv1 = f->rsv1;
		lg_buf_append(&c->msg, f->payload, f->len);
		break;
	default: /* continuation */
		if (c->msg_op == 0 || f->rsv1 || c->msg.len + f->len > LG_WS_MAX_MESSAGE) {
			lg_close(lg, c, c->msg_op == 0 ? "a continuation frame out of a message" :
			    f->rsv1 ? "RSV1 on a continuation frame" : "a message over 8 MiB");
			return -1;
		}
		lg_buf_append(&c->msg, f->payload, f->len);
		if (f->fin) {
			lg_message(lg, c, c->msg_op, c->msg_rsv1, c->msg.p, c->msg.len, t);
			c->msg_op = 0;
			lg_buf_free(&c->msg);
		}
		break;
	}
	return c->state == LS_CLOSED ? -1 : 0;
}

/* The 101 answer is in: checks it, then says hello. */
static void
lg_upgraded(struct lg *lg, struct lg_conn *c, const struct lg_ws_answer *a)
{
	struct lg_phase *ph = lg->cur;
	char hello[160];
	int n;

	if (a->deflate && !lg->o.deflate) {
		lg_close(lg, c, "the hub accepted permessage-deflate, which was not offered");
		return;
	}
	if (a->deflate) {
		c->deflate = true;
		c->server_no_context = a->server_no_context;
		if ((c->inf = lg_ws_inflater(a->server_bits)) == NULL)
			lg_fatal("inflateInit2 failed");
		ph->deflate_on++;
		ph->marked += a->marked;
	}
	c->state = LS_HELLO;
	n = snprintf(hello, sizeof hello, "{\"type\":\"hello\",\"id\":%u,\"proto\":1,"
	    "\"name\":\"%s%ld\",\"client\":\"loadgen\"}", c->next_id++, lg->o.prefix,
	    (long)(c - lg->conns));
	lg_send_text(lg, c, hello, (size_t)n);
}

/* Parses what c has read, buf[len] at time t: returns the bytes used, -1 when c closed. */
static long
lg_parse(struct lg *lg, struct lg_conn *c, const unsigned char *buf, size_t len, int64_t t)
{
	struct lg_ws_answer a;
	struct lg_ws_frame f;
	const char *why = NULL;
	size_t off = 0;
	long r;

	if (c->state == LS_UPGRADING) {
		r = lg_ws_answer((const char *)buf, len, c->key, &a, &why);
		if (r == 0)
			return 0;
		if (r < 0) {
			lg_close(lg, c, why);
			return -1;
		}
		off = (size_t)r;
		lg_upgraded(lg, c, &a);
		if (c->state == LS_CLOSED)
			return -1;
	}
	while (off < len) {
		r = lg_ws_parse(buf + off, len - off, &f, &why);
		if (r == 0)
			break;
		if (r < 0) {
			lg_close(lg, c, why);
			return -1;
		}
		off += (size_t)r;
		if (lg_frame(lg, c, &f, t) != 0)
			return -1;
	}
	return (long)off;
}

/* c's socket can be read. */
static void
lg_readable(struct lg *lg, struct lg_conn *c)
{
	const unsigned char *p;
	ssize_t n;
	size_t len;
	long used;
	int64_t t;

	n = recv(c->fd, lg->rbuf, LG_RBUF, 0);
	t = lg_now_ns();
	if (n == 0) {
		lg_close(lg, c, "the hub closed the connection");
		return;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			lg_close(lg, c, strerror(errno));
		return;
	}
	lg->cur->bytes_in += (uint64_t)n;
	if (c->in.len > 0) {
		lg_buf_append(&c->in, lg->rbuf, (size_t)n);
		p = c->in.p;
		len = c->in.len;
	} else {
		p = lg->rbuf;
		len = (size_t)n;
	}
	if ((used = lg_parse(lg, c, p, len, t)) < 0)
		return;
	if (c->in.len > 0) {
		memmove(c->in.p, c->in.p + used, len - (size_t)used);
		c->in.len = len - (size_t)used;
		if (c->in.len == 0)
			lg_buf_free(&c->in);
	} else if ((size_t)used < len)
		lg_buf_append(&c->in, p + used, len - (size_t)used);
}

/* c's socket can be written: the connect completed, or kept bytes can go. */
static void
lg_writable(struct lg *lg, struct lg_conn *c)
{
	char req[512];
	size_t n;
	int err = 0;
	socklen_t el = sizeof err;

	if (c->state != LS_CONNECTING) {
		lg_flush(lg, c);
		return;
	}
	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 || err != 0) {
		lg_close(lg, c, strerror(err != 0 ? err : errno));
		return;
	}
	lg_ws_key(c->key);
	n = lg_ws_request(req, sizeof req, lg->o.host, lg->o.port, c->key, lg->o.deflate);
	c->state = LS_UPGRADING;
	lg_arm(lg, c, false);
	lg_write(lg, c, req, n);
}

/* Opens connection i. */
static void
lg_start(struct lg *lg, long i)
{
	struct lg_conn *c = &lg->conns[i];
	struct sockaddr_in dst, src;
	struct epoll_event ev;
	int one = 1;

	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		lg_fatal("socket: %s (connection %ld)", strerror(errno), i);
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (lg->nsources > 1) {
		/* several loopback sources, the port chosen at connect() */
		setsockopt(c->fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
		memset(&src, 0, sizeof src);
		src.sin_family = AF_INET;
		src.sin_addr.s_addr = htonl(0x7f000001u + (uint32_t)(i % lg->nsources));
		if (bind(c->fd, (struct sockaddr *)&src, sizeof src) != 0)
			lg_fatal("bind to 127.0.0.%ld: %s", 1 + i % lg->nsources, strerror(errno));
	}
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)lg->o.port);
	if (inet_pton(AF_INET, lg->o.host, &dst.sin_addr) != 1)
		lg_fatal("--host %s is not an IPv4 address", lg->o.host);
	if (connect(c->fd, (struct sockaddr *)&dst, sizeof dst) != 0 && errno != EINPROGRESS)
		lg_fatal("connect to %s:%d: %s (connection %ld%s)", lg->o.host, lg->o.port,
		    strerror(errno), i, errno == EADDRNOTAVAIL ?
		    "; out of ephemeral ports: try more --sources" : "");
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.u32 = (uint32_t)i;
	if (epoll_ctl(lg->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
		lg_fatal("epoll_ctl: %s", strerror(errno));
	c->out_armed = true;
	c->state = LS_CONNECTING;
	c->next_id = 1;
	c->t_start = lg_now_ns();
	lg->ninflight++;
	lg->nstarted++;
}

/* Handles the events of one wait, which ends by until (ns) at the latest. */
static void
lg_pump(struct lg *lg, int64_t until)
{
	struct epoll_event evs[LG_EVENTS];
	struct lg_conn *c;
	int64_t wait = until - lg_now_ns();
	int n, i, ms;

	if (lg_stop)
		lg_fatal("interrupted");
	ms = wait <= 0 ? 0 : wait >= 1000000000 ? 1000 : (int)((wait + 999999) / 1000000);
	n = epoll_wait(lg->ep, evs, LG_EVENTS, ms);
	if (n < 0 && errno != EINTR)
		lg_fatal("epoll_wait: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		c = &lg->conns[evs[i].data.u32];
		if (c->state == LS_CLOSED)
			continue;
		if (evs[i].events & EPOLLOUT)
			lg_writable(lg, c);
		if (c->state != LS_CLOSED && evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			lg_readable(lg, c);
	}
}

/* Handles events until the clock reaches until (ns). */
static void
lg_wait_until(struct lg *lg, int64_t until)
{
	while (lg_now_ns() < until)
		lg_pump(lg, until);
}

/* Starts a phase: counters, clocks, hub CPU and memory. */
static void
lg_phase_begin(struct lg *lg, enum lg_phase_id id, const char *name)
{
	struct lg_phase *ph = &lg->ph[id];

	ph->name = name;
	ph->ran = true;
	memset(ph->frames, 0, sizeof ph->frames);   /* not what came while it was prepared */
	ph->bytes_in = 0;
	ph->attendees = lg->nready;
	ph->rss0 = lg_proc_rss_kib(lg->o.pid);
	ph->self_cpu0 = lg_self_cpu();
	ph->hub_cpu0 = lg_proc_cpu(lg->o.pid);
	ph->hub_wait0 = lg_proc_wait(lg->o.pid);
	ph->self_wait0 = lg_proc_wait(getpid());
	ph->t0 = lg_now_ns();
	lg->cur = ph;
	fprintf(stderr, "loadgen: %s: begins with %ld connections\n", name, lg->nready);
}

/* Ends a phase's measurement (what still arrives is counted in it). */
static void
lg_phase_end(struct lg *lg, struct lg_phase *ph)
{
	ph->t1 = lg_now_ns();
	ph->hub_cpu1 = lg_proc_cpu(lg->o.pid);
	ph->hub_wait1 = lg_proc_wait(lg->o.pid);
	ph->self_wait1 = lg_proc_wait(getpid());
	ph->self_cpu1 = lg_self_cpu();
	ph->rss1 = lg_proc_rss_kib(lg->o.pid);
	if (ph->hub_cpu1 < 0)
		lg_fatal("the hub (pid %ld) has gone", (long)lg->o.pid);
	fprintf(stderr, "loadgen: %s: ends after %.2f s\n", ph->name,
	    (double)(ph->t1 - ph->t0) / NS);
}

/* Waits at least min_s, then until the hub used under 5% of a core over half a second,
 * max_s at most; returns the seconds waited. */
static double
lg_settle(struct lg *lg, double min_s, double max_s)
{
	int64_t t0 = lg_now_ns(), slice, end;
	double cpu, prev = lg_proc_cpu(lg->o.pid);

	end = t0 + (int64_t)(max_s * NS);
	while (lg_now_ns() < end) {
		slice = lg_now_ns() + NS / 2;
		if (slice > end)
			slice = end;
		lg_wait_until(lg, slice);
		cpu = lg_proc_cpu(lg->o.pid);
		if (lg_now_ns() - t0 >= (int64_t)(min_s * NS) && cpu - prev < 0.025)
			break;
		prev = cpu;
	}
	return (double)(lg_now_ns() - t0) / NS;
}

/* Phase 1: connect, upgrade, hello and welcome for every attendee. */
static void
lg_phase_connect(struct lg *lg)
{
	struct lg_phase *ph = &lg->ph[LP_CONNECT];
	int64_t deadline;

	lg_phase_begin(lg, LP_CONNECT, "connect");
	deadline = ph->t0 + (int64_t)(lg->o.connect_timeout_s * NS);
	while (lg->nready < lg->o.attendees) {
		while (lg->ninflight < lg->o.inflight && lg->nstarted < lg->o.attendees)
			lg_start(lg, lg->nstarted);
		if (lg_now_ns() >= deadline)
			lg_fatal("only %ld of %ld attendees had their welcome after %.0f s "
			    "(--connect-timeout)", lg->nready, lg->o.attendees,
			    lg->o.connect_timeout_s);
		lg_pump(lg, deadline);
	}
	ph->attendees = lg->nready;
	lg_phase_end(lg, ph);
	ph->t1 = lg->last_welcome;
	ph->settle_s = lg_settle(lg, lg->o.settle_min_s, lg->o.settle_max_s);
	ph->rss1 = lg_proc_rss_kib(lg->o.pid);
	ph->self_cpu1 = lg_self_cpu();
}

/* Phase 2: nothing but liveness for idle_s. */
static void
lg_phase_idle(struct lg *lg)
{
	struct lg_phase *ph = &lg->ph[LP_IDLE];
	int64_t end;

	lg_phase_begin(lg, LP_IDLE, "idle");
	end = ph->t0 + (int64_t)(lg->o.idle_s * NS);
	lg_wait_until(lg, end);
	lg_phase_end(lg, ph);
}

/* Phases 3 and 4: lines at rate a second from nsenders senders, to everyone. */
static void
lg_phase_chat(struct lg *lg, enum lg_phase_id id, const char *name, double rate, long lines,
    long nsenders)
{
	struct lg_phase *ph = &lg->ph[id];
	struct lg_conn **senders;
	int64_t due, deadline, done_at;
	long i, k, ns = 0;

	senders = xcalloc((size_t)nsenders, sizeof *senders);
	for (i = 0; i < lg->nstarted; i++) {
		if (lg->conns[i].state != LS_READY)
			continue;
		lg->conns[i].seen = xcalloc((size_t)(lines + 63) / 64, sizeof(uint64_t));
		if (ns < nsenders)
			senders[ns++] = &lg->conns[i];
	}
	if (ns == 0)
		lg_fatal("%s: no connection is open", name);
	lg_phase_begin(lg, id, name);
	ph->rate = rate;
	ph->lines = lines;
	ph->nsenders = ns;
	ph->line0 = lg->next_line;
	lg->next_line += lines;
	ph->expected = (uint64_t)lg->nready * (uint64_t)lines;
	lg->chatting = true;
	for (k = 0; k < lines; k++) {
		due = ph->t0 + (int64_t)((double)k * (double)NS / rate);
		lg_wait_until(lg, due);
		if (senders[k % ns]->state == LS_READY) {
			lg_say(lg, senders[k % ns], ph->line0 + k);
			ph->sent++;
		}
	}
	/* the rest may come late: wait while deliveries still come, until none has for
	 * drain_s (what has not come then is lost), and 20 drain_s at most */
	ph->last_delivery = lg_now_ns();
	deadline = ph->last_delivery + 20 * (int64_t)(lg->o.drain_s * NS);
	while (ph->delivered + ph->lost_closed < ph->expected && lg_now_ns() < deadline &&
	    lg_now_ns() - ph->last_delivery < (int64_t)(lg->o.drain_s * NS))
		lg_pump(lg, ph->last_delivery + (int64_t)(lg->o.drain_s * NS));
	lg_phase_end(lg, ph);
	done_at = lg_now_ns() + LG_TAIL_NS;
	lg_wait_until(lg, done_at);   /* late duplicates still count */
	lg->chatting = false;
	for (i = 0; i < lg->nstarted; i++) {
		free(lg->conns[i].seen);
		lg->conns[i].seen = NULL;
	}
	free(senders);
}

/* Before the burst: closes the connections beyond n and lets the hub settle. */
static void
lg_shrink(struct lg *lg, long n)
{
	long i;

	lg->cur = &lg->ph[LP_BURST];   /* drops while it settles count there */
	for (i = n; i < lg->nstarted; i++)
		lg_close(lg, &lg->conns[i], NULL);
	lg->ph[LP_BURST].settle_s = lg_settle(lg, lg->o.settle_min_s, lg->o.settle_max_s);
}

/* The number of loopback sources that keeps each under 3/4 of the ephemeral ports. */
static int
lg_sources(long n)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
	long lo = 32768, hi = 60999, per;

	if (f != NULL) {
		if (fscanf(f, "%ld %ld", &lo, &hi) != 2)
			lo = 32768, hi = 60999;
		fclose(f);
	}
	per = (hi - lo + 1) * 3 / 4;
	if (per < 1)
		per = 1;
	return (int)((n + per - 1) / per);
}

/* Raises the soft limit on open files to the hard one; exits when n do not fit. */
static void
lg_files(long n)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		lg_fatal("getrlimit: %s", strerror(errno));
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
		lg_fatal("setrlimit: %s", strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)(n + LG_FD_SPARE) > rl.rlim_cur)
		lg_fatal("%ld connections need %ld descriptors; the limit on open files is %llu",
		    n, n + LG_FD_SPARE, (unsigned long long)rl.rlim_cur);
}

/* Prints the usage and exits with status. */
static void __attribute__((noreturn))
lg_usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "Usage: loadgen --port PORT --pid HUBPID [OPTION]...\n"
	    "       loadgen --port PORT --capture-welcome FILE\n"
	    "  --host ADDR              hub address (IPv4, default 127.0.0.1)\n"
	    "  --attendees N            connections (default 2000)\n"
	    "  --inflight N             connections between connect() and welcome (200)\n"
	    "  --deflate                offer permessage-deflate (client_max_window_bits=10)\n"
	    "  --send-plain             with --deflate: send our frames uncompressed\n"
	    "  --idle S                 idle phase seconds (10; 0: none)\n"
	    "  --lines N --rate R       lines phase: N lines at R a second (10, 1; 0: none)\n"
	    "  --burst-attendees N      burst phase with the first N connections (0: none)\n"
	    "  --burst-rate R --burst-seconds S   (20 lines a second for 5 s)\n"
	    "  --settle-min S --settle-max S      quiet wait after connect and before the\n"
	    "                           burst (1, 20)\n"
	    "  --drain S                after the last line, wait until no delivery has come\n"
	    "                           for S seconds (10; 20 S at most)\n"
	    "  --connect-timeout S      connect phase limit (120)\n"
	    "  --sources K              loopback sources 127.0.0.1..K (default: enough for the\n"
	    "                           ephemeral ports)\n"
	    "  --name-prefix P          attendees are named P0, P1, ... (lg)\n"
	    "  --label TEXT             names the run in the output\n"
	    "  --json FILE              also append the JSON line to FILE\n");
	exit(status);
}

/* A number option, checked against [lo, hi]. */
static double
lg_opt_num(const char *name, const char *arg, double lo, double hi)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "loadgen: --%s %s: want a number from %g to %g\n", name, arg,
		    lo, hi);
		exit(2);
	}
	return v;
}

/* Reads the options. */
static void
lg_options(struct lg_opts *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'p' },
		{ "pid", required_argument, NULL, 'P' },
		{ "label", required_argument, NULL, 'l' },
		{ "name-prefix", required_argument, NULL, 'x' },
		{ "attendees", required_argument, NULL, 'n' },
		{ "inflight", required_argument, NULL, 'f' },
		{ "deflate", no_argument, NULL, 'd' },
		{ "send-plain", no_argument, NULL, 'u' },
		{ "idle", required_argument, NULL, 'i' },
		{ "lines", required_argument, NULL, 'L' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst-attendees", required_argument, NULL, 'b' },
		{ "burst-rate", required_argument, NULL, 'R' },
		{ "burst-seconds", required_argument, NULL, 'S' },
		{ "settle-min", required_argument, NULL, 'm' },
		{ "settle-max", required_argument, NULL, 'M' },
		{ "drain", required_argument, NULL, 'D' },
		{ "connect-timeout", required_argument, NULL, 'T' },
		{ "sources", required_argument, NULL, 's' },
		{ "capture-welcome", required_argument, NULL, 'c' },
		{ "json", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	memset(o, 0, sizeof *o);
	o->host = "127.0.0.1";
	o->label = "hub";
	o->prefix = "lg";
	o->attendees = 2000;
	o->inflight = 200;
	o->idle_s = 10;
	o->lines = 10;
	o->rate = 1;
	o->burst_rate = 20;
	o->burst_s = 5;
	o->settle_min_s = 1;
	o->settle_max_s = 20;
	o->drain_s = 10;
	o->connect_timeout_s = 120;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': o->host = optarg; break;
		case 'p': o->port = (int)lg_opt_num("port", optarg, 1, 65535); break;
		case 'P': o->pid = (pid_t)lg_opt_num("pid", optarg, 1, 4194304); break;
		case 'l': o->label = optarg; break;
		case 'x': o->prefix = optarg; break;
		case 'n': o->attendees = (long)lg_opt_num("attendees", optarg, 1, 1000000); break;
		case 'f': o->inflight = (long)lg_opt_num("inflight", optarg, 1, 100000); break;
		case 'd': o->deflate = true; break;
		case 'u': o->send_plain = true; break;
		case 'i': o->idle_s = lg_opt_num("idle", optarg, 0, 86400); break;
		case 'L': o->lines = (long)lg_opt_num("lines", optarg, 0, 1000000); break;
		case 'r': o->rate = lg_opt_num("rate", optarg, 0.01, 10000); break;
		case 'b': o->burst_n = (long)lg_opt_num("burst-attendees", optarg, 0, 1000000);
			break;
		case 'R': o->burst_rate = lg_opt_num("burst-rate", optarg, 0.01, 10000); break;
		case 'S': o->burst_s = lg_opt_num("burst-seconds", optarg, 0.1, 86400); break;
		case 'm': o->settle_min_s = lg_opt_num("settle-min", optarg, 0, 3600); break;
		case 'M': o->settle_max_s = lg_opt_num("settle-max", optarg, 0, 3600); break;
		case 'D': o->drain_s = lg_opt_num("drain", optarg, 0, 3600); break;
		case 'T': o->connect_timeout_s = lg_opt_num("connect-timeout", optarg, 1, 86400);
			break;
		case 's': o->sources = (int)lg_opt_num("sources", optarg, 1, LG_MAX_SOURCES);
			break;
		case 'c': o->capture = optarg; break;
		case 'j': o->json_path = optarg; break;
		case 'H': lg_usage(0);
		default: lg_usage(2);
		}
	}
	if (optind != argc || o->port == 0 || (o->pid == 0 && o->capture == NULL))
		lg_usage(2);
	if (strlen(o->prefix) < 1 || strlen(o->prefix) > 16 ||
	    strspn(o->prefix, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    strlen(o->prefix)) {
		fprintf(stderr, "loadgen: --name-prefix: want 1 to 16 letters, digits or _\n");
		exit(2);
	}
	if (o->capture != NULL) {
		o->attendees = 1;
		o->deflate = false;
	}
	if (o->burst_n > o->attendees)
		o->burst_n = o->attendees;
}

/* Closes every connection and frees the generator. */
static void
lg_free(struct lg *lg)
{
	long i;
	int k;

	for (i = 0; i < lg->nstarted; i++)
		lg_close(lg, &lg->conns[i], NULL);
	for (k = 0; k < LP__COUNT; k++) {
		lg_samples_free(&lg->ph[k].lat);
		lg_samples_free(&lg->ph[k].conn_lat);
	}
	lg_buf_free(&lg->ibuf);
	lg_buf_free(&lg->zbuf);
	lg_buf_free(&lg->fbuf);
	lg_ws_deflater_free(lg->def);
	close(lg->ep);
	free(lg->rbuf);
	free(lg->conns);
	free(lg);
}

int
main(int argc, char **argv)
{
	struct lg *lg = xcalloc(1, sizeof *lg);
	struct sigaction sa;
	uint64_t seed;
	long burst_lines;

	setvbuf(stdout, NULL, _IOLBF, 0);
	lg_options(&lg->o, argc, argv);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = lg_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lg_files(lg->o.attendees);
	lg->nsources = lg->o.sources > 0 ? lg->o.sources : lg_sources(lg->o.attendees);
	if (lg->nsources > LG_MAX_SOURCES)
		lg_fatal("%ld connections need more than %d loopback sources", lg->o.attendees,
		    LG_MAX_SOURCES);
	cf_random_bytes(&seed, sizeof seed);
	lg_ws_seed(seed);
	cf_random_hex(lg->token, 8);
	lg->next_line = 1;
	lg->conns = xcalloc((size_t)lg->o.attendees, sizeof *lg->conns);
	lg->rbuf = xmalloc(LG_RBUF);
	if ((lg->def = lg_ws_deflater()) == NULL)
		lg_fatal("deflateInit2 failed");
	if ((lg->ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		lg_fatal("epoll_create1: %s", strerror(errno));
	if (lg->o.capture != NULL) {
		lg->o.pid = getpid();   /* a hub we do not measure */
		lg_phase_connect(lg);
		lg_fatal("no welcome came");
	}
	if (lg_proc_cpu(lg->o.pid) < 0)
		lg_fatal("cannot read /proc/%ld/stat: is the hub running?", (long)lg->o.pid);
	lg->t_start_cpu = lg_self_cpu();
	lg_phase_connect(lg);
	if (lg->o.idle_s > 0)
		lg_phase_idle(lg);
	if (lg->o.lines > 0)
		lg_phase_chat(lg, LP_LINES, "lines", lg->o.rate, lg->o.lines, 1);
	if (lg->o.burst_n > 0) {
		lg_shrink(lg, lg->o.burst_n);
		burst_lines = (long)(lg->o.burst_rate * lg->o.burst_s + 0.5);
		lg_phase_chat(lg, LP_BURST, "burst", lg->o.burst_rate, burst_lines > 0 ?
		    burst_lines : 1, (long)((lg->o.burst_rate + 3.999) / 4));
	}
	lg_report(lg);
	lg_free(lg);
	return 0;
}
