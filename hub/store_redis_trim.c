/* store_redis_trim.c: retention in Redis (store_trim, for confabd --retain-days): the
 * events older than a time are deleted from the streams named by a prefix, and the
 * changes that old from the feed, which holds the chat too.
 *
 * One script per batch of streams finds, oldest first, the first entry at or after the
 * time and trims what comes before it (XTRIM MINID): the numbering is unchanged, as
 * entry ids are seqs. Hubs' clocks differ a little, so an entry slightly older than one
 * after it may stay; it goes at the next trim. Blocking, on a connection of its own:
 * run at start-up and hourly, as the SQLite store's trim. Every hub given
 * --retain-days trims; trimming twice deletes nothing more. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/store_redis_int.h"
#include "util/xalloc.h"

#define SR_TRIM_BATCH 256                 /* streams per script call */

/* KEYS: streams. ARGV: the time (ms). Trims each stream before its first entry whose
 * field t is at or after the time (entries without t, the feed's values, count as old
 * when an old one follows them); returns the number of entries deleted. */
static const char sr_trim_script[] =
	"local before = tonumber(ARGV[1])\n"
	"local n = 0\n"
	"for _, k in ipairs(KEYS) do\n"
	"  local start, cut, old = '-', nil, nil\n"
	"  while true do\n"
	"    local r = redis.call('XRANGE', k, start, '+', 'COUNT', 100)\n"
	"    for _, e in ipairs(r) do\n"
	"      local f, t = e[2], nil\n"
	"      for j = 1, #f, 2 do if f[j] == 't' then t = tonumber(f[j + 1]) end end\n"
	"      if t and t >= before then cut = e[1]; break end\n"
	"      if t then old = e[1] end\n"
	"    end\n"
	"    if cut or #r < 100 then break end\n"
	"    start = '(' .. r[#r][1]\n"
	"  end\n"
	"  if not cut and old then cut = string.match(old, '^(%d+)') .. '-1' end\n"
	"  if cut then n = n + redis.call('XTRIM', k, 'MINID', cut) end\n"
	"end\n"
	"return n\n";

/* Runs the script on keys[0..n) (Redis key names); adds what it deleted to *total.
 * Returns 0, or -1 with *cause. */
static int
sr_trim_batch(struct store_redis *sr, redisContext *c, char **keys, size_t n,
    int64_t before_ms, long *total, char **cause)
{
	const char **argv = xcalloc(n + 4, sizeof *argv);
	char nkeys[32], before[32];
	redisReply *r;
	size_t i;
	int rc = 0;

	snprintf(nkeys, sizeof nkeys, "%zu", n);
	snprintf(before, sizeof before, "%lld", (long long)before_ms);
	argv[0] = "EVAL";
	argv[1] = sr_trim_script;
	argv[2] = nkeys;
	for (i = 0; i < n; i++)
		argv[3 + i] = keys[i];
	argv[3 + n] = before;
	r = redisCommandArgv(c, (int)(n + 4), argv, NULL);
	if (r == NULL || r->type != REDIS_REPLY_INTEGER) {
		*cause = xasprintf("Redis at %s: %s", sr->where, r == NULL ? c->errstr :
		    r->type == REDIS_REPLY_ERROR ? r->str : "an unexpected reply");
		rc = -1;
	} else
		*total += (long)r->integer;
	freeReplyObject(r);
	free(argv);
	return rc;
}

/* Trims the streams of names[0..n) (store stream names) in batches. */
static int
sr_trim_streams(struct store_redis *sr, redisContext *c, const redisReply *names,
    const char *prefix, int64_t before_ms, long *total, char **cause)
{
	char *keys[SR_TRIM_BATCH];
	size_t i, k = 0, j;
	int rc = 0;

	for (i = 0; i < names->elements && rc == 0; i++) {
		const redisReply *e = names->element[i];

		if (e->type != REDIS_REPLY_STRING || strncmp(e->str, prefix, strlen(prefix)) != 0)
			continue;
		keys[k++] = xasprintf("%s%s", SR_KEY_STREAM, e->str);
		if (k == SR_TRIM_BATCH) {
			rc = sr_trim_batch(sr, c, keys, k, before_ms, total, cause);
			for (j = 0; j < k; j++)
				free(keys[j]);
			k = 0;
		}
	}
	if (k > 0 && rc == 0)
		rc = sr_trim_batch(sr, c, keys, k, before_ms, total, cause);
	for (j = 0; j < k; j++)
		free(keys[j]);
	return rc;
}

/* store_trim: the events of the streams named prefix... older than before_ms, and the
 * feed's changes that old. Returns the events deleted, or -1 with *cause. */
long
sr_trim(struct store *st, const char *prefix, int64_t before_ms, char **cause)
{
	struct store_redis *sr = (struct store_redis *)st;
	char *feed = xstrdup(SR_KEY_FEED);
	long total = 0, fed = 0;
	redisContext *c;
	redisReply *names;
	int rc = -1;

	if ((c = sr_connect_sync(sr, cause)) == NULL) {
		free(feed);
		return -1;
	}
	names = redisCommand(c, "HKEYS %s", SR_KEY_HEADS);
	if (names == NULL || names->type != REDIS_REPLY_ARRAY)
		*cause = xasprintf("Redis at %s: %s", sr->where, names == NULL ? c->errstr :
		    names->type == REDIS_REPLY_ERROR ? names->str : "an unexpected reply");
	else if (sr_trim_streams(sr, c, names, prefix, before_ms, &total, cause) == 0 &&
	    sr_trim_batch(sr, c, &feed, 1, before_ms, &fed, cause) == 0)
		rc = 0;
	freeReplyObject(names);
	redisFree(c);
	free(feed);
	return rc == 0 ? total : -1;
}
