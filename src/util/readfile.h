/* readfile.h: read a whole regular file into memory, with a size limit. */
#ifndef CONFAB_READFILE_H
#define CONFAB_READFILE_H

#include <stddef.h>

/* Reads the regular file path (at most max bytes) into a new NUL-terminated buffer and
 * sets *len to its length (the NUL not counted). Returns NULL with *cause set to a new
 * string (no file name in it: "No such file or directory", "not a regular file", "file is
 * larger than 4 MiB") when the file cannot be read, is not a regular file (a FIFO would
 * block) or is larger than max. */
char *readfile(const char *path, size_t max, size_t *len, char **cause);

#endif
