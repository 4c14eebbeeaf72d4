/* secrets.c: the secrets of the names this user holds on each hub (see secrets.h).
 * Messages are for the log only, so they are not translated. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/cache.h"
#include "client/secrets.h"
#include "util/file.h"
#include "util/xalloc.h"

#define SECRETS_MAX_FILE (1024 * 1024)

/* The default file. */
char *
secrets_default_path(void)
{
	const char *x = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/confab/names", x);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.local/state/confab/names", home);
	return NULL;
}

/* The hub's key in the file ("HOST-PORT"), new, or NULL. */
static char *
secrets_hub(const char *url)
{
	char *name = cache_file_name(url), *key;
	size_t len;

	if (name == NULL)
		return NULL;
	/* "program-HOST-PORT.json" */
	len = strlen(name);
	key = xstrndup(name + 8, len > 13 ? len - 13 : 0);
	free(name);
	return key;
}

/* Reads the file: a new buffer, or NULL (*cause NULL when there is no file). */
static char *
secrets_read(const char *path, char **cause)
{
	size_t len;
	char *text;

	*cause = NULL;
	text = cf_read_regular(path, SECRETS_MAX_FILE, 1, &len, cause);
	if (text == NULL && *cause != NULL && strcmp(*cause, strerror(ENOENT)) == 0) {
		free(*cause);
		*cause = NULL;
	}
	return text;
}

/* The secret of name on the hub at url. */
char *
secrets_load(const char *path, const char *url, const char *name, char **cause)
{
	char *text, *hub, *line, *save = NULL, *h, *n, *s, *found = NULL;

	*cause = NULL;
	if (path == NULL || (hub = secrets_hub(url)) == NULL)
		return NULL;
	if ((text = secrets_read(path, cause)) == NULL) {
		free(hub);
		return NULL;
	}
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		h = strtok(line, " ");
		n = strtok(NULL, " ");
		s = strtok(NULL, " ");
		if (h != NULL && n != NULL && s != NULL && strcmp(h, hub) == 0 &&
		    strcasecmp(n, name) == 0) {
			free(found);
			found = xstrdup(s);
		}
	}
	free(text);
	free(hub);
	return found;
}

/* Makes the directory of path (0700) when missing. */
static int
secrets_mkdir(const char *path, char **cause)
{
	char *dir = xstrdup(path), *p;

	for (p = dir + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

/* Keeps secret as the one of name on the hub at url. */
int
secrets_save(const char *path, const char *url, const char *name, const char *secret,
    char **cause)
{
	char *text, *hub, *tmp, *line, *save = NULL, *copy;
	FILE *fp;
	int fd, rc = -1;

	*cause = NULL;
	if (path == NULL || (hub = secrets_hub(url)) == NULL) {
		*cause = xstrdup("no place to keep the name's secret");
		return -1;
	}
	if (secrets_mkdir(path, cause) != 0) {
		free(hub);
		return -1;
	}
	text = secrets_read(path, cause);
	if (text == NULL && *cause != NULL) {
		free(hub);
		return -1;
	}
	tmp = xasprintf("%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || (fp = fdopen(fd, "w")) == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	/* every other line as it was, then this one */
	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *h, *n;

		copy = xstrdup(line);
		h = strtok(copy, " ");
		n = strtok(NULL, " ");
		if (h == NULL || n == NULL || strcmp(h, hub) != 0 || strcasecmp(n, name) != 0)
			fprintf(fp, "%s\n", line);
		free(copy);
	}
	fprintf(fp, "%s %s %s\n", hub, name, secret);
	if (fclose(fp) != 0 || rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(tmp);
	free(text);
	free(hub);
	return rc;
}
