/* cache.c: the per-hub program cache on disk (see cache.h). Messages are for the log only,
 * so they are not translated. */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/cache.h"
#include "util/files.h"
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
	data = files_read(path, CACHE_MAX_FILE, &len, NULL);
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
	char *name = cache_file_name(url), *path, *text;
	json_t *obj;
	int rc = -1;

	*cause = NULL;
	if (name == NULL) {
		*cause = xasprintf("no host in \"%s\"", url != NULL ? url : "");
		return -1;
	}
	if (files_mkdirs(dir) != 0) {
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
	free(name);
	if (files_replace(path, text, strlen(text)) != 0)
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
	else
		rc = 0;
	free(text);
	free(path);
	return rc;
}
