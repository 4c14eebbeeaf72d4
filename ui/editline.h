/* editline.h: the input line of the full-screen UI, without curses: a UTF-8 buffer with a
 * cursor, editing keys, history, Tab completion, and which part of the line to show.
 *
 * The buffer is always valid UTF-8 without control characters: editline_insert() replaces
 * ill-formed bytes by U+FFFD, turns '\t', '\r', '\n' and "\r\n" into one space each, and
 * drops other C0 controls, DEL and C1 controls. Other characters (bidi controls included)
 * are kept as typed; the front end must draw the visible range through sanitize_text(),
 * and the columns reported here already count their visible forms (width.h).
 *
 * Pasted text: a newline inside text given to editline_insert() never submits anything; it
 * becomes a space, so a pasted paragraph is one line that the user sends with Enter. The
 * front end should enable bracketed paste (ESC [ ? 2004 h) and pass everything between
 * ESC [ 200 ~ and ESC [ 201 ~ to editline_insert() in one call; without it, it may treat an
 * Enter key that arrives in the same read as further characters as pasted (insert "\n")
 * rather than as a submit. Only editline_submit() ends a line. */
#ifndef CONFAB_EDITLINE_H
#define CONFAB_EDITLINE_H

#include <stddef.h>

/* Most bytes the buffer holds; insertions beyond it are cut at a character boundary. */
#define EDITLINE_MAX_BYTES 8192
/* History length when editline_create() is given 0. */
#define EDITLINE_HISTORY_DEFAULT 200

struct editline;

/* Editing operations; the front end maps keys to them. */
enum editline_op {
	EDITLINE_LEFT,       /* Left: one character (a base and its combining marks) back */
	EDITLINE_RIGHT,      /* Right: one character forward */
	EDITLINE_WORD_LEFT,  /* Alt-b / Ctrl-Left: to the start of the previous word */
	EDITLINE_WORD_RIGHT, /* Alt-f / Ctrl-Right: to the end of the next word */
	EDITLINE_HOME,       /* Home, Ctrl-A: to the start */
	EDITLINE_END,        /* End, Ctrl-E: to the end */
	EDITLINE_BACKSPACE,  /* Backspace: delete the code point before the cursor (so a
	                      * combining accent goes alone and can be retyped) */
	EDITLINE_DELETE,     /* Delete, Ctrl-D: delete the character under the cursor (with
	                      * its combining marks) */
	EDITLINE_KILL_START, /* Ctrl-U: delete from the start to the cursor */
	EDITLINE_KILL_WORD,  /* Ctrl-W: delete the word before the cursor (and the spaces
	                      * between it and the cursor); words are separated by spaces */
	EDITLINE_KILL_END,   /* Ctrl-K: delete from the cursor to the end */
	EDITLINE_YANK,       /* Ctrl-Y: insert the text the last kill deleted */
	EDITLINE_HISTORY_UP, /* Up: the previous history entry (the line being typed is kept
	                      * and comes back with Down past the newest entry) */
	EDITLINE_HISTORY_DOWN, /* Down: the next history entry, then the line being typed */
	EDITLINE_COMPLETE,   /* Tab: complete the word before the cursor (see below) */
	EDITLINE_COMPLETE_BACK /* Shift-Tab: cycle the completion backwards */
};

/* What kind of word is being completed. */
enum editline_ctx {
	EDITLINE_CTX_COMMAND, /* a command name: the line starts with '/' and the cursor is in
	                       * its first word; prefix excludes the '/' */
	EDITLINE_CTX_WORD     /* anything else: a nickname or a room name */
};

/* What the completion callback adds. The kind decides what follows a completed word. */
enum editline_kind {
	EDITLINE_KIND_COMMAND, /* "/name " */
	EDITLINE_KIND_NICK,    /* "name: " at the start of the line, else "name " */
	EDITLINE_KIND_ROOM     /* "name " */
};

/* Collects candidates during a completion callback. */
struct editline_matches;

/* Adds a candidate (copied). The editline keeps those that start with the word being
 * completed (ASCII case-insensitively), sorts them, and drops duplicates; so the callback
 * may simply add every command, or every nickname and room it knows. */
void editline_matches_add(struct editline_matches *m, const char *word,
    enum editline_kind kind);

/* The completion callback. ctx: what is completed. command: when the line starts with '/',
 * its command name without '/' (e.g. "join" while completing the room of "/join lo"),
 * else NULL. prefix: the word before the cursor (without the '/' for commands). */
typedef void (*editline_complete_cb)(enum editline_ctx ctx, const char *command,
    const char *prefix, struct editline_matches *m, void *arg);

/* A new, empty input line keeping up to history_max submitted lines (0: the default).
 * complete may be NULL (Tab then does nothing); arg is passed to it. */
struct editline *editline_create(size_t history_max, editline_complete_cb complete,
    void *arg);
/* Frees el and its history; safe on NULL. */
void editline_free(struct editline *el);

/* Inserts s[0..len) at the cursor, cleaned as described at the top, and moves the cursor
 * after it. Returns 1 when the buffer changed, 0 when nothing could be inserted (full). */
int editline_insert(struct editline *el, const char *s, size_t len);

/* Applies op. Returns 1 when the text or the cursor changed (redraw), 0 when the key had
 * nothing to do (e.g. Left at the start, Tab without matches; the front end may beep).
 * Any op other than the two completion ops, and any insertion, ends a completion cycle.
 *
 * Tab: the word before the cursor (the characters back to the last space or the start of
 * the line) is completed from the callback's candidates. No match: returns 0. One match:
 * the word is replaced by it, followed by " " (": " for a nickname that is the first word
 * of the line; a command keeps its '/'), and the cycle ends. Several: the word is replaced by the
 * first, with the same suffix; each further Tab replaces it by the next (wrapping around),
 * Shift-Tab by the previous; a key other than Tab ends the cycle, keeping the choice. */
int editline_op(struct editline *el, enum editline_op op);

/* Ends the line: returns it as a new string (caller frees; "" when empty), adds it to the
 * history unless it is blank or equals the newest entry, and empties the buffer. The
 * history is bounded: the oldest entry goes when it is full. */
char *editline_submit(struct editline *el);

/* Replaces the whole buffer with s (cleaned like editline_insert), cursor at the end. */
void editline_set(struct editline *el, const char *s);

/* The buffer (borrowed, NUL-terminated, valid until the next change). */
const char *editline_text(const struct editline *el);
/* Its length in bytes. */
size_t editline_length(const struct editline *el);
/* The cursor as a byte offset into the buffer (always on a character boundary). */
size_t editline_cursor(const struct editline *el);
/* Number of history entries, and entry i (0: the oldest; borrowed, NULL if out of range). */
size_t editline_history_size(const struct editline *el);
const char *editline_history_get(const struct editline *el, size_t i);

/* The current completion matches while a Tab cycle is on (borrowed, valid until the next
 * change; NULL and 0 when none); *current gets the index of the one shown. */
const char *const *editline_matches(const struct editline *el, size_t *n, size_t *current);

/* What to draw in a field of a given width. */
struct editline_view {
	size_t start;      /* byte offset of the first character to show */
	size_t len;        /* bytes to show from there (they fit in the width) */
	size_t cursor_col; /* the cursor's column in the field, 0..width-1 */
	int more_left;     /* 1 when text is hidden on the left */
	int more_right;    /* 1 when text is hidden on the right */
};

/* Computes the view for a field of cols columns (the prompt excluded): the line scrolls
 * horizontally so the cursor is always visible (a few columns of context are kept on the
 * left when scrolling back), and the scroll position is remembered between calls so the
 * text does not jump. The cursor at the end of the line needs one free column. With cols 0
 * the view is empty. Changes only el's scroll position. */
void editline_view(struct editline *el, size_t cols, struct editline_view *v);

#endif
