/* test_find.c: unit tests of finding your way (src/find): search folding (case, accents,
 * width, Cyrillic, CJK), /search and the schedule filters, the agenda (stars on disk,
 * overlaps, reminders), the iCalendar writer, and the parsing of their commands. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "client/command.h"
#include "find/agenda.h"
#include "find/fold.h"
#include "find/icalout.h"
#include "find/search.h"
#include "model/program.h"
#include "util/files.h"
#include "util/xalloc.h"

#include "tmpdirfix.h"

static char tmpdir[] = "/tmp/confab-find-XXXXXX";

#define MIN (60 * 1000LL)
/* 2020-10-12T14:00:00Z */
#define T0 1602511200000LL

/* A program of five sessions over two days (New York): a and b overlap, c follows b
 * without a gap, d is on day 2, e is Russian and Chinese. */
static const char program_json[] =
    "{\"format\":\"confab-program-1\",\"title\":\"Test, Conf; 2020\","
    "\"timezone\":\"America/New_York\",\"sessions\":["
    "{\"id\":\"a\",\"title\":\"Caf\\u00e9 Cr\\u00e8me Protocols\",\"kind\":\"talk\","
    "\"start\":\"2020-10-12T10:00:00-04:00\",\"end\":\"2020-10-12T11:00:00-04:00\","
    "\"description\":\"About na\\u00efve parsers\",\"speakers\":[\"Zo\\u00eb Ng\"],"
    "\"track\":\"Security\",\"location\":\"Hall A\"},"
    "{\"id\":\"b\",\"title\":\"Censorship metrics\",\"kind\":\"panel\","
    "\"start\":\"2020-10-12T10:30:00-04:00\",\"end\":\"2020-10-12T11:30:00-04:00\","
    "\"description\":\"\",\"speakers\":[],\"track\":\"Measurement\",\"location\":\"Hall B\"},"
    "{\"id\":\"c\",\"title\":\"Lightning\",\"kind\":\"lightning\","
    "\"start\":\"2020-10-12T11:30:00-04:00\",\"end\":\"2020-10-12T12:00:00-04:00\","
    "\"description\":\"\",\"speakers\":[],\"room\":\"lightning-room\"},"
    "{\"id\":\"d\",\"title\":\"Day two\",\"kind\":\"talk\","
    "\"start\":\"2020-10-13T10:00:00-04:00\",\"end\":\"2020-10-13T11:00:00-04:00\","
    "\"description\":\"\",\"speakers\":[],\"track\":\"Security Deep Dive\","
    "\"location\":\"Hall A\"},"
    "{\"id\":\"e\",\"title\":\"\\u0401\\u043b\\u043a\\u0430 \\u4e2d\\u6587\\u4f1a\\u8bae "
    "\\uff21\\uff22\\uff23\",\"kind\":\"talk\","
    "\"start\":\"2020-10-13T12:00:00-04:00\",\"end\":\"2020-10-13T13:00:00-04:00\","
    "\"description\":\"line one\\nline two\",\"speakers\":[\"\\u674e\\u96f7\"]}]}";

static struct program *
test_program(void)
{
	json_error_t jerr;
	json_t *obj = json_loads(program_json, 0, &jerr);
	char *cause = NULL;
	struct program *p;

	if (obj == NULL)
		fail_msg("bad test JSON: %s", jerr.text);
	p = program_from_json(obj, &cause);
	json_decref(obj);
	if (p == NULL)
		fail_msg("program: %s", cause);
	return p;
}

/* fold_text(a) equals b. */
static void
assert_folds_to(const char *a, const char *b)
{
	char *f = fold_text(a);

	assert_string_equal(f, b);
	free(f);
}

/* Latin case and accents, ligatures, sharp s. */
static void
test_fold_latin(void **state)
{
	(void)state;
	assert_folds_to("Café", "cafe");
	assert_folds_to("CAFÉ", "cafe");
	assert_folds_to("E\xcc\x81", "e");            /* E + combining acute */
	assert_folds_to("Straße", "strasse");
	assert_folds_to("ﬁne", "fine");              /* the fi ligature */
	assert_folds_to("Ærø", "ærø");                 /* letters, not accents: kept */
	assert_folds_to("", "");
	assert_folds_to(NULL, "");
}

/* Cyrillic: case, Ё and е, й and и. */
static void
test_fold_cyrillic(void **state)
{
	(void)state;
	assert_folds_to("Ёлка", "елка");
	assert_folds_to("ЁЛКА", "елка");
	assert_folds_to("ПРИВЕТ", "привет");
	assert_folds_to("Йод", "иод");
}

/* Full-width and half-width forms, CJK kept as it is, kana voicing marks kept. */
static void
test_fold_cjk(void **state)
{
	(void)state;
	assert_folds_to("ＡＢＣ１２３", "abc123");
	assert_folds_to("中文会议", "中文会议");
	assert_folds_to("ｶﾞｲﾄﾞ", "ガイド");        /* half-width kana become full-width */
	assert_folds_to("ガイド", "ガイド");         /* the voicing mark stays */
	assert_folds_to("한국어", "한국어");          /* Hangul syllables stay whole */
}

/* Bad UTF-8 is replaced, never crashes; very long text is cut at a character. */
static void
test_fold_bad_input(void **state)
{
	char *big = xmalloc(FOLD_MAX_INPUT * 2 + 1), *f;
	size_t i;

	(void)state;
	assert_folds_to("a\xff" "b", "a\xef\xbf\xbd" "b");
	for (i = 0; i < FOLD_MAX_INPUT * 2; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);   /* é, over and over */
	big[FOLD_MAX_INPUT * 2] = '\0';
	f = fold_text(big);
	assert_int_equal(strlen(f), FOLD_MAX_INPUT / 2);   /* "e" per é kept */
	free(f);
	free(big);
	assert_true(fold_contains("Crème", "creme"));
	assert_false(fold_contains("Crème", "crane"));
	assert_true(fold_contains("anything", ""));
	assert_false(fold_contains(NULL, "x"));
}

/* /search looks in titles, speakers, tracks, locations, chat rooms, abstracts. */
static void
test_search_fields(void **state)
{
	struct program *p = test_program();
	const struct session *ss[8];

	(void)state;
	assert_int_equal(search_program(p, "CAFE CREME", ss, 8), 1);
	assert_string_equal(ss[0]->id, "a");
	assert_int_equal(search_program(p, "zoe", ss, 8), 1);           /* speaker */
	assert_int_equal(search_program(p, "NAIVE", ss, 8), 1);         /* abstract */
	assert_int_equal(search_program(p, "hall b", ss, 8), 1);        /* location */
	assert_string_equal(ss[0]->id, "b");
	assert_int_equal(search_program(p, "lightning-room", ss, 8), 1); /* chat room */
	assert_int_equal(search_program(p, "security", ss, 8), 2);      /* tracks */
	assert_string_equal(ss[0]->id, "a");
	assert_string_equal(ss[1]->id, "d");
	assert_int_equal(search_program(p, "ёлка", ss, 8), 1);
	assert_int_equal(search_program(p, "ЕЛКА", ss, 8), 1);
	assert_int_equal(search_program(p, "会议", ss, 8), 1);
	assert_int_equal(search_program(p, "abc", ss, 8), 1);           /* full-width */
	assert_int_equal(search_program(p, "李雷", ss, 8), 1);
	assert_int_equal(search_program(p, "nothing like it", ss, 8), 0);
	/* more matches than room: the count is still right */
	assert_int_equal(search_program(p, "I", ss, 1), 5);
	program_free(p);
}

/* Filters: day, track and room, together. */
static void
test_filters(void **state)
{
	struct program *p = test_program();
	struct search_filter f = { -1, NULL, NULL };
	size_t i, n;
	const char *tracks[8];

	(void)state;
	assert_false(search_filter_active(&f));
	for (i = 0; i < p->nsessions; i++)
		assert_true(search_filter_pass(p, &p->sessions[i], &f));
	search_filter_set(&f, 't', "SECURITY");
	assert_true(search_filter_active(&f));
	assert_true(search_filter_pass(p, program_find(p, "a"), &f));
	assert_false(search_filter_pass(p, program_find(p, "b"), &f));
	assert_false(search_filter_pass(p, program_find(p, "c"), &f));  /* no track */
	assert_true(search_filter_pass(p, program_find(p, "d"), &f));
	f.day = 0;
	assert_false(search_filter_pass(p, program_find(p, "d"), &f));
	search_filter_set(&f, 't', NULL);
	search_filter_set(&f, 'r', "hall");
	assert_true(search_filter_pass(p, program_find(p, "b"), &f));
	assert_false(search_filter_pass(p, program_find(p, "c"), &f));
	search_filter_set(&f, 'r', "lightning");   /* a chat room counts as a room */
	assert_true(search_filter_pass(p, program_find(p, "c"), &f));
	search_filter_clear(&f);
	assert_false(search_filter_active(&f));
	n = search_distinct(p, 't', tracks, 8);
	assert_int_equal(n, 3);
	assert_string_equal(tracks[0], "Security");
	assert_int_equal(search_distinct(p, 'r', tracks, 8), 2);
	program_free(p);
}

/* Overlaps: a and b share time; b and c only touch. */
static void
test_overlaps(void **state)
{
	struct program *p = test_program();
	const struct session *ss[5];
	bool flags[5];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++)
		ss[i] = &p->sessions[i];
	assert_true(agenda_overlap(ss[0], ss[1]));
	assert_false(agenda_overlap(ss[1], ss[2]));
	assert_int_equal(agenda_overlaps(ss, 5, flags), 2);
	assert_true(flags[0] && flags[1]);
	assert_false(flags[2] || flags[3] || flags[4]);
	/* a long session overlapping one that starts after a shorter one */
	assert_int_equal(agenda_overlaps(ss + 2, 3, flags), 0);
	program_free(p);
}

/* Stars: added once, removed, kept on disk, a bad file said and survived. */
static void
test_agenda_file(void **state)
{
	struct program *p = test_program();
	char *path = xasprintf("%s/state/stars-hub-7450.json", tmpdir), *cause = NULL;
	struct agenda *a = agenda_create(path), *b;
	const struct session *ss[5];
	struct stat st;

	(void)state;
	assert_int_equal(agenda_load(a, &cause), 0);   /* no file yet */
	assert_int_equal(agenda_add(a, "d"), 1);
	assert_int_equal(agenda_add(a, "a"), 1);
	assert_int_equal(agenda_add(a, "a"), 0);
	assert_int_equal(agenda_add(a, "gone"), 1);
	assert_int_equal(agenda_remove(a, "nope"), 0);
	assert_int_equal(agenda_save(a, &cause), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
	b = agenda_create(path);
	assert_int_equal(agenda_load(b, &cause), 0);
	assert_int_equal(agenda_count(b), 3);
	assert_int_equal(agenda_sessions(b, p, ss, 5), 2);   /* program order */
	assert_string_equal(ss[0]->id, "a");
	assert_string_equal(ss[1]->id, "d");
	assert_int_equal(agenda_remove(b, "a"), 1);
	assert_false(agenda_has(b, "a"));
	agenda_free(b);
	assert_int_equal(files_replace(path, "{\"stars\": 3", 11), 0);
	b = agenda_create(path);
	assert_int_equal(agenda_load(b, &cause), -1);
	assert_non_null(strstr(cause, path));
	free(cause);
	assert_int_equal(agenda_count(b), 0);
	agenda_free(b);
	agenda_free(a);
	free(path);
	program_free(p);
}

/* Reminders: due remind_ms before the start, once per start, again when it moves. */
static void
test_reminders(void **state)
{
	struct program *p = test_program();
	struct agenda *a = agenda_create(NULL);
	struct session *s = &p->sessions[0];   /* a, starts at T0 */
	int64_t r = 5 * MIN;

	(void)state;
	assert_int_equal(agenda_next_due(a, p, T0 - 60 * MIN, r), -1);   /* no stars */
	agenda_add(a, "a");
	assert_int_equal(agenda_next_due(a, p, T0 - 60 * MIN, r), 55 * MIN);
	assert_null(agenda_due(a, p, T0 - 5 * MIN - 1, r));
	assert_ptr_equal(agenda_due(a, p, T0 - 5 * MIN, r), s);
	assert_null(agenda_due(a, p, T0 - 4 * MIN, r));                  /* once */
	assert_int_equal(agenda_next_due(a, p, T0 - 4 * MIN, r), -1);
	s->start_ms += 30 * MIN;                                         /* moved: again */
	assert_int_equal(agenda_next_due(a, p, T0, r), 25 * MIN);
	assert_ptr_equal(agenda_due(a, p, T0 + 26 * MIN, r), s);
	assert_null(agenda_due(a, p, T0 + 40 * MIN, 0));                 /* off */
	assert_null(agenda_due(a, p, s->start_ms, r));                   /* started: never */
	agenda_free(a);
	program_free(p);
}

/* Unfolds an iCalendar text: returns its logical lines joined by '\n' (new string);
 * checks the CRLF ends and the 75-octet limit on the way. */
static char *
ical_unfold(const char *ics)
{
	char *out = xstrdup(""), *t;
	const char *p = ics, *eol;
	size_t n;

	while (*p != '\0') {
		eol = strstr(p, "\r\n");
		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n <= 75);
		/* never a broken UTF-8 character at a fold */
		assert_true(n == 0 || ((unsigned char)eol[-1] & 0xC0) != 0xC0);
		if (p[0] == ' ')
			t = xasprintf("%s%.*s", out, (int)n - 1, p + 1);
		else
			t = xasprintf("%s%s%.*s", out, out[0] != '\0' ? "\n" : "", (int)n, p);
		free(out);
		out = t;
		p = eol + 2;
	}
	return out;
}

/* The iCalendar: UTC times, stable UID, escaping, folding without broken characters. */
static void
test_icalendar(void **state)
{
	struct program *p = test_program();
	const struct session *ss[2] = { &p->sessions[0], &p->sessions[4] };
	char *ics, *un, *long_title, *buf = NULL;
	size_t len = 0;

	(void)state;
	free(p->sessions[4].title);
	long_title = xstrdup("Ёлка, ёлка; \\ и ещё очень длинное название доклада, "
	    "которое не помещается в одну строку календаря");
	p->sessions[4].title = long_title;
	ics = icalout_write(p, ss, 2, "hub.example-7450", T0);
	un = ical_unfold(ics);
	assert_non_null(strstr(un, "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:"));
	assert_non_null(strstr(un, "X-WR-CALNAME:Test\\, Conf\\; 2020"));
	assert_non_null(strstr(un, "\nUID:a@hub.example-7450\n"));
	assert_non_null(strstr(un, "\nUID:e@hub.example-7450\n"));
	assert_non_null(strstr(un, "\nDTSTAMP:20201012T140000Z\n"));
	assert_non_null(strstr(un, "\nDTSTART:20201012T140000Z\nDTEND:20201012T150000Z\n"));
	assert_non_null(strstr(un, "\nSUMMARY:Ёлка\\, ёлка\\; \\\\ и ещё"));
	assert_non_null(strstr(un, "\nDESCRIPTION:line one\\nline two\\n\\n李雷\n"));
	assert_non_null(strstr(un, "\nLOCATION:Hall A\n"));
	assert_non_null(strstr(un, "\nCATEGORIES:Security\n"));
	assert_non_null(strstr(un, "END:VEVENT\nEND:VCALENDAR"));
	assert_non_null(strstr(ics, "\r\n "));   /* the long title was folded */
	free(un);
	free(ics);
	/* control characters never reach the file */
	icalout_escape(&buf, &len, "a\x1b[31mb\r\nc\x7f");
	assert_string_equal(buf, "a[31mb\\nc");
	free(buf);
	program_free(p);
}

/* The commands parse, with errors that say what works. */
static void
test_commands(void **state)
{
	struct command cmd;
	char *cause = NULL;

	(void)state;
	assert_int_equal(command_parse("/search  Café crème ", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_SEARCH);
	assert_string_equal(cmd.text, "Café crème");
	command_clear(&cmd);
	assert_int_equal(command_parse("/search", &cmd, &cause), -1);
	assert_non_null(strstr(cause, "/search TEXT"));
	free(cause);
	assert_int_equal(command_parse("/star D1-Spec", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_STAR);
	assert_string_equal(cmd.arg, "d1-spec");
	command_clear(&cmd);
	assert_int_equal(command_parse("/unstar a b", &cmd, &cause), -1);
	free(cause);
	assert_int_equal(command_parse("/agenda", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_AGENDA);
	command_clear(&cmd);
	assert_int_equal(command_parse("/export ~/my agenda.ics", &cmd, &cause), 0);
	assert_int_equal(cmd.type, CMD_EXPORT);
	assert_string_equal(cmd.arg, "~/my agenda.ics");
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter track Open Source", &cmd, &cause), 0);
	assert_string_equal(cmd.arg, "track");
	assert_string_equal(cmd.text, "Open Source");
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter room #hall-a", &cmd, &cause), 0);
	assert_string_equal(cmd.text, "hall-a");
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter day 2", &cmd, &cause), 0);
	assert_int_equal(cmd.day, DAY_INDEX);
	assert_int_equal(cmd.day_index, 2);
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter track all", &cmd, &cause), 0);
	assert_null(cmd.text);
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter OFF", &cmd, &cause), 0);
	assert_string_equal(cmd.arg, "off");
	command_clear(&cmd);
	assert_int_equal(command_parse("/filter day someday", &cmd, &cause), -1);
	assert_non_null(strstr(cause, "/filter day DAY"));
	free(cause);
	assert_int_equal(command_parse("/filter speaker x", &cmd, &cause), -1);
	free(cause);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_latin),
		cmocka_unit_test(test_fold_cyrillic),
		cmocka_unit_test(test_fold_cjk),
		cmocka_unit_test(test_fold_bad_input),
		cmocka_unit_test(test_search_fields),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_overlaps),
		cmocka_unit_test(test_agenda_file),
		cmocka_unit_test(test_reminders),
		cmocka_unit_test(test_icalendar),
		cmocka_unit_test(test_commands),
	};
	int rc;

	if (tmpdirfix_setup(tmpdir) != 0)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tmpdirfix_teardown(tmpdir);
	return rc;
}
