/* idindex.h: a sorted index from short string keys (room ids, timer scopes) to positions
 * in an array, for lookups in O(log n) instead of a scan.
 *
 * A sorted array, not a hash table: its cost does not depend on the keys, so a hub cannot
 * pick ids that collide and make the client slow (what hash flooding does to a table).
 * Building from n keys at once costs O(n log n); one insertion or removal O(n) (a memmove
 * of 16-byte entries). Keys are copied. */
#ifndef CONFAB_IDINDEX_H
#define CONFAB_IDINDEX_H

#include <stdbool.h>
#include <stddef.h>

struct idindex;

/* A new, empty index. Free with idindex_free(). */
struct idindex *idindex_create(void);
/* Frees x and its keys (safe on NULL). */
void idindex_free(struct idindex *x);
/* Empties x. */
void idindex_clear(struct idindex *x);
/* Number of keys. */
size_t idindex_count(const struct idindex *x);

/* The key of element i of the array at arr (borrowed: idindex_build() copies it). */
typedef const char *(*idindex_key_fn)(const void *arr, size_t i);

/* Replaces the contents of x with the keys key(arr, i), mapped to i, for i < n. When a key
 * occurs more than once the first occurrence wins and dup[i] (when dup is not NULL) is
 * set for the later ones, which are left out; dup[i] is false for the others. */
void idindex_build(struct idindex *x, const void *arr, size_t n, idindex_key_fn key,
    bool *dup);

/* Maps key to value (replacing its value when present). */
void idindex_set(struct idindex *x, const char *key, size_t value);
/* True when key is present; *value (may be NULL) gets its value. */
bool idindex_get(const struct idindex *x, const char *key, size_t *value);
/* Removes key; true when it was present. */
bool idindex_del(struct idindex *x, const char *key);

#endif
