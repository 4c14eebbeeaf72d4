/* readfile.c: read a whole regular file into memory, with a size limit. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/i18n.h"
#include "util/readfile.h"
#include "util/xalloc.h"

/* Sets *cause (when wanted) to "file is larger than N MiB". */
static void
readfile_too_large(size_t max, char **cause)
{
	if (cause != NULL)
		*cause = xasprintf(_("file is larger than %d MiB"), (int)(max / (1024 * 1024)));
}

/* Reads the regular file path, at most max bytes, into a new NUL-terminated buffer. */
char *
readfile(const char *path, size_t max, size_t *len, char **cause)
{
	struct stat sb;
	FILE *f;
	char *buf;
	size_t got;

	f = fopen(path, "rb");
	if (f == NULL) {
		if (cause != NULL)
			*cause = xstrdup(strerror(errno));
		return NULL;
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		if (cause != NULL)
			*cause = xstrdup(_("not a regular file"));
		return NULL;
	}
	if ((unsigned long long)sb.st_size > max) {
		fclose(f);
		readfile_too_large(max, cause);
		return NULL;
	}
	/* The file may grow between fstat and fread: read one byte more to see it. */
	buf = xmalloc(max + 2);
	got = fread(buf, 1, max + 1, f);
	if (ferror(f)) {
		if (cause != NULL)
			*cause = xstrdup(strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	if (got > max) {
		free(buf);
		readfile_too_large(max, cause);
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}
