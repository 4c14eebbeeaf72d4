/* confabd.c: the confab session hub daemon: options, program, tokens, the store, the TLS
 * certificate, the lws loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <libwebsockets.h>

#include "hub/hub_demo.h"
#include "hub/hub_export.h"
#include "hub/hub_lws.h"
#include "import/import.h"
#include "import/import_kinds.h"
#include "model/program.h"
#include "net/tlscert.h"
#include "proto/proto.h"
#include "util/clock.h"
#include "util/files.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define CONFABD_DEFAULT_HOST "127.0.0.1"
#define CONFABD_DEFAULT_PORT 7450
#define CONFABD_MIN_TOKEN 8
#define CONFABD_MAX_TOKENS_FILE (1024 * 1024)
#define CONFABD_MAX_ORIGINS 16
#define CONFABD_DRAIN_MS 3000
#define CONFABD_CERT_WARN_DAYS 14  /* warn when the certificate expires sooner */

static volatile sig_atomic_t confabd_stop, confabd_reload;
static struct lws_context *confabd_cx;
static struct hub_server *confabd_srv;   /* for the log: accept() failures */

/* What the command line asked for. */
struct confabd_opts {
	const char *program_file, *token_file, *invite_file, *log_file, *data_dir, *export_dir;
	const char *check_file, *kinds_file;      /* --check-program, --kinds */
	struct import_options iopts;              /* --timezone */
	const char *welcome_file, *tls_cert, *tls_key;
	const char *origins[CONFABD_MAX_ORIGINS];
	size_t norigins;
	const char *metrics_allow[CONFABD_MAX_ORIGINS];
	size_t nmetrics_allow;
	struct hub_limits limits;
	char *host;
	int port, demo, log_addresses;
	long retain_days;
	enum log_level level;
};

/* Prints a command-line error and exits 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
confabd_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "confabd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n", _("Try 'confabd --help'."));
	exit(2);
}

/* Prints the help text. */
static void
confabd_help(void)
{
	printf(_("Usage: confabd [OPTION]... (--program FILE | --demo)\n"
	    "  or:  confabd --check-program FILE [--kinds FILE] [--timezone ZONE]\n"
	    "Run a confab session hub: chat rooms, timers and the program of a virtual conference.\n"
	    "\n"
	    "  -l, --listen HOST:PORT      listen there (default %s:%d; port 0: any free port)\n"
	    "  -p, --program FILE          serve the program in FILE: a confab program, a\n"
	    "                              frab/pretalx schedule.json, a frab/Pentabarf\n"
	    "                              schedule.xml or an iCalendar file\n"
	    "  -c, --check-program FILE    check a program file, summarise it and exit\n"
	    "                              (0: it can be served, 1: it cannot)\n"
	    "  -k, --kinds FILE            rules that give imported sessions their kinds\n"
	    "  -z, --timezone ZONE         the conference's time zone, for files that name\n"
	    "                              none (or a wrong one)\n"
	    "  -d, --demo                  serve the built-in PTIM 2020 demo program, live now\n"
	    "  -t, --facilitator-token-file FILE\n"
	    "                              facilitator tokens, one per line, NAME:TOKEN or TOKEN\n"
	    "                              (a private file)\n"
	    "  -C, --tls-cert FILE         serve wss:// with the certificate (chain) in FILE\n"
	    "  -K, --tls-key FILE          ... and its private key in FILE (PEM, not encrypted)\n"
	    "  -i, --invite-token-file FILE\n"
	    "                              make the event invite-only: invite tokens, one per line\n"
	    "  -D, --data-dir DIR          keep chat, rooms, timers, names and moderation in\n"
	    "                              DIR/confabd.db (SQLite) across restarts\n"
	    "  -x, --export OUT            with --data-dir: write each room's chat into OUT\n"
	    "                              (text and JSON Lines) and exit\n"
	    "  -r, --retain-days N         delete chat older than N days (with --data-dir)\n"
	    "  -w, --welcome-file FILE     show FILE (code of conduct, privacy notice) on join\n"
	    "  -o, --allow-origin ORIGIN   let web pages from ORIGIN connect (repeatable)\n"
	    "  -m, --metrics-allow ADDR    who may GET /health and /metrics: an address, or a\n"
	    "                              prefix ending in . or : (repeatable; default\n"
	    "                              loopback)\n"
	    "      --log-addresses         log attendees' addresses (not logged by default)\n"
	    "      --limit NAME=SPEC       change a rate limit: NAME say, msg, join, history,\n"
	    "                              other (SPEC PER_MINUTE/BURST or off), conns (open\n"
	    "                              connections per address), hellos (a minute per\n"
	    "                              address), queue (SOFT/HARD KiB queued for one\n"
	    "                              connection: stop reading it / drop it), stall\n"
	    "                              (seconds over SOFT before it is dropped), or all=off\n"
	    "      --limit-loopback        apply the per-address limits to loopback too\n"
	    "  -L, --log-file FILE         log to FILE instead of standard error\n"
	    "  -v, --verbose               log more\n"
	    "  -q, --quiet                 log errors only\n"
	    "  -h, --help                  show this help and exit\n"
	    "  -V, --version               show the version and exit\n"),
	    CONFABD_DEFAULT_HOST, CONFABD_DEFAULT_PORT);
}

/* Splits HOST:PORT (also [V6]:PORT) into host (new string) and port; -1 when malformed. */
static int
confabd_parse_listen(const char *arg, char **host, int *port)
{
	const char *colon = strrchr(arg, ':'), *h = arg;
	size_t hlen;
	char *end;
	long p;

	if (colon == NULL || colon[1] == '\0')
		return -1;
	errno = 0;
	p = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || p < 0 || p > 65535)
		return -1;
	hlen = (size_t)(colon - arg);
	if (hlen >= 2 && arg[0] == '[' && arg[hlen - 1] == ']') {
		h = arg + 1;
		hlen -= 2;
	}
	if (hlen == 0)
		return -1;
	*host = xstrndup(h, hlen);
	*port = (int)p;
	return 0;
}

/* Reads tokens from path (a private regular file) into *tokens. With named, a line may be
 * NAME:TOKEN (that name's token). Returns the count, or -1 with *cause. The tokens
 * themselves are never logged. */
static int
confabd_load_tokens(const char *path, bool named, char ***tokens, size_t *ntokens,
    char **cause)
{
	char *text, *line, *next, *s, *e, *t, *why = NULL;
	size_t len, lineno = 0;

	*tokens = NULL;
	*ntokens = 0;
	if ((text = files_read_text(path, CONFABD_MAX_TOKENS_FILE, 1, &len, &why)) == NULL) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return -1;
	}
	for (line = text; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		t = named ? strchr(s, ':') : NULL;
		if (t != NULL) {
			*t = '\0';
			if (proto_name_check(s) != PE_NONE) {
				*cause = xasprintf(_("%s:%zu: not a valid name before ':' (lines "
				    "are NAME:TOKEN or TOKEN)"), path, lineno);
				goto fail;
			}
			*t++ = ':';
		} else
			t = s;
		if (strlen(t) < CONFABD_MIN_TOKEN || strlen(t) > 256) {
			*cause = xasprintf(_("%s:%zu: a token must have %d to %d characters"), path,
			    lineno, CONFABD_MIN_TOKEN, 256);
			goto fail;
		}
		*tokens = xreallocarray(*tokens, *ntokens + 1, sizeof **tokens);
		(*tokens)[(*ntokens)++] = xstrdup(s);
	}
	if (*ntokens == 0) {
		*cause = xasprintf(_("%s: no tokens in file"), path);
		goto fail;
	}
	free(text);
	return (int)*ntokens;
fail:
	free(text);
	while (*ntokens > 0)
		free((*tokens)[--*ntokens]);
	free(*tokens);
	*tokens = NULL;
	return -1;
}

/* Loads a program file (any format import reads), with the kinds file and options:
 * the warnings of the import go to the log; NULL after saying why on standard error. */
static struct program *
confabd_load(const char *path, const char *kinds_file, struct import_options *opts)
{
	struct import_kinds *kinds = NULL;
	struct import_report report;
	struct program *p;
	char *cause = NULL;
	size_t i;

	if (kinds_file != NULL && (kinds = import_kinds_load(kinds_file, &cause)) == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		return NULL;
	}
	opts->kinds = kinds;
	p = import_program_file(path, opts, &report, &cause);
	opts->kinds = NULL;
	import_kinds_free(kinds);
	if (p == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		import_report_clear(&report);
		return NULL;
	}
	for (i = 0; i < report.nwarnings; i++)
		log_warn("%s: %s", path, report.warnings[i]);
	import_report_clear(&report);
	return p;
}

/* --check-program: loads path as the hub would, prints a summary (or the error) and
 * returns the exit status, 0 when the hub could serve it, 1 when not. */
static int
confabd_check(const char *path, const char *kinds_file, struct import_options *opts)
{
	struct import_kinds *kinds = NULL;
	struct import_report report;
	struct program *p;
	char *cause = NULL, *summary;

	if (kinds_file != NULL && (kinds = import_kinds_load(kinds_file, &cause)) == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		return 1;
	}
	opts->kinds = kinds;
	p = import_program_file(path, opts, &report, &cause);
	import_kinds_free(kinds);
	if (p == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		import_report_clear(&report);
		return 1;
	}
	summary = import_summary(p, &report);
	printf("%s", summary);
	free(summary);
	program_free(p);
	import_report_clear(&report);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Checks the certificate and key files (exits 2 naming the file at fault) and logs what
 * the organizer should know: the fingerprint to publish, the dates. */
static void
confabd_check_tls(const char *cert, const char *key)
{
	struct tlscert_info info;
	char *cause = NULL;

	if (tlscert_check_pair(cert, key, &info, &cause) != 0) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		exit(2);
	}
	log_info("TLS certificate for %s, valid %s to %s; fingerprint %s", info.names,
	    info.not_before, info.not_after, info.fp);
	if (info.self_signed)
		log_info("the certificate is self-signed: publish its fingerprint, so that "
		    "attendees can check it (confab --trust-cert %s wss://HOST:PORT)", info.fp);
	if (info.time > 0)
		log_warn("the certificate expired on %s: clients will refuse it", info.not_after);
	else if (info.time < 0)
		log_warn("the certificate is valid only from %s: clients will refuse it",
		    info.not_before);
	else if (info.days_left < CONFABD_CERT_WARN_DAYS)
		log_warn("the certificate expires in %d days (%s): renew it, then restart "
		    "confabd (clients resume)", info.days_left, info.not_after);
	if (info.key_others_read)
		log_warn("%s can be read by other users: make it private (chmod 600)", key);
	tlscert_info_clear(&info);
}

/* Frees a token list. */
static void
confabd_free_tokens(char **tokens, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(tokens[i]);
	free(tokens);
}

/* Signal handler: stop the loop (SIGINT, SIGTERM) or reload the tokens (SIGHUP). */
static void
confabd_signal(int sig)
{
	if (sig == SIGHUP)
		confabd_reload = 1;
	else
		confabd_stop = 1;
	if (confabd_cx != NULL)
		lws_cancel_service(confabd_cx);
}

/* Reads the welcome notice (a regular file of at most HUB_NOTICE_MAX bytes of UTF-8), or
 * NULL with *cause ("PATH: why"). */
static char *
confabd_read_welcome(const char *path, char **cause)
{
	char *text, *why = NULL;
	size_t len;

	if ((text = files_read_text(path, HUB_NOTICE_MAX, 0, &len, &why)) == NULL) {
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		return NULL;
	}
	if (!utf8_valid(text, len) || strlen(text) != len) {
		*cause = xasprintf("%s: %s", path, _("not UTF-8 text"));
		free(text);
		return NULL;
	}
	return text;
}

/* SIGHUP: reads the facilitator token, invite and welcome files again; a bad file keeps
 * what was loaded before. */
static void
confabd_reload_files(const struct confabd_opts *o, struct hub *hub)
{
	char **tokens = NULL, *cause = NULL, *notice;
	size_t n = 0;

	if (o->token_file == NULL)
		log_info("SIGHUP: no facilitator token file to reload");
	else if (confabd_load_tokens(o->token_file, true, &tokens, &n, &cause) < 0) {
		log_err("SIGHUP: %s; keeping the tokens loaded before", cause);
		free(cause);
		cause = NULL;
	} else {
		hub_set_tokens(hub, (const char *const *)tokens, n);
		log_info("SIGHUP: %zu facilitator tokens loaded from %s", n, o->token_file);
		confabd_free_tokens(tokens, n);
	}
	if (o->invite_file != NULL) {
		tokens = NULL;
		if (confabd_load_tokens(o->invite_file, false, &tokens, &n, &cause) < 0) {
			log_err("SIGHUP: %s; keeping the invites loaded before", cause);
			free(cause);
			cause = NULL;
		} else {
			hub_set_invites(hub, (const char *const *)tokens, n);
			log_info("SIGHUP: %zu invite tokens loaded from %s", n, o->invite_file);
			confabd_free_tokens(tokens, n);
		}
	}
	if (o->welcome_file != NULL) {
		if ((notice = confabd_read_welcome(o->welcome_file, &cause)) == NULL) {
			log_err("SIGHUP: %s; keeping the notice loaded before", cause);
			free(cause);
		} else {
			hub_set_notice(hub, notice);
			log_info("SIGHUP: welcome notice loaded from %s", o->welcome_file);
			free(notice);
		}
	}
}

/* Routes lws log lines into our log; a failed accept() (out of descriptors) pauses
 * accepting instead of being logged on every pass of the loop. */
static void
confabd_lws_log(int level, const char *line)
{
	size_t len = strlen(line);
	int e;

	if (sscanf(line, "accept: errno %d", &e) == 1) {
		hub_server_accept_failed(confabd_srv, e);
		return;
	}
	while (len > 0 && line[len - 1] == '\n')
		len--;
	log_msg(level == LLL_ERR ? LOG_ERR : LOG_WARN, "lws: %.*s", (int)len, line);
}

/* Applies --limit NAME=SPEC to l; -1 when it is not one. */
static int
confabd_parse_limit(const char *arg, struct hub_limits *l)
{
	static const char *const rules[] = { "say", "msg", "join", "history", "other" };
	struct cf_bucket_rule *r[] = { &l->say, &l->msg, &l->join, &l->history, &l->other };
	const char *eq = strchr(arg, '='), *spec;
	size_t n, i;
	long a, b;
	char *end;

	if (eq == NULL)
		return -1;
	n = (size_t)(eq - arg);
	spec = eq + 1;
	if (n == 3 && strncmp(arg, "all", 3) == 0 && strcmp(spec, "off") == 0) {
		for (i = 0; i < 5; i++)
			r[i]->per_minute = 0;
		l->conns_per_addr = l->hellos_per_addr = 0;
		return 0;
	}
	for (i = 0; i < 5; i++) {
		if (strlen(rules[i]) != n || strncmp(arg, rules[i], n) != 0)
			continue;
		if (strcmp(spec, "off") == 0) {
			r[i]->per_minute = 0;
			return 0;
		}
		errno = 0;
		a = strtol(spec, &end, 10);
		if (errno != 0 || end == spec || *end != '/' || a < 1 || a > 1000000)
			return -1;
		b = strtol(end + 1, &end, 10);
		if (errno != 0 || *end != '\0' || b < 1 || b > 1000000)
			return -1;
		r[i]->per_minute = a;
		r[i]->burst = b;
		return 0;
	}
	if (n == 5 && strncmp(arg, "queue", 5) == 0) {
		/* SOFT/HARD in KiB */
		errno = 0;
		a = strtol(spec, &end, 10);
		if (errno != 0 || end == spec || *end != '/' || a < 16 || a > 1048576)
			return -1;
		b = strtol(end + 1, &end, 10);
		if (errno != 0 || *end != '\0' || b < a || b > 1048576)
			return -1;
		l->queue_soft = (size_t)a * 1024;
		l->queue_hard = (size_t)b * 1024;
		return 0;
	}
	if (n == 5 && strncmp(arg, "stall", 5) == 0) {
		errno = 0;
		a = strtol(spec, &end, 10);
		if (errno != 0 || end == spec || *end != '\0' || a < 1 || a > 86400)
			return -1;
		l->stall_ms = (int64_t)a * 1000;
		return 0;
	}
	if ((n == 5 && strncmp(arg, "conns", 5) == 0) || (n == 6 && strncmp(arg, "hellos", 6) == 0)) {
		errno = 0;
		a = strcmp(spec, "off") == 0 ? 0 : strtol(spec, &end, 10);
		if (strcmp(spec, "off") != 0 && (errno != 0 || end == spec || *end != '\0' ||
		    a < 1 || a > 1000000))
			return -1;
		if (n == 5)
			l->conns_per_addr = (unsigned)a;
		else
			l->hellos_per_addr = (unsigned)a;
		return 0;
	}
	return -1;
}

static lws_sorted_usec_list_t confabd_drain_sul;

/* Wakes the loop every 100 ms while draining, so that the deadline is seen. */
static void
confabd_drain_tick(lws_sorted_usec_list_t *sul)
{
	lws_sul_schedule(confabd_cx, 0, sul, confabd_drain_tick, 100 * LWS_US_PER_MS);
}

/* A clean stop: what is queued for every attendee is sent, then each connection closes
 * with "going away", within CONFABD_DRAIN_MS (a second signal stops at once). */
static void
confabd_drain(struct hub_server *srv)
{
	int64_t until = cf_mono_ms(&cf_clock_system) + CONFABD_DRAIN_MS;

	if (srv == NULL || hub_server_shutdown(srv) == 0)
		return;
	confabd_stop = 0;
	confabd_drain_tick(&confabd_drain_sul);
	while (!confabd_stop && hub_server_connections(srv) > 0 &&
	    cf_mono_ms(&cf_clock_system) < until) {
		if (lws_service(confabd_cx, 0) < 0)
			break;
	}
	lws_sul_cancel(&confabd_drain_sul);
}

/* Raises the soft limit on open files to the hard one (at most 1048576), before lws
 * sizes its table of descriptors from it. */
static void
confabd_raise_fd_limit(void)
{
	struct rlimit rl;
	rlim_t want;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	want = rl.rlim_max > 1048576 ? 1048576 : rl.rlim_max;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_warn("cannot raise the limit on open files: %s", strerror(errno));
	}
}

/* Parses the command line into o (exits 2 on a bad one). */
static void
confabd_parse(int argc, char **argv, struct confabd_opts *o)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "program", required_argument, NULL, 'p' },
		{ "check-program", required_argument, NULL, 'c' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "demo", no_argument, NULL, 'd' },
		{ "facilitator-token-file", required_argument, NULL, 't' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "invite-token-file", required_argument, NULL, 'i' },
		{ "data-dir", required_argument, NULL, 'D' },
		{ "export", required_argument, NULL, 'x' },
		{ "retain-days", required_argument, NULL, 'r' },
		{ "welcome-file", required_argument, NULL, 'w' },
		{ "allow-origin", required_argument, NULL, 'o' },
		{ "metrics-allow", required_argument, NULL, 'm' },
		{ "log-addresses", no_argument, NULL, 'A' },
		{ "limit-loopback", no_argument, NULL, 'B' },
		{ "limit", required_argument, NULL, 'R' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	char *end;
	int opt;

	memset(o, 0, sizeof *o);
	hub_limits_default(&o->limits);
	o->port = CONFABD_DEFAULT_PORT;
	o->level = LOG_INFO;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:p:c:k:z:dt:C:K:i:D:x:r:w:o:m:L:vqhV", longopts,
	    NULL)) != -1) {
		switch (opt) {
		case 'l':
			free(o->host);
			o->host = NULL;
			if (confabd_parse_listen(optarg, &o->host, &o->port) != 0)
				confabd_usage_error(_("invalid --listen address: %s (want HOST:PORT)"),
				    optarg);
			break;
		case 'p': o->program_file = optarg; break;
		case 'c': o->check_file = optarg; break;
		case 'k': o->kinds_file = optarg; break;
		case 'z': o->iopts.timezone = optarg; break;
		case 'd': o->demo = 1; break;
		case 't': o->token_file = optarg; break;
		case 'C': o->tls_cert = optarg; break;
		case 'K': o->tls_key = optarg; break;
		case 'i': o->invite_file = optarg; break;
		case 'D': o->data_dir = optarg; break;
		case 'x': o->export_dir = optarg; break;
		case 'r':
			errno = 0;
			o->retain_days = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg || o->retain_days < 1 ||
			    o->retain_days > 36500)
				confabd_usage_error(_("invalid --retain-days: %s (want a number of "
				    "days, 1 or more)"), optarg);
			break;
		case 'w': o->welcome_file = optarg; break;
		case 'o':
			if (o->norigins == CONFABD_MAX_ORIGINS)
				confabd_usage_error(_("more than %d --allow-origin"),
				    CONFABD_MAX_ORIGINS);
			o->origins[o->norigins++] = optarg;
			break;
		case 'm':
			if (o->nmetrics_allow == CONFABD_MAX_ORIGINS)
				confabd_usage_error(_("more than %d --metrics-allow"),
				    CONFABD_MAX_ORIGINS);
			o->metrics_allow[o->nmetrics_allow++] = optarg;
			break;
		case 'A': o->log_addresses = 1; break;
		case 'B': o->limits.limit_loopback = true; break;
		case 'R':
			if (confabd_parse_limit(optarg, &o->limits) != 0)
				confabd_usage_error(_("invalid --limit: %s (for example say=300/20, "
				    "conns=32, hellos=off, all=off)"), optarg);
			break;
		case 'L': o->log_file = optarg; break;
		case 'v': o->level = LOG_DEBUG; break;
		case 'q': o->level = LOG_ERR; break;
		case 'h':
			confabd_help();
			exit(0);
		case 'V':
			printf(_("confabd (%s) %s\n"), PACKAGE_NAME, PACKAGE_VERSION);
			exit(0);
		case ':':
			confabd_usage_error(_("option needs an argument: %s"), argv[optind - 1]);
			break;
		default:
			confabd_usage_error(_("unknown option: %s"), argv[optind - 1]);
			break;
		}
	}
	if (optind < argc)
		confabd_usage_error(_("unexpected argument: %s"), argv[optind]);
	if (o->check_file != NULL && (o->program_file != NULL || o->demo))
		confabd_usage_error("%s", _("--check-program cannot be used with --program or "
		    "--demo"));
	if (o->check_file != NULL)
		return;
	if (o->export_dir != NULL) {
		if (o->data_dir == NULL)
			confabd_usage_error("%s", _("--export needs --data-dir (the store to read)"));
		return;
	}
	if (o->program_file != NULL && o->demo)
		confabd_usage_error("%s", _("--program and --demo cannot be used together"));
	if (o->demo && (o->kinds_file != NULL || o->iopts.timezone != NULL))
		confabd_usage_error("%s", _("--kinds and --timezone apply to a program file, not "
		    "to --demo"));
	if (o->program_file == NULL && !o->demo)
		confabd_usage_error("%s", _("a program is needed: --program FILE or --demo"));
	if ((o->tls_cert == NULL) != (o->tls_key == NULL))
		confabd_usage_error("%s", _("--tls-cert and --tls-key go together: give both to "
		    "serve wss://, or neither for ws://"));
	if (o->retain_days > 0 && o->data_dir == NULL)
		confabd_usage_error("%s", _("--retain-days needs --data-dir (without it nothing "
		    "is kept)"));
	if (o->host == NULL)
		o->host = xstrdup(CONFABD_DEFAULT_HOST);
}

/* confabd --export: writes the chat of the store in o->data_dir into o->export_dir. */
static int
confabd_export(const struct confabd_opts *o)
{
	struct store *st;
	char *cause = NULL;
	size_t rooms = 0, lines = 0;
	int rc;

	if ((st = store_sqlite_open(o->data_dir, &cause)) == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		return 2;
	}
	rc = hub_export(st, o->export_dir, &rooms, &lines, &cause);
	store_free(st);
	if (rc != 0) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		return 1;
	}
	printf(_("confabd: wrote the chat of %zu rooms (%zu lines) into %s\n"), rooms, lines,
	    o->export_dir);
	return 0;
}

/* The welcome notice at start-up (exits 2 when it cannot be read). */
static char *
confabd_welcome(const char *path)
{
	char *text, *cause = NULL;

	if ((text = confabd_read_welcome(path, &cause)) == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		exit(2);
	}
	return text;
}

/* Parses the options, loads the program, tokens and store, and serves until a signal. */
int
main(int argc, char **argv)
{
	struct lws_context_creation_info info;
	struct hub_server_config scfg;
	struct hub_server *srv = NULL;
	struct confabd_opts o;
	struct program *program;
	struct store *store = NULL;
	struct sigaction sa;
	char **tokens = NULL, **invites = NULL, *cause = NULL, *notice = NULL;
	size_t ntokens = 0, ninvites = 0;
	int rc = 0;

	i18n_init();
	confabd_parse(argc, argv, &o);
	if (o.check_file != NULL)
		return confabd_check(o.check_file, o.kinds_file, &o.iopts);
	if (o.export_dir != NULL)
		return confabd_export(&o);

	if (o.log_file != NULL) {
		if (log_open(o.log_file, o.level) != 0) {
			fprintf(stderr, "confabd: %s: %s\n", o.log_file, strerror(errno));
			return 2;
		}
	} else
		log_init(NULL, o.level);
	if (o.tls_cert != NULL)
		confabd_check_tls(o.tls_cert, o.tls_key);

	if (o.demo) {
		if ((program = hub_demo_program(cf_wall_ms(&cf_clock_system), &cause)) == NULL) {
			fprintf(stderr, "confabd: demo: %s\n", cause);
			free(cause);
			free(o.host);
			return 2;
		}
	} else if ((program = confabd_load(o.program_file, o.kinds_file, &o.iopts)) == NULL) {
		free(o.host);
		return 2;
	}
	if ((o.token_file != NULL &&
	    confabd_load_tokens(o.token_file, true, &tokens, &ntokens, &cause) < 0) ||
	    (o.invite_file != NULL &&
	    confabd_load_tokens(o.invite_file, false, &invites, &ninvites, &cause) < 0)) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		rc = 2;
		goto out;
	}
	if (o.token_file == NULL)
		log_info("no facilitator token file: nobody can be a facilitator");
	if (o.welcome_file != NULL)
		notice = confabd_welcome(o.welcome_file);
	if (o.data_dir != NULL) {
		if ((store = store_sqlite_open(o.data_dir, &cause)) == NULL) {
			fprintf(stderr, "confabd: %s\n", cause);
			free(cause);
			rc = 2;
			goto out;
		}
		log_info("keeping the event in %s/confabd.db", o.data_dir);
	} else
		log_warn("no --data-dir: this hub keeps nothing across a restart (chat, rooms, "
		    "timers and names are lost when it stops)");

	confabd_raise_fd_limit();
	lws_set_log_level(LLL_ERR | LLL_WARN, confabd_lws_log);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (o.tls_cert != NULL)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	if ((confabd_cx = lws_create_context(&info)) == NULL) {
		log_err("cannot create the lws context");
		rc = 1;
		goto out;
	}
	memset(&scfg, 0, sizeof scfg);
	scfg.host = o.host;
	scfg.port = o.port;
	scfg.program = program;
	scfg.tokens = (const char *const *)tokens;
	scfg.ntokens = ntokens;
	scfg.invites = (const char *const *)invites;
	scfg.ninvites = ninvites;
	scfg.store = store;
	scfg.limits = &o.limits;
	scfg.notice = notice;
	scfg.log_addresses = o.log_addresses != 0;
	scfg.retain_ms = o.retain_days * 24LL * 3600 * 1000;
	scfg.origins = o.origins;
	scfg.norigins = o.norigins;
	scfg.tls_cert = o.tls_cert;
	scfg.tls_key = o.tls_key;
	scfg.metrics_allow = o.metrics_allow;
	scfg.nmetrics_allow = o.nmetrics_allow;
	if (o.demo)
		scfg.lineup = hub_demo_lineup(&scfg.nlineup);
	if ((srv = hub_server_create(confabd_cx, &scfg, &cause)) == NULL) {
		log_err("%s", cause);
		if (o.log_file != NULL)
			fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		rc = 1;
		goto out;
	}
	confabd_srv = srv;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = confabd_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	log_info("%s: %zu sessions; listening on %s://%s%s%s:%d", program->title,
	    program->nsessions, o.tls_cert != NULL ? "wss" : "ws", strchr(o.host, ':') ? "[" :
	    "", o.host, strchr(o.host, ':') ? "]" : "", hub_server_port(srv));
	while (!confabd_stop) {
		if (lws_service(confabd_cx, 0) < 0)
			break;
		if (confabd_reload) {
			confabd_reload = 0;
			confabd_reload_files(&o, hub_server_hub(srv));
		}
	}
	log_info("shutting down");
	confabd_drain(srv);
out:
	if (confabd_cx != NULL)
		lws_context_destroy(confabd_cx);
	confabd_cx = NULL;
	confabd_srv = NULL;
	hub_server_free(srv);
	store_free(store);
	program_free(program);
	confabd_free_tokens(tokens, ntokens);
	confabd_free_tokens(invites, ninvites);
	free(notice);
	free(o.host);
	log_close();
	return rc;
}
