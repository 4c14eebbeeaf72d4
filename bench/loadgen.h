/* loadgen.h: the load generator's state, shared by loadgen.c (connections, phases) and
 * lg_report.c (the table and the JSON line). */
#ifndef CONFAB_LOADGEN_H
#define CONFAB_LOADGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "bench/lg_proc.h"
#include "bench/lg_ws.h"

/* Kinds of frames received, counted per phase. */
enum lg_kind {
	LK_WELCOME, LK_CHAT, LK_OK, LK_ROOMS, LK_ERROR, LK_OTHER, LK_PING, LK__COUNT
};

enum lg_phase_id { LP_CONNECT, LP_IDLE, LP_LINES, LP_BURST, LP__COUNT };

/* What one phase measured. */
struct lg_phase {
	const char *name;
	bool ran;
	int64_t t0, t1;               /* ns, CLOCK_MONOTONIC */
	double hub_cpu0, hub_cpu1;    /* s */
	double self_cpu0, self_cpu1;  /* s: the generator's own */
	double hub_wait0, hub_wait1;  /* s: the hub's threads runnable but not running */
	double self_wait0, self_wait1;
	long rss0, rss1;              /* hub VmRSS (KiB) at the start and the end */
	long attendees;               /* connections open (welcomed) during the phase */
	uint64_t frames[LK__COUNT];
	uint64_t bytes_in;            /* socket bytes read */
	long dropped;                 /* connections the hub closed during the phase */
	char first_error[200];        /* the first error reply or drop of the phase */
	/* chat phases */
	double rate;                  /* lines a second */
	long lines, sent, nsenders;
	int64_t line0;                /* the number of the first line */
	int64_t last_delivery;        /* ns: when the last new delivery came */
	uint64_t expected, delivered, dup, reorder, stray, oks, errors, lost_closed;
	struct lg_samples lat;        /* delivery latency, us */
	/* connect */
	struct lg_samples conn_lat;   /* connect() to welcome per connection, us */
	uint64_t deflate_on, marked, welcome_bytes;
	double settle_s;              /* waited after the phase for the hub to go quiet */
};

/* Options. */
struct lg_opts {
	const char *host;
	int port;
	pid_t pid;
	const char *label;
	const char *prefix;           /* names are PREFIX0, PREFIX1, ... */
	long attendees, inflight;
	bool deflate, send_plain;
	double idle_s;
	long lines;
	double rate;
	long burst_n;
	double burst_rate, burst_s;
	double settle_min_s, settle_max_s, drain_s, connect_timeout_s;
	int sources;
	const char *capture;          /* write the first welcome there and stop */
	const char *json_path;        /* also append the JSON line there */
};

struct lg_conn;

/* The generator. */
struct lg {
	struct lg_opts o;
	struct lg_conn *conns;
	long nstarted, ninflight, nready;
	int ep;
	int nsources;
	struct lg_phase ph[LP__COUNT];
	struct lg_phase *cur;         /* the phase that counts what arrives */
	bool chatting;                /* cur is a chat phase: lines are being counted */
	int64_t last_welcome;
	int64_t next_line;
	char token[9];                /* this run's mark in every line it says */
	unsigned char *rbuf;          /* one read */
	struct lg_buf ibuf, zbuf, fbuf; /* inflated message, compressed one, frame out */
	z_stream *def;
	double t_start_cpu;
};

/* lg_report.c: prints the human table on stdout, then one JSON line (also appended to
 * o.json_path when set). */
void lg_report(struct lg *lg);

#endif
