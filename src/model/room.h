/* room.h: chat rooms as everybody sees them: the lobby, discussion rooms and breakouts. */
#ifndef CONFAB_ROOM_H
#define CONFAB_ROOM_H

#include <stdbool.h>
#include <stdint.h>

#define ROOM_ID_MAX 32
#define ROOM_TITLE_MAX 80
#define ROOM_LOBBY "lobby"

enum room_kind { RK_LOBBY = 0, RK_DISCUSSION, RK_BREAKOUT, RK__COUNT };

/* Wire names: "lobby", "discussion", "breakout". */
const char *room_kind_name(enum room_kind kind);
int room_kind_parse(const char *name, enum room_kind *kind);

struct room_info {
	char id[ROOM_ID_MAX + 1];        /* [a-z0-9_-], starts with a letter or digit */
	char title[ROOM_TITLE_MAX * 4 + 1];
	enum room_kind kind;
	unsigned occupancy;
	unsigned capacity;               /* 0: no limit */
	char session[ROOM_ID_MAX + 1];   /* program session id, or "" */
	int64_t closes_at_ms;            /* hub ms when a breakout closes; 0: never */
};

/* True when id is a valid room id: 1..ROOM_ID_MAX of [a-z0-9_-], first a letter or digit. */
bool room_id_valid(const char *id);

/* Copies at most ROOM_TITLE_MAX code points of src into dst (ROOM_TITLE_MAX * 4 + 1
 * bytes), never cutting a character. */
void room_title_copy(char *dst, const char *src);

/* Derives a room id from a free-form name into out (size ROOM_ID_MAX + 1): lower case,
 * spaces to '-', other characters dropped. Returns 0, or -1 when nothing is left. */
int room_id_from_name(const char *name, char *out);

#endif
