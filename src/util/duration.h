/* duration.h: parse and format talk durations ("5m", "90s", "3:30", "3m30s", "1h"). */
#ifndef CONFAB_DURATION_H
#define CONFAB_DURATION_H

#include <stddef.h>
#include <stdint.h>

/* Largest accepted duration: 24 hours. */
#define DURATION_MAX_MS (24LL * 3600 * 1000)

/* Parses s into milliseconds. Accepts: "90" and "90s" (seconds), "5m", "1h", unit
 * combinations in descending order ("1h30m", "3m30s"), "M:SS" and "H:MM:SS". Returns 0 on
 * success, -1 when s is empty, malformed, zero, or longer than DURATION_MAX_MS. */
int duration_parse(const char *s, int64_t *ms);

/* Formats a remaining time for display into buf: "4:59", "1:02:03"; a positive remainder
 * is rounded up to the second (a countdown shows 0:01 until it reaches zero); zero or a
 * negative value (overtime) is shown counting up as "+0:12". Returns buf. */
char *duration_format_remaining(int64_t ms, char *buf, size_t len);

/* Formats a duration (not a countdown): "5:00", "1:30:00". Returns buf. */
char *duration_format(int64_t ms, char *buf, size_t len);

#endif
