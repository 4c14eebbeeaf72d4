/* cache.h: the client's on-disk cache of each hub's program (no lws, no curses).
 *
 * One file per hub, named after the host and port of the hub's URL, in a directory that
 * is created (mode 0700) when missing; files are written whole to a temporary file and
 * renamed into place (mode 0600), so a reader never sees half a program. A cache file is
 * only a hint: any problem with it is reported to the caller, who logs it and goes on. */
#ifndef CONFAB_CACHE_H
#define CONFAB_CACHE_H

#include "model/program.h"

#define CACHE_MAX_FILE (8 * 1024 * 1024)  /* larger cache files are ignored */

/* The default cache directory: "$XDG_CACHE_HOME/confab", else "$HOME/.cache/confab".
 * Returns a new string, or NULL when neither variable is set to an absolute path. */
char *cache_default_dir(void);

/* The file name (without directory) for the hub at url ("ws://HOST[:PORT][/path]"):
 * "program-HOST-PORT.json" with every byte outside [A-Za-z0-9.] of HOST replaced by '_'
 * (port 80 when absent). Returns a new string, or NULL when url has no host. */
char *cache_file_name(const char *url);

/* Loads the cached program of the hub at url from dir. Returns a new program; NULL with
 * *cause NULL when there is none; NULL with *cause set to a new string when the file
 * cannot be read or does not hold a valid program. */
struct program *cache_load_program(const char *dir, const char *url, char **cause);

/* Stores p as the cached program of the hub at url in dir (creating dir). Returns 0, or
 * -1 with *cause set to a new string. */
int cache_save_program(const char *dir, const char *url, const struct program *p,
    char **cause);

#endif
