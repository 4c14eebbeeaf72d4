/* curses_mod.c: the full-screen interface's moderation lines: a removed line is replaced
 * where it stands, announcements are marked in the buffer you look at, reports reach
 * facilitators, what a facilitator did to us, the hub's welcome notice in the lobby; the
 * program's changes (one line each, and marked in the schedule). */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_int.h"
#include "ui/progtext.h"
#include "util/sanitize.h"
#include "util/strmap.h"
#include "util/xalloc.h"

/* /ids on or off: the lines are drawn again with or without their numbers. */
static void
curses_mod_ids(void *arg, bool on)
{
	struct curses *cu = arg;

	curses_addf(cu, CL_NOTICE, "%s", on ? _("chat lines now show their numbers, like "
	    "(12): /report 12 REASON, /delete 12") : _("chat lines no longer show their "
	    "numbers"));
	curses_mark(cu, CD_VIEW);
}

/* A facilitator removed a line: it vanishes from its buffer, a note takes its place. */
static void
curses_mod_line_removed(void *arg, const char *room, uint64_t seq, const char *by)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, room, NULL);
	struct cline *l;
	char *who = curses_s(by);
	size_t i;

	for (i = 0; b != NULL && i < b->n; i++) {
		l = curses_buf_line(b, i);
		if (l->seq != seq || (l->kind != CL_CHAT && l->kind != CL_ACTION))
			continue;
		free(l->prefix);
		free(l->text);
		l->prefix = xstrdup("--");
		l->text = xasprintf(_("(a line removed by %s)"), who);
		l->kind = CL_NOTICE;
		l->flags &= ~(unsigned)CLF_MENTION;
		curses_mark(cu, CD_VIEW);
		break;
	}
	free(who);
}

/* An announcement: marked, in the buffer being looked at. */
static void
curses_mod_announcement(void *arg, const char *from, const char *text)
{
	struct curses *cu = arg;
	char *f = curses_s(from), *t = curses_s(text), *prefix;

	prefix = xasprintf(_("[announcement] %s:"), f);
	curses_buf_add(cu, curses_buf_active(cu), CL_NOTICE, prefix, t, CLF_MENTION);
	if (cu->opts.mention_bell)
		curses_bell(cu);
	free(prefix);
	free(f);
	free(t);
}

/* A report, to a facilitator. */
static void
curses_mod_report(void *arg, const struct proto_report_ev *r, uint64_t rseq)
{
	struct curses *cu = arg;
	char *by = curses_s(r->by), *room = curses_s(r->room),
	    *from = curses_s(r->from != NULL ? r->from : "?"),
	    *text = curses_s(r->text != NULL ? r->text : ""), *why = curses_s(r->reason);

	curses_addf(cu, CL_ERROR, _("report %llu: %s reported line %lld of #%s (<%s> %s): %s"),
	    (unsigned long long)rseq, by, (long long)r->seq, room, from, text, why);
	free(by);
	free(room);
	free(from);
	free(text);
	free(why);
}

/* What a facilitator did to us. */
static void
curses_mod_moderation(void *arg, const struct proto_moderation *m)
{
	struct curses *cu = arg;
	char *by = curses_s(m->by != NULL ? m->by : "?"),
	    *why = curses_s(m->reason != NULL ? m->reason : ""), until[32];

	if (strcmp(m->action, "mute") == 0) {
		curses_time(cu, m->until, false, until, sizeof until);
		curses_addf(cu, CL_ERROR, _("you are muted by %s until %s%s%s"), by, until,
		    *why != '\0' ? ": " : "", why);
	} else if (strcmp(m->action, "unmute") == 0)
		curses_addf(cu, CL_NOTICE, _("%s lifted your mute"), by);
	else
		curses_addf(cu, CL_ERROR, strcmp(m->action, "kick") == 0 ?
		    _("you were removed by %s%s%s") : _("you were banned by %s%s%s"), by,
		    *why != '\0' ? ": " : "", why);
	free(by);
	free(why);
}

/* The hub's notice: in the lobby, a line per line. */
static void
curses_mod_notice(void *arg, const char *text)
{
	struct curses *cu = arg;
	char *clean = sanitize_text(text, strlen(text), SANITIZE_NEWLINES), *line, *nl;
	struct cbuf *lobby = curses_buf_get(cu, ROOM_LOBBY);

	for (line = clean; line != NULL; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		curses_buf_add(cu, lobby, CL_INFO, "", line, CLF_MINE);
	}
	free(clean);
}

/* A moderation request of ours was done. */
static void
curses_mod_done(void *arg, enum proto_type type, const char *room, const char *name,
    uint64_t seq, int minutes)
{
	struct curses *cu = arg;
	char *who = curses_s(name), *text = client_mod_done_text(type, room, who, seq, minutes);

	curses_addf(cu, CL_NOTICE, "%s", text);
	free(text);
	free(who);
}

/* The program changed: one line per change (at most PROGTEXT_MAX_LINES), and the
 * sessions added or changed are marked in the schedule for the rest of the run. */
static void
curses_mod_program_changed(void *arg, const struct program *old, const struct program *pg,
    const struct program_change *ch, size_t n, const char *by)
{
	struct curses *cu = arg;
	char *line;
	size_t i;
	struct timefmt tf = { NULL, false, false };

	(void)old;
	if (cu->client != NULL)
		client_timefmt(cu->client, &tf);
	tf.event_tz = pg->timezone;   /* the new program's */
	if (cu->changed == NULL)
		cu->changed = strmap_create();
	for (i = 0; i < n; i++) {
		if (ch[i].kind == PC_REMOVED)
			strmap_del(cu->changed, ch[i].old->id);
		else
			strmap_put(cu->changed, ch[i].new_->id, (void *)1);
		if (i >= PROGTEXT_MAX_LINES)
			continue;
		line = progtext_change(&tf, &ch[i], by);
		curses_addf(cu, CL_NOTICE, _("program: %s"), line);
		free(line);
	}
	if (n > PROGTEXT_MAX_LINES) {
		line = progtext_more(n - PROGTEXT_MAX_LINES);
		curses_addf(cu, CL_NOTICE, _("program: %s"), line);
		free(line);
	}
	curses_mark(cu, CD_VIEW);
}

/* Fills the moderation callbacks of v. */
void
curses_mod_view(struct client_view *v)
{
	v->mod_done = curses_mod_done;
	v->ids = curses_mod_ids;
	v->line_removed = curses_mod_line_removed;
	v->announcement = curses_mod_announcement;
	v->report = curses_mod_report;
	v->moderation = curses_mod_moderation;
	v->hub_notice = curses_mod_notice;
	v->program_changed = curses_mod_program_changed;
}
