/* test_part.c: unit tests of participation's model (src/model/part.c: votes by voter,
 * merging without counting anybody twice, the orders of the lists, poll choices) and its
 * codec (src/proto/proto_part.c: every request and event round trip, strict decoding). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "model/part.h"
#include "proto/proto.h"
#include "util/xalloc.h"

/* One vote per voter; another choice moves it; taking it back. */
static void
test_votes(void **state)
{
	struct part_votes *v = part_votes_create(0), *p = part_votes_create(3);

	(void)state;
	assert_int_equal(part_votes_set(v, "alice", 0), 1);
	assert_int_equal(part_votes_set(v, "alice", 0), 0);     /* again: nothing */
	assert_int_equal(part_votes_set(v, "bob", 0), 1);
	assert_int_equal(part_votes_set(v, "bob", 1), -1);      /* no choices here */
	assert_int_equal(part_votes_total(v), 2);
	assert_null(part_votes_counts(v));
	assert_int_equal(part_votes_get(v, "alice"), 0);
	assert_int_equal(part_votes_get(v, "carol"), -1);
	assert_int_equal(part_votes_clear(v, "alice"), 1);
	assert_int_equal(part_votes_clear(v, "alice"), 0);
	assert_int_equal(part_votes_total(v), 1);

	assert_int_equal(part_votes_set(p, "alice", 0), 1);
	assert_int_equal(part_votes_set(p, "bob", 2), 1);
	assert_int_equal(part_votes_set(p, "carol", 2), 1);
	assert_int_equal(part_votes_set(p, "carol", 3), -1);
	assert_int_equal(part_votes_total(p), 3);
	assert_int_equal(part_votes_counts(p)[0], 1);
	assert_int_equal(part_votes_counts(p)[2], 2);
	assert_int_equal(part_votes_set(p, "bob", 1), 1);        /* changed the vote */
	assert_int_equal(part_votes_total(p), 3);
	assert_int_equal(part_votes_counts(p)[1], 1);
	assert_int_equal(part_votes_counts(p)[2], 1);
	assert_int_equal(part_votes_clear(p, "carol"), 1);
	assert_int_equal(part_votes_counts(p)[2], 0);
	assert_int_equal(part_votes_total(p), 2);
	part_votes_free(v);
	part_votes_free(p);
}

/* Merging topics: a voter of both counts once. */
static void
test_merge(void **state)
{
	struct part_votes *a = part_votes_create(0), *b = part_votes_create(0);
	const char *voter;
	size_t pos = 0, n = 0;
	int choice;

	(void)state;
	part_votes_set(a, "alice", 0);
	part_votes_set(a, "bob", 0);
	part_votes_set(b, "bob", 0);
	part_votes_set(b, "carol", 0);
	part_votes_set(b, "dave", 0);
	assert_int_equal(part_votes_merge(a, b), 2);
	assert_int_equal(part_votes_total(a), 4);
	assert_int_equal(part_votes_total(b), 0);
	assert_int_equal(part_votes_get(a, "bob"), 0);
	assert_int_equal(part_votes_get(b, "bob"), -1);
	while ((voter = part_votes_next(a, &pos, &choice)) != NULL) {
		assert_int_equal(choice, 0);
		n++;
	}
	assert_int_equal(n, 4);
	assert_int_equal(part_votes_merge(a, b), 0);             /* nothing left to merge */
	assert_int_equal(part_votes_total(a), 4);
	part_votes_free(a);
	part_votes_free(b);
}

/* An item for the order tests. */
static struct part_item
item(int64_t id, enum part_kind k, enum part_state s, int64_t votes, int64_t ts, bool pinned)
{
	struct part_item it;

	memset(&it, 0, sizeof it);
	it.id = id;
	it.kind = k;
	it.state = s;
	it.votes = votes;
	it.ts = ts;
	it.pinned = pinned;
	return it;
}

/* The ids of v in order, for comparing. */
static void
ids(const struct part_item **v, size_t n, int64_t *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = v[i]->id;
}

/* Topics: most votes first, ties by age; questions: pinned, open, answered. */
static void
test_order(void **state)
{
	struct part_item t[6], q[5], p[3];
	const struct part_item *v[6];
	int64_t got[6];
	size_t i;

	(void)state;
	t[0] = item(1, PK_TOPIC, PS_OPEN, 3, 100, false);
	t[1] = item(2, PK_TOPIC, PS_OPEN, 5, 200, false);
	t[2] = item(3, PK_TOPIC, PS_RUNNING, 3, 50, false);
	t[3] = item(4, PK_TOPIC, PS_OPEN, 3, 100, false);      /* same age as 1: by number */
	t[4] = item(5, PK_TOPIC, PS_MERGED, 9, 10, false);     /* merged: last */
	t[5] = item(6, PK_QUESTION, PS_OPEN, 99, 1, false);    /* another kind: at the end */
	for (i = 0; i < 6; i++)
		v[i] = &t[i];
	part_order(v, 6, PK_TOPIC);
	ids(v, 6, got);
	assert_int_equal(got[0], 2);
	assert_int_equal(got[1], 3);
	assert_int_equal(got[2], 1);
	assert_int_equal(got[3], 4);
	assert_int_equal(got[4], 5);
	assert_int_equal(got[5], 6);

	q[0] = item(1, PK_QUESTION, PS_OPEN, 1, 10, false);
	q[1] = item(2, PK_QUESTION, PS_ANSWERED, 9, 20, false);
	q[2] = item(3, PK_QUESTION, PS_OPEN, 4, 30, false);
	q[3] = item(4, PK_QUESTION, PS_OPEN, 0, 40, true);
	q[4] = item(5, PK_QUESTION, PS_OPEN, 4, 5, false);
	for (i = 0; i < 5; i++)
		v[i] = &q[i];
	part_order(v, 5, PK_QUESTION);
	ids(v, 5, got);
	assert_int_equal(got[0], 4);     /* pinned */
	assert_int_equal(got[1], 5);     /* 4 votes, older */
	assert_int_equal(got[2], 3);
	assert_int_equal(got[3], 1);
	assert_int_equal(got[4], 2);     /* answered */

	p[0] = item(1, PK_POLL, PS_CLOSED, 0, 10, false);
	p[1] = item(2, PK_POLL, PS_OPEN, 0, 20, false);
	p[2] = item(3, PK_POLL, PS_OPEN, 0, 30, false);
	for (i = 0; i < 3; i++)
		v[i] = &p[i];
	part_order(v, 3, PK_POLL);
	ids(v, 3, got);
	assert_int_equal(got[0], 3);     /* open, newest first */
	assert_int_equal(got[1], 2);
	assert_int_equal(got[2], 1);
}

/* Choices by number, by text, by unique prefix; the winner. */
static void
test_choices(void **state)
{
	static const char *const c[] = { "yes", "no", "abstain", "Yesterday" };
	struct part_item *it = part_item_new(PK_POLL);

	(void)state;
	part_item_set_choices(it, c, 3);
	assert_int_equal(part_item_find_choice(it, "2"), 1);
	assert_int_equal(part_item_find_choice(it, "4"), -1);
	assert_int_equal(part_item_find_choice(it, "NO"), 1);
	assert_int_equal(part_item_find_choice(it, "abs"), 2);
	assert_int_equal(part_item_find_choice(it, ""), -1);
	part_item_set_choices(it, c, 4);
	assert_int_equal(part_item_find_choice(it, "yes"), 0);   /* exact beats prefix */
	assert_int_equal(part_item_find_choice(it, "ye"), -1);   /* ambiguous */
	assert_int_equal(part_item_find_choice(it, "yest"), 3);
	assert_int_equal(part_item_winner(it), -1);             /* no counts */
	it->has_counts = true;
	it->counts[0] = 3;
	it->counts[2] = 3;
	assert_int_equal(part_item_winner(it), -1);             /* a tie */
	it->counts[1] = 4;
	assert_int_equal(part_item_winner(it), 1);
	assert_true(part_item_votable(it));
	it->state = PS_CLOSED;
	assert_false(part_item_votable(it));
	assert_true(part_state_valid(PK_POLL, PS_CLOSED));
	assert_false(part_state_valid(PK_POLL, PS_ANSWERED));
	part_item_free(it);
}

/* Decodes text (a frame) into m, which must work. */
static void
dec_ok(const char *text, struct proto_msg *m)
{
	struct proto_decode_err err;

	if (proto_decode(text, strlen(text), 0, m, &err) != 0)
		fail_msg("%s: %s", text, err.detail);
}

/* Decoding text must fail with code e. */
static void
dec_err(const char *text, enum proto_err e)
{
	struct proto_decode_err err;
	struct proto_msg m;

	if (proto_decode_request(text, strlen(text), PROTO_MAX_FRAME, &m, &err) == 0) {
		proto_msg_clear(&m);
		fail_msg("decoded: %s", text);
	}
	if (err.code != e)
		fail_msg("%s: %s, not %s (%s)", text, proto_err_name(err.code), proto_err_name(e),
		    err.detail);
}

/* Encodes m and decodes the result into out. */
static void
roundtrip(const struct proto_msg *m, struct proto_msg *out)
{
	char *s = proto_encode(m);

	dec_ok(s, out);
	free(s);
}

/* The requests, and the checks on them. */
static void
test_requests(void **state)
{
	static const char *const ch[] = { "yes", "no", "abstain" };
	struct proto_msg m, out;
	char big[PART_TOPIC_MAX * 2 + 64];

	(void)state;
	proto_msg_init(&m, PT_PROPOSE);
	m.id = 3;
	m.u.propose.title = "Bridges in China";
	m.u.propose.session = "d2-open";
	m.u.propose.cid = "ab-1";
	roundtrip(&m, &out);
	assert_int_equal(out.type, PT_PROPOSE);
	assert_string_equal(out.u.propose.title, "Bridges in China");
	assert_string_equal(out.u.propose.session, "d2-open");
	assert_string_equal(out.u.propose.cid, "ab-1");
	proto_msg_clear(&out);

	proto_msg_init(&m, PT_POLL_OPEN);
	m.id = 4;
	m.u.poll_open.question = "Approve spec v2.2?";
	m.u.poll_open.choices = (const char **)ch;
	m.u.poll_open.nchoices = 3;
	m.u.poll_open.minutes = 5;
	m.u.poll_open.secret = true;
	roundtrip(&m, &out);
	assert_int_equal(out.u.poll_open.nchoices, 3);
	assert_string_equal(out.u.poll_open.choices[2], "abstain");
	assert_true(out.u.poll_open.secret);
	assert_int_equal(out.u.poll_open.minutes, 5);
	proto_msg_clear(&out);

	proto_msg_init(&m, PT_VOTE);
	m.id = 5;
	m.u.vote.item = 7;
	m.u.vote.choice = 2;
	roundtrip(&m, &out);
	assert_int_equal(out.u.vote.item, 7);
	assert_int_equal(out.u.vote.choice, 2);
	proto_msg_clear(&out);
	dec_ok("{\"type\":\"vote\",\"id\":1,\"item\":7}", &out);
	assert_int_equal(out.u.vote.choice, -1);
	proto_msg_clear(&out);

	proto_msg_init(&m, PT_TOPIC_MERGE);
	m.id = 6;
	m.u.item_req.item = 2;
	m.u.item_req.into = 1;
	roundtrip(&m, &out);
	assert_int_equal(out.u.item_req.into, 1);
	proto_msg_clear(&out);
	dec_ok("{\"type\":\"question.pin\",\"id\":1,\"item\":7}", &out);
	assert_true(out.u.item_req.flag);                       /* pinned by default */
	proto_msg_clear(&out);
	dec_ok("{\"type\":\"hand\",\"id\":1,\"room\":\"lobby\",\"up\":false}", &out);
	assert_false(out.u.hand.up);
	proto_msg_clear(&out);

	assert_true(proto_type_is_request(PT_QUEUE_CLEAR));
	assert_true(proto_type_is_privileged(PT_POLL_OPEN));
	assert_true(proto_type_is_privileged(PT_QUEUE_NEXT));
	assert_false(proto_type_is_privileged(PT_VOTE));
	assert_false(proto_type_is_privileged(PT_HAND));
	assert_int_equal(proto_type_parse("signup.answer"), PT_SIGNUP_ANSWER);

	dec_err("{\"type\":\"propose\",\"id\":1,\"title\":\"  \"}", PE_BAD_FIELD);
	dec_err("{\"type\":\"propose\",\"id\":1}", PE_BAD_FIELD);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[PART_TOPIC_MAX + 1] = '\0';
	{
		char *f = xasprintf("{\"type\":\"propose\",\"id\":1,\"title\":\"%s\"}", big);
		dec_err(f, PE_TOO_LONG);
		free(f);
	}
	dec_err("{\"type\":\"propose\",\"id\":1,\"title\":\"a\",\"session\":\"No Such\"}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"signup\",\"id\":1,\"format\":\"keynote\",\"title\":\"a\"}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"vote\",\"id\":1,\"item\":0}", PE_BAD_FIELD);
	dec_err("{\"type\":\"vote\",\"id\":1,\"item\":\"3\"}", PE_BAD_FIELD);
	dec_err("{\"type\":\"vote\",\"id\":1,\"item\":3,\"choice\":10}", PE_BAD_FIELD);
	dec_err("{\"type\":\"poll.open\",\"id\":1,\"question\":\"q\",\"choices\":[\"yes\"]}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"poll.open\",\"id\":1,\"question\":\"q\",\"choices\":[\"yes\",\"YES\"]}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"poll.open\",\"id\":1,\"question\":\"q\",\"choices\":[\"yes\",\"\"]}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"poll.open\",\"id\":1,\"question\":\"q\",\"choices\":[\"a\",1]}",
	    PE_BAD_FIELD);
	dec_err("{\"type\":\"qa.anonymous\",\"id\":1,\"session\":\"d1-spec\"}", PE_BAD_FIELD);
	dec_err("{\"type\":\"topic.promote\",\"id\":1,\"item\":1,\"minutes\":0}", PE_BAD_FIELD);
	dec_err("{\"type\":\"item\",\"id\":1,\"item\":{}}", PE_UNKNOWN_TYPE);   /* hub-only */
}

/* The events: item, item.hidden, part.state (seq 0 allowed), tally, queue, signup.answer. */
static void
test_events(void **state)
{
	static const char *const ch[] = { "yes", "no" };
	static const char *const hands[] = { "bob", "ann" };
	struct part_item it, items[2];
	struct proto_tally_entry te[2];
	struct proto_msg m, out;
	struct proto_decode_err err;
	const char *qa[] = { "d1-spec" };
	const char *bad;

	(void)state;
	memset(&it, 0, sizeof it);
	it.id = 9;
	it.kind = PK_POLL;
	it.state = PS_CLOSED;
	it.title = (char *)"Approve?";
	strcpy(it.by, "carol");
	it.ts = 1600000000000LL;
	it.choices = (char **)ch;
	it.nchoices = 2;
	it.has_counts = true;
	it.counts[0] = 5;
	it.counts[1] = 2;
	it.votes = 7;
	proto_msg_init(&m, PT_ITEM);
	m.seq = 4;
	m.u.item.item = &it;
	m.u.item.by = "carol";
	m.u.item.change = "closed";
	roundtrip(&m, &out);
	assert_string_equal(out.stream, "part");
	assert_int_equal(out.u.item.item->id, 9);
	assert_int_equal(out.u.item.item->kind, PK_POLL);
	assert_int_equal(out.u.item.item->state, PS_CLOSED);
	assert_int_equal(out.u.item.item->nchoices, 2);
	assert_true(out.u.item.item->has_counts);
	assert_int_equal(out.u.item.item->counts[0], 5);
	assert_string_equal(out.u.item.change, "closed");
	proto_msg_clear(&out);

	memset(items, 0, sizeof items);
	items[0] = it;
	items[0].has_counts = false;
	items[0].choice = 1;
	items[1].id = 2;
	items[1].kind = PK_QUESTION;
	items[1].title = (char *)"Why?";
	items[1].anonymous = true;
	items[1].ts = 1600000000000LL;
	items[1].voted = true;
	items[1].choice = -1;
	proto_msg_init(&m, PT_PART_STATE);
	m.seq = 0;
	m.u.part_state.items = items;
	m.u.part_state.nitems = 2;
	m.u.part_state.qa = qa;
	m.u.part_state.nqa = 1;
	m.u.part_state.lost = true;
	roundtrip(&m, &out);
	assert_int_equal(out.seq, 0);
	assert_int_equal(out.u.part_state.nitems, 2);
	assert_int_equal(out.u.part_state.items[0].choice, 1);
	assert_false(out.u.part_state.items[0].has_counts);
	assert_true(out.u.part_state.items[1].voted);
	assert_true(out.u.part_state.items[1].anonymous);
	assert_string_equal(out.u.part_state.items[1].by, "");
	assert_string_equal(out.u.part_state.qa[0], "d1-spec");
	assert_true(out.u.part_state.lost);
	proto_msg_clear(&out);

	memset(te, 0, sizeof te);
	te[0].item = 3;
	te[0].votes = 14;
	te[1].item = 9;
	te[1].votes = 7;
	te[1].ncounts = 2;
	te[1].counts[0] = 5;
	te[1].counts[1] = 2;
	proto_msg_init(&m, PT_TALLY);
	m.seq = 1;
	m.u.tally.v = te;
	m.u.tally.n = 2;
	roundtrip(&m, &out);
	assert_int_equal(out.u.tally.n, 2);
	assert_int_equal(out.u.tally.v[0].item, 3);
	assert_int_equal(out.u.tally.v[0].votes, 14);
	assert_int_equal(out.u.tally.v[1].ncounts, 2);
	assert_int_equal(out.u.tally.v[1].counts[1], 2);
	proto_msg_clear(&out);

	proto_msg_init(&m, PT_QUEUE);
	m.seq = 1;
	m.u.queue.room = "lobby";
	m.u.queue.hands = (const char **)hands;
	m.u.queue.nhands = 2;
	m.u.queue.called = "carol";
	m.u.queue.by = "fac";
	roundtrip(&m, &out);
	assert_int_equal(out.u.queue.nhands, 2);
	assert_string_equal(out.u.queue.hands[1], "ann");
	assert_string_equal(out.u.queue.called, "carol");
	proto_msg_clear(&out);

	proto_msg_init(&m, PT_SIGNUP_ANSWER);
	m.seq = 2;
	m.u.signup_answer.item = 5;
	m.u.signup_answer.format = LK_PITCH;
	m.u.signup_answer.state = PS_DECLINED;
	m.u.signup_answer.title = "My pitch";
	m.u.signup_answer.note = "full";
	m.u.signup_answer.by = "carol";
	m.u.signup_answer.position = -1;
	roundtrip(&m, &out);
	assert_string_equal(out.stream, "user");
	assert_int_equal(out.u.signup_answer.state, PS_DECLINED);
	assert_int_equal(out.u.signup_answer.format, LK_PITCH);
	assert_int_equal(out.u.signup_answer.position, -1);
	assert_string_equal(out.u.signup_answer.note, "full");
	proto_msg_clear(&out);

	/* what a client refuses from a hub */
	bad = "{\"type\":\"item\",\"stream\":\"part\",\"seq\":1,\"item\":{\"id\":1,\"kind\":"
	    "\"topic\",\"state\":\"answered\",\"title\":\"t\",\"ts\":1}}";
	assert_int_not_equal(proto_decode(bad, strlen(bad), 0, &m, &err), 0);
	bad = "{\"type\":\"item\",\"stream\":\"part\",\"seq\":1,\"item\":{\"id\":1,\"kind\":"
	    "\"poll\",\"state\":\"open\",\"title\":\"t\",\"ts\":1,\"choices\":[\"a\",\"b\"],"
	    "\"counts\":[1]}}";
	assert_int_not_equal(proto_decode(bad, strlen(bad), 0, &m, &err), 0);
	bad = "{\"type\":\"tally\",\"stream\":\"tally\",\"seq\":1,\"votes\":{\"x\":1}}";
	assert_int_not_equal(proto_decode(bad, strlen(bad), 0, &m, &err), 0);
	bad = "{\"type\":\"queue\",\"stream\":\"queue\",\"seq\":1,\"room\":\"lobby\","
	    "\"hands\":[\"\\u202ebob\"]}";
	assert_int_not_equal(proto_decode(bad, strlen(bad), 0, &m, &err), 0);
	bad = "{\"type\":\"item\",\"stream\":\"part\",\"seq\":0,\"item\":{\"id\":1,\"kind\":"
	    "\"topic\",\"state\":\"open\",\"title\":\"t\",\"ts\":1}}";
	assert_int_not_equal(proto_decode(bad, strlen(bad), 0, &m, &err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_votes),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_events),
	};

	return cmocka_run_group_tests_name("part", tests, NULL, NULL);
}
