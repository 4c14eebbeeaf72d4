/* lg_proc.c: /proc readings, the clock and percentiles for the load generator. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/lg_proc.h"
#include "util/xalloc.h"

/* CLOCK_MONOTONIC in ns. */
int64_t
lg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Reads /proc/PID/FILE into buf (NUL-terminated); its length, or -1. */
static long
lg_proc_read(pid_t pid, const char *file, char *buf, size_t cap)
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, file);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (long)n;
}

/* utime + stime in seconds. */
double
lg_proc_cpu(pid_t pid)
{
	char buf[1024], *p;
	unsigned long long ut, st;
	long tck = sysconf(_SC_CLK_TCK);

	if (lg_proc_read(pid, "stat", buf, sizeof buf) < 0 || (p = strrchr(buf, ')')) == NULL)
		return -1;
	/* after "pid (comm)": state is field 3; utime and stime are fields 14 and 15 */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
	    &st) != 2)
		return -1;
	return (double)(ut + st) / (double)(tck > 0 ? tck : 100);
}

/* Run-queue wait of all threads in seconds. */
double
lg_proc_wait(pid_t pid)
{
	char path[64], buf[256];
	unsigned long long run, wait, sum = 0;
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%ld/task", (long)pid);
	if ((dir = opendir(path)) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || strlen(d->d_name) > 12)
			continue;
		snprintf(path, sizeof path, "task/%s/schedstat", d->d_name);
		if (lg_proc_read(pid, path, buf, sizeof buf) > 0 &&
		    sscanf(buf, "%llu %llu", &run, &wait) == 2) {
			sum += wait;
			n++;
		}
	}
	closedir(dir);
	return n > 0 ? (double)sum / 1e9 : -1;
}

/* VmRSS in KiB. */
long
lg_proc_rss_kib(pid_t pid)
{
	char buf[4096], *p;
	long kib;

	if (lg_proc_read(pid, "status", buf, sizeof buf) < 0 ||
	    (p = strstr(buf, "\nVmRSS:")) == NULL || sscanf(p + 7, "%ld", &kib) != 1)
		return -1;
	return kib;
}

/* Own CPU time. */
double
lg_self_cpu(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Adds a sample (clamped to 0 .. UINT32_MAX us). */
void
lg_samples_add(struct lg_samples *s, int64_t us)
{
	if (s->n == s->cap) {
		s->cap = s->cap < 4096 ? 4096 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->sorted = false;
	s->v[s->n++] = us < 0 ? 0 : us > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* qsort order of samples. */
static int
lg_samples_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile in ms. */
double
lg_samples_pct(struct lg_samples *s, double q)
{
	size_t rank;

	if (s->n == 0)
		return -1;
	if (!s->sorted)
		qsort(s->v, s->n, sizeof *s->v, lg_samples_cmp);
	s->sorted = true;
	rank = (size_t)(q / 100.0 * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return (double)s->v[rank - 1] / 1000.0;
}

/* Frees the samples. */
void
lg_samples_free(struct lg_samples *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
