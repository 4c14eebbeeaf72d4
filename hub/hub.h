/* hub.h: the hub's core: rooms, sessions, timers and fan-out, with no libwebsockets.
 *
 * The glue (hub_lws.c, or a unit test) owns the connections. It opens a hub session per
 * connection, feeds it complete frames, asks it for the next frame to write when the
 * connection is writeable, and tells it when the connection has gone. The hub calls back
 * want_write(conn) when a session has something new to send and close_conn(conn) when a
 * session must be dropped (lagging, replaced); the glue then closes the connection
 * asynchronously and calls hub_session_closed() as usual.
 *
 * Fan-out: every event is encoded once into a struct msg. Chat events go into the room's
 * shared ring; each session keeps a tail per joined room. Everything else goes into the
 * session's direct FIFO (replies, private messages, presence, broadcasts). A session that
 * falls out of a ring or overflows its FIFO is lagging and is dropped.
 *
 * "rooms" events are coalesced: changes only mark the list dirty and hub_tick() sends one
 * event at most every HUB_ROOMS_INTERVAL_MS (the first change after a quiet period goes
 * out on the next tick at once). The glue asks hub_tick_due() after each call into the
 * hub and schedules a tick for then. */
#ifndef CONFAB_HUB_H
#define CONFAB_HUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/msgring.h"
#include "model/program.h"
#include "proto/proto.h"
#include "util/clock.h"

#define HUB_MAX_ROOMS 500          /* room.create beyond this: rate-limited */
#define HUB_FIFO_MAX 1024          /* frames queued per session before it counts as lagging */
#define HUB_ROOMS_INTERVAL_MS 100  /* at most one "rooms" event per interval */
#define HUB_MAX_BAD_FRAMES 100     /* bad frames in a row before a session is dropped */

struct hub_config {
	const struct program *program;    /* borrowed; the hub keeps a copy */
	const char *const *tokens;        /* facilitator tokens, borrowed; may be NULL */
	size_t ntokens;
	const struct cf_clock *clock;     /* borrowed; NULL: cf_clock_system */
	const char *name;                 /* hub name in "welcome"; NULL: "confabd" */
	size_t pre;                       /* headroom in every frame (LWS_PRE for lws) */
	void (*want_write)(void *conn);   /* the session of conn has frames to send */
	void (*close_conn)(void *conn);   /* drop conn (asynchronously) */
	const struct lineup_item *lineup; /* initial main-stage lineup, copied; may be NULL */
	size_t nlineup;
};

struct hub;
struct hub_session;

/* A new hub, or NULL with *cause set to a new string. */
struct hub *hub_create(const struct hub_config *cfg, char **cause);
/* Frees the hub and every session still open (without callbacks). Safe on NULL. */
void hub_free(struct hub *hub);
/* The epoch: a random hex string made when the hub was created (borrowed). */
const char *hub_epoch(const struct hub *hub);
/* Number of open sessions (including those that have not said hello). */
size_t hub_session_count(const struct hub *hub);

/* Opens a session for connection conn (opaque, passed back in the callbacks); peer is
 * for the log and may be NULL. Returns the session, owned by the hub. */
struct hub_session *hub_session_open(struct hub *hub, void *conn, const char *peer);
/* Handles one complete frame from the client; binary frames are refused. */
void hub_session_input(struct hub_session *s, const char *data, size_t len, bool binary);
/* Reports a frame the glue could not deliver (e.g. over PROTO_MAX_FRAME): the client
 * gets one "error" reply with code and detail (detail may be NULL). */
void hub_session_frame_error(struct hub_session *s, enum proto_err code, const char *detail);
/* The next frame to write as a new reference (msg_unref it after writing), or NULL when
 * there is nothing to send. The hub also keeps the frame until the next call. */
struct msg *hub_session_next_frame(struct hub_session *s);
/* True when hub_session_next_frame() would return a frame. */
bool hub_session_pending(const struct hub_session *s);
/* The connection has gone: leaves every room and frees the session. */
void hub_session_closed(struct hub_session *s);
/* The session's name after a successful hello, else NULL (borrowed). */
const char *hub_session_name(const struct hub_session *s);

/* Periodic work (the coalesced "rooms" event, breakouts reaching their end). Returns ms until the next tick is
 * wanted, or -1 when nothing is pending. */
int64_t hub_tick(struct hub *hub);
/* Ms until hub_tick() has work to do (0: now), or -1 when nothing is pending. */
int64_t hub_tick_due(const struct hub *hub);

#endif
