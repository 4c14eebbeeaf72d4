/* timefmt.c: times in the zone and on the clock the user chose (see timefmt.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client/timefmt.h"
#include "util/tztime.h"

/* Formats ms with fmt in the zone tf chooses. */
char *
timefmt_strf(const struct timefmt *tf, int64_t ms, const char *fmt, char *buf, size_t len)
{
	return tz_format(!tf->local ? tf->event_tz : NULL, ms, fmt, buf, len);
}

/* "UTC+9", "UTC-3:30" or "UTC" for gmtoff seconds east. */
char *
timefmt_offset(long gmtoff, char *buf, size_t len)
{
	long m = (gmtoff < 0 ? -gmtoff : gmtoff) / 60;

	if (m == 0)
		snprintf(buf, len, "UTC");
	else if (m % 60 == 0)
		snprintf(buf, len, "UTC%c%ld", gmtoff < 0 ? '-' : '+', m / 60);
	else
		snprintf(buf, len, "UTC%c%ld:%02ld", gmtoff < 0 ? '-' : '+', m / 60, m % 60);
	return buf;
}

/* Appends " (UTC+9)" to buf when local time is shown and its offset at ms is not the
 * conference's (a zone called by its offset already, like "UTC" or "+14", says it). */
static char *
timefmt_note_offset(const struct timefmt *tf, int64_t ms, char *buf, size_t len)
{
	struct tm local, event;
	char off[32];
	size_t n;

	if (!tf->local || tf->event_tz == NULL || len == 0)
		return buf;
	if (tz_localtime(tf->event_tz, ms, &event) != 0 || tz_localtime(NULL, ms, &local) != 0 ||
	    local.tm_gmtoff == event.tm_gmtoff)
		return buf;
	timefmt_offset(local.tm_gmtoff, off, sizeof off);
	n = strlen(buf);
	if (local.tm_zone != NULL && (strcmp(local.tm_zone, off) == 0 ||
	    local.tm_zone[0] == '+' || local.tm_zone[0] == '-'))
		return buf;
	snprintf(buf + n, len - n, " (%s)", off);
	return buf;
}

/* The clock time of ms, with the zone (and the local offset when it is not the
 * conference's) when zone is set. */
char *
timefmt_clock(const struct timefmt *tf, int64_t ms, bool zone, char *buf, size_t len)
{
	const char *fmt = tf->clock12 ? (zone ? "%I:%M %p %Z" : "%I:%M %p") :
	    (zone ? "%H:%M %Z" : "%H:%M");

	timefmt_strf(tf, ms, fmt, buf, len);
	return zone ? timefmt_note_offset(tf, ms, buf, len) : buf;
}

/* The zone of the times shown at ms: "EST", or "JST (UTC+9)" as timefmt_clock says it. */
char *
timefmt_zone(const struct timefmt *tf, int64_t ms, char *buf, size_t len)
{
	timefmt_strf(tf, ms, "%Z", buf, len);
	return timefmt_note_offset(tf, ms, buf, len);
}
