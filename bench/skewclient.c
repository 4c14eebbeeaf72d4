/* skewclient.c: one real confab client for the timer-skew benchmark (bench/skew.py).
 *
 * It links the client stack that confab itself uses (struct conn over libwebsockets, struct
 * client with its clock sync and ping schedule) with a front end that ignores everything,
 * connects to a hub, and answers commands read from stdin inside the lws loop:
 *
 *   sample T    T: a CLOCK_REALTIME instant in ms. An lws_sul timer fires at T; the main
 *               timer's remaining time is then read exactly as a front end would show it
 *               (timer_remaining() at client_hub_now()).
 *   quit        leave once a scheduled sample is printed (so does the end of input).
 *
 * Output is for the benchmark, not for people (hence not translated), one line each:
 *
 *   burst N                      first: the client's CLIENT_PING_BURST, as compiled
 *   online                       a welcome arrived (the client resets its samples)
 *   pong N                       the N-th pong on this link arrived
 *   timer STATE                  the main timer changed (idle, running or paused)
 *   sample T WALL_US STATE REMAINING NAIVE OFFSET RTT ERROR
 *       WALL_US: CLOCK_REALTIME (us) when the reading was taken (at or just after T);
 *       REMAINING: ms as displayed (deadline - client_hub_now(), or the paused remainder,
 *       0 when idle); NAIVE: what a client without offset correction would show
 *       (deadline - (the last timer event's "now" + time since it arrived)), or "-";
 *       OFFSET: client_clock_offset() (hub minus our wall clock; on one machine the truth
 *       is 0), RTT: client_rtt_ms(), ERROR: client_clock_error_ms() (-1 before a pong).
 *   error TEXT                   a bad command
 *
 * Usage: skewclient [--name NAME] ws://HOST:PORT */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "client/client.h"
#include "model/timer.h"
#include "net/conn.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define SKEW_MAX_LINE 256
#define SKEW_STDIN_PROTOCOL "skew-stdin"

/* Everything the loop needs. */
struct skew {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct client *client;
	struct conn *conn;
	struct lws *stdin_wsi;
	char line[SKEW_MAX_LINE + 1];
	size_t len;
	int overlong;
	int quit;
	int quit_after_sample;        /* quit came while a sample was scheduled */
	unsigned pongs;               /* pongs seen on this link */
	enum timer_state main_state;  /* last state printed */
	int64_t ev_now;               /* "now" of the last event with a running main timer */
	int64_t ev_recv;              /* our monotonic ms when it arrived (0: none) */
	int64_t ev_deadline;          /* its deadline */
	int sampling;                 /* a sample is scheduled */
	int64_t sample_at;            /* its instant, CLOCK_REALTIME ms */
	lws_sorted_usec_list_t sul_sample;
	lws_sorted_usec_list_t sul_timers;
};

static struct skew skew;

/* CLOCK_REALTIME in microseconds. */
static int64_t
skew_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Stops the loop. */
static void
skew_quit(void)
{
	skew.quit = 1;
	if (skew.cx != NULL)
		lws_cancel_service(skew.cx);
}

/* The main-stage timer the client holds, or NULL. */
static const struct timer *
skew_main_timer(void)
{
	const struct timer *t;
	size_t n, i;

	t = client_timers(skew.client, &n);
	for (i = 0; i < n; i++)
		if (strcmp(t[i].scope, TIMER_SCOPE_MAIN) == 0)
			return &t[i];
	return NULL;
}

/* Takes the reading at the sample instant (see the top of the file). */
static void
skew_take_sample(void)
{
	const struct timer *t = skew_main_timer();
	enum timer_state st = t != NULL ? t->state : TS_IDLE;
	int64_t w0, w1, hub_now, mono, remaining;
	char naive[32];

	w0 = skew_wall_us();
	hub_now = client_hub_now(skew.client);
	mono = cf_mono_ms(&cf_clock_system);
	w1 = skew_wall_us();
	remaining = t != NULL ? timer_remaining(t, hub_now) : 0;
	if (st == TS_RUNNING && skew.ev_recv != 0)
		snprintf(naive, sizeof naive, "%" PRId64,
		    skew.ev_deadline - (skew.ev_now + (mono - skew.ev_recv)));
	else if (st == TS_PAUSED)
		snprintf(naive, sizeof naive, "%" PRId64, remaining);
	else
		snprintf(naive, sizeof naive, "-");
	printf("sample %" PRId64 " %" PRId64 " %s %" PRId64 " %s %" PRId64 " %" PRId64
	    " %" PRId64 "\n", skew.sample_at, (w0 + w1) / 2, timer_state_name(st), remaining,
	    naive, client_clock_offset(skew.client), client_rtt_ms(skew.client),
	    client_clock_error_ms(skew.client));
	fflush(stdout);
}

/* The sample timer: fires at the instant (or re-arms if the loop woke early). */
static void
skew_sample_cb(lws_sorted_usec_list_t *sul)
{
	int64_t left = skew.sample_at * 1000 - skew_wall_us();

	(void)sul;
	if (left > 0) {
		lws_sul_schedule(skew.cx, 0, &skew.sul_sample, skew_sample_cb, (lws_usec_t)left);
		return;
	}
	skew.sampling = 0;
	skew_take_sample();
	if (skew.quit_after_sample)
		skew_quit();
}

/* Handles one command line from stdin. */
static void
skew_command(const char *line)
{
	char *end;
	long long at;
	int64_t left;

	if (strcmp(line, "quit") == 0) {
		if (skew.sampling)
			skew.quit_after_sample = 1;
		else
			skew_quit();
		return;
	}
	if (strncmp(line, "sample ", 7) != 0) {
		printf("error unknown command\n");
		fflush(stdout);
		return;
	}
	errno = 0;
	at = strtoll(line + 7, &end, 10);
	if (errno != 0 || end == line + 7 || *end != '\0' || at <= 0) {
		printf("error bad instant\n");
		fflush(stdout);
		return;
	}
	if (skew.sampling) {
		printf("error a sample is already scheduled\n");
		fflush(stdout);
		return;
	}
	skew.sampling = 1;
	skew.sample_at = at;
	left = at * 1000 - skew_wall_us();
	lws_sul_schedule(skew.cx, 0, &skew.sul_sample, skew_sample_cb,
	    (lws_usec_t)(left > 0 ? left : 1));
}

/* Splits bytes read from stdin into command lines (overlong lines are dropped). */
static void
skew_feed(const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && !skew.quit; i++) {
		if (buf[i] == '\n') {
			if (!skew.overlong) {
				skew.line[skew.len] = '\0';
				if (skew.len > 0 && skew.line[skew.len - 1] == '\r')
					skew.line[--skew.len] = '\0';
				skew_command(skew.line);
			}
			skew.overlong = 0;
			skew.len = 0;
		} else if (skew.len == SKEW_MAX_LINE) {
			skew.overlong = 1;
		} else if (!skew.overlong)
			skew.line[skew.len++] = buf[i];
	}
}

/* The lws callback for the adopted stdin descriptor. */
static int
skew_stdin_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
    void *in, size_t len)
{
	char buf[1024];
	ssize_t n;

	(void)user;
	(void)in;
	(void)len;
	if (wsi != skew.stdin_wsi || skew.stdin_wsi == NULL)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		n = read(lws_get_socket_fd(wsi), buf, sizeof buf);
		if (n > 0) {
			skew_feed(buf, (size_t)n);
			return 0;
		}
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return 0;
		skew.stdin_wsi = NULL;
		skew_command("quit");
		return -1;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		skew.stdin_wsi = NULL;
		skew_command("quit");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols skew_stdin_protocol = {
	SKEW_STDIN_PROTOCOL, skew_stdin_callback, 0, 0, 0, NULL, 0
};

/* Reads stdin inside the loop through a new descriptor (never fd 0 itself: lws closes
 * and makes non-blocking what it adopts). */
static int
skew_adopt_stdin(void)
{
	lws_adopt_desc_t ad;
	int fd;

	fd = open("/proc/self/fd/0", O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return -1;
	memset(&ad, 0, sizeof ad);
	ad.vh = skew.vh;
	ad.type = LWS_ADOPT_RAW_FILE_DESC;
	ad.fd.filefd = fd;
	ad.vh_prot_name = SKEW_STDIN_PROTOCOL;
	skew.stdin_wsi = lws_adopt_descriptor_vhost_via_info(&ad);
	return skew.stdin_wsi != NULL ? 0 : -1;
}

/* The client's send function: the connection's queue. */
static int
skew_send(void *arg, const char *frame, size_t len)
{
	(void)arg;
	return conn_send(skew.conn, frame, len);
}

static void skew_timers_schedule(void);

/* A timer milestone is due: let the client handle it, as confab does. */
static void
skew_timers_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	client_tick(skew.client);
	skew_timers_schedule();
}

/* (Re)schedules the client's milestone wakeup, as confab's loop does. */
static void
skew_timers_schedule(void)
{
	int64_t ms = client_next_wakeup(skew.client);

	if (ms < 0)
		lws_sul_cancel(&skew.sul_timers);
	else
		lws_sul_schedule(skew.cx, 0, &skew.sul_timers, skew_timers_cb,
		    (lws_usec_t)ms * 1000 + 1);
}

/* Remembers a running main timer's deadline with the "now" it came with (the naive view). */
static void
skew_naive_note(const struct timer *t, size_t n, int64_t now, int64_t mono)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(t[i].scope, TIMER_SCOPE_MAIN) != 0)
			continue;
		if (t[i].state == TS_RUNNING) {
			skew.ev_now = now;
			skew.ev_recv = mono;
			skew.ev_deadline = t[i].deadline_ms;
		} else
			skew.ev_recv = 0;
	}
}

/* Looks at a frame for what the benchmark reports beside the client (pongs, the naive
 * view of the timer); the client itself sees the frame first. */
static void
skew_observe(const char *text, size_t len, int64_t mono)
{
	struct proto_msg m;
	struct proto_decode_err err;

	if (proto_decode(text, len, 0, &m, &err) != 0)
		return;
	switch (m.type) {
	case PT_WELCOME:
		skew.pongs = 0;
		skew_naive_note(m.u.welcome.timers, m.u.welcome.ntimers, m.u.welcome.now, mono);
		printf("online\n");
		break;
	case PT_PONG:
		printf("pong %u\n", ++skew.pongs);
		break;
	case PT_TIMER:
		skew_naive_note(&m.u.timer.timer, 1, m.u.timer.now, mono);
		break;
	default:
		break;
	}
	proto_msg_clear(&m);
	fflush(stdout);
}

/* The link is up: the client says hello. */
static void
skew_connected(void *arg)
{
	(void)arg;
	client_link_up(skew.client);
}

/* A message from the hub: to the client, then to the benchmark's own bookkeeping. */
static void
skew_frame(void *arg, const char *text, size_t len)
{
	int64_t mono = cf_mono_ms(&cf_clock_system);
	const struct timer *t;
	enum timer_state st;

	(void)arg;
	client_frame(skew.client, text, len);
	if (client_online(skew.client))
		conn_link_ok(skew.conn);
	skew_timers_schedule();
	skew_observe(text, len, mono);
	t = skew_main_timer();
	st = t != NULL ? t->state : TS_IDLE;
	if (st != skew.main_state) {
		skew.main_state = st;
		printf("timer %s\n", timer_state_name(st));
		fflush(stdout);
	}
}

/* The link went down. */
static void
skew_disconnected(void *arg, const char *reason, int64_t delay_ms)
{
	(void)arg;
	client_link_down(skew.client, reason, delay_ms);
	fprintf(stderr, "skewclient: link down: %s\n", reason != NULL ? reason : "");
}

/* The connection's tick: the client's ping schedule. */
static int64_t
skew_keepalive(void *arg)
{
	(void)arg;
	return client_ping(skew.client);
}

/* The hub refused us for good. */
static void
skew_fatal(void *arg, const char *message, const char *reason)
{
	(void)arg;
	(void)reason;
	fprintf(stderr, "skewclient: refused by the hub: %s\n", message);
	skew_quit();
}

/* SIGINT/SIGTERM: stop the loop. */
static void
skew_signal(int sig)
{
	(void)sig;
	skew.quit = 1;
	if (skew.cx != NULL)
		lws_cancel_service(skew.cx);
}

/* Creates the lws context and the client vhost (as confab does, plus our stdin). */
static int
skew_lws(void)
{
	static struct lws_protocols protocols[3];
	struct lws_context_creation_info info;

	protocols[0] = *conn_protocol();
	protocols[1] = skew_stdin_protocol;
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.port = CONTEXT_PORT_NO_LISTEN;
	skew.cx = lws_create_context(&info);
	if (skew.cx == NULL)
		return -1;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "skew-client";
	info.protocols = protocols;
	skew.vh = lws_create_vhost(skew.cx, &info);
	return skew.vh != NULL ? 0 : -1;
}

/* Entry point. */
int
main(int argc, char **argv)
{
	struct client_config cc;
	struct client_view view;
	struct conn_callbacks cb;
	struct sigaction sa;
	const char *name = "skew", *url;
	char *cause = NULL;

	if (argc == 4 && strcmp(argv[1], "--name") == 0) {
		name = argv[2];
		url = argv[3];
	} else if (argc == 2 && argv[1][0] != '-')
		url = argv[1];
	else {
		fprintf(stderr, "usage: skewclient [--name NAME] ws://HOST:PORT\n");
		return 2;
	}
	if (proto_name_check(name) != PE_NONE) {
		fprintf(stderr, "skewclient: bad name \"%s\"\n", name);
		return 2;
	}
	log_init(NULL, LOG_ERR);
	lws_set_log_level(LLL_ERR, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = skew_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (skew_lws() != 0) {
		fprintf(stderr, "skewclient: cannot start libwebsockets\n");
		return 1;
	}
	memset(&view, 0, sizeof view);   /* a front end that shows nothing */
	view.fatal = skew_fatal;
	memset(&cc, 0, sizeof cc);
	cc.name = name;
	cc.send = skew_send;
	skew.client = client_create(&cc, &view);
	memset(&cb, 0, sizeof cb);
	cb.connected = skew_connected;
	cb.frame = skew_frame;
	cb.disconnected = skew_disconnected;
	cb.keepalive = skew_keepalive;
	skew.conn = conn_create(skew.cx, skew.vh, url, &cb, &cause);
	if (skew.conn == NULL) {
		fprintf(stderr, "skewclient: %s\n", cause);
		free(cause);
		client_free(skew.client);
		lws_context_destroy(skew.cx);
		return 2;
	}
	if (skew_adopt_stdin() != 0) {
		fprintf(stderr, "skewclient: cannot watch standard input\n");
		skew.quit = 1;
	}
	printf("burst %d\n", CLIENT_PING_BURST);
	fflush(stdout);
	conn_start(skew.conn);

	while (!skew.quit)
		lws_service(skew.cx, 0);

	conn_stop(skew.conn);
	lws_sul_cancel(&skew.sul_sample);
	lws_sul_cancel(&skew.sul_timers);
	conn_free(skew.conn);
	lws_context_destroy(skew.cx);
	client_free(skew.client);
	log_close();
	return 0;
}
