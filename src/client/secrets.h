/* secrets.h: the secrets of the names this user holds on each hub (no lws, no curses).
 *
 * A hub issues a secret with the first welcome under a name; whoever presents it may use
 * the name again, nobody else. The client keeps them in one private file under XDG state
 * ("$XDG_STATE_HOME/confab/names", else "~/.local/state/confab/names"; directory 0700,
 * file 0600, written whole and renamed into place), one line per hub and name:
 * "HUB NAME SECRET", HUB being the hub's host and port as in the program cache. */
#ifndef CONFAB_SECRETS_H
#define CONFAB_SECRETS_H

/* The default file, or NULL when neither XDG_STATE_HOME nor HOME is an absolute path. */
char *secrets_default_path(void);
/* The secret of name on the hub at url, as a new string, or NULL when there is none (or
 * the file cannot be read: *cause is then set to a new string for the log). */
char *secrets_load(const char *path, const char *url, const char *name, char **cause);
/* Keeps secret as the one of name on the hub at url. Returns 0, or -1 with *cause. */
int secrets_save(const char *path, const char *url, const char *name, const char *secret,
    char **cause);

#endif
