/* test_store.c: unit tests of the hub's stores (hub/store.h): the memory store, the SQLite
 * store in a temporary directory (durability across reopening, the epoch, only-new values,
 * removal, trimming, export walks, every refusal of a bad database), and the group logic
 * of store_sync.c with a backend that fails on demand. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "hub/store.h"
#include "hub/store_int.h"
#include "util/log.h"
#include "util/xalloc.h"

/* What a watch saw. */
struct seen {
	char log[8192];
	size_t len;
	int events, values, removed, heads, counts;
};

/* Appends a formatted line to the log of what was seen. */
static void __attribute__((format(printf, 2, 3)))
seen_add(struct seen *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(s->log + s->len, sizeof s->log - s->len, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof s->log - s->len)
		s->len += (size_t)n;
}

static void
w_event(void *arg, const struct store_event *ev)
{
	struct seen *s = arg;

	s->events++;
	seen_add(s, "E %s %llu %lld %s %s\n", ev->stream, (unsigned long long)ev->seq,
	    (long long)ev->ts, ev->cid != NULL ? ev->cid : "-", ev->data);
}

static void
w_value(void *arg, const char *key, const char *value)
{
	struct seen *s = arg;

	s->values++;
	seen_add(s, "V %s %s\n", key, value != NULL ? value : "(deleted)");
}

static void
w_removed(void *arg, const char *stream, uint64_t seq)
{
	struct seen *s = arg;

	s->removed++;
	seen_add(s, "R %s %llu\n", stream, (unsigned long long)seq);
}

static void
w_head(void *arg, const char *stream, uint64_t last)
{
	struct seen *s = arg;

	s->heads++;
	seen_add(s, "H %s %llu\n", stream, (unsigned long long)last);
}

static void
w_count(void *arg, const char *name, uint64_t total)
{
	struct seen *s = arg;

	s->counts++;
	seen_add(s, "C %s %llu\n", name, (unsigned long long)total);
}

/* A watch into s. */
static struct store_watch
watch_of(struct seen *s)
{
	struct store_watch w = { s, w_event, w_value, w_removed, w_head, w_count, NULL };

	memset(s, 0, sizeof *s);
	return w;
}

/* A completion that records result and seq into an int64 pair. */
struct done {
	int calls;
	enum store_result result;
	uint64_t seq;
};

static void
done_cb(void *arg, enum store_result result, uint64_t seq)
{
	struct done *d = arg;

	d->calls++;
	d->result = result;
	d->seq = seq;
}

/* A new temporary directory (freed by rm_rf). */
static char *
tmpdir(void)
{
	char *d = xstrdup("/tmp/confab-test-store-XXXXXX");

	if (mkdtemp(d) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	return d;
}

/* Removes a directory and the files in it (one level). */
static void
rm_rf(char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	if (system(cmd) != 0)
		fail_msg("%s failed", cmd);
	free(cmd);
	free(dir);
}

/* The memory store: seqs per stream, values, only-new, nothing kept. */
static void
test_memory(void **state)
{
	struct store *st = store_memory_create();
	struct store_watch w;
	struct seen s;
	struct done a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };
	char *cause = NULL, *v;

	(void)state;
	w = watch_of(&s);
	assert_int_equal(store_load(st, &w, 20, &cause), 0);
	assert_false(store_durable(st));
	assert_string_equal(store_kind(st), "memory");
	assert_int_equal(strlen(store_epoch(st)), 16);
	store_append(st, "room:a", 5, "c1", "{\"x\":1}", 7, done_cb, &a);
	store_append(st, "room:a", 6, NULL, "{\"x\":2}", 7, done_cb, &b);
	store_put(st, "k", "{}", true, done_cb, &c);
	store_put(st, "k", "{\"again\":1}", true, done_cb, &d);
	assert_true(store_pending(st));
	assert_int_equal(a.calls, 0);          /* nothing before the flush */
	store_flush(st);
	assert_false(store_pending(st));
	assert_int_equal(a.seq, 1);
	assert_int_equal(b.seq, 2);
	assert_int_equal(c.result, STORE_OK);
	assert_int_equal(d.result, STORE_EXISTS);   /* a put earlier in the same group */
	assert_int_equal(s.events, 2);
	assert_int_equal(s.values, 1);
	assert_non_null(strstr(s.log, "E room:a 1 5 c1 {\"x\":1}"));
	v = store_get(st, "k");
	assert_string_equal(v, "{}");
	free(v);
	store_free(st);
}

/* Opens the SQLite store in dir or fails the test. */
static struct store *
open_sqlite(const char *dir)
{
	char *cause = NULL;
	struct store *st = store_sqlite_open(dir, &cause);

	if (st == NULL)
		fail_msg("store_sqlite_open: %s", cause);
	return st;
}

/* SQLite: what was written is there after closing and opening again, numbering goes on,
 * the epoch is kept, a removed event is gone, trimming keeps the numbering. */
static void
test_sqlite_durable(void **state)
{
	char *dir = tmpdir(), *cause = NULL, epoch[17], *v;
	struct store *st;
	struct store_watch w;
	struct seen s;
	struct done d = { 0 };
	int i;

	(void)state;
	st = open_sqlite(dir);
	w = watch_of(&s);
	assert_int_equal(store_load(st, &w, 20, &cause), 0);
	assert_true(store_durable(st));
	snprintf(epoch, sizeof epoch, "%s", store_epoch(st));
	for (i = 0; i < 30; i++)
		store_append(st, "room:lobby", 1000 + i, i == 3 ? "cid3" : NULL, "{\"n\":1}", 7,
		    done_cb, &d);
	store_append(st, "user:bob", 2000, NULL, "{\"pm\":1}", 8, NULL, NULL);
	store_put(st, "timer/main", "{\"state\":\"running\"}", false, NULL, NULL);
	store_put(st, "gone", "{}", false, NULL, NULL);
	store_flush(st);
	assert_int_equal(d.seq, 30);
	store_del(st, "gone", NULL, NULL);
	store_remove(st, "room:lobby", 7, done_cb, &d);
	store_flush(st);
	assert_int_equal(d.result, STORE_OK);
	assert_int_equal(s.removed, 1);
	store_free(st);

	st = open_sqlite(dir);
	assert_string_equal(store_epoch(st), epoch);
	w = watch_of(&s);
	assert_int_equal(store_load(st, &w, 20, &cause), 0);
	assert_non_null(strstr(s.log, "V timer/main {\"state\":\"running\"}"));
	assert_null(strstr(s.log, "V gone"));
	assert_non_null(strstr(s.log, "H room:lobby 30"));
	assert_non_null(strstr(s.log, "H user:bob 1"));
	/* the last 20 of the lobby: 11..30, and 7 (removed) is not among them anyway */
	assert_null(strstr(s.log, "E room:lobby 10 "));
	assert_non_null(strstr(s.log, "E room:lobby 11 1010 - {\"n\":1}"));
	assert_non_null(strstr(s.log, "E room:lobby 30 1029"));
	store_append(st, "room:lobby", 3000, NULL, "{\"n\":2}", 7, done_cb, &d);
	store_flush(st);
	assert_int_equal(d.seq, 31);                /* the numbering goes on */
	v = store_get(st, "timer/main");
	assert_string_equal(v, "{\"state\":\"running\"}");
	free(v);
	/* trimming deletes old events, keeps the numbering */
	assert_int_equal(store_trim(st, "room:", 1010, &cause), 9);   /* ts 1000..1009 less 7 */
	store_append(st, "room:lobby", 3001, NULL, "{\"n\":3}", 7, done_cb, &d);
	store_flush(st);
	assert_int_equal(d.seq, 32);
	store_free(st);
	rm_rf(dir);
}

/* Counts the events of an export walk. */
static int
count_event(void *arg, const struct store_event *ev)
{
	(void)ev;
	(*(int *)arg)++;
	return 0;
}

/* The walk used by --export: stream by stream, oldest first, by prefix. */
static void
test_sqlite_each(void **state)
{
	char *dir = tmpdir(), *cause = NULL;
	struct store *st = open_sqlite(dir);
	struct store_watch w;
	struct seen s;
	int n = 0;

	(void)state;
	w = watch_of(&s);
	assert_int_equal(store_load(st, &w, 20, &cause), 0);
	store_append(st, "room:b", 1, NULL, "{}", 2, NULL, NULL);
	store_append(st, "room:a", 2, NULL, "{}", 2, NULL, NULL);
	store_append(st, "user:x", 3, NULL, "{}", 2, NULL, NULL);
	store_append(st, "room:a", 4, NULL, "{}", 2, NULL, NULL);
	store_flush(st);
	assert_int_equal(store_each_event(st, "room:", count_event, &n, &cause), 0);
	assert_int_equal(n, 3);
	n = 0;
	assert_int_equal(store_each_event(st, "user:", count_event, &n, &cause), 0);
	assert_int_equal(n, 1);
	store_free(st);
	rm_rf(dir);
}

/* A database that is locked, damaged, foreign or newer is refused with the file's name,
 * and never rewritten. */
static void
test_sqlite_refusals(void **state)
{
	char *dir = tmpdir(), *cause = NULL, *path, *sql, buf[64];
	struct store *st, *st2;
	struct stat before, after;
	int fd;

	(void)state;
	path = xasprintf("%s/confabd.db", dir);
	/* a second hub on the same directory */
	st = open_sqlite(dir);
	st2 = store_sqlite_open(dir, &cause);
	assert_null(st2);
	assert_non_null(strstr(cause, "in use by another confabd"));
	assert_non_null(strstr(cause, path));
	free(cause);
	store_free(st);

	/* a newer schema */
	sql = xasprintf("sqlite3 '%s' 'PRAGMA user_version = 99'", path);
	assert_int_equal(system(sql), 0);
	free(sql);
	assert_null(store_sqlite_open(dir, &cause));
	assert_non_null(strstr(cause, "written by a newer confabd (schema 99"));
	free(cause);

	/* another program's database */
	unlink(path);
	sql = xasprintf("sqlite3 '%s' 'CREATE TABLE t(x); INSERT INTO t VALUES (1)'", path);
	assert_int_equal(system(sql), 0);
	free(sql);
	assert_null(store_sqlite_open(dir, &cause));
	assert_non_null(strstr(cause, "another program"));
	free(cause);

	/* not a database at all: never reset */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	memset(buf, 'x', sizeof buf);
	assert_int_equal(write(fd, buf, sizeof buf), (ssize_t)sizeof buf);
	close(fd);
	assert_int_equal(stat(path, &before), 0);
	assert_null(store_sqlite_open(dir, &cause));
	assert_non_null(strstr(cause, path));
	free(cause);
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(before.st_size, after.st_size);

	/* damaged: a real database with its pages overwritten in the middle */
	unlink(path);
	st = open_sqlite(dir);
	assert_int_equal(store_load(st, &(struct store_watch){ 0 }, 20, &cause), 0);
	for (int i = 0; i < 400; i++)
		store_append(st, "room:lobby", i, NULL, "{\"text\":\"xxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}", 83, NULL, NULL);
	store_flush(st);
	store_free(st);
	sql = xasprintf("sqlite3 '%s' 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null", path);
	assert_int_equal(system(sql), 0);
	free(sql);
	fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	memset(buf, 0x5a, sizeof buf);
	for (off_t off = 4096; off < 4096 * 6; off += 4096)   /* the pages' headers */
		assert_int_equal(pwrite(fd, buf, sizeof buf, off), (ssize_t)sizeof buf);
	close(fd);
	assert_null(store_sqlite_open(dir, &cause));
	assert_non_null(strstr(cause, path));
	assert_non_null(strstr(cause, "never resets"));
	free(cause);

	/* a FIFO where the database should be */
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(store_sqlite_open(dir, &cause));
	assert_non_null(strstr(cause, "not a regular file"));
	free(cause);
	free(path);
	rm_rf(dir);
}

/* A backend whose group fails on demand, to test store_sync.c. */
struct failing {
	struct store_sync sync;
	bool fail_commit;
	int commits, rollbacks;
};

static int f_begin(struct store_sync *ss) { (void)ss; return 0; }
static int f_op(struct store_sync *ss, const struct store_op *op) { (void)ss; (void)op; return 0; }
static int f_exists(struct store_sync *ss, const char *k, bool *e) { (void)ss; (void)k; *e = false; return 0; }
static int
f_commit(struct store_sync *ss)
{
	struct failing *f = (struct failing *)ss;

	f->commits++;
	return f->fail_commit ? -1 : 0;
}
static void f_rollback(struct store_sync *ss) { ((struct failing *)ss)->rollbacks++; }
static void f_free(struct store *st) { store_sync_clear((struct store_sync *)st); free(st); }
static int f_load(struct store *st, size_t k, char **c) { (void)st; (void)k; (void)c; return 0; }

/* A failed group completes every write with STORE_FAILED, reports nothing, and gives
 * the numbering back; the next group goes on from there. */
static void
test_sync_failure(void **state)
{
	static const struct store_sync_ops sops = { f_begin, f_op, f_exists, f_op, f_op, f_op,
	    f_commit, f_rollback };
	static struct store_ops ops;
	struct failing *f = xcalloc(1, sizeof *f);
	struct store_watch w;
	struct seen s;
	struct done a = { 0 }, b = { 0 };
	char *cause = NULL;

	(void)state;
	ops.kind = "failing";
	ops.free = f_free;
	ops.load = f_load;
	ops.append = store_sync_append;
	ops.put = store_sync_put;
	ops.del = store_sync_del;
	ops.remove = store_sync_remove;
	ops.flush = store_sync_flush;
	ops.pending = store_sync_pending;
	f->sync.base.ops = &ops;
	f->sync.sops = &sops;
	store_sync_init(&f->sync);
	w = watch_of(&s);
	assert_int_equal(store_load(&f->sync.base, &w, 20, &cause), 0);
	store_append(&f->sync.base, "room:x", 1, NULL, "{}", 2, done_cb, &a);
	store_flush(&f->sync.base);
	assert_int_equal(a.seq, 1);
	f->fail_commit = true;
	store_append(&f->sync.base, "room:x", 2, NULL, "{}", 2, done_cb, &a);
	store_put(&f->sync.base, "k", "{}", false, done_cb, &b);
	store_flush(&f->sync.base);
	assert_int_equal(a.result, STORE_FAILED);
	assert_int_equal(a.seq, 0);
	assert_int_equal(b.result, STORE_FAILED);
	assert_int_equal(f->rollbacks, 1);
	assert_int_equal(s.events, 1);               /* only the first group's */
	assert_int_equal(s.values, 0);
	f->fail_commit = false;
	store_append(&f->sync.base, "room:x", 3, NULL, "{}", 2, done_cb, &a);
	store_flush(&f->sync.base);
	assert_int_equal(a.result, STORE_OK);
	assert_int_equal(a.seq, 2);                  /* the failed group's number again */
	store_free(&f->sync.base);
}

/* Counts the calls of a wake function. */
static void
wake_cb(void *arg)
{
	(*(int *)arg)++;
}

/* Counts the other hubs' members (store_presence_each). */
static void
member_cb(void *arg, const char *name, const char *info)
{
	(void)name;
	(void)info;
	(*(int *)arg)++;
}

/* What the shared stores added to the interface, as the embedded stores honour it: a
 * count is reported as the sum at once; they are always available; completions come
 * from store_flush() only, so the wake function is never called; presence is a no-op. */
static void
test_shared_interface(void **state)
{
	struct store *st = store_memory_create();
	struct store_watch w;
	struct seen s;
	struct done a = { 0 };
	const char *why = "x";
	char *cause = NULL;
	int wakes = 0, members = 0;

	(void)state;
	w = watch_of(&s);
	assert_int_equal(store_load(st, &w, 20, &cause), 0);
	store_set_wake(st, wake_cb, &wakes);
	store_count(st, "room:lobby", 3);
	assert_string_equal(s.log, "C room:lobby 3\n");
	store_count(st, "room:lobby", 0);
	assert_int_equal(s.counts, 2);
	assert_true(store_available(st, &why));
	assert_null(why);
	/* presence: one hub, nothing to share: not pending, no other hub's members */
	store_presence(st, "lobby", "amy", "1 ", "join");
	assert_false(store_pending(st));
	store_presence_each(st, "lobby", member_cb, &members);
	assert_int_equal(members, 0);
	store_append(st, "room:lobby", 1, NULL, "{}", 2, done_cb, &a);
	store_flush(st);
	assert_int_equal(a.calls, 1);
	assert_int_equal(wakes, 0);
	assert_int_equal(s.events + s.values + s.counts, 3);   /* no presence report */
	store_free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_sqlite_durable),
		cmocka_unit_test(test_sqlite_each),
		cmocka_unit_test(test_sqlite_refusals),
		cmocka_unit_test(test_sync_failure),
		cmocka_unit_test(test_shared_interface),
	};

	log_init(NULL, LOG_ERR);
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
