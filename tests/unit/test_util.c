/* test_util.c: unit tests for src/util (UTF-8, sanitising, durations, time zones, clock,
 * the string map, token buckets). */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/bucket.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/idindex.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/strmap.h"
#include "util/tztime.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Well-formed UTF-8 is accepted. */
static void
test_utf8_valid(void **state)
{
	(void)state;
	assert_true(utf8_valid("", 0));
	assert_true(utf8_valid("hello", 5));
	assert_true(utf8_valid("caf\xc3\xa9", 5));
	assert_true(utf8_valid("\xe4\xbc\x9a\xe8\xae\xae", 6));     /* CJK */
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));             /* emoji U+1F600 */
	assert_true(utf8_valid("\xf4\x8f\xbf\xbf", 4));             /* U+10FFFF */
	assert_true(utf8_valid("\xed\x9f\xbf", 3));                 /* U+D7FF */
	assert_true(utf8_valid("a\0b", 3));
}

/* Ill-formed UTF-8 is rejected. */
static void
test_utf8_invalid(void **state)
{
	(void)state;
	assert_false(utf8_valid("\xc0\xaf", 2));             /* overlong '/' */
	assert_false(utf8_valid("\xc1\xbf", 2));             /* overlong */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));         /* overlong 3-byte */
	assert_false(utf8_valid("\xf0\x80\x80\xaf", 4));     /* overlong 4-byte */
	assert_false(utf8_valid("\xed\xa0\x80", 3));         /* surrogate U+D800 */
	assert_false(utf8_valid("\xed\xbf\xbf", 3));         /* surrogate U+DFFF */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));     /* U+110000 */
	assert_false(utf8_valid("\xf5\x80\x80\x80", 4));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\x80", 1));                 /* lone continuation */
	assert_false(utf8_valid("\xe4\xbc", 2));             /* truncated */
	assert_false(utf8_valid("\xf0\x9f\x98", 3));         /* truncated */
	assert_false(utf8_valid("\xc3" "a", 2));             /* bad continuation */
}

/* Decoding, encoding and counting. */
static void
test_utf8_decode_encode(void **state)
{
	const char *s = "\xc3\xa9\xff" "x", *p = s, *end = s + 4;
	char buf[4];
	uint32_t cp;

	(void)state;
	assert_int_equal(utf8_decode(&p, end, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode(&p, end, &cp), 0);
	assert_int_equal(cp, 0xFFFD);
	assert_ptr_equal(p, s + 3);
	assert_int_equal(utf8_decode(&p, end, &cp), 1);
	assert_int_equal(cp, 'x');
	assert_int_equal(utf8_encode(0x1F600, buf), 4);
	assert_memory_equal(buf, "\xf0\x9f\x98\x80", 4);
	assert_int_equal(utf8_encode(0x20AC, buf), 3);
	assert_memory_equal(buf, "\xe2\x82\xac", 3);
	assert_int_equal(utf8_encode(0xD800, buf), 0);
	assert_int_equal(utf8_encode(0x110000, buf), 0);
	assert_int_equal(utf8_strlen("a\xc3\xa9\xf0\x9f\x98\x80", 7), 3);
}

/* Sanitises s and compares with want. */
static void
check_sanitize(const char *s, size_t len, int flags, const char *want)
{
	char *got = sanitize_text(s, len, flags);
	const unsigned char *c;

	assert_string_equal(got, want);
	assert_true(utf8_valid(got, strlen(got)));
	for (c = (const unsigned char *)got; *c != '\0'; c++) {
		assert_true(*c >= 0x20 || (*c == '\n' && (flags & SANITIZE_NEWLINES)));
		assert_true(*c != 0x7f);
	}
	free(got);
}

/* Terminal escapes and controls are shown visibly. */
static void
test_sanitize_controls(void **state)
{
	(void)state;
	check_sanitize("\x1b[2J", 4, 0, "^[[2J");
	check_sanitize("a\x1b[31mred", 9, 0, "a^[[31mred");
	/* OSC 52 clipboard write, BEL-terminated */
	check_sanitize("\x1b]52;c;ZXZpbA==\x07", 16, 0, "^[]52;c;ZXZpbA==^G");
	check_sanitize("ding\x07", 5, 0, "ding^G");
	check_sanitize("over\rwrite", 10, 0, "over^Mwrite");
	check_sanitize("ab\bc", 4, 0, "ab^Hc");
	check_sanitize("del\x7f", 4, 0, "del^?");
	check_sanitize("a\tb", 3, 0, "a b");
	check_sanitize("a\nb", 3, 0, "a^Jb");
	check_sanitize("a\nb", 3, SANITIZE_NEWLINES, "a\nb");
	check_sanitize("a\0b", 3, 0, "a^@b");
	/* C1 CSI and OSC encoded as UTF-8 */
	check_sanitize("\xc2\x9b" "2J", 4, 0, "<U+009B>2J");
	check_sanitize("\xc2\x9d" "52;c;x", 8, 0, "<U+009D>52;c;x");
	/* raw C1 bytes are ill-formed UTF-8 */
	check_sanitize("\x9b" "2J", 3, 0, "\xef\xbf\xbd" "2J");
	check_sanitize("\x9d", 1, 0, "\xef\xbf\xbd");
}

/* Bidi controls, separators, BOM and ill-formed bytes. */
static void
test_sanitize_unicode(void **state)
{
	(void)state;
	check_sanitize("abc\xe2\x80\xae" "fdp.exe", 13, 0, "abc<U+202E>fdp.exe");
	check_sanitize("\xe2\x81\xa6x\xe2\x81\xa9", 7, 0, "<U+2066>x<U+2069>");
	check_sanitize("\xe2\x80\x8f", 3, 0, "<U+200F>");
	check_sanitize("\xd8\x9c", 2, 0, "<U+061C>");
	check_sanitize("a\xe2\x80\xa8" "b", 5, 0, "a<U+2028>b");
	check_sanitize("\xe2\x80\xa9", 3, 0, "<U+2029>");
	check_sanitize("\xef\xbb\xbfhi", 5, 0, "<U+FEFF>hi");
	check_sanitize("\xff\xfe", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xc0\xaf", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xed\xa0\x80", 3, 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_sanitize("\xe4\xbc", 2, 0, "\xef\xbf\xbd\xef\xbf\xbd");
}

/* SANITIZE_SQUEEZE: runs of white space (ASCII and the Unicode space separators) become
 * one space, so padding cannot push text to where a terminal wraps. */
static void
test_sanitize_squeeze(void **state)
{
	static const char pad[] = "hi                                        [timer main] x";
	static const char wide[] = "a\t\t \xc2\xa0\xe3\x80\x80\xe2\x80\x83" "b"; /* U+3000, U+2003 */

	(void)state;
	check_sanitize(pad, strlen(pad), SANITIZE_SQUEEZE, "hi [timer main] x");
	check_sanitize(wide, strlen(wide), SANITIZE_SQUEEZE, "a b");
	check_sanitize(wide, strlen(wide), 0, "a   \xc2\xa0\xe3\x80\x80\xe2\x80\x83" "b");
	check_sanitize("  x  ", 5, SANITIZE_SQUEEZE, " x ");
	check_sanitize("a \x1b b", 5, SANITIZE_SQUEEZE, "a ^[ b");
	check_sanitize("a  \n  b", 7, SANITIZE_SQUEEZE | SANITIZE_NEWLINES, "a \n b");
	check_sanitize("a  \n  b", 7, SANITIZE_SQUEEZE, "a ^J b");
	/* zero-width characters are not space; bidi controls stay visible */
	check_sanitize("a\xe2\x80\x8b\xe2\x80\xae" "b", 8, SANITIZE_SQUEEZE,
	    "a\xe2\x80\x8b<U+202E>b");
}

/* idindex_key_fn of an array of strings. */
static const char *
util_str_key(const void *arr, size_t i)
{
	return ((const char *const *)arr)[i];
}

/* The sorted index: build (duplicates: the first wins), set, get, del, and 100,000 keys
 * built and looked up in O(n log n). */
static void
test_idindex(void **state)
{
	static const char *const keys[] = { "lobby", "b", "a", "b", "c", "lobby" };
	struct idindex *x = idindex_create();
	bool dup[6];
	char **many, buf[16];
	size_t v, i, n = 100000;

	(void)state;
	assert_false(idindex_get(x, "a", &v));
	idindex_build(x, keys, 6, util_str_key, dup);
	assert_int_equal(idindex_count(x), 4);
	assert_true(idindex_get(x, "b", &v));
	assert_int_equal(v, 1);
	assert_true(idindex_get(x, "lobby", &v));
	assert_int_equal(v, 0);
	assert_false(dup[0] || dup[1] || dup[2] || dup[4]);
	assert_true(dup[3] && dup[5]);
	idindex_set(x, "b", 9);
	assert_true(idindex_get(x, "b", &v));
	assert_int_equal(v, 9);
	idindex_set(x, "aa", 7);
	assert_int_equal(idindex_count(x), 5);
	assert_true(idindex_del(x, "a"));
	assert_false(idindex_del(x, "a"));
	assert_false(idindex_get(x, "a", NULL));
	assert_true(idindex_get(x, "aa", &v));
	assert_int_equal(v, 7);
	assert_true(idindex_get(x, "c", &v));
	assert_int_equal(v, 4);
	idindex_clear(x);
	assert_int_equal(idindex_count(x), 0);

	many = xcalloc(n, sizeof *many);
	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof buf, "r%06zu", (i * 7919) % n);
		many[i] = xstrdup(buf);
	}
	idindex_build(x, many, n, util_str_key, NULL);
	assert_int_equal(idindex_count(x), n);
	for (i = 0; i < n; i++) {
		assert_true(idindex_get(x, many[i], &v));
		assert_int_equal(v, i);
	}
	for (i = 0; i < n; i++)
		free(many[i]);
	free(many);
	idindex_free(x);
	idindex_free(NULL);
}

/* Far instants: tz_localtime() and tz_format() never overflow (INT64_MIN included). */
static void
test_tz_extremes(void **state)
{
	struct tm tm;
	char buf[64];

	(void)state;
	assert_string_equal(tz_format("UTC", 253402300799999LL, "%Y-%m-%d %H:%M:%S", buf,
	    sizeof buf), "9999-12-31 23:59:59");
	assert_string_equal(tz_format("UTC", -1, "%Y-%m-%d %H:%M:%S", buf, sizeof buf),
	    "1969-12-31 23:59:59");
	(void)tz_localtime("UTC", INT64_MIN, &tm);
	(void)tz_localtime("UTC", INT64_MAX, &tm);
}

/* Ordinary text is unchanged. */
static void
test_sanitize_plain(void **state)
{
	static const char *const plain[] = {
		"Hello, world! ~`{}[]|\\",
		"\xe4\xbc\x9a\xe8\xae\xae\xe3\x81\xa7\xe3\x81\x99",  /* CJK */
		"\xf0\x9f\x98\x80 \xf0\x9f\x8e\x89",                  /* emoji */
		"caf\xc3\xa9 \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
		"\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d",                   /* Hebrew (RTL letters are fine) */
	};
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		check_sanitize(plain[i], strlen(plain[i]), 0, plain[i]);
		assert_false(sanitize_needed(plain[i]));
	}
	assert_true(sanitize_needed("\x1b[2J"));
	assert_false(sanitize_needed(NULL));
	s = sanitize_str(NULL);
	assert_string_equal(s, "");
	free(s);
	s = sanitize_str("x\x1b");
	assert_string_equal(s, "x^[");
	free(s);
}

/* Valid durations. */
static void
test_duration_parse_valid(void **state)
{
	static const struct {
		const char *s;
		int64_t ms;
	} ok[] = {
		{ "5m", 300000 }, { "2m", 120000 }, { "90s", 90000 }, { "90", 90000 },
		{ "3:30", 210000 }, { "3m30s", 210000 }, { "1h", 3600000 },
		{ "1:02:03", 3723000 }, { "1h30m", 5400000 }, { "24h", 86400000 },
		{ "0:05", 5000 },
	};
	size_t i;
	int64_t ms;

	(void)state;
	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ms = -1;
		assert_int_equal(duration_parse(ok[i].s, &ms), 0);
		assert_int_equal(ms, ok[i].ms);
	}
}

/* Invalid durations. */
static void
test_duration_parse_invalid(void **state)
{
	static const char *const bad[] = {
		"", "0", "5x", "m", "-5m", "3:75", "99999h", "1:2:3:4", " 5m", "5m ",
		"0s", "0:00", "30s5m", "5m5m", "1:60:00", "25h", "5 m", "3:5", "1.5m",
		"99999999999999999999",
	};
	size_t i;
	int64_t ms = 42;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (duration_parse(bad[i], &ms) != -1)
			fail_msg("duration \"%s\" was accepted", bad[i]);
	}
	assert_int_equal(duration_parse(NULL, &ms), -1);
	assert_int_equal(ms, 42);
}

/* Countdown and duration formatting. */
static void
test_duration_format(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(duration_format_remaining(300000, buf, sizeof buf), "5:00");
	assert_string_equal(duration_format_remaining(299001, buf, sizeof buf), "5:00");
	assert_string_equal(duration_format_remaining(299000, buf, sizeof buf), "4:59");
	assert_string_equal(duration_format_remaining(1, buf, sizeof buf), "0:01");
	assert_string_equal(duration_format_remaining(0, buf, sizeof buf), "+0:00");
	assert_string_equal(duration_format_remaining(-999, buf, sizeof buf), "+0:00");
	assert_string_equal(duration_format_remaining(-12000, buf, sizeof buf), "+0:12");
	assert_string_equal(duration_format_remaining(-75500, buf, sizeof buf), "+1:15");
	assert_string_equal(duration_format_remaining(3723000, buf, sizeof buf), "1:02:03");
	assert_string_equal(duration_format(300000, buf, sizeof buf), "5:00");
	assert_string_equal(duration_format(5400000, buf, sizeof buf), "1:30:00");
	assert_string_equal(duration_format(90000, buf, sizeof buf), "1:30");
	/* truncation never overflows */
	assert_string_equal(duration_format(5400000, buf, 4), "1:3");
}

/* ISO 8601 instants with Z and offsets. */
static void
test_iso8601_parse(void **state)
{
	int64_t ms;
	char buf[32];

	(void)state;
	assert_int_equal(iso8601_parse("2020-10-12T14:00:00Z", &ms), 0);
	assert_int_equal(ms, 1602511200000LL);
	assert_int_equal(iso8601_parse("2020-10-12T10:00:00-04:00", &ms), 0);
	assert_int_equal(ms, 1602511200000LL);
	assert_int_equal(iso8601_parse("2020-10-12T19:30+05:30", &ms), 0);
	assert_int_equal(ms, 1602511200000LL);
	assert_int_equal(iso8601_parse("2020-10-12T14:00:00.250Z", &ms), 0);
	assert_int_equal(ms, 1602511200250LL);
	assert_int_equal(iso8601_parse("1970-01-01T00:00:00Z", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(iso8601_parse("2024-02-29T00:00:00Z", &ms), 0);
	assert_string_equal(iso8601_format_utc(1602511200000LL, buf, sizeof buf),
	    "2020-10-12T14:00:00Z");
	assert_string_equal(iso8601_format_utc(ms, buf, sizeof buf), "2024-02-29T00:00:00Z");
}

/* Malformed instants are rejected. */
static void
test_iso8601_invalid(void **state)
{
	static const char *const bad[] = {
		"", "2020-10-12", "2020-10-12T14:00:00", "2020-10-12 14:00:00Z",
		"2020-13-01T00:00:00Z", "2020-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
		"2020-10-12T24:00:00Z", "2020-10-12T14:60:00Z", "2020-10-12T14:00:00+0400",
		"2020-10-12T14:00:00Zjunk", "20-10-12T14:00:00Z", "2020-10-12T14:00:00.Z",
		"2020-10-12T14:00:00+25:00", "next tuesday",
	};
	size_t i;
	int64_t ms;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (iso8601_parse(bad[i], &ms) != -1)
			fail_msg("instant \"%s\" was accepted", bad[i]);
	}
	assert_int_equal(iso8601_parse(NULL, &ms), -1);
}

/* Zone names, local time and formatting across DST in America/New_York. */
static void
test_tz(void **state)
{
	struct tm tm;
	char buf[64];
	int64_t ms;

	(void)state;
	assert_true(tz_valid("America/New_York"));
	assert_true(tz_valid("UTC"));
	assert_false(tz_valid("Mars/Olympus"));
	assert_false(tz_valid("../../etc/passwd"));
	assert_false(tz_valid("/etc/localtime"));
	assert_false(tz_valid("America/../UTC"));
	assert_false(tz_valid(""));
	assert_false(tz_valid(NULL));
	assert_false(tz_valid("America"));   /* a directory */
	assert_false(tz_valid("America/New York"));

	/* EDT in October 2020 */
	assert_int_equal(tz_localtime("America/New_York", 1602511200000LL, &tm), 0);
	assert_int_equal(tm.tm_hour, 10);
	assert_int_equal(tm.tm_mday, 12);
	assert_int_equal(tm.tm_gmtoff, -4 * 3600);
	assert_string_equal(tm.tm_zone, "EDT");
	/* EST in January */
	assert_int_equal(iso8601_parse("2020-01-15T15:00:00Z", &ms), 0);
	assert_int_equal(tz_localtime("America/New_York", ms, &tm), 0);
	assert_int_equal(tm.tm_hour, 10);
	assert_int_equal(tm.tm_gmtoff, -5 * 3600);
	assert_string_equal(tz_format("America/New_York", ms, "%H:%M %Z", buf, sizeof buf),
	    "10:00 EST");
	/* across the fall-back transition, 2020-11-01 06:00Z is 01:00 EST */
	assert_int_equal(iso8601_parse("2020-11-01T05:30:00Z", &ms), 0);
	assert_string_equal(tz_format("America/New_York", ms, "%H:%M %Z", buf, sizeof buf),
	    "01:30 EDT");
	ms += 3600 * 1000;
	assert_string_equal(tz_format("America/New_York", ms, "%H:%M %Z", buf, sizeof buf),
	    "01:30 EST");
	assert_string_equal(tz_format("Mars/Olympus", ms, "%H", buf, sizeof buf), "");
	assert_int_equal(tz_localtime("Mars/Olympus", ms, &tm), -1);

	/* local midnight, on a normal day and on the DST day */
	assert_int_equal(tz_day_start("America/New_York", 1602511200000LL),
	    1602475200000LL); /* 2020-10-12T04:00:00Z */
	assert_int_equal(iso8601_parse("2020-11-01T20:00:00Z", &ms), 0);
	assert_int_equal(tz_day_start("America/New_York", ms), 1604203200000LL);
	/* TZ is restored */
	setenv("TZ", "Asia/Tokyo", 1);
	tz_format("America/New_York", ms, "%H", buf, sizeof buf);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	tz_format("America/New_York", ms, "%H", buf, sizeof buf);
	assert_null(getenv("TZ"));
}

/* The fake clock moves only when told to. */
static void
test_fake_clock(void **state)
{
	struct cf_fake_clock fake = { 1602511200000LL, 5000 };
	struct cf_clock clk;
	int64_t a, b;

	(void)state;
	cf_clock_fake(&clk, &fake);
	assert_int_equal(cf_wall_ms(&clk), 1602511200000LL);
	assert_int_equal(cf_mono_ms(&clk), 5000);
	cf_fake_clock_advance(&fake, 1500);
	assert_int_equal(cf_wall_ms(&clk), 1602511201500LL);
	assert_int_equal(cf_mono_ms(&clk), 6500);
	a = cf_mono_ms(&cf_clock_system);
	b = cf_mono_ms(&cf_clock_system);
	assert_true(b >= a);
	assert_true(cf_wall_ms(&cf_clock_system) > 1600000000000LL);
}

/* xalloc helpers. */
static void
test_xalloc(void **state)
{
	char buf[4], *s;

	(void)state;
	s = xasprintf("%s-%d", "a", 42);
	assert_string_equal(s, "a-42");
	free(s);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	assert_int_equal(strlcpy_cf(buf, "hello", sizeof buf), 5);
	assert_string_equal(buf, "hel");
}

/* strmap: put, get, replace, delete, growth past many rehashes, iteration. */
static void
test_strmap(void **state)
{
	struct strmap *m = strmap_create();
	static int vals[3000];
	const char *key;
	char k[32];
	size_t pos = 0, seen = 0;
	int i, *v;

	(void)state;
	assert_null(strmap_get(m, "a"));
	assert_null(strmap_put(m, "a", &vals[0]));
	assert_ptr_equal(strmap_put(m, "a", &vals[1]), &vals[0]);   /* replaced */
	assert_ptr_equal(strmap_get(m, "a"), &vals[1]);
	assert_int_equal(strmap_count(m), 1);
	assert_ptr_equal(strmap_del(m, "a"), &vals[1]);
	assert_null(strmap_del(m, "a"));
	assert_int_equal(strmap_count(m), 0);
	for (i = 0; i < 3000; i++) {
		snprintf(k, sizeof k, "key-%d", i);
		assert_null(strmap_put(m, k, &vals[i]));
	}
	/* delete every other one: tombstones must not hide later keys */
	for (i = 0; i < 3000; i += 2) {
		snprintf(k, sizeof k, "key-%d", i);
		assert_ptr_equal(strmap_del(m, k), &vals[i]);
	}
	assert_int_equal(strmap_count(m), 1500);
	for (i = 0; i < 3000; i++) {
		snprintf(k, sizeof k, "key-%d", i);
		if (i % 2 == 0)
			assert_null(strmap_get(m, k));
		else
			assert_ptr_equal(strmap_get(m, k), &vals[i]);
	}
	/* the empty string is a key like any other */
	assert_null(strmap_put(m, "", &vals[0]));
	assert_ptr_equal(strmap_get(m, ""), &vals[0]);
	while ((v = strmap_next(m, &pos, &key)) != NULL) {
		assert_true(v == &vals[0] ? strcmp(key, "") == 0 :
		    atoi(key + 4) == (int)(v - vals) && (v - vals) % 2 == 1);
		seen++;
	}
	assert_int_equal(seen, 1501);
	/* deleting the key just returned during a walk */
	pos = 0;
	while ((v = strmap_next(m, &pos, &key)) != NULL)
		assert_ptr_equal(strmap_del(m, key), v);
	assert_int_equal(strmap_count(m), 0);
	assert_int_not_equal(strmap_hash("a"), strmap_hash("b"));
	strmap_free(m);
	strmap_free(NULL);
}

/* Token buckets: a burst passes at once, then the rate; no drift over a long time; a clock
 * that goes backwards does not mint tokens. */
static void
test_bucket(void)
{
	struct cf_bucket_rule r = { 300, 20 };   /* 5 a second, bursts of 20 */
	struct cf_bucket b;
	int64_t now = 1000000;
	int i, n = 0;

	cf_bucket_init(&b, &r, now);
	assert_true(cf_bucket_full(&b, &r, now));
	for (i = 0; i < 20; i++)
		assert_true(cf_bucket_take(&b, &r, now));
	assert_false(cf_bucket_take(&b, &r, now));
	assert_int_equal(cf_bucket_wait(&b, &r, now), 200);
	assert_false(cf_bucket_take(&b, &r, now + 199));
	assert_true(cf_bucket_take(&b, &r, now + 200));
	assert_false(cf_bucket_take(&b, &r, now + 200));
	/* one hour of trying every 10 ms: 5 a second, exactly */
	for (i = 1; i <= 360000; i++)
		if (cf_bucket_take(&b, &r, now + 200 + (int64_t)i * 10))
			n++;
	assert_int_equal(n, 5 * 3600);
	/* idle for long: full again, never more than the burst */
	now += 200 + 3600000 + 600000;
	assert_true(cf_bucket_full(&b, &r, now));
	for (i = 0; i < 20; i++)
		assert_true(cf_bucket_take(&b, &r, now));
	assert_false(cf_bucket_take(&b, &r, now));
	/* the clock going back gives nothing */
	assert_false(cf_bucket_take(&b, &r, now - 60000));
	assert_false(cf_bucket_take(&b, &r, now));
}

static void
test_bucket_rules(void **state)
{
	struct cf_bucket_rule slow = { 1, 1 };    /* one a minute */
	struct cf_bucket b;

	(void)state;
	test_bucket();
	cf_bucket_init(&b, &slow, 0);
	assert_true(cf_bucket_take(&b, &slow, 0));
	assert_false(cf_bucket_take(&b, &slow, 59999));
	assert_int_equal(cf_bucket_wait(&b, &slow, 59999), 1);
	assert_true(cf_bucket_take(&b, &slow, 60000));
}

/* A log line quoting text from the network stays one line, with nothing a terminal acts on
 * (found by review: an Origin header, a hub's refusal, a close reason were logged raw). */
static void
test_log_sanitised(void **state)
{
	char buf[512];
	FILE *fp = tmpfile();
	size_t n;

	(void)state;
	assert_non_null(fp);
	log_init(fp, LOG_INFO);
	log_info("refused Origin %s", "\x1b]0;pwned\x07\x1b[2J\nfake: line \xe2\x80\xae evil \xc2\x9b");
	log_init(NULL, LOG_INFO);
	rewind(fp);
	n = fread(buf, 1, sizeof buf - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_non_null(strstr(buf, "refused Origin ^[]0;pwned^G^[[2J^Jfake: line <U+202E> evil"));
	assert_null(strchr(buf, '\x1b'));
	assert_null(strstr(buf, "\xe2\x80\xae"));
	assert_null(strstr(buf, "\xc2\x9b"));
	assert_ptr_equal(strchr(buf, '\n'), buf + n - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_log_sanitised),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_decode_encode),
		cmocka_unit_test(test_sanitize_controls),
		cmocka_unit_test(test_sanitize_unicode),
		cmocka_unit_test(test_sanitize_plain),
		cmocka_unit_test(test_sanitize_squeeze),
		cmocka_unit_test(test_idindex),
		cmocka_unit_test(test_tz_extremes),
		cmocka_unit_test(test_duration_parse_valid),
		cmocka_unit_test(test_duration_parse_invalid),
		cmocka_unit_test(test_duration_format),
		cmocka_unit_test(test_iso8601_parse),
		cmocka_unit_test(test_iso8601_invalid),
		cmocka_unit_test(test_tz),
		cmocka_unit_test(test_fake_clock),
		cmocka_unit_test(test_xalloc),
		cmocka_unit_test(test_strmap),
		cmocka_unit_test(test_bucket_rules),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
