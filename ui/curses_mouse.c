/* curses_mouse.c: the mouse (config "mouse = yes": the wheel scrolls the chat, a click on
 * the room bar goes to that buffer) and the key bindings of the config file ("bind = KEY
 * ACTION"), which are looked at before the built-in keys. */
#include "util/i18n.h"

#include <string.h>

#include "ui/curses_int.h"

#define CURSES_WHEEL_ROWS 3   /* rows one notch of the wheel scrolls */

/* Runs a bound action. */
static void
curses_action(struct curses *cu, enum keybind_action a)
{
	switch (a) {
	case KA_HELP:
		cu->help_scroll = 0;
		curses_open_view(cu, CV_HELP);
		break;
	case KA_SCHEDULE:
		if (cu->in.line != NULL)
			cu->in.line(cu->in.arg, "/schedule");
		break;
	case KA_ROOMS:
		cu->rooms_sel = 0;
		curses_open_view(cu, CV_ROOMS);
		break;
	case KA_SPEAKER:
		curses_open_view(cu, CV_SPEAKER);
		break;
	case KA_FIND:
		curses_find_key(cu);
		break;
	case KA_NEXT_BUFFER:
	case KA_PREV_BUFFER:
		curses_go_buffer(cu, cu->nbufs == 0 ? 0 : a == KA_NEXT_BUFFER ?
		    (cu->cur + 1) % cu->nbufs : (cu->cur + cu->nbufs - 1) % cu->nbufs);
		break;
	case KA_SCROLL_UP:
	case KA_SCROLL_DOWN:
		curses_chat_scroll(cu, a == KA_SCROLL_UP ? 1 : -1, false, false);
		break;
	case KA_SCROLL_TOP:
	case KA_SCROLL_BOTTOM:
		curses_chat_scroll(cu, 0, a == KA_SCROLL_BOTTOM, a == KA_SCROLL_TOP);
		break;
	case KA_TOGGLE_FILTER:
		cu->show_filtered = !cu->show_filtered;
		curses_addf(cu, CL_NOTICE, "%s", cu->show_filtered ? _("join and part notices of "
		    "people who have not spoken lately are shown (Alt-= hides them)") :
		    _("join and part notices of people who have not spoken lately are hidden "
		    "(Alt-= shows them)"));
		curses_mark(cu, CD_VIEW);
		break;
	case KA_REDRAW:
		clearok(curscr, TRUE);
		curses_mark(cu, CD_ALL);
		break;
	case KA_CHAT:
		curses_open_view(cu, CV_CHAT);
		break;
	default:
		break;
	}
}

/* The binding of a key as keybind.h names it, or NULL. */
static const struct keybind *
curses_binding(const struct curses *cu, enum keybind_kind kind, uint32_t code)
{
	size_t i;

	for (i = cu->nbinds; i-- > 0; )
		if (cu->binds[i].kind == kind && cu->binds[i].code == code)
			return &cu->binds[i];
	return NULL;
}

/* The keybind.h name of a key from the terminal; false for keys that cannot be bound. */
static bool
curses_key_name(wint_t ch, bool is_key, bool alt, enum keybind_kind *kind, uint32_t *code)
{
	static const int named[] = {
		0, KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_PPAGE, KEY_NPAGE, KEY_HOME,
		KEY_END, '\t', KEY_BACKSPACE, KEY_DC
	};
	size_t i;

	if (is_key) {
		if (ch >= KEY_F(1) && ch <= KEY_F(12)) {
			*kind = KB_FN;
			*code = (uint32_t)(ch - KEY_F(0));
			return true;
		}
		for (i = 1; i < sizeof named / sizeof *named; i++) {
			if ((int)ch == named[i] && named[i] != '\t') {
				*kind = KB_NAMED;
				*code = (uint32_t)i;
				return true;
			}
		}
		return false;
	}
	if (alt && ch < 0x80 && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	    (ch >= 'A' && ch <= 'Z'))) {
		*kind = KB_ALT;
		*code = (uint32_t)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
		return true;
	}
	if (!alt && ch == '\t') {
		*kind = KB_NAMED;
		*code = KBN_TAB;
		return true;
	}
	if (!alt && ch >= 1 && ch <= 26 && ch != '\t' && ch != '\r' && ch != '\n') {
		*kind = KB_CTRL;
		*code = (uint32_t)('a' + ch - 1);
		return true;
	}
	if (!alt && (ch == 127 || ch == 8)) {
		*kind = KB_NAMED;
		*code = KBN_BACKSPACE;
		return true;
	}
	return false;
}

/* A key the config binds: runs its action and returns true. */
bool
curses_bound_key(struct curses *cu, wint_t ch, bool is_key, bool alt)
{
	const struct keybind *b;
	enum keybind_kind kind;
	uint32_t code;

	if (cu->nbinds == 0 || !curses_key_name(ch, is_key, alt, &kind, &code))
		return false;
	if ((b = curses_binding(cu, kind, code)) == NULL)
		return false;
	curses_action(cu, b->action);
	return true;
}

/* The default built-in bindings of this file's actions: Ctrl-R finds, Alt-= toggles the
 * smart filter's lines. True when the key was one of them. */
bool
curses_habit_key(struct curses *cu, wint_t ch, bool alt)
{
	if (!alt && ch == ('R' & 0x1f)) {
		curses_action(cu, KA_FIND);
		return true;
	}
	if (alt && ch == '=') {
		curses_action(cu, KA_TOGGLE_FILTER);
		return true;
	}
	return false;
}

/* Turns the mouse on when the config asks for it. */
void
curses_mouse_start(struct curses *cu)
{
	if (!cu->opts.mouse)
		return;
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
	    NULL);
	mouseinterval(0);
}

/* A mouse event (KEY_MOUSE): the wheel scrolls the chat or moves in a list; a click on
 * the room bar goes to the buffer under it. */
void
curses_mouse(struct curses *cu)
{
	MEVENT ev;
	int bar_y, i;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		struct cbuf *b = curses_buf_active(cu);
		bool up = (ev.bstate & BUTTON4_PRESSED) != 0;

		if (cu->view != CV_CHAT)
			return;
		if (up)
			b->scroll += CURSES_WHEEL_ROWS;
		else
			b->scroll = b->scroll > CURSES_WHEEL_ROWS ? b->scroll - CURSES_WHEEL_ROWS : 0;
		curses_mark(cu, CD_VIEW);
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)) || cu->wbar == NULL)
		return;
	bar_y = getbegy(cu->wbar);
	if (ev.y != bar_y)
		return;
	for (i = 0; i < cu->bar_n; i++) {
		if (ev.x >= cu->bar_x[i] && ev.x < cu->bar_x[i + 1]) {
			curses_go_buffer(cu, (size_t)i);
			return;
		}
	}
}
