/* client.h: the client's model and logic, free of libwebsockets and of output formatting.
 *
 * The client turns typed lines into protocol requests (handed to a send function) and
 * decoded frames from the hub into calls on a front end (struct client_view) that say WHAT
 * happened. It keeps the hub state the user sees: name, role, rooms, joined rooms, current
 * room, timers (with an NTP-style estimate of the hub clock, see clocksync.h), the program
 * and recent chat per room.
 * The connection layer tells it when the link comes and goes. */
#ifndef CONFAB_CLIENT_H
#define CONFAB_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/command.h"
#include "proto/proto.h"
#include "util/clock.h"

#define CLIENT_CHAT_KEEP 200     /* recent chat lines kept per room */
#define CLIENT_CHAT_MAX 2000     /* most chat lines kept per room, older ones loaded with
                                  * client_history_more() included (oldest dropped) */
#define CLIENT_NAME_TRIES 3      /* "_" appended at most this often on name-taken */
#define CLIENT_HELLO_RETRY_MS 5000       /* hello refused as rate-limited: ask again ... */
#define CLIENT_HELLO_RETRY_MAX_MS 60000  /* ... doubling up to this */
#define CLIENT_PING_BURST 8      /* pings sent quickly after each welcome: fills the 8-sample
                                  * window (bench/RESULTS.md: less error on jittery links) */
#define CLIENT_PING_GAP_MS 150   /* at least this far apart during the burst */
#define CLIENT_PING_MS 600000    /* then one ping this often: the clock refresh (liveness is
                                  * WebSocket PING/PONG: src/net/conn.h) */
#define CLIENT_TIMER_BURST 3     /* pings sent quickly when a timer starts or resumes ... */
#define CLIENT_SAMPLE_STALE_MS 180000 /* ... and the best clock sample is older than this */
#define CLIENT_ANSWER_MS 60000   /* a join, part (or the who after a join) that holds up
                                  * what is typed next is given up after this long
                                  * without an answer */
/* What the client keeps of the hub's lists, at most (the rest is ignored, with one log
 * line): rooms (the hub holds at most 500), rooms it is in, timers, and room states (the
 * chat lines of rooms it is or was in: those of rooms it left go first). */
#define CLIENT_MAX_ROOMS 10000
#define CLIENT_MAX_JOINED 500
#define CLIENT_MAX_TIMERS (CLIENT_MAX_ROOMS + 1)
#define CLIENT_MAX_STATES (2 * CLIENT_MAX_JOINED)

/* Connection notices for the front end. */
enum client_notice {
	CN_CONNECTING,   /* detail: the URL */
	CN_CONNECTED,    /* first welcome: detail: name; role in client_role() */
	CN_RECONNECTED,  /* welcome after a reconnect */
	CN_LOST,         /* detail: reason; delay_ms: before the next attempt (-1: none) */
	CN_FAILED,       /* an attempt failed before the link was up; as CN_LOST */
	CN_NAME_TAKEN,   /* detail: the new name being tried */
	CN_QUEUED,       /* input kept until the hub is reachable again */
	CN_PROGRAM,      /* the hub sent a new program */
	CN_PROGRAM_CACHED, /* started from the on-disk cache: the program shown is not live
	                    * until the hub confirms it (detail: NULL) */
	CN_REFUSED,      /* the hub's TLS certificate was refused: no attempt follows; once
	                  * per line of why and what to do (detail: the line, ours) */
	CN_HELLO_RETRY,  /* the hub took no hello now (detail: why): asked again in delay_ms */
};

#define CLIENT_TEN_MS 10000      /* the "0:10 left" milestone */
#define CLIENT_CLOSING_MS 60000  /* a room's end is announced this long before */

/* How a timer changed, as far as the client can tell from two states. */
enum timer_change { TC_START, TC_PAUSE, TC_RESUME, TC_RESET, TC_STOP, TC_ADJUST };

/* Moments announced once each while a timer runs (see client_tick()). */
enum timer_milestone { TM_WARNING, TM_DANGER, TM_TEN, TM_UP };

/* What /schedule, /now, /next and /info ask the front end to show. */
enum client_program_req { CP_SCHEDULE, CP_NOW, CP_NEXT, CP_INFO };

/* One recent chat line. */
struct client_chat {
	char *from, *text;
	int64_t ts;
	bool me;
	bool removed;    /* a facilitator removed it: not to be shown */
	uint64_t seq;    /* its position in the room's stream */
};

/* Something we said (say or msg), identified by the client id it was sent with. Until the
 * hub acknowledges it, it is pending: queued while offline, or sent and not yet answered
 * (after a drop it is sent again with the same cid; the hub never delivers it twice). */
struct client_out {
	const char *cid;   /* the client-chosen id of the send */
	const char *room;  /* say: the room; NULL for msg */
	const char *to;    /* msg: the recipient; NULL for say */
	const char *text;
	bool me;
	uint64_t seq;      /* say, once delivered: its position in the room's stream; else 0 */
	bool offline;      /* it was typed while offline and waited for the link */
};

/* What the client learned about a room's history (see client_view.history). */
enum client_history {
	CH_REPLAYED,        /* after a reconnect the hub replayed the n lines we missed: nothing
	                     * was lost (n may be 0) */
	CH_NOT_RECOVERABLE, /* the hub could not replay what we missed (it restarted, or the
	                     * gap was longer than its history): lines in between are lost, and
	                     * what follows is a fresh snapshot of the room */
	CH_OLDER,           /* n older lines were loaded (/history or scrolling up): they are
	                     * now lines 0..n-1 of client_chat_line() */
	CH_START,           /* nothing older exists: the room's history starts here */
};

/* Bytes and messages over the link, as counted by the connection layer (the owner fills
 * it; see client_config.link_stats). */
struct client_link_stats {
	uint64_t ws_tx, ws_rx;     /* WebSocket message payload bytes, before compression */
	uint64_t wire_tx, wire_rx; /* TCP payload bytes on the socket (WebSocket framing and
	                            * compression included); 0 when not measurable */
	uint64_t msgs_tx, msgs_rx; /* WebSocket messages */
	unsigned links;            /* links opened so far */
	bool compressed;           /* permessage-deflate is on for the current link */
};

/* What /stats shows. */
struct client_stats {
	struct client_link_stats link;
	int64_t rtt_ms;        /* client_rtt_ms() */
	int64_t offset_ms;     /* client_clock_offset() */
	int64_t error_ms;      /* client_clock_error_ms() */
	size_t pending;        /* sends not yet acknowledged */
	uint64_t chat_rx;      /* chat events received (duplicates excluded) */
	uint64_t dups;         /* duplicate events dropped */
};

/* The front end. Every callback may be NULL. Strings are borrowed for the call only and
 * come from the network unless said otherwise: sanitise before printing. */
struct client_view {
	void *arg;
	void (*notice)(void *arg, enum client_notice what, const char *detail, int64_t delay_ms);
	/* seq: the line's number in the room (shown with /ids, for /report and /delete) */
	void (*chat)(void *arg, const char *room, const char *from, const char *text, bool me,
	    uint64_t seq);
	/* outgoing: the hub's echo of a message we sent (from is us) */
	void (*privmsg)(void *arg, const char *from, const char *to, const char *text,
	    bool outgoing);
	void (*presence)(void *arg, const char *room, const char *name,
	    enum proto_presence action);
	void (*joined)(void *arg, const char *room, unsigned people);
	void (*parted)(void *arg, const char *room);
	void (*room_opened)(void *arg, const struct room_info *room);
	/* member: we were in it and are now in moved_to (may be NULL: the lobby) */
	void (*room_closed)(void *arg, const char *room, const char *by, bool member,
	    const char *moved_to);
	/* /rooms */
	void (*rooms)(void *arg, const struct room_info *rooms, size_t n);
	/* /who */
	void (*who)(void *arg, const char *room, const char *const *names, size_t n);
	/* A timer changed: prev is its previous state; hub_now is the hub clock now. */
	void (*timer)(void *arg, const struct timer *t, enum timer_state prev, int64_t hub_now);
	/* The same change, told in detail (called right after timer); delta_ms: for TC_ADJUST,
	 * the time added (negative: taken off). */
	void (*timer_change)(void *arg, const struct timer *t, enum timer_change change,
	    int64_t delta_ms, int64_t hub_now);
	/* A running timer reached a milestone; remaining: the milestone's remaining time
	 * (warn_ms, danger_ms, CLIENT_TEN_MS or 0). */
	void (*timer_milestone)(void *arg, const struct timer *t, enum timer_milestone m,
	    int64_t remaining);
	/* /timer: every known timer (possibly none) */
	void (*timers)(void *arg, const struct timer *t, size_t n, int64_t hub_now);
	/* code PE_NONE: a local error (message is ours, translated) */
	void (*error)(void *arg, enum proto_err code, const char *message);
	/* /schedule (day: index into program_days(), or -1 for all days), /now, /next, /info
	 * (s: the session, or NULL when nothing is on / next). p is never NULL. */
	void (*program)(void *arg, enum client_program_req req, const struct program *p,
	    const struct session *s, int day, int64_t hub_now);
	/* /help: topic NULL for all, else a command name (rows of the table are matched). */
	void (*help)(void *arg, const char *topic);
	/* /lineup: the lineup (possibly empty); current: index speaking now, or -1 */
	void (*lineup)(void *arg, const struct lineup_item *items, size_t n, int64_t current);
	/* The lineup changed from old (nold items, oldcur) to items; by: who (may be NULL) */
	void (*lineup_changed)(void *arg, const struct lineup_item *old, size_t nold,
	    int64_t oldcur, const struct lineup_item *items, size_t n, int64_t current,
	    const char *by);
	/* A room we are in closes in left_ms (announced once, CLIENT_CLOSING_MS before) */
	void (*room_closing)(void *arg, const struct room_info *room, int64_t left_ms);
	/* The hub refused us for good (bad name, bad token, version, or an answer to our hello
	 * that cannot be used): message says what happened and what the user can do, reason
	 * the same in a few words (for a status line); both are ours (translated) but may
	 * quote the name or the hub's text: sanitise them. The client ignores the hub from
	 * now on; the front end says it on screen and quits (or lets the user quit). */
	void (*fatal)(void *arg, const char *message, const char *reason);
	/* A line we typed is pending (just sent, or queued while offline: o->offline). Called
	 * once per line: a line sent again after a drop is not announced again. */
	void (*pending)(void *arg, const struct client_out *o);
	/* The hub answered a pending send: code PE_NONE: delivered (o->seq set for say);
	 * otherwise refused (the error callback has told why). */
	void (*outcome)(void *arg, const struct client_out *o, enum proto_err code);
	/* News about a room's history (see enum client_history). */
	void (*history)(void *arg, const char *room, enum client_history what, size_t n);
	/* /stats */
	void (*stats)(void *arg, const struct client_stats *s);
	/* /ids: chat lines show their numbers (on) or not */
	void (*ids)(void *arg, bool on);
	/* A facilitator removed line seq of room: take it off the screen where possible. */
	void (*line_removed)(void *arg, const char *room, uint64_t seq, const char *by);
	/* A facilitator's announcement (to every room; told once). */
	void (*announcement)(void *arg, const char *from, const char *text);
	/* A report (we are a facilitator); rseq: its number. */
	void (*report)(void *arg, const struct proto_report_ev *r, uint64_t rseq);
	/* What a facilitator did to us (mute, unmute, kick, ban). */
	void (*moderation)(void *arg, const struct proto_moderation *m);
	/* The hub's welcome notice (code of conduct, privacy): shown on arrival. */
	void (*hub_notice)(void *arg, const char *text);
	/* A moderation request of ours was done: type PT_REPORT (seq in room), PT_REPORTS
	 * (every report kept was shown), PT_MUTE
	 * (name, minutes), PT_UNMUTE, PT_KICK, PT_BAN or PT_UNBAN (name). */
	void (*mod_done)(void *arg, enum proto_type type, const char *room, const char *name,
	    uint64_t seq, int minutes);
};

/* What a front end says for mod_done (name already made safe to show): a new string. */
char *client_mod_done_text(enum proto_type type, const char *room, const char *name,
    uint64_t seq, int minutes);

/* Sends one frame (a NUL-terminated string of len bytes) to the hub. Returns 0, or -1
 * when it could not be queued (the link is down). */
typedef int (*client_send_fn)(void *arg, const char *frame, size_t len);

struct client_config {
	const char *name;        /* wanted display name (checked by the caller) */
	const char *token;       /* facilitator token, or NULL */
	const struct cf_clock *clock; /* NULL: system clock */
	client_send_fn send;
	void *send_arg;
	/* Fills the link counters for /stats (NULL: all zero). */
	void (*link_stats)(void *arg, struct client_link_stats *out);
	void *link_stats_arg;
	/* Directory for the per-hub program cache (created when missing), or NULL for none. */
	const char *cache_dir;
	/* File of the names' secrets (src/client/secrets.h), or NULL: secrets are kept for
	 * this run only. */
	const char *secrets_path;
	/* Invite token of an invite-only hub, or NULL. */
	const char *invite;
};

struct client;

/* A new client (strings are copied; view is copied). */
/* True when chat lines show their numbers (/ids). */
bool client_show_ids(const struct client *c);
struct client *client_create(const struct client_config *cfg, const struct client_view *view);
void client_free(struct client *c);

/* What the front end should do after a line of input. */
enum client_result { CLIENT_CONTINUE = 0, CLIENT_QUIT };

/* Handles one line typed by the user. */
enum client_result client_input(struct client *c, const char *line);

/* The link is up: sends hello. */
void client_link_up(struct client *c);
/* The link is down; delay_ms: before the next attempt (negative: none). */
void client_link_down(struct client *c, const char *reason, int64_t delay_ms);
/* The hub's certificate was refused for good; message: why and what to do, lines
 * separated by '\n' (each becomes a CN_REFUSED notice). */
void client_link_refused(struct client *c, const char *message);
/* Announces the first connection attempt to url. */
void client_connecting(struct client *c, const char *url);
/* Handles one text frame from the hub (bad frames are logged and dropped). */
void client_frame(struct client *c, const char *data, size_t len);
/* The owner's tick: sends a ping when one is due and returns the ms until the next tick
 * is wanted. After each welcome CLIENT_PING_BURST pings go CLIENT_PING_GAP_MS apart, to
 * sample the clock offset; then one every CLIENT_PING_MS (the clock refresh). When a timer
 * starts or resumes while the best sample is older than CLIENT_SAMPLE_STALE_MS, a burst of
 * CLIENT_TIMER_BURST pings is due at once (the owner ticks after every frame). Pings are
 * not keep-alives: the connection layer checks the link. Each tick also gives up on the
 * requests that hold up input (join, part, the who after a join) that the hub has not
 * answered for CLIENT_ANSWER_MS: said as an error, and what waited for them runs. */
int64_t client_ping(struct client *c);

/* The main-stage lineup (borrowed); *current: index speaking now, or -1. */
const struct lineup_item *client_lineup(const struct client *c, size_t *n, int64_t *current);

/* Ms on our monotonic clock until the next timer milestone (or room end warning) is due, or -1 when none is
 * pending. The owner calls client_tick() then (one timer, no periodic wakeups). */
int64_t client_next_wakeup(struct client *c);
/* Announces the timer milestones that are due, each once, in order. Milestones already
 * behind when a timer's state arrives are never announced. */
void client_tick(struct client *c);

/* Asks the hub for up to n chat lines of room older than the oldest we hold (scrolling
 * up; /history does the same). Answered through client_view.history (CH_OLDER or
 * CH_START). Returns 0, or -1 when offline or when a request for room is already out. */
int client_history_more(struct client *c, const char *room, size_t n);

/* True when the program shown came from the hub on this link, false when it is the cached
 * copy (not live) or there is none. */
bool client_program_live(const struct client *c);

/* Fills s as /stats would show it. */
void client_get_stats(const struct client *c, struct client_stats *s);

/* Requests sent and not yet answered, plus input queued while offline (pings excluded). */
size_t client_pending(const struct client *c);
/* True once a welcome has been received on the current link. */
bool client_online(const struct client *c);

/* Accessors (borrowed). */
const char *client_name(const struct client *c);
enum proto_role client_role(const struct client *c);
const char *client_current_room(const struct client *c);
bool client_is_joined(const struct client *c, const char *room);
const struct program *client_program(const struct client *c);
const struct room_info *client_rooms(const struct client *c, size_t *n);
const struct timer *client_timers(const struct client *c, size_t *n);
/* Hub clock now: our monotonic clock plus the estimated offset (the best ping sample;
 * before any, the hub's "now" at receipt of the welcome or of a timer event). */
int64_t client_hub_now(const struct client *c);
/* Hub clock minus our wall clock, ms (for display). */
int64_t client_clock_offset(const struct client *c);
/* Round trip of the sample the estimate uses, or -1 before the first pong. */
int64_t client_rtt_ms(const struct client *c);
/* Largest possible error of client_hub_now() in ms, or -1 before the first pong. */
int64_t client_clock_error_ms(const struct client *c);
/* Number of chat lines kept for room (at most CLIENT_CHAT_MAX). */
size_t client_chat_count(const struct client *c, const char *room);
/* Line i (0: oldest kept) of room, or NULL. */
const struct client_chat *client_chat_line(const struct client *c, const char *room, size_t i);

#endif
