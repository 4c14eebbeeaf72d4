/* hub_metrics.c: the text of GET /metrics (Prometheus text format, version 0.0.4) and of
 * GET /health, from the hub's counters and its store's. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hub/hub_int.h"
#include "util/xalloc.h"

struct hub_text {
	char *buf;
	size_t len, cap;
};

/* Appends printf-formatted text. */
static void __attribute__((format(printf, 2, 3)))
hub_text_add(struct hub_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len) {
			t->len += (size_t)n;
			return;
		}
		t->cap = t->cap * 2 + (n > 0 ? (size_t)n : 256);
		t->buf = xrealloc(t->buf, t->cap);
	}
}

/* One metric with its help and type lines. */
static void
hub_text_metric(struct hub_text *t, const char *name, const char *type, const char *help,
    unsigned long long v)
{
	hub_text_add(t, "# HELP confabd_%s %s\n# TYPE confabd_%s %s\nconfabd_%s %llu\n", name,
	    help, name, type, name, v);
}

/* The /metrics text (new string, *len bytes). */
char *
hub_metrics_text(const struct hub *hub, size_t nconns, size_t *len)
{
	const struct hub_metrics *m = &hub->metrics;
	struct store_stats st;
	struct hub_text t = { xmalloc(4096), 0, 4096 };
	size_t attendees, rooms, queued;

	hub_get_gauges(hub, &attendees, &rooms, &queued);
	store_get_stats(hub->store, &st);
	hub_text_metric(&t, "connections", "gauge", "Open WebSocket connections.", nconns);
	hub_text_metric(&t, "attendees", "gauge", "Connections that said hello.", attendees);
	hub_text_metric(&t, "rooms", "gauge", "Chat rooms open.", rooms);
	hub_text_metric(&t, "names_held", "gauge", "Names held for the event.",
	    strmap_count(hub->idents));
	hub_text_metric(&t, "queue_bytes", "gauge", "Bytes queued for attendees, not yet sent.",
	    queued);
	hub_text_metric(&t, "lines_total", "counter", "Chat lines stored.", m->lines);
	hub_text_add(&t, "# HELP confabd_lines_per_second Chat lines a second, over the last "
	    "minute.\n# TYPE confabd_lines_per_second gauge\nconfabd_lines_per_second %.3f\n",
	    hub_lines_rate(hub));
	hub_text_metric(&t, "frames_in_total", "counter", "Frames received.", m->frames_in);
	hub_text_metric(&t, "frames_out_total", "counter", "Frames sent.", m->frames_out);
	hub_text_metric(&t, "bytes_out_total", "counter", "Payload bytes sent.", m->bytes_out);
	hub_text_metric(&t, "rate_limited_total", "counter",
	    "Requests refused with rate-limited.", m->rate_limited);
	hub_text_add(&t, "# HELP confabd_drops_total Sessions dropped, by reason.\n"
	    "# TYPE confabd_drops_total counter\n"
	    "confabd_drops_total{reason=\"lagging\"} %llu\n"
	    "confabd_drops_total{reason=\"queue\"} %llu\n"
	    "confabd_drops_total{reason=\"bad_frames\"} %llu\n"
	    "confabd_drops_total{reason=\"moderation\"} %llu\n",
	    (unsigned long long)m->drop_lagging, (unsigned long long)m->drop_queue,
	    (unsigned long long)m->drop_bad_frames, (unsigned long long)m->drop_kicked);
	hub_text_add(&t, "# HELP confabd_refused_total Connections and hellos refused (limits, "
	    "bans).\n# TYPE confabd_refused_total counter\n"
	    "confabd_refused_total{what=\"connection\"} %llu\n"
	    "confabd_refused_total{what=\"hello\"} %llu\n",
	    (unsigned long long)m->refused_conns, (unsigned long long)m->refused_hellos);
	hub_text_metric(&t, "store_writes_total", "counter", "Writes the store made.",
	    st.writes);
	hub_text_metric(&t, "store_failures_total", "counter", "Writes the store could not make.",
	    st.failures);
	hub_text_metric(&t, "store_commits_total", "counter", "Groups of writes committed.",
	    st.commits);
	hub_text_add(&t, "# HELP confabd_store_commit_seconds_total Time spent committing.\n"
	    "# TYPE confabd_store_commit_seconds_total counter\n"
	    "confabd_store_commit_seconds_total %.6f\n"
	    "# HELP confabd_store_commit_seconds_max The longest commit.\n"
	    "# TYPE confabd_store_commit_seconds_max gauge\n"
	    "confabd_store_commit_seconds_max %.6f\n",
	    (double)st.commit_us_total / 1e6, (double)st.commit_us_max / 1e6);
	hub_text_add(&t, "# HELP confabd_store_info The store in use.\n"
	    "# TYPE confabd_store_info gauge\nconfabd_store_info{kind=\"%s\"} 1\n",
	    store_kind(hub->store));
	*len = t.len;
	return t.buf;
}

/* The /health text. */
char *
hub_health_text(const struct hub *hub, size_t *len)
{
	size_t attendees, rooms, queued;
	char *s;

	hub_get_gauges(hub, &attendees, &rooms, &queued);
	s = xasprintf("ok: %zu attendees, %zu connections, store %s\n", attendees,
	    hub->nsessions, store_kind(hub->store));

	*len = strlen(s);
	return s;
}
