/* curses.c: the curses front end's screen and loop glue: starting and ending the screen,
 * the terminal inside the lws loop, SIGWINCH, the layout of the stacked rows, the theme,
 * drawing once per loop pass from dirty marks, the top line, the room bar, the input line,
 * and the one wake-up per second while something on screen counts. */
#include "util/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "ui/curses_int.h"
#include "ui/statstext.h"
#include "util/clock.h"
#include "util/container.h"
#include "util/duration.h"
#include "util/sanitize.h"
#include "util/sat.h"
#include "util/tztime.h"
#include "util/width.h"
#include "util/xalloc.h"

static struct curses *curses_self;          /* the one front end (signals, lws) */
static volatile sig_atomic_t curses_winch;  /* SIGWINCH came */
static struct sigaction curses_old_winch;   /* ncurses' handler, chained */

/* Monotonic ms now. */
int64_t
curses_mono(void)
{
	return cf_mono_ms(&cf_clock_system);
}

/* Wall-clock ms now. */
int64_t
curses_wall(void)
{
	return cf_wall_ms(&cf_clock_system);
}

/* Creates a front end. */
struct curses *
curses_create(const struct curses_opts *opts, const struct curses_input *in)
{
	struct curses *cu = xcalloc(1, sizeof *cu);

	cu->opts = *opts;
	cu->in = *in;
	cu->day = 0;
	cu->top_rtt = -1;
	curses_buf_get(cu, ROOM_LOBBY);
	return cu;
}

/* Lets cu read and drive the client. */
void
curses_attach(struct curses *cu, struct client *c)
{
	cu->client = c;
}

/* Fills v with the curses callbacks. */
void
curses_view(struct curses *cu, struct client_view *v)
{
	curses_events_view(cu, v);
}

/* Frees cu (ending the screen first). */
void
curses_free(struct curses *cu)
{
	size_t i;

	if (cu == NULL)
		return;
	curses_stop(cu); /* (the terminal's wsi belongs to the lws context) */
	for (i = 0; i < cu->nbufs; i++)
		curses_buf_free(cu->bufs[i]);
	free(cu->bufs);
	for (i = 0; i < cu->nnicks; i++)
		free(cu->nicks[i]);
	free(cu->nicks);
	editline_free(cu->el);
	free(cu->paste);
	free(cu->conn_detail);
	free(cu->refusal);
	if (curses_self == cu)
		curses_self = NULL;
	free(cu);
}

/* The attributes of a theme pair: its colour when colours are on, else a plain
 * attribute that still tells the parts apart. */
int
curses_attr(const struct curses *cu, enum cpair p)
{
	static const int mono[TH__COUNT] = {
		[TH_TOP] = A_REVERSE, [TH_BAR] = A_REVERSE, [TH_NOTICE] = A_DIM,
		[TH_ERROR] = A_BOLD, [TH_MENTION] = A_BOLD | A_UNDERLINE, [TH_NICK] = A_BOLD,
		[TH_MINE] = 0, [TH_NOW] = A_BOLD, [TH_TIMER_NORMAL] = A_NORMAL,
		[TH_TIMER_WARN] = A_BOLD, [TH_TIMER_DANGER] = A_REVERSE,
		[TH_TIMER_OVER] = A_REVERSE | A_BOLD | A_UNDERLINE, [TH_MARKER] = A_UNDERLINE
	};
	static const int extra[TH__COUNT] = {
		[TH_NICK] = A_BOLD, [TH_MENTION] = A_BOLD, [TH_NOW] = A_BOLD,
		[TH_TIMER_WARN] = A_BOLD, [TH_TIMER_DANGER] = A_BOLD, [TH_TIMER_OVER] = A_BOLD
	};

	if (p <= 0 || p >= TH__COUNT)
		return 0;
	if (!cu->colour)
		return mono[p];
	return (int)COLOR_PAIR(p) | extra[p];
}

/* Sets up the theme's colour pairs (or decides on attributes only). */
static void
curses_theme(struct curses *cu)
{
	const char *nc = getenv("NO_COLOR");

	cu->colour = has_colors() && cu->opts.colours != 0 &&
	    !(cu->opts.colours < 0 && nc != NULL && *nc != '\0');
	if (!cu->colour)
		return;
	start_color();
	use_default_colors();
	init_pair(TH_TOP, COLOR_WHITE, COLOR_BLUE);
	init_pair(TH_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(TH_NOTICE, COLOR_CYAN, -1);
	init_pair(TH_ERROR, COLOR_RED, -1);
	init_pair(TH_MENTION, COLOR_YELLOW, -1);
	init_pair(TH_NICK, COLOR_GREEN, -1);
	init_pair(TH_MINE, COLOR_BLUE, -1);
	init_pair(TH_NOW, COLOR_GREEN, -1);
	init_pair(TH_TIMER_NORMAL, COLOR_BLACK, COLOR_GREEN);
	init_pair(TH_TIMER_WARN, COLOR_BLACK, COLOR_YELLOW);
	init_pair(TH_TIMER_DANGER, COLOR_WHITE, COLOR_RED);
	init_pair(TH_TIMER_OVER, COLOR_WHITE, COLOR_MAGENTA);
	init_pair(TH_MARKER, COLOR_RED, -1);
}

/* Draws s (safe text) at y, x in at most maxcols columns (cut at a character). */
void
curses_put(WINDOW *w, int y, int x, const char *s, int maxcols)
{
	size_t len;

	if (maxcols <= 0 || s == NULL)
		return;
	len = width_fit(s, strlen(s), (size_t)maxcols, NULL);
	mvwaddnstr(w, y, x, s, (int)len);
}

/* Fills cols columns at y, x with spaces (in the current attributes). */
void
curses_fill(WINDOW *w, int y, int x, int cols)
{
	if (cols > 0)
		mvwhline(w, y, x, ' ', cols);
}

/* Deletes the windows. */
static void
curses_delwins(struct curses *cu)
{
	WINDOW **w[] = { &cu->wtop, &cu->wview, &cu->wtimer, &cu->wbar, &cu->winput };
	size_t i;

	for (i = 0; i < sizeof w / sizeof *w; i++) {
		if (*w[i] != NULL)
			delwin(*w[i]);
		*w[i] = NULL;
	}
}

/* True when the screen is big enough for the layout. */
static bool
curses_big_enough(const struct curses *cu)
{
	return cu->cols >= CURSES_MIN_COLS && cu->rows >= CURSES_MIN_ROWS;
}

/* Stacks the rows: top line, view, timer line (when a timer shows), room bar, input. */
void
curses_layout(struct curses *cu)
{
	int y;

	curses_delwins(cu);
	getmaxyx(stdscr, cu->rows, cu->cols);
	if (!curses_big_enough(cu))
		return;
	cu->timer_shown = cu->view != CV_SPEAKER && curses_shown_timer(cu) != NULL;
	cu->view_rows = cu->rows - 3 - (cu->timer_shown ? 1 : 0);
	cu->wtop = newwin(1, cu->cols, 0, 0);
	cu->wview = newwin(cu->view_rows, cu->cols, 1, 0);
	y = 1 + cu->view_rows;
	if (cu->timer_shown)
		cu->wtimer = newwin(1, cu->cols, y++, 0);
	cu->wbar = newwin(1, cu->cols, y++, 0);
	cu->winput = newwin(1, cu->cols, y, 0);
	/* keys are read through the input window: never blocking, function keys decoded */
	keypad(cu->winput, TRUE);
	nodelay(cu->winput, TRUE);
	cu->dirty |= CD_ALL;
}

/* "12:03" or "12:03 PM", with the zone name when zone is set, in the conference's zone or
 * the local one (opts.event_time), into buf. */
char *
curses_time(const struct curses *cu, int64_t ms, bool zone, char *buf, size_t len)
{
	const struct program *pg = cu->client != NULL ? client_program(cu->client) : NULL;
	const char *fmt = cu->opts.clock12 ? (zone ? "%I:%M %p %Z" : "%I:%M %p") :
	    (zone ? "%H:%M %Z" : "%H:%M");
	struct tm tm;
	time_t t = (time_t)(ms / 1000);

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (cu->opts.event_time && pg != NULL && pg->timezone != NULL)
		return tz_format(pg->timezone, ms, fmt, buf, len);
	if (localtime_r(&t, &tm) == NULL)
		return buf;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, len, fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return buf;
}

#define CURSES_BYTES_COLS 80 /* the top line shows the bytes used from this width on */
#define CURSES_BYTES_EVERY 1000 /* ms: frames redraw the bytes used at most this often */

/* The connection part of the top line, into buf. */
static const char *
curses_conn_text(struct curses *cu, char *buf, size_t len)
{
	int64_t rtt = cu->client != NULL ? client_rtt_ms(cu->client) : -1, left;

	cu->top_rtt = -1;
	if (cu->fatal && cu->refusal != NULL && *cu->refusal != '\0')
		snprintf(buf, len, _("refused by the hub: %s"), cu->refusal);
	else if (cu->fatal)
		snprintf(buf, len, "%s", _("refused by the hub"));
	else if (cu->conn == 3)
		snprintf(buf, len, "%s", _("not connecting: certificate refused"));
	else if (cu->conn == 2) {
		left = sat_add(sat_sub(cu->retry_at, curses_mono()), 999) / 1000;
		snprintf(buf, len, _("reconnecting in %lld s"), (long long)(left > 0 ? left : 0));
	} else if (cu->conn == 0 || cu->client == NULL || !client_online(cu->client))
		snprintf(buf, len, "%s", _("connecting..."));
	else if (rtt >= 0 && cu->cols < CURSES_BYTES_COLS) {
		snprintf(buf, len, _("online, %lld ms"), (long long)rtt);
		cu->top_rtt = rtt;
	} else if (rtt >= 0) {
		/* the bytes this session has cost so far, on the wire when measurable (only on
		 * a wide screen: on a narrow one what is on now matters more) */
		struct client_stats st;
		uint64_t n;
		char bytes[32];

		client_get_stats(cu->client, &st);
		n = st.link.wire_rx + st.link.wire_tx;
		if (n == 0)
			n = st.link.ws_rx + st.link.ws_tx;
		snprintf(buf, len, _("online, %lld ms, %s"), (long long)rtt,
		    statstext_bytes(n, bytes, sizeof bytes));
		cu->top_rtt = rtt;
	} else
		snprintf(buf, len, "%s", _("online"));
	return buf;
}

/* The top line: the conference, what is on now and next, the connection. */
static void
curses_draw_top(struct curses *cu)
{
	const struct program *pg = cu->client != NULL ? client_program(cu->client) : NULL;
	char conn[512], t[64], *left, *title, *now = NULL, *next = NULL, *s;
	const struct session *x;
	int64_t hub = cu->client != NULL ? client_hub_now(cu->client) : 0;
	size_t cw;

	wattrset(cu->wtop, curses_attr(cu, TH_TOP));
	curses_fill(cu->wtop, 0, 0, cu->cols);
	curses_conn_text(cu, conn, sizeof conn);
	cu->top_at = curses_mono();
	title = sanitize_str(pg != NULL ? pg->title : "confab");
	if (pg != NULL && (x = program_current(pg, hub)) != NULL) {
		s = sanitize_str(x->title);
		now = xasprintf(_("now: %s"), s);
		free(s);
	}
	if (pg != NULL && (x = program_next(pg, hub)) != NULL) {
		s = sanitize_str(x->title);
		next = xasprintf(_("next: %s %s"), curses_time(cu, x->start_ms, false, t, sizeof t),
		    s);
		free(s);
	}
	left = xasprintf(" %s%s%s%s%s%s", title,
	    pg != NULL && !client_program_live(cu->client) ? " " : "",
	    pg != NULL && !client_program_live(cu->client) ? _("(not live)") : "",
	    now != NULL ? " | " : "", now != NULL ? now : "", "");
	s = xasprintf("%s%s%s", left, next != NULL ? " | " : "", next != NULL ? next : "");
	cw = width_str(conn) + 2;
	if (cw < (size_t)cu->cols) {
		char *cut = width_truncate(s, (size_t)cu->cols - cw - 1, 0);
		curses_put(cu->wtop, 0, 0, cut, cu->cols - (int)cw - 1);
		free(cut);
	}
	curses_put(cu->wtop, 0, cw < (size_t)cu->cols ? cu->cols - (int)cw + 1 : 0, conn,
	    cu->cols);
	free(s);
	free(left);
	free(title);
	free(now);
	free(next);
	wnoutrefresh(cu->wtop);
}

/* The room bar: every buffer with its number, unread and mention counters; the active
 * one stands out; the view's name when it is not a chat buffer. */
static void
curses_draw_bar(struct curses *cu)
{
	static const char *const names[] = {
		[CV_CHAT] = "", [CV_SCHEDULE] = N_("schedule"), [CV_DETAILS] = N_("session"),
		[CV_ROOMS] = N_("rooms"), [CV_SPEAKER] = N_("speaker"), [CV_HELP] = N_("help")
	};
	int x = 0, w, base = curses_attr(cu, TH_BAR);
	size_t i;
	char item[ROOM_ID_MAX + 64];

	wattrset(cu->wbar, base);
	curses_fill(cu->wbar, 0, 0, cu->cols);
	wmove(cu->wbar, 0, 0);
	if (cu->view != CV_CHAT) {
		snprintf(item, sizeof item, "[%s] ", _(names[cu->view]));
		wattrset(cu->wbar, base | A_BOLD);
		curses_put(cu->wbar, 0, x, item, cu->cols - x);
		x += (int)width_str(item);
	}
	for (i = 0; i < cu->nbufs && x < cu->cols; i++) {
		struct cbuf *b = cu->bufs[i];
		snprintf(item, sizeof item, "%zu:#%s%s", i + 1, b->room,
		    b->closed ? _("(closed)") : "");
		wattrset(cu->wbar, base | (i == cu->cur ? A_BOLD | A_UNDERLINE : 0));
		curses_put(cu->wbar, 0, x, item, cu->cols - x);
		x += (int)width_str(item);
		if (b->unread > 0 || b->mentions > 0) {
			if (b->mentions > 0)
				snprintf(item, sizeof item, "(%zu, @%zu)", b->unread, b->mentions);
			else
				snprintf(item, sizeof item, "(%zu)", b->unread);
			wattrset(cu->wbar, b->mentions > 0 ? (base | A_BOLD) ^ (cu->colour ?
			    0 : A_REVERSE) : base | A_BOLD);
			w = (int)width_str(item);
			curses_put(cu->wbar, 0, x, item, cu->cols - x);
			x += w;
		}
		wattrset(cu->wbar, base);
		x += 1;
	}
	wnoutrefresh(cu->wbar);
}

/* The input line: a prompt that says where a typed line goes (the client's current room,
 * or that the buffer shown is a closed room's and takes no lines), then the visible part
 * of the line. Returns the cursor's column. */
static int
curses_draw_input(struct curses *cu)
{
	struct cbuf *b = curses_buf_active(cu);
	char prompt[ROOM_ID_MAX + 128];
	struct editline_view v;
	int pw;
	char *s;

	if (b->closed)
		snprintf(prompt, sizeof prompt, _("[#%s closed] "), b->room);
	else
		snprintf(prompt, sizeof prompt, "[#%s] ", cu->client != NULL ?
		    client_current_room(cu->client) : curses_buf_here(cu)->room);
	werase(cu->winput);
	wattrset(cu->winput, A_BOLD);
	curses_put(cu->winput, 0, 0, prompt, cu->cols / 3);
	pw = (int)width_str(prompt);
	if (pw > cu->cols / 3)
		pw = cu->cols / 3;
	wattrset(cu->winput, A_NORMAL);
	editline_view(cu->el, (size_t)(cu->cols - pw), &v);
	s = sanitize_text(editline_text(cu->el) + v.start, v.len, 0);
	curses_put(cu->winput, 0, pw, s, cu->cols - pw);
	free(s);
	return pw + (int)v.cursor_col;
}

/* The message shown when the terminal is too small. */
static void
curses_draw_small(struct curses *cu)
{
	char *s;
	int y;

	werase(stdscr);
	s = xasprintf(_("The terminal is too small: %dx%d; confab needs at least %dx%d."),
	    cu->cols, cu->rows, CURSES_MIN_COLS, CURSES_MIN_ROWS);
	for (y = 0; y < cu->rows && *s != '\0'; y++) {
		size_t cut = width_fit(s, strlen(s), (size_t)cu->cols, NULL);
		char *rest;
		if (cut == 0)
			break;
		mvwaddnstr(stdscr, y, 0, s, (int)cut);
		rest = xstrdup(s + cut + (s[cut] == ' ' ? 1 : 0));
		free(s);
		s = rest;
	}
	free(s);
	wnoutrefresh(stdscr);
	doupdate();
}

static void curses_schedule_tick(struct curses *cu);

/* Draws what is marked dirty, then puts the cursor where attention is. */
static void
curses_draw(struct curses *cu)
{
	int col, row;
	unsigned d;

	if (!cu->started)
		return;
	if ((cu->dirty & CD_LAYOUT) || cu->wtop == NULL) {
		bool want = cu->view != CV_SPEAKER && curses_shown_timer(cu) != NULL;
		if (want != cu->timer_shown || cu->wtop == NULL || cu->rows != LINES ||
		    cu->cols != COLS)
			curses_layout(cu);
		cu->dirty &= ~(unsigned)CD_LAYOUT;
	}
	if (!curses_big_enough(cu)) {
		curses_draw_small(cu);
		cu->dirty = 0;
		return;
	}
	d = cu->dirty;
	cu->dirty = 0;
	if (d & CD_TOP)
		curses_draw_top(cu);
	if (d & CD_VIEW)
		curses_draw_view(cu);
	if ((d & CD_TIMER) && cu->timer_shown)
		curses_draw_timer(cu);
	if (d & CD_BAR)
		curses_draw_bar(cu);
	col = curses_draw_input(cu);
	if (editline_length(cu->el) == 0 && curses_cursor_on_list(cu, &row)) {
		wnoutrefresh(cu->winput);
		wmove(cu->wview, row, 0);
		wnoutrefresh(cu->wview);
	} else {
		wmove(cu->winput, 0, col < cu->cols ? col : cu->cols - 1);
		wnoutrefresh(cu->winput);
	}
	doupdate();
	curses_schedule_tick(cu);
}

/* The queued redraw runs (once per loop pass). */
static void
curses_draw_cb(lws_sorted_usec_list_t *sul)
{
	struct curses *cu = CF_CONTAINER_OF(sul, struct curses, sul_draw);

	cu->draw_queued = false;
	curses_draw(cu);
}

/* Marks parts of the screen to redraw; the redraw runs once, after the callbacks of this
 * loop pass. */
void
curses_mark(struct curses *cu, unsigned what)
{
	cu->dirty |= what;
	if (!cu->started || cu->draw_queued || cu->cx == NULL)
		return;
	cu->draw_queued = true;
	lws_sul_schedule(cu->cx, 0, &cu->sul_draw, curses_draw_cb, 1);
}

/* The one-second (or sooner) tick: what counts on screen changed. */
static void
curses_tick_cb(lws_sorted_usec_list_t *sul)
{
	struct curses *cu = CF_CONTAINER_OF(sul, struct curses, sul_tick);

	curses_mark(cu, CD_TOP | CD_TIMER | (cu->view == CV_SPEAKER ||
	    cu->view == CV_SCHEDULE || cu->view == CV_ROOMS ? CD_VIEW : 0));
}

/* Ms until a countdown showing ms changes its display (whole seconds, rounded up before
 * zero and down after). */
static int64_t
curses_next_second(int64_t ms)
{
	int64_t r;

	if (ms > 0) {
		r = ms % 1000;
		return r == 0 ? 1000 : r;
	}
	return 1000 + ms % 1000;   /* (ms % 1000 is in (-1000, 0]: no negation of INT64_MIN) */
}

/* Schedules the next wake-up: the next second of a visible running timer or of the
 * reconnect countdown, or the next session boundary (the top line's now/next); none when
 * nothing on screen will change by itself. */
static void
curses_schedule_tick(struct curses *cu)
{
	int64_t best = -1, d, hub, rem;
	const struct timer *t = curses_shown_timer(cu);
	const struct program *pg;
	const struct session *x;

	if (cu->client == NULL || cu->cx == NULL)
		return;
	hub = client_hub_now(cu->client);
	if (t != NULL && t->state == TS_RUNNING && (cu->timer_shown || cu->view == CV_SPEAKER)) {
		rem = timer_remaining(t, hub);
		best = curses_next_second(rem);
		if (rem > t->warn_ms && sat_sub(rem, t->warn_ms) < best)
			best = sat_sub(rem, t->warn_ms);
		if (rem > t->danger_ms && sat_sub(rem, t->danger_ms) < best)
			best = sat_sub(rem, t->danger_ms);
	}
	if (cu->conn == 2 && cu->retry_at > curses_mono()) {
		d = curses_next_second(sat_sub(cu->retry_at, curses_mono()));
		if (best < 0 || d < best)
			best = d;
	}
	pg = client_program(cu->client);
	if (pg != NULL) {
		x = program_current(pg, hub);
		if (x != NULL && (best < 0 || sat_sub(x->end_ms, hub) < best))
			best = sat_sub(x->end_ms, hub);
		x = program_next(pg, hub);
		if (x != NULL && (best < 0 || sat_sub(x->start_ms, hub) < best))
			best = sat_sub(x->start_ms, hub);
	}
	if (best < 0) {
		lws_sul_cancel(&cu->sul_tick);
		return;
	}
	/* at most an hour away, and never now: a tick that fires has moved on a second */
	best = sat_clamp(best, 1, 3600000);
	lws_sul_schedule(cu->cx, 0, &cu->sul_tick, curses_tick_cb, (lws_usec_t)(best + 2) * 1000);
}

/* A frame was handled: occupancy and round trip may have changed. The top line is redrawn
 * when the round trip shown changed, and for the bytes used (wide screens) at most once a
 * second. */
void
curses_after_frame(struct curses *cu)
{
	unsigned what = 0;
	int64_t rtt;

	if (cu->view == CV_ROOMS)
		what |= CD_VIEW;
	if (cu->client != NULL && cu->conn == 1 && (rtt = client_rtt_ms(cu->client)) >= 0) {
		if (rtt != cu->top_rtt)
			what |= CD_TOP;
		else if (cu->cols >= CURSES_BYTES_COLS &&
		    curses_mono() - cu->top_at >= CURSES_BYTES_EVERY)
			what |= CD_TOP;
	}
	if (what != 0)
		curses_mark(cu, what);
}

/* Writes a line of ours into the buffer being looked at. */
void
curses_say(struct curses *cu, const char *text)
{
	curses_addf(cu, CL_NOTICE, "%s", text);
}

/* SIGWINCH: chain to ncurses' handler, note it, wake the loop. */
static void
curses_winch_handler(int sig)
{
	int saved = errno;

	curses_winch = 1;
	if (curses_old_winch.sa_handler != SIG_DFL && curses_old_winch.sa_handler != SIG_IGN &&
	    curses_old_winch.sa_handler != NULL)
		curses_old_winch.sa_handler(sig);
	if (curses_self != NULL && curses_self->cx != NULL)
		lws_cancel_service(curses_self->cx);
	errno = saved;
}

/* Public hook for owners that catch SIGWINCH themselves. */
void
curses_sigwinch(void)
{
	curses_winch = 1;
}

/* The window size changed: take the new size from the terminal and lay out again. */
static void
curses_resized(struct curses *cu)
{
	struct winsize ws;

	curses_winch = 0;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0 &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(curscr, TRUE);
	curses_layout(cu);
	curses_mark(cu, CD_ALL);
}

/* Reads every key ncurses has (it may hold bytes from an earlier read). */
static void
curses_read_keys(struct curses *cu)
{
	wint_t ch;
	int rc, n = 0;

	while (cu->started && n++ < 4096 && (rc = wget_wch(cu->winput != NULL ? cu->winput :
	    stdscr, &ch)) != ERR) {
		if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
			curses_resized(cu);
			continue;
		}
		curses_input_key(cu, ch, rc == KEY_CODE_YES);
	}
	if (cu->esc && cu->started) {
		/* a lone Esc: no key followed it in this read */
		cu->esc = false;
		curses_escape(cu);
	}
}

/* The lws callback for the terminal descriptor (and the loop's cancel events). */
static int
curses_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	struct curses *cu = curses_self;

	(void)wsi;
	(void)user;
	(void)in;
	(void)len;
	if (cu == NULL || !cu->started)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		curses_read_keys(cu);
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		cu->wsi = NULL;
		if (cu->in.eof != NULL)
			cu->in.eof(cu->in.arg);
		break;
	case LWS_CALLBACK_EVENT_WAIT_CANCELLED:
		if (curses_winch)
			curses_resized(cu);
		curses_read_keys(cu);
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols curses_lws_protocol = {
	CURSES_PROTOCOL_NAME, curses_callback, 0, 0, 0, NULL, 0
};

/* The terminal protocol entry. */
const struct lws_protocols *
curses_protocol(void)
{
	return &curses_lws_protocol;
}

/* A string capability of the terminal by its terminfo name, or NULL. */
static const char *
curses_cap(const char *name)
{
	const char *s = tigetstr(name);

	return s == NULL || s == (const char *)-1 || *s == '\0' ? NULL : s;
}

/* Turns on bracketed paste when the terminfo entry describes it (the extended
 * capabilities BE, BD, PS and PE, as xterm's and tmux's entries have): the paste markers
 * become two keys of ours, so a pasted block goes into the input line in one piece and
 * its newlines never send anything. Other terminals go without. */
static void
curses_paste_start(struct curses *cu)
{
	const char *be = curses_cap("BE"), *ps = curses_cap("PS"), *pe = curses_cap("PE");

	if (be == NULL || ps == NULL || pe == NULL || curses_cap("BD") == NULL)
		return;
	if (define_key(ps, CURSES_KEY_PASTE_START) == ERR ||
	    define_key(pe, CURSES_KEY_PASTE_END) == ERR)
		return;
	putp(be);
	fflush(stdout); /* putp() writes through stdio, not through the screen's buffer */
	cu->paste_on = true;
}

/* Turns bracketed paste off again (before the screen ends). */
static void
curses_paste_stop(struct curses *cu)
{
	const char *bd = curses_cap("BD");

	if (cu->paste_on && bd != NULL) {
		putp(bd);
		fflush(stdout);
	}
	cu->paste_on = false;
}

/* Starts the screen and adopts the terminal into the loop. */
int
curses_start(struct curses *cu, struct lws_context *cx, struct lws_vhost *vh, char **cause)
{
	lws_adopt_desc_t ad;
	struct sigaction sa;
	const char *tty = ttyname(STDIN_FILENO);
	int fd;

	if (tty == NULL || (fd = open(tty, O_RDONLY | O_NOCTTY)) < 0) {
		*cause = xasprintf(_("cannot open the terminal: %s"), strerror(errno));
		return -1;
	}
	if (initscr() == NULL) {
		close(fd);
		*cause = xstrdup(_("cannot start the full-screen interface"));
		return -1;
	}
	curses_self = cu;
	cu->cx = cx;
	cu->started = true;
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	set_escdelay(25);
	curses_theme(cu);
	cu->el = editline_create(0, curses_complete, cu);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curses_paste_start(cu);
	curses_layout(cu);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = curses_winch_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, &curses_old_winch);

	memset(&ad, 0, sizeof ad);
	ad.vh = vh;
	ad.type = LWS_ADOPT_RAW_FILE_DESC;
	ad.fd.filefd = fd;
	ad.vh_prot_name = CURSES_PROTOCOL_NAME;
	ad.opaque = cu;
	cu->wsi = lws_adopt_descriptor_vhost_via_info(&ad);
	if (cu->wsi == NULL) {
		curses_stop(cu);
		*cause = xstrdup(_("cannot watch the terminal"));
		return -1;
	}
	curses_mark(cu, CD_ALL);
	return 0;
}

/* Ends the screen. */
void
curses_stop(struct curses *cu)
{
	if (cu == NULL || !cu->started)
		return;
	lws_sul_cancel(&cu->sul_draw);
	lws_sul_cancel(&cu->sul_tick);
	cu->draw_queued = false;
	sigaction(SIGWINCH, &curses_old_winch, NULL);
	curses_delwins(cu);
	curses_paste_stop(cu);
	endwin();
	cu->started = false;
	if ((cu->fatal || cu->conn == 3) && cu->conn_detail != NULL)
		fprintf(stderr, "confab: %s\n", cu->conn_detail);
}
