/* idindex.c: a sorted array of (key, value) pairs, searched by bisection. */
#include <stdlib.h>
#include <string.h>

#include "util/idindex.h"
#include "util/xalloc.h"

/* One entry: a copied key and its value. */
struct idindex_ent {
	char *key;
	size_t value;
};

struct idindex {
	struct idindex_ent *e;   /* sorted by key (strcmp) */
	size_t n, cap;
};

/* Creates an empty index. */
struct idindex *
idindex_create(void)
{
	return xcalloc(1, sizeof (struct idindex));
}

/* Frees the keys of x and forgets them. */
void
idindex_clear(struct idindex *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->e[i].key);
	x->n = 0;
}

/* Frees x. */
void
idindex_free(struct idindex *x)
{
	if (x == NULL)
		return;
	idindex_clear(x);
	free(x->e);
	free(x);
}

/* Number of keys in x. */
size_t
idindex_count(const struct idindex *x)
{
	return x->n;
}

/* The position of key in x, or where it would go; *found says which. */
static size_t
idindex_find(const struct idindex *x, const char *key, bool *found)
{
	size_t lo = 0, hi = x->n, mid;
	int c;

	*found = false;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(x->e[mid].key, key);
		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Makes room for want entries. */
static void
idindex_reserve(struct idindex *x, size_t want)
{
	if (want <= x->cap)
		return;
	x->cap = x->cap < 16 ? 16 : x->cap;
	while (x->cap < want)
		x->cap *= 2;
	x->e = xreallocarray(x->e, x->cap, sizeof *x->e);
}

/* qsort order for a build: by key, then by value (the first occurrence first). */
static int
idindex_cmp(const void *a, const void *b)
{
	const struct idindex_ent *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c != 0)
		return c;
	return x->value < y->value ? -1 : x->value > y->value;
}

/* Rebuilds x from n keys of arr; later duplicates are marked in dup. */
void
idindex_build(struct idindex *x, const void *arr, size_t n, idindex_key_fn key, bool *dup)
{
	size_t i, k = 0;

	idindex_clear(x);
	if (dup != NULL && n > 0)
		memset(dup, 0, n * sizeof *dup);
	idindex_reserve(x, n);
	for (i = 0; i < n; i++) {
		x->e[i].key = xstrdup(key(arr, i));
		x->e[i].value = i;
	}
	if (n > 1)
		qsort(x->e, n, sizeof *x->e, idindex_cmp);
	for (i = 0; i < n; i++) {
		if (k > 0 && strcmp(x->e[k - 1].key, x->e[i].key) == 0) {
			if (dup != NULL)
				dup[x->e[i].value] = true;
			free(x->e[i].key);
			continue;
		}
		x->e[k++] = x->e[i];
	}
	x->n = k;
}

/* Maps key to value. */
void
idindex_set(struct idindex *x, const char *key, size_t value)
{
	bool found;
	size_t at = idindex_find(x, key, &found);

	if (found) {
		x->e[at].value = value;
		return;
	}
	idindex_reserve(x, x->n + 1);
	memmove(x->e + at + 1, x->e + at, (x->n - at) * sizeof *x->e);
	x->e[at].key = xstrdup(key);
	x->e[at].value = value;
	x->n++;
}

/* Looks key up. */
bool
idindex_get(const struct idindex *x, const char *key, size_t *value)
{
	bool found;
	size_t at = idindex_find(x, key, &found);

	if (found && value != NULL)
		*value = x->e[at].value;
	return found;
}

/* Removes key. */
bool
idindex_del(struct idindex *x, const char *key)
{
	bool found;
	size_t at = idindex_find(x, key, &found);

	if (!found)
		return false;
	free(x->e[at].key);
	memmove(x->e + at, x->e + at + 1, (x->n - at - 1) * sizeof *x->e);
	x->n--;
	return true;
}
