/* curses_input.c: keys and UI commands of the curses front end: the input line (editline),
 * switching buffers and views, moving in lists, scrolling, Tab completion, and the
 * commands the UI handles itself (/speaker, /window N, /close); every other line goes to
 * the client. */
#include "util/i18n.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/curses_int.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define CTRL(c) ((c) & 0x1f)

/* Commands the UI handles (for completion and /help). */
static const char *const curses_ui_commands[] = { "speaker", "window", "close", "query" };

/* Opens view v (Esc goes back to the chat, or from details to the schedule). */
void
curses_open_view(struct curses *cu, enum cview v)
{
	if (v == CV_DETAILS && cu->view != CV_DETAILS)
		cu->prev_view = cu->view;
	cu->view = v;
	if (v == CV_CHAT) {
		struct cbuf *b = curses_buf_active(cu);
		b->unread = 0;
		b->mentions = 0;
	}
	curses_mark(cu, CD_ALL | CD_LAYOUT);
}

/* Hands a line to the owner (client_input()). */
void
curses_send_line(struct curses *cu, const char *line)
{
	if (cu->in.line != NULL)
		cu->in.line(cu->in.arg, line);
}

/* Goes to chat buffer idx; a joined room also becomes the client's current room. */
void
curses_go_buffer(struct curses *cu, size_t idx)
{
	struct cbuf *b;
	char *line;

	if (idx >= cu->nbufs) {
		beep();
		return;
	}
	curses_buf_switch(cu, idx);
	b = cu->bufs[idx];
	if (cu->view != CV_CHAT)
		curses_open_view(cu, CV_CHAT);
	if (cu->client != NULL && !b->closed && b->query[0] == '\0' &&
	    client_online(cu->client) &&
	    client_is_joined(cu->client, b->room) &&
	    strcmp(client_current_room(cu->client), b->room) != 0) {
		line = xasprintf("/join %s", b->room);
		curses_send_line(cu, line);
		free(line);
	}
}

/* Enter on a list row: a session's details, joining a room, or a session's room. */
static bool
curses_enter_list(struct curses *cu)
{
	const struct session *ss[256];
	const struct room_info *r;
	const struct program *pg;
	const struct session *s;
	size_t n;
	char *line;

	switch (cu->view) {
	case CV_SCHEDULE:
		n = curses_day_sessions(cu, ss, 256);
		if (cu->sched_sel >= n)
			return true;
		snprintf(cu->detail, sizeof cu->detail, "%s", ss[cu->sched_sel]->id);
		cu->detail_scroll = 0;
		curses_open_view(cu, CV_DETAILS);
		return true;
	case CV_ROOMS:
		r = client_rooms(cu->client, &n);
		if (cu->rooms_sel >= n)
			return true;
		line = xasprintf("/join %s", r[cu->rooms_sel].id);
		curses_send_line(cu, line);
		free(line);
		return true;
	case CV_BOARD:
		curses_part_enter(cu);
		return true;
	case CV_DETAILS:
		pg = client_program(cu->client);
		s = pg != NULL ? program_find(pg, cu->detail) : NULL;
		if (s != NULL && s->room != NULL && *s->room != '\0') {
			line = xasprintf("/join %s", s->room);
			curses_send_line(cu, line);
			free(line);
		}
		return true;
	default:
		return false;
	}
}

/* Ctrl-R: searches the chat for what is typed (a line that is not a command), else for
 * the next older match of the last search. */
void
curses_find_key(struct curses *cu)
{
	char *line;

	if (editline_length(cu->el) > 0 && editline_text(cu->el)[0] != '/') {
		line = editline_submit(cu->el);
		curses_mark(cu, CD_INPUT);
		curses_find(cu, line);
		free(line);
		return;
	}
	curses_find(cu, NULL);
}

/* Esc: back from a view; in the chat, the search's highlight goes. */
void
curses_escape(struct curses *cu)
{
	if (cu->find != NULL && cu->view == CV_CHAT) {
		free(cu->find);
		cu->find = NULL;
		cu->find_line = SIZE_MAX;
		curses_buf_active(cu)->scroll = 0;
		curses_mark(cu, CD_VIEW | CD_BAR);
		return;
	}
	if (cu->view == CV_DETAILS && cu->prev_view == CV_SCHEDULE)
		curses_open_view(cu, CV_SCHEDULE);
	else if (cu->view != CV_CHAT)
		curses_open_view(cu, CV_CHAT);
}

/* Moves the selection of a list (or scrolls a text view) by delta rows. */
static void
curses_move(struct curses *cu, long delta)
{
	const struct session *ss[256];
	size_t *sel = NULL, n = SIZE_MAX / 2;

	switch (cu->view) {
	case CV_SCHEDULE: sel = &cu->sched_sel; break;
	case CV_ROOMS: sel = &cu->rooms_sel; break;
	case CV_DETAILS: sel = &cu->detail_scroll; break;
	case CV_HELP: sel = &cu->help_scroll; break;
	case CV_BOARD:
		curses_part_move(cu, delta);
		return;
	default: return;
	}

	if (cu->view == CV_SCHEDULE)
		n = curses_day_sessions(cu, ss, 256);
	else if (cu->view == CV_ROOMS && cu->client != NULL)
		client_rooms(cu->client, &n);
	else if (cu->view == CV_DETAILS)
		n = 1000;
	if (*sel == SIZE_MAX)
		*sel = 0;
	if (delta < 0)
		*sel = *sel > (size_t)-delta ? *sel - (size_t)-delta : 0;
	else
		*sel += (size_t)delta;
	if (*sel >= n)
		*sel = n > 0 ? n - 1 : 0;
	curses_mark(cu, CD_VIEW);
}

/* Shows another day of the schedule. */
static void
curses_day(struct curses *cu, int delta)
{
	const struct program *pg = cu->client != NULL ? client_program(cu->client) : NULL;
	int nd = pg != NULL ? (int)program_days(pg, NULL, 0) : 0;

	if (cu->day + delta < 0 || cu->day + delta >= nd) {
		beep();
		return;
	}
	cu->day += delta;
	cu->sched_sel = SIZE_MAX;
	curses_mark(cu, CD_VIEW);
}

/* Applies an editline op; redraws the input line when it changed. */
static void
curses_edit(struct curses *cu, enum editline_op op)
{
	if (editline_op(cu->el, op))
		curses_mark(cu, CD_INPUT);
	else if (op == EDITLINE_COMPLETE || op == EDITLINE_COMPLETE_BACK)
		beep();
}

/* True when line is "/name" or "/name ARGS" for a UI command name; *args gets the rest. */
static bool
curses_is_cmd(const char *line, const char *name, const char **args)
{
	size_t n = strlen(name);

	if (line[0] != '/' || strncasecmp(line + 1, name, n) != 0 ||
	    (line[n + 1] != '\0' && line[n + 1] != ' '))
		return false;
	*args = line + n + 1;
	while (**args == ' ')
		(*args)++;
	return true;
}

/* Runs a command the UI handles itself; returns false for every other line. */
bool
curses_command(struct curses *cu, const char *line)
{
	const char *a;
	char *end;
	long n;
	struct cbuf *b;
	size_t idx;

	if (curses_is_cmd(line, "help", &a) && curses_help_ui(cu, a))
		return true;
	if (curses_is_cmd(line, "speaker", &a)) {
		curses_open_view(cu, CV_SPEAKER);
		return true;
	}
	if (curses_is_cmd(line, "query", &a)) {
		curses_query_cmd(cu, a);
		return true;
	}
	if (curses_is_cmd(line, "window", &a)) {
		n = strtol(a, &end, 10);
		if (*a == '\0' || *end != '\0' || n < 1 || (size_t)n > cu->nbufs)
			curses_addf(cu, CL_ERROR, _("usage: /window N (N: 1 to %zu)"), cu->nbufs);
		else
			curses_go_buffer(cu, (size_t)n - 1);
		return true;
	}
	b = curses_buf_active(cu);
	if (b->query[0] != '\0' && (curses_is_cmd(line, "close", &a) ||
	    (curses_is_cmd(line, "part", &a) && *a == '\0'))) {
		curses_buf_remove(cu, cu->cur);
		curses_buf_find(cu, client_current_room(cu->client), &idx);
		curses_buf_switch(cu, idx);
		return true;
	}
	if (curses_query_line(cu, line))
		return true;
	if (curses_is_cmd(line, "close", &a) || (b->closed && curses_is_cmd(line, "part", &a) &&
	    *a == '\0')) {
		if (!b->closed)
			curses_addf(cu, CL_ERROR, _("/close closes the buffer of a room that was "
			    "closed, or of a private conversation; #%s is open: /part leaves it"),
			    b->room);
		else {
			curses_buf_find(cu, b->room, &idx);
			curses_buf_remove(cu, idx);
			curses_buf_find(cu, client_current_room(cu->client), &idx);
			curses_buf_switch(cu, idx);
		}
		return true;
	}
	if (line[0] != '/' || line[1] == '/') {
		if (b->closed && line[0] != '\0') {
			curses_addf(cu, CL_ERROR, _("#%s is closed: its history stays readable here; "
			    "Alt-1 goes back to the lobby, /close closes it"), b->room);
			return true;
		}
		if (cu->view != CV_CHAT && line[0] != '\0')
			curses_open_view(cu, CV_CHAT);
	}
	return false;
}

/* Enter: runs the input line (or acts on the selected row when it is empty). */
static void
curses_enter(struct curses *cu)
{
	char *line;

	if (editline_length(cu->el) == 0 && curses_enter_list(cu))
		return;
	line = editline_submit(cu->el);
	curses_mark(cu, CD_INPUT);
	if (line[0] != '\0' && !curses_command(cu, line))
		curses_send_line(cu, line);
	free(line);
}

/* A function or cursor key. */
static void
curses_key(struct curses *cu, wint_t k)
{
	bool empty = editline_length(cu->el) == 0;
	bool list = cu->view != CV_CHAT && cu->view != CV_SPEAKER;

	switch (k) {
	case KEY_F(1):
		cu->help_scroll = 0;
		curses_open_view(cu, CV_HELP);
		break;
	case KEY_F(2):
		curses_send_line(cu, "/schedule");
		break;
	case KEY_F(3):
		cu->rooms_sel = 0;
		curses_open_view(cu, CV_ROOMS);
		break;
	case KEY_F(4):
		curses_open_view(cu, CV_SPEAKER);
		break;
	case KEY_F(5):
		curses_part_open(cu, PK__COUNT);
		break;
	case KEY_F(6):
	case KEY_F(7):
		if (cu->view == CV_SCHEDULE)
			curses_agenda_cycle(cu, k == KEY_F(6) ? 't' : 'r');
		break;
	case KEY_UP:
		if (list)
			curses_move(cu, -1);
		else
			curses_edit(cu, EDITLINE_HISTORY_UP);
		break;
	case KEY_DOWN:
		if (list)
			curses_move(cu, 1);
		else
			curses_edit(cu, EDITLINE_HISTORY_DOWN);
		break;
	case KEY_PPAGE:
	case KEY_NPAGE:
		if (cu->view == CV_CHAT)
			curses_chat_scroll(cu, k == KEY_PPAGE ? 1 : -1, false, false);
		else if (cu->view == CV_SCHEDULE)
			curses_day(cu, k == KEY_PPAGE ? -1 : 1);
		else if (list)
			curses_move(cu, (k == KEY_PPAGE ? -1 : 1) * (long)(cu->view_rows - 1));
		break;
	case KEY_LEFT:
	case KEY_RIGHT:
		if (cu->view == CV_SCHEDULE && empty)
			curses_day(cu, k == KEY_LEFT ? -1 : 1);
		else
			curses_edit(cu, k == KEY_LEFT ? EDITLINE_LEFT : EDITLINE_RIGHT);
		break;
	case KEY_HOME:
	case KEY_END:
		if (!empty)
			curses_edit(cu, k == KEY_HOME ? EDITLINE_HOME : EDITLINE_END);
		else if (cu->view == CV_CHAT)
			curses_chat_scroll(cu, 0, k == KEY_END, k == KEY_HOME);
		else if (list)
			curses_move(cu, k == KEY_HOME ? -100000 : 100000);
		break;
	case KEY_BACKSPACE:
		curses_edit(cu, EDITLINE_BACKSPACE);
		break;
	case KEY_DC:
		curses_edit(cu, EDITLINE_DELETE);
		break;
	case KEY_ENTER:
		curses_enter(cu);
		break;
	case KEY_BTAB:
		curses_edit(cu, EDITLINE_COMPLETE_BACK);
		break;
	default:
		break;
	}
}

/* Bracketed paste: collects what comes between the markers and inserts it into the
 * input line in one piece at the end marker (newlines become spaces there: a pasted
 * block is one line the user sends with Enter). Returns true when it took the key. */
static bool
curses_paste_key(struct curses *cu, wint_t ch, bool is_key)
{
	char buf[8];
	size_t n;

	if (is_key && ch == CURSES_KEY_PASTE_START) {
		cu->pasting = true;
		cu->esc = false;
		cu->paste_len = 0;
		if (cu->paste == NULL)
			cu->paste = xmalloc(EDITLINE_MAX_BYTES);
		return true;
	}
	if (is_key && ch == CURSES_KEY_PASTE_END) {
		if (cu->pasting && cu->paste_len > 0 &&
		    editline_insert(cu->el, cu->paste, cu->paste_len))
			curses_mark(cu, CD_INPUT);
		cu->pasting = false;
		cu->paste_len = 0;
		return true;
	}
	if (!cu->pasting)
		return false;
	if (is_key)
		return true; /* a key sequence inside pasted text: nothing to insert */
	n = utf8_encode((uint32_t)ch, buf);
	if (n > 0 && cu->paste_len + n <= EDITLINE_MAX_BYTES) {
		memcpy(cu->paste + cu->paste_len, buf, n);
		cu->paste_len += n;
	}
	return true;
}

/* A key from the terminal: is_key for function keys (KEY_*), else a character. */
void
curses_input_key(struct curses *cu, wint_t ch, bool is_key)
{
	char buf[8];
	size_t n;

	if (curses_paste_key(cu, ch, is_key))
		return;
	if (is_key && ch == KEY_MOUSE) {
		curses_mouse(cu);
		return;
	}
	if (curses_bound_key(cu, ch, is_key, cu->esc && !is_key)) {
		cu->esc = false;
		return;
	}
	if (is_key) {
		cu->esc = false;
		curses_key(cu, ch);
		return;
	}
	if (curses_habit_key(cu, ch, cu->esc)) {
		cu->esc = false;
		return;
	}
	if (cu->esc) {
		cu->esc = false;
		if (ch >= '1' && ch <= '9') {
			curses_go_buffer(cu, (size_t)(ch - '1'));
			return;
		}
		if (ch == '0') {
			curses_go_buffer(cu, 9);   /* as in irssi: Alt-0 is the tenth */
			return;
		}
		if (ch == 'b' || ch == 'f') {
			curses_edit(cu, ch == 'b' ? EDITLINE_WORD_LEFT : EDITLINE_WORD_RIGHT);
			return;
		}
		if (ch == 27) {
			curses_escape(cu);
			return;
		}
	}
	switch (ch) {
	case 27:
		cu->esc = true;
		return;
	case '\r':
	case '\n':
		curses_enter(cu);
		return;
	case '\t':
		curses_edit(cu, EDITLINE_COMPLETE);
		return;
	case 127:
	case CTRL('H'):
		curses_edit(cu, EDITLINE_BACKSPACE);
		return;
	case CTRL('A'):
		curses_edit(cu, EDITLINE_HOME);
		return;
	case CTRL('E'):
		curses_edit(cu, EDITLINE_END);
		return;
	case CTRL('D'):
		curses_edit(cu, EDITLINE_DELETE);
		return;
	case CTRL('K'):
		curses_edit(cu, EDITLINE_KILL_END);
		return;
	case CTRL('U'):
		curses_edit(cu, EDITLINE_KILL_START);
		return;
	case CTRL('W'):
		curses_edit(cu, EDITLINE_KILL_WORD);
		return;
	case CTRL('Y'):
		curses_edit(cu, EDITLINE_YANK);
		return;
	case CTRL('N'):
		curses_go_buffer(cu, cu->nbufs > 0 ? (cu->cur + 1) % cu->nbufs : 0);
		return;
	case CTRL('P'):
		curses_go_buffer(cu, cu->nbufs > 0 ? (cu->cur + cu->nbufs - 1) % cu->nbufs : 0);
		return;
	case CTRL('L'):
		clearok(curscr, TRUE);
		curses_mark(cu, CD_ALL);
		return;
	default:
		break;
	}
	if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
		return;
	if (ch == '*' && editline_length(cu->el) == 0 && curses_agenda_star_key(cu))
		return;
	n = utf8_encode((uint32_t)ch, buf);
	if (n > 0 && editline_insert(cu->el, buf, n))
		curses_mark(cu, CD_INPUT);
}

/* Tab completion candidates: commands (the client's and the UI's), names seen, rooms. */
void
curses_complete(enum editline_ctx ctx, const char *command, const char *prefix,
    struct editline_matches *m, void *arg)
{
	struct curses *cu = arg;
	const struct command_info *t;
	const struct room_info *r;
	size_t n, i;
	bool rooms_only = command != NULL && (strcmp(command, "join") == 0 ||
	    strcmp(command, "part") == 0 || strcmp(command, "who") == 0);
	char buf[ROOM_ID_MAX + 2];

	if (ctx == EDITLINE_CTX_COMMAND) {
		t = command_table(&n);
		for (i = 0; i < n; i++)
			editline_matches_add(m, t[i].name, EDITLINE_KIND_COMMAND);
		for (i = 0; i < sizeof curses_ui_commands / sizeof *curses_ui_commands; i++)
			editline_matches_add(m, curses_ui_commands[i], EDITLINE_KIND_COMMAND);
		return;
	}
	if (cu->client != NULL) {
		r = client_rooms(cu->client, &n);
		for (i = 0; i < n; i++) {
			if (prefix[0] == '#') {
				snprintf(buf, sizeof buf, "#%s", r[i].id);
				editline_matches_add(m, buf, EDITLINE_KIND_ROOM);
			} else
				editline_matches_add(m, r[i].id, EDITLINE_KIND_ROOM);
		}
	}
	if (rooms_only)
		return;
	for (i = cu->nnicks; i-- > 0; )
		editline_matches_add(m, cu->nicks[i], EDITLINE_KIND_NICK);
}
