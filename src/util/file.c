/* file.c: opening files named by users safely: regular files only, never blocking on a
 * FIFO, optionally private, with a size limit. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/file.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Opens path as a regular file for reading. */
FILE *
cf_open_regular(const char *path, size_t max_bytes, int private_only, struct stat *sb,
    char **cause)
{
	struct stat st;
	FILE *fp;
	int fd, flags;

	/* O_NONBLOCK: opening a FIFO with no writer must not hang; cleared below */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		*cause = xstrdup(strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		*cause = xstrdup(strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		*cause = xstrdup(S_ISDIR(st.st_mode) ? _("is a directory, not a file") :
		    _("not a regular file (a FIFO, socket or device is not read)"));
		close(fd);
		return NULL;
	}
	if (max_bytes > 0 && (unsigned long long)st.st_size > (unsigned long long)max_bytes) {
		*cause = xasprintf(_("larger than %zu bytes"), max_bytes);
		close(fd);
		return NULL;
	}
	if (private_only && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		*cause = xasprintf(_("others may read it (mode %03o): make it private with "
		    "chmod 600"), (unsigned)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if ((fp = fdopen(fd, "r")) == NULL) {
		*cause = xstrdup(strerror(errno));
		close(fd);
		return NULL;
	}
	if (sb != NULL)
		*sb = st;
	return fp;
}

/* Reads a whole regular file into a new buffer. */
char *
cf_read_regular(const char *path, size_t max_bytes, int private_only, size_t *len,
    char **cause)
{
	struct stat st;
	FILE *fp;
	char *buf;
	size_t cap, n = 0, got;

	if ((fp = cf_open_regular(path, max_bytes, private_only, &st, cause)) == NULL)
		return NULL;
	cap = (size_t)st.st_size + 1;
	buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n == cap) {
			if (max_bytes > 0 && n > max_bytes)
				break;
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	if (ferror(fp)) {
		*cause = xstrdup(strerror(errno));
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	if (max_bytes > 0 && n > max_bytes) {
		*cause = xasprintf(_("larger than %zu bytes"), max_bytes);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
