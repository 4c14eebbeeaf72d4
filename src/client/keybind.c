/* keybind.c: "KEY ACTION" lines of the config file into key bindings (see keybind.h). */
#include "util/i18n.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/keybind.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

static const char *const keybind_actions[KA__COUNT] = {
	[KA_NONE] = "none", [KA_HELP] = "help", [KA_SCHEDULE] = "schedule",
	[KA_ROOMS] = "rooms", [KA_SPEAKER] = "speaker", [KA_FIND] = "find",
	[KA_NEXT_BUFFER] = "next-buffer", [KA_PREV_BUFFER] = "prev-buffer",
	[KA_SCROLL_UP] = "scroll-up", [KA_SCROLL_DOWN] = "scroll-down",
	[KA_SCROLL_TOP] = "scroll-top", [KA_SCROLL_BOTTOM] = "scroll-bottom",
	[KA_TOGGLE_FILTER] = "toggle-filter", [KA_REDRAW] = "redraw", [KA_CHAT] = "chat",
};

static const char *const keybind_names[] = {
	NULL, "up", "down", "left", "right", "pgup", "pgdn", "home", "end", "tab",
	"backspace", "delete"
};

/* The name of an action. */
const char *
keybind_action_name(enum keybind_action a)
{
	return (unsigned)a < KA__COUNT ? keybind_actions[a] : "?";
}

/* Parses the KEY word. */
static int
keybind_key(const char *k, struct keybind *b)
{
	size_t i;
	char *end;
	long n;

	if (strncasecmp(k, "ctrl-", 5) == 0 || strncasecmp(k, "alt-", 4) == 0) {
		const char *c = k + (tolower((unsigned char)k[0]) == 'c' ? 5 : 4);
		b->kind = tolower((unsigned char)k[0]) == 'c' ? KB_CTRL : KB_ALT;
		if (c[0] == '\0' || c[1] != '\0' || !isalnum((unsigned char)c[0]) ||
		    (b->kind == KB_CTRL && !isalpha((unsigned char)c[0])))
			return -1;
		b->code = (uint32_t)tolower((unsigned char)c[0]);
		return 0;
	}
	if (tolower((unsigned char)k[0]) == 'f' && isdigit((unsigned char)k[1])) {
		n = strtol(k + 1, &end, 10);
		if (*end != '\0' || n < 1 || n > 12)
			return -1;
		b->kind = KB_FN;
		b->code = (uint32_t)n;
		return 0;
	}
	for (i = 1; i < sizeof keybind_names / sizeof *keybind_names; i++) {
		if (strcasecmp(k, keybind_names[i]) == 0) {
			b->kind = KB_NAMED;
			b->code = (uint32_t)i;
			return 0;
		}
	}
	return -1;
}

/* Parses "KEY ACTION". */
int
keybind_parse(const char *spec, struct keybind *out, char **cause)
{
	char *copy = xstrdup(spec), *key, *act, *extra, *save = NULL;
	struct keybind b;
	size_t i;
	int rc = -1;

	memset(&b, 0, sizeof b);
	*cause = NULL;
	key = strtok_r(copy, " \t", &save);
	act = key != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	extra = act != NULL ? strtok_r(NULL, " \t", &save) : NULL;
	if (key == NULL || act == NULL || extra != NULL) {
		*cause = xstrdup(_("write a key and an action, like \"ctrl-f find\""));
		goto out;
	}
	if (keybind_key(key, &b) != 0) {
		char *shown = sanitize_str(key);   /* found by fuzz_config: a CR in the key */

		*cause = xasprintf(_("unknown key \"%s\": use ctrl-X, alt-X, f1 to f12, up, down, "
		    "left, right, pgup, pgdn, home, end, tab, backspace or delete"), shown);
		free(shown);
		goto out;
	}
	for (i = 0; i < KA__COUNT; i++)
		if (strcasecmp(act, keybind_actions[i]) == 0)
			break;
	if (i == KA__COUNT) {
		char *shown = sanitize_str(act);

		*cause = xasprintf(_("unknown action \"%s\": use help, schedule, rooms, speaker, "
		    "find, next-buffer, prev-buffer, scroll-up, scroll-down, scroll-top, "
		    "scroll-bottom, toggle-filter, redraw, chat or none"), shown);
		free(shown);
		goto out;
	}
	b.action = (enum keybind_action)i;
	if (out != NULL)
		*out = b;
	rc = 0;
out:
	free(copy);
	return rc;
}
