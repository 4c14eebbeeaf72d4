/* test_pres.c: unit tests of presence across hubs without a server: the table of the
 * other hubs' members (hub/store_pres.c: the union over hubs, a hub's whole set read
 * again, stopped hubs dropped, serials) and the texts the hub core gives the store
 * (hub/hub_pres.c: info and event). With Redis: tests/integration/test_redis.py. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hub/hub_int.h"
#include "hub/store_pres.h"

/* What the table reported, as "room/name+info" (arrived), "room/name=info" (changed) or
 * "room/name-" (gone) lines. */
struct seen {
	char text[1024];
	unsigned n;
};

/* store_pres_fn: records a change of the union. */
static void
note(void *arg, const char *room, const char *name, const char *info, bool arrived)
{
	struct seen *s = arg;
	size_t len = strlen(s->text);

	if (info != NULL)
		snprintf(s->text + len, sizeof s->text - len, "%s/%s%s%s;", room, name,
		    arrived ? "+" : "=", info);
	else
		snprintf(s->text + len, sizeof s->text - len, "%s/%s-;", room, name);
	s->n++;
}

/* Resets what was seen. */
static void
seen_clear(struct seen *s)
{
	s->text[0] = '\0';
	s->n = 0;
}

/* The union: a name on two hubs is one member; it leaves when the last hub drops it. */
static void
test_union(void **state)
{
	struct store_pres *p = store_pres_create();
	struct seen s = { "", 0 };

	(void)state;
	store_pres_set(p, "hubA", "lobby", "ann", "1 ", note, &s);
	assert_string_equal(s.text, "lobby/ann+1 ;");
	seen_clear(&s);
	store_pres_set(p, "hubA", "lobby", "ann", "1 ", note, &s);   /* the same: nothing */
	assert_int_equal(s.n, 0);
	store_pres_set(p, "hubB", "lobby", "ann", "2 back soon", note, &s);
	assert_string_equal(s.text, "lobby/ann=2 back soon;");
	assert_int_equal(store_pres_count(p), 1);
	seen_clear(&s);
	store_pres_set(p, "hubB", "lobby", "ann", NULL, note, &s);   /* A still has her */
	assert_string_equal(s.text, "lobby/ann=1 ;");
	assert_string_equal(store_pres_info(p, "lobby", "ann"), "1 ");
	seen_clear(&s);
	store_pres_set(p, "hubA", "lobby", "ann", NULL, note, &s);
	assert_string_equal(s.text, "lobby/ann-;");
	assert_null(store_pres_info(p, "lobby", "ann"));
	assert_int_equal(store_pres_count(p), 0);
	seen_clear(&s);
	store_pres_set(p, "hubA", "lobby", "ann", NULL, note, &s);   /* not there: nothing */
	assert_int_equal(s.n, 0);
	store_pres_free(p);
}

/* store_pres_each: collects names into a string. */
static void
collect(void *arg, const char *name, const char *info)
{
	struct seen *s = arg;

	(void)info;
	s->n++;
	strncat(s->text, name, sizeof s->text - strlen(s->text) - 1);
}

/* A hub's whole set read again: what left is reported gone, what came new. */
static void
test_replace_drop(void **state)
{
	struct store_pres *p = store_pres_create();
	struct seen s = { "", 0 };
	const char *fields[] = { "hack\nbob", "lobby\ncat" };
	const char *infos[] = { "5 ", "6 " };

	(void)state;
	store_pres_set(p, "hubA", "lobby", "ann", "1 ", NULL, NULL);
	store_pres_set(p, "hubA", "hack", "bob", "2 ", NULL, NULL);
	store_pres_replace(p, "hubA", fields, infos, 2, note, &s);
	assert_non_null(strstr(s.text, "lobby/ann-;"));
	assert_non_null(strstr(s.text, "hack/bob=5 ;"));
	assert_non_null(strstr(s.text, "lobby/cat+6 ;"));
	assert_int_equal(s.n, 3);
	seen_clear(&s);
	store_pres_each(p, "lobby", collect, &s);
	assert_string_equal(s.text, "cat");
	seen_clear(&s);
	store_pres_drop(p, "hubA", note, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(store_pres_count(p), 0);
	assert_int_equal(store_pres_serial(p, "hubA"), 0);
	store_pres_free(p);
}

/* Stopped hubs are dropped: not live and quiet for long enough; serials kept. */
static void
test_prune_serial(void **state)
{
	struct store_pres *p = store_pres_create();
	struct seen s = { "", 0 };
	const char *live[] = { "hubB" };

	(void)state;
	store_pres_set(p, "hubA", "lobby", "ann", "1 ", NULL, NULL);
	store_pres_heard(p, "hubA", 7, 1000);
	store_pres_set(p, "hubB", "lobby", "bob", "1 ", NULL, NULL);
	store_pres_heard(p, "hubB", 3, 1000);
	store_pres_set(p, "hubC", "lobby", "cat", "1 ", NULL, NULL);
	store_pres_heard(p, "hubC", 1, 9000);
	assert_int_equal(store_pres_serial(p, "hubA"), 7);
	/* at 5000 with 10000 quiet: nobody is dropped yet */
	store_pres_prune(p, live, 1, 5000, 10000, note, &s);
	assert_int_equal(s.n, 0);
	/* at 12000: A (heard at 1000, not live) goes; B is live; C was heard at 9000 */
	store_pres_prune(p, live, 1, 12000, 10000, note, &s);
	assert_string_equal(s.text, "lobby/ann-;");
	assert_int_equal(store_pres_serial(p, "hubA"), 0);
	assert_int_equal(store_pres_serial(p, "hubB"), 3);
	assert_int_equal(store_pres_count(p), 2);
	store_pres_free(p);
}

/* A field splits at its newline; one without is refused. */
static void
test_field(void **state)
{
	char *f = store_pres_field("d2-open", "Ann Smith"), *name, bad[] = "lobby";

	(void)state;
	assert_int_equal(store_pres_split(f, &name), 0);
	assert_string_equal(f, "d2-open");
	assert_string_equal(name, "Ann Smith");
	assert_int_equal(store_pres_split(bad, &name), -1);
	free(f);
}

/* The hub's texts: info "<ms> <away>" and event "<action>[\n<message>]" read back. */
static void
test_hub_texts(void **state)
{
	enum proto_presence action;
	const char *away, *message;
	int64_t entered;
	char *info, *event;

	(void)state;
	info = hub_pres_info(1796337562322, "at lunch, back at 2");
	assert_int_equal(hub_pres_info_parse(info, &entered, &away), 0);
	assert_true(entered == 1796337562322);
	assert_string_equal(away, "at lunch, back at 2");
	free(info);
	info = hub_pres_info(5, NULL);
	assert_int_equal(hub_pres_info_parse(info, &entered, &away), 0);
	assert_null(away);
	free(info);
	assert_int_equal(hub_pres_info_parse("", &entered, &away), -1);
	assert_int_equal(hub_pres_info_parse("12", &entered, &away), -1);

	event = hub_pres_event(PRES_QUIT, "see you\ntomorrow");
	assert_int_equal(hub_pres_event_parse(event, &action, &message), 0);
	assert_int_equal(action, PRES_QUIT);
	assert_string_equal(message, "see you\ntomorrow");
	free(event);
	event = hub_pres_event(PRES_PART, "ignored for a part");
	assert_int_equal(hub_pres_event_parse(event, &action, &message), 0);
	assert_int_equal(action, PRES_PART);
	assert_null(message);
	free(event);
	assert_int_equal(hub_pres_event_parse("joined", &action, &message), -1);
	assert_int_equal(hub_pres_event_parse("", &action, &message), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_union),
		cmocka_unit_test(test_replace_drop),
		cmocka_unit_test(test_prune_serial),
		cmocka_unit_test(test_field),
		cmocka_unit_test(test_hub_texts),
	};

	return cmocka_run_group_tests_name("pres", tests, NULL, NULL);
}
