/* strmap.c: a hash map from strings to pointers, with open addressing and linear
 * probing. Deleted slots become tombstones so that probe chains stay intact; a growth
 * rebuild drops them. */
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"
#include "util/xalloc.h"

#define STRMAP_MIN 16

struct strmap_slot {
	char *key;            /* NULL: empty or tombstone */
	void *value;
	uint32_t hash;
	int tomb;             /* a deleted entry: keep probing past it */
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap;           /* a power of two */
	size_t count;         /* live keys */
	size_t used;          /* live keys and tombstones */
};

/* FNV-1a hash of s. */
uint32_t
strmap_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

/* A new, empty map. */
struct strmap *
strmap_create(void)
{
	struct strmap *m = xcalloc(1, sizeof *m);

	m->cap = STRMAP_MIN;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	return m;
}

/* Frees the map and its keys. */
void
strmap_free(struct strmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

/* The slot of key, or -1. */
static long
strmap_find(const struct strmap *m, const char *key, uint32_t h)
{
	size_t i = h & (m->cap - 1), n;

	for (n = 0; n < m->cap; n++, i = (i + 1) & (m->cap - 1)) {
		const struct strmap_slot *s = &m->slots[i];

		if (s->key == NULL && !s->tomb)
			return -1;
		if (s->key != NULL && s->hash == h && strcmp(s->key, key) == 0)
			return (long)i;
	}
	return -1;
}

/* Rebuilds the table with cap slots (live keys only). */
static void
strmap_rebuild(struct strmap *m, size_t cap)
{
	struct strmap_slot *old = m->slots;
	size_t oldcap = m->cap, i, j;

	m->slots = xcalloc(cap, sizeof *m->slots);
	m->cap = cap;
	m->used = m->count;
	for (i = 0; i < oldcap; i++) {
		if (old[i].key == NULL)
			continue;
		for (j = old[i].hash & (cap - 1); m->slots[j].key != NULL; j = (j + 1) & (cap - 1))
			;
		m->slots[j] = old[i];
		m->slots[j].tomb = 0;
	}
	free(old);
}

/* The value of key, or NULL. */
void *
strmap_get(const struct strmap *m, const char *key)
{
	long i = strmap_find(m, key, strmap_hash(key));

	return i < 0 ? NULL : m->slots[i].value;
}

/* Sets key to value; returns the replaced value or NULL. */
void *
strmap_put(struct strmap *m, const char *key, void *value)
{
	uint32_t h = strmap_hash(key);
	long i = strmap_find(m, key, h);
	size_t j;
	void *old;

	if (i >= 0) {
		old = m->slots[i].value;
		m->slots[i].value = value;
		return old;
	}
	if ((m->used + 1) * 4 > m->cap * 3)
		strmap_rebuild(m, m->count * 2 + 1 > m->cap / 2 ? m->cap * 2 : m->cap);
	for (j = h & (m->cap - 1); m->slots[j].key != NULL; j = (j + 1) & (m->cap - 1))
		;
	if (!m->slots[j].tomb)
		m->used++;
	m->slots[j].key = xstrdup(key);
	m->slots[j].value = value;
	m->slots[j].hash = h;
	m->slots[j].tomb = 0;
	m->count++;
	return NULL;
}

/* Removes key; returns its value or NULL. */
void *
strmap_del(struct strmap *m, const char *key)
{
	long i = strmap_find(m, key, strmap_hash(key));
	void *old;

	if (i < 0)
		return NULL;
	old = m->slots[i].value;
	free(m->slots[i].key);
	m->slots[i].key = NULL;
	m->slots[i].value = NULL;
	m->slots[i].tomb = 1;
	m->count--;
	return old;
}

/* Number of keys. */
size_t
strmap_count(const struct strmap *m)
{
	return m->count;
}

/* The next value of a walk. */
void *
strmap_next(const struct strmap *m, size_t *pos, const char **key)
{
	while (*pos < m->cap) {
		const struct strmap_slot *s = &m->slots[(*pos)++];

		if (s->key != NULL) {
			if (key != NULL)
				*key = s->key;
			return s->value;
		}
	}
	return NULL;
}
