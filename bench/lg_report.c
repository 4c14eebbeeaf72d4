/* lg_report.c: the load generator's results: a table for people, then one JSON line for
 * bench/hubbench.py (also appended to --json FILE). */
#include <stdio.h>
#include <string.h>

#include "bench/loadgen.h"

/* Seconds between two ns stamps. */
static double
lg_secs(int64_t a, int64_t b)
{
	return (double)(b - a) / 1e9;
}

/* Hub CPU seconds of a phase. */
static double
lg_hub_cpu(const struct lg_phase *ph)
{
	return ph->hub_cpu1 - ph->hub_cpu0;
}

/* Lines lost in a chat phase. */
static uint64_t
lg_lost(const struct lg_phase *ph)
{
	return ph->expected > ph->delivered ? ph->expected - ph->delivered : 0;
}

/* All frames a phase received. */
static uint64_t
lg_frames(const struct lg_phase *ph)
{
	uint64_t n = 0;
	int k;

	for (k = 0; k < LK__COUNT; k++)
		n += ph->frames[k];
	return n;
}

/* KiB per connection between two VmRSS readings (-1 when unknown). */
static double
lg_per_conn(long before, long after, long n)
{
	return before < 0 || after < 0 || n <= 0 ? -1 : (double)(after - before) / (double)n;
}

/* Writes s as a JSON string. */
static void
lg_json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* The members every phase has. */
static void
lg_json_common(FILE *f, const struct lg_phase *ph)
{
	static const char *const kinds[LK__COUNT] = {
		"welcome", "chat", "ok", "rooms", "error", "other", "ping"
	};
	int k;

	fprintf(f, "\"seconds\":%.3f,\"attendees\":%ld,\"hub_cpu_s\":%.2f,\"loadgen_cpu_s\":%.2f,"
	    "\"hub_wait_s\":%.2f,\"loadgen_wait_s\":%.2f,"
	    "\"rss_start_kib\":%ld,\"rss_end_kib\":%ld,\"bytes_in\":%llu,\"frames_in\":%llu,"
	    "\"dropped\":%ld,\"frames\":{", lg_secs(ph->t0, ph->t1), ph->attendees,
	    lg_hub_cpu(ph), ph->self_cpu1 - ph->self_cpu0, ph->hub_wait1 - ph->hub_wait0,
	    ph->self_wait1 - ph->self_wait0, ph->rss0, ph->rss1,
	    (unsigned long long)ph->bytes_in, (unsigned long long)lg_frames(ph), ph->dropped);
	for (k = 0; k < LK__COUNT; k++)
		fprintf(f, "%s\"%s\":%llu", k ? "," : "", kinds[k],
		    (unsigned long long)ph->frames[k]);
	fprintf(f, "},\"first_error\":");
	lg_json_str(f, ph->first_error);
}

/* A chat phase's members. */
static void
lg_json_chat(FILE *f, struct lg_phase *ph, long rss_base)
{
	fprintf(f, ",\"rate\":%g,\"lines\":%ld,\"sent\":%ld,\"senders\":%ld,\"expected\":%llu,"
	    "\"delivered\":%llu,\"lost\":%llu,\"dup\":%llu,\"reorder\":%llu,\"stray\":%llu,"
	    "\"ok\":%llu,\"errors\":%llu,\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,"
	    "\"max_ms\":%.3f,\"hub_us_per_delivery\":%.3f",
	    ph->rate, ph->lines, ph->sent, ph->nsenders, (unsigned long long)ph->expected,
	    (unsigned long long)ph->delivered, (unsigned long long)lg_lost(ph),
	    (unsigned long long)ph->dup, (unsigned long long)ph->reorder,
	    (unsigned long long)ph->stray, (unsigned long long)ph->frames[LK_OK],
	    (unsigned long long)ph->errors, lg_samples_pct(&ph->lat, 50),
	    lg_samples_pct(&ph->lat, 95), lg_samples_pct(&ph->lat, 99),
	    lg_samples_pct(&ph->lat, 100), ph->delivered ? lg_hub_cpu(ph) * 1e6 /
	    (double)ph->delivered : -1);
	if (rss_base >= 0)
		fprintf(f, ",\"rss_per_conn_kib\":%.2f", lg_per_conn(rss_base, ph->rss1,
		    ph->attendees));
}

/* The JSON line. */
static void
lg_json(FILE *f, struct lg *lg)
{
	struct lg_phase *c = &lg->ph[LP_CONNECT], *ph;
	int i;

	fprintf(f, "{\"loadgen\":1,\"label\":");
	lg_json_str(f, lg->o.label);
	fprintf(f, ",\"hub_pid\":%ld,\"attendees\":%ld,\"deflate_offered\":%s,"
	    "\"send_compressed\":%s,\"inflight\":%ld,\"sources\":%d",
	    (long)lg->o.pid, lg->o.attendees, lg->o.deflate ? "true" : "false",
	    lg->o.deflate && !lg->o.send_plain ? "true" : "false", lg->o.inflight,
	    lg->nsources);
	for (i = 0; i < LP__COUNT; i++) {
		ph = &lg->ph[i];
		if (!ph->ran)
			continue;
		fprintf(f, ",\"%s\":{", ph->name);
		lg_json_common(f, ph);
		if (i == LP_CONNECT)
			fprintf(f, ",\"connect_all_s\":%.3f,\"conn_p50_ms\":%.3f,"
			    "\"conn_p99_ms\":%.3f,\"rss_per_conn_kib\":%.2f,\"settle_s\":%.2f,"
			    "\"deflate_accepted\":%llu,\"deflate_marked\":%llu,"
			    "\"welcome_bytes_avg\":%.1f", lg_secs(ph->t0, ph->t1),
			    lg_samples_pct(&ph->conn_lat, 50), lg_samples_pct(&ph->conn_lat, 99),
			    lg_per_conn(ph->rss0, ph->rss1, ph->attendees), ph->settle_s,
			    (unsigned long long)ph->deflate_on, (unsigned long long)ph->marked,
			    ph->attendees ? (double)ph->welcome_bytes / (double)ph->attendees : 0);
		else if (i == LP_IDLE)
			fprintf(f, ",\"cpu_pct\":%.3f", lg_secs(ph->t0, ph->t1) > 0 ?
			    100 * lg_hub_cpu(ph) / lg_secs(ph->t0, ph->t1) : -1);
		else   /* memory per connection after the lines; the burst has closed some */
			lg_json_chat(f, ph, i == LP_LINES ? c->rss0 : -1);
		if (i == LP_BURST)
			fprintf(f, ",\"settle_s\":%.2f", ph->settle_s);
		fputc('}', f);
	}
	fprintf(f, "}\n");
}

/* One row of the table. */
static void
lg_row(struct lg_phase *ph)
{
	double s = lg_secs(ph->t0, ph->t1);
	bool chat = ph->lines > 0;

	printf("%-8s %7.2f %6ld %8.2f %6.1f", ph->name, s, ph->attendees, lg_hub_cpu(ph),
	    s > 0 ? 100 * lg_hub_cpu(ph) / s : 0);
	if (chat)
		printf(" %8.1f %7.1f %7.1f %7.1f %7.1f %9llu %5llu %4llu",
		    ph->delivered ? lg_hub_cpu(ph) * 1e6 / (double)ph->delivered : -1,
		    lg_samples_pct(&ph->lat, 50), lg_samples_pct(&ph->lat, 95),
		    lg_samples_pct(&ph->lat, 99), lg_samples_pct(&ph->lat, 100),
		    (unsigned long long)ph->delivered, (unsigned long long)lg_lost(ph),
		    (unsigned long long)ph->dup);
	else
		printf(" %8s %7s %7s %7s %7s %9s %5s %4s", "-", "-", "-", "-", "-", "-", "-", "-");
	printf(" %9llu %7.1f %6.2f %8.2f %4ld\n", (unsigned long long)lg_frames(ph),
	    (double)ph->bytes_in / 1e6, ph->self_cpu1 - ph->self_cpu0,
	    ph->hub_wait1 - ph->hub_wait0, ph->dropped);
}

/* The table, then the JSON line. */
void
lg_report(struct lg *lg)
{
	struct lg_phase *c = &lg->ph[LP_CONNECT], *l = &lg->ph[LP_LINES];
	FILE *f;
	int i;

	printf("\nloadgen %s: %ld attendees, deflate %s", lg->o.label, lg->o.attendees,
	    lg->o.deflate ? "offered" : "not offered");
	if (lg->o.deflate)
		printf(" (accepted by %llu, %llu with Confab-Deflate: every-frame; we send %s)",
		    (unsigned long long)c->deflate_on, (unsigned long long)c->marked,
		    lg->o.send_plain ? "uncompressed" : "compressed");
	printf("\nconnect all: %.2f s (per connection p50 %.1f ms, p99 %.1f ms); welcome %.0f "
	    "bytes on average\n", lg_secs(c->t0, c->t1), lg_samples_pct(&c->conn_lat, 50),
	    lg_samples_pct(&c->conn_lat, 99), c->attendees ? (double)c->welcome_bytes /
	    (double)c->attendees : 0);
	printf("hub RSS: %ld KiB before, %ld KiB after connect (%.2f KiB per connection)",
	    c->rss0, c->rss1, lg_per_conn(c->rss0, c->rss1, c->attendees));
	if (l->ran)
		printf(", %ld KiB after the lines (%.2f KiB per connection)", l->rss1,
		    lg_per_conn(c->rss0, l->rss1, l->attendees));
	printf("\n\n%-8s %7s %6s %8s %6s %8s %7s %7s %7s %7s %9s %5s %4s %9s %7s %6s %8s %4s\n",
	    "phase", "wall s", "conns", "hub CPU", "core%", "us/deliv", "p50 ms", "p95 ms",
	    "p99 ms", "max ms", "delivered", "lost", "dup", "frames in", "MB in", "lg CPU",
	    "hub wait", "drop");
	for (i = 0; i < LP__COUNT; i++)
		if (lg->ph[i].ran)
			lg_row(&lg->ph[i]);
	for (i = 0; i < LP__COUNT; i++)
		if (lg->ph[i].first_error[0] != '\0')
			printf("%s: first error: %s\n", lg->ph[i].name, lg->ph[i].first_error);
	printf("(hub wait: seconds its threads were runnable but waiting for a CPU)\n\n");
	lg_json(stdout, lg);
	if (lg->o.json_path != NULL) {
		if ((f = fopen(lg->o.json_path, "a")) == NULL) {
			perror(lg->o.json_path);
			return;
		}
		lg_json(f, lg);
		fclose(f);
	}
}
