/* tztime.h: civil time in a named IANA zone, and ISO 8601 instants. */
#ifndef CONFAB_TZTIME_H
#define CONFAB_TZTIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* True when zone names a time zone known to this system (tzdata). */
int tz_valid(const char *zone);

/* Breaks UTC instant ms down into local civil time in zone (tm_gmtoff, tm_zone set;
 * tm_zone points to static storage valid until the next call). Returns 0, or -1. */
int tz_localtime(const char *zone, int64_t ms, struct tm *out);

/* Formats instant ms in zone with strftime format fmt into buf. Returns buf ("" on error). */
char *tz_format(const char *zone, int64_t ms, const char *fmt, char *buf, size_t len);

/* Parses an ISO 8601 / RFC 3339 instant "YYYY-MM-DDTHH:MM[:SS[.fff]](Z|+HH:MM|-HH:MM)"
 * into UTC ms. Returns 0, or -1 when malformed or without an offset. */
int iso8601_parse(const char *s, int64_t *ms);

/* Formats UTC ms as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). Returns buf. */
char *iso8601_format_utc(int64_t ms, char *buf, size_t len);

/* Start of the local calendar day containing ms, in zone, as a UTC instant. */
int64_t tz_day_start(const char *zone, int64_t ms);

/* The UTC instant of local wall time minutes after midnight (0..1439) on the local
 * calendar day of ms, moved by add_days days, in zone. A wall time that does not exist
 * (skipped by a change to summer time) resolves as mktime() does, to the instant just
 * after the gap. Returns -1 when zone is unknown. */
int64_t tz_wall_ms(const char *zone, int64_t ms, int add_days, int minutes);

/* The UTC instant (ms) of local civil time y-mo-d h:mi:s in zone, into *ms; returns 0, or
 * -1 when zone is unknown or a field is out of range. As RFC 5545 says: a wall time that
 * happens twice (when the clocks go back) is its first occurrence; one that does not
 * exist (skipped when they go forward) is read with the offset in force before the gap,
 * so 02:30 on a spring-forward night at 02:00 becomes 03:30. */
int tz_civil_ms(const char *zone, int y, int mo, int d, int h, int mi, int s, int64_t *ms);

#endif
