/* client_part_text.c: participation's sentences, shared by the plain and full-screen front
 * ends so that both say the same thing: what happened to an item, a list's rows, vote
 * counts, queues, answers to our requests and alerts. Every string from the network is
 * sanitised (runs of white space squeezed) before it goes in. */
#include "util/i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* A sanitised copy of network text (new). */
static char *
text_s(const char *s)
{
	return sanitize_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0, SANITIZE_SQUEEZE);
}

/* The translated word for a slot's kind. */
static const char *
text_format(enum lineup_kind k)
{
	return k == LK_PITCH ? _("pitch") : _("talk");
}

/* Appends a formatted piece to *s (a new string, reallocated). */
static void __attribute__((format(printf, 2, 3)))
text_add(char **s, const char *fmt, ...)
{
	va_list ap;
	char *piece, *n;

	va_start(ap, fmt);
	piece = xvasprintf(fmt, ap);
	va_end(ap);
	n = xasprintf("%s%s", *s, piece);
	free(*s);
	free(piece);
	*s = n;
}

/* "topic 3", "question 7", "poll 9", "signup 4": a line's tag, like "#lobby" or "timer
 * main" not translated (a reader filters lines by them). */
char *
client_item_tag(const struct part_item *it)
{
	return xasprintf("%s %lld", part_kind_name(it->kind), (long long)it->id);
}

/* "topic 3", "question 7", ... inside a sentence (translated). */
static char *
text_item_name(const struct part_item *it)
{
	switch (it->kind) {
	case PK_TOPIC: return xasprintf(_("topic %lld"), (long long)it->id);
	case PK_QUESTION: return xasprintf(_("question %lld"), (long long)it->id);
	case PK_POLL: return xasprintf(_("poll %lld"), (long long)it->id);
	default: return xasprintf(_("sign-up %lld"), (long long)it->id);
	}
}

/* A poll's choices with their numbers: "1 yes, 2 no, 3 abstain" (new, sanitised). */
static char *
text_choices(const struct part_item *it, bool counts)
{
	char *s = xstrdup(""), *c;
	size_t i;

	for (i = 0; i < it->nchoices; i++) {
		c = text_s(it->choices[i]);
		if (counts)
			text_add(&s, "%s%s %lld", i > 0 ? ", " : "", c, (long long)it->counts[i]);
		else
			text_add(&s, "%s%zu %s", i > 0 ? ", " : "", i + 1, c);
		free(c);
	}
	return s;
}

/* A poll's result: "yes 8, no 3 (11 votes): yes wins" (new). */
static char *
text_result(const struct part_item *it)
{
	char *counts = text_choices(it, true), *r, *w;
	int win = part_item_winner(it);

	if (it->votes == 0)
		r = xasprintf("%s: %s", counts, _("no votes"));
	else if (win < 0)
		r = xasprintf(P_("%s (%lld vote): a tie", "%s (%lld votes): a tie", it->votes),
		    counts, (long long)it->votes);
	else {
		w = text_s(it->choices[win]);
		r = xasprintf(P_("%s (%lld vote): \"%s\" wins", "%s (%lld votes): \"%s\" wins",
		    it->votes), counts, (long long)it->votes, w);
		free(w);
	}
	free(counts);
	return r;
}

/* What happened to a new item. */
static char *
text_new(const struct part_item *it, const char *by, const char *title)
{
	char *choices, *r;

	switch (it->kind) {
	case PK_TOPIC:
		if (it->session[0] != '\0')
			return xasprintf(_("%s proposed \"%s\" for %s: /vote %lld"), by, title,
			    it->session, (long long)it->id);
		return xasprintf(_("%s proposed \"%s\": /vote %lld"), by, title, (long long)it->id);
	case PK_QUESTION:
		if (it->anonymous)
			return xasprintf(_("someone asks (%s): \"%s\": /upvote %lld"), it->session,
			    title, (long long)it->id);
		return xasprintf(_("%s asks (%s): \"%s\": /upvote %lld"), by, it->session, title,
		    (long long)it->id);
	case PK_POLL:
		choices = text_choices(it, false);
		r = xasprintf(_("%s asks: \"%s\" %s; vote with /poll vote %lld CHOICE%s"), by,
		    title, choices, (long long)it->id, it->secret ?
		    _(" (secret: the results come when it closes)") : "");
		free(choices);
		return r;
	default:
		return xasprintf(_("%s asks for a %s slot: \"%s\": /signups accept %lld"), by,
		    text_format(it->format), title, (long long)it->id);
	}
}

/* One line that says what happened to it. */
char *
client_item_text(const struct part_item *it, enum client_item_change change, const char *by)
{
	char *title = text_s(it->title), *who, *r, *x, *note;

	who = by != NULL && *by != '\0' ? text_s(by) : xstrdup(change == CI_NEW ?
	    _("someone") : _("a facilitator"));
	switch (change) {
	case CI_NEW:
		if (it->by[0] != '\0') {
			free(who);
			who = text_s(it->by);
		}
		r = text_new(it, who, title);
		break;
	case CI_PROMOTED:
		r = xasprintf(_("\"%s\" runs in #%s now (opened by %s): /join %s"), title, it->room,
		    who, it->room);
		break;
	case CI_MERGED:
		r = xasprintf(_("%s merged \"%s\" into topic %lld: its votes count there"), who,
		    title, (long long)it->into);
		break;
	case CI_ANSWERED:
		r = xasprintf(_("%s marked \"%s\" answered"), who, title);
		break;
	case CI_PINNED:
		r = xasprintf(it->pinned ? _("%s pinned \"%s\" to the top") :
		    _("%s unpinned \"%s\""), who, title);
		break;
	case CI_CLOSED:
		x = text_result(it);
		r = xasprintf(_("closed: \"%s\": %s"), title, x);
		free(x);
		break;
	case CI_ACCEPTED:
		x = text_s(it->by);
		r = xasprintf(_("%s put \"%s\" by %s into the lineup"), who, title, x);
		free(x);
		break;
	case CI_DECLINED:
		x = text_s(it->by);
		note = it->note != NULL ? text_s(it->note) : NULL;
		r = xasprintf(_("%s declined \"%s\" by %s%s%s"), who, title, x,
		    note != NULL ? ": " : "", note != NULL ? note : "");
		free(note);
		free(x);
		break;
	case CI_HIDDEN:
		r = xasprintf(_("hidden by %s"), who);
		break;
	default:
		r = xasprintf(_("changed: \"%s\""), title);
		break;
	}
	free(who);
	free(title);
	return r;
}

/* "14 votes", "1 upvote". */
static char *
text_votes(const struct part_item *it)
{
	if (it->kind == PK_QUESTION)
		return xasprintf(P_("%lld upvote", "%lld upvotes", it->votes), (long long)it->votes);
	return xasprintf(P_("%lld vote", "%lld votes", it->votes), (long long)it->votes);
}

/* One line for a list. */
char *
client_item_row(const struct part_item *it)
{
	char *title = text_s(it->title), *by = text_s(it->by), *v = text_votes(it), *r, *x;

	switch (it->kind) {
	case PK_POLL:
		if (it->has_counts) {
			x = text_result(it);
			/* (the state in the sentence: its word agrees with "poll" in some
			 * languages) */
			r = xasprintf(it->state == PS_OPEN ? _("%lld. \"%s\" (open): %s") :
			    _("%lld. \"%s\" (closed): %s"), (long long)it->id, title, x);
			free(x);
		} else
			r = xasprintf(_("%lld. \"%s\" (open): %s, secret until it closes"),
			    (long long)it->id, title, v);
		if (it->choice >= 0 && (size_t)it->choice < it->nchoices) {
			x = text_s(it->choices[it->choice]);
			text_add(&r, _("; you chose \"%s\""), x);
			free(x);
		} else if (it->state == PS_OPEN && !it->has_counts) {
			x = text_choices(it, false);
			text_add(&r, _("; choices: %s"), x);
			free(x);
		}
		break;
	case PK_SIGNUP:
		r = xasprintf(_("%lld. %s: \"%s\" by %s"), (long long)it->id,
		    text_format(it->format), title, by);
		text_add(&r, "%s", it->state == PS_ACCEPTED ? _("; in the lineup") :
		    it->state == PS_DECLINED ? _("; declined") : _("; waiting for an answer"));
		if (it->note != NULL) {
			x = text_s(it->note);
			text_add(&r, ": %s", x);
			free(x);
		}
		break;
	default:
		if (it->anonymous)
			r = xasprintf(_("%lld. %s: \"%s\" (anonymous)"), (long long)it->id, v, title);
		else
			r = xasprintf(_("%lld. %s: \"%s\" by %s"), (long long)it->id, v, title, by);
		if (it->state == PS_RUNNING)
			text_add(&r, _("; runs in #%s"), it->room);
		if (it->state == PS_ANSWERED)
			text_add(&r, "%s", _("; answered"));
		if (it->pinned)
			text_add(&r, "%s", _("; pinned"));
		if (it->voted)
			text_add(&r, "%s", _("; you voted"));
		break;
	}
	free(title);
	free(by);
	free(v);
	return r;
}

/* "now has 14 votes", a poll's counts. */
char *
client_tally_text(const struct part_item *it)
{
	char *x, *r;

	if (it->kind == PK_POLL && it->has_counts) {
		x = text_choices(it, true);
		r = xasprintf(P_("%s (%lld vote so far)", "%s (%lld votes so far)", it->votes), x,
		    (long long)it->votes);
		free(x);
		return r;
	}
	if (it->kind == PK_POLL)
		return xasprintf(P_("%lld vote so far (secret until it closes)",
		    "%lld votes so far (secret until it closes)", it->votes), (long long)it->votes);
	if (it->kind == PK_QUESTION)
		return xasprintf(P_("now has %lld upvote", "now has %lld upvotes", it->votes),
		    (long long)it->votes);
	return xasprintf(P_("now has %lld vote", "now has %lld votes", it->votes),
	    (long long)it->votes);
}

/* What a front end says when a participation request of ours was done (NULL: nothing,
 * the event that follows tells it). */
char *
client_part_done_text(const struct client_part_done *d, const struct part_item *it)
{
	char *tag, *r = NULL, *c;
	struct part_item anon;

	memset(&anon, 0, sizeof anon);
	anon.id = d->item;
	anon.kind = d->type == PT_VOTE && d->choice >= 0 ? PK_POLL : PK_TOPIC;
	tag = text_item_name(it != NULL ? it : &anon);
	switch (d->type) {
	case PT_VOTE:
		if (d->choice >= 0 && it != NULL && (size_t)d->choice < it->nchoices) {
			c = text_s(it->choices[d->choice]);
			r = xasprintf(d->dup ? _("you had chosen \"%s\" in %s already") :
			    _("you chose \"%s\" in %s"), c, tag);
			free(c);
		} else
			r = xasprintf(d->dup && !d->resent ? _("you had voted for %s already") :
			    _("you voted for %s"), tag);
		break;
	case PT_UNVOTE:
		r = xasprintf(d->dup && !d->resent ? _("you had not voted for %s") :
		    _("you took your vote for %s back"), tag);
		break;
	case PT_HAND:
		if (d->dup && !d->resent)
			r = xasprintf(d->up ? _("your hand is up already in #%s") :
			    _("your hand was not up in #%s"), d->room);
		break;
	case PT_SIGNUP:
		r = xasprintf(_("your request is in as sign-up %lld: a facilitator will answer it"),
		    (long long)d->item);
		break;
	default:
		break;
	}
	free(tag);
	return r;
}

/* A queue change in one line. */
char *
client_queue_text(const struct client_queue *q, const char *raised, const char *lowered,
    const char *called, bool cleared, bool first, const char *by, const char *me)
{
	char *who = text_s(by != NULL && *by != '\0' ? by : _("a facilitator")), *x, *r;

	if (called != NULL) {
		x = text_s(called);
		if (me != NULL && proto_name_cmp(called, me) == 0)
			r = xasprintf(_("%s calls you to speak"), who);
		else
			r = xasprintf(_("%s called %s to speak"), who, x);
		free(x);
		if (q->nhands > 0 && !first) {
			x = text_s(q->hands[0]);
			text_add(&r, _("; next: %s"), x);
			free(x);
		}
	} else if (raised != NULL) {
		x = text_s(raised);
		r = xasprintf(_("%s raised a hand: number %zu in line"), x, q->nhands);
		free(x);
	} else if (lowered != NULL) {
		x = text_s(lowered);
		r = xasprintf(_("%s lowered a hand"), x);
		free(x);
	} else
		r = xasprintf(_("%s lowered every hand"), who);
	(void)cleared;
	if (first)
		text_add(&r, "%s", _("; you are next"));
	free(who);
	return r;
}

/* A queue in one line. */
char *
client_queue_list_text(const struct client_queue *q, const char *me)
{
	char *names, *x, *r;
	size_t i, place = 0;

	if (q == NULL)
		return xstrdup(_("no hand is up"));
	names = xstrdup("");
	for (i = 0; i < q->nhands; i++) {
		x = text_s(q->hands[i]);
		text_add(&names, "%s%zu %s", i > 0 ? ", " : "", i + 1, x);
		free(x);
		if (me != NULL && proto_name_cmp(q->hands[i], me) == 0)
			place = i + 1;
	}
	if (q->nhands == 0)
		r = xstrdup(_("no hand is up"));
	else
		r = xasprintf(P_("%zu hand up: %s", "%zu hands up: %s", q->nhands), q->nhands,
		    names);
	if (place > 0)
		text_add(&r, _("; you are number %zu"), place);
	if (q->called[0] != '\0') {
		x = text_s(q->called);
		text_add(&r, _("; %s was called last"), x);
		free(x);
	}
	free(names);
	return r;
}

/* What became of a sign-up of ours. */
char *
client_signup_text(const struct proto_signup_answer *a)
{
	char *title = text_s(a->title), *by = text_s(a->by != NULL && *a->by != '\0' ? a->by :
	    _("a facilitator")), *note = a->note != NULL ? text_s(a->note) : NULL, *r;

	if (a->state == PS_ACCEPTED && a->position >= 0)
		r = xasprintf(_("%s accepted your %s \"%s\": it is number %lld of the lineup"), by,
		    text_format(a->format), title, (long long)a->position + 1);
	else if (a->state == PS_ACCEPTED)
		r = xasprintf(_("%s accepted your %s \"%s\""), by, text_format(a->format), title);
	else
		r = xasprintf(_("%s declined your %s \"%s\"%s%s"), by, text_format(a->format),
		    title, note != NULL ? ": " : "", note != NULL ? note : "");
	free(title);
	free(by);
	free(note);
	return r;
}

/* An alert. */
char *
client_alert_text(enum client_alert what, const char *detail, int64_t ms)
{
	char *d = text_s(detail), *r, dur[32];

	switch (what) {
	case CA_UP_NEXT:
		r = xasprintf(_("you are up next: %s"), d);
		break;
	case CA_ON_NOW:
		duration_format(ms, dur, sizeof dur);
		r = xasprintf(_("your time starts now: %s, %s"), d, dur);
		break;
	case CA_CALLED:
		r = xasprintf(_("you are called to speak in #%s"), d);
		break;
	default:
		r = xasprintf(_("your hand is first in #%s: you speak next"), d);
		break;
	}
	free(d);
	return r;
}

/* A list's words when it is empty. */
char *
client_items_empty_text(enum part_kind kind)
{
	switch (kind) {
	case PK_TOPIC: return xstrdup(_("no topics yet: /propose TITLE"));
	case PK_QUESTION: return xstrdup(_("no questions yet: /ask TEXT"));
	case PK_POLL: return xstrdup(_("no polls yet"));
	case PK_SIGNUP: return xstrdup(_("no requests for a slot: /signup talk|pitch TITLE"));
	default: return xstrdup(_("nothing yet: /propose a topic, /ask a question, /signup for "
	    "a slot"));
	}
}
