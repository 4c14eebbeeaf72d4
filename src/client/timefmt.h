/* timefmt.h: times as the user asked to see them (config "time" and "clock", /tz and
 * /clock): in the conference's zone or the local one, on a 24-hour or 12-hour clock.
 * Shared by both front ends so that plain mode and the full-screen interface agree. */
#ifndef CONFAB_TIMEFMT_H
#define CONFAB_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct timefmt {
	const char *event_tz;  /* the conference's zone (IANA name), or NULL: none known */
	bool local;            /* show local time (else the conference's zone) */
	bool clock12;          /* 12-hour clock */
};

/* Formats ms with strftime format fmt in the zone tf chooses (the local zone when tf->local
 * or no event zone is known) into buf. Returns buf ("" on error). */
char *timefmt_strf(const struct timefmt *tf, int64_t ms, const char *fmt, char *buf,
    size_t len);
/* "14:05" or "2:05 PM"; with zone: "14:05 EDT", and when local time is shown and its UTC
 * offset differs from the conference's at ms, the offset too: "03:05 JST (UTC+9)". */
char *timefmt_clock(const struct timefmt *tf, int64_t ms, bool zone, char *buf, size_t len);
/* The zone part of timefmt_clock's zone at ms alone: "EST", "JST (UTC+9)". */
char *timefmt_zone(const struct timefmt *tf, int64_t ms, char *buf, size_t len);
/* "UTC+9", "UTC-3:30", "UTC" for an offset in seconds east of UTC, into buf. */
char *timefmt_offset(long gmtoff, char *buf, size_t len);

#endif
