/* test_hub_resume.c: unit tests of lossless resume in the hub (issue 6): positions and gap
 * replay, lost positions, cid dedupe, lazy history, the program cache and the user stream
 * on takeover. A fake clock and fake connections (hubfix.c). */
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
#include "util/log.h"
#include "util/xalloc.h"
#include "hubfix.h"

/* Sends hello with extra members (a JSON fragment starting with ',' or "") on connection
 * i and decodes the welcome into w. */
static struct hub_session *
r_hello(struct fixture *f, int i, const char *name, const char *extra, struct proto_msg *w)
{
	struct hub_session *s = t_open(f, i);

	t_send(s, "{\"type\":\"hello\",\"id\":1,\"proto\":1,\"name\":\"%s\"%s%s}", name,
	    t_secret(f, name), extra);
	t_expect(s, PT_WELCOME, w);
	t_remember(f, w);
	return s;
}

/* Reads every queued frame of s; stores the seqs of chat events of room (at most max)
 * and returns how many there were. Other frames are skipped. */
static size_t
r_chats(struct hub_session *s, const char *room, uint64_t *seqs, size_t max)
{
	struct proto_msg m;
	size_t n = 0;

	while (t_next(s, &m) == 0) {
		if (m.type == PT_CHAT && strcmp(m.u.chat.room, room) == 0) {
			if (n < max)
				seqs[n] = m.seq;
			n++;
		}
		proto_msg_clear(&m);
	}
	return n;
}

/* from says n lines in room (ids from id0), draining its own queue. */
static void
r_say_n(struct hub_session *from, const char *room, int n, int id0)
{
	int i;

	for (i = 0; i < n; i++) {
		t_send(from, "{\"type\":\"say\",\"id\":%d,\"room\":\"%s\",\"text\":\"line %d\"}",
		    id0 + i, room, id0 + i);
		t_drain(from);
	}
}

/* Finds the welcome's history entry of room; fails when missing. */
static const struct proto_room_pos *
r_pos(const struct proto_msg *w, const char *room)
{
	size_t i;

	for (i = 0; i < w->u.welcome.nhistory; i++) {
		if (strcmp(w->u.welcome.history[i].room, room) == 0)
			return &w->u.welcome.history[i];
	}
	fail_msg("no history entry for %s", room);
	return NULL;
}

/* Checks that seqs holds from, from+1, ..., last. */
static void
r_check_run(const uint64_t *seqs, size_t n, uint64_t from, uint64_t last)
{
	size_t i;

	assert_int_equal(n, last - from + 1);
	for (i = 0; i < n; i++)
		assert_int_equal(seqs[i], from + i);
}

/* A reconnect with a position gets exactly the missed lines, in order, in every room of
 * "since" (back in them without join round trips); a vanished room is left out. */
static void
test_gap_replay_exact(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg w;
	const char *room = f->hub->rooms[1]->info.id;
	const struct proto_room_pos *p;
	uint64_t seqs[64];
	char extra[256];
	size_t n;

	a = t_login(f, 0, "alice", NULL);
	b = t_login(f, 1, "bob", NULL);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"%s\"}", room);
	t_send(b, "{\"type\":\"join\",\"id\":2,\"room\":\"%s\"}", room);
	r_say_n(b, "lobby", 10, 10);
	r_say_n(b, room, 3, 30);
	assert_int_equal(r_chats(a, "lobby", seqs, 64), 10);
	hub_session_closed(a);          /* the link dies; the hub notices */
	t_drain(b);
	r_say_n(b, "lobby", 5, 40);
	r_say_n(b, room, 2, 50);
	snprintf(extra, sizeof extra, ",\"since\":{\"epoch\":\"%s\",\"rooms\":{\"lobby\":10,"
	    "\"%s\":3,\"gone\":7}}", hub_epoch(f->hub), room);
	a = r_hello(f, 0, "alice", extra, &w);
	assert_int_equal(w.u.welcome.njoined, 2);
	assert_string_equal(w.u.welcome.joined[0], "lobby");
	assert_string_equal(w.u.welcome.joined[1], room);
	assert_int_equal(w.u.welcome.nhistory, 2);
	assert_int_equal(w.u.welcome.limits.backlog, PROTO_BACKLOG);
	p = r_pos(&w, "lobby");
	assert_int_equal(p->last, 15);
	assert_int_equal(p->from, 11);
	assert_false(p->lost);
	p = r_pos(&w, room);
	assert_int_equal(p->last, 5);
	assert_int_equal(p->from, 4);
	assert_false(p->lost);
	proto_msg_clear(&w);
	/* Exactly 11..15 of the lobby and 4..5 of the room: read them room by room. */
	{
		struct proto_msg m;
		uint64_t lobby[16], other[16];
		size_t nl = 0, no = 0;

		while (t_next(a, &m) == 0) {
			if (m.type == PT_CHAT && strcmp(m.u.chat.room, "lobby") == 0 && nl < 16)
				lobby[nl++] = m.seq;
			else if (m.type == PT_CHAT && no < 16)
				other[no++] = m.seq;
			proto_msg_clear(&m);
		}
		r_check_run(lobby, nl, 11, 15);
		r_check_run(other, no, 4, 5);
	}
	/* Bob saw alice come back into the room (she had quit it). */
	{
		struct proto_msg m;

		t_find(b, PT_PRESENCE, &m);
		assert_int_equal(m.u.presence.action, PRES_JOIN);
		assert_string_equal(m.u.presence.room, room);
		proto_msg_clear(&m);
	}
	/* Up to date: a position equal to last replays nothing. */
	hub_session_closed(a);
	snprintf(extra, sizeof extra, ",\"since\":{\"epoch\":\"%s\",\"rooms\":{\"lobby\":15}}",
	    hub_epoch(f->hub));
	a = r_hello(f, 0, "alice", extra, &w);
	p = r_pos(&w, "lobby");
	assert_int_equal(p->from, 16);
	assert_false(p->lost);
	proto_msg_clear(&w);
	n = r_chats(a, "lobby", seqs, 64);
	assert_int_equal(n, 0);
}

/* A position whose next events fell out of the ring, one from another epoch and one past
 * the end are lost: a snapshot of the last PROTO_BACKLOG events follows. */
static void
test_gap_lost(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg w;
	const struct proto_room_pos *p;
	uint64_t seqs[64];
	char extra[256];
	size_t n;

	b = t_login(f, 1, "bob", NULL);
	r_say_n(b, "lobby", 250, 100);
	/* too old: 5 + 1 < oldest (51) */
	snprintf(extra, sizeof extra, ",\"since\":{\"epoch\":\"%s\",\"rooms\":{\"lobby\":5}}",
	    hub_epoch(f->hub));
	a = r_hello(f, 0, "alice", extra, &w);
	p = r_pos(&w, "lobby");
	assert_int_equal(p->last, 250);
	assert_int_equal(p->from, 250 - PROTO_BACKLOG + 1);
	assert_true(p->lost);
	proto_msg_clear(&w);
	n = r_chats(a, "lobby", seqs, 64);
	r_check_run(seqs, n, 250 - PROTO_BACKLOG + 1, 250);
	hub_session_closed(a);
	/* the oldest position still continuous: 50 (51 is the oldest held) */
	snprintf(extra, sizeof extra, ",\"since\":{\"epoch\":\"%s\",\"rooms\":{\"lobby\":50}}",
	    hub_epoch(f->hub));
	a = r_hello(f, 0, "alice", extra, &w);
	p = r_pos(&w, "lobby");
	assert_int_equal(p->from, 51);
	assert_false(p->lost);
	proto_msg_clear(&w);
	assert_int_equal(r_chats(a, "lobby", seqs, 64), 200);
	hub_session_closed(a);
	/* another epoch (a restarted hub) */
	a = r_hello(f, 0, "alice", ",\"since\":{\"epoch\":\"0123456789abcdef\","
	    "\"rooms\":{\"lobby\":249}}", &w);
	p = r_pos(&w, "lobby");
	assert_true(p->lost);
	assert_int_equal(p->from, 250 - PROTO_BACKLOG + 1);
	proto_msg_clear(&w);
	assert_int_equal(r_chats(a, "lobby", seqs, 64), PROTO_BACKLOG);
	hub_session_closed(a);
	/* past the end */
	snprintf(extra, sizeof extra, ",\"since\":{\"epoch\":\"%s\",\"rooms\":{\"lobby\":251}}",
	    hub_epoch(f->hub));
	a = r_hello(f, 0, "alice", extra, &w);
	assert_true(r_pos(&w, "lobby")->lost);
	proto_msg_clear(&w);
	t_drain(a);
	hub_session_closed(a);
	/* fresh: not lost, the last PROTO_BACKLOG */
	a = r_hello(f, 0, "alice", "", &w);
	p = r_pos(&w, "lobby");
	assert_false(p->lost);
	assert_int_equal(p->from, 250 - PROTO_BACKLOG + 1);
	proto_msg_clear(&w);
	assert_int_equal(r_chats(a, "lobby", seqs, 64), PROTO_BACKLOG);
}

/* join with since: ok carries last/from/lost and the replay follows it. */
static void
test_join_since(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	const char *room = f->hub->rooms[1]->info.id;
	struct proto_msg m;
	uint64_t seqs[64];
	size_t n;

	a = t_login(f, 0, "alice", NULL);
	b = t_login(f, 1, "bob", NULL);
	t_send(b, "{\"type\":\"join\",\"id\":2,\"room\":\"%s\"}", room);
	t_expect(b, PT_OK, &m);
	assert_true(m.u.ok.has_pos);
	assert_int_equal(m.u.ok.pos.last, 0);
	assert_int_equal(m.u.ok.pos.from, 1);
	assert_false(m.u.ok.pos.lost);
	proto_msg_clear(&m);
	r_say_n(b, room, 30, 10);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"%s\",\"since\":3}", room);
	t_expect(a, PT_OK, &m);
	assert_int_equal(m.re, 2);
	assert_int_equal(m.u.ok.pos.last, 30);
	assert_int_equal(m.u.ok.pos.from, 4);
	assert_false(m.u.ok.pos.lost);
	proto_msg_clear(&m);
	n = r_chats(a, room, seqs, 64);
	r_check_run(seqs, n, 4, 30);
	/* already in: the position of what comes next */
	t_send(a, "{\"type\":\"join\",\"id\":3,\"room\":\"%s\",\"since\":1}", room);
	t_expect(a, PT_OK, &m);
	assert_int_equal(m.u.ok.pos.from, 31);
	proto_msg_clear(&m);
	/* fresh join: the backlog */
	t_send(a, "{\"type\":\"part\",\"id\":4,\"room\":\"%s\"}", room);
	t_drain(a);
	t_send(a, "{\"type\":\"join\",\"id\":5,\"room\":\"%s\"}", room);
	t_expect(a, PT_OK, &m);
	assert_int_equal(m.u.ok.pos.from, 30 - PROTO_BACKLOG + 1);
	assert_false(m.u.ok.pos.lost);
	proto_msg_clear(&m);
	assert_int_equal(r_chats(a, room, seqs, 64), PROTO_BACKLOG);
	/* since past the end: lost */
	t_send(a, "{\"type\":\"part\",\"id\":6,\"room\":\"%s\"}", room);
	t_drain(a);
	t_send(a, "{\"type\":\"join\",\"id\":7,\"room\":\"%s\",\"since\":99}", room);
	t_expect(a, PT_OK, &m);
	assert_true(m.u.ok.pos.lost);
	proto_msg_clear(&m);
}

/* A room re-created with the id of a closed one continues its numbering, so an old
 * position cannot be mistaken for one in the new room. */
static void
test_room_reuse_numbering(void **state)
{
	struct fixture *f = *state;
	struct hub_session *fac;
	struct proto_msg m;

	fac = t_login(f, 0, "fac", TOKEN);
	t_send(fac, "{\"type\":\"room.create\",\"id\":2,\"room\":\"hack\"}");
	t_send(fac, "{\"type\":\"join\",\"id\":3,\"room\":\"hack\"}");
	r_say_n(fac, "hack", 3, 10);
	t_send(fac, "{\"type\":\"room.close\",\"id\":4,\"room\":\"hack\"}");
	t_send(fac, "{\"type\":\"room.create\",\"id\":5,\"room\":\"hack\"}");
	t_drain(fac);
	t_send(fac, "{\"type\":\"join\",\"id\":6,\"room\":\"hack\",\"since\":3}");
	t_expect(fac, PT_OK, &m);
	assert_int_equal(m.u.ok.pos.last, 4);      /* 3 lines and room.closed */
	assert_int_equal(m.u.ok.pos.from, 5);
	assert_true(m.u.ok.pos.lost);
	proto_msg_clear(&m);
	t_send(fac, "{\"type\":\"say\",\"id\":7,\"room\":\"hack\",\"text\":\"again\"}");
	t_expect(fac, PT_OK, &m);
	assert_int_equal(m.u.ok.seq, 5);
	proto_msg_clear(&m);
}

/* A say or msg re-sent with a cid already seen gets ok dup (with the original seq) and
 * is not delivered again. */
static void
test_cid_dedupe(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg m;
	uint64_t seqs[8];

	a = t_login(f, 0, "alice", NULL);
	b = t_login(f, 1, "bob", NULL);
	t_send(a, "{\"type\":\"say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi\",\"cid\":\"ab12-1\"}");
	t_expect(a, PT_OK, &m);
	assert_int_equal(m.u.ok.seq, 1);
	assert_false(m.u.ok.dup);
	proto_msg_clear(&m);
	t_drain(a);
	t_send(a, "{\"type\":\"say\",\"id\":3,\"room\":\"lobby\",\"text\":\"hi\",\"cid\":\"ab12-1\"}");
	t_expect(a, PT_OK, &m);
	assert_int_equal(m.re, 3);
	assert_int_equal(m.u.ok.seq, 1);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	assert_int_equal(r_chats(b, "lobby", seqs, 8), 1);
	/* a re-send from a new connection (after a reconnect) is a dup too */
	hub_session_closed(a);
	a = t_login(f, 0, "alice", NULL);
	t_send(a, "{\"type\":\"say\",\"id\":2,\"room\":\"lobby\",\"text\":\"hi\",\"cid\":\"ab12-1\"}");
	t_expect(a, PT_OK, &m);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
	assert_int_equal(r_chats(b, "lobby", seqs, 8), 0);
	/* msg */
	t_send(a, "{\"type\":\"msg\",\"id\":4,\"to\":\"bob\",\"text\":\"psst\",\"cid\":\"ab12-2\"}");
	t_expect(a, PT_OK, &m);
	assert_false(m.u.ok.dup);
	proto_msg_clear(&m);
	t_drain(a);
	t_send(a, "{\"type\":\"msg\",\"id\":5,\"to\":\"bob\",\"text\":\"psst\",\"cid\":\"ab12-2\"}");
	t_expect(a, PT_OK, &m);
	assert_true(m.u.ok.dup);
	assert_int_equal(m.u.ok.seq, 0);
	proto_msg_clear(&m);
	t_expect_nothing(a);
	t_expect(b, PT_PRIVMSG, &m);
	proto_msg_clear(&m);
	t_expect_nothing(b);
	/* a failed send is not remembered: the cid can be used when it succeeds */
	t_send(a, "{\"type\":\"msg\",\"id\":6,\"to\":\"nobody\",\"text\":\"x\",\"cid\":\"ab12-3\"}");
	t_expect_error(a, PE_NO_USER, 6);
	t_send(a, "{\"type\":\"msg\",\"id\":7,\"to\":\"bob\",\"text\":\"x\",\"cid\":\"ab12-3\"}");
	t_expect(a, PT_OK, &m);
	assert_false(m.u.ok.dup);
	proto_msg_clear(&m);
	/* without a cid nothing is deduplicated */
	t_drain(b);
	t_send(a, "{\"type\":\"say\",\"id\":8,\"room\":\"lobby\",\"text\":\"same\"}");
	t_send(a, "{\"type\":\"say\",\"id\":9,\"room\":\"lobby\",\"text\":\"same\"}");
	t_drain(a);
	assert_int_equal(r_chats(b, "lobby", seqs, 8), 2);
}

/* The cid table forgets the oldest of HUB_CIDS + 1, in FIFO order, and finds the rest. */
static void
test_cid_bound(void **state)
{
	struct fixture *f = *state;
	struct hub_cids *t = hub_cids_create();
	struct hub_session *a;
	struct proto_msg m;
	char cid[16];
	int64_t seq = 0;
	int i;

	for (i = 0; i < HUB_CIDS; i++) {
		snprintf(cid, sizeof cid, "c%d", i);
		hub_cids_add(t, cid, i);
	}
	assert_int_equal(hub_cids_count(t), HUB_CIDS);
	assert_true(hub_cids_find(t, "c0", &seq));
	assert_int_equal(seq, 0);
	hub_cids_add(t, "new", 7);
	assert_int_equal(hub_cids_count(t), HUB_CIDS);
	assert_false(hub_cids_find(t, "c0", NULL));
	assert_true(hub_cids_find(t, "c1", &seq));
	assert_int_equal(seq, 1);
	assert_true(hub_cids_find(t, "new", &seq));
	assert_int_equal(seq, 7);
	for (i = 1; i < HUB_CIDS; i++) {
		snprintf(cid, sizeof cid, "c%d", i);
		if (!hub_cids_find(t, cid, &seq) || seq != i)
			fail_msg("lost %s", cid);
	}
	hub_cids_free(t);

	/* Through the hub: the first of HUB_CIDS + 1 sends is delivered again. */
	a = t_login(f, 0, "alice", NULL);
	for (i = 0; i <= HUB_CIDS; i++) {
		t_send(a, "{\"type\":\"msg\",\"id\":%d,\"to\":\"alice\",\"text\":\"n\",\"cid\":\"k%d\"}",
		    i + 2, i);
		t_drain(a);
	}
	t_send(a, "{\"type\":\"msg\",\"id\":9999,\"to\":\"alice\",\"text\":\"n\",\"cid\":\"k0\"}");
	t_expect(a, PT_OK, &m);
	assert_false(m.u.ok.dup);
	proto_msg_clear(&m);
	t_drain(a);
	t_send(a, "{\"type\":\"msg\",\"id\":10000,\"to\":\"alice\",\"text\":\"n\",\"cid\":\"k2\"}");
	t_expect(a, PT_OK, &m);
	assert_true(m.u.ok.dup);
	proto_msg_clear(&m);
}

/* history pages back to the oldest event held; errors for rooms one is not in. */
static void
test_history_paging(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg m;
	int64_t before = 0;
	uint64_t expect = 250;
	int pages = 0;
	size_t i;

	a = t_login(f, 0, "alice", NULL);
	b = t_login(f, 1, "bob", NULL);
	for (i = 0; i < 5; i++) {
		r_say_n(b, "lobby", 50, 10 + 50 * (int)i);
		t_drain(a);
	}
	/* pages of 70 from the newest: 181..250, 111..180, 51..110 (ring holds 51..250) */
	for (;;) {
		if (before > 0)
			t_send(a, "{\"type\":\"history\",\"id\":%d,\"room\":\"lobby\",\"before\":%lld,"
			    "\"limit\":70}", 100 + pages, (long long)before);
		else
			t_send(a, "{\"type\":\"history\",\"id\":%d,\"room\":\"lobby\",\"limit\":70}",
			    100 + pages);
		t_expect(a, PT_HISTORY_REPLY, &m);
		assert_int_equal(m.re, 100 + pages);
		assert_string_equal(m.u.history_rep.room, "lobby");
		if (m.u.history_rep.nevents == 0) {
			assert_false(m.u.history_rep.more);
			proto_msg_clear(&m);
			break;
		}
		/* newest last, contiguous, ending right before "before" */
		for (i = 0; i < m.u.history_rep.nevents; i++) {
			assert_int_equal(m.u.history_rep.events[m.u.history_rep.nevents - 1 - i].seq,
			    expect - i);
			assert_string_equal(m.u.history_rep.events[i].stream, "room:lobby");
			assert_string_equal(m.u.history_rep.events[i].chat.from, "bob");
		}
		expect -= m.u.history_rep.nevents;
		before = (int64_t)m.u.history_rep.events[0].seq;
		assert_int_equal(m.u.history_rep.more, before > 51);
		proto_msg_clear(&m);
		pages++;
		assert_true(pages < 10);
	}
	assert_int_equal(pages, 3);
	assert_int_equal(expect, 50);
	/* default limit, and a small room from its start */
	t_send(a, "{\"type\":\"history\",\"id\":200,\"room\":\"lobby\"}");
	t_expect(a, PT_HISTORY_REPLY, &m);
	assert_int_equal(m.u.history_rep.nevents, PROTO_HISTORY_DEFAULT);
	assert_true(m.u.history_rep.more);
	proto_msg_clear(&m);
	t_send(a, "{\"type\":\"room.create\",\"id\":201,\"room\":\"x\"}");
	t_expect_error(a, PE_NOT_ALLOWED, 201);
	t_send(a, "{\"type\":\"history\",\"id\":202,\"room\":\"%s\"}", f->hub->rooms[1]->info.id);
	t_expect_error(a, PE_NOT_MEMBER, 202);
	t_send(a, "{\"type\":\"history\",\"id\":203,\"room\":\"nowhere\"}");
	t_expect_error(a, PE_NO_ROOM, 203);
	t_send(a, "{\"type\":\"history\",\"id\":204,\"room\":\"lobby\",\"limit\":500}");
	t_expect_error(a, PE_BAD_FIELD, 204);
	t_send(a, "{\"type\":\"join\",\"id\":205,\"room\":\"%s\"}", f->hub->rooms[1]->info.id);
	t_drain(a);
	t_send(b, "{\"type\":\"join\",\"id\":206,\"room\":\"%s\"}", f->hub->rooms[1]->info.id);
	r_say_n(b, f->hub->rooms[1]->info.id, 3, 300);
	t_drain(a);
	t_send(a, "{\"type\":\"history\",\"id\":207,\"room\":\"%s\",\"before\":3}",
	    f->hub->rooms[1]->info.id);
	t_expect(a, PT_HISTORY_REPLY, &m);
	assert_int_equal(m.u.history_rep.nevents, 2);
	assert_int_equal(m.u.history_rep.events[0].seq, 1);
	assert_false(m.u.history_rep.more);
	proto_msg_clear(&m);
}

/* The program is left out of welcome when the client's cached version is current. */
static void
test_program_cached(void **state)
{
	struct fixture *f = *state;
	struct proto_msg w;
	char extra[128];

	r_hello(f, 0, "alice", "", &w);
	assert_non_null(w.u.welcome.program);
	assert_non_null(w.u.welcome.program_version);
	assert_string_equal(w.u.welcome.program_version, w.u.welcome.program->version);
	snprintf(extra, sizeof extra, ",\"program\":\"%s\"", w.u.welcome.program_version);
	proto_msg_clear(&w);
	r_hello(f, 1, "bob", extra, &w);
	assert_null(w.u.welcome.program);
	assert_string_equal(w.u.welcome.program_version, f->hub->program->version);
	proto_msg_clear(&w);
	r_hello(f, 2, "carol", ",\"program\":\"0000000000000000\"", &w);
	assert_non_null(w.u.welcome.program);
	proto_msg_clear(&w);
}

/* A takeover continues the user stream and replays what the client had not seen. */
static void
test_takeover_user_stream(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b, *a2;
	struct proto_msg m, w;
	char extra[128];
	int i;

	a = r_hello(f, 0, "alice", "", &w);
	snprintf(extra, sizeof extra, ",\"resume\":\"%s\",\"user\":1", w.u.welcome.resume);
	proto_msg_clear(&w);
	t_drain(a);
	b = t_login(f, 1, "bob", NULL);
	for (i = 0; i < 3; i++) {
		t_send(b, "{\"type\":\"msg\",\"id\":%d,\"to\":\"alice\",\"text\":\"m%d\"}", 2 + i, i);
		t_drain(b);
	}
	t_expect(a, PT_PRIVMSG, &m);        /* alice saw seq 1 only; then her link died */
	assert_int_equal(m.seq, 1);
	proto_msg_clear(&m);
	a2 = r_hello(f, 2, "alice", extra, &w);
	proto_msg_clear(&w);
	assert_int_equal(f->c[0].closed, 1);
	t_expect(a2, PT_PRIVMSG, &m);
	assert_int_equal(m.seq, 2);
	assert_string_equal(m.u.privmsg.text, "m1");
	proto_msg_clear(&m);
	t_expect(a2, PT_PRIVMSG, &m);
	assert_int_equal(m.seq, 3);
	proto_msg_clear(&m);
	t_drain(a2);
	t_send(b, "{\"type\":\"msg\",\"id\":9,\"to\":\"alice\",\"text\":\"later\"}");
	t_expect(a2, PT_PRIVMSG, &m);
	assert_int_equal(m.seq, 4);
	proto_msg_clear(&m);
	hub_session_closed(a);
	/* Only the last HUB_USER_KEEP are kept: a client far behind gets those. */
	for (i = 0; i < HUB_USER_KEEP + 10; i++) {
		t_send(b, "{\"type\":\"msg\",\"id\":%d,\"to\":\"alice\",\"text\":\"x\"}", 20 + i);
		t_drain(b);
	}
	t_drain(a2);
	{
		struct hub_session *o;
		char token[HUB_TOKEN_HEX + 1];
		int n = 0;

		for (o = f->hub->sessions; o != NULL; o = o->next) {
			if (o == a2)
				snprintf(token, sizeof token, "%s", o->resume);
		}
		snprintf(extra, sizeof extra, ",\"resume\":\"%s\",\"user\":0", token);
		a = r_hello(f, 0, "alice", extra, &w);
		proto_msg_clear(&w);
		while (t_next(a, &m) == 0) {
			if (m.type == PT_PRIVMSG) {
				assert_int_equal(m.seq, 4 + HUB_USER_KEEP + 10 - HUB_USER_KEEP + 1 + n);
				n++;
			}
			proto_msg_clear(&m);
		}
		assert_int_equal(n, HUB_USER_KEEP);
	}
	/* The user stream is the name's: a later session of alice continues its numbering,
	 * and a message sent while she was away waits for her. */
	hub_session_closed(a2);
	hub_session_closed(a);
	t_send(b, "{\"type\":\"msg\",\"id\":200,\"to\":\"alice\",\"text\":\"new\"}");
	t_expect_ok(b, 200);
	a = r_hello(f, 0, "alice", ",\"user\":64,\"since\":{\"epoch\":\"x\",\"rooms\":{}}", &w);
	proto_msg_clear(&w);
	t_drain(a);
	snprintf(extra, sizeof extra, ",\"user\":64,\"since\":{\"epoch\":\"%s\",\"rooms\":{}}",
	    hub_epoch(f->hub));
	hub_session_closed(a);
	a = r_hello(f, 0, "alice", extra, &w);
	proto_msg_clear(&w);
	t_find(a, PT_PRIVMSG, &m);
	assert_int_equal(m.seq, 65);
	assert_string_equal(m.u.privmsg.text, "new");
	proto_msg_clear(&m);
}

/* A session whose welcome already carried the current rooms list is not sent the same
 * list again in the next "rooms" event; the others are. */
static void
test_rooms_not_repeated(void **state)
{
	struct fixture *f = *state;
	struct hub_session *a, *b;
	struct proto_msg m, w;
	int n = 0;

	a = t_login(f, 0, "alice", NULL);
	hub_tick(f->hub);
	t_drain(a);
	cf_fake_clock_advance(&f->fake, HUB_ROOMS_INTERVAL_MS);
	b = r_hello(f, 1, "bob", "", &w);
	assert_int_equal(w.u.welcome.rooms[0].occupancy, 2);
	proto_msg_clear(&w);
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	hub_tick(f->hub);
	t_find(a, PT_OCCUPANCY, &m);        /* alice learns that bob came: the count only */
	assert_int_equal(m.u.occupancy.nrooms, 1);
	assert_string_equal(m.u.occupancy.rooms[0].room, "lobby");
	assert_int_equal(m.u.occupancy.rooms[0].occupancy, 2);
	proto_msg_clear(&m);
	while (t_next(b, &m) == 0) {
		n += m.type == PT_ROOMS;
		proto_msg_clear(&m);
	}
	assert_int_equal(n, 0);               /* no list of rooms for anyone */
	/* a later change reaches bob as usual */
	cf_fake_clock_advance(&f->fake, HUB_OCCUPANCY_INTERVAL_MS);
	t_send(a, "{\"type\":\"join\",\"id\":2,\"room\":\"%s\"}", f->hub->rooms[1]->info.id);
	hub_tick(f->hub);
	t_find(b, PT_OCCUPANCY, &m);
	assert_string_equal(m.u.occupancy.rooms[0].room, f->hub->rooms[1]->info.id);
	assert_int_equal(m.u.occupancy.rooms[0].occupancy, 1);
	proto_msg_clear(&m);
}

/* Runs the resume tests. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_gap_replay_exact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_join_since, setup, teardown),
		cmocka_unit_test_setup_teardown(test_room_reuse_numbering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cid_dedupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cid_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_paging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_cached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_takeover_user_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rooms_not_repeated, setup, teardown),
	};

	log_init(NULL, LOG_ERR);
	return cmocka_run_group_tests_name("hub_resume", tests, NULL, NULL);
}
