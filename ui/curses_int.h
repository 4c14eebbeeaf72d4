/* curses_int.h: the curses front end's private state, shared by curses.c (screen and loop
 * glue), curses_buf.c (chat buffers), curses_events.c (client callbacks), curses_views.c
 * (drawing the views) and curses_input.c (keys and UI commands). Not for other modules. */
#ifndef CONFAB_CURSES_INT_H
#define CONFAB_CURSES_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ui/curses_ui.h"
#include "ui/editline.h"

#define CURSES_KEEP 2000        /* lines kept per buffer */
#define CURSES_MIN_COLS 40      /* below this size a short message says so */
#define CURSES_MIN_ROWS 10
#define CURSES_HISTORY_STEP 50  /* older lines asked for when PgUp reaches the top */
#define CURSES_STATUS "*"       /* the buffer of messages that belong to no room */
/* Key codes of ours for the bracketed-paste markers (define_key()). */
#define CURSES_KEY_PASTE_START (KEY_MAX + 1)
#define CURSES_KEY_PASTE_END (KEY_MAX + 2)

/* What a buffer line is. */
enum cline_kind {
	CL_CHAT,     /* <from> text */
	CL_ACTION,   /* * from text */
	CL_PRIVMSG,  /* [msg from x] text / [msg to x] text */
	CL_NOTICE,   /* -- text (ours: joins, timers, connection) */
	CL_ERROR,    /* !! text */
	CL_INFO,     /* plain text (help, /now, /info, /lineup) */
	CL_LOST      /* "lines in between are not recoverable" */
};

/* Line flags. */
enum {
	CLF_MENTION = 1 << 0,   /* mentions our name */
	CLF_MINE = 1 << 1,      /* we said it */
	CLF_PENDING = 1 << 2,   /* sent or queued, not acknowledged yet (dimmed) */
	CLF_FAILED = 1 << 3,    /* refused by the hub */
	CLF_ECHO = 1 << 4       /* ours and shown: the hub's echo of it is folded in */
};

/* One line of a buffer; every string is sanitised already. */
struct cline {
	int64_t ts;             /* local wall ms */
	enum cline_kind kind;
	char *prefix;           /* "<alice>", "* alice", "--", or "" */
	char *text;
	char *cid;              /* pending sends: the client id, else NULL */
	unsigned flags;
	uint64_t seq;           /* a chat line's number in its room (/ids), else 0 */
};

/* A chat buffer: a joined (or closed) room, or the status buffer. */
struct cbuf {
	char room[ROOM_ID_MAX + 1];
	struct cline *lines;    /* a ring: line i is curses_buf_line(b, i) */
	size_t n, cap, head;    /* head: the slot of line 0 */
	size_t unread, mentions;
	size_t marker;          /* index of the first unread line, or SIZE_MAX */
	size_t scroll;          /* rows scrolled up from the bottom */
	bool closed;            /* the room closed: read only */
	bool history_start;     /* nothing older exists */
	bool history_asked;     /* a request for older lines is out */
};

/* The views. */
enum cview { CV_CHAT = 0, CV_SCHEDULE, CV_DETAILS, CV_ROOMS, CV_SPEAKER, CV_HELP };

/* What needs drawing. */
enum {
	CD_TOP = 1 << 0, CD_VIEW = 1 << 1, CD_TIMER = 1 << 2, CD_BAR = 1 << 3,
	CD_INPUT = 1 << 4, CD_LAYOUT = 1 << 5, CD_ALL = 0x3f
};

/* Colour pairs of the theme (attributes alone when colours are off). */
enum cpair {
	TH_TOP = 1, TH_BAR, TH_NOTICE, TH_ERROR, TH_MENTION, TH_NICK, TH_MINE, TH_NOW,
	TH_TIMER_NORMAL, TH_TIMER_WARN, TH_TIMER_DANGER, TH_TIMER_OVER, TH_MARKER, TH__COUNT
};

struct curses {
	struct curses_opts opts;
	struct curses_input in;
	struct client *client;
	struct lws_context *cx;
	struct lws *wsi;
	bool started, colour;
	int rows, cols;

	WINDOW *wtop, *wview, *wtimer, *wbar, *winput;
	int view_rows;          /* rows of the view window */
	bool timer_shown;       /* the timer line is on screen */
	unsigned dirty;
	lws_sorted_usec_list_t sul_draw, sul_tick;
	bool draw_queued;

	struct cbuf **bufs;     /* bufs[0]: the lobby; then joined rooms in join order */
	size_t nbufs;
	size_t cur;             /* the active buffer */

	enum cview view, prev_view;
	int day;                /* schedule: the day shown (index into program_days) */
	size_t sched_sel;       /* schedule: selected row of the day */
	size_t sched_n;         /* schedule: sessions of the day, as last drawn */
	const char *detail_id;  /* details: session id (borrowed from the program) */
	char detail[64];        /* details: the session id, copied */
	size_t detail_scroll, help_scroll;
	size_t rooms_sel;

	struct editline *el;
	bool esc;               /* an ESC came: the next key is Alt-key */
	bool paste_on;          /* the terminal brackets pastes (we turned it on) */
	bool pasting;           /* between the paste markers: text is collected, not run */
	char *paste;            /* the pasted text so far (EDITLINE_MAX_BYTES at most) */
	size_t paste_len;

	/* connection state for the top line */
	int conn;               /* 0: connecting, 1: connected, 2: waiting to reconnect,
	                         * 3: the hub's certificate was refused (no attempt follows) */
	int64_t retry_at;       /* monotonic ms of the next attempt (conn 2) */
	char *conn_detail;
	int64_t top_rtt;        /* the round trip on the top line (-1: none) */
	int64_t top_at;         /* monotonic ms the top line was last drawn */

	char **nicks;           /* names seen (completion), bounded */
	size_t nnicks;
	bool fatal;             /* the hub refused us for good */
	char *refusal;          /* why, in a few words (sanitised), for the top line */
};

/* curses.c */
void curses_mark(struct curses *cu, unsigned what);
int64_t curses_mono(void);
int64_t curses_wall(void);
int curses_attr(const struct curses *cu, enum cpair p);
void curses_put(WINDOW *w, int y, int x, const char *s, int maxcols);
void curses_fill(WINDOW *w, int y, int x, int cols);
void curses_layout(struct curses *cu);

/* curses_buf.c */
struct cbuf *curses_buf_find(struct curses *cu, const char *room, size_t *idx);
struct cbuf *curses_buf_get(struct curses *cu, const char *room);
void curses_buf_remove(struct curses *cu, size_t idx);
void curses_buf_free(struct cbuf *b);
struct cline *curses_buf_line(const struct cbuf *b, size_t i);
struct cbuf *curses_buf_active(struct curses *cu);
void curses_buf_switch(struct curses *cu, size_t idx);
struct cline *curses_buf_add(struct curses *cu, struct cbuf *b, enum cline_kind kind,
    const char *prefix, const char *text, unsigned flags);
void curses_buf_prepend_older(struct curses *cu, struct cbuf *b, size_t n);
struct cbuf *curses_buf_here(struct curses *cu);
/* Rings the terminal bell. */
void curses_bell(struct curses *cu);
/* A sanitised copy of network text (new string). */
char *curses_s(const char *s);
/* curses_mod.c: fills the moderation callbacks of v (arg: the struct curses). */
void curses_mod_view(struct client_view *v);
void curses_addf(struct curses *cu, enum cline_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void curses_note_nick(struct curses *cu, const char *name);

/* curses_events.c */
void curses_events_view(struct curses *cu, struct client_view *v);

/* curses_views.c */
void curses_draw_view(struct curses *cu);
void curses_draw_timer(struct curses *cu);
const struct timer *curses_shown_timer(struct curses *cu);
bool curses_cursor_on_list(const struct curses *cu, int *row);
size_t curses_day_sessions(const struct curses *cu, const struct session **out, size_t max);
char *curses_time(const struct curses *cu, int64_t ms, bool zone, char *buf, size_t len);
void curses_chat_scroll(struct curses *cu, int pages, bool to_end, bool to_top);
size_t curses_line_rows(struct curses *cu, const struct cline *l);

/* curses_input.c */
void curses_input_key(struct curses *cu, wint_t ch, bool is_key);
bool curses_command(struct curses *cu, const char *line);
void curses_open_view(struct curses *cu, enum cview v);
void curses_escape(struct curses *cu);
void curses_complete(enum editline_ctx ctx, const char *command, const char *prefix,
    struct editline_matches *m, void *arg);

/* /help for a command of the interface itself; false when topic is not one. */
bool curses_help_ui(struct curses *cu, const char *topic);

#endif
