/* files.h: small file helpers for the client's state and cache files: read a regular file
 * whole without ever blocking on a FIFO, create private directories, and replace a file
 * atomically (a reader sees the old file or the new one, never half of one). */
#ifndef CONFAB_FILES_H
#define CONFAB_FILES_H

#include <stddef.h>
#include <sys/stat.h>

/* Creates dir and its missing parents with mode 0700. Returns 0, or -1 with errno set. */
int files_mkdirs(const char *dir);

/* Reads the file at path whole into a new NUL-terminated buffer (*len: its size without the
 * NUL). Only a regular file is read: the path is opened non-blocking, so a FIFO is never
 * waited on. Returns the buffer, or NULL with errno set: from open() or read() (ENOENT:
 * no file), EINVAL when the path is not a regular file (a directory, a FIFO, a device),
 * EFBIG when it holds more than max bytes. st (may be NULL) gets the file's status whenever
 * it was taken (also for EINVAL and EFBIG). */
char *files_read(const char *path, size_t max, size_t *len, struct stat *st);

/* files_read() with a short message in *cause on error (may be NULL; a new string without
 * the path: "not a regular file", "file is larger than 4 MiB", or strerror()), for the
 * program and import files. */
char *files_read_plain(const char *path, size_t max, size_t *len, char **cause);

/* files_read() for files named by users (a config, a program, a token file): a message a
 * person understands in *cause on error (a new string, without the path: callers say
 * "PATH: CAUSE"), translated. With private_only, a file that others may read or write is
 * refused too (for secrets). */
char *files_read_text(const char *path, size_t max, int private_only, size_t *len,
    char **cause);

/* Replaces the file at path by data[0..len): writes a temporary file (mode 0600) in the same
 * directory, flushes it to disk and renames it over path. Returns 0, or -1 with errno set
 * (the temporary file is removed). */
int files_replace(const char *path, const char *data, size_t len);

#endif
