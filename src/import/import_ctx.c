/* import_ctx.c: the program builder that every reader feeds: an event's times from
 * frab's fields, its text cleaned, its kind, its identity and short id; events that cannot
 * be scheduled left out; the days settled; limits checked; the warnings gathered. The
 * program itself is then built and checked by program_from_json, like any program file. */

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "import/import_ctx.h"
#include "import/import_int.h"
#include "import/import_kinds.h"
#include "import/import_text.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* Creates a builder. */
struct import_ctx *
import_ctx_create(const char *name, const struct import_options *opts,
    enum import_format format)
{
	struct import_ctx *ctx = xcalloc(1, sizeof *ctx);

	ctx->name = xstrdup(name != NULL ? name : "-");
	if (opts != NULL && opts->timezone != NULL)
		ctx->opt_zone = xstrdup(opts->timezone);
	ctx->kinds = opts != NULL ? opts->kinds : NULL;
	ctx->format = format;
	ctx->day_change = PROGRAM_DAY_CHANGE_DEFAULT;
	return ctx;
}

/* Frees a builder; safe on NULL. */
void
import_ctx_free(struct import_ctx *ctx)
{
	size_t i;

	if (ctx == NULL)
		return;
	for (i = 0; i < ctx->n; i++) {
		program_session_clear(&ctx->sessions[i].s);
		free(ctx->sessions[i].label);
	}
	free(ctx->sessions);
	free(ctx->days);
	for (i = 0; i < ctx->nwarnings; i++)
		free(ctx->warnings[i]);
	free(ctx->warnings);
	free(ctx->skipped.names.s);
	free(ctx->cut_desc.names.s);
	free(ctx->cut_title.names.s);
	free(ctx->cut_speakers.names.s);
	free(ctx->cut_other.names.s);
	free(ctx->name);
	free(ctx->opt_zone);
	free(ctx->title);
	free(ctx->zone);
	free(ctx->error);
	free(ctx);
}

/* The file's name. */
const char *
import_ctx_name(const struct import_ctx *ctx)
{
	return ctx->name;
}

/* Appends a new copy of s to the list *v of *n strings. */
void
import_ctx_strv_add(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
}

/* Frees the strings of ev and zeroes it. */
void
import_ctx_event_clear(struct import_event *ev)
{
	char **strs[] = {
		&ev->guid, &ev->id, &ev->code, &ev->slug, &ev->title, &ev->subtitle, &ev->type,
		&ev->track, &ev->location, &ev->url, &ev->abstract, &ev->description,
		&ev->date, &ev->start, &ev->duration, &ev->end
	};
	size_t i;

	for (i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(*strs[i]);
	for (i = 0; i < ev->npersons; i++)
		free(ev->persons[i]);
	free(ev->persons);
	for (i = 0; i < ev->nlinks; i++)
		free(ev->links[i]);
	free(ev->links);
	memset(ev, 0, sizeof *ev);
}

static void import_ctx_failv(struct import_ctx *ctx, char *prefix, const char *fmt,
    va_list ap) __attribute__((format(printf, 3, 0)));

/* Records the first error: prefix (new string, taken), then the message. */
static void
import_ctx_failv(struct import_ctx *ctx, char *prefix, const char *fmt, va_list ap)
{
	char *msg;

	if (ctx->error != NULL) {
		free(prefix);
		return;
	}
	msg = xvasprintf(fmt, ap);
	ctx->error = xasprintf("%s%s", prefix, msg);
	free(msg);
	free(prefix);
}

/* Records the error that stops the import, at a line (0: none). */
void
import_ctx_fail(struct import_ctx *ctx, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_ctx_failv(ctx, line > 0 ? xasprintf("%s:%ld: ", ctx->name, line) :
	    xasprintf("%s: ", ctx->name), fmt, ap);
	va_end(ap);
}

/* Records the error that stops the import, at a JSON path. */
void
import_ctx_fail_path(struct import_ctx *ctx, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	import_ctx_failv(ctx, xasprintf("%s: %s: ", ctx->name, path), fmt, ap);
	va_end(ap);
}

/* True once an error was recorded. */
int
import_ctx_failed(const struct import_ctx *ctx)
{
	return ctx->error != NULL;
}

/* Adds a warning. */
void
import_ctx_warn(struct import_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	ctx->warnings = xreallocarray(ctx->warnings, ctx->nwarnings + 1,
	    sizeof *ctx->warnings);
	va_start(ap, fmt);
	ctx->warnings[ctx->nwarnings++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Counts an event in note, naming it (with why, when given) if it is among the first. */
void
import_ctx_note_add(struct import_note *note, const char *label, const char *why)
{
	if (note->n++ >= IMPORT_CTX_NAMED)
		return;
	if (note->names.len > 0)
		import_buf_adds(&note->names, ", ");
	import_buf_adds(&note->names, label);
	if (why != NULL) {
		import_buf_adds(&note->names, " (");
		import_buf_adds(&note->names, why);
		import_buf_adds(&note->names, ")");
	}
}

/* Leaves an event out. */
void
import_ctx_skip(struct import_ctx *ctx, const char *label, const char *reason)
{
	import_ctx_note_add(&ctx->skipped, label, reason);
}

/* A value from the file, safe and short enough to quote in a message (new string). */
static char *
import_ctx_show(const char *s)
{
	char *t = sanitize_str(s);

	if (strlen(t) > 60)
		import_text_cut(t, 60);
	return t;
}

/* Sets the program's title. */
void
import_ctx_set_title(struct import_ctx *ctx, const char *title)
{
	const char *base, *dot;

	free(ctx->title);
	ctx->title = import_text_line(title);
	if (*ctx->title == '\0') {      /* the file's name, without its directory and type */
		free(ctx->title);
		base = strrchr(ctx->name, '/');
		base = base != NULL ? base + 1 : ctx->name;
		dot = strrchr(base, '.');
		ctx->title = dot != NULL && dot > base ? xstrndup(base, (size_t)(dot - base)) :
		    xstrdup(base);
	}
	import_text_cut(ctx->title, PROGRAM_MAX_TITLE);
}

/* Sets the program's zone. */
int
import_ctx_set_zone(struct import_ctx *ctx, const char *zone, const char *path)
{
	char *safe;

	if (zone != NULL && *zone == '\0')
		zone = NULL;
	if (ctx->opt_zone != NULL && !tz_valid(ctx->opt_zone)) {
		safe = import_ctx_show(ctx->opt_zone);
		import_ctx_fail(ctx, 0, _("--timezone: unknown time zone \"%s\""), safe);
		free(safe);
		return -1;
	}
	if (zone != NULL && !tz_valid(zone) && ctx->opt_zone == NULL) {
		safe = import_ctx_show(zone);
		import_ctx_fail_path(ctx, path, _("unknown time zone \"%s\" (give the right one "
		    "with --timezone ZONE)"), safe);
		free(safe);
		return -1;
	}
	if (ctx->opt_zone == NULL && zone == NULL) {
		import_ctx_fail(ctx, 0, _("the file names no time zone (%s): give the "
		    "conference's with --timezone ZONE, e.g. --timezone Europe/Brussels"), path);
		return -1;
	}
	if (ctx->opt_zone != NULL && zone != NULL && strcmp(zone, ctx->opt_zone) != 0) {
		safe = import_ctx_show(zone);
		import_ctx_warn(ctx, _("--timezone %s replaces the time zone of the file, %s"),
		    ctx->opt_zone, safe);
		free(safe);
	}
	free(ctx->zone);
	ctx->zone = xstrdup(ctx->opt_zone != NULL ? ctx->opt_zone : zone);
	return 0;
}

/* The program's zone. */
const char *
import_ctx_zone(const struct import_ctx *ctx)
{
	return ctx->zone;
}

/* Sets the day change for days without a start. */
void
import_ctx_set_day_change(struct import_ctx *ctx, int minutes)
{
	ctx->day_change = minutes;
}

/* Adds a conference day. */
int
import_ctx_add_day(struct import_ctx *ctx, int y, int mo, int d, int has_start,
    int64_t start_ms)
{
	struct import_day *day;
	struct tm tm;

	if (ctx->ndays == ctx->daycap) {
		ctx->daycap = ctx->daycap ? ctx->daycap * 2 : 8;
		ctx->days = xreallocarray(ctx->days, ctx->daycap, sizeof *ctx->days);
	}
	day = &ctx->days[ctx->ndays];
	memset(day, 0, sizeof *day);
	day->y = y;
	day->mo = mo;
	day->d = d;
	day->has_start = has_start;
	day->start_ms = start_ms;
	day->change_s = ctx->day_change * 60;
	/* a day that begins at 09:00 holds the night's events until 09:00 */
	if (has_start && ctx->zone != NULL && tz_localtime(ctx->zone, start_ms, &tm) == 0)
		day->change_s = tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
	/* a day with a date only begins at the day change */
	if (!has_start && y != 0 && ctx->zone != NULL && tz_civil_ms(ctx->zone, y, mo, d,
	    ctx->day_change / 60, ctx->day_change % 60, 0, &day->start_ms) == 0)
		day->has_start = 1;
	return (int)ctx->ndays++;
}

/* Records an error in a time field of ev. */
static void
import_ctx_fail_field(struct import_ctx *ctx, const struct import_event *ev,
    enum import_tfield f, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void
import_ctx_fail_field(struct import_ctx *ctx, const struct import_event *ev,
    enum import_tfield f, const char *fmt, ...)
{
	static const char *const names[IMPORT_T__COUNT] = {
		"date", "start", "duration", "end"
	};
	va_list ap;
	char *msg, *path;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	switch (ev->style) {
	case IMPORT_STYLE_JSON:
		path = xasprintf("%s.%s", ev->where, names[f]);
		import_ctx_fail_path(ctx, path, "%s", msg);
		free(path);
		break;
	case IMPORT_STYLE_XML:
		import_ctx_fail(ctx, ev->lines[f] > 0 ? ev->lines[f] : ev->line,
		    _("event %s: <%s>: %s"), ev->where, names[f], msg);
		break;
	default:
		import_ctx_fail(ctx, ev->line, _("event %s: %s: %s"), ev->where, names[f], msg);
		break;
	}
	free(msg);
}

/* Reads a date and time field of ev (with an offset, or local). 0, or -1 after failing. */
static int
import_ctx_instant(struct import_ctx *ctx, const struct import_event *ev,
    enum import_tfield f, const char *text, struct import_civil *c, int64_t *ms)
{
	char *safe;

	if (import_time_datetime(text, c) != 0 || !c->has_time ||
	    import_time_civil_ms(c, ctx->zone, ms) != 0) {
		safe = import_ctx_show(text);
		import_ctx_fail_field(ctx, ev, f, _("\"%s\" is not a date and time (ISO 8601, such as "
		    "\"2019-08-22T12:00:00+02:00\")"), safe);
		free(safe);
		return -1;
	}
	return 0;
}

/* The start of a frab event from its day's date and its start time: a start before the
 * day change is on the next calendar day. */
static int
import_ctx_day_start(struct import_ctx *ctx, const struct import_event *ev, int secs,
    int64_t *ms)
{
	const struct import_day *day = ev->day >= 0 ? &ctx->days[ev->day] : NULL;
	int64_t noon;
	struct tm tm;
	time_t t;

	if (day == NULL || day->y == 0) {
		import_ctx_fail_field(ctx, ev, IMPORT_T_DATE, "%s", _("missing, and the event's day "
		    "has no date to go with its start time"));
		return -1;
	}
	if (tz_civil_ms("UTC", day->y, day->mo, day->d, 12, 0, 0, &noon) != 0) {
		import_ctx_fail_field(ctx, ev, IMPORT_T_DATE, "%s", _("missing, and the event's day "
		    "has no date to go with its start time"));
		return -1;
	}
	if (secs < day->change_s)
		noon += IMPORT_CTX_DAY_MS;
	t = (time_t)(noon / 1000);
	gmtime_r(&t, &tm);
	return tz_civil_ms(ctx->zone, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    secs / 3600, secs / 60 % 60, secs % 60, ms);
}

/* The start of ev: from its date (a date without an offset is local time, unless its
 * start time shows it to be UTC, as in some XML exports), else from its day and start. */
static int
import_ctx_start(struct import_ctx *ctx, const struct import_event *ev, int64_t *ms)
{
	struct import_civil c;
	struct tm tm;
	int secs = -1;
	int64_t utc;
	char *safe;

	if (ev->start != NULL && *ev->start != '\0' && import_time_clock(ev->start, &secs) != 0)
		secs = -2;
	if (ev->date != NULL && *ev->date != '\0') {
		if (import_ctx_instant(ctx, ev, IMPORT_T_DATE, ev->date, &c, ms) != 0)
			return -1;
		if (!c.has_offset && secs >= 0 && c.h * 3600 + c.mi * 60 + c.s != secs) {
			c.has_offset = 1;       /* UTC, if the start says so */
			if (import_time_civil_ms(&c, NULL, &utc) == 0 &&
			    tz_localtime(ctx->zone, utc, &tm) == 0 &&
			    tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec == secs)
				*ms = utc;
		}
		return 0;
	}
	if (secs < 0) {
		if (secs == -1)
			import_ctx_fail_field(ctx, ev, IMPORT_T_START, "%s", _("missing (and so is the "
			    "date)"));
		else {
			safe = import_ctx_show(ev->start);
			import_ctx_fail_field(ctx, ev, IMPORT_T_START, _("\"%s\" is not a time of day "
			    "(HH:MM)"), safe);
			free(safe);
		}
		return -1;
	}
	if (import_ctx_day_start(ctx, ev, secs, ms) != 0) {
		if (!import_ctx_failed(ctx))
			import_ctx_fail_field(ctx, ev, IMPORT_T_START, "%s", _("out of range"));
		return -1;
	}
	return 0;
}

/* The times of ev. Returns 0, 1 when it cannot be scheduled (*skip says why), or -1. */
static int
import_ctx_times(struct import_ctx *ctx, const struct import_event *ev, int64_t *start,
    int64_t *end, const char **skip)
{
	struct import_civil c;
	int64_t dur;
	char *safe;

	if (ev->has_times) {
		*start = ev->start_ms;
		*end = ev->end_ms;
	} else {
		if (import_ctx_start(ctx, ev, start) != 0)
			return -1;
		if (ev->end != NULL && *ev->end != '\0') {
			if (import_ctx_instant(ctx, ev, IMPORT_T_END, ev->end, &c, end) != 0)
				return -1;
		} else if (ev->duration != NULL && *ev->duration != '\0') {
			if (import_time_duration(ev->duration, &dur) != 0) {
				safe = import_ctx_show(ev->duration);
				import_ctx_fail_field(ctx, ev, IMPORT_T_DURATION, _("\"%s\" is not a "
				    "duration (H:MM, HH:MM:SS or D:HH:MM, at most a week)"), safe);
				free(safe);
				return -1;
			}
			*end = *start + dur;
		} else {
			import_ctx_fail_field(ctx, ev, IMPORT_T_DURATION, "%s", _("missing (and there "
			    "is no end)"));
			return -1;
		}
	}
	if (*start < 0 || *start > IMPORT_CTX_MAX_TIME) {
		import_ctx_fail_field(ctx, ev, IMPORT_T_DATE, "%s", _("not between 1970 and 9999"));
		return -1;
	}
	if (*end < *start) {
		import_ctx_fail_field(ctx, ev, IMPORT_T_END, "%s", _("before the start"));
		return -1;
	}
	if (*end > IMPORT_CTX_MAX_TIME) {
		import_ctx_fail_field(ctx, ev, IMPORT_T_END, "%s", _("not between 1970 and 9999"));
		return -1;
	}
	if (*end == *start) {
		*skip = _("no duration");
		return 1;
	}
	return 0;
}

/* s as an id: lower-case letters, digits, '_' and '-' (other characters become '-'),
 * beginning with a letter or digit; NULL when nothing is left or (unless cut is set) it
 * is longer than an id may be. New string. */
static char *
import_ctx_slug(const char *s, int cut)
{
	char *out = xmalloc(strlen(s) + 1), *w = out;
	size_t n;

	for (; *s != '\0'; s++) {
		char c = *s;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			c = '-';
		if (w == out && (c == '-' || c == '_'))
			continue;
		if (c == '-' && w > out && w[-1] == '-')
			continue;
		*w++ = c;
	}
	n = (size_t)(w - out);
	if (n > IMPORT_CTX_MAX_ID && cut)
		n = IMPORT_CTX_MAX_ID;
	while (n > 0 && (out[n - 1] == '-' || out[n - 1] == '_'))
		n--;
	out[n] = '\0';
	if (n == 0 || n > IMPORT_CTX_MAX_ID) {
		free(out);
		return NULL;
	}
	return out;
}

/* FNV-1a 64 of the strings of v[0..n), each ended by a NUL. */
static uint64_t
import_ctx_hash(const char *const *v, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const unsigned char *c;
	size_t i;

	for (i = 0; i < n; i++) {
		for (c = (const unsigned char *)(v[i] != NULL ? v[i] : ""); ; c++) {
			h ^= *c;
			h *= 0x100000001b3ULL;
			if (*c == '\0')
				break;
		}
	}
	return h;
}

/* The one-line text of s, or NULL when s is NULL or that text is empty. New string. */
static char *
import_ctx_nonempty(const char *s)
{
	char *t;

	if (s == NULL)
		return NULL;
	t = import_text_line(s);
	if (*t == '\0') {
		free(t);
		return NULL;
	}
	return t;
}

/* The identity of an event: its guid (an iCal UID too), else "id:" and its id, else
 * "code:" and its code, else "hash:" and a hash of its title, start and location; a
 * guid too long to keep becomes "hash:" and its hash. New string. */
static char *
import_ctx_guid(const struct import_event *ev, const char *title, int64_t start,
    const char *location)
{
	char *g = NULL, *t, when[32];
	const char *v[3];

	if ((t = import_ctx_nonempty(ev->guid)) != NULL) {
		if (strlen(t) <= PROGRAM_MAX_GUID)
			return t;
		v[0] = t;
		g = xasprintf("hash:%016llx", (unsigned long long)import_ctx_hash(v, 1));
		free(t);
		return g;
	}
	if ((t = import_ctx_nonempty(ev->id)) != NULL && strlen(t) < PROGRAM_MAX_GUID - 3)
		g = xasprintf("id:%s", t);
	free(t);
	if (g == NULL && (t = import_ctx_nonempty(ev->code)) != NULL) {
		if (strlen(t) < PROGRAM_MAX_GUID - 5)
			g = xasprintf("code:%s", t);
		free(t);
	}
	if (g == NULL) {
		snprintf(when, sizeof when, "%lld", (long long)start);
		v[0] = title;
		v[1] = when;
		v[2] = location;
		g = xasprintf("hash:%016llx", (unsigned long long)import_ctx_hash(v, 3));
	}
	return g;
}

/* The short id an event would like: its numeric id, else its id, code or slug made an id,
 * else 8 hex digits of its identity's hash. New string. */
static char *
import_ctx_id(const struct import_event *ev, const char *guid)
{
	char *id = NULL;
	const char *v[1];

	if (ev->id != NULL)
		id = import_ctx_slug(ev->id, 0);
	if (id == NULL && ev->code != NULL)
		id = import_ctx_slug(ev->code, 0);
	if (id == NULL && ev->slug != NULL)
		id = import_ctx_slug(ev->slug, 1);
	if (id == NULL) {
		v[0] = guid;
		id = xasprintf("%08llx", (unsigned long long)(import_ctx_hash(v, 1) >> 32));
	}
	return id;
}

/* The description of ev: its subtitle, abstract, description and links, as plain text,
 * cut to the limit (noted). New string. */
static char *
import_ctx_description(struct import_ctx *ctx, const struct import_event *ev,
    const char *label)
{
	struct import_buf b = { NULL, 0, 0 };
	char *sub, *abs, *desc, *link, *text;
	size_t i;

	sub = import_text_line(ev->subtitle);
	abs = import_text_clean(ev->abstract);
	desc = import_text_clean(ev->description);
	/* exports often repeat the abstract at the start of the description */
	if (*abs != '\0' && strncmp(desc, abs, strlen(abs)) == 0)
		*abs = '\0';
	else if (*desc != '\0' && strstr(abs, desc) != NULL)
		*desc = '\0';
	for (i = 0; i < 3; i++) {
		text = i == 0 ? sub : i == 1 ? abs : desc;
		if (*text == '\0')
			continue;
		if (b.len > 0)
			import_buf_adds(&b, "\n\n");
		import_buf_adds(&b, text);
	}
	for (i = 0; i < ev->nlinks; i++) {
		link = import_text_line(ev->links[i]);
		if (*link != '\0') {
			import_buf_adds(&b, b.len == 0 ? "- " : i == 0 ? "\n\n- " : "\n- ");
			import_buf_adds(&b, link);
		}
		free(link);
	}
	free(sub);
	free(abs);
	free(desc);
	text = import_buf_take(&b);
	if (import_text_cut(text, PROGRAM_MAX_DESCRIPTION))
		import_ctx_note_add(&ctx->cut_desc, label, NULL);
	return text;
}

/* The speakers of ev into s: names cleaned, empty and repeated ones dropped, the first
 * PROGRAM_MAX_SPEAKERS kept, each cut to PROGRAM_MAX_SPEAKER bytes (noted). */
static void
import_ctx_speakers(struct import_ctx *ctx, const struct import_event *ev,
    struct session *s, const char *label)
{
	size_t i, j;
	int cut = 0;
	char *name;

	for (i = 0; i < ev->npersons; i++) {
		name = import_text_line(ev->persons[i]);
		cut |= import_text_cut(name, PROGRAM_MAX_SPEAKER);
		for (j = 0; j < s->nspeakers && strcmp(s->speakers[j], name) != 0; j++)
			;
		if (*name == '\0' || j < s->nspeakers) {
			free(name);
			continue;
		}
		if (s->nspeakers == PROGRAM_MAX_SPEAKERS) {
			cut = 1;
			free(name);
			break;
		}
		s->speakers = xreallocarray(s->speakers, s->nspeakers + 1, sizeof *s->speakers);
		s->speakers[s->nspeakers++] = name;
	}
	if (cut)
		import_ctx_note_add(&ctx->cut_speakers, label, NULL);
}

/* A free-text field of at most max bytes (NULL when empty); cut is set when it was cut. */
static char *
import_ctx_field(const char *s, size_t max, int *cut)
{
	char *t = import_ctx_nonempty(s);

	if (t != NULL)
		*cut |= import_text_cut(t, max);
	return t;
}

/* The label of ev in warnings: its id (or where it is) and its title. New string. */
static char *
import_ctx_label(const struct import_event *ev, const char *title)
{
	char *t = import_ctx_show(title), *id, *label;
	const char *idv = ev->id != NULL ? ev->id : ev->code != NULL ? ev->code : ev->guid;

	if (idv != NULL)
		id = import_ctx_show(idv);
	else if (ev->line > 0)
		id = xasprintf(_("line %ld"), ev->line);
	else
		id = import_ctx_show(ev->where);
	label = *t != '\0' ? xasprintf("%s \"%s\"", id, t) : xstrdup(id);
	free(id);
	free(t);
	return label;
}

/* Adds an event. */
int
import_ctx_add_event(struct import_ctx *ctx, struct import_event *ev)
{
	struct import_session is;
	struct session *s = &is.s;
	const char *skip = NULL;
	char *title;
	int rc, cut = 0;

	if (ctx->n >= IMPORT_CTX_MAX_EVENTS) {
		import_ctx_fail(ctx, ev->line, _("more than %d events (a program holds at most %d "
		    "sessions)"), IMPORT_CTX_MAX_EVENTS, PROGRAM_MAX_SESSIONS);
		return -1;
	}
	memset(&is, 0, sizeof is);
	title = import_text_line(ev->title);
	is.label = import_ctx_label(ev, title);
	rc = import_ctx_times(ctx, ev, &s->start_ms, &s->end_ms, &skip);
	if (rc == 0 && *title == '\0') {
		skip = _("no title");
		rc = 1;
	}
	if (rc != 0) {
		if (rc > 0)
			import_ctx_skip(ctx, is.label, skip);
		free(title);
		free(is.label);
		return rc < 0 ? -1 : 0;
	}
	if (import_text_cut(title, PROGRAM_MAX_TITLE))
		import_ctx_note_add(&ctx->cut_title, is.label, NULL);
	s->title = title;
	is.day = ev->day;
	s->description = import_ctx_description(ctx, ev, is.label);
	import_ctx_speakers(ctx, ev, s, is.label);
	s->location = import_ctx_field(ev->location, PROGRAM_MAX_LOCATION, &cut);
	s->track = import_ctx_field(ev->track, PROGRAM_MAX_TRACK, &cut);
	s->url = import_ctx_nonempty(ev->url);
	if (s->url != NULL && (strlen(s->url) > PROGRAM_MAX_URL || strchr(s->url, ' ') != NULL ||
	    (strncmp(s->url, "https://", 8) != 0 && strncmp(s->url, "http://", 7) != 0))) {
		free(s->url);   /* relative to a base, too long to be of use, or not a link */
		s->url = NULL;
	}
	if (cut)
		import_ctx_note_add(&ctx->cut_other, is.label, NULL);
	s->kind = import_kinds_classify(ctx->kinds, ev->type, ev->track, s->title);
	s->guid = import_ctx_guid(ev, s->title, s->start_ms, s->location);
	s->id = import_ctx_id(ev, s->guid);
	is.next_same = SIZE_MAX;
	if (ctx->n == ctx->cap) {
		ctx->cap = ctx->cap ? ctx->cap * 2 : 64;
		ctx->sessions = xreallocarray(ctx->sessions, ctx->cap, sizeof *ctx->sessions);
	}
	ctx->sessions[ctx->n++] = is;
	return 0;
}
