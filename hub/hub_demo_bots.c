/* hub_demo_bots.c: the demo's simulated attendees and facilitator (see hub_demo_bots.h).
 * Each bot is an in-process session of the hub (hub_session_open() with a pointer of
 * ours, registered with hub_server_local_add()): its requests go in as JSON frames
 * through hub_session_input(), and what the hub sends it is drained and dropped on a
 * timer (never from inside the hub's own call). Their names end in ".bot": nobody takes
 * them for a person. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub.h"
#include "hub/hub_demo.h"
#include "hub/hub_demo_bots.h"
#include "model/msgring.h"
#include "proto/proto.h"
#include "util/container.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HUB_DEMO_BOTS_N 6             /* bots[0] is the facilitator */
#define HUB_DEMO_BOTS_ROOMS 3         /* rooms the attendees wander between */
#define HUB_DEMO_BREAKOUT "hack"      /* the breakout the facilitator opens */

static const char *const hub_demo_bot_names[HUB_DEMO_BOTS_N] = {
	"host.bot", "ada.bot", "bram.bot", "chen.bot", "dana.bot", "eli.bot"
};
static const char *const hub_demo_rooms[HUB_DEMO_BOTS_ROOMS] = {
	"d2-open", HUB_DEMO_BREAKOUT, "d2-users"
};
static const char *const hub_demo_lobby_lines[] = {
	"morning all, the pitch on the main stage just started",
	"is anyone else testing snowflake on a mobile link?",
	"slides for the fronting talk are in the program notes",
	"coffee break soon? my timezone says it is midnight",
	"welcome to the newcomers! /help lists the commands",
	"the lineup looks great today",
	"F2 shows the schedule, F3 the rooms",
	"who is up after this pitch?",
};
static const char *const hub_demo_room_lines[] = {
	"has anyone measured obfs4 over satellite links?",
	"we could compare notes on bridge distribution",
	"I can share a packet capture after the session",
	"the QR code idea is neat for in-person events",
	"let's take the censorship-detection question to #hack",
	"good point about fallback transports",
	"I will write that up in the pad",
};

struct hub_demo_bots;

/* One bot. */
struct hub_demo_bot {
	struct hub_demo_bots *owner;
	struct hub_session *hs;
	const char *name;
	int64_t next_id;
	bool in_room[HUB_DEMO_BOTS_ROOMS];
	lws_sorted_usec_list_t sul_drain;
	bool drain_queued, closing;
};

struct hub_demo_bots {
	struct lws_context *cx;
	struct hub_server *srv;
	struct hub *hub;
	char *token;
	uint64_t rng;
	struct hub_demo_bot bot[HUB_DEMO_BOTS_N];
	lws_sorted_usec_list_t sul_act, sul_stage;
	unsigned step;
	size_t lineup_n;              /* items in the lineup */
	size_t lineup_cur;            /* the item our lineup.next started last */
};

/* xorshift64* */
uint64_t
hub_demo_bots_rand(uint64_t *s)
{
	uint64_t x = *s != 0 ? *s : 1;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* A number in [0, n). */
static size_t
hub_demo_bots_pick(struct hub_demo_bots *b, size_t n)
{
	return (size_t)(hub_demo_bots_rand(&b->rng) % n);
}

/* Drains what the hub sent the bot (it reads nothing). */
static void
hub_demo_bots_drain_cb(lws_sorted_usec_list_t *sul)
{
	struct hub_demo_bot *bot = CF_CONTAINER_OF(sul, struct hub_demo_bot, sul_drain);
	struct msg *m;

	bot->drain_queued = false;
	if (bot->hs == NULL)
		return;
	if (bot->closing) {
		hub_server_local_remove(bot->owner->srv, bot);
		hub_session_closed(bot->hs);
		bot->hs = NULL;
		hub_server_after_input(bot->owner->srv);
		return;
	}
	while ((m = hub_session_next_frame(bot->hs)) != NULL)
		msg_unref(m);
}

/* Hub callback: the bot has frames. */
static void
hub_demo_bots_want_write(void *conn)
{
	struct hub_demo_bot *bot = conn;

	if (!bot->drain_queued) {
		bot->drain_queued = true;
		lws_sul_schedule(bot->owner->cx, 0, &bot->sul_drain, hub_demo_bots_drain_cb, 1);
	}
}

/* Hub callback: the hub drops the bot (it lagged): its session closes soon. */
static void
hub_demo_bots_close_conn(void *conn)
{
	struct hub_demo_bot *bot = conn;

	bot->closing = true;
	hub_demo_bots_want_write(conn);
}

/* Sends request m from bot. */
static void
hub_demo_bots_send(struct hub_demo_bot *bot, struct proto_msg *m)
{
	char *frame;

	if (bot->hs == NULL || bot->closing)
		return;
	m->id = ++bot->next_id;
	frame = proto_encode(m);
	hub_session_input(bot->hs, frame, strlen(frame), false);
	free(frame);
	hub_server_after_input(bot->owner->srv);
}

/* The bot says hello (the facilitator with the token). */
static void
hub_demo_bots_hello(struct hub_demo_bots *b, struct hub_demo_bot *bot, bool facilitator)
{
	static const struct hub_server_local ops = {
		hub_demo_bots_want_write, hub_demo_bots_close_conn
	};
	struct proto_msg m;

	hub_server_local_add(b->srv, bot, &ops);
	bot->hs = hub_session_open(b->hub, bot, "demo");
	proto_msg_init(&m, PT_HELLO);
	m.u.hello.proto = PROTO_VERSION;
	m.u.hello.name = bot->name;
	m.u.hello.token = facilitator ? b->token : NULL;
	m.u.hello.client = "confab-demo-bot";
	hub_demo_bots_send(bot, &m);
}

/* The bot says text in room. */
static void
hub_demo_bots_say(struct hub_demo_bot *bot, const char *room, const char *text)
{
	struct proto_msg m;

	proto_msg_init(&m, PT_SAY);
	m.u.say.room = room;
	m.u.say.text = text;
	hub_demo_bots_send(bot, &m);
}

/* The bot joins or leaves demo room r. */
static void
hub_demo_bots_move(struct hub_demo_bot *bot, size_t r, bool join)
{
	struct proto_msg m;

	proto_msg_init(&m, join ? PT_JOIN : PT_PART);
	m.u.room.room = hub_demo_rooms[r];
	hub_demo_bots_send(bot, &m);
	bot->in_room[r] = join;
}

static void hub_demo_bots_stage_cb(lws_sorted_usec_list_t *sul);

/* The facilitator starts the next item of the lineup and plans the one after it. */
static void
hub_demo_bots_next_item(struct hub_demo_bots *b)
{
	struct proto_msg m;

	if (b->lineup_cur >= b->lineup_n)
		return;
	proto_msg_init(&m, PT_LINEUP_NEXT);
	hub_demo_bots_send(&b->bot[0], &m);
	b->lineup_cur++;
	/* the order after the first move: the pitch (2:00), then the talks (5:00) */
	lws_sul_schedule(b->cx, 0, &b->sul_stage, hub_demo_bots_stage_cb,
	    (lws_usec_t)((b->lineup_cur == 1 ? 120 : 300) + 5) * LWS_US_PER_SEC);
}

/* The running item's time is up: the facilitator starts the next. */
static void
hub_demo_bots_stage_cb(lws_sorted_usec_list_t *sul)
{
	hub_demo_bots_next_item(CF_CONTAINER_OF(sul, struct hub_demo_bots, sul_stage));
}

/* The first moment: everyone arrives; the facilitator puts a pitch first, starts it and
 * opens the breakout; two attendees go to the open discussion. */
static void
hub_demo_bots_arrive(struct hub_demo_bots *b)
{
	struct proto_msg m;
	size_t i;

	for (i = 0; i < HUB_DEMO_BOTS_N; i++)
		hub_demo_bots_hello(b, &b->bot[i], i == 0);
	/* "A pluggable transport over video calls" (a pitch) goes first */
	proto_msg_init(&m, PT_LINEUP_MOVE);
	m.u.lineup_move.from = 3;
	m.u.lineup_move.to = 0;
	hub_demo_bots_send(&b->bot[0], &m);
	hub_demo_bots_next_item(b);
	proto_msg_init(&m, PT_ROOM_CREATE);
	m.u.room_create.room = HUB_DEMO_BREAKOUT;
	m.u.room_create.title = "hack";
	m.u.room_create.capacity = 8;
	hub_demo_bots_send(&b->bot[0], &m);
	hub_demo_bots_move(&b->bot[1 + hub_demo_bots_pick(b, HUB_DEMO_BOTS_N - 1)], 0, true);
	hub_demo_bots_move(&b->bot[1 + hub_demo_bots_pick(b, HUB_DEMO_BOTS_N - 1)], 0, true);
}

/* One attendee does one thing: says a line in the lobby or in a room it is in, or joins
 * or leaves a room. */
static void
hub_demo_bots_act(struct hub_demo_bots *b)
{
	struct hub_demo_bot *bot = &b->bot[1 + hub_demo_bots_pick(b, HUB_DEMO_BOTS_N - 1)];
	size_t what = hub_demo_bots_pick(b, 10), r = hub_demo_bots_pick(b, HUB_DEMO_BOTS_ROOMS);
	size_t nl = sizeof hub_demo_lobby_lines / sizeof *hub_demo_lobby_lines;
	size_t nr = sizeof hub_demo_room_lines / sizeof *hub_demo_room_lines;

	if (b->step == 2 || what < 5)
		hub_demo_bots_say(bot, ROOM_LOBBY, hub_demo_lobby_lines[hub_demo_bots_pick(b, nl)]);
	else if (what < 7 && bot->in_room[r])
		hub_demo_bots_say(bot, hub_demo_rooms[r],
		    hub_demo_room_lines[hub_demo_bots_pick(b, nr)]);
	else
		hub_demo_bots_move(bot, r, !bot->in_room[r]);
}

/* The bots' clock: the first call brings them in, every later one makes one act. */
static void
hub_demo_bots_act_cb(lws_sorted_usec_list_t *sul)
{
	struct hub_demo_bots *b = CF_CONTAINER_OF(sul, struct hub_demo_bots, sul_act);
	int64_t ms;

	if (b->step++ == 0)
		hub_demo_bots_arrive(b);
	else
		hub_demo_bots_act(b);
	ms = b->step == 1 ? 600 : HUB_DEMO_BOTS_MIN_MS +
	    (int64_t)hub_demo_bots_pick(b, HUB_DEMO_BOTS_SPAN_MS);
	lws_sul_schedule(b->cx, 0, &b->sul_act, hub_demo_bots_act_cb, (lws_usec_t)ms * 1000);
}

/* Starts the bots. */
struct hub_demo_bots *
hub_demo_bots_start(struct lws_context *cx, struct hub_server *srv, const char *token,
    uint64_t seed)
{
	struct hub_demo_bots *b = xcalloc(1, sizeof *b);
	size_t i;

	b->cx = cx;
	b->srv = srv;
	b->hub = hub_server_hub(srv);
	b->token = xstrdup(token);
	b->rng = seed != 0 ? seed : 1;
	hub_demo_lineup(&b->lineup_n);
	for (i = 0; i < HUB_DEMO_BOTS_N; i++) {
		b->bot[i].owner = b;
		b->bot[i].name = hub_demo_bot_names[i];
	}
	log_info("demo: bots with seed %llu", (unsigned long long)seed);
	lws_sul_schedule(cx, 0, &b->sul_act, hub_demo_bots_act_cb,
	    (lws_usec_t)HUB_DEMO_BOTS_FIRST_MS * 1000);
	return b;
}

/* Stops the bots. */
void
hub_demo_bots_free(struct hub_demo_bots *b)
{
	size_t i;

	if (b == NULL)
		return;
	lws_sul_cancel(&b->sul_act);
	lws_sul_cancel(&b->sul_stage);
	for (i = 0; i < HUB_DEMO_BOTS_N; i++) {
		struct hub_demo_bot *bot = &b->bot[i];
		lws_sul_cancel(&bot->sul_drain);
		if (bot->hs != NULL) {
			hub_server_local_remove(b->srv, bot);
			hub_session_closed(bot->hs);
			bot->hs = NULL;
		}
	}
	free(b->token);
	free(b);
}
