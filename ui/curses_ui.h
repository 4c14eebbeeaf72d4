/* curses_ui.h: the full-screen front end (ncursesw): a top line, the active view (a chat
 * buffer per joined room, the schedule, the rooms, the speaker's big timer, help), a timer
 * line, a room bar and the input line, stacked top to bottom. It renders the same client
 * model as plain mode, reads keys inside the lws loop and redraws once per loop pass. */
#ifndef CONFAB_CURSES_UI_H
#define CONFAB_CURSES_UI_H

#include <libwebsockets.h>
#include <stdbool.h>

#include "client/client.h"

#define CURSES_PROTOCOL_NAME "confab-tty"

/* Settings from the config file and the command line. */
struct curses_opts {
	bool bell;          /* ring the terminal bell when a timer reaches zero */
	bool mention_bell;  /* ring it when someone mentions our name */
	int colours;        /* 1: colours, 0: attributes only, -1: auto (NO_COLOR, terminal) */
	bool light;         /* colours for a light background (config "theme = light") */
	bool mouse;         /* the wheel scrolls, a click on the room bar switches buffers */
	const char *const *binds; /* "KEY ACTION" lines of the config (checked; borrowed for
	                           * curses_create()); see src/client/keybind.h */
	size_t nbinds;
};

/* What the front end tells its owner. */
struct curses_input {
	void *arg;
	void (*line)(void *arg, const char *line); /* a line for client_input() */
	void (*eof)(void *arg);                    /* the terminal is gone: quit */
	void (*fatal)(void *arg);                  /* the hub refused us for good */
};

struct curses;

/* A curses front end (not started yet; opts and in are copied). */
struct curses *curses_create(const struct curses_opts *opts, const struct curses_input *in);
/* Ends the screen (if started) and frees cu. Safe on NULL. */
void curses_free(struct curses *cu);
/* Lets cu read and drive the client (borrowed; cu never frees it). */
void curses_attach(struct curses *cu, struct client *c);
/* Fills v with the curses callbacks. */
void curses_view(struct curses *cu, struct client_view *v);
/* The protocol for the terminal descriptor (put it in the vhost's list; static). */
const struct lws_protocols *curses_protocol(void);
/* Starts the screen and reads the terminal inside the lws loop of vh (adopts a new
 * descriptor opened on ttyname(0), never fd 0). Returns 0, or -1 with *cause set (the
 * screen is then not started). */
int curses_start(struct curses *cu, struct lws_context *cx, struct lws_vhost *vh,
    char **cause);
/* Ends the screen (the terminal is usable again); idempotent. */
void curses_stop(struct curses *cu);
/* SIGWINCH: call from the signal handler (only sets a flag; the owner then calls
 * lws_cancel_service()). */
void curses_sigwinch(void);
/* A frame from the hub was handled: state without its own callback (occupancy, rtt) may
 * have changed; marks what shows it. */
void curses_after_frame(struct curses *cu);
/* /quit while lines typed are not sent (u, n: client_unsent()): lists them and asks;
 * the caller quits on the next /quit. */
void curses_ask_quit(struct curses *cu, const struct client_unsent *u, size_t n);
/* Writes one line of ours (not from the network) into the current buffer. */
void curses_say(struct curses *cu, const char *text);

#endif
