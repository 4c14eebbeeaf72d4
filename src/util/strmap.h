/* strmap.h: a hash map from strings to pointers (open addressing, linear probing).
 *
 * Keys are copied (the map owns its copies); values are borrowed pointers that the map
 * never frees. Lookup, insert and delete are O(1) on average; the table doubles when it
 * is 3/4 full (tombstones included) and is rebuilt without tombstones then. */
#ifndef CONFAB_STRMAP_H
#define CONFAB_STRMAP_H

#include <stddef.h>
#include <stdint.h>

struct strmap;

/* A new, empty map. */
struct strmap *strmap_create(void);
/* Frees the map and its keys (not the values). Safe on NULL. */
void strmap_free(struct strmap *m);
/* The value of key, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);
/* Sets key to value (not NULL); returns the value it replaces, or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);
/* Removes key; returns its value, or NULL when it was not there. */
void *strmap_del(struct strmap *m, const char *key);
/* Number of keys. */
size_t strmap_count(const struct strmap *m);
/* Iterates: start with *pos = 0; each call returns the next value and sets *key (borrowed,
 * valid until the map changes), or NULL at the end. The order is the table's, not
 * insertion order. The map must not change during the walk, except strmap_del() of the
 * key just returned. */
void *strmap_next(const struct strmap *m, size_t *pos, const char **key);
/* FNV-1a hash of a string (also for callers' own tables). */
uint32_t strmap_hash(const char *s);

#endif
