/* room.c: room kinds and room ids (validation and derivation from free-form names). */
#include <string.h>

#include "model/room.h"
#include "util/utf8.h"

static const char *const room_kind_names[RK__COUNT] = {
	"lobby", "discussion", "breakout"
};

/* Wire name of a room kind. */
const char *
room_kind_name(enum room_kind kind)
{
	if ((unsigned)kind >= RK__COUNT)
		return "?";
	return room_kind_names[kind];
}

/* Parses a wire kind name; 0 on success, -1 when unknown. */
int
room_kind_parse(const char *name, enum room_kind *kind)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < RK__COUNT; i++) {
		if (strcmp(name, room_kind_names[i]) == 0) {
			*kind = (enum room_kind)i;
			return 0;
		}
	}
	return -1;
}

/* True for a character allowed in a room id. */
static int
room_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* True when id is 1..ROOM_ID_MAX of [a-z0-9_-], starting with a letter or digit. */
bool
room_id_valid(const char *id)
{
	size_t i;

	if (id == NULL || id[0] == '\0' || id[0] == '_' || id[0] == '-')
		return false;
	for (i = 0; id[i] != '\0'; i++) {
		if (i >= ROOM_ID_MAX || !room_id_char(id[i]))
			return false;
	}
	return true;
}

/* Derives a room id from a free-form name: lower case, spaces to '-', others dropped. */
int
room_id_from_name(const char *name, char *out)
{
	size_t n = 0;
	const char *p;
	char c;

	out[0] = '\0';
	if (name == NULL)
		return -1;
	for (p = name; *p != '\0' && n < ROOM_ID_MAX; p++) {
		c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (c == ' ' || c == '\t')
			c = '-';
		if (!room_id_char(c))
			continue;
		/* No leading separators, and no runs of '-'. */
		if ((c == '-' || c == '_') && n == 0)
			continue;
		if (c == '-' && out[n - 1] == '-')
			continue;
		out[n++] = c;
	}
	while (n > 0 && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	return n == 0 ? -1 : 0;
}

/* Copies at most ROOM_TITLE_MAX code points of src into dst (size ROOM_TITLE_MAX * 4 + 1). */
void
room_title_copy(char *dst, const char *src)
{
	const char *p = src, *end = src + strlen(src), *start;
	size_t ncp = 0, len;
	uint32_t cp;

	while (p < end && ncp < ROOM_TITLE_MAX) {
		start = p;
		utf8_decode(&p, end, &cp);
		if ((size_t)(p - src) > ROOM_TITLE_MAX * 4) {
			p = start;
			break;
		}
		ncp++;
	}
	len = (size_t)(p - src);
	memcpy(dst, src, len);
	dst[len] = '\0';
}
