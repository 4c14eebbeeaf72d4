/* store_sqlite.c: the durable store (confabd --data-dir DIR): SQLite in WAL mode.
 *
 * DIR/confabd.db holds four tables: meta (schema and epoch), streams (the last seq of
 * every stream ever written), events (stream, seq, time, cid, data) and kv (values).
 * Writes are grouped: one transaction per store_flush(), committed with synchronous=FULL,
 * so a group is on disk before any of its writes completes. DIR/confabd.lock (flock) keeps
 * a second confabd out. A file that is locked, damaged, foreign or of a newer schema is
 * refused with a message naming it; nothing here ever resets or rewrites a database it
 * did not create. PRAGMA user_version is the schema version: store_sqlite_migrate() takes
 * an older database forward one version at a time. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "hub/store_int.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define STORE_SQLITE_SCHEMA 1
#define STORE_SQLITE_APP_ID 0x434e4642   /* "CNFB": marks confabd's databases */
#define STORE_SQLITE_DB "confabd.db"
#define STORE_SQLITE_LOCK "confabd.lock"

enum {
	SQ_BEGIN, SQ_COMMIT, SQ_ROLLBACK, SQ_INSERT_EVENT, SQ_SET_HEAD, SQ_PUT, SQ_DEL,
	SQ_EXISTS, SQ_REMOVE, SQ_GET, SQ__COUNT
};

static const char *const store_sqlite_sql[SQ__COUNT] = {
	"BEGIN IMMEDIATE",
	"COMMIT",
	"ROLLBACK",
	"INSERT INTO events(stream, seq, ts, cid, data) VALUES (?1, ?2, ?3, ?4, ?5)",
	"INSERT INTO streams(name, last) VALUES (?1, ?2) "
	    "ON CONFLICT(name) DO UPDATE SET last = excluded.last",
	"INSERT INTO kv(key, value) VALUES (?1, ?2) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	"DELETE FROM kv WHERE key = ?1",
	"SELECT 1 FROM kv WHERE key = ?1",
	"DELETE FROM events WHERE stream = ?1 AND seq = ?2",
	"SELECT value FROM kv WHERE key = ?1",
};

/* The schema of version 1. */
static const char store_sqlite_schema1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE streams(name TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TABLE events(stream TEXT NOT NULL, seq INTEGER NOT NULL, ts INTEGER NOT NULL,"
	" cid TEXT, data TEXT NOT NULL, PRIMARY KEY(stream, seq)) WITHOUT ROWID;"
	"CREATE INDEX events_ts ON events(ts);"
	"CREATE TABLE kv(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;";

struct store_sqlite {
	struct store_sync sync;      /* first */
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ__COUNT];
	char *path;                  /* DIR/confabd.db, for messages */
	int lockfd;
	bool in_tx;
};

/* Sets *cause to "path: message" with SQLite's own words for the last error. */
static void
store_sqlite_error(const struct store_sqlite *sq, char **cause, const char *what)
{
	*cause = xasprintf("%s: %s (%s)", sq->path, what, sqlite3_errmsg(sq->db));
}

/* Runs one statement with no result; -1 on error (logged). */
static int
store_sqlite_step(struct store_sqlite *sq, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		log_err("store: %s: %s", sq->path, sqlite3_errmsg(sq->db));
		return -1;
	}
	return 0;
}

/* Binds a text (NULL: SQL NULL). */
static void
store_sqlite_text(sqlite3_stmt *st, int i, const char *s, size_t len)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, (int)len, SQLITE_STATIC);
}

/* BEGIN of a group. */
static int
store_sqlite_begin(struct store_sync *ss)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;

	if (store_sqlite_step(sq, sq->stmt[SQ_BEGIN]) != 0)
		return -1;
	sq->in_tx = true;
	return 0;
}

/* Inserts an event and moves its stream's head. */
static int
store_sqlite_append(struct store_sync *ss, const struct store_op *op)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;
	sqlite3_stmt *st = sq->stmt[SQ_INSERT_EVENT];

	store_sqlite_text(st, 1, op->name, strlen(op->name));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	sqlite3_bind_int64(st, 3, op->ts);
	store_sqlite_text(st, 4, op->cid, op->cid != NULL ? strlen(op->cid) : 0);
	store_sqlite_text(st, 5, op->data, op->len);
	if (store_sqlite_step(sq, st) != 0)
		return -1;
	st = sq->stmt[SQ_SET_HEAD];
	store_sqlite_text(st, 1, op->name, strlen(op->name));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	return store_sqlite_step(sq, st);
}

/* Whether key has a value. */
static int
store_sqlite_exists(struct store_sync *ss, const char *key, bool *exists)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;
	sqlite3_stmt *st = sq->stmt[SQ_EXISTS];
	int rc;

	store_sqlite_text(st, 1, key, strlen(key));
	rc = sqlite3_step(st);
	*exists = rc == SQLITE_ROW;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_err("store: %s: %s", sq->path, sqlite3_errmsg(sq->db));
		return -1;
	}
	return 0;
}

/* Sets a value. */
static int
store_sqlite_put(struct store_sync *ss, const struct store_op *op)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;
	sqlite3_stmt *st = sq->stmt[SQ_PUT];

	store_sqlite_text(st, 1, op->name, strlen(op->name));
	store_sqlite_text(st, 2, op->data, op->len);
	return store_sqlite_step(sq, st);
}

/* Deletes a value. */
static int
store_sqlite_del(struct store_sync *ss, const struct store_op *op)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;
	sqlite3_stmt *st = sq->stmt[SQ_DEL];

	store_sqlite_text(st, 1, op->name, strlen(op->name));
	return store_sqlite_step(sq, st);
}

/* Removes one event. */
static int
store_sqlite_remove(struct store_sync *ss, const struct store_op *op)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;
	sqlite3_stmt *st = sq->stmt[SQ_REMOVE];

	store_sqlite_text(st, 1, op->name, strlen(op->name));
	sqlite3_bind_int64(st, 2, (sqlite3_int64)op->seq);
	return store_sqlite_step(sq, st);
}

/* COMMIT of a group. */
static int
store_sqlite_commit(struct store_sync *ss)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;

	if (store_sqlite_step(sq, sq->stmt[SQ_COMMIT]) != 0)
		return -1;
	sq->in_tx = false;
	return 0;
}

/* ROLLBACK of a failed group (a failed COMMIT may have ended it already). */
static void
store_sqlite_rollback(struct store_sync *ss)
{
	struct store_sqlite *sq = (struct store_sqlite *)ss;

	if (!sqlite3_get_autocommit(sq->db))
		(void)store_sqlite_step(sq, sq->stmt[SQ_ROLLBACK]);
	sq->in_tx = false;
}

/* Reports values, heads and recent events to the watch. */
static int
store_sqlite_load(struct store *st, size_t keep, char **cause)
{
	struct store_sqlite *sq = (struct store_sqlite *)st;
	sqlite3_stmt *a = NULL, *b = NULL;
	struct store_event ev;
	int rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT key, value FROM kv ORDER BY key", -1, &a,
	    NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(a)) == SQLITE_ROW) {
		if (st->watch.value != NULL)
			st->watch.value(st->watch.arg, (const char *)sqlite3_column_text(a, 0),
			    (const char *)sqlite3_column_text(a, 1));
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(a);
	a = NULL;
	if (sqlite3_prepare_v2(sq->db, "SELECT name, last FROM streams ORDER BY name", -1, &a,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(sq->db, "SELECT seq, ts, cid, data FROM "
	    "events WHERE stream = ?1 AND seq > ?2 ORDER BY seq", -1, &b, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(a)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(a, 0);
		uint64_t last = (uint64_t)sqlite3_column_int64(a, 1);

		store_sync_set_head(&sq->sync, name, last);
		if (st->watch.head != NULL)
			st->watch.head(st->watch.arg, name, last);
		sqlite3_bind_text(b, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(b, 2, last > keep ? (sqlite3_int64)(last - keep) : 0);
		while ((rc = sqlite3_step(b)) == SQLITE_ROW) {
			ev.stream = name;
			ev.seq = (uint64_t)sqlite3_column_int64(b, 0);
			ev.ts = sqlite3_column_int64(b, 1);
			ev.cid = (const char *)sqlite3_column_text(b, 2);
			ev.data = (const char *)sqlite3_column_text(b, 3);
			ev.len = (size_t)sqlite3_column_bytes(b, 3);
			if (st->watch.event != NULL && ev.data != NULL)
				st->watch.event(st->watch.arg, &ev);
		}
		sqlite3_reset(b);
		if (rc != SQLITE_DONE)
			goto fail;
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return 0;
fail:
	store_sqlite_error(sq, cause, _("cannot read the state"));
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return -1;
}

/* A value as a new string, or NULL. */
static char *
store_sqlite_get(struct store *st, const char *key)
{
	struct store_sqlite *sq = (struct store_sqlite *)st;
	sqlite3_stmt *s = sq->stmt[SQ_GET];
	char *v = NULL;

	store_sqlite_text(s, 1, key, strlen(key));
	if (sqlite3_step(s) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return v;
}

/* Every event of the streams under prefix, by stream then seq. */
static int
store_sqlite_each_event(struct store *st, const char *prefix,
    int (*fn)(void *arg, const struct store_event *ev), void *arg, char **cause)
{
	struct store_sqlite *sq = (struct store_sqlite *)st;
	struct store_event ev;
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(sq->db, "SELECT stream, seq, ts, cid, data FROM events "
	    "WHERE substr(stream, 1, ?1) = ?2 ORDER BY stream, seq", -1, &s, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, _("cannot read the chat"));
		return -1;
	}
	sqlite3_bind_int(s, 1, (int)strlen(prefix));
	sqlite3_bind_text(s, 2, prefix, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ev.stream = (const char *)sqlite3_column_text(s, 0);
		ev.seq = (uint64_t)sqlite3_column_int64(s, 1);
		ev.ts = sqlite3_column_int64(s, 2);
		ev.cid = (const char *)sqlite3_column_text(s, 3);
		ev.data = (const char *)sqlite3_column_text(s, 4);
		ev.len = (size_t)sqlite3_column_bytes(s, 4);
		if (ev.stream == NULL || ev.data == NULL)
			continue;
		if (fn(arg, &ev) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		store_sqlite_error(sq, cause, _("cannot read the chat"));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

/* Deletes old events under prefix. */
static long
store_sqlite_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause)
{
	struct store_sqlite *sq = (struct store_sqlite *)st;
	sqlite3_stmt *s = NULL;
	long n;

	if (sq->sync.nqueue > 0)
		store_sync_flush(st);
	if (sqlite3_prepare_v2(sq->db, "DELETE FROM events WHERE substr(stream, 1, ?1) = ?2 "
	    "AND ts < ?3", -1, &s, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, _("cannot delete old chat"));
		return -1;
	}
	sqlite3_bind_int(s, 1, (int)strlen(prefix));
	sqlite3_bind_text(s, 2, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 3, before_ms);
	if (sqlite3_step(s) != SQLITE_DONE) {
		store_sqlite_error(sq, cause, _("cannot delete old chat"));
		sqlite3_finalize(s);
		return -1;
	}
	n = (long)sqlite3_changes(sq->db);
	sqlite3_finalize(s);
	return n;
}

/* Closes the database and frees the store. */
static void
store_sqlite_free(struct store *st)
{
	struct store_sqlite *sq = (struct store_sqlite *)st;
	int i;

	for (i = 0; i < SQ__COUNT; i++)
		sqlite3_finalize(sq->stmt[i]);
	if (sq->db != NULL && sqlite3_close(sq->db) != SQLITE_OK)
		log_warn("store: %s: %s", sq->path, sqlite3_errmsg(sq->db));
	if (sq->lockfd >= 0)
		close(sq->lockfd);   /* releases the flock */
	store_sync_clear(&sq->sync);
	free(sq->path);
	free(sq);
}

static const struct store_ops store_sqlite_ops = {
	.kind = "sqlite",
	.durable = true,
	.free = store_sqlite_free,
	.load = store_sqlite_load,
	.append = store_sync_append,
	.put = store_sync_put,
	.del = store_sync_del,
	.remove = store_sync_remove,
	.flush = store_sync_flush,
	.pending = store_sync_pending,
	.get = store_sqlite_get,
	.each_event = store_sqlite_each_event,
	.trim = store_sqlite_trim,
};

static const struct store_sync_ops store_sqlite_sync_ops = {
	.begin = store_sqlite_begin,
	.append = store_sqlite_append,
	.exists = store_sqlite_exists,
	.put = store_sqlite_put,
	.del = store_sqlite_del,
	.remove = store_sqlite_remove,
	.commit = store_sqlite_commit,
	.rollback = store_sqlite_rollback,
};

/* One integer PRAGMA's value, or -1. */
static long
store_sqlite_pragma(struct store_sqlite *sq, const char *sql)
{
	sqlite3_stmt *s = NULL;
	long v = -1;

	if (sqlite3_prepare_v2(sq->db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* Switches to write-ahead logging; true when the database is in WAL mode. */
static bool
store_sqlite_wal(struct store_sqlite *sq)
{
	sqlite3_stmt *s = NULL;
	const char *mode;
	bool ok = false;

	if (sqlite3_prepare_v2(sq->db, "PRAGMA journal_mode = WAL", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && (mode = (const char *)sqlite3_column_text(s, 0)) != NULL)
		ok = strcmp(mode, "wal") == 0;
	sqlite3_finalize(s);
	return ok;
}

/* Runs SQL text; -1 with *cause (what) on error. */
static int
store_sqlite_exec(struct store_sqlite *sq, const char *sql, const char *what, char **cause)
{
	if (sqlite3_exec(sq->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, what);
		return -1;
	}
	return 0;
}

/* Makes a new database: schema, marks, epoch. */
static int
store_sqlite_create(struct store_sqlite *sq, char **cause)
{
	char *sql;
	int rc;

	store_new_epoch(&sq->sync.base);
	sql = xasprintf("BEGIN; %s PRAGMA application_id = %d; PRAGMA user_version = %d;"
	    "INSERT INTO meta(key, value) VALUES ('epoch', '%s'); COMMIT;",
	    store_sqlite_schema1, STORE_SQLITE_APP_ID, STORE_SQLITE_SCHEMA,
	    sq->sync.base.epoch);
	rc = store_sqlite_exec(sq, sql, _("cannot create the database"), cause);
	free(sql);
	if (rc == 0)
		log_info("store: created %s", sq->path);
	return rc;
}

/* Takes an older schema forward, one version at a time (there is only version 1 yet:
 * a database of version v < STORE_SQLITE_SCHEMA gets migration v -> v + 1 here). */
static int
store_sqlite_migrate(struct store_sqlite *sq, long version, char **cause)
{
	if (version < 1 || version > STORE_SQLITE_SCHEMA) {
		*cause = xasprintf(_("%s: unknown schema version %ld"), sq->path, version);
		return -1;
	}
	return 0;
}

/* Reads the epoch from meta. */
static int
store_sqlite_read_epoch(struct store_sqlite *sq, char **cause)
{
	sqlite3_stmt *s = NULL;
	const char *e;
	int rc = -1;

	if (sqlite3_prepare_v2(sq->db, "SELECT value FROM meta WHERE key = 'epoch'", -1, &s,
	    NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
	    (e = (const char *)sqlite3_column_text(s, 0)) != NULL &&
	    strlen(e) == STORE_EPOCH_HEX && strspn(e, "0123456789abcdef") == STORE_EPOCH_HEX) {
		memcpy(sq->sync.base.epoch, e, STORE_EPOCH_HEX + 1);
		rc = 0;
	} else
		*cause = xasprintf(_("%s: the database has no valid epoch: it is damaged"),
		    sq->path);
	sqlite3_finalize(s);
	return rc;
}

/* Checks an existing database: SQLite, confabd's, a schema this hub knows, not damaged. */
static int
store_sqlite_check(struct store_sqlite *sq, bool fresh, char **cause)
{
	sqlite3_stmt *s = NULL;
	long app, version, tables;
	const char *r;
	int rc;

	tables = store_sqlite_pragma(sq, "SELECT count(*) FROM sqlite_schema");
	if (tables < 0) {
		store_sqlite_error(sq, cause, _("not a database that confabd can read"));
		return -1;
	}
	app = store_sqlite_pragma(sq, "PRAGMA application_id");
	if (tables == 0 && app == 0 && fresh)
		return store_sqlite_create(sq, cause);
	if (app != STORE_SQLITE_APP_ID) {
		*cause = xasprintf(_("%s: an SQLite database of another program (application "
		    "id %ld), not confabd's: give another --data-dir"), sq->path, app);
		return -1;
	}
	version = store_sqlite_pragma(sq, "PRAGMA user_version");
	if (version > STORE_SQLITE_SCHEMA) {
		*cause = xasprintf(_("%s: written by a newer confabd (schema %ld; this one knows "
		    "up to %d)"), sq->path, version, STORE_SQLITE_SCHEMA);
		return -1;
	}
	if (sqlite3_prepare_v2(sq->db, "PRAGMA quick_check", -1, &s, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, _("damaged"));
		return -1;
	}
	rc = sqlite3_step(s);
	r = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	if (r == NULL || strcmp(r, "ok") != 0) {
		*cause = xasprintf(_("%s: damaged (%s): restore it from a backup, or move it "
		    "away to start empty; confabd never resets it"), sq->path,
		    r != NULL ? r : sqlite3_errmsg(sq->db));
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	if (store_sqlite_migrate(sq, version, cause) != 0)
		return -1;
	return store_sqlite_read_epoch(sq, cause);
}

/* Opens (or creates) the store in dir. */
struct store *
store_sqlite_open(const char *dir, char **cause)
{
	struct store_sqlite *sq;
	struct stat sb;
	char *lockpath;
	bool fresh;
	int i;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return NULL;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		*cause = xasprintf(_("%s: not a directory"), dir);
		return NULL;
	}
	sq = xcalloc(1, sizeof *sq);
	sq->sync.base.ops = &store_sqlite_ops;
	sq->sync.sops = &store_sqlite_sync_ops;
	store_sync_init(&sq->sync);
	sq->path = xasprintf("%s/%s", dir, STORE_SQLITE_DB);
	lockpath = xasprintf("%s/%s", dir, STORE_SQLITE_LOCK);
	sq->lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (sq->lockfd < 0) {
		*cause = xasprintf("%s: %s", lockpath, strerror(errno));
		free(lockpath);
		goto fail;
	}
	if (flock(sq->lockfd, LOCK_EX | LOCK_NB) != 0) {
		*cause = xasprintf(_("%s: in use by another confabd (%s is locked)"), sq->path,
		    lockpath);
		free(lockpath);
		goto fail;
	}
	free(lockpath);
	if (lstat(sq->path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode)) {
			*cause = xasprintf(_("%s: not a regular file"), sq->path);
			goto fail;
		}
		fresh = sb.st_size == 0;
	} else if (errno == ENOENT)
		fresh = true;
	else {
		*cause = xasprintf("%s: %s", sq->path, strerror(errno));
		goto fail;
	}
	if (sqlite3_open_v2(sq->path, &sq->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, _("cannot open"));
		goto fail;
	}
	sqlite3_busy_timeout(sq->db, 2000);
	if (store_sqlite_check(sq, fresh, cause) != 0)
		goto fail;
	if (!store_sqlite_wal(sq)) {
		store_sqlite_error(sq, cause, _("cannot use write-ahead logging"));
		goto fail;
	}
	if (store_sqlite_exec(sq, "PRAGMA synchronous = FULL", _("cannot set up"), cause) != 0)
		goto fail;
	/* another program holding a write lock (the sqlite3 tool in a transaction) */
	if (sqlite3_exec(sq->db, "BEGIN IMMEDIATE; COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
		store_sqlite_error(sq, cause, _("locked by another program"));
		goto fail;
	}
	for (i = 0; i < SQ__COUNT; i++) {
		if (sqlite3_prepare_v3(sq->db, store_sqlite_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &sq->stmt[i], NULL) != SQLITE_OK) {
			store_sqlite_error(sq, cause, _("cannot prepare a statement"));
			goto fail;
		}
	}
	return &sq->sync.base;
fail:
	store_sqlite_free(&sq->sync.base);
	return NULL;
}
