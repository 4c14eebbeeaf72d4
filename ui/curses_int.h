/* curses_int.h: the curses front end's private state, shared by curses.c (screen and loop
 * glue), curses_buf.c (chat buffers), curses_events.c (client callbacks), curses_views.c
 * (drawing the views) and curses_input.c (keys and UI commands). Not for other modules. */
#ifndef CONFAB_CURSES_INT_H
#define CONFAB_CURSES_INT_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/keybind.h"
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
	CLF_ECHO = 1 << 4,      /* ours and shown: the hub's echo of it is folded in */
	CLF_FILTERED = 1 << 5   /* a join/part/quit the smart filter hides (Alt-= shows) */
};

/* One line of a buffer; every string is sanitised already. */
struct cline {
	int64_t ts;             /* local wall ms */
	enum cline_kind kind;
	char *prefix;           /* "<alice>", "* alice", "--", or "" */
	char *text;
	char *cid;              /* pending sends: the client id, else NULL */
	unsigned flags;
	int colour;             /* the speaker's colour (1 + palette index), or 0 */
	uint64_t seq;           /* a chat line's number in its room (/ids), else 0 */
};

/* A chat buffer: a joined (or closed) room, or the status buffer. */
struct cbuf {
	char room[ROOM_ID_MAX + 1];   /* "" for a query */
	char query[PROTO_MAX_NAME + 1]; /* a private conversation with this name, or "" */
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
#define CURSES_DAY_SESSIONS 256  /* the most sessions a day of the schedule shows */

enum cview { CV_CHAT = 0, CV_SCHEDULE, CV_DETAILS, CV_ROOMS, CV_SPEAKER, CV_HELP, CV_BOARD };

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
/* The pairs of name colours follow: TH__COUNT + i for palette entry i. */

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
	int64_t board_id;       /* board: the selected row's item (0: the queue's row) */
	int board_choice;       /* ... and a poll's choice on it, or -1 */
	int board_kind;         /* ... the section to show first when none is selected */
	size_t board_n;         /* board: rows, as last drawn */

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

	/* curses_habits.c */
	int name_colours;       /* colours in the name palette (0: names not coloured) */
	bool show_filtered;     /* the smart filter's lines are shown (Alt-=) */
	char *find;             /* /find, Ctrl-R: the text searched, or NULL */
	size_t find_line;       /* the line of the active buffer found, or SIZE_MAX */
	struct keybind *binds;  /* bindings of the config file */
	size_t nbinds;
	int bar_x[64];          /* the room bar: the column each buffer's label starts at */
	int bar_n;              /* ... for this many buffers; bar_x[bar_n]: where they end */
	bool quit_asked;        /* /quit was asked about with lines not sent */

	char **nicks;           /* names seen (completion), bounded */
	size_t nnicks;
	bool fatal;             /* the hub refused us for good */
	char *refusal;          /* why, in a few words (sanitised), for the top line */
	struct strmap *changed; /* ids of sessions the program changed (added or changed)
	                         * since we started: marked in the schedule; or NULL */
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
struct cbuf *curses_buf_new(struct curses *cu, const char *room);
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

/* curses_agenda.c: the callbacks of /search, /filter, the agenda and reminders; the '*'
 * key (true when it was taken: in the schedule or details) and F5/F6 ('t' or 'r'). */
void curses_agenda_view(struct client_view *v);
bool curses_agenda_star_key(struct curses *cu);
void curses_agenda_cycle(struct curses *cu, char which);

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
/* The first row of a list of n rows (selected sel) in a view of rows rows. */
size_t curses_list_top(size_t sel, size_t n, size_t rows);

/* curses_part.c: participation: its lines, the board view (F5, /board), the bar's marks */
void curses_part_view(struct client_view *v);
void curses_part_draw(struct curses *cu);
bool curses_part_cursor(const struct curses *cu, int *row);
void curses_part_move(struct curses *cu, long delta);
/* Enter on the board's selected row: a vote, a choice, a hand. */
void curses_part_enter(struct curses *cu);
/* Opens the board at a section (PK__COUNT: where it was). */
void curses_part_open(struct curses *cu, enum part_kind kind);
/* What the room bar says of participation: an open poll, our place in the queue (new
 * string, or NULL). */
char *curses_part_bar(struct curses *cu);

/* curses_input.c */
void curses_input_key(struct curses *cu, wint_t ch, bool is_key);
/* Hands a line to the owner (client_input()), as if typed. */
void curses_send_line(struct curses *cu, const char *line);
bool curses_command(struct curses *cu, const char *line);
void curses_open_view(struct curses *cu, enum cview v);
void curses_escape(struct curses *cu);
void curses_go_buffer(struct curses *cu, size_t idx);
void curses_find_key(struct curses *cu);
void curses_complete(enum editline_ctx ctx, const char *command, const char *prefix,
    struct editline_matches *m, void *arg);

/* curses_habits.c */
void curses_habits_view(struct curses *cu, struct client_view *v);
void curses_habits_init(struct curses *cu);
void curses_habits_free(struct curses *cu);
int curses_name_attr(const struct curses *cu, int colour);
int curses_name_colour(const struct curses *cu, const char *name);
struct cbuf *curses_buf_query(struct curses *cu, const char *name);
void curses_find(struct curses *cu, const char *text);
bool curses_bound_key(struct curses *cu, wint_t ch, bool is_key, bool alt);
void curses_mouse(struct curses *cu);
bool curses_query_line(struct curses *cu, const char *line);
void curses_query_cmd(struct curses *cu, const char *args);
void curses_hint(struct curses *cu);
/* curses_mouse.c */
bool curses_habit_key(struct curses *cu, wint_t ch, bool alt);
void curses_mouse_start(struct curses *cu);

/* /help for a command of the interface itself; false when topic is not one. */
bool curses_help_ui(struct curses *cu, const char *topic);

#endif
