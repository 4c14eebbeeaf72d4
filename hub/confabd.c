/* confabd.c: the confab session hub daemon: options, program, tokens, the lws loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "hub/hub_demo.h"
#include "hub/hub_lws.h"
#include "import/import.h"
#include "import/import_kinds.h"
#include "model/program.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CONFABD_DEFAULT_HOST "127.0.0.1"
#define CONFABD_DEFAULT_PORT 7450
#define CONFABD_MIN_TOKEN 8


static volatile sig_atomic_t confabd_stop;
static struct lws_context *confabd_cx;

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
	    "                              facilitator tokens, one per line\n"
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

/* Reads facilitator tokens from path into *tokens. Returns the count, or -1 with *cause. */
static int
confabd_load_tokens(const char *path, char ***tokens, size_t *ntokens, char **cause)
{
	char *line = NULL, *s, *e;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	FILE *fp;

	*tokens = NULL;
	*ntokens = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		e = s + strlen(s);
		while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		if (strlen(s) < CONFABD_MIN_TOKEN || strlen(s) > 256) {
			*cause = xasprintf(_("%s:%zu: a token must have %d to %d characters"), path,
			    lineno, CONFABD_MIN_TOKEN, 256);
			goto fail;
		}
		*tokens = xreallocarray(*tokens, *ntokens + 1, sizeof **tokens);
		(*tokens)[(*ntokens)++] = xstrdup(s);
	}
	if (ferror(fp)) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		goto fail;
	}
	if (*ntokens == 0) {
		*cause = xasprintf(_("%s: no tokens in file"), path);
		goto fail;
	}
	free(line);
	fclose(fp);
	return (int)*ntokens;
fail:
	free(line);
	fclose(fp);
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

/* Signal handler: stop the loop. */
static void
confabd_signal(int sig)
{
	(void)sig;
	confabd_stop = 1;
	if (confabd_cx != NULL)
		lws_cancel_service(confabd_cx);
}

/* Routes lws log lines into our log. */
static void
confabd_lws_log(int level, const char *line)
{
	size_t len = strlen(line);

	while (len > 0 && line[len - 1] == '\n')
		len--;
	log_msg(level == LLL_ERR ? LOG_ERR : LOG_WARN, "lws: %.*s", (int)len, line);
}

/* Parses the options, loads the program and tokens, and serves until a signal. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "program", required_argument, NULL, 'p' },
		{ "check-program", required_argument, NULL, 'c' },
		{ "kinds", required_argument, NULL, 'k' },
		{ "timezone", required_argument, NULL, 'z' },
		{ "demo", no_argument, NULL, 'd' },
		{ "facilitator-token-file", required_argument, NULL, 't' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *program_file = NULL, *token_file = NULL, *log_file = NULL;
	const char *check_file = NULL, *kinds_file = NULL;
	struct import_options iopts;
	struct lws_context_creation_info info;
	struct hub_server_config scfg;
	struct hub_server *srv = NULL;
	struct program *program;
	struct sigaction sa;
	enum log_level level = LOG_INFO;
	char **tokens = NULL, *host = NULL, *cause = NULL;
	size_t ntokens = 0, i;
	int opt, port = CONFABD_DEFAULT_PORT, demo = 0, rc = 0;

	i18n_init();
	memset(&iopts, 0, sizeof iopts);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:p:c:k:z:dt:L:vqhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			free(host);
			host = NULL;
			if (confabd_parse_listen(optarg, &host, &port) != 0)
				confabd_usage_error(_("invalid --listen address: %s (want HOST:PORT)"),
				    optarg);
			break;
		case 'p': program_file = optarg; break;
		case 'c': check_file = optarg; break;
		case 'k': kinds_file = optarg; break;
		case 'z': iopts.timezone = optarg; break;
		case 'd': demo = 1; break;
		case 't': token_file = optarg; break;
		case 'L': log_file = optarg; break;
		case 'v': level = LOG_DEBUG; break;
		case 'q': level = LOG_ERR; break;
		case 'h':
			confabd_help();
			return 0;
		case 'V':
			printf(_("confabd (%s) %s\n"), PACKAGE_NAME, PACKAGE_VERSION);
			return 0;
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
	if (check_file != NULL && (program_file != NULL || demo))
		confabd_usage_error("%s", _("--check-program cannot be used with --program or "
		    "--demo"));
	if (check_file != NULL)
		return confabd_check(check_file, kinds_file, &iopts);
	if (program_file != NULL && demo)
		confabd_usage_error("%s", _("--program and --demo cannot be used together"));
	if (demo && (kinds_file != NULL || iopts.timezone != NULL))
		confabd_usage_error("%s", _("--kinds and --timezone apply to a program file, not "
		    "to --demo"));
	if (program_file == NULL && !demo)
		confabd_usage_error("%s", _("a program is needed: --program FILE or --demo"));
	if (host == NULL)
		host = xstrdup(CONFABD_DEFAULT_HOST);

	if (log_file != NULL) {
		if (log_open(log_file, level) != 0) {
			fprintf(stderr, "confabd: %s: %s\n", log_file, strerror(errno));
			return 2;
		}
	} else
		log_init(NULL, level);

	if (demo) {
		program = hub_demo_program(cf_wall_ms(&cf_clock_system), &cause);
		if (program == NULL) {
			fprintf(stderr, "confabd: demo: %s\n", cause);
			free(cause);
			free(host);
			return 2;
		}
	} else if ((program = confabd_load(program_file, kinds_file, &iopts)) == NULL) {
		free(host);
		return 2;
	}
	if (token_file != NULL) {
		if (confabd_load_tokens(token_file, &tokens, &ntokens, &cause) < 0) {
			fprintf(stderr, "confabd: %s\n", cause);
			free(cause);
			program_free(program);
			free(host);
			return 2;
		}
	} else
		log_info("no facilitator token file: nobody can be a facilitator");

	lws_set_log_level(LLL_ERR | LLL_WARN, confabd_lws_log);
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	info.port = CONTEXT_PORT_NO_LISTEN;
	if ((confabd_cx = lws_create_context(&info)) == NULL) {
		log_err("cannot create the lws context");
		rc = 1;
		goto out;
	}
	memset(&scfg, 0, sizeof scfg);
	scfg.host = host;
	scfg.port = port;
	scfg.program = program;
	scfg.tokens = (const char *const *)tokens;
	scfg.ntokens = ntokens;
	if (demo)
		scfg.lineup = hub_demo_lineup(&scfg.nlineup);
	if ((srv = hub_server_create(confabd_cx, &scfg, &cause)) == NULL) {
		log_err("%s", cause);
		if (log_file != NULL)
			fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		rc = 1;
		goto out;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = confabd_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	log_info("%s: %zu sessions; listening on ws://%s%s%s:%d", program->title,
	    program->nsessions, strchr(host, ':') ? "[" : "", host,
	    strchr(host, ':') ? "]" : "", hub_server_port(srv));
	while (!confabd_stop) {
		if (lws_service(confabd_cx, 0) < 0)
			break;
	}
	log_info("shutting down");
out:
	if (confabd_cx != NULL)
		lws_context_destroy(confabd_cx);
	confabd_cx = NULL;
	hub_server_free(srv);
	program_free(program);
	for (i = 0; i < ntokens; i++)
		free(tokens[i]);
	free(tokens);
	free(host);
	log_close();
	return rc;
}
