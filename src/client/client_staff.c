/* client_staff.c: the facilitators' requests (timers, rooms, the lineup): a command
 * typed becomes one request to the hub, whose errors name what it was about. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "client/client_int.h"
#include "util/xalloc.h"

/* Sends a timer request for the main stage. */
void
client_timer_request(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	const char *scope = cmd->arg != NULL ? cmd->arg : TIMER_SCOPE_MAIN;
	enum proto_type t;
	struct pending *p;

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
	if ((p = client_request(c, &m, NULL)) != NULL)
		snprintf(p->subject, sizeof p->subject, "(%s)", scope);
}

/* Sends room.create for cmd. */
void
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
void
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
void
client_lineup_request(struct client *c, const struct command *cmd)
{
	struct proto_msg m;
	struct pending *p;

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
	if ((p = client_request(c, &m, NULL)) != NULL && cmd->index > 0)
		snprintf(p->subject, sizeof p->subject, "%lld", (long long)cmd->index);
}
