/* tztime.c: civil time in a named IANA zone, and ISO 8601 instants.
 *
 * Zone conversions switch TZ for the duration of one call and restore it afterwards,
 * so they are not thread-safe; confab is single-threaded. */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/tztime.h"
#include "util/xalloc.h"

#define TZ_ZONEINFO "/usr/share/zoneinfo"

/* True when zone is a plausible IANA name: no "..", no leading '/', plain characters. */
static int
tz_name_ok(const char *zone)
{
	const char *p;

	if (zone == NULL || *zone == '\0' || strlen(zone) > 128)
		return 0;
	if (zone[0] == '/' || zone[0] == '.' || zone[0] == '-' || strstr(zone, "..") != NULL)
		return 0;
	for (p = zone; *p != '\0'; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
			return 0;
		if (*p == '/' && (p[1] == '/' || p[1] == '\0'))
			return 0;
	}
	return 1;
}

/* True when zone names a time zone known to this system (a TZif file in tzdata). */
int
tz_valid(const char *zone)
{
	static char last[128];  /* the last zone looked up, and the answer: displays ask */
	static int last_ok;     /* for the same zone many times a second */
	char path[256], magic[4];
	struct stat sb;
	FILE *f;
	int ok;

	if (!tz_name_ok(zone))
		return 0;
	if (last[0] != '\0' && strcmp(zone, last) == 0)
		return last_ok;
	snprintf(path, sizeof path, "%s/%s", TZ_ZONEINFO, zone);
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	if (strlen(zone) < sizeof last) {
		memcpy(last, zone, strlen(zone) + 1);
		last_ok = ok;
	}
	return ok;
}

/* Switches TZ to zone; returns the previous value (new string or NULL) via *saved. */
static void
tz_enter(const char *zone, char **saved)
{
	const char *old = getenv("TZ");

	*saved = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", zone, 1);
	tzset();
}

/* Restores the TZ saved by tz_enter and frees it. */
static void
tz_leave(char *saved)
{
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
}

/* Breaks UTC instant ms down into local civil time in zone. */
int
tz_localtime(const char *zone, int64_t ms, struct tm *out)
{
	static char zbuf[16];
	time_t t;
	char *saved;
	int64_t secs;
	int rc = 0;

	if (!tz_valid(zone))
		return -1;
	secs = ms / 1000 - (ms % 1000 < 0);   /* floor, without negating INT64_MIN */
	t = (time_t)secs;
	tz_enter(zone, &saved);
	if (localtime_r(&t, out) == NULL)
		rc = -1;
	tz_leave(saved);
	if (rc == 0) {
		strlcpy_cf(zbuf, out->tm_zone != NULL ? out->tm_zone : "", sizeof zbuf);
		out->tm_zone = zbuf;
	}
	return rc;
}

/* Formats instant ms in zone with strftime format fmt into buf. */
char *
tz_format(const char *zone, int64_t ms, const char *fmt, char *buf, size_t len)
{
	struct tm tm;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (tz_localtime(zone, ms, &tm) != 0)
		return buf;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, len, fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return buf;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
tz_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* Date of a day count since 1970-01-01. */
static void
tz_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Reads exactly n digits at *s into *v. */
static int
tz_num(const char **s, int n, int *v)
{
	*v = 0;
	while (n-- > 0) {
		if (**s < '0' || **s > '9')
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return 0;
}

/* Number of days in month m of year y. */
static int
tz_month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Parses an ISO 8601 / RFC 3339 instant with an offset into UTC ms. */
int
iso8601_parse(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec = 0, frac = 0, oh = 0, om = 0, sign = 0, scale = 100;
	int64_t t;

	if (s == NULL)
		return -1;
	if (tz_num(&s, 4, &y) || *s++ != '-' || tz_num(&s, 2, &mo) || *s++ != '-' ||
	    tz_num(&s, 2, &d))
		return -1;
	if (*s != 'T' && *s != 't')
		return -1;
	s++;
	if (tz_num(&s, 2, &h) || *s++ != ':' || tz_num(&s, 2, &mi))
		return -1;
	if (*s == ':') {
		s++;
		if (tz_num(&s, 2, &sec))
			return -1;
		if (*s == '.') {
			s++;
			if (*s < '0' || *s > '9')
				return -1;
			while (*s >= '0' && *s <= '9') {
				frac += (*s - '0') * scale;
				scale /= 10;
				s++;
			}
		}
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '-' ? -1 : 1;
		if (tz_num(&s, 2, &oh) || *s++ != ':' || tz_num(&s, 2, &om))
			return -1;
	} else
		return -1;
	if (*s != '\0')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > tz_month_days(y, mo) || h > 23 || mi > 59 ||
	    sec > 59 || oh > 23 || om > 59)
		return -1;
	t = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	t -= sign * (oh * 3600 + om * 60);
	*ms = t * 1000 + frac;
	return 0;
}

/* Formats UTC ms as "YYYY-MM-DDTHH:MM:SSZ" into buf. */
char *
iso8601_format_utc(int64_t ms, char *buf, size_t len)
{
	int64_t secs, days, y;
	int m, d, sod;

	secs = ms / 1000 - (ms % 1000 < 0);   /* floor, without negating INT64_MIN */
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	sod = (int)(secs - days * 86400);
	tz_civil_from_days(days, &y, &m, &d);
	snprintf(buf, len, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ", y, m, d, sod / 3600,
	    sod / 60 % 60, sod % 60);
	return buf;
}

/* Start of the local calendar day containing ms, in zone, as a UTC instant. */
int64_t
tz_day_start(const char *zone, int64_t ms)
{
	struct tm tm;
	time_t t;
	char *saved;

	if (tz_localtime(zone, ms, &tm) != 0) {
		int64_t day = 86400000LL;
		return ms >= 0 ? ms / day * day : -((-ms + day - 1) / day) * day;
	}
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	tz_enter(zone, &saved);
	t = mktime(&tm);
	tz_leave(saved);
	return (int64_t)t * 1000;
}

/* The instant of a wall time on the local day of ms (moved by add_days), in zone. */
int64_t
tz_wall_ms(const char *zone, int64_t ms, int add_days, int minutes)
{
	struct tm tm;
	time_t t;
	char *saved;

	if (tz_localtime(zone, ms, &tm) != 0)
		return -1;
	tm.tm_mday += add_days;       /* mktime normalises the date */
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	tz_enter(zone, &saved);
	t = mktime(&tm);
	tz_leave(saved);
	return (int64_t)t * 1000;
}

/* The UTC offset (seconds) of zone at UTC second t, or 0 when zone is unknown. */
static int64_t
tz_offset_at(const char *zone, int64_t t)
{
	struct tm tm;

	if (tz_localtime(zone, t * 1000, &tm) != 0)
		return 0;
	return (int64_t)tm.tm_gmtoff;
}

/* The UTC instant of local civil time y-mo-d h:mi:s in zone. */
int
tz_civil_ms(const char *zone, int y, int mo, int d, int h, int mi, int s, int64_t *ms)
{
	int64_t wall, before, after, t, best = 0;
	int found = 0;

	if (!tz_valid(zone) || y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    d > tz_month_days(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 ||
	    s > 59)
		return -1;
	/* The wall time read as if it were UTC; the zone's offsets a day either side of it
	 * are the only candidates (offsets change at most once in a day in tzdata). */
	wall = tz_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	before = tz_offset_at(zone, wall - 86400);
	after = tz_offset_at(zone, wall + 86400);
	t = wall - before;
	if (t + tz_offset_at(zone, t) == wall) {
		best = t;
		found = 1;
	}
	t = wall - after;
	if (t + tz_offset_at(zone, t) == wall && (!found || t < best)) {
		best = t;
		found = 1;
	}
	if (!found)             /* in a gap: the offset before it */
		best = wall - before;
	*ms = best * 1000;
	return 0;
}
