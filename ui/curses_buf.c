/* curses_buf.c: chat buffers of the curses front end: one per joined room (and one for
 * rooms that closed while we were in them), with bounded lines, unread and mention
 * counters, the first-unread marker and older lines loaded at the top. */
#include "util/i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/curses_int.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define CURSES_NICKS 256

/* Frees the strings of one line. */
static void
curses_line_clear(struct cline *l)
{
	free(l->prefix);
	free(l->text);
	free(l->cid);
}

/* Frees a buffer and its lines. */
void
curses_buf_free(struct cbuf *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n; i++)
		curses_line_clear(curses_buf_line(b, i));
	free(b->lines);
	free(b);
}

/* Line i of b (0: the oldest), i < b->n. */
struct cline *
curses_buf_line(const struct cbuf *b, size_t i)
{
	return &b->lines[(b->head + i) % b->cap];
}

/* Makes room for at least want lines in b, its lines from slot 0 on. */
static void
curses_buf_grow(struct cbuf *b, size_t want)
{
	struct cline *nl;
	size_t i, cap = b->cap == 0 ? 64 : b->cap;

	while (cap < want)
		cap *= 2;
	nl = xcalloc(cap, sizeof *nl);
	for (i = 0; i < b->n; i++)
		nl[i] = *curses_buf_line(b, i);
	free(b->lines);
	b->lines = nl;
	b->cap = cap;
	b->head = 0;
}

/* The buffer of room (and its index), or NULL. */
struct cbuf *
curses_buf_find(struct curses *cu, const char *room, size_t *idx)
{
	size_t i;

	for (i = 0; i < cu->nbufs; i++) {
		if (cu->bufs[i]->query[0] == '\0' && strcmp(cu->bufs[i]->room, room) == 0) {
			if (idx != NULL)
				*idx = i;
			return cu->bufs[i];
		}
	}
	return NULL;
}

/* A new buffer of room (at the end of the list). */
struct cbuf *
curses_buf_new(struct curses *cu, const char *room)
{
	struct cbuf *b = xcalloc(1, sizeof *b);

	snprintf(b->room, sizeof b->room, "%s", room);
	b->marker = SIZE_MAX;
	cu->bufs = xreallocarray(cu->bufs, cu->nbufs + 1, sizeof *cu->bufs);
	cu->bufs[cu->nbufs++] = b;
	curses_mark(cu, CD_BAR);
	return b;
}

/* The buffer of room, created (at the end of the list) when missing. */
struct cbuf *
curses_buf_get(struct curses *cu, const char *room)
{
	struct cbuf *b = curses_buf_find(cu, room, NULL);

	return b != NULL ? b : curses_buf_new(cu, room);
}

/* Removes buffer idx (never the first, the lobby). */
void
curses_buf_remove(struct curses *cu, size_t idx)
{
	if (idx == 0 || idx >= cu->nbufs)
		return;
	curses_buf_free(cu->bufs[idx]);
	memmove(cu->bufs + idx, cu->bufs + idx + 1, (cu->nbufs - idx - 1) * sizeof *cu->bufs);
	cu->nbufs--;
	if (cu->cur > idx || cu->cur >= cu->nbufs)
		cu->cur = cu->cur > 0 ? cu->cur - 1 : 0;
	curses_mark(cu, CD_BAR | CD_VIEW | CD_TOP);
}

/* The active buffer (there is always one: the lobby). */
struct cbuf *
curses_buf_active(struct curses *cu)
{
	if (cu->nbufs == 0)
		curses_buf_get(cu, ROOM_LOBBY);
	if (cu->cur >= cu->nbufs)
		cu->cur = 0;
	return cu->bufs[cu->cur];
}

/* Where our own messages go: the client's current room (else the active buffer). */
struct cbuf *
curses_buf_here(struct curses *cu)
{
	struct cbuf *b = curses_buf_active(cu);

	if (cu->client != NULL && !b->closed)
		return curses_buf_get(cu, client_current_room(cu->client));
	return b;
}

/* Makes buffer idx the active one: its counters are read, the old one gets a fresh marker
 * next time something arrives. */
void
curses_buf_switch(struct curses *cu, size_t idx)
{
	struct cbuf *old = curses_buf_active(cu), *b;

	if (idx >= cu->nbufs)
		return;
	if (idx != cu->cur)
		old->marker = SIZE_MAX;
	cu->cur = idx;
	b = cu->bufs[idx];
	b->unread = 0;
	b->mentions = 0;
	curses_mark(cu, CD_VIEW | CD_BAR | CD_TOP | CD_TIMER | CD_LAYOUT);
}

/* True when b is on screen now. */
static bool
curses_buf_visible(struct curses *cu, const struct cbuf *b)
{
	return cu->view == CV_CHAT && curses_buf_active(cu) == b;
}

/* Appends a line to b (strings are ours or sanitised already; copied). Counts it as unread
 * (and as a mention) when b is not on screen. Returns the new line (valid until the next
 * change of b). */
struct cline *
curses_buf_add(struct curses *cu, struct cbuf *b, enum cline_kind kind, const char *prefix,
    const char *text, unsigned flags)
{
	struct cline *l;

	if (b->n == CURSES_KEEP) {
		/* the oldest line goes: its slot is the ring's head */
		curses_line_clear(curses_buf_line(b, 0));
		b->head = (b->head + 1) % b->cap;
		b->n--;
		if (b->marker != SIZE_MAX)
			b->marker = b->marker > 0 ? b->marker - 1 : 0;
		b->history_start = false;
	}
	if (b->n == b->cap)
		curses_buf_grow(b, b->n + 1);
	l = curses_buf_line(b, b->n++);
	memset(l, 0, sizeof *l);
	l->ts = curses_wall();
	l->kind = kind;
	l->prefix = xstrdup(prefix != NULL ? prefix : "");
	l->text = xstrdup(text != NULL ? text : "");
	l->flags = flags;
	if (!curses_buf_visible(cu, b) && !(flags & CLF_MINE)) {
		if (b->marker == SIZE_MAX)
			b->marker = b->n - 1;
		if (kind == CL_CHAT || kind == CL_ACTION || kind == CL_PRIVMSG)
			b->unread++;
		if (flags & CLF_MENTION)
			b->mentions++;
		curses_mark(cu, CD_BAR);
	} else if (b->scroll > 0)
		b->scroll += curses_line_rows(cu, l); /* the rows looked at stay in place */
	if (curses_buf_visible(cu, b))
		curses_mark(cu, CD_VIEW);
	return l;
}

/* Puts the n oldest chat lines the client holds for b's room (just loaded) before b's
 * first line. */
void
curses_buf_prepend_older(struct curses *cu, struct cbuf *b, size_t n)
{
	struct cline *nl;
	size_t i, k = 0, room;

	if (cu->client == NULL || n == 0)
		return;
	room = CURSES_KEEP > b->n ? CURSES_KEEP - b->n : 0;
	if (n > room)
		n = room;
	if (n == 0)
		return;
	nl = xcalloc(b->n + n, sizeof *nl);
	for (i = 0; i < n; i++) {
		const struct client_chat *ch = client_chat_line(cu->client, b->room, i);
		char *from, *text;
		if (ch == NULL)
			continue;
		from = sanitize_str(ch->from);
		text = sanitize_str(ch->text);
		nl[k].ts = ch->ts;
		nl[k].kind = ch->me ? CL_ACTION : CL_CHAT;
		nl[k].prefix = ch->me ? xasprintf("* %s", from) : xasprintf("<%s>", from);
		nl[k].text = text;
		nl[k].flags = strcmp(ch->from, client_name(cu->client)) == 0 ? CLF_MINE : 0;
		free(from);
		k++;
	}
	for (i = 0; i < b->n; i++)
		nl[k + i] = *curses_buf_line(b, i);
	free(b->lines);
	b->lines = nl;
	b->n += k;
	b->cap = b->n + n - k;
	b->head = 0;
	if (b->marker != SIZE_MAX)
		b->marker += k;
	curses_mark(cu, CD_VIEW);
}

/* Writes one line of ours (already safe text) of a kind into the buffer the user is
 * looking at. */
void
curses_addf(struct curses *cu, enum cline_kind kind, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	curses_buf_add(cu, curses_buf_active(cu), kind,
	    kind == CL_ERROR ? "!!" : kind == CL_NOTICE ? "--" : "", s, CLF_MINE);
	free(s);
}

/* Remembers a name for Tab completion (at most CURSES_NICKS, newest kept). */
void
curses_note_nick(struct curses *cu, const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0' || !utf8_valid(name, strlen(name)) ||
	    sanitize_needed(name))
		return;
	for (i = 0; i < cu->nnicks; i++) {
		if (strcmp(cu->nicks[i], name) == 0) {
			/* move it to the end: the most recent speaker completes first */
			char *s = cu->nicks[i];
			memmove(cu->nicks + i, cu->nicks + i + 1,
			    (cu->nnicks - i - 1) * sizeof *cu->nicks);
			cu->nicks[cu->nnicks - 1] = s;
			return;
		}
	}
	if (cu->nnicks == CURSES_NICKS) {
		free(cu->nicks[0]);
		memmove(cu->nicks, cu->nicks + 1, (cu->nnicks - 1) * sizeof *cu->nicks);
		cu->nnicks--;
	}
	cu->nicks = xreallocarray(cu->nicks, cu->nnicks + 1, sizeof *cu->nicks);
	cu->nicks[cu->nnicks++] = xstrdup(name);
}
