/* multihub.c: a load generator for one event served by several hubs (bench/multihub.py
 * drives it; bench/RESULTS.md has the runs).
 *
 * It opens --conns WebSocket connections spread over the hubs of --hubs (connection i goes
 * to hub i mod H), says hello on each (names PREFIX<first + i>), and reports when all are
 * in the lobby by creating --ready FILE. Once --go FILE exists, the process given --sender
 * says --lines lines at --rate a second on its first connection, each carrying the time it
 * was sent (CLOCK_MONOTONIC, the same for every process of the machine); every connection
 * of every process records, for each line it receives, how long it took. It stops when
 * every connection has every line or --wait seconds after the last one was due, writes the
 * delays (microseconds, one uint32_t each) to --out FILE and prints one JSON line: counts
 * of connections welcomed, lines delivered, expected, missing, duplicated, and connections
 * the hubs dropped.
 *
 * One thread, epoll, non-blocking sockets and a minimal RFC 6455 client (text frames, no
 * extensions); frames from the hubs are scanned, not parsed: only chat lines of this run
 * (marked with a random token) count. Written for benchmarks only: no TLS, no resume. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MH_MAX_HUBS 16
#define MH_INFLIGHT 256          /* connections being set up at once */
#define MH_RXMAX (1 << 24)

enum mh_state { MH_IDLE, MH_CONNECTING, MH_UPGRADE, MH_WELCOME, MH_OPEN, MH_DEAD };

struct mh_conn {
	int fd;
	int hub;
	enum mh_state state;
	char *rx;
	size_t rxlen, rxcap;
	long next;                   /* the next line number expected */
};

struct mh {
	struct sockaddr_in hubs[MH_MAX_HUBS];
	int nhubs;
	long nconns, first, lines, welcomed, started, inflight, dropped;
	double rate, wait_s;
	const char *prefix, *ready, *go, *out;
	bool sender;
	char token[9];
	struct mh_conn *c;
	int ep;
	uint32_t *lat;
	size_t nlat, caplat;
	uint64_t delivered, missing, dup;
};

/* Nanoseconds on the monotonic clock. */
static int64_t
mh_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Exits with a message. */
static void
mh_die(const char *what)
{
	fprintf(stderr, "multihub: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Writes all of buf (small frames; the socket has room). */
static int
mh_write(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			usleep(100);
			continue;
		}
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Sends one masked text frame. */
static int
mh_send_text(int fd, const char *text)
{
	unsigned char hdr[14], mask[4] = { 0x12, 0x34, 0x56, 0x78 };
	size_t len = strlen(text), h = 0, i;
	unsigned char *buf;
	int rc;

	hdr[h++] = 0x81;
	if (len < 126)
		hdr[h++] = 0x80 | (unsigned char)len;
	else {
		hdr[h++] = 0x80 | 126;
		hdr[h++] = (unsigned char)(len >> 8);
		hdr[h++] = (unsigned char)len;
	}
	memcpy(hdr + h, mask, 4);
	h += 4;
	buf = malloc(h + len);
	memcpy(buf, hdr, h);
	for (i = 0; i < len; i++)
		buf[h + i] = (unsigned char)text[i] ^ mask[i % 4];
	rc = mh_write(fd, buf, h + len);
	free(buf);
	return rc;
}

/* Starts the next connection. */
static void
mh_start_one(struct mh *m)
{
	struct mh_conn *c = &m->c[m->started];
	struct epoll_event ev;
	int one = 1;

	c->hub = (int)((m->first + m->started) % m->nhubs);
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		mh_die("socket");
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(c->fd, (struct sockaddr *)&m->hubs[c->hub], sizeof m->hubs[0]) != 0 &&
	    errno != EINPROGRESS)
		mh_die("connect");
	c->state = MH_CONNECTING;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN | EPOLLOUT;
	ev.data.u64 = (uint64_t)m->started;
	if (epoll_ctl(m->ep, EPOLL_CTL_ADD, c->fd, &ev) != 0)
		mh_die("epoll_ctl");
	m->started++;
	m->inflight++;
}

/* The connection went (or failed). */
static void
mh_close(struct mh *m, struct mh_conn *c)
{
	if (c->state == MH_DEAD)
		return;
	if (c->state != MH_OPEN)
		m->inflight--;
	else
		m->dropped++;
	c->state = MH_DEAD;
	epoll_ctl(m->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c->rx);
	c->rx = NULL;
}

/* A line of this run: number i sent at t ns. */
static void
mh_line(struct mh *m, struct mh_conn *c, long i, int64_t t)
{
	int64_t d = (mh_now() - t) / 1000;

	if (i < c->next) {
		m->dup++;
		return;
	}
	if (i > c->next)
		m->missing += (uint64_t)(i - c->next);
	c->next = i + 1;
	m->delivered++;
	if (m->nlat == m->caplat) {
		m->caplat = m->caplat ? m->caplat * 2 : 1 << 20;
		m->lat = realloc(m->lat, m->caplat * sizeof *m->lat);
	}
	m->lat[m->nlat++] = d < 0 ? 0 : d > UINT32_MAX ? UINT32_MAX : (uint32_t)d;
}

/* One message from a hub (not NUL-terminated). */
static void
mh_message(struct mh *m, struct mh_conn *c, const char *p, size_t len)
{
	char mark[40], *s;
	long i;
	long long t;

	if (c->state == MH_WELCOME) {
		if (len > 20 && memmem(p, len < 64 ? len : 64, "\"welcome\"", 9) != NULL) {
			c->state = MH_OPEN;
			m->inflight--;
			m->welcomed++;
		} else if (memmem(p, len < 64 ? len : 64, "\"error\"", 7) != NULL) {
			fprintf(stderr, "multihub: hello refused: %.*s\n", (int)len, p);
			mh_close(m, c);
		}
		return;
	}
	snprintf(mark, sizeof mark, "\"text\":\"bench %s ", m->token);
	if ((s = memmem(p, len, mark, strlen(mark))) == NULL)
		return;
	s += strlen(mark);
	if (sscanf(s, "%ld %lld", &i, &t) == 2)
		mh_line(m, c, i, (int64_t)t);
}

/* Parses what came: the 101 answer, then frames. */
static void
mh_parse(struct mh *m, struct mh_conn *c)
{
	size_t off = 0, hl, plen;
	unsigned char *b;
	char hello[256], *e;

	if (c->state == MH_UPGRADE) {
		if ((e = memmem(c->rx, c->rxlen, "\r\n\r\n", 4)) == NULL)
			return;
		if (c->rxlen < 12 || memcmp(c->rx + 9, "101", 3) != 0) {
			fprintf(stderr, "multihub: upgrade refused: %.40s\n", c->rx);
			mh_close(m, c);
			return;
		}
		off = (size_t)(e - c->rx) + 4;
		c->state = MH_WELCOME;
		snprintf(hello, sizeof hello, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":"
		    "\"%s%ld\",\"client\":\"multihub\"}", m->prefix, m->first + (c - m->c));
		if (mh_send_text(c->fd, hello) != 0) {
			mh_close(m, c);
			return;
		}
	}
	for (;;) {
		b = (unsigned char *)c->rx + off;
		if (c->rxlen - off < 2)
			break;
		plen = b[1] & 0x7f;
		hl = 2;
		if (plen == 126) {
			if (c->rxlen - off < 4)
				break;
			plen = (size_t)b[2] << 8 | b[3];
			hl = 4;
		} else if (plen == 127) {
			if (c->rxlen - off < 10)
				break;
			plen = 0;
			for (int k = 0; k < 8; k++)
				plen = plen << 8 | b[2 + k];
			hl = 10;
		}
		if (c->rxlen - off < hl + plen)
			break;
		if ((b[0] & 0x0f) == 0x9) {           /* PING: answer PONG (masked) */
			unsigned char pong[6] = { 0x8a, 0x80, 0, 0, 0, 0 };

			mh_write(c->fd, pong, sizeof pong);
		} else if ((b[0] & 0x0f) == 0x8) {
			mh_close(m, c);
			return;
		} else
			mh_message(m, c, (char *)b + hl, plen);
		if (c->state == MH_DEAD)
			return;
		off += hl + plen;
	}
	memmove(c->rx, c->rx + off, c->rxlen - off);
	c->rxlen -= off;
}

/* Reads what the socket has. */
static void
mh_read(struct mh *m, struct mh_conn *c)
{
	ssize_t n;

	for (;;) {
		if (c->rxcap - c->rxlen < 4096) {
			c->rxcap = c->rxcap ? c->rxcap * 2 : 8192;
			if (c->rxcap > MH_RXMAX) {
				mh_close(m, c);
				return;
			}
			c->rx = realloc(c->rx, c->rxcap);
		}
		n = read(c->fd, c->rx + c->rxlen, c->rxcap - c->rxlen);
		if (n > 0) {
			c->rxlen += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		mh_close(m, c);
		return;
	}
	mh_parse(m, c);
	if (c->state != MH_DEAD && c->rxcap > 65536 && c->rxlen < 4096) {
		c->rxcap = 8192;
		c->rx = realloc(c->rx, c->rxcap);
	}
}

/* The socket is writeable: connected; send the upgrade request. */
static void
mh_connected(struct mh *m, struct mh_conn *c)
{
	struct epoll_event ev;
	char req[512];
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
		mh_close(m, c);
		return;
	}
	snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: confab.1\r\n\r\n");
	if (mh_write(c->fd, req, strlen(req)) != 0) {
		mh_close(m, c);
		return;
	}
	c->state = MH_UPGRADE;
	memset(&ev, 0, sizeof ev);
	ev.events = EPOLLIN;
	ev.data.u64 = (uint64_t)(c - m->c);
	epoll_ctl(m->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* True when path exists. */
static bool
mh_exists(const char *path)
{
	struct stat sb;

	return path != NULL && stat(path, &sb) == 0;
}

/* Creates an empty file. */
static void
mh_touch(const char *path)
{
	FILE *f;

	if (path != NULL && (f = fopen(path, "w")) != NULL)
		fclose(f);
}

/* Runs the loop for up to ms, handling events. */
static void
mh_poll(struct mh *m, int ms)
{
	struct epoll_event evs[512];
	struct mh_conn *c;
	int n, i;

	n = epoll_wait(m->ep, evs, 512, ms);
	for (i = 0; i < n; i++) {
		c = &m->c[evs[i].data.u64];
		if (c->state == MH_DEAD)
			continue;
		if (c->state == MH_CONNECTING) {
			if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
				mh_connected(m, c);
			continue;
		}
		if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
			mh_read(m, c);
	}
}

/* Parses HOST:PORT,... into m->hubs. */
static void
mh_parse_hubs(struct mh *m, char *list)
{
	char *tok, *save = NULL, *colon;

	for (tok = strtok_r(list, ",", &save); tok != NULL && m->nhubs < MH_MAX_HUBS;
	    tok = strtok_r(NULL, ",", &save)) {
		if ((colon = strrchr(tok, ':')) == NULL)
			continue;
		*colon = '\0';
		m->hubs[m->nhubs].sin_family = AF_INET;
		m->hubs[m->nhubs].sin_port = htons((uint16_t)atoi(colon + 1));
		if (inet_pton(AF_INET, tok, &m->hubs[m->nhubs].sin_addr) == 1)
			m->nhubs++;
	}
}

/* Says the lines (the sender), paced, while handling what comes. */
static void
mh_send_lines(struct mh *m)
{
	int64_t t0 = mh_now(), due, now;
	char text[160], frame[256];
	long i;

	for (i = 0; i < m->lines; i++) {
		due = t0 + (int64_t)((double)i / m->rate * 1e9);
		while ((now = mh_now()) < due)
			mh_poll(m, (int)((due - now) / 1000000) + 1);
		snprintf(text, sizeof text, "bench %s %ld %lld", m->token, i, (long long)mh_now());
		snprintf(frame, sizeof frame, "{\"type\":\"say\",\"id\":%ld,\"room\":\"lobby\","
		    "\"text\":\"%s\"}", i + 10, text);
		if (m->c[0].state == MH_OPEN)
			mh_send_text(m->c[0].fd, frame);
	}
}

/* True when every open connection has every line. */
static bool
mh_complete(const struct mh *m)
{
	long i;

	for (i = 0; i < m->nconns; i++)
		if (m->c[i].state == MH_OPEN && m->c[i].next < m->lines)
			return false;
	return true;
}

int
main(int argc, char **argv)
{
	struct mh m;
	char *hubs = NULL;
	int64_t end;
	FILE *f;
	int i;

	memset(&m, 0, sizeof m);
	m.prefix = "mh";
	m.lines = 60;
	m.rate = 1;
	m.wait_s = 30;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--sender") == 0) {
			m.sender = true;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "multihub: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--hubs") == 0) hubs = strdup(v);
		else if (strcmp(a, "--conns") == 0) m.nconns = atol(v);
		else if (strcmp(a, "--first") == 0) m.first = atol(v);
		else if (strcmp(a, "--prefix") == 0) m.prefix = v;
		else if (strcmp(a, "--lines") == 0) m.lines = atol(v);
		else if (strcmp(a, "--rate") == 0) m.rate = atof(v);
		else if (strcmp(a, "--wait") == 0) m.wait_s = atof(v);
		else if (strcmp(a, "--ready") == 0) m.ready = v;
		else if (strcmp(a, "--go") == 0) m.go = v;
		else if (strcmp(a, "--out") == 0) m.out = v;
		else if (strcmp(a, "--token") == 0) snprintf(m.token, sizeof m.token, "%s", v);
		else {
			fprintf(stderr, "multihub: unknown option %s\n", a);
			return 2;
		}
	}
	if (hubs == NULL || m.nconns < 1 || m.rate <= 0 || m.token[0] == '\0') {
		fprintf(stderr, "usage: multihub --hubs H:P,... --conns N --token T [--first K] "
		    "[--prefix P] [--sender] [--lines L] [--rate R] [--wait S] [--ready F] [--go F] "
		    "[--out F]\n");
		return 2;
	}
	mh_parse_hubs(&m, hubs);
	free(hubs);
	if (m.nhubs == 0)
		return 2;
	m.c = calloc((size_t)m.nconns, sizeof *m.c);
	if ((m.ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		mh_die("epoll_create1");
	/* connect, hello, welcome */
	end = mh_now() + 600 * (int64_t)1000000000;
	while (m.welcomed + m.dropped < m.nconns && mh_now() < end) {
		while (m.started < m.nconns && m.inflight < MH_INFLIGHT)
			mh_start_one(&m);
		mh_poll(&m, 50);
	}
	fprintf(stderr, "multihub: %ld connections in the lobby\n", m.welcomed);
	mh_touch(m.ready);
	while (m.go != NULL && !mh_exists(m.go))
		mh_poll(&m, 100);
	if (m.sender)
		mh_send_lines(&m);
	end = mh_now() + (int64_t)(((double)m.lines / m.rate + m.wait_s) * 1e9);
	while (!mh_complete(&m) && mh_now() < end)
		mh_poll(&m, 100);
	for (i = 0; i < m.nconns; i++)
		if (m.c[i].state == MH_OPEN && m.c[i].next < m.lines)
			m.missing += (uint64_t)(m.lines - m.c[i].next);
	if (m.out != NULL && (f = fopen(m.out, "wb")) != NULL) {
		fwrite(m.lat, sizeof *m.lat, m.nlat, f);
		fclose(f);
	}
	printf("{\"conns\":%ld,\"welcomed\":%ld,\"delivered\":%llu,\"expected\":%llu,"
	    "\"missing\":%llu,\"dup\":%llu,\"dropped\":%ld}\n", m.nconns, m.welcomed,
	    (unsigned long long)m.delivered, (unsigned long long)m.welcomed * (unsigned long long)m.lines,
	    (unsigned long long)m.missing, (unsigned long long)m.dup, m.dropped);
	return 0;
}
