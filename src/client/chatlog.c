/* chatlog.c: chat logs on disk, one file per room and per private conversation (see
 * chatlog.h). Each line is appended with one write() to a file opened O_APPEND and
 * O_NOFOLLOW, so that a link planted in the directory is not followed. */
#include "util/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client/chatlog.h"
#include "util/files.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

struct chatlog {
	char *dir;      /* top/HUB */
	bool failed;    /* a write failed: logs are off */
};

/* The logs' top directory. */
char *
chatlog_default_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/confab/logs", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.local/state/confab/logs", home);
	return NULL;
}

/* The directory name of a hub URL. */
char *
chatlog_hub_name(const char *url)
{
	const char *p = strstr(url, "://"), *end;
	char *s, *q;

	p = p != NULL ? p + 3 : url;
	end = strchr(p, '/');
	s = end != NULL ? xstrndup(p, (size_t)(end - p)) : xstrdup(p);
	for (q = s; *q != '\0'; q++) {
		if (*q == ':')
			*q = '_';
		else if (!isalnum((unsigned char)*q) && *q != '.' && *q != '-')
			*q = '_';
	}
	if (s[0] == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) {
		free(s);
		s = xstrdup("hub");
	}
	return s;
}

/* The file name of a room or a private conversation. */
char *
chatlog_file_name(const char *target, bool is_private)
{
	size_t n = strlen(target), i, o = 0;
	char *s = xmalloc(n * 3 + 8);
	unsigned char ch;

	s[o++] = is_private ? '@' : '#';
	for (i = 0; i < n; i++) {
		ch = (unsigned char)target[i];
		if (isalnum(ch) || ch == '.' || ch == '_' || ch == '-' || ch >= 0x80)
			s[o++] = (char)(is_private ? tolower(ch) : ch);
		else
			o += (size_t)snprintf(s + o, 4, "%%%02X", ch);
	}
	memcpy(s + o, ".log", 5);
	return s;
}

/* One line of a log. */
char *
chatlog_line(int64_t ts, const char *from, const char *text, bool me)
{
	time_t t = (time_t)(ts / 1000);
	struct tm tm;
	char when[64], *f, *x, *line;

	if (localtime_r(&t, &tm) == NULL || strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %z",
	    &tm) == 0)
		snprintf(when, sizeof when, "%s", "-");
	f = sanitize_text(from, strlen(from), SANITIZE_SQUEEZE);
	x = sanitize_text(text, strlen(text), SANITIZE_SQUEEZE);
	line = me ? xasprintf("%s * %s %s", when, f, x) : xasprintf("%s <%s> %s", when, f, x);
	free(f);
	free(x);
	return line;
}

/* Logs for the hub at url under dir. */
struct chatlog *
chatlog_create(const char *dir, const char *url)
{
	struct chatlog *cl = xcalloc(1, sizeof *cl);
	char *hub = chatlog_hub_name(url);

	cl->dir = xasprintf("%s/%s", dir, hub);
	free(hub);
	return cl;
}

/* Frees cl (safe on NULL). */
void
chatlog_free(struct chatlog *cl)
{
	if (cl == NULL)
		return;
	free(cl->dir);
	free(cl);
}

/* The directory of this hub's logs. */
const char *
chatlog_dir(const struct chatlog *cl)
{
	return cl->dir;
}

/* Appends one line to the log of target. */
void
chatlog_write(struct chatlog *cl, const char *target, bool is_private, int64_t ts,
    const char *from, const char *text, bool me)
{
	char *name, *path, *line, *full;
	int fd = -1;
	ssize_t w = -1;

	if (cl == NULL || cl->failed)
		return;
	name = chatlog_file_name(target, is_private);
	path = xasprintf("%s/%s", cl->dir, name);
	line = chatlog_line(ts, from, text, me);
	full = xasprintf("%s\n", line);
	if (files_mkdirs(cl->dir) == 0)
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC |
		    O_NONBLOCK, 0600);
	if (fd >= 0) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			w = write(fd, full, strlen(full));
		else
			errno = EINVAL;   /* not a regular file: written to by no one */
		close(fd);
	}
	if (w != (ssize_t)strlen(full)) {
		log_warn("client: chat log %s: %s; chat logs are off", path,
		    fd < 0 || w < 0 ? strerror(errno) : "short write");
		cl->failed = true;
	}
	free(full);
	free(line);
	free(path);
	free(name);
}
