/* test_bigdigits.c: unit tests for ui/bigdigits (every digit and sign, scaling, fitting). */

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/bigdigits.h"
#include "util/width.h"

/* Sets the UTF-8 locale the widths rely on. */
static int
setup_locale(void **state)
{
	(void)state;
	return setlocale(LC_ALL, "C.UTF-8") == NULL ? -1 : 0;
}

/* The expected 1 x 1 glyph rows of each character ('#' set). */
static const struct {
	char ch;
	const char *rows[BIGDIGITS_FONT_ROWS];
} expected[] = {
	{ '0', { "###", "# #", "# #", "# #", "###" } },
	{ '1', { " # ", "## ", " # ", " # ", "###" } },
	{ '2', { "###", "  #", "###", "#  ", "###" } },
	{ '3', { "###", "  #", "###", "  #", "###" } },
	{ '4', { "# #", "# #", "###", "  #", "  #" } },
	{ '5', { "###", "#  ", "###", "  #", "###" } },
	{ '6', { "###", "#  ", "###", "# #", "###" } },
	{ '7', { "###", "  #", "  #", "  #", "  #" } },
	{ '8', { "###", "# #", "###", "# #", "###" } },
	{ '9', { "###", "# #", "###", "  #", "###" } },
	{ ':', { " ", "#", " ", "#", " " } },
	{ '+', { "   ", " # ", "###", " # ", "   " } },
	{ '-', { "   ", "   ", "###", "   ", "   " } },
};

/* Every digit and sign at 1 x 1 in ASCII, and at 2 x 1 with U+2588. */
static void
test_bigdigits_glyphs(void **state)
{
	struct bigdigits_size one = { 1, 1 }, wide = { 2, 1 };
	char text[2] = { 0, 0 }, buf[64];
	char **rows;
	size_t i, r, k, n;

	(void)state;
	for (i = 0; i < sizeof expected / sizeof expected[0]; i++) {
		text[0] = expected[i].ch;
		rows = bigdigits_render(text, &one, 0, &n);
		assert_int_equal(n, BIGDIGITS_FONT_ROWS);
		for (r = 0; r < n; r++)
			assert_string_equal(rows[r], expected[i].rows[r]);
		bigdigits_free(rows, n);

		rows = bigdigits_render(text, &wide, 1, &n);
		for (r = 0; r < n; r++) {
			/* Each pixel doubled; '#' drawn as a full block. */
			buf[0] = '\0';
			for (k = 0; expected[i].rows[r][k] != '\0'; k++)
				strcat(buf, expected[i].rows[r][k] == '#' ? "\xe2\x96\x88\xe2\x96\x88" :
				    "  ");
			assert_string_equal(rows[r], buf);
			assert_int_equal(width_str(rows[r]), bigdigits_width(text, &wide));
		}
		bigdigits_free(rows, n);
	}
	bigdigits_free(NULL, 0);
}

/* Whole timer strings: gaps between glyphs, scaling, every row equally wide. */
static void
test_bigdigits_strings(void **state)
{
	static const char *const timers[] = { "4:59", "-0:05", "+0:12", "1:02:03", "0:00" };
	struct bigdigits_size s1 = { 1, 1 }, s = { 4, 2 };
	char **rows;
	size_t i, r, n;

	(void)state;
	rows = bigdigits_render("4:59", &s1, 0, &n);
	assert_string_equal(rows[0], "# #   ### ###");
	assert_string_equal(rows[1], "# # # #   # #");
	assert_string_equal(rows[2], "###   ### ###");
	assert_string_equal(rows[3], "  # #   #   #");
	assert_string_equal(rows[4], "  #   ### ###");
	bigdigits_free(rows, n);
	rows = bigdigits_render("-0:05", &s1, 0, &n);
	assert_string_equal(rows[2], "### # #   # # ###");
	bigdigits_free(rows, n);

	for (i = 0; i < sizeof timers / sizeof timers[0]; i++) {
		rows = bigdigits_render(timers[i], &s, 1, &n);
		assert_int_equal(n, 10);
		assert_int_equal(bigdigits_height(&s), 10);
		for (r = 0; r < n; r++)
			assert_int_equal(width_str(rows[r]), bigdigits_width(timers[i], &s));
		/* Scaled rows repeat: rows 0 and 1 come from font row 0. */
		assert_string_equal(rows[0], rows[1]);
		bigdigits_free(rows, n);
	}
	assert_int_equal(bigdigits_width("4:59", &s1), 13);
	assert_int_equal(bigdigits_width("+0:12", &s1), 17);
	assert_int_equal(bigdigits_width("4:59", &s), 52);
	/* Characters the font lacks show as '?'. */
	rows = bigdigits_render("x", &s1, 0, &n);
	assert_string_equal(rows[0], "###");
	bigdigits_free(rows, n);
	rows = bigdigits_render("会", &s1, 0, &n);
	assert_string_equal(rows[4], " # ");
	bigdigits_free(rows, n);
}

/* The largest size that fits a box, never narrower than tall, or none. */
static void
test_bigdigits_fit(void **state)
{
	struct bigdigits_size s;

	(void)state;
	assert_int_equal(bigdigits_fit("4:59", 80, 24, &s), 0);
	assert_int_equal(s.sy, 4);            /* 20 rows */
	assert_int_equal(s.sx, 6);            /* 13 px * 6 = 78 columns */
	assert_true(bigdigits_width("4:59", &s) <= 80);
	assert_int_equal(bigdigits_fit("4:59", 200, 24, &s), 0);
	assert_int_equal(s.sy, 4);
	assert_int_equal(s.sx, 8);
	assert_int_equal(bigdigits_fit("4:59", 40, 24, &s), 0);
	assert_int_equal(s.sy, 3);            /* 13 * 3 = 39 */
	assert_int_equal(s.sx, 3);
	assert_int_equal(bigdigits_fit("4:59", 13, 5, &s), 0);
	assert_int_equal(s.sy, 1);
	assert_int_equal(s.sx, 1);
	assert_int_equal(bigdigits_fit("4:59", 12, 24, &s), -1);
	assert_int_equal(bigdigits_fit("4:59", 80, 4, &s), -1);
	assert_int_equal(bigdigits_fit("", 80, 24, &s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bigdigits_glyphs),
		cmocka_unit_test(test_bigdigits_strings),
		cmocka_unit_test(test_bigdigits_fit),
	};

	return cmocka_run_group_tests_name("bigdigits", tests, setup_locale, NULL);
}
