/* part.c: the items attendees and facilitators make (topics, questions, polls, sign-ups),
 * the votes on them by voter, and the orders of their lists. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/part.h"
#include "util/strmap.h"
#include "util/xalloc.h"

static const char *const part_kind_names[PK__COUNT] = {
	"topic", "question", "poll", "signup"
};

static const char *const part_state_names[PS__COUNT] = {
	"open", "running", "merged", "answered", "closed", "accepted", "declined"
};

/* Wire name of a kind. */
const char *
part_kind_name(enum part_kind k)
{
	return (unsigned)k < PK__COUNT ? part_kind_names[k] : "?";
}

/* The index of name in names[n], or -1. */
static int
part_lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

/* Kind for a wire name; 0, or -1 when unknown. */
int
part_kind_parse(const char *name, enum part_kind *k)
{
	int i = part_lookup(part_kind_names, PK__COUNT, name);

	if (i < 0)
		return -1;
	*k = (enum part_kind)i;
	return 0;
}

/* Wire name of a state. */
const char *
part_state_name(enum part_state s)
{
	return (unsigned)s < PS__COUNT ? part_state_names[s] : "?";
}

/* State for a wire name; 0, or -1 when unknown. */
int
part_state_parse(const char *name, enum part_state *s)
{
	int i = part_lookup(part_state_names, PS__COUNT, name);

	if (i < 0)
		return -1;
	*s = (enum part_state)i;
	return 0;
}

/* True when an item of kind k can be in state s. */
bool
part_state_valid(enum part_kind k, enum part_state s)
{
	if (s == PS_OPEN)
		return (unsigned)k < PK__COUNT;
	switch (k) {
	case PK_TOPIC: return s == PS_RUNNING || s == PS_MERGED;
	case PK_QUESTION: return s == PS_ANSWERED;
	case PK_POLL: return s == PS_CLOSED;
	case PK_SIGNUP: return s == PS_ACCEPTED || s == PS_DECLINED;
	default: return false;
	}
}

/* The most code points of a title of kind k. */
size_t
part_title_max(enum part_kind k)
{
	switch (k) {
	case PK_QUESTION: return PART_QUESTION_MAX;
	case PK_POLL: return PART_POLL_MAX;
	case PK_SIGNUP: return PART_SIGNUP_MAX;
	default: return PART_TOPIC_MAX;
	}
}

/* A new open item of kind k. */
struct part_item *
part_item_new(enum part_kind k)
{
	struct part_item *it = xcalloc(1, sizeof *it);

	it->kind = k;
	it->choice = -1;
	return it;
}

/* Frees the strings of it and zeroes it. */
void
part_item_clear(struct part_item *it)
{
	size_t i;

	free(it->title);
	free(it->note);
	for (i = 0; i < it->nchoices; i++)
		free(it->choices[i]);
	free(it->choices);
	memset(it, 0, sizeof *it);
	it->choice = -1;
}

/* Frees it. */
void
part_item_free(struct part_item *it)
{
	if (it == NULL)
		return;
	part_item_clear(it);
	free(it);
}

/* A deep copy. */
void
part_item_copy(struct part_item *dst, const struct part_item *src)
{
	*dst = *src;
	dst->title = NULL;
	dst->note = NULL;
	dst->choices = NULL;
	dst->nchoices = 0;
	part_item_set_title(dst, src->title);
	part_item_set_note(dst, src->note);
	part_item_set_choices(dst, (const char *const *)src->choices, src->nchoices);
}

/* Sets the title (a copy; NULL: none). */
void
part_item_set_title(struct part_item *it, const char *title)
{
	free(it->title);
	it->title = title != NULL ? xstrdup(title) : NULL;
}

/* Sets the note (a copy; NULL or "": none). */
void
part_item_set_note(struct part_item *it, const char *note)
{
	free(it->note);
	it->note = note != NULL && *note != '\0' ? xstrdup(note) : NULL;
}

/* Sets the choices (copies; at most PART_CHOICES_MAX are kept). */
void
part_item_set_choices(struct part_item *it, const char *const *choices, size_t n)
{
	size_t i;

	for (i = 0; i < it->nchoices; i++)
		free(it->choices[i]);
	free(it->choices);
	it->choices = NULL;
	it->nchoices = 0;
	if (n > PART_CHOICES_MAX)
		n = PART_CHOICES_MAX;
	if (n == 0)
		return;
	it->choices = xcalloc(n, sizeof *it->choices);
	for (i = 0; i < n; i++)
		it->choices[i] = xstrdup(choices[i] != NULL ? choices[i] : "");
	it->nchoices = n;
}

/* True when it takes votes now. */
bool
part_item_votable(const struct part_item *it)
{
	switch (it->kind) {
	case PK_TOPIC: return it->state == PS_OPEN || it->state == PS_RUNNING;
	case PK_QUESTION:
	case PK_POLL: return it->state == PS_OPEN;
	default: return false;
	}
}

/* The choice named by text (a 1-based number, the text, or a unique prefix of it). */
int
part_item_find_choice(const struct part_item *it, const char *text)
{
	size_t i, len = strlen(text), n;
	int found = -1;
	char *end;
	long num;

	if (len == 0)
		return -1;
	num = strtol(text, &end, 10);
	if (*end == '\0' && num >= 1 && (size_t)num <= it->nchoices && text[0] != '+' &&
	    text[0] != '-')
		return (int)num - 1;
	for (i = 0; i < it->nchoices; i++)
		if (strcasecmp(it->choices[i], text) == 0)
			return (int)i;
	for (i = 0, n = 0; i < it->nchoices; i++)
		if (strncasecmp(it->choices[i], text, len) == 0) {
			found = (int)i;
			n++;
		}
	return n == 1 ? found : -1;
}

/* The choice with the most votes, or -1 (none, or a tie for first). */
int
part_item_winner(const struct part_item *it)
{
	int best = -1;
	bool tie = false;
	size_t i;

	if (!it->has_counts)
		return -1;
	for (i = 0; i < it->nchoices; i++) {
		if (it->counts[i] <= 0)
			continue;
		if (best < 0 || it->counts[i] > it->counts[best]) {
			best = (int)i;
			tie = false;
		} else if (it->counts[i] == it->counts[best])
			tie = true;
	}
	return tie ? -1 : best;
}

/* -1, 0 or 1 as a is before, level with or after b. */
static int
part_sign(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* The rank of an item's state in its list: what is still open comes first. */
static int
part_rank(const struct part_item *it)
{
	switch (it->kind) {
	case PK_TOPIC: return it->state == PS_MERGED ? 1 : 0;
	case PK_QUESTION: return it->pinned && it->state == PS_OPEN ? 0 :
	    it->state == PS_OPEN ? 1 : it->pinned ? 2 : 3;
	default: return it->state == PS_OPEN ? 0 : 1;
	}
}

/* Compares two items of one kind in the order of its list. */
static int
part_cmp(const struct part_item *a, const struct part_item *b)
{
	int c;

	if (a->kind != b->kind)
		return part_sign(a->kind, b->kind);
	if ((c = part_sign(part_rank(a), part_rank(b))) != 0)
		return c;
	switch (a->kind) {
	case PK_TOPIC:
	case PK_QUESTION:
		if ((c = part_sign(b->votes, a->votes)) != 0)
			return c;
		break;
	case PK_POLL:
		if ((c = part_sign(b->ts, a->ts)) != 0)
			return c;
		return part_sign(b->id, a->id);
	default:
		break;
	}
	if ((c = part_sign(a->ts, b->ts)) != 0)
		return c;
	return part_sign(a->id, b->id);
}

/* Orders v for a list of kind k (a stable insertion sort: lists are short). */
void
part_order(const struct part_item **v, size_t n, enum part_kind k)
{
	const struct part_item *x;
	size_t i, j;

	for (i = 1; i < n; i++) {
		x = v[i];
		for (j = i; j > 0; j--) {
			bool xk = x->kind == k, pk = v[j - 1]->kind == k;
			int c;

			/* items of kind k first; within them the list order */
			if (xk && !pk)
				c = -1;
			else if (!xk)
				c = 1;
			else
				c = part_cmp(x, v[j - 1]);
			if (c >= 0)
				break;
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
}

struct part_votes {
	struct strmap *by;              /* voter -> (void *)(uintptr_t)(choice + 1) */
	size_t nchoices;
	int64_t total;
	int64_t counts[PART_CHOICES_MAX];
};

/* An empty set. */
struct part_votes *
part_votes_create(size_t nchoices)
{
	struct part_votes *v = xcalloc(1, sizeof *v);

	v->by = strmap_create();
	v->nchoices = nchoices > PART_CHOICES_MAX ? PART_CHOICES_MAX : nchoices;
	return v;
}

/* Frees it. */
void
part_votes_free(struct part_votes *v)
{
	if (v == NULL)
		return;
	strmap_free(v->by);
	free(v);
}

/* Records voter's vote. */
int
part_votes_set(struct part_votes *v, const char *voter, int choice)
{
	void *old;

	if (choice < 0 || (v->nchoices == 0 && choice != 0) ||
	    (v->nchoices > 0 && (size_t)choice >= v->nchoices))
		return -1;
	old = strmap_put(v->by, voter, (void *)(uintptr_t)(choice + 1));
	if (old != NULL && (int)((uintptr_t)old - 1) == choice)
		return 0;
	if (old == NULL)
		v->total++;
	else if (v->nchoices > 0)
		v->counts[(uintptr_t)old - 1]--;
	if (v->nchoices > 0)
		v->counts[choice]++;
	return 1;
}

/* Forgets voter's vote. */
int
part_votes_clear(struct part_votes *v, const char *voter)
{
	void *old = strmap_del(v->by, voter);

	if (old == NULL)
		return 0;
	v->total--;
	if (v->nchoices > 0)
		v->counts[(uintptr_t)old - 1]--;
	return 1;
}

/* voter's choice, or -1. */
int
part_votes_get(const struct part_votes *v, const char *voter)
{
	void *c = strmap_get(v->by, voter);

	return c != NULL ? (int)((uintptr_t)c - 1) : -1;
}

/* How many voters. */
int64_t
part_votes_total(const struct part_votes *v)
{
	return v->total;
}

/* Votes per choice, or NULL. */
const int64_t *
part_votes_counts(const struct part_votes *v)
{
	return v->nchoices > 0 ? v->counts : NULL;
}

/* The next voter of a walk. */
const char *
part_votes_next(const struct part_votes *v, size_t *pos, int *choice)
{
	const char *key;
	void *c = strmap_next(v->by, pos, &key);

	if (c == NULL)
		return NULL;
	if (choice != NULL)
		*choice = (int)((uintptr_t)c - 1);
	return key;
}

/* Moves the votes of from into into; a voter of both counts once. */
size_t
part_votes_merge(struct part_votes *into, struct part_votes *from)
{
	const char *voter;
	size_t pos = 0, added = 0;
	int choice;

	while ((voter = part_votes_next(from, &pos, &choice)) != NULL) {
		if (part_votes_get(into, voter) < 0 &&
		    part_votes_set(into, voter, into->nchoices > 0 ? choice : 0) == 1)
			added++;
	}
	strmap_free(from->by);
	from->by = strmap_create();
	from->total = 0;
	memset(from->counts, 0, sizeof from->counts);
	return added;
}
