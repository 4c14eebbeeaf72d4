/* test_width.c: unit tests for src/util/width (column widths, fitting, truncating and
 * wrapping of English, Russian and Chinese text). */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/sanitize.h"
#include "util/width.h"

static const char english[] = "The quick brown fox jumps over the lazy dog while the "
    "facilitator keeps time for each lightning talk, and nobody runs over.";
static const char russian[] = "Съешь же ещё этих мягких французских булок, да выпей чаю. "
    "Докладчик, у вас осталась одна минута.";
static const char chinese[] = "欢迎参加本次会议。请在发言前举手，主持人会为每位发言人计时。";

/* Sets the UTF-8 locale every test relies on. */
static int
setup_locale(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return -1;
	return 0;
}

/* Widths of ASCII, CJK, emoji, combining marks, controls and ill-formed bytes. */
static void
test_width_basic(void **state)
{
	(void)state;
	assert_int_equal(width_str(NULL), 0);
	assert_int_equal(width_str(""), 0);
	assert_int_equal(width_str("abc"), 3);
	assert_int_equal(width_str("会议"), 4);
	assert_int_equal(width_str("会议 room"), 9);
	assert_int_equal(width_str("\xf0\x9f\x98\x80"), 2);        /* U+1F600 */
	assert_int_equal(width_str("\xf0\x9f\x8e\x89!"), 3);       /* U+1F389 party popper */
	assert_int_equal(width_str("e\xcc\x81"), 1);               /* e + U+0301 */
	assert_int_equal(width_str("\xcc\x81"), 0);                /* a lone combining mark */
	assert_int_equal(width_str("Приве\xcc\x81т"), 6);          /* Russian with stress */
	assert_int_equal(width_str("\x1b"), 2);                    /* "^[" */
	assert_int_equal(width_str("\x7f"), 2);                    /* "^?" */
	assert_int_equal(width_str("\n"), 2);                      /* "^J" */
	assert_int_equal(width_str("\t"), 1);                      /* a space */
	assert_int_equal(width_str("\xe2\x80\xae"), 8);            /* "<U+202E>" */
	assert_int_equal(width_str("\xc2\x9b"), 8);                /* C1 CSI */
	assert_int_equal(width_str("\xff\xfe"), 2);                /* two U+FFFD */
	assert_int_equal(width_text("a\0b", 3), 4);               /* NUL is "^@" */
	assert_int_equal(width_cp('a'), 1);
	assert_int_equal(width_cp(0x4F1A), 2);
	assert_int_equal(width_cp(0x0301), 0);
	assert_int_equal(width_cp(0x200B), 0);                     /* zero width space */
	assert_int_equal(width_cp(0xFF01), 2);                     /* fullwidth "!" */
	assert_int_equal(width_cp(0xAC00), 2);                     /* Hangul */
	assert_true(width_locale_utf8());
}

/* Raw text and its sanitised rendering always measure the same. */
static void
test_width_matches_sanitize(void **state)
{
	static const char *const samples[] = {
		"plain", "\x1b[31mred\x1b[0m", "\x1b]52;c;aGk=\x07", "a\tb", "\xc2\x9b" "2J",
		"\xe2\x80\xae" "evil" "\xe2\x80\xac", "\xe2\x81\xa6x\xe2\x81\xa9", "\xd8\x9c",
		"\xe2\x80\x8e\xe2\x80\x8f", "\xe2\x80\xa8\xe2\x80\xa9", "\xef\xbb\xbf", "\xff\xc0",
		"\xed\xa0\x80", "会议\x7f", "\x01\x1f", "e\xcc\x81", "\xf0\x9f\x98\x80"
	};
	size_t i;
	char *t;

	(void)state;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		t = sanitize_text(samples[i], strlen(samples[i]), 0);
		if (width_str(samples[i]) != width_str(t))
			fail_msg("sample %zu: raw %zu, sanitised \"%s\" %zu", i,
			    width_str(samples[i]), t, width_str(t));
		free(t);
	}
}

/* The longest prefix (and suffix) that fits never splits a character. */
static void
test_width_fit(void **state)
{
	const char *s = "会议abc";
	size_t used;

	(void)state;
	assert_int_equal(width_fit(s, strlen(s), 0, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(width_fit(s, strlen(s), 1, &used), 0);   /* half a wide char: no */
	assert_int_equal(width_fit(s, strlen(s), 2, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(width_fit(s, strlen(s), 3, &used), 3);
	assert_int_equal(used, 2);
	assert_int_equal(width_fit(s, strlen(s), 5, &used), 7);
	assert_int_equal(used, 5);
	assert_int_equal(width_fit(s, strlen(s), 100, &used), strlen(s));
	assert_int_equal(used, 7);
	assert_int_equal(width_fit("ae\xcc\x81x", 5, 2, &used), 4); /* keeps the accent */
	assert_int_equal(used, 2);
	assert_int_equal(width_fit("\x1b", 1, 1, NULL), 0);         /* "^[" needs 2 */
	assert_int_equal(width_fit("\xff\xff", 2, 1, NULL), 1);

	s = "abc会议";
	assert_int_equal(width_fit_end(s, strlen(s), 3, &used), 6);
	assert_int_equal(used, 2);
	assert_int_equal(width_fit_end(s, strlen(s), 4, &used), 3);
	assert_int_equal(used, 4);
	assert_int_equal(width_fit_end(s, strlen(s), 100, &used), 0);
	assert_int_equal(width_fit_end(s, strlen(s), 0, &used), strlen(s));
	assert_int_equal(used, 0);
	assert_int_equal(width_fit_end("ae\xcc\x81", 4, 1, &used), 1); /* never a lone accent */
	assert_int_equal(used, 1);
}

/* Truncating with an ellipsis, padding and right-aligning. */
static void
test_width_truncate(void **state)
{
	char *t;

	(void)state;
	t = width_truncate("hello world", 8, 0);
	assert_string_equal(t, "hello w…");
	free(t);
	t = width_truncate("hello world", 8, WIDTH_ASCII);
	assert_string_equal(t, "hello...");
	free(t);
	t = width_truncate("hello", 5, 0);
	assert_string_equal(t, "hello");
	free(t);
	t = width_truncate("hi", 5, WIDTH_PAD);
	assert_string_equal(t, "hi   ");
	free(t);
	t = width_truncate("hi", 5, WIDTH_PAD | WIDTH_RIGHT);
	assert_string_equal(t, "   hi");
	free(t);
	t = width_truncate("会议会议", 5, WIDTH_PAD);
	assert_string_equal(t, "会议…");
	free(t);
	t = width_truncate("会议会议", 4, WIDTH_PAD);
	assert_string_equal(t, "会… ");
	assert_int_equal(width_str(t), 4);
	free(t);
	t = width_truncate("abcdef", 2, WIDTH_ASCII);
	assert_string_equal(t, "ab");                       /* no room for "..." */
	free(t);
	t = width_truncate("abc", 0, WIDTH_PAD);
	assert_string_equal(t, "");
	free(t);
	t = width_truncate(NULL, 3, WIDTH_PAD);
	assert_string_equal(t, "   ");
	free(t);
	t = width_truncate("ae\xcc\x81z", 3, 0);
	assert_string_equal(t, "ae\xcc\x81z");               /* fits, accent kept */
	free(t);
	t = width_truncate("ae\xcc\x81z", 2, 0);
	assert_string_equal(t, "a…");
	free(t);
	t = width_truncate("abe\xcc\x81z", 3, 0);
	assert_string_equal(t, "ab…");                      /* the accent goes with its base */
	free(t);
}

/* Under a locale that is not UTF-8: "..." and the built-in widths. */
static void
test_width_non_utf8(void **state)
{
	char *t;

	(void)state;
	assert_non_null(setlocale(LC_CTYPE, "C"));
	assert_false(width_locale_utf8());
	assert_int_equal(width_str("会议"), 4);
	assert_int_equal(width_str("e\xcc\x81"), 1);
	assert_int_equal(width_str("\xf0\x9f\x98\x80"), 2);
	assert_int_equal(width_str("Жж"), 2);
	t = width_truncate("hello world", 8, 0);
	assert_string_equal(t, "hello...");
	free(t);
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_true(width_locale_utf8());
}

/* True when s[a..b) holds only spaces and at most one '\n'. */
static int
only_break(const char *s, size_t a, size_t b)
{
	int nl = 0;

	for (; a < b; a++) {
		if (s[a] == '\n')
			nl++;
		else if (s[a] != ' ')
			return 0;
	}
	return nl <= 1;
}

/* Checks the invariants of one wrapping: every line fits, nothing is lost, breaks are at
 * spaces (or CJK boundaries) and greedy. Returns the number of lines. */
static size_t
check_wrap(const char *s, size_t cols, size_t indent, int spaced)
{
	struct width_line *l;
	size_t n, i, end, avail, next_w;
	const char *p;

	n = width_wrap(s, strlen(s), cols, indent, &l);
	assert_true(n >= 1);
	assert_int_equal(l[0].start, 0);
	assert_int_equal(l[0].indent, 0);
	for (i = 0; i < n; i++) {
		end = l[i].start + l[i].len;
		assert_int_equal(l[i].cols, width_text(s + l[i].start, l[i].len));
		if (l[i].indent + l[i].cols > cols && !(cols < 2 && l[i].cols == 2 &&
		    width_fit(s + l[i].start, l[i].len, 1, NULL) == 0))
			fail_msg("width %zu, line %zu is %zu+%zu columns", cols, i, l[i].indent,
			    l[i].cols);
		if (i + 1 < n) {
			assert_true(l[i + 1].start >= end);
			if (!only_break(s, end, l[i + 1].start))
				fail_msg("width %zu: text lost between lines %zu and %zu", cols, i,
				    i + 1);
			if (l[i + 1].indent != 0 && indent < cols - 1)
				assert_int_equal(l[i + 1].indent, indent);
		} else
			assert_true(only_break(s, end, strlen(s)));
		if (spaced && i + 1 < n && l[i].len > 0) {
			/* With words shorter than the line, every break is at a space, and the
			 * next word would not have fitted (greedy). */
			if (s[end] != ' ')
				fail_msg("width %zu: line %zu breaks inside a word", cols, i);
			p = s + l[i + 1].start;
			next_w = width_text(p, strcspn(p, " "));
			avail = cols - l[i].indent;
			assert_true(l[i].cols + 1 + next_w > avail);
		}
	}
	free(l);
	return n;
}

/* The widest word of s, in columns. */
static size_t
widest_word(const char *s)
{
	size_t best = 0, n, w;

	while (*s != '\0') {
		n = strcspn(s, " ");
		w = width_text(s, n);
		if (w > best)
			best = w;
		s += n;
		s += strspn(s, " ");
	}
	return best;
}

/* English and Russian wrap at spaces at every width; narrow widths hard-break words. */
static void
test_wrap_words(void **state)
{
	size_t cols, lines_prev = SIZE_MAX, n;

	(void)state;
	for (cols = 1; cols <= 80; cols++) {
		check_wrap(english, cols, 0, cols >= widest_word(english));
		check_wrap(russian, cols, 0, cols >= widest_word(russian));
		n = check_wrap(english, cols, 0, 0);
		assert_true(n <= lines_prev); /* wider never gives more lines */
		lines_prev = n;
	}
	assert_int_equal(check_wrap(english, 200, 0, 1), 1);
	assert_int_equal(check_wrap("", 10, 0, 1), 1);
}

/* Some exact layouts. */
static void
test_wrap_exact(void **state)
{
	struct width_line *l;
	const char *s;
	size_t n;

	(void)state;
	s = "aaa bbb ccc";
	n = width_wrap(s, strlen(s), 7, 0, &l);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].len, 7);  /* "aaa bbb" */
	assert_int_equal(l[1].start, 8);
	assert_int_equal(l[1].len, 3);
	free(l);

	s = "abcdefghij";                  /* hard break */
	n = width_wrap(s, strlen(s), 4, 0, &l);
	assert_int_equal(n, 3);
	assert_int_equal(l[0].len, 4);
	assert_int_equal(l[2].len, 2);
	free(l);

	s = "a\n\nb";                      /* newlines always break */
	n = width_wrap(s, strlen(s), 10, 4, &l);
	assert_int_equal(n, 3);
	assert_int_equal(l[1].len, 0);
	assert_int_equal(l[2].start, 3);
	assert_int_equal(l[2].indent, 0);
	free(l);

	s = "hello\n";
	n = width_wrap(s, strlen(s), 10, 0, &l);
	assert_int_equal(n, 2);
	free(l);

	s = "one two three four five six";  /* hanging indent */
	n = width_wrap(s, strlen(s), 10, 3, &l);
	assert_int_equal(n, 5);
	assert_int_equal(l[0].len, 7);      /* "one two" */
	assert_int_equal(l[1].indent, 3);
	assert_int_equal(l[1].len, 5);      /* "three" */
	assert_int_equal(l[2].len, 4);      /* "four" */
	assert_int_equal(l[3].len, 4);      /* "five" */
	assert_int_equal(l[4].indent, 3);
	assert_int_equal(l[4].len, 3);      /* "six" */
	free(l);

	s = "会议会议";                     /* CJK breaks between characters */
	n = width_wrap(s, strlen(s), 5, 0, &l);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].len, 6);
	assert_int_equal(l[0].cols, 4);
	free(l);

	s = "会";                           /* wide char, 1 column: alone on its line */
	n = width_wrap(s, strlen(s), 1, 0, &l);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].cols, 2);
	free(l);

	s = "会议会议。好";                  /* no line starts with "。" */
	n = width_wrap(s, strlen(s), 8, 0, &l);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].len, 9);      /* "会议会" */
	assert_int_equal(l[1].start, 9);    /* "议。好" */
	free(l);

	s = "x e\xcc\x81\xcc\x81y";         /* accents stay with their base */
	n = width_wrap(s, strlen(s), 2, 0, &l);
	assert_int_equal(n, 2);
	assert_int_equal(l[1].start, 2);
	assert_int_equal(l[1].len, strlen(s) - 2);
	free(l);

	s = "   ";                          /* only spaces */
	n = width_wrap(s, strlen(s), 2, 0, &l);
	assert_true(n >= 1);
	free(l);
}

/* Chinese wraps at every width, lines as full as punctuation rules allow. */
static void
test_wrap_chinese(void **state)
{
	struct width_line *l;
	size_t cols, n, i;
	const char *mixed = "会议 confab 开始了。Speaker: 张伟 (ZHANG Wei), 5:00 分钟。";

	(void)state;
	for (cols = 1; cols <= 70; cols++) {
		check_wrap(chinese, cols, 0, 0);
		check_wrap(mixed, cols, 0, 0);
		check_wrap(chinese, cols, 2, 0);
		n = width_wrap(chinese, strlen(chinese), cols, 0, &l);
		for (i = 0; cols >= 4 && i + 1 < n; i++) {
			if (l[i].cols + 3 < cols)
				fail_msg("width %zu: line %zu only %zu columns", cols, i, l[i].cols);
		}
		free(l);
	}
}

/* A hanging indent applies to continuation lines only, and never leaves < 2 columns. */
static void
test_wrap_indent(void **state)
{
	struct width_line *l;
	size_t n, i, cols;

	(void)state;
	for (cols = 1; cols <= 40; cols++) {
		check_wrap(english, cols, 8, 0);
		check_wrap(russian, cols, 8, 0);
	}
	n = width_wrap(english, strlen(english), 20, 8, &l);
	assert_int_equal(l[0].indent, 0);
	for (i = 1; i < n; i++) {
		assert_int_equal(l[i].indent, 8);
		assert_true(l[i].cols <= 12);
	}
	free(l);
	n = width_wrap(english, strlen(english), 6, 10, &l);
	for (i = 1; i < n; i++)
		assert_int_equal(l[i].indent, 4);
	free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_basic),
		cmocka_unit_test(test_width_matches_sanitize),
		cmocka_unit_test(test_width_fit),
		cmocka_unit_test(test_width_truncate),
		cmocka_unit_test(test_width_non_utf8),
		cmocka_unit_test(test_wrap_words),
		cmocka_unit_test(test_wrap_exact),
		cmocka_unit_test(test_wrap_chinese),
		cmocka_unit_test(test_wrap_indent),
	};

	return cmocka_run_group_tests_name("width", tests, setup_locale, NULL);
}
