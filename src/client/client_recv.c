/* client_recv.c: the client's handling of frames from the hub (replies and events). */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/client_int.h"
#include "client/client_part.h"
#include "client/secrets.h"
#include "util/log.h"
#include "util/sat.h"
#include "util/xalloc.h"

/* Replaces the lineup with a copy of l. */
static void
client_set_lineup(struct client *c, const struct proto_lineup *l)
{
	free(c->lineup);
	c->lineup = xcalloc(l->nitems + 1, sizeof *c->lineup);
	if (l->nitems > 0)
		memcpy(c->lineup, l->items, l->nitems * sizeof *l->items);
	c->nlineup = l->nitems;
	c->lineup_cur = l->current;
	c->have_lineup = true;
}

/* Handles a lineup event: stores it and tells what changed. */
static void
client_on_lineup(struct client *c, const struct proto_lineup *l)
{
	struct lineup_item *old = c->lineup;
	size_t nold = c->nlineup;
	int64_t oldcur = c->lineup_cur;

	c->lineup = NULL;
	client_set_lineup(c, l);
	if (c->v.lineup_changed != NULL)
		c->v.lineup_changed(c->v.arg, old, nold, oldcur, c->lineup, c->nlineup,
		    c->lineup_cur, l->by);
	free(old);
	client_part_lineup(c);
}

/* The remaining time at which milestone m of t is due. */
static int64_t
client_milestone_at(const struct timer *t, enum timer_milestone m)
{
	switch (m) {
	case TM_WARNING: return t->warn_ms;
	case TM_DANGER: return t->danger_ms;
	case TM_TEN: return CLIENT_TEN_MS;
	default: return 0;
	}
}

/* Marks as behind us every milestone of timer i already reached (all when not running). */
static void
client_timer_marks(struct client *c, size_t i)
{
	const struct timer *t = &c->timers[i];
	int64_t left = timer_remaining(t, client_hub_now(c));
	int m;

	c->tdone[i] = 0;
	for (m = TM_WARNING; m <= TM_UP; m++) {
		if (t->state == TS_IDLE || left <= client_milestone_at(t, (enum timer_milestone)m))
			c->tdone[i] |= 1U << m;
	}
}

/* Stores timer t (replacing the one with the same scope) and recomputes its milestones;
 * *prev gets the previous copy (idle when new). False when it was ignored: the client
 * holds CLIENT_MAX_TIMERS already. */
static bool
client_set_timer(struct client *c, const struct timer *t, struct timer *prev)
{
	size_t i = client_timer_slot(c, t->scope);

	if (i == SIZE_MAX)
		return false;
	if (prev != NULL)
		*prev = c->timers[i];
	c->timers[i] = *t;
	client_timer_marks(c, i);
	return true;
}

/* Tells how a timer went from prev to t; ev_now: the hub's clock in the event (0: none). */
static enum timer_change
client_timer_change(const struct timer *prev, const struct timer *t, int64_t ev_now,
    int64_t *delta)
{
	int64_t full;

	*delta = 0;
	switch (t->state) {
	case TS_IDLE:
		return t->duration_ms == 0 && t->label[0] == '\0' ? TC_STOP : TC_RESET;
	case TS_PAUSED:
		if (prev->state != TS_PAUSED)
			return TC_PAUSE;
		*delta = sat_sub(t->remaining_ms, prev->remaining_ms);
		return TC_ADJUST;
	default:
		break;
	}
	if (prev->state == TS_PAUSED)
		return TC_RESUME;
	if (prev->state != TS_RUNNING || prev->duration_ms != t->duration_ms ||
	    strcmp(prev->label, t->label) != 0 || prev->deadline_ms == t->deadline_ms)
		return TC_START;
	/* Hubs that say when the timer was started tell a restart from an adjust exactly. */
	if (prev->started_ms != 0 && t->started_ms != 0) {
		if (prev->started_ms != t->started_ms)
			return TC_START;
		*delta = sat_sub(t->deadline_ms, prev->deadline_ms);
		return TC_ADJUST;
	}
	/* Otherwise: a restart puts the deadline one duration after the hub's now (the event is sent in
	 * the same millisecond or so); an adjust moves the old deadline. */
	full = sat_sub(sat_sub(t->deadline_ms, ev_now), t->duration_ms);
	if (ev_now > 0 && full >= -5 && full <= 5)
		return TC_START;
	*delta = sat_sub(t->deadline_ms, prev->deadline_ms);
	return TC_ADJUST;
}

/* Ms until the next milestone of any running timer (or room end warning), or -1. The
 * arithmetic saturates and matches client_tick()'s tests exactly: a wake-up it asks for
 * at 0 always finds something to announce (no loop of wake-ups that do nothing). */
int64_t
client_next_wakeup(struct client *c)
{
	int64_t now = client_hub_now(c), best = -1, wait;
	size_t i;
	int m;

	for (i = 0; i < c->ntimers; i++) {
		if (c->timers[i].state != TS_RUNNING)
			continue;
		for (m = TM_WARNING; m <= TM_UP; m++) {
			if (c->tdone[i] & (1U << m))
				continue;
			wait = sat_sub(timer_remaining(&c->timers[i], now),
			    client_milestone_at(&c->timers[i], (enum timer_milestone)m));
			if (wait < 0)
				wait = 0;
			if (best < 0 || wait < best)
				best = wait;
		}
	}
	for (i = 0; i < c->nends; i++) {
		if (c->ends[i].warned || !client_is_joined(c, c->ends[i].id))
			continue;
		wait = sat_sub(sat_sub(c->ends[i].at, CLIENT_CLOSING_MS), now);
		if (wait < 0)
			wait = 0;
		if (best < 0 || wait < best)
			best = wait;
	}
	wait = client_part_wakeup(c);   /* (on our monotonic clock, like the others) */
	if (wait >= 0 && (best < 0 || wait < best))
		best = wait;
	if (c->hello_retry_at > 0) {
		wait = c->hello_retry_at - client_mono(c);
		if (wait < 0)
			wait = 0;
		if (best < 0 || wait < best)
			best = wait;
	}
	wait = client_agenda_wakeup(c);
	if (wait >= 0 && (best < 0 || wait < best))
		best = wait;
	return best;
}

/* Fires the due milestones of timer i: latest threshold first; one line per moment. */
static void
client_tick_timer(struct client *c, size_t i, int64_t now)
{
	const struct timer *t = &c->timers[i];
	int64_t left = timer_remaining(t, now), at, best_at;
	int m, best;

	for (;;) {
		best = -1;
		best_at = 0;
		for (m = TM_WARNING; m <= TM_UP; m++) {
			at = client_milestone_at(t, (enum timer_milestone)m);
			if ((c->tdone[i] & (1U << m)) || left > at)
				continue;
			if (best < 0 || at >= best_at) {
				best = m;
				best_at = at;
			}
		}
		if (best < 0)
			return;
		/* milestones at the same moment make one announcement: the most severe */
		for (m = TM_WARNING; m <= TM_UP; m++) {
			if (client_milestone_at(t, (enum timer_milestone)m) >= best_at)
				c->tdone[i] |= 1U << m;
		}
		if (c->v.timer_milestone != NULL)
			c->v.timer_milestone(c->v.arg, t, (enum timer_milestone)best, best_at);
	}
}

/* Announces the milestones that are due. */
void
client_tick(struct client *c)
{
	int64_t now = client_hub_now(c);
	size_t i;

	struct room_info *ri;

	for (i = 0; i < c->ntimers; i++) {
		if (c->timers[i].state == TS_RUNNING)
			client_tick_timer(c, i, now);
	}
	if (c->hello_retry_at > 0 && client_mono(c) >= c->hello_retry_at) {
		c->hello_retry_at = 0;
		if (!c->online && c->send != NULL)
			client_send_hello(c);
	}
	for (i = 0; i < c->nends; i++) {
		if (c->ends[i].warned || !client_is_joined(c, c->ends[i].id) ||
		    sat_sub(c->ends[i].at, CLIENT_CLOSING_MS) > now)
			continue;
		c->ends[i].warned = true;
		if ((ri = client_find_room(c, c->ends[i].id)) != NULL && c->v.room_closing != NULL)
			c->v.room_closing(c->v.arg, ri, sat_sub(c->ends[i].at, now));
	}
	client_part_tick(c);
	client_agenda_tick(c);
}

/* idindex_key_fn of welcome's history entries (their rooms). */
static const char *
client_pos_key(const void *arr, size_t i)
{
	return ((const struct proto_room_pos *)arr)[i].room;
}

/* Applies what the hub says of our position in room (welcome or join ok): on lost, the
 * lines we hold are thrown away (a fresh snapshot follows) and, when we had a position,
 * the view hears that the gap is not recoverable; else, when we had one, how many lines
 * the replay that follows brings. */
static void
client_apply_pos(struct client *c, const char *room, const struct proto_room_pos *pos,
    bool had)
{
	struct room_state *rs = client_rs(c, room);
	size_t n = 0;

	if (pos->lost) {
		client_rs_clear(rs);
		rs->last_seq = 0;
		if (had && c->v.history != NULL)
			c->v.history(c->v.arg, room, CH_NOT_RECOVERABLE, 0);
		return;
	}
	if (!had)
		return;
	if (pos->from > 0 && pos->last >= pos->from)
		n = (size_t)(pos->last - pos->from + 1);
	if (c->v.history != NULL)
		c->v.history(c->v.arg, room, CH_REPLAYED, n);
}

/* Makes p the program, telling the front end what changed from the one held (by: the
 * facilitator who changed it, or NULL). */
static void
client_program_switch(struct client *c, struct program *p, const char *by)
{
	struct program_change *ch;
	struct program *old = c->program;
	size_t n;

	c->program = p;
	if (old == NULL)
		return;
	n = program_changes(old, p, &ch);
	if (n > 0 && c->v.program_changed != NULL)
		c->v.program_changed(c->v.arg, old, p, ch, n, by);
	free(ch);
	program_free(old);
}

/* Takes the program part of a welcome: a new program, or the hub's word that the one we
 * hold (from the cache) is current. */
static void
client_welcome_program(struct client *c, const struct proto_welcome *w)
{
	bool had_cached = c->program != NULL && !c->program_live;
	bool changed;

	if (w->program != NULL) {
		changed = c->program == NULL || c->program->version == NULL ||
		    w->program->version == NULL || strcmp(c->program->version,
		    w->program->version) != 0;
		if (changed && c->program != NULL)
			client_program_switch(c, program_copy(w->program), NULL);
		else {
			program_free(c->program);
			c->program = program_copy(w->program);
		}
		c->program_live = true;
		if (changed)
			client_save_program(c);
		if (had_cached && changed && c->v.notice != NULL)
			c->v.notice(c->v.arg, CN_PROGRAM, NULL, 0);
		return;
	}
	if (c->program != NULL && w->program_version != NULL && c->program->version != NULL &&
	    strcmp(c->program->version, w->program_version) == 0)
		c->program_live = true;
	else if (c->program != NULL)
		log_warn("client: the hub sent no program and ours (%s) is not its %s",
		    c->program->version != NULL ? c->program->version : "?",
		    w->program_version != NULL ? w->program_version : "?");
}

/* Keeps the secret the hub issued for our name: in memory for reconnects, and in the
 * secrets file for later runs. */
static void
client_keep_secret(struct client *c, const char *secret)
{
	char *cause = NULL;
	size_t n = strspn(secret, "0123456789abcdefABCDEF");

	/* hex digits only (the protocol's; the hub issues 32): anything else could put lines
	 * of its own into the secrets file, such as another hub's secret for our name (found
	 * by review) */
	if (n == 0 || secret[n] != '\0') {
		log_warn("client: the hub sent a secret for the name %s that is not hex digits: "
		    "not kept", c->name);
		return;
	}
	free(c->secret);
	c->secret = xstrdup(secret);
	if (c->secrets_path == NULL || c->url == NULL)
		return;
	if (secrets_save(c->secrets_path, c->url, c->name, secret, &cause) != 0) {
		log_warn("client: cannot keep the secret of the name %s: %s", c->name, cause);
		free(cause);
	}
}

/* Handles welcome: takes the hub's state and our positions in the rooms it put us back
 * in, sends again what the last link left unanswered, runs queued input. */
static void
client_on_welcome(struct client *c, const struct proto_welcome *w)
{
	char **old = c->joined;
	size_t nold = c->njoined, i, k, over = 0;
	char current[ROOM_ID_MAX + 1];
	const struct proto_room_pos *pos;
	struct pending *p;
	struct room_state *rs;
	struct idindex *posx;
	bool again = c->ever_online, resumes = w->nhistory > 0, same_epoch;

	strlcpy_cf(current, c->current, sizeof current);
	c->joined = NULL;
	c->njoined = 0;
	idindex_clear(c->joined_ix);

	if (w->name != NULL) {
		free(c->name);
		c->name = xstrdup(w->name);
	}
	c->role = w->role;
	free(c->resume);
	c->resume = w->resume != NULL ? xstrdup(w->resume) : NULL;
	if (w->secret != NULL)
		client_keep_secret(c, w->secret);
	same_epoch = c->epoch != NULL && w->epoch != NULL && strcmp(c->epoch, w->epoch) == 0;
	free(c->epoch);
	c->epoch = w->epoch != NULL ? xstrdup(w->epoch) : NULL;
	if (!same_epoch)
		c->user_seq = 0;     /* the user stream of another epoch starts again */
	client_part_welcome(c, same_epoch);
	client_show_notice(c, w->notice);
	/* a new link is a new path: sample the clock again, from the welcome's "now" */
	clocksync_reset(c->sync);
	if (w->now > 0)
		clocksync_set_fallback(c->sync, w->now, client_mono(c));
	c->cert_refused = false;
	c->burst = 0;
	client_welcome_program(c, w);
	client_set_rooms(c, w->rooms, w->nrooms);
	if (w->has_lineup) {
		client_set_lineup(c, &w->lineup);
		client_part_lineup(c);
	}
	if (client_set_timers(c, w->timers, w->ntimers) > 0)
		log_warn("client: the hub sent %zu timers; keeping %d", w->ntimers,
		    CLIENT_MAX_TIMERS);
	for (i = 0; i < c->ntimers; i++)
		client_timer_marks(c, i);
	client_add_joined(c, ROOM_LOBBY);
	for (i = 0, over = 0; i < w->njoined; i++)
		if (w->joined[i] != NULL && !client_add_joined(c, w->joined[i]))
			over++;
	if (over > 0)
		log_warn("client: the hub says we are in %zu rooms; keeping %d", w->njoined,
		    CLIENT_MAX_JOINED);

	c->online = true;
	c->ever_online = true;
	c->name_tries = 0;
	c->hello_retry_ms = 0;
	strlcpy_cf(c->current, client_is_joined(c, current) ? current : ROOM_LOBBY,
	    sizeof c->current);
	if (c->v.notice != NULL)
		c->v.notice(c->v.arg, again ? CN_RECONNECTED : CN_CONNECTED, c->name, 0);

	/* positions: the replay of each room follows this welcome */
	posx = idindex_create();
	idindex_build(posx, w->history, w->nhistory, client_pos_key, NULL);
	for (i = 0; i < c->nrs; i++) {
		rs = c->rs[i];
		pos = resumes && idindex_get(posx, rs->id, &k) ? &w->history[k] : NULL;
		if (pos != NULL && (same_epoch || pos->lost || rs->since_sent))
			client_apply_pos(c, rs->id, pos, rs->since_sent);
		else if (!same_epoch) {
			/* numbers of another epoch mean nothing here */
			client_rs_clear(rs);
			rs->last_seq = 0;
		}
	}
	idindex_free(posx);
	client_habits_welcome(c);
	for (i = 0; i < nold; i++) {
		if (!client_is_joined(c, old[i])) {
			if (resumes && client_find_room(c, old[i]) != NULL) {
				char *msg = xasprintf(_("you are no longer in #%s (it is full, or "
				    "it was closed and opened again)"), old[i]);
				client_local_error(c, msg);
				free(msg);
			} else if (!resumes && client_find_room(c, old[i]) != NULL) {
				/* an older hub: re-join the rooms we were in, silently */
				p = client_room_request(c, PT_JOIN, old[i]);
				if (p != NULL)
					p->quiet = true;
				if (strcmp(old[i], current) == 0)
					strlcpy_cf(c->current, current, sizeof c->current);
			}
		}
		free(old[i]);
	}
	free(old);
	client_resend(c);
	client_part_resend(c);
	client_flush_queue(c);
}

/* The id of our hello while it awaits its answer, or 0. */
static int64_t
client_hello_id(const struct client *c)
{
	size_t i;

	for (i = 0; i < c->npending; i++)
		if (c->pending[i].type == PT_HELLO)
			return c->pending[i].id;
	return 0;
}

/* The hub refused us for good: tells the view once (message: what happened and what the
 * user can do; reason: a few words for a status line). */
void
client_refused(struct client *c, const char *message, const char *reason)
{
	if (c->refused)
		return;
	c->refused = true;
	log_warn("client: refused by the hub: %s", message);
	if (c->v.fatal != NULL)
		c->v.fatal(c->v.arg, message, reason);
}

/* Why the hub refused our hello (code, with its text) and what the user can do (new). */
static char *
client_refusal(const struct client *c, enum proto_err code, const char *text)
{
	switch (code) {
	case PE_NAME_TAKEN:
		return xasprintf(_("the name \"%s\" is taken on this hub: start confab again "
		    "with another name (--name NAME)"), c->wanted);
	case PE_BAD_NAME:
	case PE_TOO_LONG:
		return xasprintf(_("the hub does not accept the name \"%s\": start confab again "
		    "with another name (--name NAME)"), c->name);
	case PE_BAD_TOKEN:
		return xstrdup(_("the hub did not accept your facilitator token: check the file "
		    "given with --facilitator-token-file, or start confab without it to join as "
		    "an attendee"));
	case PE_VERSION:
		return xasprintf(_("the hub speaks another version of the confab protocol (this "
		    "confab speaks version %d): update confab, or ask the hub's operators"),
		    PROTO_VERSION);
	default:
		return xasprintf(_("the hub refused to let you in: %s (%s); try again later, or "
		    "ask the hub's operators"), text, proto_err_name(code));
	}
}

/* Request re failed: an error reply (code, text), or a reply we could not read. An answer
 * to nothing in particular (re 0) before the welcome is the answer to our hello. */
static void
client_on_failure(struct client *c, int64_t re, enum proto_err code, const char *text)
{
	struct pending p;
	char *n;

	memset(&p, 0, sizeof p);
	if (re == 0 && !c->online)
		re = client_hello_id(c);
	if (re != 0 && client_take_pending(c, re, &p) == 0) {
		if (p.type == PT_HELLO) {
			if (code == PE_NAME_TAKEN && c->name_tries < CLIENT_NAME_TRIES &&
			    strlen(c->name) < PROTO_MAX_NAME) {
				c->name_tries++;
				n = xasprintf("%s_", c->name);
				free(c->name);
				c->name = n;
				if (c->v.notice != NULL)
					c->v.notice(c->v.arg, CN_NAME_TAKEN, c->name, 0);
				client_send_hello(c);
				return;
			}
			if (code == PE_RATE) {
				/* the hub takes no more hellos from our address for now: ask
				 * again later on this link, waiting longer each time */
				c->hello_retry_ms = c->hello_retry_ms == 0 ? CLIENT_HELLO_RETRY_MS :
				    c->hello_retry_ms * 2 > CLIENT_HELLO_RETRY_MAX_MS ?
				    CLIENT_HELLO_RETRY_MAX_MS : c->hello_retry_ms * 2;
				c->hello_retry_at = client_mono(c) + c->hello_retry_ms;
				if (c->v.notice != NULL)
					c->v.notice(c->v.arg, CN_HELLO_RETRY, text,
					    c->hello_retry_ms);
				return;
			}
			if (code != PE_ALREADY) {
				n = client_refusal(c, code, text);
				client_refused(c, n, proto_err_message(code));
				free(n);
				return;
			}
		}
		if (p.type == PT_WHO && p.after_join) {
			struct room_info *ri = client_find_room(c, p.room);
			if (c->v.joined != NULL)
				c->v.joined(c->v.arg, p.room, ri != NULL ? ri->occupancy : 1);
			return;
		}
		if (p.type == PT_PING)
			return;
		if (p.type == PT_HISTORY)
			client_rs(c, p.room)->history_out = false;
		if (p.preq != 0)
			client_part_answer(c, &p, NULL, code);
		if (p.type == PT_QUIT)
			return;   /* an older hub: we leave all the same */
		if (code != PE_NONE) {
			/* name what it was about: "no such room: #hack" */
			char *msg = client_error_text(c, &p, code, text);
			if (c->v.error != NULL)
				c->v.error(c->v.arg, code, msg);
			free(msg);
			if (p.out != 0)
				client_out_done(c, p.out, NULL, code);
			return;
		}
	}
	if (c->v.error != NULL)
		c->v.error(c->v.arg, code, text);
	if (re != 0 && p.out != 0)
		client_out_done(c, p.out, NULL, code);
}

/* Gives up on the requests that hold up input (join, part, the who after a join) when the
 * hub has not answered them for CLIENT_ANSWER_MS: a hub that never answers must not keep
 * what the user types for ever. Each is said as an error; what waited for them runs. */
void
client_expire(struct client *c)
{
	int64_t now = client_mono(c);
	const struct pending *p;
	bool any = false;
	size_t i = 0;
	char *msg, *what;

	while (i < c->npending) {
		p = &c->pending[i];
		if (p->id == 0 || sat_sub(now, p->t0) < CLIENT_ANSWER_MS ||
		    !((p->type == PT_JOIN && !p->quiet) || p->type == PT_PART ||
		    (p->type == PT_WHO && p->after_join))) {
			i++;
			continue;
		}
		what = client_error_text(c, p, PE_NONE, NULL);
		msg = xasprintf(_("no answer from the hub to %s in %d s: given up"), what,
		    CLIENT_ANSWER_MS / 1000);
		client_on_failure(c, p->id, PE_NONE, msg);   /* (takes it out of pending) */
		free(msg);
		free(what);
		any = true;
		i = 0;
	}
	if (any)
		client_flush_queue(c);
}

/* Handles an error reply or an unsolicited error. */
static void
client_on_error(struct client *c, const struct proto_msg *m)
{
	const struct proto_error *e = &m->u.error;
	/* the hub speaks English; texts that are in our catalog are shown translated */
	const char *text = e->message != NULL && e->message[0] != '\0' ? _(e->message) :
	    proto_err_message(e->code);

	client_on_failure(c, m->re, e->code, text);
}

/* A frame from the hub that could not be decoded (logged already). When it answers a
 * request of ours (its "re", or a welcome or error before the welcome), that request has
 * failed: the hello's failure is a refusal the user must hear about, not a wait. */
static void
client_on_bad_frame(struct client *c, const struct proto_decode_err *err)
{
	int64_t re = err->re, hello = client_hello_id(c);
	struct pending p;
	char *msg;

	if (!c->online && hello != 0 && (re == hello || (re == 0 &&
	    (err->type == PT_WELCOME || err->type == PT_ERROR)))) {
		client_take_pending(c, hello, &p);
		msg = xasprintf(_("the hub's answer to our hello cannot be used (%s): the hub may "
		    "be broken or of another version; try again later, or ask its operators"),
		    err->detail);
		client_refused(c, msg, _("its answer could not be read"));
		free(msg);
		return;
	}
	if (re != 0)
		client_on_failure(c, re, err->code, _("the hub's answer could not be read"));
}

/* Handles an ok reply. */
static void
client_on_ok(struct client *c, const struct proto_msg *m)
{
	struct pending p, *w;
	struct room_info *ri;

	if (client_take_pending(c, m->re, &p) != 0)
		return;
	switch (p.type) {
	case PT_JOIN:
		if (!client_add_joined(c, p.room)) {
			log_warn("client: already in %d rooms: not keeping #%s", CLIENT_MAX_JOINED,
			    p.room);
			break;
		}
		if (m->u.ok.has_pos)
			client_apply_pos(c, p.room, &m->u.ok.pos, p.since);
		if (p.quiet)
			break;
		strlcpy_cf(c->current, p.room, sizeof c->current);
		w = client_room_request(c, PT_WHO, p.room);
		if (w != NULL)
			w->after_join = true;
		else if (c->v.joined != NULL) {
			ri = client_find_room(c, p.room);
			c->v.joined(c->v.arg, p.room, ri != NULL ? ri->occupancy : 1);
		}
		break;
	case PT_SAY:
		client_out_done(c, p.out, &m->u.ok, PE_NONE);
		/* wait for our own line to come back (input that ends waits for it) */
		if (m->u.ok.seq > 0 && (uint64_t)m->u.ok.seq > client_rs(c, p.room)->last_seq) {
			c->pending = xreallocarray(c->pending, c->npending + 1, sizeof *c->pending);
			p.id = 0;
			p.out = 0;
			p.seq = (uint64_t)m->u.ok.seq;
			c->pending[c->npending++] = p;
		}
		break;
	case PT_MSG:
		client_out_done(c, p.out, &m->u.ok, PE_NONE);
		if (m->u.ok.away != NULL && c->v.away_reply != NULL)
			c->v.away_reply(c->v.arg, p.subject, m->u.ok.away);
		break;
	case PT_PART:
		client_remove_joined(c, p.room, NULL);
		if (c->v.parted != NULL)
			c->v.parted(c->v.arg, p.room);
		break;
	case PT_REPORT:
	case PT_REPORTS:
	case PT_MUTE:
	case PT_UNMUTE:
	case PT_KICK:
	case PT_BAN:
	case PT_UNBAN:
		client_mod_done(c, &p);
		break;
	default:
		if (p.preq != 0)
			client_part_answer(c, &p, &m->u.ok, PE_NONE);
		break;
	}
}

/* Handles a members reply (to /who, or to the who that follows our join). */
static void
client_on_members(struct client *c, const struct proto_msg *m)
{
	const struct proto_members *mb = &m->u.members;
	struct pending p;
	const char *room = mb->room != NULL ? mb->room : "";

	if (client_take_pending(c, m->re, &p) == 0 && p.type == PT_WHO && p.after_join) {
		if (c->v.joined != NULL)
			c->v.joined(c->v.arg, p.room, (unsigned)mb->nnames);
		return;
	}
	(void)room;
	client_habits_who(c, mb);
}

/* True when re is the id of a ping of ours still awaiting its pong. */
static bool
client_ping_pending(const struct client *c, int64_t re)
{
	size_t i;

	for (i = 0; i < c->npending; i++)
		if (c->pending[i].id == re && re != 0)
			return c->pending[i].type == PT_PING;
	return false;
}

/* Handles pong: one clock sample, for a ping sent on this link (t0 from our record). */
static void
client_on_pong(struct client *c, const struct proto_msg *m)
{
	const struct proto_pong *pg = &m->u.pong;
	int64_t t3 = client_mono(c);
	struct pending p;

	if (!client_ping_pending(c, m->re) || client_take_pending(c, m->re, &p) != 0 ||
	    pg->t0 != p.t0) {
		log_warn("client: dropped a pong that answers no ping of ours");
		return;
	}
	if (clocksync_add(c->sync, p.t0, pg->t1, pg->t2, t3) != 0)
		log_warn("client: dropped an impossible clock sample (t1 %lld, t2 %lld)",
		    (long long)pg->t1, (long long)pg->t2);
}

/* Forgets the says to room whose chat events (up to seq) have come back. */
static void
client_echoed(struct client *c, const char *room, uint64_t seq)
{
	size_t i = 0;

	while (i < c->npending) {
		struct pending *p = &c->pending[i];
		if (p->id == 0 && p->type == PT_SAY && p->seq <= seq && strcmp(p->room, room) == 0)
			c->pending[i] = c->pending[--c->npending];
		else
			i++;
	}
}

/* Handles a chat event: drops duplicates, keeps it, shows it. */
static void
client_on_chat(struct client *c, const struct proto_msg *m)
{
	const struct proto_chat *ch = &m->u.chat;
	struct room_state *rs;

	if (ch->room == NULL || !client_is_joined(c, ch->room))
		return; /* not a room we are in: a hub bug, kept from growing our state */
	rs = client_rs(c, ch->room);
	if (m->seq != 0) {
		if (m->seq <= rs->last_seq) {
			c->stats.dups++;
			return; /* seen already (replayed after a reconnect) */
		}
		rs->last_seq = m->seq;
		client_echoed(c, ch->room, m->seq);
	}
	c->stats.chat_rx++;
	client_keep_chat(rs, ch, m->seq);
	if (ch->from != NULL && client_ignored(c, ch->from))
		return;   /* kept (the position counts), never shown */
	client_habits_chat(c, ch->room, ch->from != NULL ? ch->from : "",
	    ch->text != NULL ? ch->text : "", ch->me, ch->ts);
	if (c->v.chat != NULL)
		c->v.chat(c->v.arg, ch->room, ch->from != NULL ? ch->from : "",
		    ch->text != NULL ? ch->text : "", ch->me, m->seq);
}

/* Handles a history reply: the older lines go in front of those we hold. */
static void
client_on_history(struct client *c, const struct proto_msg *m)
{
	const struct proto_history_rep *h = &m->u.history_rep;
	struct room_state *rs;
	struct pending p;
	size_t n;

	if (client_take_pending(c, m->re, &p) != 0 || p.type != PT_HISTORY) {
		log_warn("client: dropped a history reply that answers no request of ours");
		return;
	}
	rs = client_rs(c, p.room);
	rs->history_out = false;
	if (h->room == NULL || strcmp(h->room, p.room) != 0) {
		log_warn("client: dropped a history reply for another room than asked");
		return;
	}
	n = client_rs_prepend(rs, h->events, h->nevents, p.before);
	if (!h->more)
		rs->at_start = true;
	if (c->v.history == NULL)
		return;
	if (n > 0 || h->more)
		c->v.history(c->v.arg, p.room, CH_OLDER, n);
	if (!h->more)
		c->v.history(c->v.arg, p.room, CH_START, 0);
}

/* Handles a program event: the hub's program changed. */
static void
client_on_program(struct client *c, const struct proto_program_ev *pe)
{
	if (pe->program == NULL)
		return;
	client_program_switch(c, program_copy(pe->program), NULL);
	c->program_live = true;
	client_save_program(c);
	if (c->v.notice != NULL)
		c->v.notice(c->v.arg, CN_PROGRAM, NULL, 0);
}

/* Handles a program.changes event: applied to the program held. One that does not fit it
 * (never expected on one link) is logged; the next welcome brings the whole program. */
static void
client_on_program_changes(struct client *c, const struct proto_program_changes *pc)
{
	struct program *p;
	char *cause = NULL;

	if (c->program == NULL || (p = program_diff_apply(c->program, pc->diff,
	    &cause)) == NULL) {
		log_warn("client: program changes %s -> %s not applied: %s", pc->from,
		    pc->version, cause != NULL ? cause : "no program held");
		free(cause);
		return;
	}
	client_program_switch(c, p, pc->by);
	c->program_live = true;
	client_save_program(c);
}

/* Handles a rooms event: announces rooms that opened or closed since the last list. */
static void
client_on_rooms(struct client *c, const struct proto_rooms *r)
{
	struct idindex *now;
	struct room_info *kept;
	size_t i, n;

	kept = client_rooms_kept(r->rooms, r->nrooms, &n);
	if (c->have_rooms) {
		for (i = 0; i < n; i++) {
			if (client_find_room(c, kept[i].id) == NULL && c->v.room_opened != NULL)
				c->v.room_opened(c->v.arg, &kept[i]);
		}
		now = client_rooms_index(kept, n);
		for (i = 0; i < c->nrooms; i++) {
			/* members hear about it from room.closed */
			if (!idindex_get(now, c->rooms[i].id, NULL) &&
			    !client_is_joined(c, c->rooms[i].id) && c->v.room_closed != NULL)
				c->v.room_closed(c->v.arg, c->rooms[i].id, NULL, false, NULL);
		}
		idindex_free(now);
	}
	client_take_rooms(c, kept, n);
}

/* Handles occupancy: the counts of some rooms changed. */
static void
client_on_occupancy(struct client *c, const struct proto_occupancy *o)
{
	struct room_info *ri;
	size_t i;

	/* the front ends read the counts when they draw (/rooms, the rooms view) */
	for (i = 0; i < o->nrooms; i++)
		if ((ri = client_find_room(c, o->rooms[i].room)) != NULL)
			ri->occupancy = (unsigned)o->rooms[i].occupancy;
}

/* Handles room.closed. */
static void
client_on_room_closed(struct client *c, const struct proto_room_closed *rc)
{
	struct room_info *ri;

	if (rc->room == NULL)
		return;
	if (client_is_joined(c, rc->room)) {
		client_remove_joined(c, rc->room, rc->moved_to);
		if (c->v.room_closed != NULL)
			c->v.room_closed(c->v.arg, rc->room, rc->by, true, rc->moved_to);
	} else if ((ri = client_find_room(c, rc->room)) != NULL) {
		/* not announced by a rooms event yet: announce now, and forget the room */
		client_drop_room(c, ri);
		if (c->v.room_closed != NULL)
			c->v.room_closed(c->v.arg, rc->room, rc->by, false, NULL);
		return;
	}
	if ((ri = client_find_room(c, rc->room)) != NULL)
		client_drop_room(c, ri);
}

/* Handles a timer event: stores the timer (its "now" only matters before any sample). */
static void
client_on_timer(struct client *c, const struct proto_timer_ev *te)
{
	struct timer prev;
	enum timer_change change;
	int64_t delta;

	if (te->now > 0)
		clocksync_set_fallback(c->sync, te->now, client_mono(c));
	if (!client_set_timer(c, &te->timer, &prev)) {
		log_warn("client: already %d timers: ignored the one of %s", CLIENT_MAX_TIMERS,
		    te->timer.scope);
		return;
	}
	change = client_timer_change(&prev, &te->timer, te->now, &delta);
	client_clock_timer(c, change);
	if (c->v.timer != NULL)
		c->v.timer(c->v.arg, &te->timer, prev.state, client_hub_now(c));
	if (c->v.timer_change != NULL)
		c->v.timer_change(c->v.arg, &te->timer, change, delta, client_hub_now(c));
	client_part_timer(c, &te->timer, change);
}

/* True when a private message comes from someone ignored (our own are never hidden). */
static bool
client_privmsg_hidden(const struct client *c, const struct proto_privmsg *pm)
{
	return pm->from != NULL && proto_name_cmp(pm->from, c->name) != 0 &&
	    client_ignored(c, pm->from);
}

/* Handles one frame from the hub. */
void
client_frame(struct client *c, const char *data, size_t len)
{
	struct proto_msg m;
	struct proto_decode_err err;
	struct pending p;

	c->stats.link.ws_rx += len;
	c->stats.link.msgs_rx++;
	if (c->refused)
		return;    /* the link is going: nothing more is looked at */
	if (proto_decode(data, len, 0, &m, &err) != 0) {
		log_warn("client: dropped a frame from the hub: %s: %s",
		    proto_err_name(err.code), err.detail);
		client_on_bad_frame(c, &err);
		return;
	}
	/* the user stream (private messages, moderation) is replayed after a reconnect:
	 * what we have seen already is dropped */
	if (m.seq != 0 && m.stream != NULL && strcmp(m.stream, "user") == 0) {
		if (m.seq <= c->user_seq) {
			c->stats.dups++;
			proto_msg_clear(&m);
			return;
		}
		c->user_seq = m.seq;
	}
	switch (m.type) {
	case PT_WELCOME:
		if (m.re != 0)
			client_take_pending(c, m.re, &p);
		client_on_welcome(c, &m.u.welcome);
		break;
	case PT_OK:
		client_on_ok(c, &m);
		break;
	case PT_ERROR:
		client_on_error(c, &m);
		break;
	case PT_MEMBERS:
		client_on_members(c, &m);
		break;
	case PT_PONG:
		client_on_pong(c, &m);
		break;
	case PT_CHAT:
		client_on_chat(c, &m);
		break;
	case PT_HISTORY_REPLY:
		client_on_history(c, &m);
		break;
	case PT_PRIVMSG:
		if (client_privmsg_hidden(c, &m.u.privmsg))
			break;
		client_habits_privmsg(c, m.u.privmsg.from != NULL ? m.u.privmsg.from : "",
		    m.u.privmsg.to != NULL ? m.u.privmsg.to : "",
		    m.u.privmsg.text != NULL ? m.u.privmsg.text : "",
		    m.u.privmsg.from != NULL && proto_name_cmp(m.u.privmsg.from, c->name) == 0,
		    m.u.privmsg.ts);
		if (c->v.privmsg != NULL)
			c->v.privmsg(c->v.arg, m.u.privmsg.from != NULL ? m.u.privmsg.from : "",
			    m.u.privmsg.to != NULL ? m.u.privmsg.to : "",
			    m.u.privmsg.text != NULL ? m.u.privmsg.text : "",
			    m.u.privmsg.from != NULL &&
			    proto_name_cmp(m.u.privmsg.from, c->name) == 0);
		break;
	case PT_PRESENCE:
		/* (of rooms we are in only: a hub bug must not flood the screen) */
		if (m.u.presence.name != NULL && client_is_joined(c, m.u.presence.room) &&
		    proto_name_cmp(m.u.presence.name, c->name) != 0)
			client_habits_presence(c, &m.u.presence);
		break;
	case PT_ROOMS:
		client_on_rooms(c, &m.u.rooms);
		break;
	case PT_OCCUPANCY:
		client_on_occupancy(c, &m.u.occupancy);
		break;
	case PT_CHAT_DELETED:
		client_on_chat_deleted(c, &m);
		break;
	case PT_ANNOUNCEMENT:
		client_on_announcement(c, &m);
		break;
	case PT_REPORT_EV:
		client_on_report(c, &m);
		break;
	case PT_MODERATION:
		client_on_moderation(c, &m);
		break;
	case PT_TIMER:
		client_on_timer(c, &m.u.timer);
		break;
	case PT_ROOM_CLOSED:
		client_on_room_closed(c, &m.u.room_closed);
		break;
	case PT_LINEUP:
		client_on_lineup(c, &m.u.lineup);
		break;
	case PT_PROGRAM:
		client_on_program(c, &m.u.program);
		break;
	case PT_ITEM:
	case PT_ITEM_HIDDEN:
	case PT_QA:
	case PT_PART_STATE:
	case PT_TALLY:
	case PT_QUEUE:
	case PT_SIGNUP_ANSWER:
		client_part_frame(c, &m);
		break;
	case PT_PROGRAM_CHANGES:
		client_on_program_changes(c, &m.u.program_changes);
		break;
	default:
		log_warn("client: unexpected %s from the hub", proto_type_name(m.type));
		break;
	}
	proto_msg_clear(&m);
	client_flush_queue(c);
}
