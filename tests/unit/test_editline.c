/* test_editline.c: unit tests for ui/editline (editing keys, history, Tab completion, the
 * horizontally scrolled view, pasted text). */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/editline.h"
#include "util/width.h"

/* Sets the UTF-8 locale the widths rely on. */
static int
setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

/* Types s as if key by key. */
static void
type(struct editline *el, const char *s)
{
	assert_int_equal(editline_insert(el, s, strlen(s)), 1);
}

/* Asserts the buffer and the cursor (the cursor as a byte offset). */
static void
check(const struct editline *el, const char *text, size_t cursor)
{
	assert_string_equal(editline_text(el), text);
	assert_int_equal(editline_length(el), strlen(text));
	assert_int_equal(editline_cursor(el), cursor);
}

/* Insertion, Left/Right, Home/End, Backspace/Delete, by characters. */
static void
test_editline_move_delete(void **state)
{
	struct editline *el = editline_create(0, NULL, NULL);

	(void)state;
	check(el, "", 0);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 0);
	assert_int_equal(editline_op(el, EDITLINE_BACKSPACE), 0);
	assert_int_equal(editline_op(el, EDITLINE_DELETE), 0);
	type(el, "hello");
	check(el, "hello", 5);
	assert_int_equal(editline_op(el, EDITLINE_RIGHT), 0);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	check(el, "hello", 3);
	type(el, "X");
	check(el, "helXlo", 4);
	assert_int_equal(editline_op(el, EDITLINE_BACKSPACE), 1);
	check(el, "hello", 3);
	assert_int_equal(editline_op(el, EDITLINE_DELETE), 1);
	check(el, "helo", 3);
	assert_int_equal(editline_op(el, EDITLINE_HOME), 1);
	check(el, "helo", 0);
	assert_int_equal(editline_op(el, EDITLINE_HOME), 0);
	assert_int_equal(editline_op(el, EDITLINE_END), 1);
	check(el, "helo", 4);
	assert_int_equal(editline_op(el, EDITLINE_END), 0);

	/* Multi-byte characters: CJK, emoji, and a base with combining marks. */
	editline_set(el, "会e\xcc\x81\xf0\x9f\x98\x80");
	check(el, "会e\xcc\x81\xf0\x9f\x98\x80", 10);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	assert_int_equal(editline_cursor(el), 6);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);   /* over é as one */
	assert_int_equal(editline_cursor(el), 3);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	assert_int_equal(editline_cursor(el), 0);
	assert_int_equal(editline_op(el, EDITLINE_RIGHT), 1);
	assert_int_equal(editline_op(el, EDITLINE_RIGHT), 1);
	assert_int_equal(editline_cursor(el), 6);
	assert_int_equal(editline_op(el, EDITLINE_BACKSPACE), 1); /* only the accent */
	check(el, "会e\xf0\x9f\x98\x80", 4);
	assert_int_equal(editline_op(el, EDITLINE_DELETE), 1);    /* the whole emoji */
	check(el, "会e", 4);
	editline_set(el, "ae\xcc\x81z");
	editline_op(el, EDITLINE_HOME);
	editline_op(el, EDITLINE_RIGHT);
	assert_int_equal(editline_op(el, EDITLINE_DELETE), 1);    /* e and its accent */
	check(el, "az", 1);
	editline_free(el);
	editline_free(NULL);
}

/* Ctrl-U, Ctrl-W, Ctrl-K, Ctrl-Y, word moves. */
static void
test_editline_kill(void **state)
{
	struct editline *el = editline_create(0, NULL, NULL);

	(void)state;
	type(el, "say hello  world");
	assert_int_equal(editline_op(el, EDITLINE_KILL_WORD), 1);
	check(el, "say hello  ", 11);
	assert_int_equal(editline_op(el, EDITLINE_KILL_WORD), 1); /* spaces, then the word */
	check(el, "say ", 4);
	assert_int_equal(editline_op(el, EDITLINE_YANK), 1);
	check(el, "say hello  ", 11);
	type(el, "there");
	assert_int_equal(editline_op(el, EDITLINE_WORD_LEFT), 1);
	check(el, "say hello  there", 11);
	assert_int_equal(editline_op(el, EDITLINE_WORD_LEFT), 1);
	assert_int_equal(editline_cursor(el), 4);
	assert_int_equal(editline_op(el, EDITLINE_WORD_RIGHT), 1);
	assert_int_equal(editline_cursor(el), 9);
	assert_int_equal(editline_op(el, EDITLINE_KILL_END), 1);
	check(el, "say hello", 9);
	assert_int_equal(editline_op(el, EDITLINE_KILL_END), 0);
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	assert_int_equal(editline_op(el, EDITLINE_KILL_START), 1);
	check(el, "o", 0);
	assert_int_equal(editline_op(el, EDITLINE_KILL_START), 0);
	assert_int_equal(editline_op(el, EDITLINE_KILL_WORD), 0);
	assert_int_equal(editline_op(el, EDITLINE_YANK), 1);
	check(el, "say hello", 8);
	editline_set(el, "会议 开始");
	assert_int_equal(editline_op(el, EDITLINE_KILL_WORD), 1);
	check(el, "会议 ", 7);
	editline_free(el);
}

/* Up/Down browse the history and keep the line being typed; bounded, no repeats. */
static void
test_editline_history(void **state)
{
	struct editline *el = editline_create(3, NULL, NULL);
	char *line;
	int i;

	(void)state;
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_UP), 0);
	type(el, "one");
	line = editline_submit(el);
	assert_string_equal(line, "one");
	free(line);
	check(el, "", 0);
	for (i = 0; i < 2; i++) {       /* a repeat is recorded once */
		type(el, "two");
		free(editline_submit(el));
	}
	free(editline_submit(el));      /* blank lines are not recorded */
	type(el, "   ");
	line = editline_submit(el);
	assert_string_equal(line, "   ");
	free(line);
	assert_int_equal(editline_history_size(el), 2);
	type(el, "draft");
	assert_int_equal(editline_op(el, EDITLINE_LEFT), 1);
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_UP), 1);
	check(el, "two", 3);
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_UP), 1);
	check(el, "one", 3);
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_UP), 0);
	type(el, "!");                  /* editing a recalled line edits a copy */
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_DOWN), 1);
	check(el, "two", 3);
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_DOWN), 1);
	check(el, "draft", 5);
	assert_int_equal(editline_op(el, EDITLINE_HISTORY_DOWN), 0);
	assert_string_equal(editline_history_get(el, 0), "one");
	assert_null(editline_history_get(el, 2));
	/* Submitting a recalled line records it again as the newest. */
	editline_op(el, EDITLINE_HISTORY_UP);
	editline_op(el, EDITLINE_HISTORY_UP);
	line = editline_submit(el);
	assert_string_equal(line, "one");
	free(line);
	assert_int_equal(editline_history_size(el), 3);
	type(el, "four");               /* full: the oldest goes */
	free(editline_submit(el));
	assert_int_equal(editline_history_size(el), 3);
	assert_string_equal(editline_history_get(el, 0), "two");
	assert_string_equal(editline_history_get(el, 2), "four");
	editline_op(el, EDITLINE_HISTORY_UP);
	check(el, "four", 4);
	editline_free(el);

	el = editline_create(0, NULL, NULL); /* the default bound */
	for (i = 0; i < EDITLINE_HISTORY_DEFAULT + 50; i++) {
		char buf[16];

		snprintf(buf, sizeof buf, "line %d", i);
		editline_set(el, buf);
		free(editline_submit(el));
	}
	assert_int_equal(editline_history_size(el), EDITLINE_HISTORY_DEFAULT);
	assert_string_equal(editline_history_get(el, 0), "line 50");
	editline_free(el);
}

/* Candidates of the tests' completion: commands, nicknames and rooms. */
static void
complete_cb(enum editline_ctx ctx, const char *command, const char *prefix,
    struct editline_matches *m, void *arg)
{
	int *calls = arg;

	(*calls)++;
	(void)prefix;
	if (ctx == EDITLINE_CTX_COMMAND) {
		editline_matches_add(m, "join", EDITLINE_KIND_COMMAND);
		editline_matches_add(m, "help", EDITLINE_KIND_COMMAND);
		editline_matches_add(m, "schedule", EDITLINE_KIND_COMMAND);
		editline_matches_add(m, "speaker", EDITLINE_KIND_COMMAND);
		return;
	}
	if (command == NULL || strcmp(command, "join") != 0) {
		editline_matches_add(m, "alice", EDITLINE_KIND_NICK);
		editline_matches_add(m, "Alex", EDITLINE_KIND_NICK);
		editline_matches_add(m, "bob", EDITLINE_KIND_NICK);
		editline_matches_add(m, "alice", EDITLINE_KIND_NICK); /* duplicate */
	}
	editline_matches_add(m, "lobby", EDITLINE_KIND_ROOM);
	editline_matches_add(m, "hack", EDITLINE_KIND_ROOM);
}

/* Tab completes commands, nicknames and rooms, and cycles through several matches. */
static void
test_editline_complete(void **state)
{
	int calls = 0;
	struct editline *el = editline_create(0, complete_cb, &calls);
	const char *const *m;
	size_t n, cur;

	(void)state;
	/* A unique command gets a space. */
	type(el, "/jo");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "/join ", 6);
	assert_null(editline_matches(el, &n, &cur));
	/* A room after /join. */
	type(el, "lo");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "/join lobby ", 12);
	/* Several commands: cycle forwards and back, sorted. */
	editline_set(el, "/s");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "/schedule ", 10);
	m = editline_matches(el, &n, &cur);
	assert_int_equal(n, 2);
	assert_string_equal(m[0], "schedule");
	assert_string_equal(m[1], "speaker");
	assert_int_equal(cur, 0);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "/speaker ", 9);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1); /* wraps around */
	check(el, "/schedule ", 10);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE_BACK), 1);
	check(el, "/speaker ", 9);
	/* A nickname at the start of the line gets ": " (case-insensitive, sorted). */
	editline_set(el, "al");
	calls = 0;
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "Alex: ", 6);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "alice: ", 7);
	assert_int_equal(calls, 1);     /* cycling does not ask again */
	m = editline_matches(el, &n, &cur);
	assert_int_equal(n, 2);         /* the duplicate is gone */
	/* Another key ends the cycle and keeps the choice. */
	type(el, "hi");
	check(el, "alice: hi", 9);
	assert_null(editline_matches(el, &n, &cur));
	/* A nickname elsewhere gets a space; the text after the cursor stays. */
	editline_set(el, "thanks bo and");
	editline_op(el, EDITLINE_WORD_LEFT);
	editline_op(el, EDITLINE_LEFT);
	assert_int_equal(editline_cursor(el), 9);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 1);
	check(el, "thanks bob and", 10);  /* no second space */
	/* No match, an empty word, or the cursor at 0: nothing happens. */
	editline_set(el, "zz");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 0);
	check(el, "zz", 2);
	editline_set(el, "hello ");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 0);
	editline_set(el, "/x");
	editline_op(el, EDITLINE_HOME);
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 0);
	/* "/" alone offers every command; Shift-Tab starts from the last. */
	editline_set(el, "/");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE_BACK), 1);
	check(el, "/speaker ", 9);
	/* "//text" is a line to say, not a command. */
	editline_set(el, "//b");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 0);
	editline_free(el);

	el = editline_create(0, NULL, NULL); /* no callback: Tab does nothing */
	type(el, "/jo");
	assert_int_equal(editline_op(el, EDITLINE_COMPLETE), 0);
	editline_free(el);
}

/* Pasted text: newlines and tabs become spaces, controls go, bad bytes become U+FFFD,
 * and nothing is submitted. */
static void
test_editline_paste(void **state)
{
	struct editline *el = editline_create(0, NULL, NULL);
	char *big;

	(void)state;
	type(el, "first line\nsecond\r\nthird\rfourth\tend");
	check(el, "first line second third fourth end", 34);
	assert_int_equal(editline_history_size(el), 0);
	editline_set(el, "");
	type(el, "a\x1b[31mb\x7f\xc2\x9b\xff" "c");
	check(el, "a[31mb\xef\xbf\xbd" "c", 10);
	assert_int_equal(editline_insert(el, "\x01\x02", 2), 0); /* nothing left to insert */
	editline_set(el, "\xe2\x80\xae" "x");                    /* bidi kept, shown visibly */
	assert_int_equal(editline_length(el), 4);

	/* The buffer is bounded; an insertion stops at a character boundary. */
	big = malloc(EDITLINE_MAX_BYTES + 10);
	assert_non_null(big);
	memset(big, 'x', EDITLINE_MAX_BYTES - 1);
	big[EDITLINE_MAX_BYTES - 1] = '\0';
	editline_set(el, big);
	assert_int_equal(editline_length(el), EDITLINE_MAX_BYTES - 1);
	assert_int_equal(editline_insert(el, "会", 3), 0);
	assert_int_equal(editline_insert(el, "ab", 2), 1);
	assert_int_equal(editline_length(el), EDITLINE_MAX_BYTES);
	assert_int_equal(editline_op(el, EDITLINE_YANK), 0);
	free(big);
	editline_free(el);
}

/* Checks a view: the cursor is inside the field and the shown text fits. */
static void
check_view(struct editline *el, size_t cols, struct editline_view *v)
{
	const char *t = editline_text(el);

	editline_view(el, cols, v);
	assert_true(v->cursor_col < cols);
	assert_true(width_text(t + v->start, v->len) <= cols);
	assert_true(v->start <= editline_cursor(el));
	assert_int_equal(v->cursor_col, width_text(t + v->start, editline_cursor(el) - v->start));
	assert_int_equal(v->more_left, v->start > 0);
	assert_int_equal(v->more_right, v->start + v->len < editline_length(el));
}

/* The view scrolls to keep the cursor visible, with wide characters too. */
static void
test_editline_view(void **state)
{
	struct editline *el = editline_create(0, NULL, NULL);
	struct editline_view v;
	size_t cols, i, start;

	(void)state;
	type(el, "hello");
	check_view(el, 10, &v);
	assert_int_equal(v.start, 0);
	assert_int_equal(v.len, 5);
	assert_int_equal(v.cursor_col, 5);
	check_view(el, 5, &v);         /* the cursor at the end needs a column */
	assert_int_equal(v.start, 1);
	assert_int_equal(v.cursor_col, 4);
	assert_int_equal(v.more_left, 1);
	editline_view(el, 0, &v);
	assert_int_equal(v.len, 0);

	editline_set(el, "");
	type(el, "abcdefghijklmnopqrstuvwxyz0123456789");
	check_view(el, 10, &v);
	assert_int_equal(v.cursor_col, 9);
	start = v.start;
	editline_op(el, EDITLINE_LEFT);  /* moving inside the field does not scroll */
	check_view(el, 10, &v);
	assert_int_equal(v.start, start);
	assert_int_equal(v.cursor_col, 8);
	editline_op(el, EDITLINE_HOME);
	check_view(el, 10, &v);
	assert_int_equal(v.start, 0);
	assert_int_equal(v.cursor_col, 0);
	assert_int_equal(v.more_right, 1);
	/* Walking right then left across the whole line, at several widths. */
	for (cols = 1; cols <= 12; cols++) {
		editline_op(el, EDITLINE_HOME);
		for (i = 0; i < 40; i++) {
			check_view(el, cols, &v);
			editline_op(el, EDITLINE_RIGHT);
		}
		for (i = 0; i < 40; i++) {
			check_view(el, cols, &v);
			editline_op(el, EDITLINE_LEFT);
		}
	}
	/* Wide characters are never cut in half. */
	editline_set(el, "会议会议会议会议会议");
	for (cols = 2; cols <= 9; cols++) {
		editline_op(el, EDITLINE_END);
		for (i = 0; i < 12; i++) {
			check_view(el, cols, &v);
			editline_op(el, EDITLINE_LEFT);
		}
	}
	/* After deleting, the view shows as much as fits again. */
	editline_set(el, "abcdefghijklmnopqrstuvwxyz");
	check_view(el, 10, &v);
	assert_true(v.start > 0);
	editline_op(el, EDITLINE_HOME);
	editline_op(el, EDITLINE_KILL_END);
	type(el, "abc");
	check_view(el, 10, &v);
	assert_int_equal(v.start, 0);
	editline_free(el);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_editline_move_delete),
		cmocka_unit_test(test_editline_kill),
		cmocka_unit_test(test_editline_history),
		cmocka_unit_test(test_editline_complete),
		cmocka_unit_test(test_editline_paste),
		cmocka_unit_test(test_editline_view),
	};

	return cmocka_run_group_tests_name("editline", tests, setup_locale, NULL);
}
