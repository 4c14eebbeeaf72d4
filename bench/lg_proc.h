/* lg_proc.h: what the load generator reads about a hub process from /proc (CPU time,
 * resident memory), its own clock, and percentiles of its samples. */
#ifndef CONFAB_LG_PROC_H
#define CONFAB_LG_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t lg_now_ns(void);
/* utime + stime of process pid (all its threads) in seconds (the kernel counts in ticks
 * of 1/CLK_TCK s, 10 ms here); -1 when it cannot be read (the process is gone). */
double lg_proc_cpu(pid_t pid);
/* The time all threads of process pid have spent waiting for a CPU while runnable (the
 * run queue: a busy machine), in seconds, from /proc/PID/task/TID/schedstat (threads that
 * have ended are not counted); -1 when it cannot be read. */
double lg_proc_wait(pid_t pid);
/* VmRSS of process pid in KiB; -1 when it cannot be read. */
long lg_proc_rss_kib(pid_t pid);
/* This process's own CPU time (user + system) in seconds. */
double lg_self_cpu(void);

/* Samples of one measurement (microseconds), growing as needed. */
struct lg_samples {
	uint32_t *v;
	size_t n, cap;
	bool sorted;
};
void lg_samples_add(struct lg_samples *s, int64_t us);
/* The nearest-rank percentile q (0 < q <= 100) in ms (sorts the samples); -1 when empty. */
double lg_samples_pct(struct lg_samples *s, double q);
void lg_samples_free(struct lg_samples *s);

#endif
