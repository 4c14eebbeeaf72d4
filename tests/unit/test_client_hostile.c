/* test_client_hostile.c: the client model against a hostile hub: huge lists (the room
 * index and the caps), refusals said instead of waited on, replies that cannot be read,
 * and timer and room-end wake-ups at the ends of the time range. */
#include "util/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "client/client_int.h"
#include "clientfix.h"
#include "util/sat.h"
#include "util/xalloc.h"

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};

/* Appends printf output to b. */
static void __attribute__((format(printf, 2, 3)))
buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s != NULL ? b->s + b->len : NULL, b->cap - b->len, fmt, ap);
		va_end(ap);
		assert_true(n >= 0);
		if (b->len + (size_t)n < b->cap)
			break;
		b->cap = (b->cap + (size_t)n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	b->len += (size_t)n;
}

/* Feeds b to the client as one frame and empties b. */
static void
buf_feed(struct rec *r, struct buf *b)
{
	client_frame(r->c, b->s, b->len);
	free(b->s);
	memset(b, 0, sizeof *b);
}

/* The id of the hello the client sent last. */
static int64_t
last_hello(struct rec *r)
{
	struct proto_msg m;
	size_t i;
	int64_t id = 0;

	for (i = r->nsent; i-- > 0 && id == 0; ) {
		sent_msg(r, i, &m);
		if (m.type == PT_HELLO)
			id = m.id;
		proto_msg_clear(&m);
	}
	assert_true(id > 0);
	return id;
}

/* The rooms of a welcome or rooms event: the lobby, then n breakouts "rNNNNNN" (from
 * first; skip: one left out), then the extra room (or none). */
static void
add_rooms(struct buf *b, size_t first, size_t n, size_t skip, const char *extra)
{
	size_t i;

	buf_add(b, "\"rooms\":[{\"id\":\"lobby\",\"kind\":\"lobby\",\"occupancy\":1}");
	if (extra != NULL)
		buf_add(b, ",{\"id\":\"%s\",\"kind\":\"breakout\",\"occupancy\":0}", extra);
	for (i = first; i < first + n; i++)
		if (i != skip)
			buf_add(b, ",{\"id\":\"r%06zu\",\"kind\":\"breakout\",\"occupancy\":0}", i);
	buf_add(b, "]");
}

/* Starts a welcome answering re (its now given as text), up to its rooms. */
static void
welcome_head(struct buf *b, int64_t re, const char *now)
{
	buf_add(b, "{\"type\":\"welcome\",\"re\":%lld,\"proto\":1,\"hub\":\"h\",\"epoch\":\"e\","
	    "\"name\":\"alice\",\"role\":\"attendee\",\"resume\":\"r\",\"now\":%s,\"limits\":"
	    "{\"frame\":16384,\"text\":2000,\"name\":32,\"history\":200},", (long long)re, now);
}

/* A welcome with 100,000 rooms (and a room twice), 12,000 timers and 1,000 joined rooms:
 * kept up to the caps, in about n log n (the old scans took minutes for this), and found
 * through the index; then rooms events that add and drop one room among them, and a
 * room.closed, keep the index right. */
static void
test_hostile_many_rooms(void **state)
{
	struct rec *r = *state;
	struct buf b = { 0 };
	const struct room_info *ri;
	size_t n, i;
	clock_t t0;
	char id[16], now[32];

	r->link = 1;
	client_link_up(r->c);
	snprintf(now, sizeof now, "%lld", (long long)r->fake.wall);
	welcome_head(&b, last_hello(r), now);
	add_rooms(&b, 0, 100000, SIZE_MAX, "r000003");
	buf_add(&b, ",\"timers\":[");
	for (i = 0; i < 12000; i++)
		buf_add(&b, "%s{\"scope\":\"r%06zu\",\"state\":\"idle\",\"label\":\"\","
		    "\"duration_ms\":0,\"rev\":1,\"by\":\"\"}", i > 0 ? "," : "", i);
	buf_add(&b, "],\"joined\":[\"lobby\"");
	for (i = 0; i < 1000; i++)
		buf_add(&b, ",\"r%06zu\"", i);
	buf_add(&b, "]}");
	t0 = clock();
	buf_feed(r, &b);
	expect_ev(r, "notice 1 alice 0");
	ri = client_rooms(r->c, &n);
	assert_int_equal(n, CLIENT_MAX_ROOMS);
	assert_string_equal(ri[0].id, "lobby");
	assert_string_equal(ri[1].id, "r000003");
	assert_string_equal(ri[2].id, "r000000");
	assert_string_equal(ri[n - 1].id, "r009998");   /* the duplicate r000003 left out */
	client_timers(r->c, &n);
	assert_int_equal(n, CLIENT_MAX_TIMERS);
	assert_true(client_is_joined(r->c, "lobby"));
	assert_true(client_is_joined(r->c, "r000498"));
	assert_false(client_is_joined(r->c, "r000499"));   /* 500 rooms, the lobby first */

	/* the same list with one room more and one less: one line each */
	rec_reset(r);
	buf_add(&b, "{\"type\":\"rooms\",\"stream\":\"rooms\",\"seq\":2,");
	add_rooms(&b, 0, 100000, 700, "new-room");
	buf_add(&b, "}");
	buf_feed(r, &b);
	expect_ev(r, "opened new-room 0");
	expect_ev(r, "closed r000700 - 0 -");
	assert_int_equal(r->nev, 2);
	ri = client_rooms(r->c, &n);
	assert_int_equal(n, CLIENT_MAX_ROOMS);
	for (i = 0; i < n; i++)
		assert_ptr_equal(client_find_room(r->c, ri[i].id), &ri[i]);
	assert_null(client_find_room(r->c, "r000700"));
	assert_null(client_find_room(r->c, "r009999"));
	/* room.closed of a room we are not in: announced and forgotten, the rest still found */
	rec_reset(r);
	buf_add(&b, "{\"type\":\"room.closed\",\"stream\":\"room:r000600\",\"seq\":1,"
	    "\"room\":\"r000600\",\"by\":\"carol\",\"moved_to\":\"lobby\"}");
	buf_feed(r, &b);
	expect_ev(r, "closed r000600 carol 0 -");
	ri = client_rooms(r->c, &n);
	assert_int_equal(n, CLIENT_MAX_ROOMS - 1);
	for (i = 0; i < n; i++)
		assert_ptr_equal(client_find_room(r->c, ri[i].id), &ri[i]);
	assert_null(client_find_room(r->c, "r000600"));
	snprintf(id, sizeof id, "r%06d", 9998);
	assert_non_null(client_find_room(r->c, id));   /* the last room, moved into its place */
	/* the clock: all of it, and then some, in well under the time a scan took */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
}

/* Refusals: four name-taken answers (three retries, then the original name is quoted), an
 * error that answers nothing before the welcome, a welcome the decoder refuses: each is
 * one fatal call with what to do; the hub is not listened to afterwards. */
static void
test_hostile_refusals(void **state)
{
	struct rec *r = *state;
	struct buf b = { 0 };
	int i;

	r->link = 1;
	client_link_up(r->c);
	for (i = 0; i < 4; i++) {
		buf_add(&b, "{\"type\":\"error\",\"re\":%lld,\"code\":\"name-taken\",\"message\":"
		    "\"taken\"}", (long long)last_hello(r));
		buf_feed(r, &b);
	}
	expect_ev(r, "notice 5 alice___ 0");
	expect_ev(r, "fatal the name \"alice\" is taken on this hub: start confab again with "
	    "another name (--name NAME) | that name is already taken");
	rec_reset(r);
	welcome_head(&b, 1, "1");
	buf_add(&b, "\"rooms\":[],\"timers\":[],\"joined\":[]}");
	buf_feed(r, &b);
	assert_int_equal(r->nev, 0);           /* refused: nothing more is looked at */
	assert_false(client_online(r->c));

	/* an answer to nothing before the welcome: the answer to the hello */
	rec_client(r, NULL);
	rec_reset(r);
	client_link_up(r->c);
	buf_add(&b, "{\"type\":\"error\",\"re\":0,\"code\":\"internal\",\"message\":\"boom\"}");
	buf_feed(r, &b);
	expect_ev(r, "fatal the hub refused to let you in: boom (internal); try again later, or "
	    "ask the hub's operators | internal error in the hub");

	/* a welcome refused by the decoder (its clock out of range, or without "re") */
	rec_client(r, NULL);
	rec_reset(r);
	client_link_up(r->c);
	welcome_head(&b, last_hello(r), "-9223372036854775808");
	buf_add(&b, "\"rooms\":[],\"timers\":[],\"joined\":[]}");
	buf_feed(r, &b);
	expect_ev(r, "fatal the hub's answer to our hello cannot be used (field \"now\": not a "
	    "time from 1970 to 9999): the hub may be broken or of another version; try again "
	    "later, or ask its operators | its answer could not be read");
	rec_client(r, NULL);
	rec_reset(r);
	client_link_up(r->c);
	buf_add(&b, "{\"type\":\"welcome\",\"proto\":1}");
	buf_feed(r, &b);
	assert_int_equal(r->nev, 1);
	assert_non_null(strstr(r->ev[0], "fatal the hub's answer to our hello cannot be used"));
	assert_int_equal(client_pending(r->c), 0);
}

/* Replies that cannot be read fail their request: a who after a join (input waits for it)
 * whose names break the rules, a history reply for another room; a pong out of range is
 * dropped; presence for a room we are not in is not shown; a room closed "into" a room we
 * are not in leaves us in the lobby. */
static void
test_hostile_bad_replies(void **state)
{
	struct rec *r = *state;
	struct buf b = { 0 };
	struct proto_msg m;
	int64_t id;

	welcome(r, "e1", 0, lobby_only, 1);
	client_input(r->c, "/join hack");
	sent_msg(r, r->nsent - 1, &m);
	assert_int_equal(m.type, PT_JOIN);
	buf_add(&b, "{\"type\":\"ok\",\"re\":%lld,\"last\":0,\"from\":1}", (long long)m.id);
	proto_msg_clear(&m);
	buf_feed(r, &b);
	sent_msg(r, r->nsent - 1, &m);
	assert_int_equal(m.type, PT_WHO);
	buf_add(&b, "{\"type\":\"members\",\"re\":%lld,\"room\":\"hack\",\"names\":[\"al\\u200bice\"]}",
	    (long long)m.id);
	proto_msg_clear(&m);
	rec_reset(r);
	buf_feed(r, &b);
	expect_ev(r, "joined hack 1");
	assert_int_equal(client_pending(r->c), 0);

	/* a chat line so that history has something to go before */
	feed_chat(r, "hack", 10, "bob", "ten");
	client_input(r->c, "/history 5");
	sent_msg(r, r->nsent - 1, &m);
	assert_int_equal(m.type, PT_HISTORY);
	id = m.id;
	proto_msg_clear(&m);
	buf_add(&b, "{\"type\":\"history\",\"re\":%lld,\"room\":\"lobby\",\"events\":[],"
	    "\"more\":false}", (long long)id);
	rec_reset(r);
	buf_feed(r, &b);
	assert_int_equal(r->nev, 0);
	/* asked again: the old request is no longer out; lines at or after "before" are not
	 * taken (they would move our position) */
	client_input(r->c, "/history 5");
	sent_msg(r, r->nsent - 1, &m);
	id = m.id;
	proto_msg_clear(&m);
	buf_add(&b, "{\"type\":\"history\",\"re\":%lld,\"room\":\"hack\",\"events\":["
	    "{\"type\":\"chat\",\"stream\":\"room:hack\",\"seq\":9,\"room\":\"hack\",\"from\":\"b\","
	    "\"text\":\"nine\",\"ts\":1},{\"type\":\"chat\",\"stream\":\"room:hack\",\"seq\":"
	    "9000000000,\"room\":\"hack\",\"from\":\"b\",\"text\":\"later\",\"ts\":1}],"
	    "\"more\":true}", (long long)id);
	buf_feed(r, &b);
	expect_ev(r, "history hack 2 1");
	assert_int_equal(client_chat_count(r->c, "hack"), 2);
	feed_chat(r, "hack", 11, "bob", "eleven");
	expect_ev(r, "chat hack bob eleven");

	/* a pong out of range: no sample, no error shown */
	rec_reset(r);
	client_ping(r->c);
	sent_msg(r, r->nsent - 1, &m);
	assert_int_equal(m.type, PT_PING);
	buf_add(&b, "{\"type\":\"pong\",\"re\":%lld,\"t0\":%lld,\"t1\":-1,\"t2\":5}",
	    (long long)m.id, (long long)m.u.ping.t0);
	proto_msg_clear(&m);
	buf_feed(r, &b);
	assert_int_equal(r->nev, 0);
	assert_int_equal(client_rtt_ms(r->c), -1);

	buf_add(&b, "{\"type\":\"presence\",\"stream\":\"user\",\"seq\":0,\"room\":\"elsewhere\","
	    "\"name\":\"bob\",\"action\":\"join\"}");
	buf_feed(r, &b);
	assert_int_equal(r->nev, 0);
	buf_add(&b, "{\"type\":\"presence\",\"stream\":\"user\",\"seq\":0,\"room\":\"hack\","
	    "\"name\":\"bob\",\"action\":\"join\"}");
	buf_feed(r, &b);
	expect_ev(r, "presence hack bob 0");

	/* closed, and "moved" to a room we are not in: we are back in the lobby */
	assert_string_equal(client_current_room(r->c), "hack");
	buf_add(&b, "{\"type\":\"room.closed\",\"stream\":\"room:hack\",\"seq\":12,"
	    "\"room\":\"hack\",\"by\":\"carol\",\"moved_to\":\"elsewhere\"}");
	buf_feed(r, &b);
	assert_string_equal(client_current_room(r->c), "lobby");
}

/* A hub that never answers a /join (though it sends other frames): after
 * CLIENT_ANSWER_MS the join is given up, said as an error, and the line typed after it
 * is sent; a ping left unanswered is not an error. */
static void
test_hostile_no_answer(void **state)
{
	struct rec *r = *state;
	struct proto_msg m;

	welcome(r, "e1", 0, lobby_only, 1);
	client_input(r->c, "/join hack");
	sent_msg(r, r->nsent - 1, &m);
	assert_int_equal(m.type, PT_JOIN);
	proto_msg_clear(&m);
	client_input(r->c, "hello after the join");
	assert_int_equal(client_pending(r->c), 2);   /* the join, and the line waiting */
	cf_fake_clock_advance(&r->fake, CLIENT_ANSWER_MS - 1);
	feed_chat(r, "lobby", 1, "bob", "still here");
	client_ping(r->c);
	assert_false(rec_has(r, "error local no answer from the hub to /join #hack in 60 s: "
	    "given up"));
	cf_fake_clock_advance(&r->fake, 1);
	rec_reset(r);
	client_ping(r->c);
	expect_ev(r, "error local no answer from the hub to /join #hack in 60 s: given up");
	expect_ev(r, "pending lobby - hello after the join 0");
	sent_msg(r, 0, &m);
	assert_int_equal(m.type, PT_SAY);
	assert_string_equal(m.u.say.room, "lobby");
	proto_msg_clear(&m);
}

/* Counts the wake-ups until none is pending: each one that fires must announce
 * something (or there would be a loop of wake-ups that do nothing). */
static int
wakeups_until_done(struct rec *r, int max)
{
	int64_t w;
	size_t before;
	int n = 0;

	while ((w = client_next_wakeup(r->c)) >= 0) {
		assert_true(n++ < max);
		cf_fake_clock_advance(&r->fake, w);
		before = r->nev;
		client_tick(r->c);
		assert_true(r->nev > before);
	}
	return n;
}

/* Timers and room ends at the ends of the time range (year 9999, 1970): the wake-ups are
 * far or due, never overflowing, and each one makes progress. */
static void
test_hostile_wakeups(void **state)
{
	struct rec *r = *state;
	struct buf b = { 0 };
	char now[32];

	r->link = 1;
	client_link_up(r->c);
	snprintf(now, sizeof now, "%lld", (long long)r->fake.wall);
	welcome_head(&b, last_hello(r), now);
	buf_add(&b, "\"rooms\":[{\"id\":\"lobby\",\"kind\":\"lobby\",\"occupancy\":1,"
	    "\"closes_at\":%lld},{\"id\":\"old\",\"kind\":\"breakout\",\"occupancy\":1,"
	    "\"closes_at\":1}],\"timers\":[{\"scope\":\"main\",\"state\":\"running\",\"label\":"
	    "\"\",\"duration_ms\":%lld,\"deadline\":%lld,\"started\":0,\"warn_ms\":86400000,"
	    "\"danger_ms\":1,\"rev\":1,\"by\":\"\"},{\"scope\":\"old\",\"state\":\"running\","
	    "\"label\":\"\",\"duration_ms\":1,\"deadline\":0,\"rev\":1,\"by\":\"\"},"
	    "{\"scope\":\"p\",\"state\":\"paused\",\"label\":\"\",\"duration_ms\":1,"
	    "\"remaining_ms\":-%lld,\"rev\":1,\"by\":\"\"}],\"joined\":[\"lobby\",\"old\"]}",
	    (long long)SAT_TIME_MAX_MS, (long long)SAT_TIME_MAX_MS, (long long)SAT_TIME_MAX_MS,
	    (long long)SAT_TIME_MAX_MS);
	buf_feed(r, &b);
	expect_ev(r, "notice 1 alice 0");
	/* in 1970 already: nothing to announce; in 9999: far, but a number */
	assert_true(client_next_wakeup(r->c) > (int64_t)1e14);
	rec_reset(r);
	/* warn (a day before), danger, 0:10, time is up; the lobby's end a minute before */
	assert_int_equal(wakeups_until_done(r, 10), 5);
	expect_ev(r, "milestone main 3 0");
	expect_ev(r, "closing lobby 60000");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hostile_many_rooms, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_hostile_refusals, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_hostile_bad_replies, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_hostile_wakeups, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_hostile_no_answer, setup_client,
		    teardown_client),
	};

	return cmocka_run_group_tests_name("client_hostile", tests, NULL, NULL);
}
