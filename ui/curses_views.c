/* curses_views.c: drawing the views of the curses front end: a chat buffer (wrapped lines,
 * scrollback, the first-unread marker), the schedule (a day per page), a session's details,
 * the rooms, the speaker's big timer and help; and the timer line. Text is sanitised before
 * it is measured and drawn; every row is cut to the screen's width (width.h). */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/bigdigits.h"
#include "ui/curses_int.h"
#include "ui/statstext.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/tztime.h"
#include "util/width.h"
#include "util/xalloc.h"

#define CURSES_DAYS 64
#define CURSES_DAY_SESSIONS 256

/* The timer the screen shows: the current room's when it runs or is paused, else the main
 * stage's; NULL when both are idle. */
const struct timer *
curses_shown_timer(struct curses *cu)
{
	const struct timer *t, *main = NULL;
	const char *room;
	size_t n, i;

	if (cu->client == NULL)
		return NULL;
	t = client_timers(cu->client, &n);
	room = client_current_room(cu->client);
	for (i = 0; i < n; i++) {
		if (t[i].state == TS_IDLE)
			continue;
		if (strcmp(t[i].scope, room) == 0)
			return &t[i];
		if (strcmp(t[i].scope, TIMER_SCOPE_MAIN) == 0)
			main = &t[i];
	}
	return main;
}

/* The theme pair of t's phase now. */
static enum cpair
curses_timer_pair(struct curses *cu, const struct timer *t)
{
	switch (timer_phase(t, client_hub_now(cu->client))) {
	case TP_OVERTIME:
		return TH_TIMER_OVER;
	case TP_DANGER:
		return TH_TIMER_DANGER;
	case TP_WARNING:
		return TH_TIMER_WARN;
	default:
		return TH_TIMER_NORMAL;
	}
}

/* "speaking: X, up next: Y" for the main stage's lineup (new string, sanitised), or
 * NULL when there is no lineup. */
static char *
curses_lineup_text(struct curses *cu)
{
	const struct lineup_item *it;
	size_t n;
	int64_t cur;
	char *now = NULL, *next = NULL, *label, *r;

	it = client_lineup(cu->client, &n, &cur);
	if (n == 0)
		return NULL;
	if (cur >= 0 && (size_t)cur < n) {
		label = lineup_item_label(&it[cur]);
		now = sanitize_str(label);
		free(label);
	}
	if (cur + 1 < (int64_t)n) {
		label = lineup_item_label(&it[cur + 1]);
		next = sanitize_str(label);
		free(label);
	}
	if (now != NULL && next != NULL)
		r = xasprintf(_("speaking: %s; up next: %s"), now, next);
	else if (now != NULL)
		r = xasprintf(_("speaking: %s; last of the lineup"), now);
	else if (next != NULL)
		r = xasprintf(_("up next: %s"), next);
	else
		r = NULL;
	free(now);
	free(next);
	return r;
}

/* The timer line: scope, label, remaining time (or overtime), who speaks and who is next,
 * in the colours of the timer's phase. */
void
curses_draw_timer(struct curses *cu)
{
	const struct timer *t = curses_shown_timer(cu);
	char left[32], *label, *scope, *line, *lu = NULL;
	int attr;

	werase(cu->wtimer);
	if (t == NULL) {
		wnoutrefresh(cu->wtimer);
		return;
	}
	attr = curses_attr(cu, curses_timer_pair(cu, t));
	wattrset(cu->wtimer, attr);
	curses_fill(cu->wtimer, 0, 0, cu->cols);
	duration_format_remaining(timer_remaining(t, client_hub_now(cu->client)), left,
	    sizeof left);
	label = sanitize_str(t->label);
	scope = sanitize_str(t->scope);
	if (strcmp(t->scope, TIMER_SCOPE_MAIN) == 0)
		lu = curses_lineup_text(cu);
	line = xasprintf(" %s %s%s%s %s%s%s%s", _("timer"), scope, *label != '\0' ? ": " : "",
	    label, left, t->state == TS_PAUSED ? " " : "", t->state == TS_PAUSED ? _("(paused)") :
	    "", "");
	curses_put(cu->wtimer, 0, 0, line, cu->cols);
	if (lu != NULL) {
		int x = (int)width_str(line) + 3;
		if (x < cu->cols) {
			wattrset(cu->wtimer, attr & ~A_BOLD);
			curses_put(cu->wtimer, 0, x, lu, cu->cols - x);
		}
	}
	free(line);
	free(label);
	free(scope);
	free(lu);
	wnoutrefresh(cu->wtimer);
}

/* One row of a chat buffer: a wrapped piece of a line, or the unread marker. */
struct crow {
	size_t line;        /* index in the buffer */
	const char *s;      /* the line's full text (owned by the draw's text list) */
	size_t tl, pl;      /* byte lengths of its time and prefix parts */
	size_t start, len;  /* bytes of the line's full text */
	size_t indent;
	bool marker;
};

/* The full text of a line as drawn: "HH:MM prefix text" (new). *tlen and *plen get the
 * byte lengths of the time and prefix parts (with their space). */
static char *
curses_line_text(struct curses *cu, const struct cline *l, size_t *tlen, size_t *plen)
{
	char t[32], *s;

	curses_time(cu, l->ts, false, t, sizeof t);
	if (l->seq != 0 && cu->client != NULL && client_show_ids(cu->client))
		snprintf(t + strlen(t), sizeof t - strlen(t), " (%llu)", (unsigned long long)l->seq);
	if (l->flags & CLF_FAILED)
		s = xasprintf("%s %s%s%s [%s]", t, l->prefix, *l->prefix != '\0' ? " " : "",
		    l->text, _("not sent"));
	else
		s = xasprintf("%s %s%s%s", t, l->prefix, *l->prefix != '\0' ? " " : "", l->text);
	*tlen = strlen(t) + 1;
	*plen = strlen(l->prefix) + (*l->prefix != '\0' ? 1 : 0);
	return s;
}

/* The attributes of the parts of a line: time, prefix, text. */
static void
curses_line_attrs(struct curses *cu, const struct cline *l, int *ta, int *pa, int *xa)
{
	*ta = A_DIM;
	*pa = curses_attr(cu, TH_NICK);
	*xa = A_NORMAL;
	switch (l->kind) {
	case CL_NOTICE:
		*pa = *xa = curses_attr(cu, TH_NOTICE);
		break;
	case CL_ERROR:
	case CL_LOST:
		*pa = *xa = curses_attr(cu, TH_ERROR);
		break;
	case CL_INFO:
		*pa = A_BOLD;
		break;
	default:
		break;
	}
	if (l->flags & CLF_MINE && (l->kind == CL_CHAT || l->kind == CL_ACTION ||
	    l->kind == CL_PRIVMSG))
		*pa = curses_attr(cu, TH_MINE) | A_BOLD;
	if (l->flags & CLF_MENTION) {
		*pa = curses_attr(cu, TH_MENTION);
		*xa = curses_attr(cu, TH_MENTION);
	}
	if (l->flags & CLF_PENDING) {
		*pa = A_DIM;
		*xa = A_DIM;
	}
	if (l->flags & CLF_FAILED)
		*xa = curses_attr(cu, TH_ERROR);
}

/* Draws bytes [start, start + len) of s at row y from column x, each part (time, prefix,
 * text: boundaries b1, b2) in its attribute. */
static void
curses_put_parts(WINDOW *w, int y, int x, const char *s, size_t start, size_t len,
    size_t b1, size_t b2, const int attrs[3], int maxcols)
{
	size_t end = start + len, p = start, q;
	int i;

	wmove(w, y, x);
	for (i = 0; i < 3 && p < end; i++) {
		size_t lim = i == 0 ? b1 : i == 1 ? b2 : end;
		if (lim > end)
			lim = end;
		if (p >= lim)
			continue;
		q = lim;
		wattrset(w, attrs[i]);
		if (maxcols > 0) {
			size_t fit = width_fit(s + p, q - p, (size_t)maxcols, NULL);
			waddnstr(w, s + p, (int)fit);
			maxcols -= (int)width_text(s + p, fit);
		}
		p = q;
	}
	wattrset(w, A_NORMAL);
}

/* Wraps s, the full text of a line (time and prefix tl + pl bytes), at the screen's width:
 * the rows after the first are indented under the text. Returns the number of rows, *wl
 * gets them (new array). */
static size_t
curses_line_wrap(struct curses *cu, const char *s, size_t tl, size_t pl,
    struct width_line **wl)
{
	size_t ind = width_text(s, tl + pl);

	if (ind > (size_t)cu->cols / 3)
		ind = (size_t)cu->cols / 3;
	return width_wrap(s, strlen(s), (size_t)cu->cols, ind, wl);
}

/* The number of screen rows line l takes at the current width. */
size_t
curses_line_rows(struct curses *cu, const struct cline *l)
{
	struct width_line *wl;
	size_t tl, pl, n;
	char *s = curses_line_text(cu, l, &tl, &pl);

	n = curses_line_wrap(cu, s, tl, pl, &wl);
	free(wl);
	free(s);
	return n;
}

/* Collects the rows of b from the bottom up, until want rows (or the top). Returns the
 * number collected into *rows (new array, bottom row first); each line's text is built
 * once, into *texts (new array of *ntexts new strings, for the caller to free). */
static size_t
curses_chat_rows(struct curses *cu, struct cbuf *b, size_t want, struct crow **rows,
    char ***texts, size_t *ntexts)
{
	struct crow *r = NULL;
	size_t n = 0, cap = 0, i, k, nl, tl, pl, nt = 0, tcap = 0;
	struct width_line *wl;
	char *s, **tx = NULL;

	for (i = b->n; i-- > 0 && n < want; ) {
		s = curses_line_text(cu, curses_buf_line(b, i), &tl, &pl);
		if (nt == tcap) {
			tcap = tcap == 0 ? 64 : tcap * 2;
			tx = xreallocarray(tx, tcap, sizeof *tx);
		}
		tx[nt++] = s;
		nl = curses_line_wrap(cu, s, tl, pl, &wl);
		for (k = nl; k-- > 0; ) {
			if (n == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				r = xreallocarray(r, cap, sizeof *r);
			}
			r[n].line = i;
			r[n].s = s;
			r[n].tl = tl;
			r[n].pl = pl;
			r[n].start = wl[k].start;
			r[n].len = wl[k].len;
			r[n].indent = wl[k].indent;
			r[n].marker = false;
			n++;
		}
		free(wl);
		if (i == b->marker && b->marker != SIZE_MAX && i > 0) {
			if (n == cap) {
				cap = cap == 0 ? 64 : cap * 2;
				r = xreallocarray(r, cap, sizeof *r);
			}
			memset(&r[n], 0, sizeof r[n]);
			r[n].line = i;
			r[n].marker = true;
			n++;
		}
	}
	*rows = r;
	*texts = tx;
	*ntexts = nt;
	return n;
}

/* Draws the active chat buffer: the newest rows at the bottom, scrolled up by b->scroll
 * rows. Reaching the top asks the hub for older lines. */
static void
curses_draw_chat(struct curses *cu)
{
	struct cbuf *b = curses_buf_active(cu);
	struct crow *rows;
	size_t want = b->scroll + (size_t)cu->view_rows, n, i, nt;
	int y, attrs[3];
	char **texts;

	n = curses_chat_rows(cu, b, want, &rows, &texts, &nt);
	if (n < want && b->scroll > 0) {
		/* the top: no more scrolling up; ask for older lines */
		b->scroll = n > (size_t)cu->view_rows ? n - (size_t)cu->view_rows : 0;
		if (!b->history_start && !b->history_asked && cu->client != NULL &&
		    client_history_more(cu->client, b->room, CURSES_HISTORY_STEP) == 0)
			b->history_asked = true;
	}
	y = cu->view_rows - 1;
	for (i = b->scroll; i < n && y >= 0; i++, y--) {
		struct crow *r = &rows[i];
		if (r->marker) {
			char *m = xasprintf(" %s ", _("new"));
			wattrset(cu->wview, curses_attr(cu, TH_MARKER));
			mvwhline(cu->wview, y, 0, ACS_HLINE, cu->cols);
			curses_put(cu->wview, y, 2, m, cu->cols - 2);
			wattrset(cu->wview, A_NORMAL);
			free(m);
			continue;
		}
		curses_line_attrs(cu, curses_buf_line(b, r->line), &attrs[0], &attrs[1],
		    &attrs[2]);
		curses_put_parts(cu->wview, y, (int)r->indent, r->s, r->start, r->len, r->tl,
		    r->tl + r->pl, attrs, cu->cols - (int)r->indent);
	}
	if (y >= 0 && b->scroll == 0 && n < want && b->history_asked) {
		wattrset(cu->wview, A_DIM);
		curses_put(cu->wview, y, 0, _("loading older lines..."), cu->cols);
		wattrset(cu->wview, A_NORMAL);
	}
	for (i = 0; i < nt; i++)
		free(texts[i]);
	free(texts);
	free(rows);
}

/* Scrolls the active buffer by pages (positive: up), or to its end or top. */
void
curses_chat_scroll(struct curses *cu, int pages, bool to_end, bool to_top)
{
	struct cbuf *b = curses_buf_active(cu);
	size_t step = cu->view_rows > 2 ? (size_t)cu->view_rows - 1 : 1;

	if (to_end)
		b->scroll = 0;
	else if (to_top)
		b->scroll = (size_t)CURSES_KEEP * 64;
	else if (pages > 0)
		b->scroll += step * (size_t)pages;
	else
		b->scroll = b->scroll > step * (size_t)-pages ? b->scroll - step * (size_t)-pages : 0;
	curses_mark(cu, CD_VIEW);
}

/* The sessions of pg starting in [from, to) (at most max, in order: the program is sorted
 * by start); returns their number. */
static size_t
curses_sessions_between(const struct program *pg, int64_t from, int64_t to,
    const struct session **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < pg->nsessions && n < max; i++) {
		if (pg->sessions[i].start_ms >= to)
			break;
		if (pg->sessions[i].start_ms >= from)
			out[n++] = &pg->sessions[i];
	}
	return n;
}

/* The sessions of day day of pg, given its first nd day starts (nd may be day + 1 when it
 * is the last); returns their number. */
static size_t
curses_sessions_of_day(const struct program *pg, const int64_t *starts, size_t nd,
    size_t day, const struct session **out, size_t max)
{
	if (day >= nd)
		return 0;
	return curses_sessions_between(pg, starts[day], day + 1 < nd ? starts[day + 1] :
	    INT64_MAX, out, max);
}

/* The sessions of the day shown (at most max, in order); returns their number. The days
 * are computed once, up to the one after the day shown. */
size_t
curses_day_sessions(const struct curses *cu, const struct session **out, size_t max)
{
	const struct program *pg = cu->client != NULL ? client_program(cu->client) : NULL;
	int64_t starts[CURSES_DAYS + 1];
	size_t day;

	if (pg == NULL || cu->day < 0 || cu->day >= CURSES_DAYS)
		return 0;
	day = (size_t)cu->day;
	return curses_sessions_of_day(pg, starts, program_days(pg, starts, day + 2), day, out,
	    max);
}

/* The first row of a list of n rows (selected sel) in a view of rows rows. */
static size_t
curses_list_top(size_t sel, size_t n, size_t rows)
{
	if (rows == 0 || n <= rows || sel < rows / 2)
		return 0;
	if (sel + rows / 2 >= n)
		return n - rows;
	return sel - rows / 2;
}

/* The schedule: a header with the day, then one row per session; what is on now stands
 * out, the selected row is reversed (the cursor sits on it). */
static void
curses_draw_schedule(struct curses *cu)
{
	const struct program *pg = client_program(cu->client);
	const struct session *ss[CURSES_DAY_SESSIONS];
	int64_t starts[CURSES_DAYS + 1], hub = client_hub_now(cu->client);
	size_t nd, n, i, top, rows = cu->view_rows > 2 ? (size_t)cu->view_rows - 2 : 1;
	char day[64], a[48], b[64], *title, *id, *line, *room, *head;
	const char *zone;
	int y;

	cu->sched_n = 0;
	if (pg == NULL) {
		curses_put(cu->wview, 0, 0, _("The hub has not sent a program yet."), cu->cols);
		return;
	}
	/* one more day start than shown: the end of the last day shown */
	nd = program_days(pg, starts, CURSES_DAYS + 1);
	if (cu->day >= (int)nd || cu->day >= CURSES_DAYS)
		cu->day = nd > 0 ? (int)(nd > CURSES_DAYS ? CURSES_DAYS : nd) - 1 : 0;
	n = curses_sessions_of_day(pg, starts, nd, (size_t)cu->day, ss, CURSES_DAY_SESSIONS);
	if (nd > CURSES_DAYS)
		nd = CURSES_DAYS;
	cu->sched_n = n;
	if (cu->sched_sel == SIZE_MAX || cu->sched_sel >= n) {
		cu->sched_sel = 0;
		for (i = 0; i < n; i++)
			if (hub >= ss[i]->start_ms && hub < ss[i]->end_ms) {
				cu->sched_sel = i;
				break;
			}
	}
	tz_format(pg->timezone, nd > 0 ? program_day_label_ms(pg, (size_t)cu->day) : hub,
	    "%a %d %b %Y", day, sizeof day);
	zone = cu->opts.event_time ? pg->timezone : _("local time");
	head = xasprintf(_("Day %d of %zu: %s (times: %s)   Left/Right: day, Enter: details"),
	    cu->day + 1, nd, day, zone);
	wattrset(cu->wview, A_BOLD);
	curses_put(cu->wview, 0, 0, head, cu->cols);
	wattrset(cu->wview, A_NORMAL);
	free(head);
	top = curses_list_top(cu->sched_sel, n, rows);
	for (i = top, y = 2; i < n && y < cu->view_rows; i++, y++) {
		const struct session *s = ss[i];
		bool now = hub >= s->start_ms && hub < s->end_ms;
		curses_time(cu, s->start_ms, false, a, sizeof a);
		curses_time(cu, s->end_ms, false, b, sizeof b);
		title = sanitize_str(s->title);
		id = sanitize_str(s->id);
		room = s->room != NULL && *s->room != '\0' ? sanitize_str(s->room) : NULL;
		line = xasprintf("%s %s-%s  %s  [%s%s%s%s]", now ? ">" : " ", a, b, title,
		    session_kind_label(s->kind), room != NULL ? ", #" : "",
		    room != NULL ? room : "", "");
		wattrset(cu->wview, (now ? curses_attr(cu, TH_NOW) : (int)A_NORMAL) |
		    (i == cu->sched_sel ? A_REVERSE : 0));
		if (i == cu->sched_sel)
			curses_fill(cu->wview, y, 0, cu->cols);
		curses_put(cu->wview, y, 0, line, cu->cols);
		wattrset(cu->wview, A_NORMAL);
		free(line);
		free(title);
		free(id);
		free(room);
	}
	if (n == 0)
		curses_put(cu->wview, 2, 0, _("No sessions on this day."), cu->cols);
}

/* Appends the wrapped rows of s (safe text) to the view from row *y, skipping *skip rows
 * first. */
static void
curses_put_wrapped(struct curses *cu, const char *s, int attr, size_t *skip, int *y)
{
	struct width_line *wl;
	size_t n = width_wrap(s, strlen(s), (size_t)cu->cols, 2, &wl), i;

	for (i = 0; i < n; i++) {
		if (*skip > 0) {
			(*skip)--;
			continue;
		}
		if (*y >= cu->view_rows)
			break;
		wattrset(cu->wview, attr);
		mvwaddnstr(cu->wview, *y, (int)wl[i].indent, s + wl[i].start, (int)wl[i].len);
		(*y)++;
	}
	wattrset(cu->wview, A_NORMAL);
	free(wl);
}

/* Appends "label value" to the details (value from the network, sanitised), unless
 * value is NULL. */
static void
curses_put_detail(struct curses *cu, const char *label, const char *value, size_t *skip,
    int *y)
{
	char *u, *t;

	if (value == NULL)
		return;
	u = sanitize_str(value);
	t = xasprintf("%s %s", label, u);
	curses_put_wrapped(cu, t, A_NORMAL, skip, y);
	free(t);
	free(u);
}

/* A session's details: title, day and time with the zone, kind, speakers, room, where it
 * takes place, track, link and the description, wrapped; Esc goes back. */
static void
curses_draw_details(struct curses *cu)
{
	const struct program *pg = client_program(cu->client);
	const struct session *s = pg != NULL ? program_find(pg, cu->detail) : NULL;
	char a[48], b[64], day[48], *t, *u;
	size_t skip = cu->detail_scroll;
	int y = 0;

	if (s == NULL) {
		curses_put(cu->wview, 0, 0, _("That session is no longer in the program."),
		    cu->cols);
		return;
	}
	t = sanitize_str(s->title);
	curses_put_wrapped(cu, t, A_BOLD, &skip, &y);
	free(t);
	curses_time(cu, s->start_ms, false, a, sizeof a);
	curses_time(cu, s->end_ms, true, b, sizeof b);
	tz_format(pg->timezone, s->start_ms, "%a %d %b %Y", day, sizeof day);
	t = xasprintf("%s %s-%s, %s (%s)", day, a, b, session_kind_label(s->kind), s->id);
	u = sanitize_str(t);
	curses_put_wrapped(cu, u, A_NORMAL, &skip, &y);
	free(t);
	free(u);
	if (s->nspeakers > 0) {
		u = statstext_names((const char *const *)s->speakers, s->nspeakers);
		t = xasprintf(_("speakers: %s"), u);
		curses_put_wrapped(cu, t, A_NORMAL, &skip, &y);
		free(t);
		free(u);
	}
	if (s->room != NULL && *s->room != '\0') {
		u = sanitize_str(s->room);
		t = xasprintf(_("room: #%s (Enter joins)"), u);
		curses_put_wrapped(cu, t, A_NORMAL, &skip, &y);
		free(t);
		free(u);
	}
	curses_put_detail(cu, _("where:"), s->location, &skip, &y);
	curses_put_detail(cu, _("track:"), s->track, &skip, &y);
	curses_put_detail(cu, _("link:"), s->url, &skip, &y);
	if (s->description != NULL && *s->description != '\0') {
		if (skip > 0)
			skip--;
		else
			y++;
		u = sanitize_text(s->description, strlen(s->description), SANITIZE_NEWLINES);
		curses_put_wrapped(cu, u, A_NORMAL, &skip, &y);
		free(u);
	}
}

/* The rooms: one row per room with occupancy, capacity and closing time; the selected
 * row is reversed (the cursor sits on it). */
static void
curses_draw_rooms(struct curses *cu)
{
	const struct room_info *r;
	size_t n, i, top, rows = cu->view_rows > 2 ? (size_t)cu->view_rows - 2 : 1;
	char cap[64], closes[96], t[48], kind[SANITIZE_MAX_BYTES(ROOM_TITLE_MAX) + 128], *line;
	int y;

	r = client_rooms(cu->client, &n);
	if (cu->rooms_sel >= n)
		cu->rooms_sel = n > 0 ? n - 1 : 0;
	wattrset(cu->wview, A_BOLD);
	curses_put(cu->wview, 0, 0, _("Rooms   Up/Down: choose, Enter: join, Esc: back"),
	    cu->cols);
	wattrset(cu->wview, A_NORMAL);
	top = curses_list_top(cu->rooms_sel, n, rows);
	for (i = top, y = 2; i < n && y < cu->view_rows; i++, y++) {
		bool in = client_is_joined(cu->client, r[i].id);
		if (r[i].capacity > 0)
			snprintf(cap, sizeof cap, "%u/%u", r[i].occupancy, r[i].capacity);
		else
			snprintf(cap, sizeof cap, "%u", r[i].occupancy);
		closes[0] = '\0';
		if (r[i].closes_at_ms != 0)
			snprintf(closes, sizeof closes, _(", closes at %s"),
			    curses_time(cu, r[i].closes_at_ms, false, t, sizeof t));
		statstext_room_kind(&r[i], kind, sizeof kind);
		line = xasprintf("%s #%-16s %8s  %s%s", in ? "*" : " ", r[i].id, cap, kind,
		    closes);
		wattrset(cu->wview, i == cu->rooms_sel ? A_REVERSE : A_NORMAL);
		if (i == cu->rooms_sel)
			curses_fill(cu->wview, y, 0, cu->cols);
		curses_put(cu->wview, y, 0, line, cu->cols);
		wattrset(cu->wview, A_NORMAL);
		free(line);
	}
	if (n == 0)
		curses_put(cu->wview, 2, 0, _("no rooms"), cu->cols);
}

/* Centres s (safe text) on row y in attr. */
static void
curses_centre(struct curses *cu, int y, const char *s, int attr)
{
	char *t = width_truncate(s, (size_t)cu->cols, 0);
	int w = (int)width_str(t);

	if (y < 0 || y >= cu->view_rows) {
		free(t);
		return;
	}
	wattrset(cu->wview, attr);
	mvwaddstr(cu->wview, y, (cu->cols - w) / 2, t);
	wattrset(cu->wview, A_NORMAL);
	free(t);
}

/* The speaker view: the running timer in large digits filling the screen, in its phase's
 * colours, with the label, who speaks and who is next. */
static void
curses_draw_speaker(struct curses *cu)
{
	const struct timer *t = curses_shown_timer(cu);
	struct bigdigits_size sz;
	char left[32], **rows, *label, *lu;
	size_t nrows, i, avail;
	int attr, y0;

	if (t == NULL) {
		curses_centre(cu, cu->view_rows / 2, _("no timer is running"), A_BOLD);
		curses_centre(cu, cu->view_rows / 2 + 1, _("Esc: back"), A_DIM);
		return;
	}
	duration_format_remaining(timer_remaining(t, client_hub_now(cu->client)), left,
	    sizeof left);
	attr = curses_attr(cu, curses_timer_pair(cu, t));
	label = sanitize_str(t->label);
	curses_centre(cu, 0, *label != '\0' ? label : t->scope, A_BOLD);
	free(label);
	avail = cu->view_rows > 4 ? (size_t)cu->view_rows - 4 : 1;
	if (bigdigits_fit(left, (size_t)cu->cols, avail, &sz) == 0) {
		rows = bigdigits_render(left, &sz, width_locale_utf8(), &nrows);
		y0 = 2 + (int)(avail - nrows) / 2;
		for (i = 0; i < nrows; i++)
			curses_centre(cu, y0 + (int)i, rows[i], attr);
		bigdigits_free(rows, nrows);
	} else
		curses_centre(cu, cu->view_rows / 2, left, attr);
	if (t->state == TS_PAUSED)
		curses_centre(cu, cu->view_rows - 2, _("(paused)"), A_BOLD);
	if (strcmp(t->scope, TIMER_SCOPE_MAIN) == 0 && (lu = curses_lineup_text(cu)) != NULL) {
		curses_centre(cu, cu->view_rows - 1, lu, A_NORMAL);
		free(lu);
	}
}

/* The help rows: keys, then commands. */
static const char *const curses_keys[][2] = {
	{ "F1, /help", N_("this help") },
	{ "F2, /schedule", N_("the schedule (Left/Right or PgUp/PgDn: day; Enter: details)") },
	{ "F3, /rooms", N_("the rooms (Enter joins)") },
	{ "F4, /speaker", N_("the running timer in large digits") },
	{ "Esc", N_("back to the chat") },
	{ "Alt-1..9, /window N", N_("go to chat buffer N") },
	{ "Ctrl-N, Ctrl-P", N_("next, previous chat buffer") },
	{ "PgUp, PgDn", N_("scroll the chat (older lines load at the top)") },
	{ "Home, End", N_("top, bottom of the chat (when the input line is empty)") },
	{ "Up, Down", N_("input history (in lists: choose a row)") },
	{ "Tab", N_("complete a command, name or room") },
	{ "Ctrl-A, Ctrl-E", N_("start, end of the input line") },
	{ "Ctrl-U, Ctrl-K, Ctrl-W", N_("delete to the start, to the end, the word before") },
	{ "Alt-B, Alt-F", N_("a word left, right") },
	{ "Ctrl-L", N_("redraw the screen") },
	{ "/close", N_("close the buffer of a closed room") },
};

/* /help TOPIC for a command of the full-screen interface itself (speaker, window,
 * close): writes its rows of the key table into the chat; false when topic is not one. */
bool
curses_help_ui(struct curses *cu, const char *topic)
{
	char want[32];
	size_t i;
	bool found = false;

	if (*topic == '/')
		topic++;
	if (*topic == '\0' || strlen(topic) + 2 > sizeof want)
		return false;
	snprintf(want, sizeof want, "/%s", topic);
	for (i = 0; i < sizeof curses_keys / sizeof *curses_keys; i++) {
		const char *k = strstr(curses_keys[i][0], want);
		size_t n = strlen(want);

		if (k != NULL && (k[n] == '\0' || k[n] == ' ' || k[n] == ',')) {
			curses_addf(cu, CL_INFO, "%s: %s", curses_keys[i][0], _(curses_keys[i][1]));
			found = true;
		}
	}
	return found;
}

/* The help view, scrolled by help_scroll rows. */
static void
curses_draw_help(struct curses *cu)
{
	const struct command_info *t;
	size_t n, i, skip = cu->help_scroll;
	int y = 0;
	char *s;

	curses_put_wrapped(cu, _("Keys (Esc: back; PgUp/PgDn: scroll)"), A_BOLD, &skip, &y);
	for (i = 0; i < sizeof curses_keys / sizeof *curses_keys; i++) {
		s = xasprintf("  %-24s %s", curses_keys[i][0], _(curses_keys[i][1]));
		curses_put_wrapped(cu, s, A_NORMAL, &skip, &y);
		free(s);
	}
	curses_put_wrapped(cu, _("Commands"), A_BOLD, &skip, &y);
	t = command_table(&n);
	for (i = 0; i < n; i++) {
		s = xasprintf("  %s: %s", t[i].usage, _(t[i].help));
		curses_put_wrapped(cu, s, A_NORMAL, &skip, &y);
		free(s);
	}
	if (y < cu->view_rows && cu->help_scroll > 0 && skip > 0)
		cu->help_scroll -= skip;
}

/* Draws the active view. */
void
curses_draw_view(struct curses *cu)
{
	werase(cu->wview);
	switch (cu->view) {
	case CV_CHAT:
		curses_draw_chat(cu);
		break;
	case CV_SCHEDULE:
		curses_draw_schedule(cu);
		break;
	case CV_DETAILS:
		curses_draw_details(cu);
		break;
	case CV_ROOMS:
		curses_draw_rooms(cu);
		break;
	case CV_SPEAKER:
		curses_draw_speaker(cu);
		break;
	case CV_HELP:
		curses_draw_help(cu);
		break;
	}
	wnoutrefresh(cu->wview);
}

/* True when the cursor belongs on a list row (schedule, rooms): *row gets it. */
bool
curses_cursor_on_list(const struct curses *cu, int *row)
{
	size_t n, rows = cu->view_rows > 2 ? (size_t)cu->view_rows - 2 : 1, sel;

	if (cu->client == NULL)
		return false;
	if (cu->view == CV_SCHEDULE) {
		n = cu->sched_n;	/* as the schedule was last drawn */
		sel = cu->sched_sel;
	} else if (cu->view == CV_ROOMS) {
		client_rooms(cu->client, &n);
		sel = cu->rooms_sel;
	} else
		return false;
	if (n == 0 || sel >= n)
		return false;
	*row = 2 + (int)(sel - curses_list_top(sel, n, rows));
	return *row < cu->view_rows;
}
