/* editline.c: the input line of the full-screen UI (no curses): a UTF-8 buffer with a
 * cursor, editing operations, a bounded history, Tab completion and horizontal scrolling.
 *
 * The cursor moves by characters (a base with its combining marks); Backspace deletes one
 * code point, so a mistyped accent can be taken back alone; Delete removes a whole
 * character. */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/editline.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

/* Candidates gathered by the completion callback. */
struct editline_matches {
	char **words;
	enum editline_kind *kinds;
	size_t n, cap;
	const char *prefix; /* only words starting with it are kept */
	size_t plen;
};

struct editline {
	char buf[EDITLINE_MAX_BYTES + 1];
	size_t len, cur;
	size_t scroll;           /* first byte shown, kept between views */

	char **hist;             /* oldest first */
	size_t nhist, hist_max;
	size_t hpos;             /* entry shown; nhist: the line being typed */
	char *draft;             /* the line being typed, while browsing the history */

	char *kill;              /* what the last kill deleted, for Ctrl-Y */

	editline_complete_cb complete;
	void *arg;
	int cycling;             /* a Tab cycle is on */
	struct editline_matches m;
	size_t mcur;             /* the match shown */
	size_t repl_start, repl_end; /* the bytes the shown match (and suffix) occupy */
	int line_start;          /* the word being completed is the line's first */
};

/* Adds a candidate when it starts with the word being completed. */
void
editline_matches_add(struct editline_matches *m, const char *word, enum editline_kind kind)
{
	if (word == NULL || *word == '\0' || strncasecmp(word, m->prefix, m->plen) != 0)
		return;
	if (strlen(word) > EDITLINE_MAX_BYTES / 2)
		return;
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 16 : m->cap * 2;
		m->words = xreallocarray(m->words, m->cap, sizeof *m->words);
		m->kinds = xreallocarray(m->kinds, m->cap, sizeof *m->kinds);
	}
	m->words[m->n] = xstrdup(word);
	m->kinds[m->n] = kind;
	m->n++;
}

/* Frees the matches and empties them. */
static void
editline_matches_clear(struct editline_matches *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->words[i]);
	free(m->words);
	free(m->kinds);
	memset(m, 0, sizeof *m);
}

/* Ends a completion cycle, keeping the text as it is. */
static void
editline_end_cycle(struct editline *el)
{
	el->cycling = 0;
	editline_matches_clear(&el->m);
}

/* A new, empty input line. */
struct editline *
editline_create(size_t history_max, editline_complete_cb complete, void *arg)
{
	struct editline *el = xcalloc(1, sizeof *el);

	el->hist_max = history_max == 0 ? EDITLINE_HISTORY_DEFAULT : history_max;
	el->hist = xcalloc(el->hist_max, sizeof *el->hist);
	el->complete = complete;
	el->arg = arg;
	return el;
}

/* Frees el and its history. */
void
editline_free(struct editline *el)
{
	size_t i;

	if (el == NULL)
		return;
	for (i = 0; i < el->nhist; i++)
		free(el->hist[i]);
	free(el->hist);
	free(el->draft);
	free(el->kill);
	editline_matches_clear(&el->m);
	free(el);
}

/* Byte offset of the code point before off. */
static size_t
editline_prev_cp(const struct editline *el, size_t off)
{
	if (off == 0)
		return 0;
	off--;
	while (off > 0 && ((unsigned char)el->buf[off] & 0xC0) == 0x80)
		off--;
	return off;
}

/* Byte offset after the code point at off; *w gets its width. */
static size_t
editline_next_cp(const struct editline *el, size_t off, int *w)
{
	const char *p = el->buf + off;
	uint32_t cp;

	utf8_decode(&p, el->buf + el->len, &cp);
	if (w != NULL)
		*w = width_cp(cp);
	return (size_t)(p - el->buf);
}

/* Start of the character (base and combining marks) before off. */
static size_t
editline_prev_char(const struct editline *el, size_t off)
{
	size_t p;
	int w;

	while (off > 0) {
		p = editline_prev_cp(el, off);
		editline_next_cp(el, p, &w);
		off = p;
		if (w > 0)
			break;
	}
	return off;
}

/* End of the character (base and combining marks) at off. */
static size_t
editline_next_char(const struct editline *el, size_t off)
{
	size_t n;
	int w;

	if (off >= el->len)
		return el->len;
	off = editline_next_cp(el, off, NULL);
	while (off < el->len) {
		n = editline_next_cp(el, off, &w);
		if (w > 0)
			break;
		off = n;
	}
	return off;
}

/* Removes buf[a..b) and puts the cursor at a. */
static void
editline_remove(struct editline *el, size_t a, size_t b)
{
	memmove(el->buf + a, el->buf + b, el->len - b + 1);
	el->len -= b - a;
	el->cur = a;
}

/* Removes buf[a..b) and keeps it for Ctrl-Y. Returns 1 when something was removed. */
static int
editline_kill(struct editline *el, size_t a, size_t b)
{
	if (a >= b)
		return 0;
	free(el->kill);
	el->kill = xstrndup(el->buf + a, b - a);
	editline_remove(el, a, b);
	return 1;
}

/* Inserts s[0..len) (already clean) at the cursor, as much as fits. Returns bytes put. */
static size_t
editline_put(struct editline *el, const char *s, size_t len)
{
	if (len > EDITLINE_MAX_BYTES - el->len)
		return 0;
	memmove(el->buf + el->cur + len, el->buf + el->cur, el->len - el->cur + 1);
	memcpy(el->buf + el->cur, s, len);
	el->len += len;
	el->cur += len;
	return len;
}

/* Inserts text at the cursor, cleaned (see editline.h). */
int
editline_insert(struct editline *el, const char *s, size_t len)
{
	const char *p = s, *end = s + len, *start;
	char enc[4];
	uint32_t cp;
	size_t n;
	int changed = 0;

	editline_end_cycle(el);
	while (p < end) {
		start = p;
		n = utf8_decode(&p, end, &cp);
		if (n == 0) {
			n = utf8_encode(0xFFFD, enc);
			start = enc;
		} else if (cp == '\r' || cp == '\n' || cp == '\t') {
			if (cp == '\r' && p < end && *p == '\n')
				p++;
			start = " ";
			n = 1;
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			continue;
		if (editline_put(el, start, n) == 0)
			break;
		changed = 1;
	}
	return changed;
}

/* Replaces the buffer by s, cursor at the end. */
static void
editline_replace(struct editline *el, const char *s)
{
	el->len = el->cur = 0;
	el->buf[0] = '\0';
	el->scroll = 0;
	if (s != NULL)
		editline_insert(el, s, strlen(s));
}

/* Replaces the whole buffer with s, cleaned, cursor at the end. */
void
editline_set(struct editline *el, const char *s)
{
	editline_end_cycle(el);
	free(el->draft);
	el->draft = NULL;
	el->hpos = el->nhist;
	editline_replace(el, s);
}

/* Up: the previous history entry, keeping the line being typed. */
static int
editline_history_up(struct editline *el)
{
	if (el->hpos == 0)
		return 0;
	if (el->hpos == el->nhist) {
		free(el->draft);
		el->draft = xstrdup(el->buf);
	}
	el->hpos--;
	editline_replace(el, el->hist[el->hpos]);
	return 1;
}

/* Down: the next history entry, then the line being typed. */
static int
editline_history_down(struct editline *el)
{
	if (el->hpos >= el->nhist)
		return 0;
	el->hpos++;
	if (el->hpos == el->nhist) {
		editline_replace(el, el->draft);
		free(el->draft);
		el->draft = NULL;
	} else
		editline_replace(el, el->hist[el->hpos]);
	return 1;
}

/* Orders candidates case-insensitively, then exactly. */
static int
editline_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	int c = strcasecmp(x, y);

	return c != 0 ? c : strcmp(x, y);
}

/* Sorts the matches and drops duplicate words (keeping the first kind given). */
static void
editline_matches_sort(struct editline_matches *m)
{
	size_t *order, i, j, k;
	char **words;
	enum editline_kind *kinds;

	/* Sort indices so the kinds follow their words. */
	order = xreallocarray(NULL, m->n, sizeof *order);
	words = xreallocarray(NULL, m->n, sizeof *words);
	kinds = xreallocarray(NULL, m->n, sizeof *kinds);
	for (i = 0; i < m->n; i++)
		order[i] = i;
	for (i = 1; i < m->n; i++) { /* insertion sort: stable, small lists */
		k = order[i];
		for (j = i; j > 0 && editline_cmp(&m->words[order[j - 1]], &m->words[k]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	for (i = j = 0; i < m->n; i++) {
		k = order[i];
		if (j > 0 && strcmp(words[j - 1], m->words[k]) == 0) {
			free(m->words[k]);
			continue;
		}
		words[j] = m->words[k];
		kinds[j] = m->kinds[k];
		j++;
	}
	free(m->words);
	free(m->kinds);
	free(order);
	m->words = words;
	m->kinds = kinds;
	m->n = j;
}

/* Puts match i in place of the word being completed (nothing changes when it does not fit). */
static void
editline_show_match(struct editline *el, size_t i)
{
	const char *suffix = " ";
	char *text;
	size_t n;

	if (el->m.kinds[i] == EDITLINE_KIND_NICK && el->line_start)
		suffix = ": ";
	/* No second space when one already follows. */
	if (el->buf[el->repl_end] == ' ')
		suffix = suffix[0] == ':' ? ":" : "";
	text = xasprintf("%s%s%s", el->m.kinds[i] == EDITLINE_KIND_COMMAND ? "/" : "",
	    el->m.words[i], suffix);
	n = strlen(text);
	if (el->len - (el->repl_end - el->repl_start) + n <= EDITLINE_MAX_BYTES) {
		editline_remove(el, el->repl_start, el->repl_end);
		editline_put(el, text, n);
		el->repl_end = el->repl_start + n;
		el->mcur = i;
	}
	free(text);
}

/* Tab (dir 1) or Shift-Tab (dir -1): completes the word before the cursor, or cycles. */
static int
editline_complete(struct editline *el, int dir)
{
	enum editline_ctx ctx = EDITLINE_CTX_WORD;
	size_t ws = el->cur, n;
	char *prefix, *command = NULL;
	const char *p;

	if (el->cycling) {
		n = el->m.n;
		editline_show_match(el, dir > 0 ? (el->mcur + 1) % n : (el->mcur + n - 1) % n);
		return 1;
	}
	if (el->complete == NULL)
		return 0;
	while (ws > 0 && el->buf[ws - 1] != ' ')
		ws--;
	if (el->buf[0] == '/' && el->buf[1] != '/') {
		n = strcspn(el->buf + 1, " ");
		if (ws == 0 && el->cur == 0)
			return 0;
		if (ws == 0)
			ctx = EDITLINE_CTX_COMMAND;
		else
			command = xstrndup(el->buf + 1, n);
	}
	p = el->buf + ws + (ctx == EDITLINE_CTX_COMMAND ? 1 : 0);
	prefix = xstrndup(p, (size_t)(el->buf + el->cur - p));
	if (ctx == EDITLINE_CTX_WORD && *prefix == '\0') {
		free(prefix);
		free(command);
		return 0;
	}
	editline_matches_clear(&el->m);
	el->m.prefix = prefix;
	el->m.plen = strlen(prefix);
	el->complete(ctx, command, prefix, &el->m, el->arg);
	el->m.prefix = NULL;
	free(prefix);
	free(command);
	if (el->m.n == 0)
		return 0;
	editline_matches_sort(&el->m);
	el->repl_start = ws;
	el->repl_end = el->cur;
	el->line_start = ws == 0;
	editline_show_match(el, dir > 0 ? 0 : el->m.n - 1);
	if (el->m.n == 1)
		editline_end_cycle(el);
	else
		el->cycling = 1;
	return 1;
}

/* True when buf[off] is a space. */
static int
editline_space_at(const struct editline *el, size_t off)
{
	return el->buf[off] == ' ';
}

/* Start of the word before off (spaces before it skipped). */
static size_t
editline_word_start(const struct editline *el, size_t off)
{
	while (off > 0 && editline_space_at(el, off - 1))
		off--;
	while (off > 0 && !editline_space_at(el, off - 1))
		off--;
	return off;
}

/* End of the word after off (spaces before it skipped). */
static size_t
editline_word_end(const struct editline *el, size_t off)
{
	while (off < el->len && editline_space_at(el, off))
		off++;
	while (off < el->len && !editline_space_at(el, off))
		off++;
	return off;
}

/* Moves the cursor to off. Returns 1 when it moved. */
static int
editline_move(struct editline *el, size_t off)
{
	if (off == el->cur)
		return 0;
	el->cur = off;
	return 1;
}

/* Applies one editing operation. */
int
editline_op(struct editline *el, enum editline_op op)
{
	char *k;
	int changed;

	if (op == EDITLINE_COMPLETE || op == EDITLINE_COMPLETE_BACK)
		return editline_complete(el, op == EDITLINE_COMPLETE ? 1 : -1);
	editline_end_cycle(el);
	switch (op) {
	case EDITLINE_LEFT:
		return editline_move(el, editline_prev_char(el, el->cur));
	case EDITLINE_RIGHT:
		return editline_move(el, editline_next_char(el, el->cur));
	case EDITLINE_WORD_LEFT:
		return editline_move(el, editline_word_start(el, el->cur));
	case EDITLINE_WORD_RIGHT:
		return editline_move(el, editline_word_end(el, el->cur));
	case EDITLINE_HOME:
		return editline_move(el, 0);
	case EDITLINE_END:
		return editline_move(el, el->len);
	case EDITLINE_BACKSPACE:
		if (el->cur == 0)
			return 0;
		editline_remove(el, editline_prev_cp(el, el->cur), el->cur);
		return 1;
	case EDITLINE_DELETE:
		if (el->cur == el->len)
			return 0;
		editline_remove(el, el->cur, editline_next_char(el, el->cur));
		return 1;
	case EDITLINE_KILL_START:
		return editline_kill(el, 0, el->cur);
	case EDITLINE_KILL_WORD:
		return editline_kill(el, editline_word_start(el, el->cur), el->cur);
	case EDITLINE_KILL_END:
		return editline_kill(el, el->cur, el->len);
	case EDITLINE_YANK:
		if (el->kill == NULL)
			return 0;
		k = xstrdup(el->kill); /* the insertion may not alias the kill buffer */
		changed = editline_insert(el, k, strlen(k));
		free(k);
		return changed;
	case EDITLINE_HISTORY_UP:
		return editline_history_up(el);
	case EDITLINE_HISTORY_DOWN:
		return editline_history_down(el);
	case EDITLINE_COMPLETE:
	case EDITLINE_COMPLETE_BACK:
		break;
	}
	return 0;
}

/* Ends the line: returns it, records it in the history, empties the buffer. */
char *
editline_submit(struct editline *el)
{
	char *line = xstrdup(el->buf);

	editline_end_cycle(el);
	if (line[strspn(line, " ")] != '\0' &&
	    (el->nhist == 0 || strcmp(el->hist[el->nhist - 1], line) != 0)) {
		if (el->nhist == el->hist_max) {
			free(el->hist[0]);
			memmove(el->hist, el->hist + 1, (el->nhist - 1) * sizeof *el->hist);
			el->nhist--;
		}
		el->hist[el->nhist++] = xstrdup(line);
	}
	free(el->draft);
	el->draft = NULL;
	el->hpos = el->nhist;
	editline_replace(el, NULL);
	return line;
}

/* The buffer. */
const char *
editline_text(const struct editline *el)
{
	return el->buf;
}

/* Its length in bytes. */
size_t
editline_length(const struct editline *el)
{
	return el->len;
}

/* The cursor as a byte offset. */
size_t
editline_cursor(const struct editline *el)
{
	return el->cur;
}

/* Number of history entries. */
size_t
editline_history_size(const struct editline *el)
{
	return el->nhist;
}

/* History entry i, oldest first. */
const char *
editline_history_get(const struct editline *el, size_t i)
{
	return i < el->nhist ? el->hist[i] : NULL;
}

/* The matches of the current Tab cycle. */
const char *const *
editline_matches(const struct editline *el, size_t *n, size_t *current)
{
	if (!el->cycling) {
		*n = 0;
		if (current != NULL)
			*current = 0;
		return NULL;
	}
	*n = el->m.n;
	if (current != NULL)
		*current = el->mcur;
	return (const char *const *)el->m.words;
}

/* Which part of the line to show in cols columns, scrolling to keep the cursor visible. */
void
editline_view(struct editline *el, size_t cols, struct editline_view *v)
{
	size_t wc, first;

	memset(v, 0, sizeof *v);
	if (cols == 0) {
		v->start = el->cur;
		return;
	}
	if (el->scroll > el->len || ((unsigned char)el->buf[el->scroll] & 0xC0) == 0x80)
		el->scroll = 0;
	if (el->scroll > el->cur) {
		/* Scrolling back: keep a third of the field of context before the cursor. */
		el->scroll = width_fit_end(el->buf, el->cur, cols / 3, NULL);
	}
	wc = width_text(el->buf + el->scroll, el->cur - el->scroll);
	if (wc > cols - 1)
		el->scroll = width_fit_end(el->buf, el->cur, cols - 1, NULL);
	else if (el->scroll > 0) {
		/* Show as much as fits once text went away on the right (keeping a column for
		 * the cursor at the end, so that moving off the end does not shift the text). */
		first = width_fit_end(el->buf, el->len, cols - 1, NULL);
		if (first < el->scroll)
			el->scroll = first;
	}
	v->start = el->scroll;
	v->cursor_col = width_text(el->buf + el->scroll, el->cur - el->scroll);
	v->len = width_fit(el->buf + el->scroll, el->len - el->scroll, cols, NULL);
	v->more_left = el->scroll > 0;
	v->more_right = el->scroll + v->len < el->len;
}
