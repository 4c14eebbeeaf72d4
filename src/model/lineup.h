/* lineup.h: the main-stage lineup of lightning talks and pitches. */
#ifndef CONFAB_LINEUP_H
#define CONFAB_LINEUP_H

#include <stddef.h>
#include <stdint.h>

#define LINEUP_TITLE_MAX 80       /* code points */
#define LINEUP_SPEAKER_MAX 64     /* code points */
#define LINEUP_MAX 100            /* items */
#define LINEUP_TALK_MS (5LL * 60 * 1000)
#define LINEUP_PITCH_MS (2LL * 60 * 1000)

enum lineup_kind { LK_TALK = 0, LK_PITCH };

struct lineup_item {
	char title[LINEUP_TITLE_MAX * 4 + 1];
	char speaker[LINEUP_SPEAKER_MAX * 4 + 1];   /* may be "" */
	enum lineup_kind kind;
	int64_t duration_ms;                        /* 0: the kind's default */
};

/* Wire names: "talk", "pitch". */
const char *lineup_kind_name(enum lineup_kind kind);
int lineup_kind_parse(const char *name, enum lineup_kind *kind);
/* Speaking time of a kind, ms. */
int64_t lineup_kind_duration(enum lineup_kind kind);
/* Speaking time of an item, ms. */
int64_t lineup_item_duration(const struct lineup_item *it);
/* Fills it from title, speaker (NULL: "") and kind. */
void lineup_item_set(struct lineup_item *it, const char *title, const char *speaker,
    enum lineup_kind kind);
/* "Speaker: Title", or the title alone; a new string. */
char *lineup_item_label(const struct lineup_item *it);
/* Moves item from to position to in v (n items); both must be < n. */
void lineup_move(struct lineup_item *v, size_t n, size_t from, size_t to);

#endif
