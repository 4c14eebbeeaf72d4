/* log.c: leveled logging to stderr or a file, one timestamped line per message:
 *   2026-11-23T08:00:00Z confabd[1234] info: message */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/tztime.h"

static FILE *log_fp;         /* NULL means stderr */
static int log_owned;        /* log_fp was opened by log_open */
static enum log_level log_level = LOG_INFO;

static const char *const log_names[] = { "error", "warning", "info", "debug" };

/* Logs go to fp (NULL means stderr) up to level. */
void
log_init(FILE *fp, enum log_level level)
{
	log_close();
	log_fp = fp;
	log_level = level;
}

/* Opens path for appending and logs there. */
int
log_open(const char *path, enum log_level level)
{
	FILE *fp;

	fp = fopen(path, "a");
	if (fp == NULL)
		return -1;
	setvbuf(fp, NULL, _IOLBF, 0);
	log_init(fp, level);
	log_owned = 1;
	return 0;
}

/* Closes a log file opened by log_open; logging goes back to stderr. */
void
log_close(void)
{
	if (log_owned && log_fp != NULL)
		fclose(log_fp);
	log_fp = NULL;
	log_owned = 0;
}

/* The current level. */
enum log_level
log_get_level(void)
{
	return log_level;
}

/* The stream logs currently go to. */
FILE *
log_stream(void)
{
	return log_fp != NULL ? log_fp : stderr;
}

/* The program name for log lines. */
static const char *
log_progname(void)
{
#ifdef __GLIBC__
	extern char *program_invocation_short_name;
	return program_invocation_short_name;
#else
	return "confab";
#endif
}

/* Writes one log line if level is enabled. */
void
log_msg(enum log_level level, const char *fmt, ...)
{
	struct timespec ts;
	char when[32], *text, *safe;
	va_list ap;
	FILE *fp;
	int saved_errno = errno;

	if (level > log_level)
		return;
	if ((int)level < 0 || level > LOG_DEBUG)
		level = LOG_ERR;
	clock_gettime(CLOCK_REALTIME, &ts);
	iso8601_format_utc((int64_t)ts.tv_sec * 1000, when, sizeof when);
	fp = log_stream();
	fprintf(fp, "%s %s[%ld] %s: ", when, log_progname(), (long)getpid(), log_names[level]);
	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	/* one line, whatever the message quotes: text from the network (a header, a hub's
	 * message, a name) can hold escape sequences, C1 controls, bidi overrides or line
	 * breaks that would forge log lines or act on the terminal that shows the log */
	if (sanitize_needed(text)) {
		safe = sanitize_str(text);
		fputs(safe, fp);
		free(safe);
	} else
		fputs(text, fp);
	free(text);
	fputc('\n', fp);
	fflush(fp);
	errno = saved_errno;
}
