/* test_import_text.c: unit tests for the parts of src/import that work on strings: HTML,
 * escaped HTML and Markdown made plain text, character references, one-line text and
 * cuts; the kinds mapping and its file; dates, times of day and durations as exports
 * write them; local times across the changes of the clocks. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "import/import_int.h"
#include "import/import_kinds.h"
#include "import/import_text.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* Asserts that import_text_clean(in) is want. */
static void
assert_clean(const char *in, const char *want)
{
	char *got = import_text_clean(in);

	if (strcmp(got, want) != 0)
		fail_msg("import_text_clean(\"%s\")\n got:  \"%s\"\n want: \"%s\"", in, got, want);
	free(got);
}

/* HTML: paragraphs, line breaks, lists, links, entities, dropped tags and scripts. */
static void
test_html(void **state)
{
	(void)state;
	assert_clean("<p>First <strong>para</strong> with a <a href=\"https://example.org/x\">"
	    "link</a>.</p><p>Second para:</p><ul><li>one</li><li>two &amp; three</li></ul>",
	    "First para with a link (https://example.org/x).\n\nSecond para:\n\n- one\n"
	    "- two & three");
	/* numbered lists keep their numbers; nested lists are indented */
	assert_clean("<ol><li>a</li><li>b<ul><li>b1</li></ul></li></ol><ol start=\"7\">"
	    "<li>g</li></ol>", "1. a\n2. b\n  - b1\n\n7. g");
	/* a link whose text is its address is written once; mailto shows the address */
	assert_clean("<a href=\"https://example.org/\">https://example.org/</a> and "
	    "<a href=\"https://example.org/\">example.org</a>, <a href=\"mailto:a@b.c\">mail "
	    "me</a>, <a href=\"#top\">top</a>, <a href=\"https://e.org\"></a>",
	    "https://example.org/ and example.org, mail me (a@b.c), top, https://e.org");
	/* <br>, </br> (camp2019 writes it) and blank lines; white space collapsed */
	assert_clean("one<br>two</br>\r\n\r\nthree  <br/><br/>four\t\tfive",
	    "one\ntwo\n\nthree\n\nfour five");
	/* inline tags only: the author's newlines are kept (camp2019 descriptions) */
	assert_clean("Intro with <a href=\"https://example.org/a\">a tool</a>.\r\n\r\n"
	    "Second paragraph.\r\nSame paragraph line.", "Intro with a tool "
	    "(https://example.org/a).\n\nSecond paragraph.\nSame paragraph line.");
	/* block tags: newlines in the text are spaces */
	assert_clean("<p>a\nb</p>\n<p>c</p>", "a b\n\nc");
	/* scripts, styles, comments and doctype go; unknown tags are dropped */
	assert_clean("<!DOCTYPE html><style>p{}</style><p>x<!-- hidden --><script>alert(1)"
	    "</script><blink>y</blink></p>", "xy");
	/* headings, pre, tables, images */
	assert_clean("<h2>Title</h2><pre>  keep\n    this</pre><table><tr><td>a</td><td>b"
	    "</td></tr></table><img src=\"x.png\" alt=\"a picture\">",
	    "Title\n\n  keep\n    this\n\na b\n\na picture");
	/* entities: named, decimal, hex; unknown and broken ones stay */
	assert_clean("<p>&eacute;&#233;&#xE9; &ndash; &hellip; &bogus; &amp x &#0; &#x110000;</p>",
	    "\xc3\xa9\xc3\xa9\xc3\xa9 \xe2\x80\x93 \xe2\x80\xa6 &bogus; &amp x \xef\xbf\xbd "
	    "\xef\xbf\xbd");
	/* "a < b" is not HTML; a tag that never ends is text */
	assert_clean("a < b and c > d", "a < b and c > d");
	assert_clean("<p>x <a href=\"y", "x <a href=\"y");
	/* a script mentioned in plain text is not markup */
	assert_clean("Never trust <script> tags.", "Never trust <script> tags.");
}

/* HTML escaped once more (FOSDEM's abstracts seen through a second escape). */
static void
test_escaped_html(void **state)
{
	(void)state;
	assert_clean("&lt;p&gt;Escaped &amp;amp; shown&lt;/p&gt;&lt;p&gt;Line&lt;br/&gt;"
	    "break&lt;/p&gt;", "Escaped & shown\n\nLine\nbreak");
	assert_clean("&lt;ul&gt;&lt;li&gt;x&lt;/li&gt;&lt;/ul&gt;", "- x");
	/* a "&lt;" that is no tag stays text */
	assert_clean("1 &lt; 2", "1 < 2");
}

/* Markdown (pretalx): headings, emphasis, links, code, lists, rules, escapes. */
static void
test_markdown(void **state)
{
	(void)state;
	assert_clean("## Heading\n\nSome **bold** and *em* text with a [link]"
	    "(https://example.org/md) and `code`.\n\n* item one\n* item two\n\n1. first\n"
	    "2. second\n\nsnake_case_stays and 2 * 3 = 6.",
	    "Heading\n\nSome bold and em text with a link (https://example.org/md) and code."
	    "\n\n- item one\n- item two\n\n1. first\n2. second\n\nsnake_case_stays and "
	    "2 * 3 = 6.");
	assert_clean("Setext\n======\n\ntext\n\n---\n\nmore", "Setext\n\ntext\n\nmore");
	assert_clean("a ~~gone~~ b, ~5 min, __strong__ _em_ \\*not em\\*", "a gone b, ~5 min, "
	    "strong em *not em*");
	assert_clean("![a picture](https://example.org/p.png) <https://example.org/auto> "
	    "[https://e.org](https://e.org) [ref][1]", "a picture https://example.org/auto "
	    "https://e.org [ref][1]");
	assert_clean("```\n**kept** as is\n```\n> quoted *text*", "**kept** as is\n> quoted "
	    "text");
	assert_clean("- nested\n  - deeper\n    - deepest", "- nested\n  - deeper\n"
	    "    - deepest");
	/* plain text passes with its lines */
	assert_clean("Line one\nLine two\n\n\n\nAfter blank lines   \n", "Line one\nLine two"
	    "\n\nAfter blank lines");
	/* emphasis that never closes, nested deeply, stays readable */
	assert_clean("*a **b *c* d** e*", "a b c d e");
	assert_clean("**unclosed and *half", "**unclosed and *half");
}

/* Controls, ill-formed UTF-8, NUL-free output; NULL is "". */
static void
test_clean_bytes(void **state)
{
	char *s;

	(void)state;
	assert_clean("a\x01" "b\tc\x7f" "d", "a b c d");
	assert_clean("bad \xff\xfe utf-8", "bad \xef\xbf\xbd\xef\xbf\xbd utf-8");
	s = import_text_clean(NULL);
	assert_string_equal(s, "");
	free(s);
}

/* One-line text: titles and names. */
static void
test_line(void **state)
{
	char *s;

	(void)state;
	s = import_text_line("  Hacking Containers and Kubernetes  ");
	assert_string_equal(s, "Hacking Containers and Kubernetes");
	free(s);
	s = import_text_line("Q&amp;A &lt;live&gt;\n  now");
	assert_string_equal(s, "Q&A <live> now");
	free(s);
	s = import_text_line("<b>Bold</b> title");
	assert_string_equal(s, "Bold title");
	free(s);
	s = import_text_line("R&D <3");
	assert_string_equal(s, "R&D <3");
	free(s);
}

/* Cuts keep whole characters and prefer a word break; an ellipsis ends them. */
static void
test_cut(void **state)
{
	char buf[64];

	(void)state;
	strcpy(buf, "short");
	assert_int_equal(import_text_cut(buf, 10), 0);
	assert_string_equal(buf, "short");
	strcpy(buf, "one two three four five");
	assert_int_equal(import_text_cut(buf, 16), 1);
	assert_string_equal(buf, "one two three\xe2\x80\xa6");
	/* a cut inside a character backs up to its start */
	strcpy(buf, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_int_equal(import_text_cut(buf, 8), 1);
	assert_true(strlen(buf) <= 8);
	assert_string_equal(buf, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
}

/* Parses kinds rules, failing the test when they do not parse. */
static struct import_kinds *
kinds(const char *text)
{
	struct import_kinds *k;
	char *cause = NULL;

	k = import_kinds_parse(text, strlen(text), "kinds.txt", &cause);
	if (k == NULL)
		fail_msg("kinds: %s", cause);
	return k;
}

/* The built-in mapping: type, track and title words. */
static void
test_kinds_builtin(void **state)
{
	static const struct {
		const char *type, *track, *title;
		enum session_kind want;
	} cases[] = {
		{ "lecture", "Security", "Opening", SK_TALK },
		{ "Lightning Talks", NULL, "Day 2", SK_LIGHTNING },
		{ "lightningtalk", NULL, "x", SK_LIGHTNING },          /* FOSDEM */
		{ "Talk", "Lightning", "x", SK_LIGHTNING },
		{ NULL, NULL, "Lightning Talks Day 2", SK_LIGHTNING },
		{ "Panel", NULL, "x", SK_PANEL },
		{ "Talk", NULL, "Podiumsdiskussion: Datenschutz", SK_PANEL },
		{ "Diskussion", NULL, "x", SK_DISCUSSION },           /* jev22 */
		{ "Gespr\xc3\xa4" "ch", NULL, "x", SK_DISCUSSION },
		{ "GESPR\xc3\x84" "CH", NULL, "x", SK_DISCUSSION },   /* folded */
		{ "workshop", NULL, "Open Discussion: what next?", SK_DISCUSSION },
		{ "bof", NULL, "x", SK_DISCUSSION },
		{ "other", "BOF - Track A", "x", SK_DISCUSSION },
		{ NULL, NULL, "Birds of a Feather", SK_DISCUSSION },
		{ "other", NULL, "Coffee Break", SK_BREAK },
		{ NULL, NULL, "Lunch", SK_BREAK },
		{ "Talk", NULL, "Startup Pitches", SK_PITCHES },
		{ "pitch", NULL, "x", SK_PITCHES },
		{ "Workshop", "Hardware", "Soldering", SK_TALK },
		{ "Talk", NULL, "Breaking crypto", SK_TALK },          /* not "break" */
		{ NULL, NULL, NULL, SK_TALK },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (import_kinds_classify(NULL, cases[i].type, cases[i].track, cases[i].title) !=
		    cases[i].want)
			fail_msg("case %zu (%s / %s / %s): not %s", i, cases[i].type,
			    cases[i].track, cases[i].title, session_kind_name(cases[i].want));
	/* the built-in text parses as a kinds file */
	import_kinds_free(kinds(import_kinds_builtin()));
}

/* A kinds file: its rules first, then the built-in ones; fields, phrases, prefixes. */
static void
test_kinds_file(void **state)
{
	struct import_kinds *k;

	(void)state;
	k = kinds("# comment\n\ntype  workshop -> discussion   # trailing comment\r\n"
	    "title opening -> break\nany ask us* -> panel\ntrack * -> pitches\n");
	assert_int_equal(import_kinds_classify(k, "Workshop", NULL, "x"), SK_DISCUSSION);
	assert_int_equal(import_kinds_classify(k, "lecture", NULL, "Opening"), SK_BREAK);
	assert_int_equal(import_kinds_classify(k, NULL, NULL, "Ask Us Anything"), SK_PANEL);
	assert_int_equal(import_kinds_classify(k, "Ask us", NULL, "x"), SK_PANEL);
	assert_int_equal(import_kinds_classify(k, "x", NULL, "ask"), SK_TALK);
	/* "track *": any track at all */
	assert_int_equal(import_kinds_classify(k, NULL, "Web", "x"), SK_PITCHES);
	/* the built-in rules still apply after the file's */
	assert_int_equal(import_kinds_classify(k, "Panel", NULL, "x"), SK_PANEL);
	import_kinds_free(k);
	/* an empty file changes nothing */
	k = kinds("");
	assert_int_equal(import_kinds_classify(k, "Panel", NULL, "x"), SK_PANEL);
	import_kinds_free(k);
	import_kinds_free(NULL);
}

/* Asserts that kinds text is refused with exactly want. */
static void
assert_kinds_error(const char *text, size_t len, const char *want)
{
	struct import_kinds *k;
	char *cause = NULL;

	k = import_kinds_parse(text, len, "kinds.txt", &cause);
	if (k != NULL)
		fail_msg("accepted: %s", text);
	if (strcmp(cause, want) != 0)
		fail_msg("got \"%s\", want \"%s\"", cause, want);
	free(cause);
}

/* Errors in a kinds file name the file and the line. */
static void
test_kinds_errors(void **state)
{
	char *big, *cause = NULL;
	size_t i;

	(void)state;
	assert_kinds_error("type x -> talk\nkind keynote -> talk\n", 35, "kinds.txt:2: unknown "
	    "field \"kind\" (expected type, track, title or any)");
	assert_kinds_error("\ntitle keynote -> keynote\n", 26, "kinds.txt:2: unknown kind "
	    "\"keynote\" (expected panel, talk, lightning, pitches, discussion or break)");
	assert_kinds_error("title keynote talk\n", 19, "kinds.txt:1: expected FIELD WORDS... "
	    "-> KIND");
	assert_kinds_error("title -> talk\n", 14, "kinds.txt:1: expected FIELD WORDS... -> "
	    "KIND");
	assert_kinds_error("title a -> talk -> panel\n", 25, "kinds.txt:1: expected FIELD "
	    "WORDS... -> KIND");
	assert_kinds_error("title q&a -> panel\n", 19, "kinds.txt:1: \"q&a\" is not one word "
	    "(letters and digits, maybe ending in '*')");
	assert_kinds_error("title a b c d e f g h i -> panel\n", 33, "kinds.txt:1: more than 8 "
	    "words");
	assert_kinds_error("title \xff -> panel\n", 17, "kinds.txt:1: not UTF-8 text");
	assert_kinds_error("title a\0b -> panel\n", 19, "kinds.txt:1: not UTF-8 text");
	big = xmalloc(2000);
	memset(big, 'a', 1999);
	big[1999] = '\0';
	assert_kinds_error(big, 1999, "kinds.txt:1: line longer than 1000 bytes");
	free(big);
	big = xmalloc(1001 * 16 + 1);
	for (i = 0, big[0] = '\0'; i < 1001; i++)
		strcat(big, "title x -> talk\n");
	assert_kinds_error(big, strlen(big), "kinds.txt:1001: more than 1000 rules");
	free(big);
	/* a file that cannot be read says so, with its name */
	assert_null(import_kinds_load("/nonexistent/kinds.txt", &cause));
	assert_non_null(strstr(cause, "/nonexistent/kinds.txt: "));
	free(cause);
}

/* Durations in every form exports use; nonsense is refused. */
static void
test_durations(void **state)
{
	static const struct {
		const char *s;
		int64_t ms;
	} good[] = {
		{ "0:45", 45 * 60000LL }, { "00:45", 45 * 60000LL }, { "01:30", 90 * 60000LL },
		{ "1:00", 3600000LL }, { "4:00", 4 * 3600000LL }, { "26:00", 26 * 3600000LL },
		{ "00:20:30", 1230000LL }, { "01:00:00", 3600000LL },
		{ "0:05:00", 300000LL },                 /* H:MM:SS when the day is 0 */
		{ "1:30:00", 90 * 60000LL },             /* H:MM:SS: 30 is no hour */
		{ "1:02:00", 26 * 3600000LL },           /* D:HH:MM */
		{ "2:00:30", (48 * 60 + 30) * 60000LL },
		{ "45", 45 * 60000LL }, { "00:00", 0 },
	};
	static const char *const bad[] = {
		"", "1h", "1:5", "1:60", "1:00:60", "10:61:00", "1:2:3", "1:00:00:00", "-1:00",
		"8:00:00:00", "169:00", "9:23:59", "10080:01", ":30", "1::00", " 1:00",
	};
	int64_t ms;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (import_time_duration(good[i].s, &ms) != 0 || ms != good[i].ms)
			fail_msg("duration \"%s\": want %lld ms", good[i].s, (long long)good[i].ms);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (import_time_duration(bad[i], &ms) == 0)
			fail_msg("duration \"%s\" accepted (%lld ms)", bad[i], (long long)ms);
	assert_int_equal(import_time_duration(NULL, &ms), -1);
}

/* Dates and times, with and without offsets; times of day. */
static void
test_datetimes(void **state)
{
	struct import_civil c;
	int64_t ms;
	int secs;

	(void)state;
	assert_int_equal(import_time_datetime("2019-08-22T12:00:00+02:00", &c), 0);
	assert_int_equal(import_time_civil_ms(&c, NULL, &ms), 0);
	assert_int_equal(ms, 1566468000000LL);
	assert_int_equal(import_time_datetime("2019-08-22 10:00:00.5Z", &c), 0);
	assert_int_equal(import_time_civil_ms(&c, NULL, &ms), 0);
	assert_int_equal(ms, 1566468000000LL);
	assert_int_equal(import_time_datetime("2019-08-22T12:00+0200", &c), 0);
	assert_int_equal(import_time_civil_ms(&c, NULL, &ms), 0);
	assert_int_equal(ms, 1566468000000LL);
	assert_int_equal(import_time_datetime("2022-12-27T10:30:00-05", &c), 0);
	assert_int_equal(import_time_civil_ms(&c, NULL, &ms), 0);
	assert_int_equal(ms, 1672155000000LL);          /* jev22's remote event, 15:30Z */
	/* without an offset: local time in the zone given */
	assert_int_equal(import_time_datetime("2019-08-22T12:00:00", &c), 0);
	assert_false(c.has_offset);
	assert_int_equal(import_time_civil_ms(&c, NULL, &ms), -1);
	assert_int_equal(import_time_civil_ms(&c, "Europe/Berlin", &ms), 0);
	assert_int_equal(ms, 1566468000000LL);
	assert_int_equal(import_time_datetime("2019-08-22", &c), 0);
	assert_false(c.has_time);
	assert_int_equal(import_time_datetime("2019-13-01", &c), -1);
	assert_int_equal(import_time_datetime("2023-02-29", &c), -1);
	assert_int_equal(import_time_datetime("2024-02-29", &c), 0);
	assert_int_equal(import_time_datetime("2024-04-31T10:00Z", &c), -1);
	assert_int_equal(import_time_datetime("2019-08-22T25:00", &c), -1);
	assert_int_equal(import_time_datetime("2019-08-22T12:00:00+2", &c), -1);
	assert_int_equal(import_time_datetime("tomorrow", &c), -1);
	assert_int_equal(import_time_datetime("2019-08-22T12:00:00 CEST", &c), -1);
	assert_int_equal(import_time_clock("09:00", &secs), 0);
	assert_int_equal(secs, 9 * 3600);
	assert_int_equal(import_time_clock("9:05:30", &secs), 0);
	assert_int_equal(secs, 9 * 3600 + 330);
	assert_int_equal(import_time_clock("24:00", &secs), -1);
	assert_int_equal(import_time_clock("12:5", &secs), -1);
}

/* Local times across the changes of the clocks: a skipped hour, a repeated hour. */
static void
test_civil_dst(void **state)
{
	int64_t ms;

	(void)state;
	/* Berlin, 31 March 2024: 02:00 CET becomes 03:00 CEST */
	assert_int_equal(tz_civil_ms("Europe/Berlin", 2024, 3, 31, 1, 30, 0, &ms), 0);
	assert_int_equal(ms, 1711845000000LL);          /* 00:30Z */
	assert_int_equal(tz_civil_ms("Europe/Berlin", 2024, 3, 31, 3, 30, 0, &ms), 0);
	assert_int_equal(ms, 1711848600000LL);          /* 01:30Z */
	/* 02:30 does not exist: read with the offset before the gap, it is 03:30 CEST */
	assert_int_equal(tz_civil_ms("Europe/Berlin", 2024, 3, 31, 2, 30, 0, &ms), 0);
	assert_int_equal(ms, 1711848600000LL);
	/* New York, 3 November 2024: 01:30 happens twice; the first is EDT */
	assert_int_equal(tz_civil_ms("America/New_York", 2024, 11, 3, 1, 30, 0, &ms), 0);
	assert_int_equal(ms, 1730611800000LL);          /* 05:30Z */
	/* Kiritimati (UTC+14) and Pago Pago (UTC-11) */
	assert_int_equal(tz_civil_ms("Pacific/Kiritimati", 2024, 1, 1, 0, 0, 0, &ms), 0);
	assert_int_equal(ms, 1704016800000LL);          /* 2023-12-31T10:00Z */
	assert_int_equal(tz_civil_ms("Pacific/Pago_Pago", 2024, 1, 1, 0, 0, 0, &ms), 0);
	assert_int_equal(ms, 1704106800000LL);          /* 11:00Z */
	assert_int_equal(tz_civil_ms("Mars/Olympus", 2024, 1, 1, 0, 0, 0, &ms), -1);
	assert_int_equal(tz_civil_ms("UTC", 2023, 2, 29, 0, 0, 0, &ms), -1);
	assert_int_equal(tz_civil_ms("UTC", 2024, 2, 29, 0, 0, 0, &ms), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_escaped_html),
		cmocka_unit_test(test_markdown),
		cmocka_unit_test(test_clean_bytes),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_kinds_builtin),
		cmocka_unit_test(test_kinds_file),
		cmocka_unit_test(test_kinds_errors),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_datetimes),
		cmocka_unit_test(test_civil_dst),
	};

	return cmocka_run_group_tests_name("import_text", tests, NULL, NULL);
}
