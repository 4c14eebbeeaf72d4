/* curses_habits.c: what users of irssi and WeeChat reach for in the full-screen
 * interface: a query buffer per person for private messages (with unread counts like
 * rooms), /find and Ctrl-R in the scrollback, colours per name, join/part/quit notices
 * with quit messages that the smart filter can fold away (Alt-= shows them), /who with
 * away messages, the lines of local commands (/tz, /away, /ignore), and the question
 * asked when /quit would leave lines unsent. */
#include "util/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui/curses_int.h"
#include "ui/namecolour.h"
#include "ui/statstext.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* Sets up the name colours (after the theme) and the key bindings of the config. */
void
curses_habits_init(struct curses *cu)
{
	const short *pal;
	size_t n, i;
	char *cause;

	cu->find_line = SIZE_MAX;
	for (i = 0; i < cu->opts.nbinds; i++) {
		cu->binds = xreallocarray(cu->binds, cu->nbinds + 1, sizeof *cu->binds);
		if (keybind_parse(cu->opts.binds[i], &cu->binds[cu->nbinds], &cause) == 0)
			cu->nbinds++;
		else
			free(cause);   /* (the config file's reader said so already) */
	}
	cu->opts.binds = NULL;
	cu->opts.nbinds = 0;
	cu->name_colours = 0;
	if (!cu->colour)
		return;
	pal = namecolour_palette(COLORS, cu->opts.light, &n);
	if (COLOR_PAIRS <= TH__COUNT + (int)n)
		return;
	for (i = 0; i < n; i++)
		init_pair((short)(TH__COUNT + (int)i), pal[i], -1);
	cu->name_colours = (int)n;
}

/* Frees what curses_habits_init() and /find keep. */
void
curses_habits_free(struct curses *cu)
{
	free(cu->binds);
	free(cu->find);
	cu->binds = NULL;
	cu->find = NULL;
}

/* The colour number (1 + palette index) of name, or 0 when names are not coloured. */
int
curses_name_colour(const struct curses *cu, const char *name)
{
	if (cu->name_colours == 0 || name == NULL)
		return 0;
	return 1 + (int)namecolour_index(name, (size_t)cu->name_colours);
}

/* The attribute of name colour c (0: none). */
int
curses_name_attr(const struct curses *cu, int colour)
{
	if (colour <= 0 || colour > cu->name_colours)
		return 0;
	return (int)COLOR_PAIR(TH__COUNT + colour - 1);
}

/* The query buffer of name, made (at the end of the list) when missing. */
struct cbuf *
curses_buf_query(struct curses *cu, const char *name)
{
	struct cbuf *b;
	size_t i;

	for (i = 0; i < cu->nbufs; i++)
		if (cu->bufs[i]->query[0] != '\0' && proto_name_cmp(cu->bufs[i]->query, name) == 0)
			return cu->bufs[i];
	b = curses_buf_new(cu, "");
	snprintf(b->query, sizeof b->query, "%s", name);
	return b;
}

/* /query NAME [TEXT]: opens (or goes to) the conversation with NAME, and says TEXT there
 * when given. */
void
curses_query_cmd(struct curses *cu, const char *args)
{
	char name[PROTO_MAX_NAME * 4 + 1], *msg;
	const char *sp = strchr(args, ' ');
	size_t n = sp != NULL ? (size_t)(sp - args) : strlen(args), idx;
	struct cbuf *b;

	if (n == 0 || n > PROTO_MAX_NAME) {
		curses_addf(cu, CL_ERROR, "%s", _("usage: /query NAME [TEXT]"));
		return;
	}
	memcpy(name, args, n);
	name[n] = '\0';
	if (proto_name_check(name) != PE_NONE) {
		char *shown = sanitize_str(name);
		curses_addf(cu, CL_ERROR, _("\"%s\" is not a name anyone can have"), shown);
		free(shown);
		return;
	}
	b = curses_buf_query(cu, name);
	for (idx = 0; idx < cu->nbufs && cu->bufs[idx] != b; idx++)
		;
	curses_go_buffer(cu, idx);
	while (sp != NULL && *sp == ' ')
		sp++;
	if (sp != NULL && *sp != '\0' && cu->in.line != NULL) {
		msg = xasprintf("/msg %s %s", name, sp);
		cu->in.line(cu->in.arg, msg);
		free(msg);
	}
}

/* A line typed in a query buffer goes to its person: true when it was taken. */
bool
curses_query_line(struct curses *cu, const char *line)
{
	struct cbuf *b = curses_buf_active(cu);
	char *msg;

	if (b->query[0] == '\0' || (line[0] == '/' && line[1] != '/') || line[0] == '\0')
		return false;
	msg = xasprintf("/msg %s %s", b->query, line[0] == '/' ? line + 1 : line);
	if (cu->in.line != NULL)
		cu->in.line(cu->in.arg, msg);
	free(msg);
	return true;
}

/* Someone joined, left or quit a room we are in; a line the smart filter hides is kept
 * but folded (Alt-= shows it). */
static void
curses_hb_presence(void *arg, const char *room, const char *name,
    enum proto_presence action, const char *message, bool hidden)
{
	struct curses *cu = arg;
	struct cbuf *b = curses_buf_find(cu, room, NULL);
	char *n = sanitize_str(name), *m, *t;

	if (b != NULL) {
		if (action == PRES_QUIT && message != NULL && *message != '\0') {
			m = sanitize_str(message);
			t = xasprintf(_("%s quit: %s"), n, m);
			free(m);
		} else
			t = xasprintf(action == PRES_JOIN ? _("%s joined") : action == PRES_PART ?
			    C_("presence", "%s left") : _("%s quit"), n);
		curses_buf_add(cu, b, CL_NOTICE, "--", t, hidden ? CLF_FILTERED | CLF_MINE : 0);
		free(t);
	}
	curses_note_nick(cu, name);
	free(n);
	if (cu->view == CV_ROOMS)
		curses_mark(cu, CD_VIEW);
}

/* /who, /names: the members on one line, then those away with their messages. */
static void
curses_hb_who(void *arg, const char *room, const char *const *names,
    const char *const *away, size_t n)
{
	struct curses *cu = arg;
	size_t i;
	char *list = statstext_names(names, n), *s, *r = sanitize_str(room), *t, *a, *who;

	/* (the first ones only: the completion list keeps 256 names anyway) */
	for (i = 0; i < n && i < 256; i++)
		curses_note_nick(cu, names[i]);
	t = xasprintf(P_("%zu person: %s", "%zu people: %s", n), n, list);
	s = xasprintf("#%s", r);
	curses_buf_add(cu, curses_buf_active(cu), CL_INFO, s, t, CLF_MINE);
	free(t);
	for (i = 0; away != NULL && i < n; i++) {
		if (away[i] == NULL)
			continue;
		who = sanitize_str(names[i]);
		a = sanitize_str(away[i]);
		t = xasprintf(_("%s is away: %s"), who, a);
		curses_buf_add(cu, curses_buf_active(cu), CL_INFO, s, t, CLF_MINE);
		free(t);
		free(a);
		free(who);
	}
	free(s);
	free(list);
	free(r);
}

/* A line of ours for a local command. */
static void
curses_hb_info(void *arg, const char *tag, const char *text)
{
	(void)tag;
	curses_addf(arg, CL_NOTICE, "%s", text);
}

/* Our private message reached someone away: said in their query buffer. */
static void
curses_hb_away_reply(void *arg, const char *name, const char *message)
{
	struct curses *cu = arg;
	char *n = sanitize_str(name), *m = sanitize_str(message), *t;

	t = xasprintf(_("%s is away: %s"), n, m);
	curses_buf_add(cu, curses_buf_query(cu, name), CL_NOTICE, "--", t, CLF_MINE);
	free(t);
	free(n);
	free(m);
}

/* True when line l of the active buffer contains the text searched. */
static bool
curses_find_match(const struct curses *cu, const struct cline *l)
{
	size_t n = strlen(cu->find), k;

	if ((l->flags & CLF_FILTERED) && !cu->show_filtered)
		return false;
	for (k = 0; l->text[k] != '\0'; k++)
		if (strncasecmp(l->text + k, cu->find, n) == 0)
			return true;
	for (k = 0; l->prefix[k] != '\0'; k++)
		if (strncasecmp(l->prefix + k, cu->find, n) == 0)
			return true;
	return false;
}

/* Scrolls the active buffer so that line i shows in the middle of the view. */
static void
curses_find_show(struct curses *cu, size_t i)
{
	struct cbuf *b = curses_buf_active(cu);
	size_t rows = 0, k, half = cu->view_rows > 2 ? (size_t)cu->view_rows / 2 : 0;

	for (k = i + 1; k < b->n; k++) {
		const struct cline *l = curses_buf_line(b, k);
		if (!(l->flags & CLF_FILTERED) || cu->show_filtered)
			rows += curses_line_rows(cu, l);
	}
	if (b->marker != SIZE_MAX && b->marker > i && b->marker > 0)
		rows++;
	b->scroll = rows > half ? rows - half : 0;
	curses_mark(cu, CD_VIEW | CD_BAR);
}

/* /find TEXT: the newest line of the active buffer that contains TEXT; /find alone (or
 * Ctrl-R again): the next older one, from the newest again after the oldest. */
void
curses_find(struct curses *cu, const char *text)
{
	struct cbuf *b = curses_buf_active(cu);
	size_t i, from;

	if (cu->view != CV_CHAT)
		curses_open_view(cu, CV_CHAT);
	if (text != NULL) {
		free(cu->find);
		cu->find = sanitize_str(text);
		cu->find_line = SIZE_MAX;
	}
	if (cu->find == NULL || *cu->find == '\0') {
		curses_addf(cu, CL_ERROR, "%s", _("usage: /find TEXT (then Ctrl-R or /find for "
		    "the next older match)"));
		return;
	}
	from = cu->find_line != SIZE_MAX && cu->find_line < b->n ? cu->find_line : b->n;
	for (i = from; i-- > 0; ) {
		if (curses_find_match(cu, curses_buf_line(b, i))) {
			cu->find_line = i;
			curses_find_show(cu, i);
			return;
		}
	}
	for (i = b->n; i-- > from; ) {
		if (curses_find_match(cu, curses_buf_line(b, i))) {
			cu->find_line = i;
			curses_find_show(cu, i);
			return;
		}
	}
	cu->find_line = SIZE_MAX;
	curses_addf(cu, CL_ERROR, _("\"%s\" is not in this buffer"), cu->find);
	free(cu->find);
	cu->find = NULL;
	curses_mark(cu, CD_BAR);
}

/* /find from the client. */
static void
curses_hb_find(void *arg, const char *text)
{
	curses_find(arg, text);
}

/* /tz or /clock changed how times are shown: everything is drawn again. */
static void
curses_hb_time_changed(void *arg)
{
	curses_mark(arg, CD_ALL);
}

/* Fills the callbacks of this file into v. */
void
curses_habits_view(struct curses *cu, struct client_view *v)
{
	(void)cu;
	v->presence = curses_hb_presence;
	v->who = curses_hb_who;
	v->info = curses_hb_info;
	v->away_reply = curses_hb_away_reply;
	v->find = curses_hb_find;
	v->time_changed = curses_hb_time_changed;
}

/* The one-line hint of the first screen. */
void
curses_hint(struct curses *cu)
{
	curses_buf_add(cu, curses_buf_get(cu, ROOM_LOBBY), CL_INFO, "",
	    _("F1 help, F2 schedule, F3 rooms, /help"), CLF_MINE);
}

/* /quit with lines not sent: lists them and asks. */
void
curses_ask_quit(struct curses *cu, const struct client_unsent *u, size_t n)
{
	size_t i;
	char *t;

	curses_addf(cu, CL_ERROR, P_("%zu line you typed is not sent yet (the hub is out of "
	    "reach):", "%zu lines you typed are not sent yet (the hub is out of reach):", n), n);
	for (i = 0; i < n; i++) {
		t = statstext_unsent(&u[i]);
		curses_addf(cu, CL_ERROR, "  %s", t);
		free(t);
	}
	curses_addf(cu, CL_ERROR, "%s", _("/quit again leaves without them (they are printed "
	    "when the screen closes, to copy); or wait: they are sent when the hub is back"));
	cu->quit_asked = true;
}
