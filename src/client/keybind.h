/* keybind.h: key bindings of the full-screen interface as the config file gives them
 * ("bind = KEY ACTION", any number of lines), parsed without curses so that the config
 * file's errors name the line and so that the parser is unit-tested.
 *
 * KEY: ctrl-X (a letter), alt-X (a letter or digit), f1..f12, or one of up, down, left,
 * right, pgup, pgdn, home, end, tab, backspace, delete. ACTION: one of the names of
 * keybind_action_name() (help, schedule, rooms, speaker, find, next-buffer, prev-buffer,
 * scroll-up, scroll-down, scroll-top, scroll-bottom, toggle-filter, redraw, chat), or
 * "none" to unbind the key. */
#ifndef CONFAB_KEYBIND_H
#define CONFAB_KEYBIND_H

#include <stdint.h>

enum keybind_kind { KB_CTRL = 1, KB_ALT, KB_FN, KB_NAMED };
enum keybind_named {
	KBN_UP = 1, KBN_DOWN, KBN_LEFT, KBN_RIGHT, KBN_PGUP, KBN_PGDN, KBN_HOME, KBN_END,
	KBN_TAB, KBN_BACKSPACE, KBN_DELETE
};
enum keybind_action {
	KA_NONE = 0, KA_HELP, KA_SCHEDULE, KA_ROOMS, KA_SPEAKER, KA_FIND, KA_NEXT_BUFFER,
	KA_PREV_BUFFER, KA_SCROLL_UP, KA_SCROLL_DOWN, KA_SCROLL_TOP, KA_SCROLL_BOTTOM,
	KA_TOGGLE_FILTER, KA_REDRAW, KA_CHAT, KA__COUNT
};

struct keybind {
	enum keybind_kind kind;
	uint32_t code;           /* KB_CTRL, KB_ALT: the lower-case letter or digit; KB_FN:
	                          * 1..12; KB_NAMED: enum keybind_named */
	enum keybind_action action;
};

/* Parses "KEY ACTION" (case-insensitive, spaces around). Returns 0 and fills *out (may be
 * NULL: only checks), or -1 with *cause set to a new, translated message. */
int keybind_parse(const char *spec, struct keybind *out, char **cause);
/* The name of an action ("find"). */
const char *keybind_action_name(enum keybind_action a);

#endif
