/* import_time.c: dates, times of day and durations as conference exports write them. */

#include <stdint.h>
#include <string.h>

#include "import/import_int.h"
#include "util/tztime.h"

/* The largest duration read: a week (longer "events" are not sessions). */
#define IMPORT_TIME_MAX_DURATION_S (7LL * 24 * 3600)

/* Reads between min and max digits at *s into *v; 0, or -1 when there are too few. */
static int
import_time_digits(const char **s, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **s >= '0' && **s <= '9') {
		*v = *v * 10 + (**s - '0');
		(*s)++;
		n++;
	}
	return n >= min ? 0 : -1;
}

/* The number of days in month mo of year y. */
static int
import_time_month_days(int y, int mo)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[mo - 1];
}

/* Parses a UTC offset at s ("Z", "+HH:MM", "+HHMM", "+HH"); the rest must be empty. */
static int
import_time_offset(const char *s, struct import_civil *c)
{
	int sign, oh, om = 0;

	if (*s == '\0')
		return 0;
	c->has_offset = 1;
	if ((*s == 'Z' || *s == 'z') && s[1] == '\0') {
		c->offset_min = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	sign = *s++ == '-' ? -1 : 1;
	if (import_time_digits(&s, 2, 2, &oh) != 0)
		return -1;
	if (*s == ':')
		s++;
	if (*s != '\0' && import_time_digits(&s, 2, 2, &om) != 0)
		return -1;
	if (*s != '\0' || oh > 23 || om > 59)
		return -1;
	c->offset_min = sign * (oh * 60 + om);
	return 0;
}

/* Parses a date, with a time and an offset when given. */
int
import_time_datetime(const char *s, struct import_civil *c)
{
	memset(c, 0, sizeof *c);
	if (s == NULL)
		return -1;
	if (import_time_digits(&s, 4, 4, &c->y) != 0 || *s++ != '-' ||
	    import_time_digits(&s, 2, 2, &c->mo) != 0 || *s++ != '-' ||
	    import_time_digits(&s, 2, 2, &c->d) != 0)
		return -1;
	if (c->mo < 1 || c->mo > 12 || c->d < 1 || c->y < 1 ||
	    c->d > import_time_month_days(c->y, c->mo))
		return -1;
	if (*s == '\0')
		return 0;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	c->has_time = 1;
	if (import_time_digits(&s, 2, 2, &c->h) != 0 || *s++ != ':' ||
	    import_time_digits(&s, 2, 2, &c->mi) != 0)
		return -1;
	if (*s == ':') {
		s++;
		if (import_time_digits(&s, 2, 2, &c->s) != 0)
			return -1;
		if (*s == '.' || *s == ',') {   /* fractions of a second are dropped */
			s++;
			if (*s < '0' || *s > '9')
				return -1;
			while (*s >= '0' && *s <= '9')
				s++;
		}
	}
	if (c->h > 23 || c->mi > 59 || c->s > 59)
		return -1;
	return import_time_offset(s, c);
}

/* The instant of c: with its offset, or as local time in zone. */
int
import_time_civil_ms(const struct import_civil *c, const char *zone, int64_t *ms)
{
	int64_t t;

	if (c->has_offset) {
		/* read as UTC, then take the offset off */
		if (tz_civil_ms("UTC", c->y, c->mo, c->d, c->h, c->mi, c->s, &t) != 0)
			return -1;
		*ms = t - (int64_t)c->offset_min * 60000;
		return 0;
	}
	if (zone == NULL)
		return -1;
	return tz_civil_ms(zone, c->y, c->mo, c->d, c->h, c->mi, c->s, ms);
}

/* Parses a time of day "H:MM", "HH:MM" or "HH:MM:SS" into seconds after midnight. */
int
import_time_clock(const char *s, int *seconds)
{
	int h, m, sec = 0;

	if (s == NULL || import_time_digits(&s, 1, 2, &h) != 0 || *s++ != ':' ||
	    import_time_digits(&s, 2, 2, &m) != 0)
		return -1;
	if (*s == ':') {
		s++;
		if (import_time_digits(&s, 2, 2, &sec) != 0)
			return -1;
	}
	if (*s != '\0' || h > 23 || m > 59 || sec > 59)
		return -1;
	*seconds = h * 3600 + m * 60 + sec;
	return 0;
}

/* Parses a duration into ms: "H:MM", "HH:MM", "HH:MM:SS", "D:HH:MM", or whole minutes. */
int
import_time_duration(const char *s, int64_t *ms)
{
	int f[3], digits[3], n = 0;
	const char *p;
	int64_t secs;

	if (s == NULL || *s == '\0')
		return -1;
	for (;;) {
		p = s;
		if (n == 3 || import_time_digits(&s, 1, 4, &f[n]) != 0)
			return -1;
		digits[n++] = (int)(s - p);
		if (*s == '\0')
			break;
		if (*s++ != ':')
			return -1;
	}
	switch (n) {
	case 1:                 /* minutes */
		secs = (int64_t)f[0] * 60;
		break;
	case 2:                 /* hours and minutes */
		if (digits[1] != 2 || f[1] > 59)
			return -1;
		secs = (int64_t)f[0] * 3600 + f[1] * 60;
		break;
	default:                /* D:HH:MM (one digit, not 0, of days) or HH:MM:SS */
		if (digits[1] != 2 || digits[2] != 2 || f[2] > 59)
			return -1;
		if (digits[0] == 1 && f[0] > 0 && f[1] <= 23)
			secs = (int64_t)f[0] * 86400 + f[1] * 3600 + f[2] * 60;
		else if (f[1] <= 59)
			secs = (int64_t)f[0] * 3600 + f[1] * 60 + f[2];
		else
			return -1;
		break;
	}
	if (secs > IMPORT_TIME_MAX_DURATION_S)
		return -1;
	*ms = secs * 1000;
	return 0;
}
