/* chatlog.h: chat logs on disk (config "log-chat = yes"), as irssi and WeeChat keep them:
 * one plain-text file per room and per private conversation, under
 * $XDG_STATE_HOME/confab/logs/HUB/ (else ~/.local/state/confab/logs/HUB/), one line per
 * message: "2026-12-03 17:45:02 +0000 <alice> hello", text sanitised (no control
 * characters, no bidi overrides, one line each). Directories are 0700, files 0600.
 * File names are made from what the hub says (room ids, names) and can never leave the
 * directory: see chatlog_file_name(). */
#ifndef CONFAB_CHATLOG_H
#define CONFAB_CHATLOG_H

#include <stdbool.h>
#include <stdint.h>

/* The logs' top directory: $XDG_STATE_HOME/confab/logs (when absolute), else
 * $HOME/.local/state/confab/logs; NULL when neither is usable. New string. */
char *chatlog_default_dir(void);
/* The directory name of a hub URL: "HOST_PORT" ("ws://127.0.0.1:7450/x" gives
 * "127.0.0.1_7450"), with any byte that is not [A-Za-z0-9.-] as '_', never "." or "..".
 * New string. */
char *chatlog_hub_name(const char *url);
/* The file name of a room ("#lobby.log") or, with is_private, of a conversation with a
 * person ("@bob.log", the name lower-cased: names compare case-insensitively). Bytes
 * other than [A-Za-z0-9._-] and UTF-8 letters are written %XX, so '/' never appears.
 * New string. */
char *chatlog_file_name(const char *target, bool is_private);
/* One line of a log (without the newline): "YYYY-MM-DD HH:MM:SS +ZZZZ <from> text", or
 * "* from text" for an action; ts: UTC ms, shown in the local zone; from and text are
 * sanitised (white space squeezed). New string. */
char *chatlog_line(int64_t ts, const char *from, const char *text, bool me);

struct chatlog;

/* Logs under dir/HUB for the hub at url (created on the first write). */
struct chatlog *chatlog_create(const char *dir, const char *url);
void chatlog_free(struct chatlog *cl);
/* Appends a line to the log of target (a room, or with is_private a person). A failure
 * is logged once and the logs are off from then on. */
void chatlog_write(struct chatlog *cl, const char *target, bool is_private, int64_t ts,
    const char *from, const char *text, bool me);
/* The directory the logs of this hub go to (borrowed). */
const char *chatlog_dir(const struct chatlog *cl);

#endif
