/* hub_export.h: confabd --export: each room's chat from the store, as text and JSON Lines. */
#ifndef CONFAB_HUB_EXPORT_H
#define CONFAB_HUB_EXPORT_H

#include <stddef.h>

#include "hub/store.h"

/* Writes DIR/<room>.txt and DIR/<room>.jsonl for every room stream in st (DIR made 0700
 * when missing; files 0600, each written whole and renamed into place). Sets *rooms and
 * *lines. Returns 0, or -1 with *cause. */
int hub_export(struct store *st, const char *dir, size_t *rooms, size_t *lines, char **cause);

#endif
