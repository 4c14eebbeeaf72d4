/* hub_demo_bots.h: the demo's life: a handful of simulated attendees who chat a little in
 * the lobby and the open discussion, join and leave breakouts, and a facilitator bot that
 * runs the sample lineup (a pitch timer running when the demo opens, the next talk
 * queued, each next item started when the one before ends). They are in-process sessions
 * of the embedded hub, driven by lws_sul timers and a seeded PRNG of their own: the same
 * seed gives the same people saying the same things in the same order. */
#ifndef CONFAB_HUB_DEMO_BOTS_H
#define CONFAB_HUB_DEMO_BOTS_H

#include <stdint.h>

#include <libwebsockets.h>

#include "hub/hub_lws.h"

#define HUB_DEMO_BOTS_FIRST_MS 400     /* the bots arrive this soon */
#define HUB_DEMO_BOTS_MIN_MS 1200      /* then act every 1.2 .. 3.7 s */
#define HUB_DEMO_BOTS_SPAN_MS 2500

struct hub_demo_bots;

/* Starts the bots on the hub of srv in cx; token: a facilitator token the hub knows (for
 * the facilitator bot). Returns them (hub_demo_bots_free() before the context goes). */
struct hub_demo_bots *hub_demo_bots_start(struct lws_context *cx, struct hub_server *srv,
    const char *token, uint64_t seed);
/* Stops them: their sessions close, their timers are cancelled. Safe on NULL. */
void hub_demo_bots_free(struct hub_demo_bots *b);
/* The next number of the PRNG state *s (xorshift64*; a state of 0 is made 1). */
uint64_t hub_demo_bots_rand(uint64_t *s);

#endif
