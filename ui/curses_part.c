/* curses_part.c: participation in the full-screen interface: the board (F5, /board, and
 * /topics, /questions, /poll, /signups, /queue open it at their section), one list of
 * topics, questions, polls (a row per choice of an open poll), sign-ups and the current
 * room's speaking queue, the terminal cursor on the selected row and Enter to vote, take
 * a vote back, choose in a poll or raise and lower a hand; a line per change in the
 * buffer where we are (the board shows counts live, so no lines per vote); the bell when
 * it is our turn; the room bar's marks for an open poll and our place in the queue. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_int.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define CURSES_BOARD_MAX 4000   /* items the board lists */

/* One row of the board. */
struct brow {
	char *text;             /* safe text */
	int64_t id;             /* the item, 0 for the queue's row, -1 for a heading */
	int choice;             /* a poll's choice, or -1 */
	int attr;
};

/* Adds a row to *rows. */
static void
curses_part_row(struct brow **rows, size_t *n, char *text, int64_t id, int choice, int attr)
{
	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	(*rows)[*n].text = text;
	(*rows)[*n].id = id;
	(*rows)[*n].choice = choice;
	(*rows)[*n].attr = attr;
	(*n)++;
}

/* "  text" (a new string; text is freed). */
static char *
curses_part_indent(char *text)
{
	char *s = xasprintf("  %s", text);

	free(text);
	return s;
}

/* A heading of the board. */
static char *
curses_part_heading(enum part_kind k)
{
	switch (k) {
	case PK_TOPIC: return xstrdup(_("Topics (/propose TITLE; Enter: vote or take it back)"));
	case PK_QUESTION: return xstrdup(_("Questions (/ask TEXT; Enter: upvote or take it "
	    "back)"));
	case PK_POLL: return xstrdup(_("Polls (Enter on a choice: vote)"));
	default: return xstrdup(_("Sign-ups for a talk or pitch (/signup talk|pitch TITLE)"));
	}
}

/* The rows of a poll's choices: "  (*) 2 no: 3". */
static void
curses_part_choices(struct brow **rows, size_t *n, const struct part_item *it)
{
	char *c;
	size_t i;

	for (i = 0; i < it->nchoices; i++) {
		c = sanitize_text(it->choices[i], strlen(it->choices[i]), SANITIZE_SQUEEZE);
		if (it->has_counts)
			curses_part_row(rows, n, xasprintf("     %s %zu %s: %lld", it->choice ==
			    (int)i ? "(*)" : "( )", i + 1, c, (long long)it->counts[i]), it->id,
			    (int)i, A_NORMAL);
		else
			curses_part_row(rows, n, xasprintf("     %s %zu %s", it->choice == (int)i ?
			    "(*)" : "( )", i + 1, c), it->id, (int)i, A_NORMAL);
		free(c);
	}
}

/* Builds the board's rows (*n of them, a new array; free with curses_part_free_rows). */
static struct brow *
curses_part_rows(struct curses *cu, size_t *n)
{
	const struct part_item **items = xcalloc(CURSES_BOARD_MAX, sizeof *items);
	const char *room = client_current_room(cu->client);
	struct brow *rows = NULL;
	size_t ni, i, k;
	int kind;

	*n = 0;
	ni = client_items(cu->client, PK__COUNT, items, CURSES_BOARD_MAX);
	if (ni > CURSES_BOARD_MAX)
		ni = CURSES_BOARD_MAX;
	for (kind = PK_TOPIC, i = 0; kind < PK__COUNT; kind++) {
		curses_part_row(&rows, n, curses_part_heading((enum part_kind)kind), -1, -1,
		    A_BOLD);
		for (k = 0; i < ni && items[i]->kind == (enum part_kind)kind; i++, k++) {
			curses_part_row(&rows, n, curses_part_indent(client_item_row(items[i])),
			    items[i]->id, -1, items[i]->state == PS_OPEN ? A_NORMAL : A_DIM);
			if (items[i]->kind == PK_POLL && items[i]->state == PS_OPEN)
				curses_part_choices(&rows, n, items[i]);
		}
		if (k == 0)
			curses_part_row(&rows, n, curses_part_indent(client_items_empty_text(
			    (enum part_kind)kind)), -1, -1, A_DIM);
	}
	curses_part_row(&rows, n, xasprintf(_("Speaking queue of #%s (Enter: raise or lower your "
	    "hand)"), room), -1, -1, A_BOLD);
	curses_part_row(&rows, n, curses_part_indent(client_queue_list_text(client_queue(
	    cu->client, room), client_name(cu->client))), 0, -1, A_NORMAL);
	free(items);
	return rows;
}

/* Frees the rows. */
static void
curses_part_free_rows(struct brow *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].text);
	free(rows);
}

/* The selected row's index in rows: the selected item (and choice), else the first row
 * of the section asked for, else the first selectable row. */
static size_t
curses_part_sel(struct curses *cu, const struct brow *rows, size_t n)
{
	const struct part_item *it;
	size_t i;

	for (i = 0; i < n; i++)
		if (rows[i].id == cu->board_id && rows[i].choice == cu->board_choice &&
		    rows[i].id >= 0)
			return i;
	for (i = 0; i < n; i++) {
		if (rows[i].id <= 0)
			continue;
		it = client_item(cu->client, rows[i].id);
		if (cu->board_kind < 0 || cu->board_kind >= PK__COUNT ||
		    (it != NULL && (int)it->kind == cu->board_kind))
			break;
	}
	if (i == n)
		for (i = 0; i < n && rows[i].id < 0; i++)
			;
	if (i < n) {
		cu->board_id = rows[i].id;
		cu->board_choice = rows[i].choice;
	}
	return i < n ? i : 0;
}

/* The board: a heading, then the rows; the selected one reversed (the cursor is there). */
void
curses_part_draw(struct curses *cu)
{
	size_t n, i, sel, top, rows_avail = cu->view_rows > 2 ? (size_t)cu->view_rows - 2 : 1;
	struct brow *rows;
	int y;

	if (cu->client == NULL)
		return;
	rows = curses_part_rows(cu, &n);
	sel = curses_part_sel(cu, rows, n);
	cu->board_n = n;
	wattrset(cu->wview, A_BOLD);
	curses_put(cu->wview, 0, 0, _("Board   Up/Down: choose, Enter: vote, Esc: back"),
	    cu->cols);
	wattrset(cu->wview, A_NORMAL);
	top = curses_list_top(sel, n, rows_avail);
	for (i = top, y = 2; i < n && y < cu->view_rows; i++, y++) {
		wattrset(cu->wview, rows[i].attr | (i == sel ? A_REVERSE : 0));
		if (i == sel)
			curses_fill(cu->wview, y, 0, cu->cols);
		curses_put(cu->wview, y, 0, rows[i].text, cu->cols);
		wattrset(cu->wview, A_NORMAL);
	}
	curses_part_free_rows(rows, n);
}

/* True when the cursor belongs on the board's selected row: *row gets it. */
bool
curses_part_cursor(const struct curses *cu, int *row)
{
	struct curses *mut = (struct curses *)cu;   /* (the selection may settle) */
	size_t n, sel, rows_avail = cu->view_rows > 2 ? (size_t)cu->view_rows - 2 : 1;
	struct brow *rows;

	if (cu->client == NULL)
		return false;
	rows = curses_part_rows(mut, &n);
	sel = curses_part_sel(mut, rows, n);
	curses_part_free_rows(rows, n);
	if (n == 0)
		return false;
	*row = 2 + (int)(sel - curses_list_top(sel, n, rows_avail));
	return *row < cu->view_rows;
}

/* Moves the selection by delta rows (headings are passed over). */
void
curses_part_move(struct curses *cu, long delta)
{
	size_t n, sel;
	struct brow *rows;
	long i, step = delta < 0 ? -1 : 1, left = delta < 0 ? -delta : delta;

	if (cu->client == NULL)
		return;
	rows = curses_part_rows(cu, &n);
	sel = curses_part_sel(cu, rows, n);
	for (i = (long)sel; left > 0; ) {
		long j = i + step;

		while (j >= 0 && j < (long)n && rows[j].id < 0)
			j += step;
		if (j < 0 || j >= (long)n)
			break;
		i = j;
		left--;
	}
	if (i >= 0 && i < (long)n) {
		cu->board_id = rows[i].id;
		cu->board_choice = rows[i].choice;
	}
	curses_part_free_rows(rows, n);
	curses_mark(cu, CD_VIEW);
}

/* Enter on the selected row. */
void
curses_part_enter(struct curses *cu)
{
	const struct part_item *it;
	char *line = NULL;

	if (cu->client == NULL)
		return;
	if (cu->board_id == 0)
		line = xstrdup(client_queue_place(cu->client, client_current_room(cu->client)) >
		    0 ? "/hand down" : "/hand");
	else if ((it = client_item(cu->client, cu->board_id)) != NULL && part_item_votable(it)) {
		if (it->kind == PK_POLL && cu->board_choice >= 0)
			line = xasprintf("/poll vote %lld %d", (long long)it->id, cu->board_choice + 1);
		else if (it->kind != PK_POLL)
			line = xasprintf(it->voted ? "/unvote %lld" : "/vote %lld", (long long)it->id);
	}
	if (line == NULL) {
		beep();
		return;
	}
	curses_send_line(cu, line);
	free(line);
}

/* Opens the board at a section. */
void
curses_part_open(struct curses *cu, enum part_kind kind)
{
	if (kind != PK__COUNT) {
		cu->board_kind = (int)kind;
		cu->board_id = -2;          /* (no row: the section's first) */
	}
	curses_open_view(cu, CV_BOARD);
}

/* The bar's marks: "poll 9 open", "you speak next" or "hand up: 3". */
char *
curses_part_bar(struct curses *cu)
{
	const struct part_item *poll;
	char *s = NULL, *t;
	size_t place;

	if (cu->client == NULL)
		return NULL;
	if ((poll = client_open_poll(cu->client)) != NULL)
		s = xasprintf(_("[poll %lld open]"), (long long)poll->id);
	place = client_queue_place(cu->client, client_current_room(cu->client));
	if (place > 0) {
		t = place == 1 ? xstrdup(_("[you speak next]")) :
		    xasprintf(_("[hand up: %zu]"), place);
		if (s != NULL) {
			char *both = xasprintf("%s %s", s, t);
			free(s);
			free(t);
			s = both;
		} else
			s = t;
	}
	return s;
}

/* Adds a participation line (prefix "[tag]") where we are. */
static void
curses_part_line(struct curses *cu, const char *tag, char *text, unsigned flags)
{
	char *prefix = xasprintf("[%s]", tag);

	if (text != NULL)
		curses_buf_add(cu, curses_buf_here(cu), CL_NOTICE, prefix, text, flags);
	free(prefix);
	free(text);
}

/* A hidden item's earlier lines vanish: each says only that it was hidden. */
static void
curses_part_unsay(struct curses *cu, const char *prefix, const char *text)
{
	struct cline *l;
	size_t i, j;

	for (i = 0; i < cu->nbufs; i++)
		for (j = 0; j < cu->bufs[i]->n; j++) {
			l = curses_buf_line(cu->bufs[i], j);
			if (l->kind != CL_NOTICE || strcmp(l->prefix, prefix) != 0)
				continue;
			free(l->text);
			l->text = xstrdup(text);
		}
}

/* An item appeared or changed: a line where we are; the board and the bar follow. A
 * hidden item's earlier lines are rewritten: it vanishes from the screen. */
static void
curses_part_item(void *arg, const struct part_item *it, enum client_item_change change,
    const char *by)
{
	struct curses *cu = arg;
	char *tag = client_item_tag(it), *text = client_item_text(it, change, by), *prefix;

	if (change == CI_HIDDEN) {
		prefix = xasprintf("[%s]", tag);
		curses_part_unsay(cu, prefix, text);
		free(prefix);
	}
	curses_part_line(cu, tag, text, 0);
	free(tag);
	curses_mark(cu, CD_BAR | (cu->view == CV_BOARD ? CD_VIEW : 0));
}

/* Counts and queues changed: the board and the bar show them (no line per vote). */
static void
curses_part_changed(void *arg)
{
	struct curses *cu = arg;

	curses_mark(cu, CD_BAR | (cu->view == CV_BOARD ? CD_VIEW : 0));
}

/* /topics, /questions, /poll, /signups, /board: the board, at that section. */
static void
curses_part_items(void *arg, enum part_kind kind, const struct part_item *const *items,
    size_t n)
{
	(void)items;
	(void)n;
	curses_part_open(arg, kind);
}

/* A queue of a room we are in changed: a line in that room's buffer. */
static void
curses_part_queue(void *arg, const struct client_queue *q, const char *raised,
    const char *lowered, const char *called, bool cleared, bool first, const char *by)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, q->room, NULL);
	char *prefix = xasprintf("[queue #%s]", q->room), *text;

	text = client_queue_text(q, raised, lowered, called, cleared, first, by,
	    client_name(cu->client));
	curses_buf_add(cu, b != NULL ? b : curses_buf_here(cu), CL_NOTICE, prefix, text,
	    first ? CLF_MENTION : 0);
	free(text);
	free(prefix);
	curses_mark(cu, CD_BAR | (cu->view == CV_BOARD ? CD_VIEW : 0));
}

/* /queue: the board, at the queue. */
static void
curses_part_queue_list(void *arg, const struct client_queue *q)
{
	struct curses *cu = arg;

	(void)q;
	cu->board_id = 0;
	cu->board_choice = -1;
	curses_open_view(cu, CV_BOARD);
}

/* Anonymous questions allowed in a session, or no longer. */
static void
curses_part_qa(void *arg, const char *session, bool anonymous, const char *by)
{
	struct curses *cu = arg;
	char *s = curses_s(session), *b = curses_s(by != NULL ? by : "?"), *tag;

	tag = xasprintf("qa %s", s);
	curses_part_line(cu, tag, xasprintf(anonymous ? _("%s allows anonymous questions") :
	    _("%s no longer allows anonymous questions"), b), 0);
	free(tag);
	free(s);
	free(b);
}

/* What became of a sign-up of ours: marked like a mention. */
static void
curses_part_signup(void *arg, const struct proto_signup_answer *a)
{
	struct curses *cu = arg;

	curses_part_line(cu, "signup", client_signup_text(a), CLF_MENTION);
	if (cu->opts.mention_bell)
		curses_bell(cu);
}

/* A participation request of ours was done. */
static void
curses_part_done(void *arg, const struct client_part_done *d)
{
	struct curses *cu = arg;
	char *text = client_part_done_text(d, client_item(cu->client, d->item));

	if (text != NULL)
		curses_addf(cu, CL_NOTICE, "%s", text);
	free(text);
	curses_mark(cu, CD_BAR | (cu->view == CV_BOARD ? CD_VIEW : 0));
}

/* Our turn: a marked line and the bell (where enabled); the bar says it too. */
static void
curses_part_alert(void *arg, enum client_alert what, const char *detail, int64_t ms)
{
	struct curses *cu = arg;

	if (what == CA_UP_NEXT || what == CA_ON_NOW)
		curses_part_line(cu, "lineup", client_alert_text(what, detail, ms), CLF_MENTION);
	/* (being called, or first in the queue: the queue's line said it) */
	if (what == CA_UP_NEXT || what == CA_ON_NOW ? cu->opts.bell : cu->opts.mention_bell)
		curses_bell(cu);
	curses_mark(cu, CD_BAR);
}

/* Fills the participation callbacks of v. */
void
curses_part_view(struct client_view *v)
{
	v->item = curses_part_item;
	v->part_changed = curses_part_changed;
	v->items = curses_part_items;
	v->queue = curses_part_queue;
	v->queue_list = curses_part_queue_list;
	v->qa = curses_part_qa;
	v->signup_answer = curses_part_signup;
	v->part_done = curses_part_done;
	v->alert = curses_part_alert;
}
