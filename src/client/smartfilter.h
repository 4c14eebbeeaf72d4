/* smartfilter.h: which join, part and quit notices are worth a line (config
 * "smart-filter", as WeeChat's smart filter for IRC): a join is hidden, and a part or a
 * quit is shown only for someone who spoke in that room within the last window_ms.
 * Pure logic on an injected clock: unit-tested. */
#ifndef CONFAB_SMARTFILTER_H
#define CONFAB_SMARTFILTER_H

#include <stdbool.h>
#include <stdint.h>

#define SMARTFILTER_DEFAULT_MS (10 * 60 * 1000)  /* 10 minutes */
#define SMARTFILTER_MAX 4096    /* (room, name) pairs remembered; the oldest go first */

struct smartfilter;

/* A filter with a window of window_ms (> 0). */
struct smartfilter *smartfilter_create(int64_t window_ms);
void smartfilter_free(struct smartfilter *sf);
/* name spoke in room at now (ms on any clock that only goes forward). */
void smartfilter_spoke(struct smartfilter *sf, const char *room, const char *name,
    int64_t now);
/* True when a notice that name joined (join true) or left room at now is to be shown.
 * Names compare case-insensitively (ASCII), as the hub compares them. */
bool smartfilter_show(const struct smartfilter *sf, const char *room, const char *name,
    bool join, int64_t now);

#endif
