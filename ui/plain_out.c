/* plain_out.c: plain mode's output: one line per event, "[tag] text", with text from the
 * network sanitised and its white space squeezed, and, on a terminal, folded at the
 * screen's width by us rather than by the terminal.
 *
 * Why fold: a terminal wraps an over-long line wherever its width falls, so a hub could
 * pad a chat line until a piece like "[timer main] stopped by carol" starts a row of its
 * own and reads like one of our lines. Squeezing white space takes away the cheap padding;
 * folding makes every row but the first of a line start with PLAIN_INDENT spaces, which
 * no line of ours does. The width is the terminal's (TIOCGWINSZ, read for every line, so
 * a resize is followed), else $COLUMNS; output to a pipe or a file has no width and is
 * never folded (a screen reader or a script gets one line per event). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/plain_int.h"
#include "util/sanitize.h"
#include "util/width.h"
#include "util/xalloc.h"

/* A sanitised copy of network string s, white space squeezed, freed after the next line
 * is written. */
const char *
plain_s(struct plain *p, const char *s)
{
	char *t = sanitize_text(s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    SANITIZE_SQUEEZE);

	if (p->ntmp == PLAIN_TMP) {
		free(p->tmp[0]);
		memmove(p->tmp, p->tmp + 1, (PLAIN_TMP - 1) * sizeof *p->tmp);
		p->ntmp--;
	}
	p->tmp[p->ntmp++] = t;
	return t;
}

/* The width of the terminal that out is, or 0 when it is not one (a pipe, a file) or its
 * width is unknown. */
static size_t
plain_out_cols(const struct plain *p)
{
	struct winsize ws;
	const char *env;
	char *end;
	long n;
	int fd = fileno(p->out);

	if (fd < 0 || !isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((env = getenv("COLUMNS")) == NULL)
		return 0;
	n = strtol(env, &end, 10);
	return *env != '\0' && *end == '\0' && n > 0 && n < 100000 ? (size_t)n : 0;
}

/* Writes line and a newline, folded at the terminal's width (see the top of this file). */
static void
plain_out_write(struct plain *p, const char *line)
{
	struct width_line *wl;
	size_t cols = plain_out_cols(p), n, i, ind;

	if (cols == 0 || width_str(line) <= cols) {
		fputs(line, p->out);
		fputc('\n', p->out);
		return;
	}
	n = width_wrap(line, strlen(line), cols, PLAIN_INDENT, &wl);
	for (i = 0; i < n; i++) {
		/* (a row after a '\n' would get none: we never write one, but never trust it) */
		ind = i == 0 ? 0 : wl[i].indent > 0 ? wl[i].indent : PLAIN_INDENT;
		fprintf(p->out, "%*s%.*s\n", (int)ind, "", (int)wl[i].len, line + wl[i].start);
	}
	free(wl);
}

/* Writes "[tag] text" as one line (folded on a terminal) and flushes; frees the sanitised
 * strings. */
void
plain_line(struct plain *p, const char *tag, const char *fmt, ...)
{
	va_list ap;
	char *text, *line;
	size_t i;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	line = xasprintf("[%s] %s", tag, text);
	plain_tty_before(p);
	plain_out_write(p, line);
	plain_tty_after(p);
	fflush(p->out);
	free(line);
	free(text);
	for (i = 0; i < p->ntmp; i++)
		free(p->tmp[i]);
	p->ntmp = 0;
}
