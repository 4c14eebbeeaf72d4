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

#include "hub/store.h"
#include "model/msgring.h"
#include "model/program.h"
#include "proto/proto.h"
#include "util/bucket.h"
#include "util/clock.h"

#define HUB_MAX_ROOMS 500          /* room.create beyond this: rate-limited */
#define HUB_ROOMS_INTERVAL_MS 100  /* at most one "rooms" event per interval */
#define HUB_MAX_BAD_FRAMES 100     /* bad frames in a row before a session is dropped */
#define HUB_NOTICE_MAX 4000        /* bytes of the welcome notice */

/* Rate limits and budgets (confabd's defaults: hub_limits_default(); doc/confabd.8). */
struct hub_limits {
	struct cf_bucket_rule say;        /* chat lines and /me */
	struct cf_bucket_rule msg;        /* private messages */
	struct cf_bucket_rule join;       /* joins and parts */
	struct cf_bucket_rule history;    /* history requests */
	struct cf_bucket_rule other;      /* every other request but ping */
	unsigned conns_per_addr;          /* open connections per address; 0: no limit */
	unsigned hellos_per_addr;         /* hellos per address a minute; 0: no limit */
	bool limit_loopback;              /* per-address limits for loopback too */
	size_t queue_soft;                /* bytes queued for a session: stop reading it */
	size_t queue_hard;                /* bytes queued for a session: drop it */
	int64_t stall_ms;                 /* over queue_soft this long: drop it */
};

/* The defaults: about 5 lines a second with bursts of 20, and so on. */
void hub_limits_default(struct hub_limits *l);

/* Counters for /metrics. */
struct hub_metrics {
	uint64_t frames_in, frames_out, bytes_out;
	uint64_t lines;                   /* chat lines stored */
	uint64_t rate_limited;            /* requests refused with rate-limited */
	uint64_t drop_lagging;            /* sessions dropped: fell out of a room's history */
	uint64_t drop_queue;              /* sessions dropped: too much queued for too long */
	uint64_t drop_bad_frames;         /* sessions dropped: too many bad frames */
	uint64_t drop_kicked;             /* sessions dropped by moderation */
	uint64_t refused_conns;           /* connections refused by the per-address limit */
	uint64_t refused_hellos;          /* hellos refused (per-address limit, ban) */
	uint64_t store_failures;          /* writes the store could not make */
};

struct hub_config {
	const struct program *program;    /* borrowed; the hub keeps a copy */
	const char *const *tokens;        /* facilitator tokens, borrowed; may be NULL */
	size_t ntokens;
	const char *const *invites;       /* invite tokens, borrowed; none: no invite needed */
	size_t ninvites;
	const struct cf_clock *clock;     /* borrowed; NULL: cf_clock_system */
	const char *name;                 /* hub name in "welcome"; NULL: "confabd" */
	const char *notice;               /* text shown on join (code of conduct); may be NULL */
	size_t pre;                       /* headroom in every frame (LWS_PRE for lws) */
	void (*want_write)(void *conn);   /* the session of conn has frames to send */
	void (*close_conn)(void *conn);   /* drop conn (asynchronously) */
	void (*flow)(void *conn, bool read); /* stop (false) or resume reading conn; may be NULL */
	const struct lineup_item *lineup; /* initial main-stage lineup, copied; may be NULL */
	size_t nlineup;
	struct store *store;              /* borrowed; NULL: a memory store of the hub's own */
	const struct hub_limits *limits;  /* NULL: hub_limits_default() */
	bool log_addresses;               /* log attendees' addresses (off: "#N" instead) */
	int64_t retain_ms;                /* chat older than this is deleted (0: kept) */
};

struct hub;
struct hub_session;

/* A new hub, or NULL with *cause set to a new string. */
struct hub *hub_create(const struct hub_config *cfg, char **cause);
/* Frees the hub and every session still open (without callbacks). Safe on NULL. */
void hub_free(struct hub *hub);
/* The epoch: the store's, kept across restarts by a durable store (borrowed). */
const char *hub_epoch(const struct hub *hub);
/* Writes the store's pending group (one transaction) and completes its requests. Call at
 * the end of each pass of the event loop; hub_tick() does it too. */
void hub_flush(struct hub *hub);
/* The hub's counters. */
const struct hub_metrics *hub_get_metrics(const struct hub *hub);
/* Numbers for /metrics: sessions with a name, rooms, bytes queued for all sessions. */
void hub_get_gauges(const struct hub *hub, size_t *attendees, size_t *rooms, size_t *queued);
/* The text of GET /metrics (Prometheus) and GET /health: new strings of *len bytes;
 * nconns: the open connections the glue counts. */
char *hub_metrics_text(const struct hub *hub, size_t nconns, size_t *len);
char *hub_health_text(const struct hub *hub, size_t *len);
/* Chat lines a second over the last minute. */
double hub_lines_rate(const struct hub *hub);
/* Replaces the facilitator tokens (SIGHUP); the strings are copied. */
void hub_set_tokens(struct hub *hub, const char *const *tokens, size_t n);
/* Replaces the invite tokens (SIGHUP): n 0 opens the event to all; copied. */
void hub_set_invites(struct hub *hub, const char *const *invites, size_t n);
/* Replaces the welcome notice (SIGHUP): NULL or "" for none; copied. */
void hub_set_notice(struct hub *hub, const char *notice);
/* Number of open sessions (including those that have not said hello). */
size_t hub_session_count(const struct hub *hub);

/* Opens a session for connection conn (opaque, passed back in the callbacks); addr is
 * the peer's address (no port; may be NULL), for limits, bans and, with log_addresses,
 * the log. Returns the session, owned by the hub. */
struct hub_session *hub_session_open(struct hub *hub, void *conn, const char *addr);
/* True when a new connection from addr may open (per-address limit, banned addresses):
 * the glue asks before the WebSocket handshake. */
bool hub_admit(struct hub *hub, const char *addr);
/* Handles one complete frame from the client; binary frames are refused. */
void hub_session_input(struct hub_session *s, const char *data, size_t len, bool binary);
/* Reports a frame the glue could not deliver (e.g. over PROTO_MAX_FRAME): the client
 * gets one "error" reply with code and detail (detail may be NULL). */
void hub_session_frame_error(struct hub_session *s, enum proto_err code, const char *detail);
/* The next frame to write as a new reference (msg_unref it after writing), or NULL when
 * there is nothing to send. The hub also keeps the frame until the next call. */
struct msg *hub_session_next_frame(struct hub_session *s);
/* True when s wants its next chance to write: hub_session_next_frame() would return a
 * frame, or it is to close politely once drained (the call that returns NULL does). */
bool hub_session_pending(const struct hub_session *s);
/* The connection has gone: leaves every room and frees the session. */
void hub_session_closed(struct hub_session *s);
/* The session's name after a successful hello, else NULL (borrowed). */
const char *hub_session_name(const struct hub_session *s);

/* The hub stops: every session is closed (code 1001, "going away") once what is queued
 * for it has been sent. The caller keeps the loop running until hub_session_count() is 0
 * or it has waited long enough. */
void hub_shutdown(struct hub *hub);
/* For a session the hub asked to close (close_conn): true, with the WebSocket close code
 * and a reason (static English text) when it is to be closed politely after its last
 * frame; false for a drop. */
bool hub_session_close_reason(const struct hub_session *s, int *code, const char **reason);

/* Periodic work (the coalesced "rooms" event, breakouts reaching their end). Returns ms until the next tick is
 * wanted, or -1 when nothing is pending. */
int64_t hub_tick(struct hub *hub);
/* Ms until hub_tick() has work to do (0: now, e.g. store writes are pending), or -1 when
 * nothing is pending. */
int64_t hub_tick_due(const struct hub *hub);
/* True when the hub has work for a tick right now (held requests that can run). */
bool hub_tick_now(const struct hub *hub);

#endif
