/* test_clocksync.c: unit tests of the NTP-style hub clock estimate (clocksync) with a
 * synthetic clock and synthetic network delays, and of its use by the client model (pings,
 * pongs and timer countdowns driven through encoded frames and a fake clock). */
#include "util/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client/client.h"
#include "client/clocksync.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* The synthetic world: hub wall time = client monotonic time + THETA (the client's
 * monotonic clock is far behind the hub's wall clock: an epoch plus 12345 s). */
#define THETA (INT64_C(1602511200000) + INT64_C(12345000))

/* One synthetic exchange sent at client monotonic t0: out ms to the hub, proc ms there,
 * back ms to the client, with the hub at offset theta. Returns clocksync_add()'s result. */
static int
exchange(struct clocksync *cs, int64_t theta, int64_t t0, int64_t out, int64_t proc,
    int64_t back)
{
	int64_t t1 = t0 + theta + out;
	int64_t t2 = t1 + proc;
	int64_t t3 = t0 + out + proc + back;

	return clocksync_add(cs, t0, t1, t2, t3);
}

/* Absolute value. */
static int64_t
abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

/* ---- the estimator ---- */

/* Symmetric delays: the offset is exact. */
static void
test_symmetric(void **state)
{
	struct clocksync *cs = clocksync_create();

	(void)state;
	assert_false(clocksync_valid(cs));
	assert_int_equal(exchange(cs, THETA, 1000, 150, 3, 150), 0);
	assert_true(clocksync_valid(cs));
	assert_int_equal(clocksync_count(cs), 1);
	assert_int_equal(clocksync_offset(cs), THETA);
	assert_int_equal(clocksync_rtt(cs), 300);
	assert_int_equal(clocksync_error_bound(cs), 150);
	assert_int_equal(clocksync_hub_now(cs, 5000), 5000 + THETA);
	clocksync_free(cs);
	clocksync_free(NULL);
}

/* Asymmetric delays (100 ms out, 400 ms back): the error is half the asymmetry, and the
 * bound covers it. */
static void
test_asymmetric(void **state)
{
	struct clocksync *cs = clocksync_create();
	int64_t err;

	(void)state;
	assert_int_equal(exchange(cs, THETA, 1000, 100, 0, 400), 0);
	err = clocksync_offset(cs) - THETA;
	assert_int_equal(err, -150);
	assert_int_equal(clocksync_rtt(cs), 500);
	assert_int_equal(clocksync_error_bound(cs), 250);
	assert_true(clocksync_error_bound(cs) >= abs64(err));
	/* the other way round, with hub processing time and an odd delay */
	clocksync_reset(cs);
	assert_int_equal(exchange(cs, THETA, 1000, 401, 7, 100), 0);
	err = clocksync_offset(cs) - THETA;
	assert_true(err == 150 || err == 151);
	assert_int_equal(clocksync_rtt(cs), 501);
	assert_true(clocksync_error_bound(cs) >= abs64(err));
	clocksync_free(cs);
}

/* A small seeded generator (the same numbers on every platform). */
static uint32_t
lcg_next(uint32_t *seed)
{
	*seed = *seed * 1664525u + 1013904223u;
	return *seed >> 8;
}

/* Jitter: random extra delay each way; the sample with the smallest delay of the window
 * wins, and the error stays within its bound. */
static void
test_jitter(void **state)
{
	struct clocksync *cs = clocksync_create();
	int64_t delays[CLOCKSYNC_WINDOW * 8], t0 = 1000, best, err;
	uint32_t seed = 20201012u;
	size_t i, j, from;

	(void)state;
	for (i = 0; i < sizeof delays / sizeof delays[0]; i++) {
		int64_t out = 20 + (int64_t)(lcg_next(&seed) % 500);
		int64_t back = 20 + (int64_t)(lcg_next(&seed) % 500);
		int64_t proc = (int64_t)(lcg_next(&seed) % 5);

		assert_int_equal(exchange(cs, THETA, t0, out, proc, back), 0);
		delays[i] = out + back;
		t0 += 200 + out + proc + back;

		from = i + 1 > CLOCKSYNC_WINDOW ? i + 1 - CLOCKSYNC_WINDOW : 0;
		best = INT64_MAX;
		for (j = from; j <= i; j++)
			if (delays[j] < best)
				best = delays[j];
		assert_int_equal(clocksync_count(cs), i - from + 1);
		assert_int_equal(clocksync_rtt(cs), best);
		err = clocksync_offset(cs) - THETA;
		if (abs64(err) > clocksync_error_bound(cs))
			fail_msg("sample %zu: error %lld beyond the bound %lld", i, (long long)err,
			    (long long)clocksync_error_bound(cs));
	}
	clocksync_free(cs);
}

/* The window rolls over: after a hub clock step, the estimate follows once the old
 * samples have aged out, even though the new ones have larger delays. Ties: the newest. */
static void
test_window_step(void **state)
{
	struct clocksync *cs = clocksync_create();
	int64_t t0 = 1000, theta2 = THETA + 5000;
	size_t i;

	(void)state;
	for (i = 0; i < CLOCKSYNC_WINDOW; i++, t0 += 1000)
		assert_int_equal(exchange(cs, THETA, t0, 50, 0, 50), 0);
	assert_int_equal(clocksync_offset(cs), THETA);
	for (i = 0; i < CLOCKSYNC_WINDOW - 1; i++, t0 += 1000) {
		assert_int_equal(exchange(cs, theta2, t0, 100, 0, 100), 0);
		assert_int_equal(clocksync_offset(cs), THETA);
		assert_int_equal(clocksync_rtt(cs), 100);
	}
	assert_int_equal(exchange(cs, theta2, t0, 100, 0, 100), 0);
	t0 += 1000;
	assert_int_equal(clocksync_count(cs), CLOCKSYNC_WINDOW);
	assert_int_equal(clocksync_offset(cs), theta2);
	assert_int_equal(clocksync_rtt(cs), 200);
	/* a tie on the delay: the newest sample wins */
	assert_int_equal(exchange(cs, theta2 + 10, t0, 100, 0, 100), 0);
	assert_int_equal(clocksync_offset(cs), theta2 + 10);
	clocksync_free(cs);
}

/* Samples minutes apart: the old one's error grows by CLOCKSYNC_DRIFT_PPM of its age, so a
 * fresh sample wins unless it is much slower; clocksync_age() tells the best one's age. */
static void
test_drift(void **state)
{
	struct clocksync *cs = clocksync_create();
	int64_t t0 = 1000;

	(void)state;
	assert_int_equal(clocksync_age(cs, t0), -1);
	assert_int_equal(exchange(cs, THETA, t0, 10, 0, 10), 0);   /* rtt 20 */
	assert_int_equal(clocksync_age(cs, t0 + 20 + 5000), 5000);
	/* 10 min later (the old sample may be 60 ms off by now): rtt 60 beats it */
	t0 += 600000;
	assert_int_equal(exchange(cs, THETA + 7, t0, 30, 0, 30), 0);
	assert_int_equal(clocksync_rtt(cs), 60);
	assert_int_equal(clocksync_offset(cs), THETA + 7);
	assert_int_equal(clocksync_age(cs, t0 + 60), 0);
	clocksync_free(cs);

	/* ... and rtt 200 (100 ms off) does not */
	cs = clocksync_create();
	t0 = 1000;
	assert_int_equal(exchange(cs, THETA, t0, 10, 0, 10), 0);
	t0 += 600000;
	assert_int_equal(exchange(cs, THETA + 7, t0, 100, 0, 100), 0);
	assert_int_equal(clocksync_rtt(cs), 20);
	assert_int_equal(clocksync_offset(cs), THETA);
	assert_int_equal(clocksync_age(cs, t0 + 200), 600000 + 200 - 20);
	clocksync_free(cs);
}

/* Impossible samples are refused and change nothing; the fallback is used before any
 * sample and survives a reset. */
static void
test_invalid(void **state)
{
	struct clocksync *cs = clocksync_create();

	(void)state;
	/* no sample, no fallback: monotonic time itself */
	assert_int_equal(clocksync_hub_now(cs, 777), 777);
	assert_int_equal(clocksync_rtt(cs), -1);
	assert_int_equal(clocksync_error_bound(cs), -1);
	clocksync_set_fallback(cs, THETA + 1000, 1000);
	assert_int_equal(clocksync_offset(cs), THETA);
	clocksync_set_fallback(cs, INT64_MAX, 1000);  /* out of range: ignored */
	clocksync_set_fallback(cs, 5, INT64_MIN);
	assert_int_equal(clocksync_offset(cs), THETA);

	/* t3 before t0 */
	assert_int_equal(clocksync_add(cs, 1000, THETA + 1100, THETA + 1100, 900), -1);
	/* t2 before t1 */
	assert_int_equal(clocksync_add(cs, 1000, THETA + 1100, THETA + 1050, 1200), -1);
	/* the hub held it longer than the round trip: negative delay */
	assert_int_equal(clocksync_add(cs, 1000, THETA + 1010, THETA + 1500, 1200), -1);
	/* absurd values (would overflow) */
	assert_int_equal(clocksync_add(cs, 0, INT64_MAX, INT64_MAX, 10), -1);
	assert_int_equal(clocksync_add(cs, INT64_MIN, 0, 0, 10), -1);
	assert_int_equal(clocksync_add(cs, 0, INT64_MIN, 0, INT64_MAX), -1);
	assert_false(clocksync_valid(cs));
	assert_int_equal(clocksync_count(cs), 0);
	assert_int_equal(clocksync_hub_now(cs, 2000), THETA + 2000);

	/* zero delay is possible (same host, coarse clocks) */
	assert_int_equal(clocksync_add(cs, 1000, THETA + 1000, THETA + 1000, 1000), 0);
	assert_int_equal(clocksync_rtt(cs), 0);
	assert_int_equal(clocksync_error_bound(cs), 0);
	assert_int_equal(exchange(cs, THETA + 42, 3000, 10, 0, 10), 0);
	assert_int_equal(clocksync_offset(cs), THETA); /* the zero-delay sample wins */
	clocksync_reset(cs);
	assert_false(clocksync_valid(cs));
	assert_int_equal(clocksync_offset(cs), THETA); /* the fallback again */
	clocksync_free(cs);
}

/* ---- the client model ---- */

#define MAXREC 64

/* What the fake view and the fake send recorded. */
struct rec {
	char *sent[MAXREC];
	size_t nsent;
	int64_t remaining[MAXREC]; /* timer events: remaining time on the client's hub clock */
	size_t ntimer;
	int link;
	int64_t wait;              /* what the last tick asked: ms until the next tick */
	struct cf_fake_clock fake;
	struct cf_clock clock;
	struct client *c;
};

/* Fake view: records the remaining time of a changed timer. */
static void
v_timer(void *arg, const struct timer *t, enum timer_state prev, int64_t hub_now)
{
	struct rec *r = arg;

	(void)prev;
	assert_true(r->ntimer < MAXREC);
	r->remaining[r->ntimer++] = timer_remaining(t, hub_now);
}

/* Fake view: records the remaining time shown by /timer. */
static void
v_timers(void *arg, const struct timer *t, size_t n, int64_t hub_now)
{
	struct rec *r = arg;

	assert_int_equal(n, 1);
	assert_true(r->ntimer < MAXREC);
	r->remaining[r->ntimer++] = timer_remaining(t, hub_now);
}

/* Fake send: records frames while the link is up. */
static int
rec_send(void *arg, const char *frame, size_t len)
{
	struct rec *r = arg;

	if (!r->link)
		return -1;
	assert_true(r->nsent < MAXREC);
	r->sent[r->nsent++] = xstrndup(frame, len);
	return 0;
}

/* Sets up a client on a fake clock whose wall and monotonic readings are unrelated. */
static int
setup_client(void **state)
{
	struct rec *r = xcalloc(1, sizeof *r);
	struct client_view v;
	struct client_config cfg;

	r->fake.wall = INT64_C(1602511200000) - 3600000; /* the local wall clock is 1 h off */
	r->fake.mono = 1000;
	cf_clock_fake(&r->clock, &r->fake);
	memset(&v, 0, sizeof v);
	v.arg = r;
	v.timer = v_timer;
	v.timers = v_timers;
	memset(&cfg, 0, sizeof cfg);
	cfg.name = "alice";
	cfg.clock = &r->clock;
	cfg.send = rec_send;
	cfg.send_arg = r;
	r->c = client_create(&cfg, &v);
	*state = r;
	return 0;
}

/* Frees the client and the records. */
static int
teardown_client(void **state)
{
	struct rec *r = *state;
	size_t i;

	client_free(r->c);
	for (i = 0; i < r->nsent; i++)
		free(r->sent[i]);
	free(r);
	return 0;
}

/* Decodes sent frame i (as the hub would). */
static void
sent_msg(const struct rec *r, size_t i, struct proto_msg *m)
{
	struct proto_decode_err err;

	assert_true(i < r->nsent);
	if (proto_decode(r->sent[i], strlen(r->sent[i]), PROTO_MAX_FRAME, m, &err) != 0)
		fail_msg("sent frame %zu does not decode: %s", i, err.detail);
}

/* Feeds message m (encoded) to the client. */
static void
feed(struct rec *r, const struct proto_msg *m)
{
	char *s = proto_encode(m);

	client_frame(r->c, s, strlen(s));
	free(s);
}

/* The true hub clock now. */
static int64_t
hub_true(const struct rec *r)
{
	return r->fake.mono + THETA;
}

/* Brings the link up and answers hello with a welcome whose "now" is late by lag ms (it
 * was read that long before the welcome arrived). */
static void
welcome(struct rec *r, int64_t lag)
{
	struct proto_msg m, hello;
	size_t first = r->nsent;

	r->link = 1;
	client_link_up(r->c);
	assert_int_equal(r->nsent, first + 1);
	sent_msg(r, first, &hello);
	assert_int_equal(hello.type, PT_HELLO);
	proto_msg_init(&m, PT_WELCOME);
	m.re = hello.id;
	m.u.welcome.proto = PROTO_VERSION;
	m.u.welcome.hub = "test";
	m.u.welcome.epoch = "e1";
	m.u.welcome.name = "alice";
	m.u.welcome.resume = "resume-token";
	m.u.welcome.role = ROLE_ATTENDEE;
	m.u.welcome.now = hub_true(r) - lag;
	m.u.welcome.limits.frame = PROTO_MAX_FRAME;
	m.u.welcome.limits.text = PROTO_MAX_TEXT;
	m.u.welcome.limits.name = PROTO_MAX_NAME;
	m.u.welcome.limits.history = PROTO_HISTORY;
	feed(r, &m);
	proto_msg_clear(&hello);
	assert_true(client_online(r->c));
}

/* Ticks the client; if it sent a ping, returns its id and t0 (else returns 0). */
static int64_t
tick(struct rec *r, int64_t *t0)
{
	struct proto_msg m;
	size_t first = r->nsent;
	int64_t id;

	r->wait = client_ping(r->c);
	assert_true(r->wait > 0 && r->wait <= CLIENT_PING_MS);
	if (r->nsent == first)
		return 0;
	assert_int_equal(r->nsent, first + 1);
	sent_msg(r, first, &m);
	assert_int_equal(m.type, PT_PING);
	id = m.id;
	*t0 = m.u.ping.t0;
	proto_msg_clear(&m);
	return id;
}

/* The hub's pong to ping (id, t0), received and answered now by the hub (the caller then
 * advances the clock by the return trip and feeds it). */
static void
make_pong(const struct rec *r, struct proto_msg *m, int64_t id, int64_t t0)
{
	proto_msg_init(m, PT_PONG);
	m->re = id;
	m->u.pong.t0 = t0;
	m->u.pong.t1 = hub_true(r);
	m->u.pong.t2 = hub_true(r);
}

/* One ping/pong exchange with out/back delays; returns the ping id. */
static int64_t
round_trip(struct rec *r, int64_t out, int64_t back)
{
	struct proto_msg m;
	int64_t t0 = 0, id = tick(r, &t0);

	assert_true(id != 0);
	assert_int_equal(t0, r->fake.mono); /* t0 is on the monotonic clock */
	cf_fake_clock_advance(&r->fake, out);
	make_pong(r, &m, id, t0);
	cf_fake_clock_advance(&r->fake, back);
	feed(r, &m);
	return id;
}

/* Feeds a timer event carrying a "now" that is late by lag ms; the timer was started
 * (for duration ms) at hub time started. */
static void
feed_timer(struct rec *r, int64_t started, int64_t duration, int64_t lag, uint64_t seq)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_TIMER);
	m.stream = "timers";
	m.seq = seq;
	m.u.timer.now = hub_true(r) - lag;
	timer_init(&m.u.timer.timer, "main");
	timer_start(&m.u.timer.timer, started, duration, "Talk", "carol");
	feed(r, &m);
}

/* Remaining time of the main timer as /timer shows it. */
static int64_t
shown_remaining(struct rec *r)
{
	size_t n = r->ntimer;

	client_input(r->c, "/timer");
	assert_int_equal(r->ntimer, n + 1);
	return r->remaining[n];
}

/* Countdowns use the estimate: before the first pong, the late "now" fields of welcome and
 * timer events skew it; after pongs, the remaining time is exact (symmetric delays) and
 * late or lost timer events no longer move it. */
static void
test_client_countdown(void **state)
{
	struct rec *r = *state;
	int64_t started;

	assert_int_equal(client_rtt_ms(r->c), -1);
	welcome(r, 2000);
	assert_int_equal(client_hub_now(r->c), hub_true(r) - 2000);
	assert_int_equal(client_rtt_ms(r->c), -1);
	assert_int_equal(client_clock_error_ms(r->c), -1);

	/* a 5-minute timer started 10 s ago, announced 3 s late */
	started = hub_true(r) - 10000;
	feed_timer(r, started, 300000, 3000, 1);
	assert_int_equal(r->ntimer, 1);
	assert_int_equal(r->remaining[0], 300000 - 10000 + 3000); /* the fallback is 3 s off */

	/* one exchange, 150 ms each way: the estimate is exact */
	round_trip(r, 150, 150);
	assert_int_equal(client_rtt_ms(r->c), 300);
	assert_int_equal(client_clock_error_ms(r->c), 150);
	assert_int_equal(client_hub_now(r->c), hub_true(r));
	assert_int_equal(client_clock_offset(r->c), hub_true(r) - r->fake.wall);
	assert_int_equal(shown_remaining(r), started + 300000 - hub_true(r));

	/* the countdown runs on the monotonic clock, even if the wall clock jumps */
	cf_fake_clock_advance(&r->fake, 60000);
	r->fake.wall += 86400000;
	assert_int_equal(shown_remaining(r), started + 300000 - hub_true(r));

	/* a late timer event (its "now" 4 s old) no longer moves the estimate */
	feed_timer(r, started, 300000, 4000, 2);
	assert_int_equal(r->remaining[r->ntimer - 1], started + 300000 - hub_true(r));

	/* overtime is negative, the same on every screen */
	cf_fake_clock_advance(&r->fake, 300000);
	assert_int_equal(shown_remaining(r), started + 300000 - hub_true(r));
	assert_true(shown_remaining(r) < 0);
}

/* Asymmetric path then a better sample: the best of the window is used, and its error
 * stays within the reported bound. */
static void
test_client_asymmetric(void **state)
{
	struct rec *r = *state;
	int64_t err;

	welcome(r, 0);
	round_trip(r, 100, 400);
	err = client_hub_now(r->c) - hub_true(r);
	assert_int_equal(err, -150);
	assert_int_equal(client_rtt_ms(r->c), 500);
	assert_true(client_clock_error_ms(r->c) >= 150);
	/* the next burst ping, 200 ms later: a quicker path wins */
	cf_fake_clock_advance(&r->fake, 200);
	round_trip(r, 20, 30);
	assert_int_equal(client_rtt_ms(r->c), 50);
	err = client_hub_now(r->c) - hub_true(r);
	assert_true(err >= -25 && err <= 25);
	assert_true(err <= client_clock_error_ms(r->c) && -err <= client_clock_error_ms(r->c));
	/* a slower one later does not replace it */
	cf_fake_clock_advance(&r->fake, 200);
	round_trip(r, 300, 300);
	assert_int_equal(client_rtt_ms(r->c), 50);
}

/* Ping schedule: a burst after the welcome, then one every CLIENT_PING_MS; a reconnect
 * clears the samples and starts a new burst; stray and stale pongs are ignored. */
static void
test_client_ping_schedule(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;
	int64_t t0 = 0, id, old_id, old_t0 = 0, last = 0;
	int sent = 0, i;

	/* offline: no ping */
	assert_int_equal(tick(r, &t0), 0);
	welcome(r, 0);
	/* the burst: the first tick pings, then at least CLIENT_PING_GAP_MS apart */
	for (i = 0; i < 40; i++) {
		if (tick(r, &t0) != 0) {
			if (sent > 0)
				assert_true(t0 - last >= CLIENT_PING_GAP_MS);
			last = t0;
			sent++;
		}
		cf_fake_clock_advance(&r->fake, 50);
	}
	assert_int_equal(sent, CLIENT_PING_BURST); /* 2 s of 50 ms ticks: the burst only */
	assert_int_equal(client_pending(r->c), 0); /* pings are not user requests */
	/* after the burst the client asks to be woken only when the next ping is due */
	assert_int_equal(tick(r, &t0), 0);
	assert_int_equal(r->wait, last + CLIENT_PING_MS - r->fake.mono);
	cf_fake_clock_advance(&r->fake, last + CLIENT_PING_MS - 1 - r->fake.mono);
	assert_int_equal(tick(r, &t0), 0);
	assert_int_equal(r->wait, 1);
	cf_fake_clock_advance(&r->fake, 1);
	old_id = tick(r, &old_t0);
	assert_true(old_id != 0);
	assert_int_equal(tick(r, &t0), 0);

	/* a pong for no ping of ours, and one with a changed t0: ignored */
	make_pong(r, &m, 9999, old_t0);
	feed(r, &m);
	make_pong(r, &m, old_id, old_t0 + 1);
	feed(r, &m);
	assert_int_equal(client_rtt_ms(r->c), -1);

	/* the link drops before the pong; after the reconnect a new burst starts */
	client_link_down(r->c, "gone", 1000);
	r->link = 0;
	assert_int_equal(tick(r, &t0), 0);
	cf_fake_clock_advance(&r->fake, 1000);
	welcome(r, 0);
	make_pong(r, &m, old_id, old_t0);  /* the old link's pong: no sample */
	feed(r, &m);
	assert_int_equal(client_rtt_ms(r->c), -1);
	id = round_trip(r, 10, 10);
	assert_true(id != old_id);
	assert_int_equal(client_rtt_ms(r->c), 20);
	/* the same pong again: already answered */
	cf_fake_clock_advance(&r->fake, 5);
	make_pong(r, &m, id, r->fake.mono - 25);
	feed(r, &m);
	assert_int_equal(client_rtt_ms(r->c), 20);

	/* another reconnect clears the samples */
	client_link_down(r->c, "gone", 1000);
	assert_int_equal(client_rtt_ms(r->c), 20); /* kept while offline: countdowns go on */
	welcome(r, 0);
	assert_int_equal(client_rtt_ms(r->c), -1);
	assert_int_equal(client_hub_now(r->c), hub_true(r));
}

/* Timers and the clock refresh: after the welcome burst, one ping every CLIENT_PING_MS; a
 * timer that starts or resumes while the best sample is older than CLIENT_SAMPLE_STALE_MS
 * brings a burst of CLIENT_TIMER_BURST pings at once (and its fresh samples are used); a
 * fresh estimate, a pause or an adjust bring none. */
static void
test_client_timer_burst(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;
	struct timer t;
	int64_t t0 = 0, last = 0, hub0;
	int i, sent;
	uint64_t seq = 1;

	welcome(r, 0);
	for (i = 0; i < CLIENT_PING_BURST; i++) {
		round_trip(r, 10, 10);
		last = r->fake.mono - 20;
		cf_fake_clock_advance(&r->fake, CLIENT_PING_GAP_MS);
	}
	assert_int_equal(tick(r, &t0), 0);
	assert_int_equal(r->wait, last + CLIENT_PING_MS - r->fake.mono);
	assert_int_equal(client_rtt_ms(r->c), 20);

	/* a timer starts a minute later: the estimate is fresh, no ping */
	cf_fake_clock_advance(&r->fake, 60000);
	hub0 = hub_true(r);
	timer_init(&t, "main");
	timer_start(&t, hub0, 600000, "Talk", "carol");
	proto_msg_init(&m, PT_TIMER);
	m.stream = "timers";
	m.seq = seq++;
	m.u.timer.now = hub0;
	m.u.timer.timer = t;
	feed(r, &m);
	assert_int_equal(tick(r, &t0), 0);

	/* paused and resumed 5 min later: the estimate is stale: 3 pings, 150 ms apart */
	cf_fake_clock_advance(&r->fake, 1000);
	timer_pause(&t, hub_true(r), "carol");
	m.seq = seq++;
	m.u.timer.now = hub_true(r);
	m.u.timer.timer = t;
	feed(r, &m);
	assert_int_equal(tick(r, &t0), 0);   /* a pause brings none */
	cf_fake_clock_advance(&r->fake, 300000);
	timer_resume(&t, hub_true(r), "carol");
	m.seq = seq++;
	m.u.timer.now = hub_true(r);
	m.u.timer.timer = t;
	feed(r, &m);
	sent = 0;
	for (i = 0; i < 40; i++) {
		if (r->wait <= 50 || i == 0) {
			int64_t id = tick(r, &t0);

			if (id != 0) {
				if (sent > 0)
					assert_true(t0 - last >= CLIENT_PING_GAP_MS);
				last = t0;
				sent++;
				/* slower than the old samples (rtt 40), but fresh: used */
				cf_fake_clock_advance(&r->fake, 20);
				make_pong(r, &m, id, t0);
				cf_fake_clock_advance(&r->fake, 20);
				feed(r, &m);
				continue;
			}
		}
		cf_fake_clock_advance(&r->fake, 50);
		r->wait -= 50;
	}
	assert_int_equal(sent, CLIENT_TIMER_BURST);
	assert_int_equal(client_rtt_ms(r->c), 40);
	assert_int_equal(client_hub_now(r->c), hub_true(r));
	assert_int_equal(tick(r, &t0), 0);
	assert_int_equal(r->wait, last + CLIENT_PING_MS - r->fake.mono);

	/* the clock refresh: one ping when CLIENT_PING_MS have passed, then none */
	cf_fake_clock_advance(&r->fake, r->wait);
	assert_true(tick(r, &t0) != 0);
	assert_int_equal(tick(r, &t0), 0);
	assert_int_equal(r->wait, CLIENT_PING_MS);
}

/* Runs every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symmetric),
		cmocka_unit_test(test_asymmetric),
		cmocka_unit_test(test_jitter),
		cmocka_unit_test(test_window_step),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_drift),
		cmocka_unit_test_setup_teardown(test_client_countdown, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_asymmetric, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_ping_schedule, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_client_timer_burst, setup_client,
		    teardown_client),
	};

	return cmocka_run_group_tests_name("clocksync", tests, NULL, NULL);
}
