/* fuzz_client.c: libFuzzer target for the client's handling of what a hub sends
 * (client/client_recv.c, client.c, client_store.c) and of typed lines: a client with a
 * fake clock and a view that uses every string and number it is given, as the front ends
 * do (sanitised, formatted), is fed a script. A hostile hub must not crash it, and every
 * frame it sends must be a request the hub decodes (or, for what the user typed, refuses
 * only as too long).
 *
 * Input: one action per line.
 *   u          the link comes up (the client says hello)
 *   d          the link goes down
 *   >LINE      the user types LINE
 *   +MS        MS milliseconds pass (at most a day), then the client ticks and pings
 *   <frame>    any other line: a frame from the hub */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "fuzz/fuzzutil.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/xalloc.h"

#define FUZZ_CLIENT_T0 1600000000000LL
#define FUZZ_CLIENT_MAX_ACTIONS 256

static bool fuzz_client_link;  /* the fake link is up: sends succeed */

/* Uses a string from the client as a front end would: sanitised for the terminal. */
static void
fuzz_client_str(const char *s)
{
	char *t = sanitize_str(s);

	FUZZ_CHECK(fuzzutil_safe_text(t, strlen(t), ""));
	free(t);
}

/* Uses a timer as a front end would: its texts and its remaining time, formatted. */
static void
fuzz_client_timer(const struct timer *t, int64_t hub_now)
{
	char buf[64];

	fuzz_client_str(t->scope);
	fuzz_client_str(t->label);
	fuzz_client_str(t->by);
	duration_format_remaining(timer_remaining(t, hub_now), buf, sizeof buf);
	duration_format(t->duration_ms, buf, sizeof buf);
}

/* View: a notice. */
static void
fuzz_client_notice(void *arg, enum client_notice what, const char *detail, int64_t delay_ms)
{
	(void)arg;
	(void)what;
	(void)delay_ms;
	fuzz_client_str(detail);
}

/* View: a chat line. */
static void
fuzz_client_chat(void *arg, const char *room, const char *from, const char *text, bool me,
    uint64_t seq)
{
	(void)arg;
	(void)me;
	(void)seq;
	fuzz_client_str(room);
	fuzz_client_str(from);
	fuzz_client_str(text);
}

/* View: a private message. */
static void
fuzz_client_privmsg(void *arg, const char *from, const char *to, const char *text, bool out)
{
	(void)arg;
	(void)out;
	fuzz_client_str(from);
	fuzz_client_str(to);
	fuzz_client_str(text);
}

/* View: someone came or went. */
static void
fuzz_client_presence(void *arg, const char *room, const char *name, enum proto_presence a)
{
	(void)arg;
	(void)a;
	fuzz_client_str(room);
	fuzz_client_str(name);
}

/* View: we joined a room. */
static void
fuzz_client_joined(void *arg, const char *room, unsigned people)
{
	(void)arg;
	(void)people;
	fuzz_client_str(room);
}

/* View: we left a room. */
static void
fuzz_client_parted(void *arg, const char *room)
{
	(void)arg;
	fuzz_client_str(room);
}

/* View: a room opened. */
static void
fuzz_client_opened(void *arg, const struct room_info *r)
{
	(void)arg;
	fuzz_client_str(r->id);
	fuzz_client_str(r->title);
}

/* View: a room closed. */
static void
fuzz_client_closed(void *arg, const char *room, const char *by, bool member, const char *to)
{
	(void)arg;
	(void)member;
	fuzz_client_str(room);
	fuzz_client_str(by);
	fuzz_client_str(to);
}

/* View: the room list. */
static void
fuzz_client_rooms(void *arg, const struct room_info *rooms, size_t n)
{
	size_t i;

	(void)arg;
	for (i = 0; i < n; i++)
		fuzz_client_opened(arg, &rooms[i]);
}

/* View: who is in a room. */
static void
fuzz_client_who(void *arg, const char *room, const char *const *names, size_t n)
{
	size_t i;

	(void)arg;
	fuzz_client_str(room);
	for (i = 0; i < n; i++)
		fuzz_client_str(names[i]);
}

/* View: a timer changed. */
static void
fuzz_client_timer_ev(void *arg, const struct timer *t, enum timer_state prev, int64_t now)
{
	(void)arg;
	(void)prev;
	fuzz_client_timer(t, now);
}

/* View: how a timer changed. */
static void
fuzz_client_timer_change(void *arg, const struct timer *t, enum timer_change change,
    int64_t delta_ms, int64_t now)
{
	char buf[64];

	(void)arg;
	(void)change;
	duration_format(delta_ms < 0 ? -delta_ms : delta_ms, buf, sizeof buf);
	fuzz_client_timer(t, now);
}

/* View: a timer milestone. */
static void
fuzz_client_milestone(void *arg, const struct timer *t, enum timer_milestone m, int64_t left)
{
	char buf[64];

	(void)arg;
	(void)m;
	duration_format_remaining(left, buf, sizeof buf);
	fuzz_client_str(t->label);
}

/* View: every timer. */
static void
fuzz_client_timers(void *arg, const struct timer *t, size_t n, int64_t now)
{
	size_t i;

	(void)arg;
	for (i = 0; i < n; i++)
		fuzz_client_timer(&t[i], now);
}

/* View: an error. */
static void
fuzz_client_error(void *arg, enum proto_err code, const char *message)
{
	(void)arg;
	(void)code;
	fuzz_client_str(message);
}

/* View: the program, as /schedule, /now, /next and /info show it. */
static void
fuzz_client_program(void *arg, enum client_program_req req, const struct program *p,
    const struct session *s, int day, int64_t hub_now)
{
	char buf[64];

	(void)arg;
	(void)req;
	(void)hub_now;
	fuzz_client_str(p->title);
	if (day >= 0)
		tz_format(p->timezone, program_day_label_ms(p, (size_t)day), "%a %d %b", buf,
		    sizeof buf);
	if (s != NULL) {
		fuzz_client_str(s->title);
		tz_format(p->timezone, s->start_ms, "%H:%M", buf, sizeof buf);
	}
}

/* View: the lineup. */
static void
fuzz_client_lineup(void *arg, const struct lineup_item *items, size_t n, int64_t current)
{
	char buf[64];
	size_t i;

	(void)arg;
	(void)current;
	for (i = 0; i < n; i++) {
		fuzz_client_str(items[i].title);
		fuzz_client_str(items[i].speaker);
		duration_format(items[i].duration_ms, buf, sizeof buf);
	}
}

/* View: the lineup changed. */
static void
fuzz_client_lineup_changed(void *arg, const struct lineup_item *old, size_t nold,
    int64_t oldcur, const struct lineup_item *items, size_t n, int64_t current, const char *by)
{
	fuzz_client_lineup(arg, old, nold, oldcur);
	fuzz_client_lineup(arg, items, n, current);
	fuzz_client_str(by);
}

/* View: a room closes soon. */
static void
fuzz_client_closing(void *arg, const struct room_info *room, int64_t left_ms)
{
	char buf[64];

	duration_format_remaining(left_ms, buf, sizeof buf);
	fuzz_client_opened(arg, room);
}

/* View: a line we sent is pending, or was answered. */
static void
fuzz_client_pending(void *arg, const struct client_out *o)
{
	(void)arg;
	fuzz_client_str(o->room);
	fuzz_client_str(o->to);
	fuzz_client_str(o->text);
}

/* View: the outcome of a line we sent. */
static void
fuzz_client_outcome(void *arg, const struct client_out *o, enum proto_err code)
{
	(void)code;
	fuzz_client_pending(arg, o);
}

/* View: news about a room's history. */
static void
fuzz_client_history(void *arg, const char *room, enum client_history what, size_t n)
{
	(void)arg;
	(void)what;
	(void)n;
	fuzz_client_str(room);
}

/* View: the hub refused us for good. */
static void
fuzz_client_fatal(void *arg, const char *message, const char *reason)
{
	(void)arg;
	fuzz_client_str(message);
	fuzz_client_str(reason);
}

/* Uses a hub time as the front ends do: a clock time. */
static void
fuzz_client_clock(int64_t ts)
{
	char buf[32];

	tz_format("UTC", ts, "%H:%M", buf, sizeof buf);
}

/* View: a facilitator removed a line. */
static void
fuzz_client_removed(void *arg, const char *room, uint64_t seq, const char *by)
{
	(void)arg;
	(void)seq;
	fuzz_client_str(room);
	fuzz_client_str(by);
}

/* View: an announcement. */
static void
fuzz_client_announcement(void *arg, const char *from, const char *text)
{
	(void)arg;
	fuzz_client_str(from);
	fuzz_client_str(text);
}

/* View: a report (we are a facilitator). */
static void
fuzz_client_report(void *arg, const struct proto_report_ev *r, uint64_t rseq)
{
	(void)arg;
	(void)rseq;
	fuzz_client_str(r->by);
	fuzz_client_str(r->room);
	fuzz_client_str(r->from);
	fuzz_client_str(r->text);
	fuzz_client_str(r->reason);
	fuzz_client_clock(r->ts);
}

/* View: what a facilitator did to us. */
static void
fuzz_client_moderation(void *arg, const struct proto_moderation *m)
{
	(void)arg;
	fuzz_client_str(m->action);
	fuzz_client_str(m->by);
	fuzz_client_str(m->reason);
	fuzz_client_clock(m->until);
}

/* View: the hub's welcome notice. */
static void
fuzz_client_hub_notice(void *arg, const char *text)
{
	(void)arg;
	fuzz_client_str(text);
}

/* View: a moderation request of ours was done, said as the front ends say it. */
static void
fuzz_client_mod_done(void *arg, enum proto_type type, const char *room, const char *name,
    uint64_t seq, int minutes)
{
	char *t = client_mod_done_text(type, room, name, seq, minutes);

	(void)arg;
	if (t != NULL)
		fuzz_client_str(t);
	free(t);
}

/* The fake send: every frame the client sends is a request the hub decodes. */
static int
fuzz_client_send(void *arg, const char *frame, size_t len)
{
	struct proto_decode_err err;
	struct proto_msg m;

	(void)arg;
	if (!fuzz_client_link)
		return -1;
	FUZZ_CHECK(strlen(frame) == len);
	if (proto_decode_request(frame, len, PROTO_MAX_FRAME, &m, &err) != 0) {
		/* what the user typed may be too long for the hub, which says so; a hello
		 * is the client's own, and one refused is a link that never comes back */
		if ((err.code != PE_TOO_LONG && err.code != PE_BAD_FRAME) ||
		    strncmp(frame, "{\"type\":\"hello\"", 15) == 0)
			fuzzutil_fail(__FILE__, __LINE__, "the client sent a frame the hub refuses:"
			    " %s: %s\n%s", proto_err_name(err.code), err.detail, frame);
		return 0;
	}
	proto_msg_clear(&m);
	return 0;
}

/* A client with the view above. */
static struct client *
fuzz_client_create(const struct cf_clock *clock)
{
	struct client_config cfg;
	struct client_view v;

	memset(&v, 0, sizeof v);
	v.notice = fuzz_client_notice;
	v.chat = fuzz_client_chat;
	v.line_removed = fuzz_client_removed;
	v.announcement = fuzz_client_announcement;
	v.report = fuzz_client_report;
	v.moderation = fuzz_client_moderation;
	v.hub_notice = fuzz_client_hub_notice;
	v.mod_done = fuzz_client_mod_done;
	v.privmsg = fuzz_client_privmsg;
	v.presence = fuzz_client_presence;
	v.joined = fuzz_client_joined;
	v.parted = fuzz_client_parted;
	v.room_opened = fuzz_client_opened;
	v.room_closed = fuzz_client_closed;
	v.rooms = fuzz_client_rooms;
	v.who = fuzz_client_who;
	v.timer = fuzz_client_timer_ev;
	v.timer_change = fuzz_client_timer_change;
	v.timer_milestone = fuzz_client_milestone;
	v.timers = fuzz_client_timers;
	v.error = fuzz_client_error;
	v.program = fuzz_client_program;
	v.lineup = fuzz_client_lineup;
	v.lineup_changed = fuzz_client_lineup_changed;
	v.room_closing = fuzz_client_closing;
	v.fatal = fuzz_client_fatal;
	v.pending = fuzz_client_pending;
	v.outcome = fuzz_client_outcome;
	v.history = fuzz_client_history;
	memset(&cfg, 0, sizeof cfg);
	cfg.name = "alice";
	cfg.token = "sesame-open-123";
	cfg.clock = clock;
	cfg.send = fuzz_client_send;
	return client_create(&cfg, &v);
}

/* Lets the time in s[0..len) pass, then ticks. */
static void
fuzz_client_time(struct client *c, struct cf_fake_clock *fake, const char *s, size_t len)
{
	int64_t ms = 0;
	size_t i;

	for (i = 0; i < len && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
		ms = ms * 10 + (s[i] - '0');
	if (ms > 24LL * 3600 * 1000)
		ms = 24LL * 3600 * 1000;
	cf_fake_clock_advance(fake, ms);
	client_tick(c);
	client_ping(c);
}

/* Checks what the client keeps. */
static void
fuzz_client_check(const struct client *c)
{
	const struct room_info *rooms;
	const char *cur = client_current_room(c);
	size_t n, i;

	FUZZ_CHECK(proto_name_check(client_name(c)) == PE_NONE);
	FUZZ_CHECK(cur == NULL || room_id_valid(cur));
	rooms = client_rooms(c, &n);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(room_id_valid(rooms[i].id));
}

/* One script. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cf_fake_clock fake = { FUZZ_CLIENT_T0, 1000 };
	struct cf_clock clock;
	struct client *c;
	const char *line;
	size_t len, n = 0;
	char *typed;

	cf_clock_fake(&clock, &fake);
	fuzz_client_link = false;
	c = fuzz_client_create(&clock);
	client_connecting(c, "ws://127.0.0.1:7450");
	while (n++ < FUZZ_CLIENT_MAX_ACTIONS && fuzzutil_line(&data, &size, &line, &len) == 0) {
		if (len == 1 && line[0] == 'u') {
			fuzz_client_link = true;
			client_link_up(c);
		} else if (len == 1 && line[0] == 'd') {
			fuzz_client_link = false;
			client_link_down(c, "fuzz", 1000);
		} else if (len > 0 && line[0] == '>') {
			typed = fuzzutil_cstr((const uint8_t *)line + 1, len - 1);
			if (strlen(typed) <= COMMAND_MAX_LINE)
				client_input(c, typed);
			free(typed);
		} else if (len > 0 && line[0] == '+')
			fuzz_client_time(c, &fake, line + 1, len - 1);
		else
			client_frame(c, line, len);
		fuzz_client_check(c);
	}
	client_free(c);
	return 0;
}
