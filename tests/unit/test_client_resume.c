/* test_client_resume.c: unit tests of the client's lossless resume (positions, cids and
 * re-sends, lost history), lazy history, the program cache and /stats, driven by
 * synthetic hub frames through the fixture of clientfix.c (no network). */
#include "util/i18n.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/cache.h"
#include "client/client.h"
#include "client/command.h"
#include "clientfix.h"
#include "proto/proto.h"
#include "util/xalloc.h"

/* Feeds an ok (seq, dup) for request id. */
static void
feed_ok(struct rec *r, int64_t id, int64_t seq, bool dup)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_OK);
	m.re = id;
	m.u.ok.seq = seq;
	m.u.ok.dup = dup;
	feed(r, &m);
}

/* Feeds an error (code) for request id. */
static void
feed_error(struct rec *r, int64_t id, enum proto_err code)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_ERROR);
	m.re = id;
	m.u.error.code = code;
	m.u.error.message = "refused";
	feed(r, &m);
}

/* True when s is "<8 hex digits>-<digits>". */
static bool
cid_shape(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) < 10 || s[8] != '-')
		return false;
	for (i = 0; i < 8; i++)
		if (strchr("0123456789abcdef", s[i]) == NULL)
			return false;
	for (i = 9; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return proto_cid_valid(s);
}

/* A position entry. */
static struct proto_room_pos
pos(const char *room, int64_t last, int64_t from, bool lost)
{
	struct proto_room_pos p;

	p.room = room;
	p.last = last;
	p.from = from;
	p.lost = lost;
	return p;
}

/* Every say and msg carries a valid cid, unique within the client; pending is told once
 * per line (not offline), and the ok's outcome carries the seq. */
static void
test_resume_cids(void **state)
{
	struct rec *r = *state;
	struct proto_msg a, b, c;

	welcome(r, "e1", 0, lobby_only, 1);
	rec_reset(r);
	client_input(r->c, "one");
	client_input(r->c, "/me two");
	client_input(r->c, "/msg bob three");
	assert_int_equal(r->nsent, 3);
	sent_msg(r, 0, &a);
	sent_msg(r, 1, &b);
	sent_msg(r, 2, &c);
	assert_true(cid_shape(a.u.say.cid));
	assert_true(cid_shape(b.u.say.cid));
	assert_true(cid_shape(c.u.msg.cid));
	assert_string_not_equal(a.u.say.cid, b.u.say.cid);
	assert_string_not_equal(b.u.say.cid, c.u.msg.cid);
	assert_string_not_equal(a.u.say.cid, c.u.msg.cid);
	/* the random part is the same for one client */
	assert_memory_equal(a.u.say.cid, c.u.msg.cid, 9);
	expect_ev(r, "pending lobby - one 0");
	expect_ev(r, "pending lobby - *two 0");
	expect_ev(r, "pending - bob three 0");
	assert_int_equal(client_pending(r->c), 3);
	feed_ok(r, a.id, 7, false);
	expect_ev(r, "outcome one ok 7");
	feed_ok(r, c.id, 0, false);
	expect_ev(r, "outcome three ok 0");
	feed_error(r, b.id, PE_TOO_LONG);
	expect_ev(r, "error too-long your line in #lobby: refused");
	expect_ev(r, "outcome two too-long 0");
	/* one is still counted until its own line comes back */
	assert_int_equal(client_pending(r->c), 1);
	feed_chat(r, "lobby", 7, "alice", "one");
	assert_int_equal(client_pending(r->c), 0);
	proto_msg_clear(&a);
	proto_msg_clear(&b);
	proto_msg_clear(&c);
}

/* After a drop, unanswered sends go again first, in order, with their cids, then what was
 * typed offline; a dup answer is a delivery; other unanswered requests are reported. */
static void
test_resume_resend_order(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, a, b;
	struct proto_room_pos h[1];
	char cid_a[PROTO_MAX_CID + 1], cid_b[PROTO_MAX_CID + 1];
	size_t i, first;

	h[0] = pos("lobby", 0, 1, false);
	welcome_ex(r, "e1", 0, lobby_only, 1, h, 1, false);
	feed_chat(r, "lobby", 1, "bob", "hi");
	feed_chat(r, "lobby", 2, "bob", "there");
	rec_reset(r);
	client_input(r->c, "first");
	client_input(r->c, "second");
	client_input(r->c, "/timer stop");
	sent_msg(r, 0, &a);
	sent_msg(r, 1, &b);
	strlcpy_cf(cid_a, a.u.say.cid, sizeof cid_a);
	strlcpy_cf(cid_b, b.u.say.cid, sizeof cid_b);
	proto_msg_clear(&a);
	proto_msg_clear(&b);

	client_link_down(r->c, "cut", 1000);
	r->link = 0;
	/* the timer request is not repeated: the user hears it was not confirmed */
	for (i = 0; i < r->nev; i++)
		if (strstr(r->ev[i], "error local") != NULL && strstr(r->ev[i], "/timer stop"))
			break;
	assert_true(i < r->nev);
	client_input(r->c, "third");
	client_input(r->c, "/msg bob fourth");
	expect_ev(r, "pending lobby - third 1");
	expect_ev(r, "pending - bob fourth 1");
	assert_int_equal(client_pending(r->c), 4);

	h[0] = pos("lobby", 3, 3, false);
	first = r->nsent;
	welcome_ex(r, "e1", 0, lobby_only, 1, h, 1, false);
	/* the hello carries our position and our program's version */
	assert_non_null(strstr(r->hello, "\"since\":{\"epoch\":\"e1\",\"rooms\":{\"lobby\":2}}"));
	assert_non_null(strstr(r->hello, "\"program\":\""));
	expect_ev(r, "history lobby 0 1");
	/* hello, then first, second (same cids), third, fourth */
	assert_int_equal(r->nsent, first + 5);
	sent_msg(r, first + 1, &m);
	assert_int_equal(m.type, PT_SAY);
	assert_string_equal(m.u.say.text, "first");
	assert_string_equal(m.u.say.cid, cid_a);
	a = m;
	sent_msg(r, first + 2, &m);
	assert_string_equal(m.u.say.text, "second");
	assert_string_equal(m.u.say.cid, cid_b);
	b = m;
	sent_msg(r, first + 3, &m);
	assert_string_equal(m.u.say.text, "third");
	assert_string_not_equal(m.u.say.cid, cid_a);
	assert_string_not_equal(m.u.say.cid, cid_b);
	feed_ok(r, m.id, 5, false);
	proto_msg_clear(&m);
	sent_msg(r, first + 4, &m);
	assert_int_equal(m.type, PT_MSG);
	assert_string_equal(m.u.msg.text, "fourth");
	feed_ok(r, m.id, 0, false);
	proto_msg_clear(&m);
	/* first had reached the hub before the cut: dup, with the original's seq */
	feed_ok(r, a.id, 3, true);
	expect_ev(r, "outcome first ok 3");
	feed_ok(r, b.id, 4, false);
	expect_ev(r, "outcome second ok 4");
	expect_ev(r, "outcome third ok 5");
	expect_ev(r, "outcome fourth ok 0");
	proto_msg_clear(&a);
	proto_msg_clear(&b);
	/* the replay brings first; the others come back live: each line once */
	rec_reset(r);
	feed_chat(r, "lobby", 3, "alice", "first");
	feed_chat(r, "lobby", 3, "alice", "first");
	feed_chat(r, "lobby", 4, "alice", "second");
	feed_chat(r, "lobby", 5, "alice", "third");
	assert_int_equal(r->nev, 3);
	assert_int_equal(client_pending(r->c), 0);
	assert_int_equal(client_chat_count(r->c, "lobby"), 5);
}

/* A hub that lost our position: what we held is dropped and the view is told, then the
 * fresh snapshot is taken even with lower seqs. A gap replay is counted. */
static void
test_resume_lost(void **state)
{
	struct rec *r = *state;
	struct proto_room_pos h[1];
	const struct client_chat *ch;

	h[0] = pos("lobby", 0, 1, false);
	welcome_ex(r, "e1", 0, lobby_only, 1, h, 1, false);
	feed_chat(r, "lobby", 1, "bob", "one");
	feed_chat(r, "lobby", 2, "bob", "two");
	feed_chat(r, "lobby", 3, "bob", "three");
	assert_int_equal(client_chat_count(r->c, "lobby"), 3);
	client_link_down(r->c, "cut", 1000);
	rec_reset(r);
	/* the hub restarted: new epoch, lost */
	h[0] = pos("lobby", 1, 1, true);
	welcome_ex(r, "e2", 0, lobby_only, 1, h, 1, true);
	assert_non_null(strstr(r->hello, "\"lobby\":3"));
	expect_ev(r, "history lobby 1 0");
	assert_int_equal(client_chat_count(r->c, "lobby"), 0);
	feed_chat(r, "lobby", 1, "carol", "after the restart");
	expect_ev(r, "chat lobby carol after the restart");
	ch = client_chat_line(r->c, "lobby", 0);
	assert_non_null(ch);
	assert_int_equal(ch->seq, 1);

	/* the same epoch, a gap of two lines: replayed, counted, each once */
	client_link_down(r->c, "cut", 1000);
	rec_reset(r);
	h[0] = pos("lobby", 3, 2, false);
	welcome_ex(r, "e2", 0, lobby_only, 1, h, 1, true);
	assert_non_null(strstr(r->hello, "\"lobby\":1"));
	expect_ev(r, "history lobby 0 2");
	assert_false(rec_has(r, "history lobby 1 0"));
	feed_chat(r, "lobby", 1, "carol", "after the restart");
	feed_chat(r, "lobby", 2, "dan", "missed 1");
	feed_chat(r, "lobby", 3, "dan", "missed 2");
	assert_int_equal(client_chat_count(r->c, "lobby"), 3);
}

/* Join sends our position when we hold lines of the room; its ok's lost drops them. */
static void
test_resume_join_since(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, req;
	struct proto_room_pos h[1];

	h[0] = pos("lobby", 0, 1, false);
	welcome_ex(r, "e1", 0, lobby_only, 1, h, 1, false);
	/* we were in hack once and heard one line there, then left */
	rec_reset(r);
	client_input(r->c, "/join hack");
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_JOIN);
	assert_false(req.u.room.has_since);
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	m.u.ok.has_pos = true;
	m.u.ok.pos = pos(NULL, 4, 5, false);
	feed(r, &m);
	proto_msg_clear(&req);
	sent_msg(r, 1, &req);
	assert_int_equal(req.type, PT_WHO);
	proto_msg_init(&m, PT_MEMBERS);
	m.re = req.id;
	m.u.members.room = "hack";
	feed(r, &m);
	proto_msg_clear(&req);
	feed_chat(r, "hack", 4, "bob", "old line");
	assert_int_equal(client_chat_count(r->c, "hack"), 1);
	rec_reset(r);
	client_input(r->c, "/part hack");
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_PART);
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	feed(r, &m);
	proto_msg_clear(&req);
	/* a chat line for a room we are not in is not taken */
	feed_chat(r, "elsewhere", 1, "eve", "not for us");
	assert_int_equal(client_chat_count(r->c, "elsewhere"), 0);
	rec_reset(r);
	client_input(r->c, "/join hack");
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_JOIN);
	assert_true(req.u.room.has_since);
	assert_int_equal(req.u.room.since, 4);
	proto_msg_init(&m, PT_OK);
	m.re = req.id;
	m.u.ok.has_pos = true;
	m.u.ok.pos = pos(NULL, 9, 5, false);
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "history hack 0 5");
	assert_int_equal(client_chat_count(r->c, "hack"), 1);
	sent_msg(r, 1, &req);
	assert_int_equal(req.type, PT_WHO);
	proto_msg_init(&m, PT_MEMBERS);
	m.re = req.id;
	m.u.members.room = "hack";
	feed(r, &m);
	proto_msg_clear(&req);

	/* a room we hold nothing of: no since */
	rec_reset(r);
	client_input(r->c, "/join other");
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_JOIN);
	assert_false(req.u.room.has_since);
	proto_msg_clear(&req);
}

/* Lazy history: older lines go in front, duplicates and newer ones are skipped, the start
 * is reported and then known without asking again. */
static void
test_resume_history(void **state)
{
	struct rec *r = *state;
	struct proto_msg m, req;
	struct proto_chat_ev ev[4];
	const char *texts[] = { "seven", "eight", "nine", "ten" };
	size_t i;

	welcome(r, "e1", 0, lobby_only, 1);
	feed_chat(r, "lobby", 10, "bob", "ten");
	feed_chat(r, "lobby", 11, "bob", "eleven");
	rec_reset(r);
	assert_int_equal(client_history_more(r->c, "lobby", 50), 0);
	assert_int_equal(client_history_more(r->c, "lobby", 50), -1);  /* one at a time */
	assert_int_equal(client_history_more(r->c, "nowhere", 50), -1);
	sent_msg(r, 0, &req);
	assert_int_equal(req.type, PT_HISTORY);
	assert_string_equal(req.u.history.room, "lobby");
	assert_int_equal(req.u.history.before, 10);
	assert_int_equal(req.u.history.limit, 50);
	for (i = 0; i < 4; i++) {
		memset(&ev[i], 0, sizeof ev[i]);
		ev[i].stream = "room:lobby";
		ev[i].seq = 7 + i;
		ev[i].chat.room = "lobby";
		ev[i].chat.from = "carol";
		ev[i].chat.text = texts[i];
		ev[i].chat.ts = 1;
	}
	proto_msg_init(&m, PT_HISTORY_REPLY);
	m.re = req.id;
	m.u.history_rep.room = "lobby";
	m.u.history_rep.events = ev;
	m.u.history_rep.nevents = 4;   /* ten (seq 10) is ours already */
	m.u.history_rep.more = true;
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "history lobby 2 3");
	assert_int_equal(client_chat_count(r->c, "lobby"), 5);
	assert_string_equal(client_chat_line(r->c, "lobby", 0)->text, "seven");
	assert_int_equal(client_chat_line(r->c, "lobby", 0)->seq, 7);
	assert_string_equal(client_chat_line(r->c, "lobby", 3)->text, "ten");
	/* /history asks from the new oldest line; the last page says it is the start */
	rec_reset(r);
	client_input(r->c, "/history 20");
	sent_msg(r, 0, &req);
	assert_int_equal(req.u.history.before, 7);
	assert_int_equal(req.u.history.limit, 20);
	ev[0].seq = 2;
	ev[0].chat.text = "two";
	proto_msg_init(&m, PT_HISTORY_REPLY);
	m.re = req.id;
	m.u.history_rep.room = "lobby";
	m.u.history_rep.events = ev;
	m.u.history_rep.nevents = 1;
	m.u.history_rep.more = false;
	feed(r, &m);
	proto_msg_clear(&req);
	expect_ev(r, "history lobby 2 1");
	expect_ev(r, "history lobby 3 0");
	rec_reset(r);
	assert_int_equal(client_history_more(r->c, "lobby", 50), 0);
	assert_int_equal(r->nsent, 0);
	expect_ev(r, "history lobby 3 0");
	/* live lines after that still append */
	feed_chat(r, "lobby", 12, "bob", "twelve");
	assert_int_equal(client_chat_count(r->c, "lobby"), 7);
	assert_string_equal(client_chat_line(r->c, "lobby", 6)->text, "twelve");
	/* a reply nobody asked for is dropped */
	proto_msg_init(&m, PT_HISTORY_REPLY);
	m.re = 999;
	m.u.history_rep.room = "lobby";
	feed(r, &m);
	assert_int_equal(client_chat_count(r->c, "lobby"), 7);
}

/* The store keeps at most CLIENT_CHAT_MAX lines, dropping the oldest. */
static void
test_resume_store_cap(void **state)
{
	struct rec *r = *state;
	char text[32];
	uint64_t i;

	welcome(r, "e1", 0, lobby_only, 1);
	for (i = 1; i <= CLIENT_CHAT_MAX + 5; i++) {
		snprintf(text, sizeof text, "line %llu", (unsigned long long)i);
		feed_chat(r, "lobby", i, "bob", text);
		if (i % 64 == 0)
			rec_reset(r);
	}
	assert_int_equal(client_chat_count(r->c, "lobby"), CLIENT_CHAT_MAX);
	assert_string_equal(client_chat_line(r->c, "lobby", 0)->text, "line 6");
	assert_int_equal(client_chat_line(r->c, "lobby", CLIENT_CHAT_MAX - 1)->seq,
	    CLIENT_CHAT_MAX + 5);
}

/* The program cache: file names, a round trip through a temporary directory, the
 * cached program shown offline (not live), its version in hello, the hub's word that it
 * is current; bad files are ignored. */
static void
test_resume_cache(void **state)
{
	struct rec *r = *state;
	char dir[] = "/tmp/confab-test-cache-XXXXXX", *sub, *path, *name, *cause = NULL;
	char *version, *want;
	struct stat st;
	FILE *f;

	name = cache_file_name("ws://127.0.0.1:8080/x");
	assert_string_equal(name, "program-127.0.0.1-8080.json");
	free(name);
	name = cache_file_name("ws://[::1]:9");
	assert_string_equal(name, "program-__1-9.json");
	free(name);
	name = cache_file_name("ws://hub.example.org");
	assert_string_equal(name, "program-hub.example.org-80.json");
	free(name);
	name = cache_file_name("ws://a$b/../c:1");
	assert_string_equal(name, "program-a_b-80.json");
	free(name);
	assert_null(cache_file_name("ws://:80"));
	assert_null(cache_file_name("ws://host:99999"));

	assert_non_null(mkdtemp(dir));
	sub = xasprintf("%s/deeper/confab", dir);
	rec_client(r, sub);
	client_connecting(r->c, "ws://127.0.0.1:8080");
	assert_null(client_program(r->c));
	welcome(r, "e1", 0, lobby_only, 1);
	assert_true(client_program_live(r->c));
	path = xasprintf("%s/program-127.0.0.1-8080.json", sub);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* a second client with the same cache */
	rec_reset(r);
	r->link = 0;
	rec_client(r, sub);
	client_connecting(r->c, "ws://127.0.0.1:8080");
	expect_ev(r, "notice 8 - 0");
	assert_non_null(client_program(r->c));
	assert_false(client_program_live(r->c));
	version = xstrdup(client_program(r->c)->version);
	client_input(r->c, "/next");
	expect_ev(r, "program 2 s2 -1");
	welcome_ex(r, "e1", 0, lobby_only, 1, NULL, 0, true);
	want = xasprintf("\"program\":\"%s\"", version);
	assert_non_null(strstr(r->hello, want));
	free(want);
	free(version);
	assert_true(client_program_live(r->c));
	assert_non_null(client_program(r->c));

	/* a bad file is ignored; so is another hub's */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"title\": 3", f);
	fclose(f);
	rec_reset(r);
	rec_client(r, sub);
	client_connecting(r->c, "ws://127.0.0.1:8080");
	assert_null(client_program(r->c));
	assert_false(rec_has(r, "notice 8 - 0"));
	client_connecting(r->c, "ws://127.0.0.1:8081");
	assert_null(client_program(r->c));
	assert_null(cache_load_program(sub, "ws://127.0.0.1:8081", &cause));
	assert_null(cause);
	assert_null(cache_load_program(sub, "ws://127.0.0.1:8080", &cause));
	assert_non_null(cause);
	free(cause);

	unlink(path);
	free(path);
	rmdir(sub);
	path = xasprintf("%s/deeper", dir);
	rmdir(path);
	free(path);
	rmdir(dir);
	free(sub);
}

/* /stats: counts from the client itself when no link counters are given. */
static void
test_resume_stats(void **state)
{
	struct rec *r = *state;
	struct client_stats s;

	welcome(r, "e1", 0, lobby_only, 1);
	feed_chat(r, "lobby", 1, "bob", "one");
	feed_chat(r, "lobby", 1, "bob", "one");
	feed_chat(r, "lobby", 2, "bob", "two");
	client_get_stats(r->c, &s);
	assert_int_equal(s.link.msgs_tx, 1);      /* hello */
	assert_int_equal(s.link.msgs_rx, 4);      /* welcome, 3 chat */
	assert_true(s.link.ws_rx > s.link.ws_tx);
	assert_int_equal(s.link.links, 1);
	assert_int_equal(s.chat_rx, 2);
	assert_int_equal(s.dups, 1);
	rec_reset(r);
	client_input(r->c, "/stats");
	expect_ev(r, "stats tx 1 rx 4 chat 2 dups 1 pending 0 links 1");
}

/* /history [N] and /stats parse; bad forms say what works. */
static void
test_resume_commands(void **state)
{
	struct command cmd;
	char *cause = NULL;

	(void)state;
	assert_int_equal(command_parse("/history", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_HISTORY);
	assert_int_equal(cmd.index, 50);
	command_clear(&cmd);
	assert_int_equal(command_parse("/HISTORY 100", &cmd, &cause), 0);
	assert_int_equal(cmd.index, 100);
	command_clear(&cmd);
	assert_int_equal(command_parse("/stats", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_STATS);
	command_clear(&cmd);
	assert_int_equal(command_parse("/history 0", &cmd, &cause), -1);
	assert_non_null(strstr(cause, "usage: /history [N]"));
	free(cause);
	assert_int_equal(command_parse("/history 101", &cmd, &cause), -1);
	free(cause);
	assert_int_equal(command_parse("/history ten", &cmd, &cause), -1);
	free(cause);
	assert_int_equal(command_parse("/history 5 more", &cmd, &cause), -1);
	free(cause);
	assert_int_equal(command_parse("/stats now", &cmd, &cause), -1);
	assert_non_null(strstr(cause, "usage: /stats"));
	free(cause);
	assert_int_equal(command_parse("/histroy", &cmd, &cause), -1);
	assert_non_null(strstr(cause, "did you mean /history?"));
	free(cause);
}

/* Runs every test. */
int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resume_cids, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_resend_order, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_lost, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_join_since, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_history, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_store_cap, setup_client,
		    teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_cache, setup_client, teardown_client),
		cmocka_unit_test_setup_teardown(test_resume_stats, setup_client, teardown_client),
		cmocka_unit_test(test_resume_commands),
	};

	return cmocka_run_group_tests_name("client_resume", tests, NULL, NULL);
}
