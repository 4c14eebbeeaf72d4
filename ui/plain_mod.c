/* plain_mod.c: the plain front end's lines for moderation and the code of conduct: a
 * removed line, announcements, reports (to facilitators), what a facilitator did to us,
 * the hub's welcome notice, /ids, and the program's changes (one line each). Every line
 * stands alone, as all of plain mode's. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/plain_int.h"
#include "ui/progtext.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/xalloc.h"

/* /ids on or off. */
static void
plain_ids(void *arg, bool on)
{
	plain_line(arg, "confab", "%s", on ? _("chat lines now show their numbers, like "
	    "(12): /report 12 REASON, /delete 12") : _("chat lines no longer show their "
	    "numbers"));
}

/* A facilitator removed a line. */
static void
plain_line_removed(void *arg, const char *room, uint64_t seq, const char *by)
{
	struct plain *p = arg;
	char tag[ROOM_ID_MAX * 4 + 8];

	plain_room_tag(p, room, tag, sizeof tag);
	plain_line(p, tag, _("line %llu was removed by %s"), (unsigned long long)seq,
	    plain_s(p, by));
}

/* An announcement. */
static void
plain_announcement(void *arg, const char *from, const char *text)
{
	struct plain *p = arg;

	plain_line(p, "announcement", "%s: %s", plain_s(p, from), plain_s(p, text));
}

/* A report, to a facilitator. */
static void
plain_report(void *arg, const struct proto_report_ev *r, uint64_t rseq)
{
	struct plain *p = arg;

	plain_line(p, "report", _("%llu: %s reported line %lld of #%s (<%s> %s): %s"),
	    (unsigned long long)rseq, plain_s(p, r->by), (long long)r->seq, plain_s(p, r->room),
	    plain_s(p, r->from != NULL ? r->from : "?"), plain_s(p, r->text != NULL ? r->text :
	    ""), plain_s(p, r->reason));
}

/* What a facilitator did to us. */
static void
plain_moderation(void *arg, const struct proto_moderation *m)
{
	struct plain *p = arg;
	const char *by = plain_s(p, m->by != NULL ? m->by : "?");
	char why[PROTO_MAX_REASON * 4 + 16] = "", until[32];

	if (m->reason != NULL && *m->reason != '\0')
		snprintf(why, sizeof why, ": %s", plain_s(p, m->reason));
	if (strcmp(m->action, "mute") == 0) {
		plain_clock(m->until, until, sizeof until);
		plain_line(p, "moderation", _("you are muted by %s until %s%s"), by, until, why);
	} else if (strcmp(m->action, "unmute") == 0)
		plain_line(p, "moderation", _("%s lifted your mute"), by);
	else if (strcmp(m->action, "kick") == 0)
		plain_line(p, "moderation", _("you were removed by %s%s"), by, why);
	else
		plain_line(p, "moderation", _("you were banned by %s%s"), by, why);
}

/* The hub's notice: one line per line of it. */
static void
plain_hub_notice(void *arg, const char *text)
{
	struct plain *p = arg;
	char *clean = sanitize_text(text, strlen(text), SANITIZE_NEWLINES), *line, *nl;

	for (line = clean; line != NULL; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		if (*line != '\0')
			plain_line(p, "notice", "%s", line);
	}
	free(clean);
}

/* A moderation request of ours was done. */
static void
plain_mod_done(void *arg, enum proto_type type, const char *room, const char *name,
    uint64_t seq, int minutes)
{
	struct plain *p = arg;
	char *text = client_mod_done_text(type, room, plain_s(p, name), seq, minutes);

	plain_line(p, "confab", "%s", text);
	free(text);
}

/* The program changed: one line per change, at most PROGTEXT_MAX_LINES. */
static void
plain_program_changed(void *arg, const struct program *old, const struct program *pg,
    const struct program_change *ch, size_t n, const char *by)
{
	struct plain *p = arg;
	char *line;
	size_t i;
	struct timefmt tf = { NULL, false, false };

	(void)old;
	if (p->client != NULL)
		client_timefmt(p->client, &tf);
	tf.event_tz = pg->timezone;   /* the new program's */
	for (i = 0; i < n && i < PROGTEXT_MAX_LINES; i++) {
		line = progtext_change(&tf, &ch[i], by);
		plain_line(p, "program", "%s", line);
		free(line);
	}
	if (n > PROGTEXT_MAX_LINES) {
		line = progtext_more(n - PROGTEXT_MAX_LINES);
		plain_line(p, "program", "%s", line);
		free(line);
	}
}

/* Fills the moderation callbacks of v. */
void
plain_mod_view(struct client_view *v)
{
	v->mod_done = plain_mod_done;
	v->ids = plain_ids;
	v->line_removed = plain_line_removed;
	v->announcement = plain_announcement;
	v->report = plain_report;
	v->moderation = plain_moderation;
	v->hub_notice = plain_hub_notice;
	v->program_changed = plain_program_changed;
}
