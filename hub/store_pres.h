/* store_pres.h: the members that the other hubs of a shared store have, as this hub
 * learns them (the Redis store's presence, doc/MULTIHUB.md): for each other hub, the
 * (room, name) pairs it has, each with an info text the hub core made (opaque here), and
 * the union over those hubs by room, which is what the hub core asks for (who) and is
 * told about (each change of the union). Pure: no I/O, no clock of its own. */
#ifndef CONFAB_STORE_PRES_H
#define CONFAB_STORE_PRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store_pres;

/* A change of the union: name in room now has info (borrowed), or no hub has it (NULL);
 * arrived: no hub had it before. */
typedef void (*store_pres_fn)(void *arg, const char *room, const char *name,
    const char *info, bool arrived);

/* A new, empty table. */
struct store_pres *store_pres_create(void);
/* Frees it. Safe on NULL. */
void store_pres_free(struct store_pres *p);

/* The field of (room, name) in a hub's set: "room\nname" (a new string). */
char *store_pres_field(const char *room, const char *name);
/* Splits a field in place: *name after the newline. Returns -1 when it has none. */
int store_pres_split(char *field, char **name);

/* Hub hub's member name in room has info (NULL: it left). fn (may be NULL) is called
 * when the union changes. */
void store_pres_set(struct store_pres *p, const char *hub, const char *room,
    const char *name, const char *info, store_pres_fn fn, void *arg);
/* Replaces everything of hub with n fields (store_pres_field) and their infos, as read
 * from the hub's whole set; fn is called for each change of the union. */
void store_pres_replace(struct store_pres *p, const char *hub, const char *const *fields,
    const char *const *infos, size_t n, store_pres_fn fn, void *arg);
/* Forgets hub (it stopped): its members leave, fn called for each change. */
void store_pres_drop(struct store_pres *p, const char *hub, store_pres_fn fn, void *arg);

/* The number of hub's last change applied (0: none known). */
uint64_t store_pres_serial(const struct store_pres *p, const char *hub);
/* Hub was heard from at now (ms, any clock the caller keeps) at change serial. */
void store_pres_heard(struct store_pres *p, const char *hub, uint64_t serial, int64_t now);
/* Forgets the hubs that are not in live (n ids) and were not heard from since
 * now - quiet: they stopped. */
void store_pres_prune(struct store_pres *p, const char *const *live, size_t n, int64_t now,
    int64_t quiet, store_pres_fn fn, void *arg);

/* The union's info of name in room (borrowed), or NULL. */
const char *store_pres_info(const struct store_pres *p, const char *room, const char *name);
/* Calls fn for every name in room that another hub has (in no particular order). */
void store_pres_each(const struct store_pres *p, const char *room,
    void (*fn)(void *arg, const char *name, const char *info), void *arg);
/* The number of (room, name) pairs in the union (for /metrics and tests). */
size_t store_pres_count(const struct store_pres *p);

#endif
