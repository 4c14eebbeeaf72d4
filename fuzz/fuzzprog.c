/* fuzzprog.c: invariants of an imported program, shared by the importer targets. */
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzzprog.h"
#include "fuzz/fuzzutil.h"
#include "util/tztime.h"
#include "util/utf8.h"

/* The most a time may be (9999-12-31, as program.c allows). */
#define FUZZPROG_MAX_TIME 253402300799999LL

/* True when s is a valid session id: 1..32 bytes of [a-z0-9_-]. */
static int
fuzzprog_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 32 && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* True when s is NUL-terminated well-formed UTF-8 of at most max bytes. */
static int
fuzzprog_str_ok(const char *s, size_t max)
{
	return s != NULL && strlen(s) <= max && utf8_valid(s, strlen(s));
}

/* Checks one session. */
static void
fuzzprog_check_session(const struct session *s)
{
	size_t i;

	FUZZ_CHECK(fuzzprog_id_ok(s->id));
	FUZZ_CHECK(fuzzprog_str_ok(s->title, PROGRAM_MAX_TITLE) && s->title[0] != '\0');
	FUZZ_CHECK(fuzzprog_str_ok(s->description, PROGRAM_MAX_DESCRIPTION));
	FUZZ_CHECK((int)s->kind >= 0 && s->kind < SK__COUNT);
	FUZZ_CHECK(s->start_ms >= 0 && s->start_ms < s->end_ms && s->end_ms <= FUZZPROG_MAX_TIME);
	FUZZ_CHECK(s->nspeakers <= PROGRAM_MAX_SPEAKERS);
	for (i = 0; i < s->nspeakers; i++)
		FUZZ_CHECK(fuzzprog_str_ok(s->speakers[i], PROGRAM_MAX_SPEAKER) &&
		    s->speakers[i][0] != '\0');
	FUZZ_CHECK(s->room == NULL || (fuzzprog_id_ok(s->room) && s->room[0] != '_' &&
	    s->room[0] != '-'));
}

/* Checks the conference days: ascending, each holding a session, each session in one. */
static void
fuzzprog_check_days(const struct program *p)
{
	size_t i, nheld = 0;
	int d, last = -1;

	FUZZ_CHECK((p->ndays == 0) == (p->nsessions == 0));
	FUZZ_CHECK(program_days(p, NULL, 0) == p->ndays);
	for (i = 1; i < p->ndays; i++)
		FUZZ_CHECK(p->days[i - 1] < p->days[i]);
	for (i = 0; i < p->nsessions; i++) {
		d = program_day_index(p, &p->sessions[i]);
		FUZZ_CHECK(d >= 0 && (size_t)d < p->ndays && d >= last);
		FUZZ_CHECK(p->days[d] <= p->sessions[i].start_ms);
		FUZZ_CHECK(program_day_at(p, p->sessions[i].start_ms) == d);
		if (d != last)
			nheld++;
		last = d;
	}
	FUZZ_CHECK(nheld == p->ndays);
	for (i = 0; i < p->ndays; i++)
		FUZZ_CHECK(program_day_label_ms(p, i) >= p->days[i]);
}

/* Reads the wire form of p back as text, as a client does. New program. */
static struct program *
fuzzprog_reread(const struct program *p, json_t **wire)
{
	struct program *q;
	json_t *again;
	char *text, *cause = NULL;

	*wire = program_to_json(p);
	text = json_dumps(*wire, JSON_COMPACT);
	FUZZ_CHECK(text != NULL);
	again = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	FUZZ_CHECK(again != NULL);
	q = program_from_json(again, &cause);
	if (q == NULL)
		fuzzutil_fail(__FILE__, __LINE__, "the wire form is refused: %s\n%s", cause, text);
	json_decref(again);
	free(text);
	return q;
}

/* Checks what a program promises, and its round trip. */
void
fuzzprog_check(const struct program *p)
{
	struct program *q;
	json_t *wire, *wq;
	size_t i;

	FUZZ_CHECK(fuzzprog_str_ok(p->title, PROGRAM_MAX_TITLE) && p->title[0] != '\0');
	FUZZ_CHECK(p->timezone != NULL && tz_valid(p->timezone));
	FUZZ_CHECK(p->version != NULL && strlen(p->version) == 16 &&
	    strspn(p->version, "0123456789abcdef") == 16);
	FUZZ_CHECK(p->nsessions <= PROGRAM_MAX_SESSIONS);
	for (i = 0; i < p->nsessions; i++) {
		fuzzprog_check_session(&p->sessions[i]);
		if (i > 0) {
			FUZZ_CHECK(p->sessions[i - 1].start_ms <= p->sessions[i].start_ms);
			if (p->sessions[i - 1].start_ms == p->sessions[i].start_ms)
				FUZZ_CHECK(strcmp(p->sessions[i - 1].id, p->sessions[i].id) < 0);
		}
		FUZZ_CHECK(program_find(p, p->sessions[i].id) == &p->sessions[i]);
	}
	fuzzprog_check_days(p);

	q = fuzzprog_reread(p, &wire);
	wq = program_to_json(q);
	FUZZ_CHECK(json_equal(wire, wq));
	FUZZ_CHECK(strcmp(p->version, q->version) == 0);
	json_decref(wq);
	program_free(q);
	q = program_copy(p);
	wq = program_to_json(q);
	FUZZ_CHECK(json_equal(wire, wq));
	json_decref(wq);
	program_free(q);
	json_decref(wire);
}

/* Checks an importer's error message. */
void
fuzzprog_check_cause(char *cause)
{
	FUZZ_CHECK(cause != NULL && cause[0] != '\0');
	if (!fuzzutil_safe_text(cause, strlen(cause), ""))
		fuzzutil_fail(__FILE__, __LINE__, "unsafe error message: %s", cause);
	free(cause);
}
