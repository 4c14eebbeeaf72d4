/* config.c: the user's config file ("key = value" lines), with errors that name the file
 * and line and suggest the key that was probably meant. */

#include "util/i18n.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "client/config.h"
#include "client/keybind.h"
#include "util/files.h"
#include "net/proxyurl.h"
#include "net/ptline.h"
#include "proto/proto.h"
#include "util/duration.h"
#include "util/files.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The keys, in the order of struct config and of the CONFIG_SET_* bits. */
static const char *const config_key_names[] = {
	"name", "hub", "plain", "bell", "mention-bell", "colours", "time", "clock", "log-file",
	"ca-file", "ignore", "smart-filter", "log-chat", "theme", "mouse", "bind",
	"plain-redraw", "remind", "proxy", "transport", "bridge",
	"transport-exec"
};
#define CONFIG_NKEYS (sizeof config_key_names / sizeof config_key_names[0])

/* Accumulated problems: one line each. */
struct config_errors {
	char *text;
	const char *filename;
	size_t len, cap;   /* bytes in text, bytes allocated (grown by doubling) */
};

/* Frees a list of n strings. */
static void
config_free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Appends a copy of v to a list. */
static void
config_list_add(char ***list, size_t *n, const char *v)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = xstrdup(v);
}

/* Fills cfg with the defaults. */
void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->bell = 1;
	cfg->mention_bell = 1;
	cfg->colours = CONFIG_COLOURS_AUTO;
	cfg->time = CONFIG_TIME_EVENT;
	cfg->clock = CONFIG_CLOCK_24H;
	cfg->remind_ms = CONFIG_REMIND_DEFAULT_MS;
	cfg->plain_redraw = 1;
}

/* Frees cfg's strings and resets it to the defaults. */
void
config_clear(struct config *cfg)
{
	free(cfg->name);
	free(cfg->hub);
	free(cfg->log_file);
	free(cfg->ca_file);
	free(cfg->proxy);
	free(cfg->transport);
	free(cfg->bridge);
	free(cfg->transport_exec);
	free(cfg->path);
	config_free_list(cfg->ignore, cfg->nignore);
	config_free_list(cfg->binds, cfg->nbinds);
	config_init(cfg);
}

/* The key names. */
const char *const *
config_keys(size_t *n)
{
	*n = CONFIG_NKEYS;
	return config_key_names;
}

/* The config file's path from XDG_CONFIG_HOME or HOME; NULL when neither is usable. */
char *
config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		return xasprintf("%s/confab/config", xdg);
	if (home != NULL && home[0] != '\0')
		return xasprintf("%s/.config/confab/config", home);
	return NULL;
}

/* Adds "FILE:LINE: message" to the problems, one per line, in linear time (a file of
 * bad lines must not take minutes); takes msg. */
static void
config_error(struct config_errors *e, size_t line, char *msg)
{
	char *t = xasprintf("%s%s:%zu: %s", e->len > 0 ? "\n" : "", e->filename, line, msg);
	size_t n = strlen(t);

	if (e->len + n + 1 > e->cap) {
		e->cap = 2 * (e->len + n + 1);
		e->text = xrealloc(e->text, e->cap);
	}
	memcpy(e->text + e->len, t, n + 1);
	e->len += n;
	free(t);
	free(msg);
}

/* Levenshtein distance between two short ASCII strings (capped for long ones). */
static size_t
config_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, prev, cur;
	size_t row[33];

	if (la > 32 || lb > 32)
		return 99;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			prev = row[j];
			row[j] = cur;
		}
	}
	return row[lb];
}

/* The key closest to an unknown one (NULL when none is close). */
static const char *
config_suggest(const char *key)
{
	const char *best = NULL;
	size_t i, d, bestd = 3;

	for (i = 0; i < CONFIG_NKEYS; i++) {
		d = config_distance(key, config_key_names[i]);
		if (d < bestd) {
			bestd = d;
			best = config_key_names[i];
		}
	}
	return best;
}

/* Parses a yes/no value: 1, 0, or -1 when it is neither. */
static int
config_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Expands a leading "~/" with $HOME. New string, or NULL when HOME is unset. */
static char *
config_expand(const char *v)
{
	const char *home;

	if (strncmp(v, "~/", 2) != 0)
		return xstrdup(v);
	home = getenv("HOME");
	if (home == NULL || home[0] == '\0')
		return NULL;
	return xasprintf("%s/%s", home, v + 2);
}

/* Replaces *slot by a copy of v. */
static void
config_set_string(char **slot, char *v)
{
	free(*slot);
	*slot = v;
}

/* Parses remind: "off" (or no, 0), plain minutes, or a duration like 5m, 90s, 1:30. */
static char *
config_remind(struct config *cfg, const char *v, const char *shown)
{
	int64_t ms;
	size_t i, len = strlen(v);

	for (i = 0; i < len && v[i] >= '0' && v[i] <= '9'; i++)
		;
	if (config_bool(v) == 0)
		ms = 0;
	else if (i == len && len > 0 && len <= 4)
		ms = (int64_t)atoi(v) * 60000;   /* plain digits are minutes */
	else if (duration_parse(v, &ms) != 0)
		ms = -1;
	if (ms < 0 || ms > CONFIG_REMIND_MAX_MS)
		return xasprintf(_("bad value \"%s\" for remind: use a time before the session "
		    "like 5m, 90s or 1h (at most 24h), or off"), shown);
	cfg->remind_ms = ms;
	return NULL;
}

/* Replaces the ignore list by the names in v (separated by spaces or commas). */
static char *
config_ignore(struct config *cfg, const char *v, const char *shown)
{
	char *copy = xstrdup(v), *w, *save = NULL;

	config_free_list(cfg->ignore, cfg->nignore);
	cfg->ignore = NULL;
	cfg->nignore = 0;
	for (w = strtok_r(copy, " ,\t", &save); w != NULL; w = strtok_r(NULL, " ,\t", &save)) {
		if (proto_name_check(w) != PE_NONE) {
			char *bad = sanitize_str(w), *msg = xasprintf(_("\"%s\" in the ignore "
			    "list is not a name (in \"%s\")"), bad, shown);
			free(bad);
			free(copy);
			return msg;
		}
		config_list_add(&cfg->ignore, &cfg->nignore, w);
	}
	free(copy);
	return NULL;
}

static char *config_apply_reach(struct config *cfg, size_t key, const char *v,
    const char *shown);

/* Applies the keys after ca-file; returns NULL, or a new message. */
static char *
config_apply_more(struct config *cfg, size_t key, const char *v, const char *shown)
{
	char *end, *cause = NULL, *msg;
	long n;
	int b;

	switch (key) {
	case 10: /* ignore */
		return config_ignore(cfg, v, shown);
	case 11: /* smart-filter: yes, no, or minutes */
		n = strtol(v, &end, 10);
		if (*v != '\0' && *end == '\0' && n >= 1 && n <= 24 * 60) {
			cfg->smart_minutes = (int)n;
			return NULL;
		}
		if ((b = config_bool(v)) < 0)
			return xasprintf(_("bad value \"%s\" for smart-filter: use yes, no or a "
			    "number of minutes (1 to 1440)"), shown);
		cfg->smart_minutes = b ? CONFIG_SMART_MINUTES : 0;
		return NULL;
	case 12: /* log-chat */
	case 14: /* mouse */
	case 16: /* plain-redraw */
		if ((b = config_bool(v)) < 0)
			return xasprintf(_("bad value \"%s\" for %s: use yes or no"), shown,
			    config_key_names[key]);
		if (key == 12)
			cfg->log_chat = b;
		else if (key == 14)
			cfg->mouse = b;
		else
			cfg->plain_redraw = b;
		return NULL;
	case 13: /* theme */
		if (strcasecmp(v, "dark") == 0)
			cfg->theme = CONFIG_THEME_DARK;
		else if (strcasecmp(v, "light") == 0)
			cfg->theme = CONFIG_THEME_LIGHT;
		else
			return xasprintf(_("bad value \"%s\" for theme: use dark (for a dark "
			    "background) or light"), shown);
		return NULL;
	case 15: /* bind KEY ACTION */
		if (keybind_parse(v, NULL, &cause) != 0) {
			msg = xasprintf(_("bad binding \"%s\": %s"), shown, cause);
			free(cause);
			return msg;
		}
		config_list_add(&cfg->binds, &cfg->nbinds, v);
		return NULL;
	case 17: /* remind */
		return config_remind(cfg, v, shown);
	case 18:
	case 19:
	case 20:
	case 21:
		return config_apply_reach(cfg, key, v, shown);
	default:
		return NULL;
	}
}

/* Applies one of the keys of the way to the hub (proxy, transport, bridge,
 * transport-exec); returns NULL, or a new message saying what is wrong. */
static char *
config_apply_reach(struct config *cfg, size_t key, const char *v, const char *shown)
{
	struct proxyurl pu;
	struct ptbridge b;
	char *cause = NULL, *msg, *s;

	switch (key) {
	case 18: /* proxy */
		if (strcmp(v, "none") != 0) {
			if (proxyurl_parse(v, &pu, &cause) != 0) {
				msg = sanitize_str(cause);   /* it may quote the value */
				free(cause);
				return msg;
			}
			proxyurl_clear(&pu);
		}
		config_set_string(&cfg->proxy, xstrdup(v));
		return NULL;
	case 19: /* transport */
		if (!ptline_transport_ok(v))
			return xasprintf(_("bad value \"%s\" for transport: a transport name such "
			    "as obfs4"), shown);
		config_set_string(&cfg->transport, xstrdup(v));
		return NULL;
	case 20: /* bridge */
		if (ptline_bridge_parse(v, &b, &cause) != 0) {
			msg = sanitize_str(cause);   /* it quotes the line: found by fuzz_config */
			free(cause);
			return msg;
		}
		ptline_bridge_clear(&b);
		config_set_string(&cfg->bridge, xstrdup(v));
		return NULL;
	case 21: /* transport-exec */
		s = config_expand(v);
		if (s == NULL)
			return xasprintf(_("cannot expand \"%s\" for %s: HOME is not set"), shown,
			    config_key_names[key]);
		config_set_string(&cfg->transport_exec, s);
		return NULL;
	default:
		return NULL;
	}
}

/* Applies one key = value; returns NULL, or a new message saying what is wrong. */
static char *
config_apply(struct config *cfg, size_t key, const char *v, const char *shown)
{
	char *s;
	int b;

	switch (key) {
	case 0: /* name */
		switch (proto_name_check(v)) {
		case PE_NONE:
			config_set_string(&cfg->name, xstrdup(v));
			return NULL;
		case PE_TOO_LONG:
			return xasprintf(_("name \"%s\" is longer than %d bytes"), shown,
			    PROTO_MAX_NAME);
		default:
			return xasprintf(_("name \"%s\" is not allowed: no spaces, control "
			    "characters, ':' or ',', and it may not start with '#', '/' or '@'"),
			    shown);
		}
	case 1: /* hub */
		if (strncmp(v, "ws://", 5) != 0 && strncmp(v, "wss://", 6) != 0)
			return xasprintf(_("bad value \"%s\" for hub: use ws://HOST:PORT or "
			    "wss://HOST:PORT"), shown);
		config_set_string(&cfg->hub, xstrdup(v));
		return NULL;
	case 2: /* plain */
	case 3: /* bell */
	case 4: /* mention-bell */
		b = config_bool(v);
		if (b < 0)
			return xasprintf(_("bad value \"%s\" for %s: use yes or no"), shown,
			    config_key_names[key]);
		if (key == 2)
			cfg->plain = b;
		else if (key == 3)
			cfg->bell = b;
		else
			cfg->mention_bell = b;
		return NULL;
	case 5: /* colours */
		if (strcasecmp(v, "auto") == 0) {
			cfg->colours = CONFIG_COLOURS_AUTO;
			return NULL;
		}
		b = config_bool(v);
		if (b < 0)
			return xasprintf(_("bad value \"%s\" for colours: use yes, no or auto"),
			    shown);
		cfg->colours = b ? CONFIG_COLOURS_YES : CONFIG_COLOURS_NO;
		return NULL;
	case 6: /* time */
		if (strcasecmp(v, "local") == 0)
			cfg->time = CONFIG_TIME_LOCAL;
		else if (strcasecmp(v, "event") == 0)
			cfg->time = CONFIG_TIME_EVENT;
		else
			return xasprintf(_("bad value \"%s\" for time: use local or event"), shown);
		return NULL;
	case 7: /* clock */
		if (strcasecmp(v, "24h") == 0 || strcmp(v, "24") == 0)
			cfg->clock = CONFIG_CLOCK_24H;
		else if (strcasecmp(v, "12h") == 0 || strcmp(v, "12") == 0)
			cfg->clock = CONFIG_CLOCK_12H;
		else
			return xasprintf(_("bad value \"%s\" for clock: use 24h or 12h"), shown);
		return NULL;
	case 8: /* log-file */
	case 9: /* ca-file */
		s = config_expand(v);
		if (s == NULL)
			return xasprintf(_("cannot expand \"%s\" for %s: HOME is not set"), shown,
			    config_key_names[key]);
		config_set_string(key == 8 ? &cfg->log_file : &cfg->ca_file, s);
		return NULL;
	default:
		return config_apply_more(cfg, key, v, shown);
	}
}

/* Trims spaces and tabs at both ends of s[*a..*b). */
static void
config_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && (s[*a] == ' ' || s[*a] == '\t'))
		(*a)++;
	while (*b > *a && (s[*b - 1] == ' ' || s[*b - 1] == '\t' || s[*b - 1] == '\r'))
		(*b)--;
}

/* Narrows s[*a..*b) (trimmed) to the value: the text in double quotes when it starts with
 * one (only a comment may follow), else up to a '#' after a space or tab (a comment).
 * Returns -1 for a bad quote. */
static int
config_value(const char *s, size_t *a, size_t *b)
{
	const char *q;
	size_t i, ra, rb;

	if (*a < *b && s[*a] == '"') {
		q = memchr(s + *a + 1, '"', *b - *a - 1);
		if (q == NULL)
			return -1;
		ra = (size_t)(q - s) + 1;
		rb = *b;
		config_trim(s, &ra, &rb);
		if (ra < rb && s[ra] != '#')
			return -1;
		(*a)++;
		*b = (size_t)(q - s);
		return 0;
	}
	for (i = *a; i < *b; i++) {
		if (s[i] == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t')) {
			*b = i;
			break;
		}
	}
	config_trim(s, a, b);
	return 0;
}

/* Parses one line (without its newline). */
static void
config_line(struct config *cfg, const char *s, size_t len, size_t lineno,
    struct config_errors *e)
{
	size_t a = 0, b = len, eq, ka, kb, va, vb, k;
	char *key, *value, *shown_key, *shown, *msg;
	const char *sugg;

	config_trim(s, &a, &b);
	if (a == b || s[a] == '#')
		return;
	if (!utf8_valid(s + a, b - a) || memchr(s + a, '\0', b - a) != NULL) {
		config_error(e, lineno, xstrdup(_("not valid UTF-8 text")));
		return;
	}
	for (eq = a; eq < b && s[eq] != '='; eq++)
		;
	if (eq == b) {
		shown = sanitize_text(s + a, b - a, 0);
		config_error(e, lineno, xasprintf(_("expected \"key = value\", not \"%s\""),
		    shown));
		free(shown);
		return;
	}
	ka = a;
	kb = eq;
	va = eq + 1;
	vb = b;
	config_trim(s, &ka, &kb);
	config_trim(s, &va, &vb);
	key = xstrndup(s + ka, kb - ka);
	shown_key = sanitize_str(key);
	for (k = 0; k < CONFIG_NKEYS; k++) {
		if (strcmp(key, config_key_names[k]) == 0)
			break;
	}
	if (strcmp(key, "colors") == 0)
		k = 5;
	if (ka == kb) {
		config_error(e, lineno, xstrdup(_("missing key before \"=\"")));
		goto out;
	}
	if (k == CONFIG_NKEYS) {
		sugg = config_suggest(key);
		if (sugg != NULL)
			msg = xasprintf(_("unknown key \"%s\"; did you mean \"%s\"?"), shown_key,
			    sugg);
		else
			msg = xasprintf(_("unknown key \"%s\"; the keys are name, hub, plain, "
			    "bell, mention-bell, colours, time, clock, log-file, ca-file, ignore, "
			    "smart-filter, log-chat, theme, mouse, bind, plain-redraw, remind, proxy, transport, "
			    "bridge and transport-exec"),
			    shown_key);
		config_error(e, lineno, msg);
		goto out;
	}
	if (config_value(s, &va, &vb) != 0) {
		config_error(e, lineno, xstrdup(_("a quoted value needs its closing quote, and "
		    "only a comment may follow it")));
		goto out;
	}
	if (va == vb) {
		config_error(e, lineno, xasprintf(_("%s needs a value"), config_key_names[k]));
		goto out;
	}
	value = xstrndup(s + va, vb - va);
	shown = sanitize_str(value);
	msg = config_apply(cfg, k, value, shown);
	if (msg != NULL)
		config_error(e, lineno, msg);
	else
		cfg->set |= 1u << k;
	free(shown);
	free(value);
out:
	free(shown_key);
	free(key);
}

/* Parses a whole config text named filename. */
int
config_parse(struct config *cfg, const char *text, size_t len, const char *filename,
    char **cause)
{
	struct config_errors e = { NULL, filename, 0, 0 };
	size_t pos = 0, end, lineno = 0;
	const char *nl;

	*cause = NULL;
	while (pos < len) {
		lineno++;
		nl = memchr(text + pos, '\n', len - pos);
		end = nl == NULL ? len : (size_t)(nl - text);
		config_line(cfg, text + pos, end - pos, lineno, &e);
		pos = end + 1;
	}
	if (e.text == NULL)
		return 0;
	*cause = e.text;
	return -1;
}

/* Reads the config file at path (NULL: the default) into cfg. */
int
config_load(struct config *cfg, const char *path, char **cause)
{
	char *p, *buf, *why = NULL;
	size_t n;
	int rc;

	*cause = NULL;
	p = path != NULL ? xstrdup(path) : config_default_path();
	if (p == NULL)
		return 0;
	/* a regular file only: a FIFO or a device is refused, never waited on */
	buf = files_read_text(p, CONFIG_MAX_BYTES, 0, &n, &why);
	if (buf == NULL) {
		if (errno == ENOENT || errno == ENOTDIR) {
			free(why);
			free(p);
			return 0;
		}
		if (errno == EFBIG)
			*cause = xasprintf(_("%s: larger than %d KiB; is it really the config "
			    "file?"), p, CONFIG_MAX_BYTES / 1024);
		else
			*cause = xasprintf(_("%s: cannot read: %s"), p, why);
		free(why);
		free(p);
		return -1;
	}
	rc = config_parse(cfg, buf, n, p, cause);
	free(buf);
	free(cfg->path);
	cfg->path = p;
	return rc;
}

/* True when line (len bytes, no newline) sets key. */
static bool
config_line_is(const char *line, size_t len, const char *key)
{
	size_t a = 0, klen = strlen(key);

	while (a < len && (line[a] == ' ' || line[a] == '\t'))
		a++;
	if (len - a < klen || strncmp(line + a, key, klen) != 0)
		return false;
	for (a += klen; a < len && (line[a] == ' ' || line[a] == '\t'); a++)
		;
	return a < len && line[a] == '=';
}

/* Sets key to value in the file at path (the lines that set it are replaced by one at the
 * end; value NULL: they are removed), keeping every other line as it is. */
int
config_save_key(const char *path, const char *key, const char *value, char **cause)
{
	char *text, *out, *dir, *slash, *t;
	size_t len = 0, pos = 0, end, olen = 0;
	const char *nl;
	int rc;

	*cause = NULL;
	text = files_read(path, CONFIG_MAX_BYTES, &len, NULL);
	if (text == NULL && errno != ENOENT) {
		*cause = xstrdup(strerror(errno));
		return -1;
	}
	out = xmalloc(len + strlen(key) + (value != NULL ? strlen(value) : 0) + 8);
	while (text != NULL && pos < len) {
		nl = memchr(text + pos, '\n', len - pos);
		end = nl == NULL ? len : (size_t)(nl - text);
		if (!config_line_is(text + pos, end - pos, key)) {
			memcpy(out + olen, text + pos, end - pos);
			olen += end - pos;
			out[olen++] = '\n';
		}
		pos = end + 1;
	}
	if (value != NULL) {
		t = xasprintf("%s = %s\n", key, value);
		memcpy(out + olen, t, strlen(t));
		olen += strlen(t);
		free(t);
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		files_mkdirs(dir);
	}
	free(dir);
	rc = files_replace(path, out, olen);
	if (rc != 0)
		*cause = xstrdup(strerror(errno));
	free(out);
	free(text);
	return rc;
}
