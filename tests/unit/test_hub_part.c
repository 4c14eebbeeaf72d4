/* test_hub_part.c: unit tests of participation in the hub (hub_part*.c, hub_queue.c): no
 * network, a fake clock, the demo program (d1-spec, a panel, is on; d2-open, an open
 * discussion, comes next). Topics and votes (one per voter, also across a takeover),
 * tallies coalesced to one a second, merges that count nobody twice, facilitator-only
 * requests, hiding, sign-ups seen by facilitators and their author only, secret polls,
 * anonymous questions, the speaking queue, and a resume's replay or snapshot. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub.h"
#include "hub/hub_int.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/xalloc.h"
#include "hubfix.h"

/* Sends a request and expects ok; returns its "item" member (0 when none). */
static int64_t
t_ok_item(struct hub_session *s, int64_t id, const char *fmt, ...)
{
	struct proto_msg m;
	va_list ap;
	char *body, *text;
	int64_t item;

	va_start(ap, fmt);
	body = xvasprintf(fmt, ap);
	va_end(ap);
	text = xasprintf("{\"id\":%lld,%s}", (long long)id, body);
	t_send(s, "%s", text);
	free(text);
	free(body);
	t_find(s, PT_OK, &m);
	assert_int_equal(m.re, id);
	item = m.u.ok.item;
	proto_msg_clear(&m);
	return item;
}

/* Reads frames of s until an error; it must have code e and answer re. */
static void
t_err(struct hub_session *s, enum proto_err e, int64_t re)
{
	struct proto_msg m;

	t_find(s, PT_ERROR, &m);
	if (m.u.error.code != e)
		fail_msg("expected error %s, got %s (%s)", proto_err_name(e),
		    proto_err_name(m.u.error.code), m.u.error.message);
	assert_int_equal(m.re, re);
	proto_msg_clear(&m);
}

/* The next frame of s is an item event about item id; its state into *st. */
static void
t_item(struct hub_session *s, int64_t id, enum part_state st)
{
	struct proto_msg m;

	t_find(s, PT_ITEM, &m);
	assert_int_equal(m.u.item.item->id, id);
	assert_int_equal(m.u.item.item->state, st);
	proto_msg_clear(&m);
}

/* Advances the clock past the tally interval, ticks, and returns the votes of item id in
 * the tally s receives (-1 when none came). */
static int64_t
t_tally(struct fixture *f, struct hub_session *s, int64_t id)
{
	struct proto_msg m;
	int64_t votes = -1;
	size_t i;

	cf_fake_clock_advance(&f->fake, 1000);
	hub_tick(f->hub);
	while (t_next(s, &m) == 0) {
		if (m.type == PT_TALLY)
			for (i = 0; i < m.u.tally.n; i++)
				if (m.u.tally.v[i].item == id)
					votes = m.u.tally.v[i].votes;
		proto_msg_clear(&m);
	}
	return votes;
}

/* Topics: propose, everyone sees it; one vote per voter (again: dup; after a takeover:
 * dup); votes coalesced into one tally a second; unvote. */
static void
test_topics(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b, *a2;
	struct proto_msg m;
	int64_t id;
	int n;

	a = t_login(f, 0, "alice", NULL);
	b = t_login(f, 1, "bob", NULL);
	id = t_ok_item(a, 2, "\"type\":\"propose\",\"title\":\"Bridges\"");
	assert_int_equal(id, 1);
	t_item(a, id, PS_OPEN);
	t_find(b, PT_ITEM, &m);
	assert_string_equal(m.u.item.item->title, "Bridges");
	assert_string_equal(m.u.item.item->by, "alice");
	assert_string_equal(m.u.item.item->session, "d2-open");   /* the next discussion */
	assert_string_equal(m.u.item.change, "new");
	proto_msg_clear(&m);
	t_ok_item(b, 3, "\"type\":\"vote\",\"item\":%lld", (long long)id);
	t_send(b, "{\"type\":\"vote\",\"id\":4,\"item\":%lld}", (long long)id);
	t_expect(b, PT_OK, &m);
	assert_true(m.u.ok.dup);                                  /* voted already */
	proto_msg_clear(&m);
	/* the first count goes out at the next tick; those that follow within the second
	 * make one tally when it has passed */
	hub_tick(f->hub);
	t_find(b, PT_TALLY, &m);
	assert_int_equal(m.u.tally.v[0].votes, 1);
	proto_msg_clear(&m);
	t_ok_item(a, 5, "\"type\":\"vote\",\"item\":%lld", (long long)id);
	t_drain(a);
	cf_fake_clock_advance(&f->fake, 500);
	hub_tick(f->hub);
	n = 0;
	while (t_next(b, &m) == 0) {
		n += m.type == PT_TALLY;                          /* (occupancy may come) */
		proto_msg_clear(&m);
	}
	assert_int_equal(n, 0);
	assert_int_equal(t_tally(f, b, id), 2);
	t_drain(a);
	/* alice again, on a new connection that takes her session over: still one vote */
	a2 = t_login(f, 2, "alice", NULL);
	t_send(a2, "{\"type\":\"vote\",\"id\":6,\"item\":%lld}", (long long)id);
	t_find(a2, PT_OK, &m);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
	/* a look-alike name is the same name: without the secret it is refused */
	t_open(f, 3);
	t_send(f->c[3].s, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"ALICE\"}");
	t_err(f->c[3].s, PE_NAME_TAKEN, 1);
	t_ok_item(b, 7, "\"type\":\"unvote\",\"item\":%lld", (long long)id);
	assert_int_equal(t_tally(f, b, id), 1);
	t_send(b, "{\"type\":\"unvote\",\"id\":8,\"item\":%lld}", (long long)id);
	t_find(b, PT_OK, &m);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
	t_send(b, "{\"type\":\"vote\",\"id\":9,\"item\":99}");
	t_err(b, PE_NO_ITEM, 9);
	t_send(b, "{\"type\":\"vote\",\"id\":10,\"item\":%lld,\"choice\":0}", (long long)id);
	t_err(b, PE_BAD_FIELD, 10);
	t_send(b, "{\"type\":\"propose\",\"id\":11,\"title\":\"x\",\"session\":\"d1-spec\"}");
	t_err(b, PE_NO_SESSION, 11);                     /* a panel, not a discussion */
	(void)a;
}

/* Merging: voters of both topics count once; the merged topic takes no more votes;
 * promoting opens a breakout named after the topic. Attendees may do neither. */
static void
test_merge_promote(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b, *c;
	struct proto_msg m;
	int64_t t1, t2;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	b = t_login(f, 2, "b", NULL);
	c = t_login(f, 3, "c", NULL);
	t1 = t_ok_item(a, 2, "\"type\":\"propose\",\"title\":\"Censorship in Iran\"");
	t2 = t_ok_item(c, 2, "\"type\":\"propose\",\"title\":\"Iran\"");
	t_ok_item(a, 3, "\"type\":\"vote\",\"item\":%lld", (long long)t1);
	t_ok_item(b, 3, "\"type\":\"vote\",\"item\":%lld", (long long)t1);
	t_ok_item(b, 4, "\"type\":\"vote\",\"item\":%lld", (long long)t2);
	t_ok_item(c, 4, "\"type\":\"vote\",\"item\":%lld", (long long)t2);
	t_drain(fac);
	t_send(a, "{\"type\":\"topic.merge\",\"id\":5,\"item\":%lld,\"into\":%lld}",
	    (long long)t2, (long long)t1);
	t_err(a, PE_NOT_ALLOWED, 5);
	t_ok_item(fac, 2, "\"type\":\"topic.merge\",\"item\":%lld,\"into\":%lld", (long long)t2,
	    (long long)t1);
	assert_int_equal(t_tally(f, fac, t1), 3);                  /* a, b, c: b once */
	t_send(b, "{\"type\":\"vote\",\"id\":6,\"item\":%lld}", (long long)t2);
	t_err(b, PE_ITEM_STATE, 6);
	t_send(fac, "{\"type\":\"topic.merge\",\"id\":3,\"item\":%lld,\"into\":%lld}",
	    (long long)t1, (long long)t1);
	t_err(fac, PE_ITEM_STATE, 3);
	/* promote */
	t_send(c, "{\"type\":\"topic.promote\",\"id\":7,\"item\":%lld}", (long long)t1);
	t_err(c, PE_NOT_ALLOWED, 7);
	t_ok_item(fac, 4, "\"type\":\"topic.promote\",\"item\":%lld,\"minutes\":20", (long long)t1);
	t_find(a, PT_ITEM, &m);
	while (m.u.item.item->id != t1 || m.u.item.item->state != PS_RUNNING) {
		proto_msg_clear(&m);
		t_find(a, PT_ITEM, &m);
	}
	assert_string_equal(m.u.item.item->room, "censorship-in-iran");
	assert_string_equal(m.u.item.change, "promoted");
	proto_msg_clear(&m);
	assert_non_null(hub_room_find(f->hub, "censorship-in-iran"));
	assert_int_not_equal(hub_room_find(f->hub, "censorship-in-iran")->info.closes_at_ms, 0);
	t_send(fac, "{\"type\":\"topic.promote\",\"id\":5,\"item\":%lld}", (long long)t1);
	t_err(fac, PE_ITEM_STATE, 5);                   /* it runs already */
}

/* Hiding: the item vanishes (event, no votes, not in a newcomer's snapshot). */
static void
test_hide(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b;
	struct proto_msg m;
	int64_t t1, t2;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	t1 = t_ok_item(a, 2, "\"type\":\"propose\",\"title\":\"spam spam\"");
	t2 = t_ok_item(a, 3, "\"type\":\"propose\",\"title\":\"a fine topic\"");
	t_drain(a);
	t_ok_item(fac, 2, "\"type\":\"item.hide\",\"item\":%lld", (long long)t1);
	t_find(a, PT_ITEM_HIDDEN, &m);
	assert_int_equal(m.u.item_hidden.item, t1);
	assert_string_equal(m.u.item_hidden.by, "fac");
	proto_msg_clear(&m);
	t_send(a, "{\"type\":\"vote\",\"id\":4,\"item\":%lld}", (long long)t1);
	t_err(a, PE_NO_ITEM, 4);
	t_send(fac, "{\"type\":\"item.hide\",\"id\":3,\"item\":%lld}", (long long)t1);
	t_err(fac, PE_NO_ITEM, 3);
	b = t_open(f, 2);
	t_send(b, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"b\"}");
	t_find(b, PT_PART_STATE, &m);
	assert_int_equal(m.u.part_state.nitems, 1);
	assert_int_equal(m.u.part_state.items[0].id, t2);
	proto_msg_clear(&m);
}

/* Sign-ups: one open per kind; seen by facilitators and the author only; accept puts it
 * into the lineup and tells the author on its user stream. */
static void
test_signups(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b;
	struct proto_msg m;
	int64_t s1;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	b = t_login(f, 2, "b", NULL);
	s1 = t_ok_item(a, 2, "\"type\":\"signup\",\"format\":\"pitch\",\"title\":\"QR bridges\"");
	t_send(a, "{\"type\":\"signup\",\"id\":3,\"format\":\"pitch\",\"title\":\"again\"}");
	t_find(a, PT_ERROR, &m);
	assert_int_equal(m.u.error.code, PE_SIGNED_UP);
	proto_msg_clear(&m);
	t_ok_item(a, 4, "\"type\":\"signup\",\"format\":\"talk\",\"title\":\"a talk too\"");
	t_item(fac, s1, PS_OPEN);
	t_expect_nothing(b);                                     /* not for other attendees */
	t_send(b, "{\"type\":\"vote\",\"id\":2,\"item\":%lld}", (long long)s1);
	t_err(b, PE_NO_ITEM, 2);
	t_drain(fac);
	t_drain(a);
	t_ok_item(fac, 2, "\"type\":\"signup.accept\",\"item\":%lld", (long long)s1);
	t_find(a, PT_SIGNUP_ANSWER, &m);
	assert_int_equal(m.u.signup_answer.state, PS_ACCEPTED);
	assert_int_equal(m.u.signup_answer.position, 0);         /* the first of the lineup */
	proto_msg_clear(&m);
	assert_int_equal(f->hub->nlineup, 1);
	assert_string_equal(f->hub->lineup[0].speaker, "a");
	assert_string_equal(f->hub->lineup[0].title, "QR bridges");
	assert_int_equal(f->hub->lineup[0].kind, LK_PITCH);
	t_send(fac, "{\"type\":\"signup.decline\",\"id\":3,\"item\":%lld}", (long long)s1);
	t_err(fac, PE_ITEM_STATE, 3);
	t_send(b, "{\"type\":\"signup.accept\",\"id\":3,\"item\":%lld}", (long long)s1);
	t_err(b, PE_NOT_ALLOWED, 3);
}

/* Polls: votes and changed votes; secret ones tally without counts until closed. Q&A:
 * anonymous questions only where allowed, and nobody is told who asked. */
static void
test_polls_qa(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b;
	struct proto_msg m;
	int64_t p, q;
	size_t i;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	b = t_login(f, 2, "b", NULL);
	p = t_ok_item(fac, 2, "\"type\":\"poll.open\",\"question\":\"v2.2?\",\"choices\":"
	    "[\"yes\",\"no\",\"abstain\"],\"secret\":true,\"seconds\":60");
	t_ok_item(a, 2, "\"type\":\"vote\",\"item\":%lld,\"choice\":0", (long long)p);
	t_ok_item(b, 2, "\"type\":\"vote\",\"item\":%lld,\"choice\":1", (long long)p);
	t_ok_item(b, 3, "\"type\":\"vote\",\"item\":%lld,\"choice\":0", (long long)p);
	t_drain(a);
	cf_fake_clock_advance(&f->fake, 1000);
	hub_tick(f->hub);
	t_find(a, PT_TALLY, &m);
	assert_int_equal(m.u.tally.v[0].votes, 2);
	assert_int_equal(m.u.tally.v[0].ncounts, 0);             /* secret */
	proto_msg_clear(&m);
	/* it closes by itself after its 60 s, with the counts */
	cf_fake_clock_advance(&f->fake, 60000);
	hub_tick(f->hub);
	hub_flush(f->hub);
	t_find(a, PT_ITEM, &m);
	while (m.u.item.item->state != PS_CLOSED) {
		proto_msg_clear(&m);
		t_find(a, PT_ITEM, &m);
	}
	assert_true(m.u.item.item->has_counts);
	assert_int_equal(m.u.item.item->counts[0], 2);
	assert_int_equal(m.u.item.item->counts[1], 0);
	proto_msg_clear(&m);
	t_send(a, "{\"type\":\"vote\",\"id\":4,\"item\":%lld,\"choice\":1}", (long long)p);
	t_err(a, PE_ITEM_STATE, 4);

	t_send(a, "{\"type\":\"ask\",\"id\":5,\"text\":\"who?\",\"anonymous\":true}");
	t_err(a, PE_ANONYMOUS_OFF, 5);
	t_ok_item(fac, 3, "\"type\":\"qa.anonymous\",\"session\":\"d1-spec\",\"anonymous\":true");
	q = t_ok_item(a, 6, "\"type\":\"ask\",\"text\":\"who?\",\"anonymous\":true");
	t_drain(b);
	t_drain(fac);
	t_ok_item(b, 4, "\"type\":\"vote\",\"item\":%lld", (long long)q);
	t_ok_item(fac, 4, "\"type\":\"question.answer\",\"item\":%lld", (long long)q);
	t_find(b, PT_ITEM, &m);
	assert_int_equal(m.u.item.item->state, PS_ANSWERED);
	assert_string_equal(m.u.item.item->by, "");
	assert_true(m.u.item.item->anonymous);
	assert_string_equal(m.u.item.by, "fac");                 /* who answered it */
	proto_msg_clear(&m);
	for (i = 0; i < 2; i++)
		t_drain(i == 0 ? a : b);
}

/* The speaking queue: members raise hands once; next calls the first; part lowers. */
static void
test_queue(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac, *a, *b;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	a = t_login(f, 1, "a", NULL);
	b = t_login(f, 2, "b", NULL);
	t_send(a, "{\"type\":\"hand\",\"id\":2,\"room\":\"d2-open\"}");
	t_err(a, PE_NOT_MEMBER, 2);
	t_ok_item(a, 3, "\"type\":\"hand\",\"room\":\"lobby\"");
	t_ok_item(b, 3, "\"type\":\"hand\",\"room\":\"lobby\"");
	t_send(a, "{\"type\":\"hand\",\"id\":4,\"room\":\"lobby\"}");
	t_find(a, PT_OK, &m);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
	t_drain(fac);
	t_ok_item(fac, 2, "\"type\":\"queue.next\",\"room\":\"lobby\"");
	t_find(b, PT_QUEUE, &m);
	while (m.u.queue.called[0] == '\0') {
		proto_msg_clear(&m);
		t_find(b, PT_QUEUE, &m);
	}
	assert_string_equal(m.u.queue.called, "a");
	assert_int_equal(m.u.queue.nhands, 1);
	assert_string_equal(m.u.queue.hands[0], "b");
	proto_msg_clear(&m);
	t_ok_item(fac, 3, "\"type\":\"queue.clear\",\"room\":\"lobby\"");
	t_send(fac, "{\"type\":\"queue.next\",\"id\":4,\"room\":\"lobby\"}");
	t_find(fac, PT_ERROR, &m);
	assert_int_equal(m.u.error.code, PE_QUEUE_EMPTY);
	proto_msg_clear(&m);
	t_send(b, "{\"type\":\"queue.clear\",\"id\":5,\"room\":\"lobby\"}");
	t_find(b, PT_ERROR, &m);
	assert_int_equal(m.u.error.code, PE_NOT_ALLOWED);
	proto_msg_clear(&m);
	/* a hand in a breakout goes down when its owner leaves the room */
	t_ok_item(a, 5, "\"type\":\"join\",\"room\":\"d2-open\"");
	t_ok_item(a, 6, "\"type\":\"hand\",\"room\":\"d2-open\"");
	t_ok_item(a, 7, "\"type\":\"part\",\"room\":\"d2-open\"");
	t_ok_item(b, 6, "\"type\":\"join\",\"room\":\"d2-open\"");
	t_drain(b);
	t_ok_item(b, 7, "\"type\":\"hand\",\"room\":\"d2-open\"");
	t_find(b, PT_QUEUE, &m);
	assert_int_equal(m.u.queue.nhands, 1);                  /* b only: a's went down */
	assert_string_equal(m.u.queue.hands[0], "b");
	proto_msg_clear(&m);
}

/* A resume: with a position the hub still holds, exactly the missed events (and a tally);
 * with a position of another epoch, a snapshot marked lost. */
static void
test_resume(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg m;
	int64_t t1, t2;

	a = t_login(f, 0, "a", NULL);
	t1 = t_ok_item(a, 2, "\"type\":\"propose\",\"title\":\"one\"");
	t_drain(a);
	/* b leaves after seeing seq 1; then topic two comes */
	b = t_login(f, 1, "b", NULL);
	t_drain(b);
	hub_session_closed(b);
	t2 = t_ok_item(a, 3, "\"type\":\"propose\",\"title\":\"two\"");
	t_ok_item(a, 4, "\"type\":\"vote\",\"item\":%lld", (long long)t1);
	b = t_open(f, 1);
	t_send(b, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"b\"%s,\"since\":{\"epoch\":"
	    "\"%s\",\"rooms\":{\"lobby\":0},\"part\":1}}", t_secret(f, "b"), hub_epoch(f->hub));
	t_find(b, PT_ITEM, &m);
	assert_int_equal(m.seq, 2);
	assert_int_equal(m.u.item.item->id, t2);
	proto_msg_clear(&m);
	t_find(b, PT_TALLY, &m);                                 /* the counts now */
	assert_int_equal(m.u.tally.v[0].item, t1);
	assert_int_equal(m.u.tally.v[0].votes, 1);
	proto_msg_clear(&m);
	hub_session_closed(b);
	b = t_open(f, 1);
	t_send(b, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"b\"%s,\"since\":{\"epoch\":"
	    "\"0000000000000000\",\"rooms\":{\"lobby\":0},\"part\":1}}", t_secret(f, "b"));
	t_find(b, PT_PART_STATE, &m);
	assert_true(m.u.part_state.lost);
	assert_int_equal(m.seq, 2);
	assert_int_equal(m.u.part_state.nitems, 2);
	assert_int_equal(m.u.part_state.items[0].votes, 1);
	proto_msg_clear(&m);
}

/* Rate limits are per attendee: a reconnect does not fill them again. */
static void
test_limits(void **state)
{
	struct fixture *f;
	struct hub_limits l;
	struct hub_session *a;

	hub_limits_default(&l);
	l.propose.per_minute = 1;
	l.propose.burst = 1;
	setup_limits(state, &l);
	f = *state;
	a = t_login(f, 0, "a", NULL);
	t_ok_item(a, 2, "\"type\":\"propose\",\"title\":\"one\"");
	t_drain(a);
	t_send(a, "{\"type\":\"propose\",\"id\":3,\"title\":\"two\"}");
	t_err(a, PE_RATE, 3);
	a = t_login(f, 1, "a", NULL);                            /* takes the name over */
	t_send(a, "{\"type\":\"propose\",\"id\":3,\"title\":\"two\"}");
	t_err(a, PE_RATE, 3);
	t_send(a, "{\"type\":\"signup\",\"id\":4,\"format\":\"talk\",\"title\":\"t\"}");
	t_err(a, PE_RATE, 4);                           /* the same bucket */
	teardown(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_topics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_merge_promote, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hide, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_polls_qa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("hub_part", tests, NULL, NULL);
}
