/* config.h: the user's config file, $XDG_CONFIG_HOME/confab/config (else
 * ~/.config/confab/config).
 *
 * Format: one "key = value" per line (spaces around '=' and at both ends are ignored);
 * blank lines are ignored; '#' at the start of a line, or after a space or tab, starts a
 * comment that runs to the end of the line ("name = a#1" keeps its '#'). A value may be
 * put in double quotes to keep spaces at its ends or a " #" inside it. A key given twice:
 * the last one wins.
 *
 *   name = alice                   display name
 *   hub = ws://hub.example:7450    hub to connect to when none is given
 *   plain = no                     yes: always plain line mode
 *   bell = yes                     ring the terminal bell when a timer reaches zero
 *   mention-bell = yes             ring it when someone mentions your name
 *   colours = auto                 yes, no, or auto (colours unless NO_COLOR is set or the
 *                                  terminal has none)
 *   time = event                   event: times in the conference's zone; local: yours
 *   clock = 24h                    24h or 12h
 *   log-file = ~/confab.log        diagnostics go there ("~/" is your home)
 *   ca-file = ~/org-ca.pem         wss:// hubs: trust the certificate authorities in this
 *                                  PEM file instead of the system's
 *   ignore = bob carol             names whose lines are hidden (/ignore keeps it)
 *   smart-filter = no              yes (or MINUTES, 10 for yes): hide join, part and quit
 *                                  notices of people who have not spoken that recently
 *   log-chat = no                  yes: chat logs under $XDG_STATE_HOME/confab/logs/HUB/
 *   theme = dark                   dark or light: colours for the terminal's background
 *   mouse = no                     yes: the wheel scrolls, a click on the room bar switches
 *   bind = ctrl-f find             a key binding (any number of lines; see keybind.h)
 *   plain-redraw = yes             plain mode on a terminal keeps what is typed on its own
 *                                  line (carriage return and erase-line only); no: never
 *                                  an escape sequence
 *   remind = 5m                    remind of a starred session this long before it starts
 *                                  (plain digits: minutes; off: no reminders)
 *   proxy = socks5h://127.0.0.1:9050   reach the hub through this proxy (http://,
 *                                  socks5h://, socks5://; "none": not even the
 *                                  environment's); see src/net/route.h
 *   transport = obfs4              reach the hub through this pluggable transport ...
 *   bridge = 203.0.113.7:443 cert=... iat-mode=0   ... and this bridge
 *   transport-exec = /usr/bin/obfs4proxy   the transport's program (default: from PATH)
 *
 * yes/no values also accept true/false, on/off and 1/0. Command-line options override the
 * file: the caller applies them after config_load(), using the "set" bits to tell whether
 * the file gave a value. */
#ifndef CONFAB_CONFIG_H
#define CONFAB_CONFIG_H

#include <stddef.h>

/* The most bytes of a config file that are read. */
#define CONFIG_MAX_BYTES (64 * 1024)

enum config_colours { CONFIG_COLOURS_AUTO = 0, CONFIG_COLOURS_YES, CONFIG_COLOURS_NO };
enum config_time { CONFIG_TIME_EVENT = 0, CONFIG_TIME_LOCAL };
enum config_clock { CONFIG_CLOCK_24H = 0, CONFIG_CLOCK_12H };
enum config_theme { CONFIG_THEME_DARK = 0, CONFIG_THEME_LIGHT };
#define CONFIG_SMART_MINUTES 10   /* smart-filter = yes */

/* Bits of struct config's set: which keys the file gave. */
enum {
	CONFIG_SET_NAME = 1 << 0,
	CONFIG_SET_HUB = 1 << 1,
	CONFIG_SET_PLAIN = 1 << 2,
	CONFIG_SET_BELL = 1 << 3,
	CONFIG_SET_MENTION_BELL = 1 << 4,
	CONFIG_SET_COLOURS = 1 << 5,
	CONFIG_SET_TIME = 1 << 6,
	CONFIG_SET_CLOCK = 1 << 7,
	CONFIG_SET_LOG_FILE = 1 << 8,
	CONFIG_SET_CA_FILE = 1 << 9,
	CONFIG_SET_IGNORE = 1 << 10,
	CONFIG_SET_SMART_FILTER = 1 << 11,
	CONFIG_SET_LOG_CHAT = 1 << 12,
	CONFIG_SET_THEME = 1 << 13,
	CONFIG_SET_MOUSE = 1 << 14,
	CONFIG_SET_BIND = 1 << 15,
	CONFIG_SET_PLAIN_REDRAW = 1 << 16,
	CONFIG_SET_REMIND = 1 << 17,
	CONFIG_SET_PROXY = 1 << 18,
	CONFIG_SET_TRANSPORT = 1 << 19,
	CONFIG_SET_BRIDGE = 1 << 20,
	CONFIG_SET_TRANSPORT_EXEC = 1 << 21
};

#define CONFIG_REMIND_DEFAULT_MS (5 * 60 * 1000)
#define CONFIG_REMIND_MAX_MS (24 * 60 * 60 * 1000)

/* The settings. Strings are owned by the struct (freed by config_clear). */
struct config {
	char *name;                   /* NULL: not set ($USER is the caller's default) */
	char *hub;                    /* NULL: not set */
	int plain;                    /* default 0 */
	int bell;                     /* default 1 */
	int mention_bell;             /* default 1 */
	enum config_colours colours;  /* default auto */
	enum config_time time;        /* default event */
	enum config_clock clock;      /* default 24h */
	char *log_file;               /* NULL: none; "~/" already expanded */
	char *ca_file;                /* NULL: the system's authorities; "~/" expanded */
	long long remind_ms;          /* default CONFIG_REMIND_DEFAULT_MS; 0: off */
	char **ignore;                /* names ignored */
	size_t nignore;
	int smart_minutes;            /* 0: off (default) */
	int log_chat;                 /* default 0 */
	enum config_theme theme;      /* default dark */
	int mouse;                    /* default 0 */
	char **binds;                 /* "KEY ACTION" lines, in file order */
	size_t nbinds;
	int plain_redraw;             /* default 1 */
	char *proxy;                  /* a proxy URL or "none"; NULL: the environment's */
	char *transport;              /* a pluggable transport's name, or NULL */
	char *bridge;                 /* its bridge line, or NULL */
	char *transport_exec;         /* its program; NULL: found in PATH; "~/" expanded */
	unsigned set;                 /* CONFIG_SET_* bits */
	char *path;                   /* the file that was read, or NULL (none found) */
};

/* Fills cfg with the defaults (nothing set). */
void config_init(struct config *cfg);
/* Frees cfg's strings and resets it to the defaults. Safe on a config_init'ed struct. */
void config_clear(struct config *cfg);

/* The path of the config file: $XDG_CONFIG_HOME/confab/config when XDG_CONFIG_HOME is set
 * to an absolute path, else $HOME/.config/confab/config; NULL when neither is usable.
 * New string. */
char *config_default_path(void);

/* Reads the file at path (NULL: config_default_path()) into cfg (which must have been
 * config_init'ed). A missing file is not an error (cfg->path stays NULL). Returns 0, or -1
 * with *cause set to a new, translated message of one line per problem, each
 * "PATH:LINE: what is wrong" (e.g. 'config:3: unknown key "colour"; did you mean
 * "colours"?'), or "PATH: why it cannot be read". Good lines are applied even when others
 * are bad, so the caller may warn and go on, or stop. */
int config_load(struct config *cfg, const char *path, char **cause);

/* Parses text[0..len) as a config file named filename (used in messages) into cfg. Same
 * results as config_load(); does not set cfg->path. */
int config_parse(struct config *cfg, const char *text, size_t len, const char *filename,
    char **cause);

/* Sets key to value in the config file at path, keeping its other lines (the lines that
 * set key are replaced by one "key = value" at the end; value NULL removes them); the
 * file and its directory are made when missing, and it is replaced atomically. Returns 0,
 * or -1 with *cause set to a new string. */
int config_save_key(const char *path, const char *key, const char *value, char **cause);

/* The key names in file order (borrowed, static); *n gets their number. */
const char *const *config_keys(size_t *n);

#endif
