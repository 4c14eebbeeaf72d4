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
#include "util/files.h"
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

	*cause = NULL;
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return NULL;            /* no file yet */
	return files_read_text(path, SECRETS_MAX_FILE, 1, &len, cause);
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

/* Keeps secret as the one of name on the hub at url. */
int
secrets_save(const char *path, const char *url, const char *name, const char *secret,
    char **cause)
{
	char *text, *hub, *line, *save = NULL, *copy, *dir, *slash, *out, *h, *n;
	size_t cap, len = 0;
	int rc = -1;

	*cause = NULL;
	if (path == NULL || (hub = secrets_hub(url)) == NULL) {
		*cause = xstrdup("no place to keep the name's secret");
		return -1;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir)
		*slash = '\0';
	if (files_mkdirs(dir) != 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		free(hub);
		return -1;
	}
	free(dir);
	text = secrets_read(path, cause);
	if (text == NULL && *cause != NULL) {
		free(hub);
		return -1;
	}
	/* every other line as it was, then this one */
	cap = (text != NULL ? strlen(text) : 0) + strlen(hub) + strlen(name) + strlen(secret) + 8;
	out = xmalloc(cap);
	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL; line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		copy = xstrdup(line);
		h = strtok(copy, " ");
		n = strtok(NULL, " ");
		if (h == NULL || n == NULL || strcmp(h, hub) != 0 || strcasecmp(n, name) != 0)
			len += (size_t)snprintf(out + len, cap - len, "%s\n", line);
		free(copy);
	}
	len += (size_t)snprintf(out + len, cap - len, "%s %s %s\n", hub, name, secret);
	if (files_replace(path, out, len) != 0)
		*cause = xasprintf("%s: %s", path, strerror(errno));
	else
		rc = 0;
	free(out);
	free(text);
	free(hub);
	return rc;
}
