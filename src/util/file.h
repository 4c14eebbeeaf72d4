/* file.h: opening files named by users (config, program, tokens) safely. */
#ifndef CONFAB_FILE_H
#define CONFAB_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

/* Opens path for reading as a regular file: a FIFO, a device or a directory is refused at
 * once (never waited on: the open does not block), as is a file larger than max_bytes (0:
 * no limit). With private_only, a file that others may read or write is refused too (for
 * secrets). Returns a stream, or NULL with *cause set to a new string (without the path:
 * callers say "PATH: CAUSE"). *sb (may be NULL) gets the file's status. */
FILE *cf_open_regular(const char *path, size_t max_bytes, int private_only, struct stat *sb,
    char **cause);
/* Reads a whole regular file (as cf_open_regular) into a new NUL-terminated buffer of *len
 * bytes. NULL with *cause on error. */
char *cf_read_regular(const char *path, size_t max_bytes, int private_only, size_t *len,
    char **cause);

#endif
