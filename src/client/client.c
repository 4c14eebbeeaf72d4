/* client.c: the client's state and logic: typed lines to requests, hub frames to view calls. */
#include "util/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "client/cache.h"
#include "client/secrets.h"
#include "client/client.h"
#include "client/client_int.h"
#include "util/tztime.h"
#include "util/log.h"
#include "util/sat.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* Creates a client. */
struct client *
client_create(const struct client_config *cfg, const struct client_view *view)
{
	struct client *c = xcalloc(1, sizeof *c);

	c->v = *view;
	c->clock = cfg->clock != NULL ? cfg->clock : &cf_clock_system;
	c->send = cfg->send;
	c->send_arg = cfg->send_arg;
	c->name = xstrdup(cfg->name);
	c->wanted = xstrdup(cfg->name);
	c->token = cfg->token != NULL ? xstrdup(cfg->token) : NULL;
	c->next_id = 1;
	c->cache_dir = cfg->cache_dir != NULL ? xstrdup(cfg->cache_dir) : NULL;
	c->secrets_path = cfg->secrets_path != NULL ? xstrdup(cfg->secrets_path) : NULL;
	c->invite = cfg->invite != NULL ? xstrdup(cfg->invite) : NULL;
	c->link_stats = cfg->link_stats;
	c->link_stats_arg = cfg->link_stats_arg;
	client_out_init(c);
	client_rooms_init(c);
	c->sync = clocksync_create();
	/* until the hub tells us its time, take ours */
	clocksync_set_fallback(c->sync, cf_wall_ms(c->clock), cf_mono_ms(c->clock));
	strlcpy_cf(c->current, ROOM_LOBBY, sizeof c->current);
	c->lineup_cur = -1;
	return c;
}

/* Frees a client. */
void
client_free(struct client *c)
{
	size_t i;

	if (c == NULL)
		return;
	free(c->name);
	free(c->wanted);
	free(c->token);
	free(c->resume);
	free(c->epoch);
	clocksync_free(c->sync);
	program_free(c->program);
	client_rooms_free(c);
	free(c->pending);
	for (i = 0; i < c->nqueue; i++)
		free(c->queue[i].line);
	free(c->queue);
	client_out_free_all(c);
	free(c->url);
	free(c->cache_dir);
	free(c->secret);
	free(c->secrets_path);
	free(c->invite);
	free(c->notice);
	for (i = 0; i < c->nrs; i++)
		client_rs_free(c->rs[i]);
	free(c->rs);
	free(c->lineup);
	free(c);
}

/* The main-stage lineup. */
const struct lineup_item *
client_lineup(const struct client *c, size_t *n, int64_t *current)
{
	*n = c->nlineup;
	*current = c->lineup_cur;
	return c->lineup;
}

/* Local wall clock. */
int64_t
client_wall(const struct client *c)
{
	return cf_wall_ms(c->clock);
}

/* Local monotonic clock. */
int64_t
client_mono(const struct client *c)
{
	return cf_mono_ms(c->clock);
}

/* Hub clock now, from the monotonic clock and the estimated offset. */
int64_t
client_hub_now(const struct client *c)
{
	return clocksync_hub_now(c->sync, client_mono(c));
}

/* Estimated hub-minus-local-wall offset. */
int64_t
client_clock_offset(const struct client *c)
{
	return sat_sub(client_hub_now(c), client_wall(c));
}

/* Round trip of the sample in use, or -1. */
int64_t
client_rtt_ms(const struct client *c)
{
	return clocksync_rtt(c->sync);
}

/* Error bound of the hub clock estimate, or -1. */
int64_t
client_clock_error_ms(const struct client *c)
{
	return clocksync_error_bound(c->sync);
}

/* Current display name. */
const char *
client_name(const struct client *c)
{
	return c->name;
}

/* Role the hub gave us. */
enum proto_role
client_role(const struct client *c)
{
	return c->role;
}

/* Current room id. */
const char *
client_current_room(const struct client *c)
{
	return c->current;
}

/* The program, or NULL before the first welcome. */
const struct program *
client_program(const struct client *c)
{
	return c->program;
}

/* The rooms as last pushed by the hub. */
const struct room_info *
client_rooms(const struct client *c, size_t *n)
{
	*n = c->nrooms;
	return c->rooms;
}

/* The timers as last pushed by the hub. */
const struct timer *
client_timers(const struct client *c, size_t *n)
{
	*n = c->ntimers;
	return c->timers;
}

/* True once welcomed on the current link. */
bool
client_online(const struct client *c)
{
	return c->online;
}

/* Unanswered requests (not pings), queued input, and sends waiting for the link. */
size_t
client_pending(const struct client *c)
{
	size_t i, n = c->nqueue + client_out_waiting(c);

	for (i = 0; i < c->npending; i++)
		if (c->pending[i].type != PT_PING)
			n++;
	return n;
}

/* True when the program came from the hub on this link. */
bool
client_program_live(const struct client *c)
{
	return c->program != NULL && c->program_live;
}

/* Fills s for /stats: link counters from the owner when it gave a way to read them, else
 * the client's own count of the messages it sent and handled. */
void
client_get_stats(const struct client *c, struct client_stats *s)
{
	*s = c->stats;
	if (c->link_stats != NULL) {
		memset(&s->link, 0, sizeof s->link);
		c->link_stats(c->link_stats_arg, &s->link);
	}
	s->rtt_ms = client_rtt_ms(c);
	s->offset_ms = client_clock_offset(c);
	s->error_ms = client_clock_error_ms(c);
	s->pending = client_pending(c);
}

/* Writes the program to the cache (a failure is logged: the cache is only a hint). */
void
client_save_program(struct client *c)
{
	char *cause = NULL;

	if (c->cache_dir == NULL || c->url == NULL || c->program == NULL)
		return;
	if (cache_save_program(c->cache_dir, c->url, c->program, &cause) != 0) {
		log_warn("client: program cache: %s", cause);
		free(cause);
	}
}

/* Reports a local error to the view. */
void
client_local_error(struct client *c, const char *message)
{
	if (c->v.error != NULL)
		c->v.error(c->v.arg, PE_NONE, message);
}

/* Sends request m with a new id; records it as pending. Returns the pending entry or NULL. */
struct pending *
client_request(struct client *c, struct proto_msg *m, const char *room)
{
	struct pending *p;
	char *frame;
	int rc;

	m->id = c->next_id++;
	frame = proto_encode(m);
	rc = c->send != NULL ? c->send(c->send_arg, frame, strlen(frame)) : -1;
	if (rc == 0) {
		c->stats.link.ws_tx += strlen(frame);
		c->stats.link.msgs_tx++;
	}
	free(frame);
	if (rc != 0) {
		log_warn("client: could not send %s", proto_type_name(m->type));
		return NULL;
	}
	c->pending = xreallocarray(c->pending, c->npending + 1, sizeof *c->pending);
	p = &c->pending[c->npending++];
	memset(p, 0, sizeof *p);
	p->id = m->id;
	p->type = m->type;
	p->t0 = client_mono(c);
	if (room != NULL)
		strlcpy_cf(p->room, room, sizeof p->room);
	return p;
}

/* Removes the pending entry for reply id re into *out. Returns 0, or -1 if unknown. */
int
client_take_pending(struct client *c, int64_t re, struct pending *out)
{
	size_t i;

	if (re == 0)
		return -1;
	for (i = 0; i < c->npending; i++) {
		if (c->pending[i].id == re) {
			*out = c->pending[i];
			c->pending[i] = c->pending[--c->npending];
			return 0;
		}
	}
	return -1;
}

/* Sends hello with our name, token and resume token; after a drop also our positions
 * in the rooms we were in (the hub puts us back and replays what we missed), and the
 * version of the program we hold (the hub then does not send it again). */
void
client_send_hello(struct client *c)
{
	struct proto_msg m;
	struct proto_since_room since[PROTO_MAX_SINCE];
	struct room_state *rs;
	size_t i, n = 0;

	proto_msg_init(&m, PT_HELLO);
	m.u.hello.proto = PROTO_VERSION;
	m.u.hello.name = c->name;
	m.u.hello.token = c->token;
	m.u.hello.resume = c->resume;
	m.u.hello.secret = c->secret;
	m.u.hello.invite = c->invite;
	m.u.hello.client = PACKAGE_NAME "/" PACKAGE_VERSION;
	for (i = 0; i < c->nrs; i++)
		c->rs[i]->since_sent = false;
	if (c->epoch != NULL) {
		for (i = 0; i < c->njoined && n < PROTO_MAX_SINCE; i++) {
			rs = client_rs(c, c->joined[i]);
			rs->since_sent = true;
			since[n].room = rs->id;
			since[n].seq = (int64_t)rs->last_seq;
			n++;
		}
		m.u.hello.since_epoch = c->epoch;
		m.u.hello.since = since;
		m.u.hello.nsince = n;
	}
	if (c->resume != NULL) {
		m.u.hello.has_user = true;
		m.u.hello.user = (int64_t)c->user_seq;
	}
	if (c->program != NULL && c->program->version != NULL &&
	    strlen(c->program->version) <= PROTO_MAX_PROGRAM_VERSION)
		m.u.hello.program = c->program->version;
	client_request(c, &m, NULL);
}

/* The link is up: say hello. */
void
client_link_up(struct client *c)
{
	c->linked = true;
	c->online = false;
	c->stats.link.links++;
	client_send_hello(c);
}

/* The link is down: forget what was in flight and tell the view. */
void
client_link_down(struct client *c, const char *reason, int64_t delay_ms)
{
	enum client_notice what = c->linked ? CN_LOST : CN_FAILED;

	c->linked = false;
	c->online = false;
	c->hello_retry_at = 0;        /* the next link says hello itself */
	if (c->v.notice != NULL)
		c->v.notice(c->v.arg, what, reason != NULL ? reason : "", delay_ms);
	client_out_link_down(c);
}

/* The hub's certificate was refused: no attempt follows. */
void
client_link_refused(struct client *c, const char *message)
{
	const char *s = message, *nl;
	char *line;

	c->linked = false;
	c->online = false;
	c->cert_refused = true;
	for (; c->v.notice != NULL; s = nl + 1) {
		nl = strchr(s, '\n');
		line = nl != NULL ? xstrndup(s, (size_t)(nl - s)) : xstrdup(s);
		c->v.notice(c->v.arg, CN_REFUSED, line, -1);
		free(line);
		if (nl == NULL)
			break;
	}
	client_out_link_down(c);
}

/* Announces a connection attempt; shows the program cached for this hub, if any, until
 * the hub answers. */
void
client_connecting(struct client *c, const char *url)
{
	struct program *p;
	char *cause = NULL;

	free(c->url);
	c->url = xstrdup(url);
	if (c->secret == NULL && c->secrets_path != NULL) {
		c->secret = secrets_load(c->secrets_path, url, c->name, &cause);
		if (cause != NULL) {
			log_warn("client: %s", cause);
			free(cause);
			cause = NULL;
		}
	}
	if (c->v.notice != NULL)
		c->v.notice(c->v.arg, CN_CONNECTING, url, 0);
	if (c->cache_dir == NULL || c->program != NULL)
		return;
	p = cache_load_program(c->cache_dir, url, &cause);
	if (p == NULL) {
		if (cause != NULL)
			log_warn("client: program cache ignored: %s", cause);
		free(cause);
		return;
	}
	c->program = p;
	c->program_live = false;
	if (c->v.notice != NULL)
		c->v.notice(c->v.arg, CN_PROGRAM_CACHED, NULL, 0);
}

/* Forgets pings sent before cutoff: a pong that late would be a useless sample. */
static void
client_drop_old_pings(struct client *c, int64_t cutoff)
{
	size_t i = 0;

	while (i < c->npending) {
		if (c->pending[i].type == PT_PING && c->pending[i].t0 < cutoff)
			c->pending[i] = c->pending[--c->npending];
		else
			i++;
	}
}

/* The gap before the next ping: short during the burst, long afterwards. */
static int64_t
client_ping_gap(const struct client *c)
{
	return c->burst < CLIENT_PING_BURST ? CLIENT_PING_GAP_MS : CLIENT_PING_MS;
}

/* A timer changed: when it starts or resumes and the clock estimate is stale, a short burst
 * of pings is due, so that its countdown is as accurate as right after a welcome. */
void
client_clock_timer(struct client *c, enum timer_change change)
{
	int64_t age = clocksync_age(c->sync, client_mono(c));

	if (!c->online || (change != TC_START && change != TC_RESUME))
		return;
	if (age >= 0 && age <= CLIENT_SAMPLE_STALE_MS)
		return;
	if (c->burst > CLIENT_PING_BURST - CLIENT_TIMER_BURST)
		c->burst = CLIENT_PING_BURST - CLIENT_TIMER_BURST; /* not during a longer one */
}

/* Tick: sends a ping (clock sample) when one is due; returns the ms until the next tick is
 * wanted. */
int64_t
client_ping(struct client *c)
{
	struct proto_msg m;
	struct pending *p;
	int64_t now = client_mono(c);

	if (!c->online)
		return CLIENT_PING_GAP_MS; /* the welcome is on its way: look again soon */
	client_expire(c);
	if (c->burst > 0 && now - c->last_ping < client_ping_gap(c))
		return c->last_ping + client_ping_gap(c) - now;
	client_drop_old_pings(c, now - CLIENT_PING_MS);
	proto_msg_init(&m, PT_PING);
	m.u.ping.t0 = now;
	p = client_request(c, &m, NULL);
	if (p != NULL)
		p->t0 = now;
	c->last_ping = now;
	if (c->burst < CLIENT_PING_BURST)
		c->burst++;
	return client_ping_gap(c);
}

/* Keeps line (or, with out set, a say or msg typed offline) to run once the hub is
 * reachable. */
static void
client_enqueue_item(struct client *c, const char *line, uint64_t out)
{
	if (c->cert_refused) {
		/* no link will come: say so rather than keep it forever */
		client_local_error(c, _("not connected: the hub's certificate was refused (see "
		    "above); /quit leaves"));
		return;
	}
	if (c->nqueue == 0 && c->ever_online && !c->online && c->v.notice != NULL)
		c->v.notice(c->v.arg, CN_QUEUED, NULL, 0);
	c->queue = xreallocarray(c->queue, c->nqueue + 1, sizeof *c->queue);
	c->queue[c->nqueue].line = line != NULL ? xstrdup(line) : NULL;
	c->queue[c->nqueue++].out = out;
}

/* Keeps line to run once the hub is reachable. */
static void
client_enqueue(struct client *c, const char *line)
{
	client_enqueue_item(c, line, 0);
}

/* True when a say of text fits; else tells the user. */
static bool
client_say_fits(struct client *c, const char *text)
{
	char *msg;

	if (strlen(text) <= PROTO_MAX_TEXT)
		return true;
	msg = xasprintf(_("that line is too long (at most %d bytes)"), PROTO_MAX_TEXT);
	client_local_error(c, msg);
	free(msg);
	return false;
}

/* The room that will be current when the queue has run: the current room, changed by
 * the /join and /part lines waiting in the queue. */
static void
client_queued_room(const struct client *c, char *room, size_t len)
{
	struct command cmd;
	char *cause = NULL;
	size_t i;

	strlcpy_cf(room, c->current, len);
	for (i = 0; i < c->nqueue; i++) {
		if (c->queue[i].line == NULL || command_parse(c->queue[i].line, &cmd, &cause) != 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		if (cmd.type == CMD_JOIN)
			strlcpy_cf(room, cmd.arg, len);
		else if (cmd.type == CMD_PART && (cmd.arg == NULL || strcmp(cmd.arg, room) == 0))
			strlcpy_cf(room, ROOM_LOBBY, len);
		command_clear(&cmd);
	}
}

/* Says text in the current room, or sends a private message (cmd is CMD_MSG), with a
 * new cid. Offline, it waits in the queue (and the view shows it as not sent yet). */
static void
client_send_chat(struct client *c, const struct command *cmd, bool offline)
{
	struct out *o;
	char room[ROOM_ID_MAX + 1];

	if (cmd->type != CMD_MSG && !client_say_fits(c, cmd->text))
		return;
	client_queued_room(c, room, sizeof room);
	/* before the first welcome, lines wait silently: they are not "offline" yet */
	o = client_out_new(c, cmd->type == CMD_MSG ? NULL : room,
	    cmd->type == CMD_MSG ? cmd->arg : NULL, cmd->text, cmd->type == CMD_ME,
	    offline && c->ever_online);
	if (offline) {
		client_enqueue_item(c, NULL, o->serial);
		if (o->offline)
			client_out_show(c, o);
	} else
		client_out_send(c, o);
}

/* Sends a request that names one room (join, part, who, room.close); a join carries our
 * position in the room when we hold lines of it (the hub replays what we missed). */
struct pending *
client_room_request(struct client *c, enum proto_type type, const char *room)
{
	struct proto_msg m;
	struct pending *p;
	struct room_state *rs;

	proto_msg_init(&m, type);
	m.u.room.room = room;
	if (type == PT_JOIN && c->epoch != NULL && (rs = client_rs(c, room)) != NULL &&
	    (rs->n > 0 || rs->last_seq > 0)) {
		m.u.room.has_since = true;
		m.u.room.since = (int64_t)rs->last_seq;
	}
	p = client_request(c, &m, room);
	if (p != NULL)
		p->since = m.u.room.has_since;
	return p;
}

/* Sends a timer request for the main stage. */
static void
client_timer_request(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	const char *scope = cmd->arg != NULL ? cmd->arg : TIMER_SCOPE_MAIN;
	enum proto_type t;

	switch (cmd->type) {
	case CMD_TIMER_START: t = PT_TIMER_START; break;
	case CMD_TIMER_PAUSE: t = PT_TIMER_PAUSE; break;
	case CMD_TIMER_RESUME: t = PT_TIMER_RESUME; break;
	case CMD_TIMER_STOP: t = PT_TIMER_STOP; break;
	case CMD_TIMER_ADJUST: t = PT_TIMER_ADJUST; break;
	default: t = PT_TIMER_RESET; break;
	}
	proto_msg_init(&m, t);
	if (t == PT_TIMER_START) {
		m.u.timer_start.scope = scope;
		m.u.timer_start.label = cmd->text;
		m.u.timer_start.duration_ms = cmd->duration_ms;
		m.u.timer_start.warn_ms = cmd->warn_ms;
		m.u.timer_start.danger_ms = cmd->danger_ms;
	} else if (t == PT_TIMER_ADJUST) {
		m.u.timer_adjust.scope = scope;
		m.u.timer_adjust.delta_ms = cmd->delta_ms;
	} else
		m.u.timer_ref.scope = scope;
	client_request(c, &m, NULL);
}

/* Sends room.create for cmd. */
static void
client_room_create(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	char id[ROOM_ID_MAX + 1];
	const char *title = cmd->arg[0] == '#' ? cmd->arg + 1 : cmd->arg;

	if (room_id_from_name(title, id) != 0)
		return; /* checked by the parser */
	proto_msg_init(&m, PT_ROOM_CREATE);
	m.u.room_create.room = id;
	m.u.room_create.title = title;
	m.u.room_create.capacity = cmd->capacity;
	m.u.room_create.minutes = cmd->minutes;
	m.u.room_create.seconds = cmd->seconds;
	client_request(c, &m, id);
}

/* Sends room.expire for cmd. */
static void
client_room_expire(struct client *c, const struct command *cmd)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_ROOM_EXPIRE);
	m.u.room_expire.room = cmd->arg;
	m.u.room_expire.minutes = cmd->minutes;
	m.u.room_expire.seconds = cmd->seconds;
	m.u.room_expire.has_seconds = cmd->seconds > 0;
	client_request(c, &m, cmd->arg);
}

/* Sends a lineup.* request for cmd (item numbers are 1-based for people, 0-based on the
 * wire). */
static void
client_lineup_request(struct client *c, const struct command *cmd)
{
	struct proto_msg m;

	switch (cmd->type) {
	case CMD_LINEUP_ADD:
		proto_msg_init(&m, PT_LINEUP_ADD);
		m.u.lineup_add.title = cmd->text;
		m.u.lineup_add.speaker = cmd->arg;
		m.u.lineup_add.kind = cmd->kind == 1 ? LK_PITCH : LK_TALK;
		m.u.lineup_add.duration_ms = cmd->duration_ms;
		break;
	case CMD_LINEUP_REMOVE:
		proto_msg_init(&m, PT_LINEUP_REMOVE);
		m.u.lineup_index.index = cmd->index - 1;
		break;
	case CMD_LINEUP_MOVE:
		proto_msg_init(&m, PT_LINEUP_MOVE);
		m.u.lineup_move.from = cmd->index - 1;
		m.u.lineup_move.to = cmd->index2 - 1;
		break;
	default:
		proto_msg_init(&m, PT_LINEUP_NEXT);
		break;
	}
	client_request(c, &m, NULL);
}

/* Finds the day index for /schedule DAY, or returns -1 with a message shown. */
static int
client_schedule_day(struct client *c, const struct command *cmd, int *day)
{
	size_t n = program_days(c->program, NULL, 0), i;
	char buf[16];

	*day = -1;
	if (cmd->day == DAY_ALL)
		return 0;
	if (cmd->day == DAY_INDEX) {
		if ((size_t)cmd->day_index > n) {
			char *msg = xasprintf(P_("there is no day %d: the program has %zu day",
			    "there is no day %d: the program has %zu days", n), cmd->day_index, n);
			client_local_error(c, msg);
			free(msg);
			return -1;
		}
		*day = cmd->day_index - 1;
		return 0;
	}
	if (cmd->day == DAY_TODAY) {
		*day = program_day_at(c->program, client_hub_now(c));
		if (*day >= 0)
			return 0;
	}
	for (i = 0; cmd->day == DAY_DATE && i < n; i++) {
		/* a conference day is named by the date its first session starts on */
		if (strcmp(tz_format(c->program->timezone, program_day_label_ms(c->program, i),
		    "%Y-%m-%d", buf, sizeof buf), cmd->date) == 0) {
			*day = (int)i;
			return 0;
		}
	}
	client_local_error(c, cmd->day == DAY_TODAY ? _("there are no sessions today") :
	    _("there are no sessions on that day; /schedule lists all days"));
	return -1;
}

/* Runs /schedule, /now, /next, /info against the program. */
static void
client_program_cmd(struct client *c, const struct command *cmd)
{
	const struct session *s = NULL;
	int64_t now = client_hub_now(c);
	enum client_program_req req;
	int day = -1;

	switch (cmd->type) {
	case CMD_SCHEDULE:
		if (client_schedule_day(c, cmd, &day) != 0)
			return;
		req = CP_SCHEDULE;
		break;
	case CMD_NOW:
		s = program_current(c->program, now);
		req = CP_NOW;
		break;
	case CMD_NEXT:
		s = program_next(c->program, now);
		req = CP_NEXT;
		break;
	default:
		s = program_find(c->program, cmd->arg);
		if (s == NULL) {
			char *msg = xasprintf(_("no session \"%s\"; /schedule shows the session ids"),
			    cmd->arg);
			client_local_error(c, msg);
			free(msg);
			return;
		}
		req = CP_INFO;
		break;
	}
	if (c->v.program != NULL)
		c->v.program(c->v.arg, req, c->program, s, day, now);
}

/* True when topic names a command of the table. */
static bool
client_help_known(const char *topic)
{
	size_t n, i;
	const struct command_info *t = command_table(&n);

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, topic) == 0)
			return true;
	return false;
}

/* Runs a command that needs the hub (the client is online). */
static void
client_run_net(struct client *c, const struct command *cmd)
{
	const char *room;
	struct room_info *ri;

	switch (cmd->type) {
	case CMD_SAY:
	case CMD_ME:
	case CMD_MSG:
		client_send_chat(c, cmd, false);
		break;
	case CMD_HISTORY:
		if (client_history_more(c, c->current, (size_t)cmd->index) != 0)
			client_local_error(c, _("earlier lines of this room are already on their "
			    "way"));
		break;
	case CMD_JOIN:
		if (client_is_joined(c, cmd->arg)) {
			strlcpy_cf(c->current, cmd->arg, sizeof c->current);
			ri = client_find_room(c, cmd->arg);
			if (c->v.joined != NULL)
				c->v.joined(c->v.arg, cmd->arg, ri != NULL ? ri->occupancy : 1);
			break;
		}
		client_room_request(c, PT_JOIN, cmd->arg);
		break;
	case CMD_PART:
	case CMD_WHO:
		room = cmd->arg != NULL ? cmd->arg : c->current;
		client_room_request(c, cmd->type == CMD_PART ? PT_PART : PT_WHO, room);
		break;
	case CMD_ROOM_CLOSE:
		client_room_request(c, PT_ROOM_CLOSE, cmd->arg);
		break;
	case CMD_ROOM_CREATE:
		client_room_create(c, cmd);
		break;
	case CMD_ROOM_EXPIRE:
		client_room_expire(c, cmd);
		break;
	case CMD_LINEUP_ADD:
	case CMD_LINEUP_REMOVE:
	case CMD_LINEUP_MOVE:
	case CMD_LINEUP_NEXT:
		client_lineup_request(c, cmd);
		break;
	case CMD_TIMER_START:
	case CMD_TIMER_PAUSE:
	case CMD_TIMER_RESUME:
	case CMD_TIMER_RESET:
	case CMD_TIMER_STOP:
	case CMD_TIMER_ADJUST:
		client_timer_request(c, cmd);
		break;
	case CMD_DELETE:
	case CMD_REPORT:
	case CMD_REPORTS:
	case CMD_MUTE:
	case CMD_UNMUTE:
	case CMD_KICK:
	case CMD_BAN:
	case CMD_UNBAN:
	case CMD_ANNOUNCE:
		client_mod_run(c, cmd);
		break;
	default:
		break;
	}
}

/* True while a reply that changes the current room is awaited: later input waits for it,
 * so that lines typed (or piped) after /join go to the room joined. */
static bool
client_blocked(const struct client *c)
{
	size_t i;

	for (i = 0; i < c->npending; i++) {
		const struct pending *p = &c->pending[i];
		if ((p->type == PT_JOIN && !p->quiet) || p->type == PT_PART ||
		    (p->type == PT_WHO && p->after_join))
			return true;
	}
	return false;
}

/* Runs one parsed command. */
static enum client_result
client_run(struct client *c, const struct command *cmd, const char *line)
{
	switch (cmd->type) {
	case CMD_NONE:
		break;
	case CMD_QUIT:
		return CLIENT_QUIT;
	case CMD_HELP:
		if (cmd->arg != NULL && !client_help_known(cmd->arg)) {
			char *msg = xasprintf(_("no command \"/%s\"; type /help for the list"),
			    cmd->arg);
			client_local_error(c, msg);
			free(msg);
		} else if (c->v.help != NULL)
			c->v.help(c->v.arg, cmd->arg);
		break;
	case CMD_IDS:
		client_mod_ids(c, cmd);
		break;
	case CMD_STATS:
		if (c->v.stats != NULL) {
			struct client_stats st;
			client_get_stats(c, &st);
			c->v.stats(c->v.arg, &st);
		}
		break;
	case CMD_TIMER:
		if (c->v.timers != NULL)
			c->v.timers(c->v.arg, c->timers, c->ntimers, client_hub_now(c));
		break;
	/* Offline, these wait for the hub's answer; online, a hub that sent none (an older
	 * one has no lineup) has none: waiting again would run the queue forever. */
	case CMD_LINEUP:
		if (!c->have_lineup && !c->online)
			client_enqueue(c, line);
		else if (c->v.lineup != NULL)
			c->v.lineup(c->v.arg, c->lineup, c->nlineup, c->lineup_cur);
		break;
	case CMD_ROOMS:
		if (!c->have_rooms && !c->online)
			client_enqueue(c, line);
		else if (c->v.rooms != NULL)
			c->v.rooms(c->v.arg, c->rooms, c->nrooms);
		break;
	case CMD_SCHEDULE:
	case CMD_NOW:
	case CMD_NEXT:
	case CMD_INFO:
		if (c->program == NULL && c->online)
			client_local_error(c, _("the hub has not sent a program"));
		else if (c->program == NULL)
			client_enqueue(c, line);
		else
			client_program_cmd(c, cmd);
		break;
	default:
		if (!c->online)
			client_enqueue(c, line);
		else
			client_run_net(c, cmd);
		break;
	}
	return CLIENT_CONTINUE;
}

/* Handles one line typed by the user. */
enum client_result
client_input(struct client *c, const char *line)
{
	struct command cmd;
	char *cause = NULL;
	enum client_result res;

	if (!utf8_valid(line, strlen(line))) {
		client_local_error(c, _("that line is not valid UTF-8; check your terminal's "
		    "encoding"));
		return CLIENT_CONTINUE;
	}
	if (command_parse(line, &cmd, &cause) != 0) {
		client_local_error(c, cause);
		free(cause);
		return CLIENT_CONTINUE;
	}
	if ((cmd.type == CMD_SAY || cmd.type == CMD_ME || cmd.type == CMD_MSG) && c->cert_refused) {
		client_enqueue_item(c, line, 0);  /* says why nothing can be sent */
		command_clear(&cmd);
		return CLIENT_CONTINUE;
	}
	if ((cmd.type == CMD_SAY || cmd.type == CMD_ME || cmd.type == CMD_MSG) && !c->online) {
		/* shown as not sent yet, and sent after the next welcome */
		client_send_chat(c, &cmd, true);
		command_clear(&cmd);
		return CLIENT_CONTINUE;
	}
	if (cmd.type != CMD_QUIT && cmd.type != CMD_NONE && cmd.type != CMD_STATS &&
	    (c->nqueue > 0 || client_blocked(c))) {
		/* keep the order of what was typed */
		client_enqueue(c, line);
		command_clear(&cmd);
		return CLIENT_CONTINUE;
	}
	res = client_run(c, &cmd, line);
	command_clear(&cmd);
	return res;
}

/* Runs queued input in order, until it is empty or has to wait again. */
void
client_flush_queue(struct client *c)
{
	struct command cmd;
	char *cause = NULL, *line;
	struct out *o;
	uint64_t serial;

	while (c->nqueue > 0 && c->online && !client_blocked(c)) {
		line = c->queue[0].line;
		serial = c->queue[0].out;
		memmove(c->queue, c->queue + 1, (c->nqueue - 1) * sizeof *c->queue);
		c->nqueue--;
		if (serial != 0) {
			if ((o = client_out_find(c, serial)) != NULL)
				client_out_send(c, o);
			continue;
		}
		if (command_parse(line, &cmd, &cause) == 0) {
			client_run(c, &cmd, line);
			command_clear(&cmd);
		} else
			free(cause);
		free(line);
	}
}
