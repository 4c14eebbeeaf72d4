/* test_habits.c: unit tests of the pure parts of terminal-chat habits: the smart filter,
 * name colours, the key binding parser, chat log file names and lines, the time offset
 * names, the new commands' parsing and the ignore list kept in the config file. */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "client/chatlog.h"
#include "client/command.h"
#include "client/config.h"
#include "client/keybind.h"
#include "client/smartfilter.h"
#include "client/timefmt.h"
#include "proto/proto.h"
#include "ui/namecolour.h"
#include "util/files.h"
#include "util/xalloc.h"

/* Joins are hidden; parts and quits only of people who spoke within the window. */
static void
test_smartfilter(void **state)
{
	struct smartfilter *sf = smartfilter_create(60000);

	(void)state;
	assert_false(smartfilter_show(sf, "hack", "bob", true, 0));
	assert_false(smartfilter_show(sf, "hack", "bob", false, 0));
	smartfilter_spoke(sf, "hack", "Bob", 1000);
	assert_true(smartfilter_show(sf, "hack", "bob", false, 1000));
	assert_true(smartfilter_show(sf, "hack", "BOB", false, 61000));
	assert_false(smartfilter_show(sf, "hack", "bob", false, 61001));
	/* per room */
	assert_false(smartfilter_show(sf, "lobby", "bob", false, 2000));
	/* a join stays hidden even for someone who spoke */
	assert_false(smartfilter_show(sf, "hack", "bob", true, 2000));
	/* speaking again moves the window */
	smartfilter_spoke(sf, "hack", "bob", 100000);
	assert_true(smartfilter_show(sf, "hack", "bob", false, 150000));
	/* without a filter everything shows */
	assert_true(smartfilter_show(NULL, "hack", "x", true, 0));
	smartfilter_free(sf);
}

/* The table is bounded: the oldest speaker is forgotten first. */
static void
test_smartfilter_bounded(void **state)
{
	struct smartfilter *sf = smartfilter_create(1000000);
	char name[32];
	int i;

	(void)state;
	for (i = 0; i < SMARTFILTER_MAX + 10; i++) {
		snprintf(name, sizeof name, "p%d", i);
		smartfilter_spoke(sf, "lobby", name, i);
	}
	assert_false(smartfilter_show(sf, "lobby", "p0", false, SMARTFILTER_MAX + 20));
	snprintf(name, sizeof name, "p%d", SMARTFILTER_MAX + 9);
	assert_true(smartfilter_show(sf, "lobby", name, false, SMARTFILTER_MAX + 20));
	smartfilter_free(sf);
}

/* Colours are stable, case-insensitive, spread, and never a warning colour. */
static void
test_namecolour(void **state)
{
	const short *pal;
	size_t n, i, used[64] = { 0 }, distinct = 0;
	char name[32];
	int ncol[] = { 8, 256 };
	int light, k;

	(void)state;
	assert_int_equal(namecolour_index("alice", 7), namecolour_index("alice", 7));
	assert_int_equal(namecolour_index("Alice", 56), namecolour_index("aLICE", 56));
	assert_int_equal(namecolour_hash(""), 2166136261u);
	assert_int_equal(namecolour_index("x", 0), 0);
	for (k = 0; k < 2; k++) {
		for (light = 0; light < 2; light++) {
			pal = namecolour_palette(ncol[k], light != 0, &n);
			assert_true(n >= 4);
			for (i = 0; i < n; i++)
				assert_false(namecolour_is_warning(pal[i]));
		}
	}
	assert_true(namecolour_is_warning(1));   /* red */
	assert_true(namecolour_is_warning(3));   /* yellow */
	assert_true(namecolour_is_warning(196));
	namecolour_palette(2, false, &n);
	assert_int_equal(n, 0);
	/* 200 names over the 256-colour palette use many of its colours */
	pal = namecolour_palette(256, false, &n);
	assert_true(n <= 64);
	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof name, "user%zu", i);
		used[namecolour_index(name, n)]++;
	}
	for (i = 0; i < n; i++)
		distinct += used[i] > 0;
	assert_true(distinct > n / 2);
}

/* Parses one binding, expecting success. */
static struct keybind
kb_ok(const char *spec)
{
	struct keybind b;
	char *cause = NULL;

	if (keybind_parse(spec, &b, &cause) != 0)
		fail_msg("\"%s\": %s", spec, cause);
	return b;
}

/* Parses one binding, expecting failure with a message containing want. */
static void
kb_bad(const char *spec, const char *want)
{
	char *cause = NULL;

	if (keybind_parse(spec, NULL, &cause) == 0)
		fail_msg("\"%s\" was accepted", spec);
	if (strstr(cause, want) == NULL)
		fail_msg("\"%s\": \"%s\" lacks \"%s\"", spec, cause, want);
	free(cause);
}

/* The key binding parser. */
static void
test_keybind(void **state)
{
	struct keybind b;

	(void)state;
	b = kb_ok("ctrl-f find");
	assert_int_equal(b.kind, KB_CTRL);
	assert_int_equal(b.code, 'f');
	assert_int_equal(b.action, KA_FIND);
	b = kb_ok("  Alt-X   next-buffer ");
	assert_int_equal(b.kind, KB_ALT);
	assert_int_equal(b.code, 'x');
	assert_int_equal(b.action, KA_NEXT_BUFFER);
	b = kb_ok("alt-3 rooms");
	assert_int_equal(b.code, '3');
	b = kb_ok("F12 help");
	assert_int_equal(b.kind, KB_FN);
	assert_int_equal(b.code, 12);
	b = kb_ok("pgup scroll-up");
	assert_int_equal(b.kind, KB_NAMED);
	assert_int_equal(b.code, KBN_PGUP);
	b = kb_ok("f5 none");
	assert_int_equal(b.action, KA_NONE);
	assert_string_equal(keybind_action_name(KA_TOGGLE_FILTER), "toggle-filter");
	kb_bad("ctrl-f", "write a key and an action");
	kb_bad("ctrl-f find extra", "write a key and an action");
	kb_bad("ctrl-1 find", "unknown key \"ctrl-1\"");
	kb_bad("f13 help", "unknown key");
	kb_bad("f0 help", "unknown key");
	kb_bad("super-x help", "unknown key");
	kb_bad("ctrl-fx help", "unknown key");
	kb_bad("ctrl-f fly", "unknown action \"fly\"");
	kb_bad("", "write a key");
}

/* Log directory and file names never leave the directory. */
static void
test_chatlog_names(void **state)
{
	char *s;

	(void)state;
	s = chatlog_hub_name("ws://127.0.0.1:7450");
	assert_string_equal(s, "127.0.0.1_7450");
	free(s);
	s = chatlog_hub_name("wss://[::1]:7450/confab");
	assert_string_equal(s, "___1__7450");
	free(s);
	s = chatlog_hub_name("ws://../");
	assert_string_equal(s, "hub");
	free(s);
	s = chatlog_file_name("lobby", false);
	assert_string_equal(s, "#lobby.log");
	free(s);
	s = chatlog_file_name("Bob", true);
	assert_string_equal(s, "@bob.log");
	free(s);
	s = chatlog_file_name("a/../b", true);
	assert_string_equal(s, "@a%2F..%2Fb.log");
	assert_null(strchr(s, '/'));
	free(s);
	s = chatlog_file_name("Łukasz", true);
	assert_string_equal(s, "@Łukasz.log");
	free(s);
}

/* A log line: local time with its offset, sanitised text on one line. */
static void
test_chatlog_line(void **state)
{
	char *s;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	s = chatlog_line(1600000000000LL, "bob", "hi\x1b]0;x\a\nthere", false);
	assert_string_equal(s, "2020-09-13 12:26:40 +0000 <bob> hi^[]0;x^G^Jthere");
	free(s);
	s = chatlog_line(1600000000000LL, "bob", "waves", true);
	assert_string_equal(s, "2020-09-13 12:26:40 +0000 * bob waves");
	free(s);
}

/* Chat logs on disk: one file per room and per conversation, appended to. */
static void
test_chatlog_write(void **state)
{
	char dir[] = "/tmp/confab-test-logs-XXXXXX", *path, *text;
	struct chatlog *cl;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	cl = chatlog_create(dir, "ws://127.0.0.1:9");
	chatlog_write(cl, "lobby", false, 1600000000000LL, "bob", "one", false);
	chatlog_write(cl, "lobby", false, 1600000001000LL, "amy", "two", false);
	chatlog_write(cl, "Bob", true, 1600000002000LL, "Bob", "psst", false);
	path = xasprintf("%s/127.0.0.1_9/#lobby.log", dir);
	text = files_read(path, 4096, &len, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "<bob> one\n"));
	assert_non_null(strstr(text, "<amy> two\n"));
	free(text);
	unlink(path);
	free(path);
	path = xasprintf("%s/127.0.0.1_9/@bob.log", dir);
	text = files_read(path, 4096, &len, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "<Bob> psst\n"));
	free(text);
	unlink(path);
	free(path);
	path = xasprintf("%s/127.0.0.1_9", dir);
	rmdir(path);
	free(path);
	rmdir(dir);
	chatlog_free(cl);
}

/* Offsets are named the short way; local time names its offset when not the event's. */
static void
test_timefmt(void **state)
{
	struct timefmt tf = { "America/New_York", true, false };
	char buf[64];

	(void)state;
	assert_string_equal(timefmt_offset(9 * 3600, buf, sizeof buf), "UTC+9");
	assert_string_equal(timefmt_offset(-(3 * 3600 + 1800), buf, sizeof buf), "UTC-3:30");
	assert_string_equal(timefmt_offset(0, buf, sizeof buf), "UTC");
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	/* 2020-10-13 15:00 UTC: 11:00 EDT, 00:00 JST the next day */
	timefmt_clock(&tf, 1602601200000LL, true, buf, sizeof buf);
	assert_string_equal(buf, "00:00 JST (UTC+9)");
	tf.clock12 = true;
	timefmt_clock(&tf, 1602601200000LL, false, buf, sizeof buf);
	assert_string_equal(buf, "12:00 AM");
	tf.local = false;
	tf.clock12 = false;
	timefmt_clock(&tf, 1602601200000LL, true, buf, sizeof buf);
	assert_string_equal(buf, "11:00 EDT");
	setenv("TZ", "America/New_York", 1);
	tzset();
	tf.local = true;
	timefmt_clock(&tf, 1602601200000LL, true, buf, sizeof buf);
	assert_string_equal(buf, "11:00 EDT");   /* the same offset: no note */
	setenv("TZ", "UTC", 1);
	tzset();
	timefmt_clock(&tf, 1602601200000LL, true, buf, sizeof buf);
	assert_string_equal(buf, "15:00 UTC");   /* "UTC" names its offset already */
	/* the zone alone, as the full-screen schedule names it */
	assert_string_equal(timefmt_zone(&tf, 1602601200000LL, buf, sizeof buf), "UTC");
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	assert_string_equal(timefmt_zone(&tf, 1602601200000LL, buf, sizeof buf), "JST (UTC+9)");
	tf.local = false;
	assert_string_equal(timefmt_zone(&tf, 1602601200000LL, buf, sizeof buf), "EDT");
}

/* Parses line, expecting success. */
static struct command
cmd_ok(const char *line)
{
	struct command c;
	char *cause = NULL;

	if (command_parse(line, &c, &cause) != 0)
		fail_msg("\"%s\": %s", line, cause);
	return c;
}

/* The commands of habits. */
static void
test_habit_commands(void **state)
{
	struct command c;

	(void)state;
	c = cmd_ok("/quit");
	assert_int_equal(c.type, CMD_QUIT);
	assert_null(c.text);
	command_clear(&c);
	c = cmd_ok("/quit  see you tomorrow ");
	assert_string_equal(c.text, "see you tomorrow");
	command_clear(&c);
	c = cmd_ok("/away lunch, back at 2");
	assert_int_equal(c.type, CMD_AWAY);
	assert_string_equal(c.text, "lunch, back at 2");
	command_clear(&c);
	c = cmd_ok("/away");
	assert_null(c.text);
	command_clear(&c);
	c = cmd_ok("/names #Hack");
	assert_int_equal(c.type, CMD_WHO);
	assert_string_equal(c.arg, "hack");
	command_clear(&c);
	c = cmd_ok("/tz LOCAL");
	assert_int_equal(c.type, CMD_TZ);
	assert_int_equal(c.index, 1);
	command_clear(&c);
	c = cmd_ok("/tz");
	assert_int_equal(c.index, -1);
	command_clear(&c);
	c = cmd_ok("/clock 12h");
	assert_int_equal(c.type, CMD_CLOCK);
	assert_int_equal(c.index, 1);
	command_clear(&c);
	c = cmd_ok("/ignore bob");
	assert_int_equal(c.type, CMD_IGNORE);
	assert_string_equal(c.arg, "bob");
	command_clear(&c);
	c = cmd_ok("/find some text");
	assert_int_equal(c.type, CMD_FIND);
	assert_string_equal(c.text, "some text");
	command_clear(&c);
}

/* /ignore keeps its list in the config file: other lines stay as they were. */
static void
test_config_save_key(void **state)
{
	char dir[] = "/tmp/confab-test-cfg-XXXXXX", *path, *text, *cause = NULL;
	struct config cfg;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = xasprintf("%s/sub/config", dir);
	assert_int_equal(config_save_key(path, "ignore", "bob", &cause), 0);
	text = files_read(path, 4096, &len, NULL);
	assert_string_equal(text, "ignore = bob\n");
	free(text);
	f = fopen(path, "w");
	fputs("# mine\nname = amy\nignore = x\nclock = 12h\nignore = y\n", f);
	fclose(f);
	assert_int_equal(config_save_key(path, "ignore", "bob carol", &cause), 0);
	text = files_read(path, 4096, &len, NULL);
	assert_string_equal(text, "# mine\nname = amy\nclock = 12h\nignore = bob carol\n");
	free(text);
	config_init(&cfg);
	assert_int_equal(config_load(&cfg, path, &cause), 0);
	assert_int_equal(cfg.nignore, 2);
	assert_string_equal(cfg.ignore[1], "carol");
	config_clear(&cfg);
	assert_int_equal(config_save_key(path, "ignore", NULL, &cause), 0);
	text = files_read(path, 4096, &len, NULL);
	assert_string_equal(text, "# mine\nname = amy\nclock = 12h\n");
	free(text);
	unlink(path);
	free(path);
	path = xasprintf("%s/sub", dir);
	rmdir(path);
	free(path);
	rmdir(dir);
}

/* The new config keys and their errors. */
static void
test_config_habits(void **state)
{
	struct config cfg;
	char *cause = NULL;
	const char *text = "ignore = bob, carol\nsmart-filter = 30\nlog-chat = yes\n"
	    "theme = light\nmouse = on\nbind = ctrl-f find\nbind = alt-x rooms\n"
	    "plain-redraw = no\n";

	(void)state;
	config_init(&cfg);
	assert_int_equal(cfg.plain_redraw, 1);
	assert_int_equal(config_parse(&cfg, text, strlen(text), "config", &cause), 0);
	assert_int_equal(cfg.nignore, 2);
	assert_int_equal(cfg.smart_minutes, 30);
	assert_int_equal(cfg.log_chat, 1);
	assert_int_equal(cfg.theme, CONFIG_THEME_LIGHT);
	assert_int_equal(cfg.mouse, 1);
	assert_int_equal(cfg.nbinds, 2);
	assert_string_equal(cfg.binds[1], "alt-x rooms");
	assert_int_equal(cfg.plain_redraw, 0);
	config_clear(&cfg);
	config_init(&cfg);
	text = "smart-filter = yes\ntheme = pink\nbind = ctrl-f fly\nignore = a:b\n";
	assert_int_equal(config_parse(&cfg, text, strlen(text), "config", &cause), -1);
	assert_int_equal(cfg.smart_minutes, CONFIG_SMART_MINUTES);
	assert_non_null(strstr(cause, "config:2: bad value \"pink\" for theme"));
	assert_non_null(strstr(cause, "config:3: bad binding \"ctrl-f fly\": unknown action"));
	assert_non_null(strstr(cause, "config:4: \"a:b\" in the ignore list is not a name"));
	free(cause);
	config_clear(&cfg);
}

/* Encodes m and decodes it again (as a request when req). */
static void
roundtrip(struct proto_msg *m, bool req, struct proto_msg *out)
{
	struct proto_decode_err err;
	char *frame = proto_encode(m);
	int rc = req ? proto_decode_request(frame, strlen(frame), 0, out, &err) :
	    proto_decode(frame, strlen(frame), 0, out, &err);

	if (rc != 0)
		fail_msg("%s: %s", frame, err.detail);
	free(frame);
}

/* The protocol's additions: away, quit, members' away, presence message, ok away. */
static void
test_proto_additions(void **state)
{
	struct proto_msg m, d;
	const char *names[] = { "amy", "bob", "cat" };
	const char *away[] = { NULL, "at lunch", NULL };
	struct proto_decode_err err;
	const char *bad = "{\"type\":\"members\",\"re\":1,\"room\":\"lobby\","
	    "\"names\":[\"amy\"],\"away\":{\"amy\":5}}";

	(void)state;
	proto_msg_init(&m, PT_AWAY);
	m.id = 3;
	m.u.away.message = "back at 2";
	roundtrip(&m, true, &d);
	assert_int_equal(d.type, PT_AWAY);
	assert_string_equal(d.u.away.message, "back at 2");
	proto_msg_clear(&d);
	proto_msg_init(&m, PT_QUIT);
	m.id = 4;
	roundtrip(&m, true, &d);
	assert_int_equal(d.type, PT_QUIT);
	assert_null(d.u.away.message);
	proto_msg_clear(&d);
	proto_msg_init(&m, PT_MEMBERS);
	m.re = 5;
	m.u.members.room = "lobby";
	m.u.members.names = names;
	m.u.members.nnames = 3;
	m.u.members.away = away;
	roundtrip(&m, false, &d);
	assert_int_equal(d.u.members.nnames, 3);
	assert_non_null(d.u.members.away);
	assert_null(d.u.members.away[0]);
	assert_string_equal(d.u.members.away[1], "at lunch");
	assert_null(d.u.members.away[2]);
	proto_msg_clear(&d);
	proto_msg_init(&m, PT_PRESENCE);
	m.stream = "user";
	m.seq = 2;
	m.u.presence.room = "hack";
	m.u.presence.name = "amy";
	m.u.presence.action = PRES_QUIT;
	m.u.presence.message = "see you";
	roundtrip(&m, false, &d);
	assert_string_equal(d.u.presence.message, "see you");
	proto_msg_clear(&d);
	proto_msg_init(&m, PT_OK);
	m.re = 6;
	m.u.ok.away = "gone";
	roundtrip(&m, false, &d);
	assert_string_equal(d.u.ok.away, "gone");
	proto_msg_clear(&d);
	assert_int_equal(proto_decode(bad, strlen(bad), 0, &d, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smartfilter),
		cmocka_unit_test(test_smartfilter_bounded),
		cmocka_unit_test(test_namecolour),
		cmocka_unit_test(test_keybind),
		cmocka_unit_test(test_chatlog_names),
		cmocka_unit_test(test_chatlog_line),
		cmocka_unit_test(test_chatlog_write),
		cmocka_unit_test(test_timefmt),
		cmocka_unit_test(test_habit_commands),
		cmocka_unit_test(test_config_save_key),
		cmocka_unit_test(test_config_habits),
		cmocka_unit_test(test_proto_additions),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests_name("habits", tests, NULL, NULL);
}
