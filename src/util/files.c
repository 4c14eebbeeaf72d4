/* files.c: reading a regular file whole, private directories, atomic replacement. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/files.h"
#include "util/i18n.h"
#include "util/xalloc.h"

/* Creates dir and its missing parents (mode 0700). */
int
files_mkdirs(const char *dir)
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

/* Reads a regular file of at most max bytes whole. */
char *
files_read(const char *path, size_t max, size_t *len, struct stat *st)
{
	struct stat sb;
	size_t n = 0, cap;
	ssize_t got;
	char *buf;
	int fd, err;

	/* never block on a FIFO or read a device: a regular file or nothing */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0) {
		err = errno;
		close(fd);
		errno = err;
		return NULL;
	}
	if (st != NULL)
		*st = sb;
	if (!S_ISREG(sb.st_mode) || sb.st_size < 0 || (size_t)sb.st_size > max) {
		close(fd);
		errno = S_ISREG(sb.st_mode) ? EFBIG : EINVAL;
		return NULL;
	}
	cap = (size_t)sb.st_size + 1;
	buf = xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			/* the file grew since fstat() */
			if (cap > max) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap + 1);
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = errno;
			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	close(fd);
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* files_read() with a short message. */
char *
files_read_plain(const char *path, size_t max, size_t *len, char **cause)
{
	char *text;
	int err;

	if ((text = files_read(path, max, len, NULL)) != NULL || cause == NULL)
		return text;
	err = errno;
	if (err == EFBIG && max >= 1024 * 1024 && max % (1024 * 1024) == 0)
		*cause = xasprintf(_("file is larger than %d MiB"), (int)(max / (1024 * 1024)));
	else if (err == EFBIG)
		*cause = xasprintf(_("larger than %zu bytes"), max);
	else if (err == EINVAL)
		*cause = xstrdup(_("not a regular file"));
	else
		*cause = xstrdup(strerror(err));
	errno = err;
	return NULL;
}

/* files_read() with a message a person understands, and the private check. */
char *
files_read_text(const char *path, size_t max, int private_only, size_t *len, char **cause)
{
	struct stat st;
	char *text;
	int err;

	st.st_mode = 0;
	if ((text = files_read(path, max, len, &st)) == NULL) {
		err = errno;
		if (errno == EINVAL)
			*cause = xstrdup(S_ISDIR(st.st_mode) ? _("is a directory, not a file") :
			    _("not a regular file (a FIFO, socket or device is not read)"));
		else if (errno == EFBIG)
			*cause = xasprintf(_("larger than %zu bytes"), max);
		else
			*cause = xstrdup(strerror(errno));
		errno = err;          /* callers may tell a missing file from others */
		return NULL;
	}
	if (private_only && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		*cause = xasprintf(_("others may read it (mode %03o): make it private with "
		    "chmod 600"), (unsigned)(st.st_mode & 0777));
		free(text);
		return NULL;
	}
	return text;
}

/* Writes all of data to fd. 0, or -1 with errno. */
static int
files_write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	ssize_t w;

	while (off < len) {
		w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/* Replaces path by data through a temporary file and rename(). */
int
files_replace(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd, rc = -1, err = 0;

	fd = mkstemp(tmp);     /* mode 0600 */
	if (fd < 0) {
		err = errno;
		free(tmp);
		errno = err;
		return -1;
	}
	if (fchmod(fd, 0600) != 0 || files_write_all(fd, data, len) != 0 || fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && err == 0)
		err = errno;
	if (err == 0 && rename(tmp, path) != 0)
		err = errno;
	if (err != 0)
		unlink(tmp);
	else
		rc = 0;
	free(tmp);
	errno = err;
	return rc;
}
