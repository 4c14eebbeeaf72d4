/* icalout.h: sessions written as an iCalendar file (RFC 5545) that calendar programs
 * import: one VEVENT per session, times in UTC, text escaped, lines folded at 75 octets
 * (never inside a UTF-8 character), CRLF line ends. */
#ifndef CONFAB_ICALOUT_H
#define CONFAB_ICALOUT_H

#include <stddef.h>
#include <stdint.h>

#include "model/program.h"

/* Returns a new string: a VCALENDAR with the n sessions ss of p. hub names the hub (e.g.
 * "hub.example-7450"): each UID is "ID@HUB", stable across exports; now_ms is the
 * DTSTAMP. */
char *icalout_write(const struct program *p, const struct session *const *ss, size_t n,
    const char *hub, int64_t now_ms);

/* Appends value escaped as an iCalendar TEXT (backslash, ';', ',' and newlines; other
 * control characters dropped) to the buffer *buf of *len bytes (grown as needed).
 * Exposed for the tests. */
void icalout_escape(char **buf, size_t *len, const char *value);

#endif
