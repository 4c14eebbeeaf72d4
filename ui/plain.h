/* plain.h: plain line mode: one self-contained line per event on stdout, commands from
 * stdin, no escape sequences and no redraws (for screen readers, pipes, TERM=dumb). */
#ifndef CONFAB_PLAIN_H
#define CONFAB_PLAIN_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdio.h>

#include "client/client.h"

#define PLAIN_MAX_LINE 8192
#define PLAIN_PROTOCOL_NAME "confab-stdin"

/* What the plain front end tells its owner about input. */
struct plain_input {
	void *arg;
	void (*line)(void *arg, const char *line);  /* one line typed (no newline) */
	void (*eof)(void *arg);                     /* no more input */
	void (*fatal)(void *arg);                   /* the hub refused us for good */
};

struct plain;

/* A plain front end writing to out (borrowed). */
struct plain *plain_create(FILE *out, const struct plain_input *in);
void plain_free(struct plain *p);
/* Lets p read the client's state (borrowed). */
void plain_attach(struct plain *p, const struct client *c);
/* Fills v with the plain front end's callbacks. */
void plain_view(struct plain *p, struct client_view *v);
/* The protocol for reading stdin (put it in the vhost's protocol list; borrowed, static). */
const struct lws_protocols *plain_stdin_protocol(void);
/* Starts reading stdin inside the lws loop (adopts a new descriptor for it, never fd 0).
 * Returns 0, or -1 with *cause set. */
int plain_adopt_stdin(struct plain *p, struct lws_vhost *vh, char **cause);
/* Options from the config file: ring the bell on a mention (on a terminal); keep what is
 * typed on its own line when stdin and stdout are a terminal (plain_tty.c). */
void plain_set_options(struct plain *p, bool mention_bell, bool redraw);
/* Prints the lines typed that the hub did not take (client_unsent()), to be copied. */
void plain_unsent(struct plain *p, const struct client_unsent *u, size_t n);
/* Writes a line "[confab] text" (text is ours, not from the network). */
void plain_say(struct plain *p, const char *text);

#endif
