/* duration.c: parse and format talk durations ("5m", "90s", "3:30", "3m30s", "1h"). */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/duration.h"

/* Reads up to 9 decimal digits at *s into *v; returns how many were read. */
static int
duration_digits(const char **s, int64_t *v)
{
	int n = 0;

	*v = 0;
	while (**s >= '0' && **s <= '9') {
		if (++n > 9)
			return -1;
		*v = *v * 10 + (**s - '0');
		(*s)++;
	}
	return n;
}

/* Parses "M:SS" or "H:MM:SS" (s points at the first number). */
static int
duration_parse_colon(const char *s, int64_t *secs)
{
	int64_t part[3];
	int nparts = 0, n;

	for (;;) {
		if (nparts == 3)
			return -1;
		n = duration_digits(&s, &part[nparts]);
		if (n <= 0)
			return -1;
		if (nparts > 0 && (n != 2 || part[nparts] >= 60))
			return -1;
		nparts++;
		if (*s == '\0')
			break;
		if (*s++ != ':')
			return -1;
	}
	if (nparts == 2)
		*secs = part[0] * 60 + part[1];
	else if (nparts == 3)
		*secs = part[0] * 3600 + part[1] * 60 + part[2];
	else
		return -1;
	return 0;
}

/* Parses "90", "90s", "5m", "1h", "1h30m", "3m30s" (units in descending order). */
static int
duration_parse_units(const char *s, int64_t *secs)
{
	static const char units[] = "hms";
	static const int64_t mult[] = { 3600, 60, 1 };
	int64_t v, total = 0;
	int n, next = 0, i;

	if (strspn(s, "0123456789") == strlen(s)) {
		if (duration_digits(&s, &v) <= 0)
			return -1;
		*secs = v;
		return 0;
	}
	while (*s != '\0') {
		n = duration_digits(&s, &v);
		if (n <= 0)
			return -1;
		for (i = next; i < 3; i++) {
			if (*s == units[i])
				break;
		}
		if (i == 3)
			return -1;
		s++;
		total += v * mult[i];
		next = i + 1;
	}
	*secs = total;
	return 0;
}

/* Parses s into milliseconds. Returns 0, or -1 when invalid, zero or too long. */
int
duration_parse(const char *s, int64_t *ms)
{
	int64_t secs;
	int rc;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	if (strchr(s, ':') != NULL)
		rc = duration_parse_colon(s, &secs);
	else
		rc = duration_parse_units(s, &secs);
	if (rc != 0 || secs <= 0 || secs * 1000 > DURATION_MAX_MS)
		return -1;
	*ms = secs * 1000;
	return 0;
}

/* Formats a whole number of seconds as "M:SS" or "H:MM:SS" with an optional prefix. */
static char *
duration_format_secs(const char *prefix, int64_t secs, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (secs >= 3600)
		snprintf(buf, len, "%s%" PRId64 ":%02d:%02d", prefix, secs / 3600,
		    (int)(secs / 60 % 60), (int)(secs % 60));
	else
		snprintf(buf, len, "%s%d:%02d", prefix, (int)(secs / 60), (int)(secs % 60));
	return buf;
}

/* Formats a countdown: positive rounds up to the second, overtime counts up as "+M:SS". */
char *
duration_format_remaining(int64_t ms, char *buf, size_t len)
{
	if (ms > 0)
		return duration_format_secs("", (ms + 999) / 1000, buf, len);
	if (ms < -INT64_MAX)
		ms = -INT64_MAX;
	return duration_format_secs("+", -ms / 1000, buf, len);
}

/* Formats a duration (not a countdown), rounded to the nearest second. */
char *
duration_format(int64_t ms, char *buf, size_t len)
{
	if (ms < 0) {
		if (ms < -INT64_MAX + 500)
			ms = -INT64_MAX + 500;
		return duration_format_secs("-", (-ms + 500) / 1000, buf, len);
	}
	if (ms > INT64_MAX - 500)
		ms = INT64_MAX - 500;
	return duration_format_secs("", (ms + 500) / 1000, buf, len);
}
