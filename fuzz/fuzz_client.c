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
 *   >LINE      the user types LINE (but /export: the fuzzer writes no files)
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

/* View: someone came or went (with a quit's message, maybe NULL). */
static void
fuzz_client_presence(void *arg, const char *room, const char *name, enum proto_presence a,
    const char *message, bool hidden)
{
	(void)arg;
	(void)a;
	(void)hidden;
	fuzz_client_str(room);
	fuzz_client_str(name);
	fuzz_client_str(message);
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

/* View: who is in a room, and who of them is away (away and its entries may be NULL). */
static void
fuzz_client_who(void *arg, const char *room, const char *const *names,
    const char *const *away, size_t n)
{
	size_t i;

	(void)arg;
	fuzz_client_str(room);
	for (i = 0; i < n; i++) {
		fuzz_client_str(names[i]);
		fuzz_client_str(away != NULL ? away[i] : NULL);
	}
}

/* View: a private message reached someone away, with their message. */
static void
fuzz_client_away_reply(void *arg, const char *name, const char *message)
{
	(void)arg;
	fuzz_client_str(name);
	fuzz_client_str(message);
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

/* True for a typed /export: it would write a file where the fuzzer runs. */
static bool
fuzz_client_writes(const char *typed)
{
	struct command cmd;
	char *cause = NULL;
	bool writes;

	if (command_parse(typed, &cmd, &cause) != 0) {
		free(cause);
		return false;
	}
	writes = cmd.type == CMD_EXPORT;
	command_clear(&cmd);
	return writes;
}

/* View: sessions listed by /search or /agenda, as the front ends show them. */
static void
fuzz_client_sessions(const struct program *p, const struct session *const *ss, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fuzz_client_program(NULL, CP_INFO, p, ss[i], -1, 0);
}

/* View: /search. */
static void
fuzz_client_search(void *arg, const char *text, const struct program *p,
    const struct session *const *ss, size_t n, size_t total, int64_t hub_now)
{
	(void)arg;
	(void)hub_now;
	FUZZ_CHECK(n <= total && n <= CLIENT_SEARCH_MAX);
	fuzz_client_str(text);
	fuzz_client_sessions(p, ss, n);
}

/* View: /agenda, overlaps flagged. */
static void
fuzz_client_agenda(void *arg, const struct program *p, const struct session *const *ss,
    const bool *overlap, size_t n, size_t gone, int64_t hub_now)
{
	size_t i;

	(void)arg;
	(void)gone;
	(void)hub_now;
	for (i = 1; i < n; i++)
		FUZZ_CHECK(ss[i - 1]->start_ms <= ss[i]->start_ms);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(overlap[i] == true || overlap[i] == false);
	fuzz_client_sessions(p, ss, n);
}

/* View: /star, /unstar. */
static void
fuzz_client_starred(void *arg, const struct program *p, const char *id,
    const struct session *s, bool on, bool changed, const struct session *clash)
{
	(void)arg;
	(void)on;
	(void)changed;
	fuzz_client_str(id);
	if (s != NULL)
		fuzz_client_sessions(p, &s, 1);
	if (clash != NULL)
		fuzz_client_sessions(p, &clash, 1);
}

/* View: a reminder (before the session starts, never after). */
static void
fuzz_client_reminder(void *arg, const struct program *p, const struct session *s,
    int64_t left_ms)
{
	char buf[64];

	(void)arg;
	FUZZ_CHECK(left_ms > 0);
	duration_format_remaining(left_ms, buf, sizeof buf);
	fuzz_client_sessions(p, &s, 1);
}

/* View: the filters. */
static void
fuzz_client_filter(void *arg, const struct program *p, const struct search_filter *f)
{
	(void)arg;
	(void)p;
	fuzz_client_str(f->track);
	fuzz_client_str(f->room);
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

/* View: the program changed: each change is consistent with its kind and the two
 * programs, and its text is formatted as the front ends do. */
static void
fuzz_client_program_changed(void *arg, const struct program *old, const struct program *p,
    const struct program_change *ch, size_t n, const char *by)
{
	size_t i;

	(void)arg;
	FUZZ_CHECK(n > 0 && old != NULL && p != NULL);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK((ch[i].old != NULL) == (ch[i].kind != PC_ADDED));
		FUZZ_CHECK((ch[i].new_ != NULL) == (ch[i].kind != PC_REMOVED));
		if (ch[i].old != NULL)
			FUZZ_CHECK(program_find(old, ch[i].old->id) == ch[i].old);
		if (ch[i].new_ != NULL) {
			FUZZ_CHECK(program_find(p, ch[i].new_->id) == ch[i].new_);
			fuzz_client_str(ch[i].new_->title);
			fuzz_client_str(ch[i].new_->location);
		}
	}
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

/* A text the client made for the front ends: promised safe to print as it is. */
static void
fuzz_client_made(char *t)
{
	if (t != NULL)
		FUZZ_CHECK(fuzzutil_safe_text(t, strlen(t), ""));
	free(t);
}

/* View: an item appeared or changed, said as the front ends say it. */
static void
fuzz_client_item(void *arg, const struct part_item *it, enum client_item_change change,
    const char *by)
{
	(void)arg;
	fuzz_client_made(client_item_tag(it));
	fuzz_client_made(client_item_text(it, change, by));
	fuzz_client_made(client_item_row(it));
	fuzz_client_clock(it->ts);
}

/* View: an item's votes. */
static void
fuzz_client_tally(void *arg, const struct part_item *it)
{
	(void)arg;
	fuzz_client_made(client_tally_text(it));
}

/* View: a list of items (/topics, /board, ...). */
static void
fuzz_client_items(void *arg, enum part_kind kind, const struct part_item *const *items,
    size_t n)
{
	size_t i;

	(void)arg;
	for (i = 0; i < n; i++)
		fuzz_client_made(client_item_row(items[i]));
	if (n == 0)
		fuzz_client_made(client_items_empty_text(kind));
}

/* View: a queue changed. */
static void
fuzz_client_queue(void *arg, const struct client_queue *q, const char *raised,
    const char *lowered, const char *called, bool cleared, bool first, const char *by)
{
	(void)arg;
	fuzz_client_made(client_queue_text(q, raised, lowered, called, cleared, first, by,
	    "alice"));
	fuzz_client_made(client_queue_list_text(q, "alice"));
}

/* View: /queue. */
static void
fuzz_client_queue_list(void *arg, const struct client_queue *q)
{
	(void)arg;
	fuzz_client_made(client_queue_list_text(q, "alice"));
}

/* View: anonymous questions allowed or not. */
static void
fuzz_client_qa(void *arg, const char *session, bool anonymous, const char *by)
{
	(void)arg;
	(void)anonymous;
	fuzz_client_str(session);
	fuzz_client_str(by);
}

/* View: what became of a sign-up of ours. */
static void
fuzz_client_signup(void *arg, const struct proto_signup_answer *a)
{
	(void)arg;
	fuzz_client_made(client_signup_text(a));
}

/* View: a participation request of ours was done. */
static void
fuzz_client_part_done(void *arg, const struct client_part_done *d)
{
	(void)arg;
	fuzz_client_made(client_part_done_text(d, NULL));
}

/* View: our turn. */
static void
fuzz_client_alert(void *arg, enum client_alert what, const char *detail, int64_t ms)
{
	(void)arg;
	fuzz_client_made(client_alert_text(what, detail, ms));
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
	v.item = fuzz_client_item;
	v.tally = fuzz_client_tally;
	v.items = fuzz_client_items;
	v.queue = fuzz_client_queue;
	v.queue_list = fuzz_client_queue_list;
	v.qa = fuzz_client_qa;
	v.signup_answer = fuzz_client_signup;
	v.part_done = fuzz_client_part_done;
	v.alert = fuzz_client_alert;
	v.privmsg = fuzz_client_privmsg;
	v.presence = fuzz_client_presence;
	v.joined = fuzz_client_joined;
	v.parted = fuzz_client_parted;
	v.room_opened = fuzz_client_opened;
	v.room_closed = fuzz_client_closed;
	v.rooms = fuzz_client_rooms;
	v.who = fuzz_client_who;
	v.away_reply = fuzz_client_away_reply;
	v.timer = fuzz_client_timer_ev;
	v.timer_change = fuzz_client_timer_change;
	v.timer_milestone = fuzz_client_milestone;
	v.timers = fuzz_client_timers;
	v.error = fuzz_client_error;
	v.program = fuzz_client_program;
	v.lineup = fuzz_client_lineup;
	v.lineup_changed = fuzz_client_lineup_changed;
	v.program_changed = fuzz_client_program_changed;
	v.room_closing = fuzz_client_closing;
	v.fatal = fuzz_client_fatal;
	v.pending = fuzz_client_pending;
	v.outcome = fuzz_client_outcome;
	v.history = fuzz_client_history;
	v.search = fuzz_client_search;
	v.agenda = fuzz_client_agenda;
	v.starred = fuzz_client_starred;
	v.reminder = fuzz_client_reminder;
	v.filter = fuzz_client_filter;
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
			if (strlen(typed) <= COMMAND_MAX_LINE && !fuzz_client_writes(typed))
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
