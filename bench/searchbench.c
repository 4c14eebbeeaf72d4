/* searchbench.c: how long /search takes on the largest program a hub serves
 * (PROGRAM_MAX_SESSIONS sessions, every description PROGRAM_MAX_DESCRIPTION bytes of mixed
 * Latin, Cyrillic and CJK text), and how long folding one such description takes. Run by
 * hand: bench/searchbench [ROUNDS]; results in bench/RESULTS.md. Never run by make check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "find/fold.h"
#include "find/search.h"
#include "model/program.h"
#include "util/xalloc.h"

/* Seconds on the monotonic clock. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A description of at most max bytes: words of three scripts, session i's own word. */
static char *
make_text(size_t i, size_t max)
{
	static const char *const words[] = { "Café", "protocol", "Ёлка", "встреча", "中文",
	    "会议", "ＡＢＣ", "censorship", "naïve", "transport" };
	char *s = xmalloc(max + 1), w[32];
	size_t len = 0, k = 0, n;

	while (len + 32 < max) {
		n = (size_t)snprintf(w, sizeof w, "%s%s ", words[(i + k) % 10],
		    k % 97 == 0 ? "-x" : "");
		memcpy(s + len, w, n);
		len += n;
		k++;
	}
	s[len] = '\0';
	return s;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 5, r;
	struct program p;
	const struct session *out[100];
	static const char *const queries[] = { "cafe", "ЕЛКА", "会议", "nothing-like-it" };
	double t0, best, t;
	size_t i, q, n = 0;
	char *f;

	memset(&p, 0, sizeof p);
	p.nsessions = PROGRAM_MAX_SESSIONS;
	p.sessions = xcalloc(p.nsessions, sizeof *p.sessions);
	for (i = 0; i < p.nsessions; i++) {
		p.sessions[i].id = xasprintf("s%zu", i);
		p.sessions[i].title = xasprintf("Session %zu: Transport Café", i);
		p.sessions[i].description = make_text(i, PROGRAM_MAX_DESCRIPTION);
	}
	printf("program: %zu sessions, descriptions of %zu bytes\n", p.nsessions,
	    strlen(p.sessions[0].description));
	t0 = now_s();
	for (r = 0; r < 100; r++) {
		f = fold_text(p.sessions[r].description);
		free(f);
	}
	printf("fold one description: %.3f ms\n", (now_s() - t0) * 1000 / 100);
	for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
		best = 1e9;
		for (r = 0; r < rounds; r++) {
			t0 = now_s();
			n = search_program(&p, queries[q], out, 100);
			t = now_s() - t0;
			if (t < best)
				best = t;
		}
		printf("/search %-16s %5zu matches  best of %d: %7.1f ms\n", queries[q], n,
		    rounds, best * 1000);
	}
	for (i = 0; i < p.nsessions; i++)
		program_session_clear(&p.sessions[i]);
	free(p.sessions);
	return 0;
}
