/* cache.c: the per-hub program cache on disk (see cache.h). Messages are for the log only,
 * so they are not translated. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/cache.h"
#include "util/xalloc.h"

/* The default cache directory from the environment, or NULL. */
char *
cache_default_dir(void)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (x != NULL && x[0] == '/')
		return xasprintf("%s/confab", x);
	if (home != NULL && home[0] == '/')
		return xasprintf("%s/.cache/confab", home);
	return NULL;
}

/* The cache file name for url, or NULL. */
char *
cache_file_name(const char *url)
{
	const char *p = url, *host, *end, *colon = NULL, *q;
	char *name, *o;
	long port = 80;

	if (url == NULL)
		return NULL;
	if (strncmp(p, "ws://", 5) == 0)
		p += 5;
	else if (strncmp(p, "wss://", 6) == 0) {
		p += 6;
		port = 443;
	}
	host = p;
	if (*host == '[') {          /* [IPv6]:port */
		end = strchr(host, ']');
		if (end == NULL)
			return NULL;
		host++;
		q = end + 1;
		if (*q == ':')
			colon = q;
	} else {
		for (end = host; *end != '\0' && *end != '/' && *end != ':'; end++)
			;
		if (*end == ':')
			colon = end;
	}
	if (end == host || end - host > 255)
		return NULL;
	if (colon != NULL) {
		char *e;
		port = strtol(colon + 1, &e, 10);
		if (e == colon + 1 || port < 1 || port > 65535)
			return NULL;
	}
	name = xmalloc((size_t)(end - host) + 32);
	o = name + sprintf(name, "program-");
	for (q = host; q < end; q++) {
		char ch = *q;
		bool keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.';
		*o++ = keep ? ch : '_';
	}
	sprintf(o, "-%ld.json", port);
	return name;
}

/* Creates dir and its missing parents with mode 0700. 0, or -1 with errno set. */
static int
cache_mkdirs(const char *dir)
{
	char *tmp = xstrdup(dir), *p;
	int rc = 0;

	for (p = tmp + 1; *p != '\0' && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(tmp, 0700) != 0 && errno != EEXIST)
		rc = -1;
	free(tmp);
	return rc;
}

/* Reads a whole file of at most CACHE_MAX_FILE bytes into a new string; NULL with errno
 * set (EFBIG when too large). */
static char *
cache_read(const char *path, size_t *len)
{
	FILE *f;
	struct stat st;
	char *buf;
	size_t n = 0, cap = 65536, got;
	int fd;

	/* never block on a FIFO or read a device: a regular file or nothing */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return NULL;
	}
	buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			if (cap >= CACHE_MAX_FILE) {
				free(buf);
				fclose(f);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Loads the cached program of url from dir. */
struct program *
cache_load_program(const char *dir, const char *url, char **cause)
{
	char *name = cache_file_name(url), *path, *data, *why = NULL;
	struct program *p = NULL;
	json_t *root;
	json_error_t jerr;
	size_t len = 0;

	*cause = NULL;
	if (dir == NULL || name == NULL) {
		free(name);
		return NULL;
	}
	path = xasprintf("%s/%s", dir, name);
	free(name);
	data = cache_read(path, &len);
	if (data == NULL) {
		if (errno != ENOENT)
			*cause = xasprintf("cannot read %s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	free(data);
	if (root == NULL)
		*cause = xasprintf("%s: not JSON: %s (line %d)", path, jerr.text, jerr.line);
	else if ((p = program_from_json(root, &why)) == NULL) {
		*cause = xasprintf("%s: not a program: %s", path, why);
		free(why);
	} else if (p->version == NULL || p->version[0] == '\0') {
		*cause = xasprintf("%s: the program has no version", path);
		program_free(p);
		p = NULL;
	}
	json_decref(root);
	free(path);
	return p;
}

/* Writes p into dir through a temporary file and a rename. */
int
cache_save_program(const char *dir, const char *url, const struct program *p,
    char **cause)
{
	char *name = cache_file_name(url), *path, *tmp, *text;
	json_t *obj;
	size_t len, off = 0;
	ssize_t w;
	int fd, rc = -1;

	*cause = NULL;
	if (name == NULL) {
		*cause = xasprintf("no host in \"%s\"", url != NULL ? url : "");
		return -1;
	}
	if (cache_mkdirs(dir) != 0) {
		*cause = xasprintf("cannot create %s: %s", dir, strerror(errno));
		free(name);
		return -1;
	}
	obj = program_to_json(p);
	text = obj != NULL ? json_dumps(obj, JSON_COMPACT) : NULL;
	json_decref(obj);
	if (text == NULL) {
		*cause = xstrdup("cannot encode the program");
		free(name);
		return -1;
	}
	path = xasprintf("%s/%s", dir, name);
	tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	free(name);
	fd = mkstemp(tmp);     /* mode 0600 */
	if (fd < 0) {
		*cause = xasprintf("cannot create a file in %s: %s", dir, strerror(errno));
		goto out;
	}
	len = strlen(text);
	while (off < len) {
		w = write(fd, text + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*cause = xasprintf("cannot write %s: %s", tmp, strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	if (close(fd) != 0 && *cause == NULL)
		*cause = xasprintf("cannot write %s: %s", tmp, strerror(errno));
	if (*cause == NULL && rename(tmp, path) != 0)
		*cause = xasprintf("cannot rename %s to %s: %s", tmp, path, strerror(errno));
	if (*cause != NULL)
		unlink(tmp);
	else
		rc = 0;
out:
	free(text);
	free(tmp);
	free(path);
	return rc;
}
