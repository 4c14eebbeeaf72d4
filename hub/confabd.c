/* confabd.c: the confab session hub daemon: options, program, tokens, the TLS certificate,
 * the lws loop. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "hub/hub_bridge.h"
#include "hub/hub_demo.h"
#include "hub/hub_lws.h"
#include "model/program.h"
#include "net/tlscert.h"
#include "util/clock.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CONFABD_DEFAULT_HOST "127.0.0.1"
#define CONFABD_DEFAULT_PORT 7450
#define CONFABD_MIN_TOKEN 8
#define CONFABD_CERT_WARN_DAYS 14  /* warn when the certificate expires sooner */


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
	    "       confabd --print-bridge-line DIR [--bridge-address HOST:PORT]\n"
	    "Run a confab session hub: chat rooms, timers and the program of a virtual conference.\n"
	    "\n"
	    "  -l, --listen HOST:PORT      listen there (default %s:%d; port 0: any free port)\n"
	    "  -p, --program FILE          serve the program in FILE\n"
	    "  -d, --demo                  serve the built-in PTIM 2020 demo program, live now\n"
	    "  -t, --facilitator-token-file FILE\n"
	    "                              facilitator tokens, one per line\n"
	    "  -C, --tls-cert FILE         serve wss:// with the certificate (chain) in FILE\n"
	    "  -K, --tls-key FILE          ... and its private key in FILE (PEM, not encrypted)\n"
	    "  -L, --log-file FILE         log to FILE instead of standard error\n"
	    "  -B, --print-bridge-line DIR print the bridge line attendees paste (confab\n"
	    "                              --bridge '...'), from the state directory of\n"
	    "                              obfs4proxy in front of this hub, and exit\n"
	    "  -A, --bridge-address HOST:PORT\n"
	    "                              ... where attendees reach obfs4proxy\n"
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

/* --print-bridge-line: prints the line attendees paste; returns the exit status. */
static int
confabd_print_bridge(const char *dir, const char *address)
{
	char *cause = NULL, *line, *host = NULL;
	int port;

	if (address != NULL && (confabd_parse_listen(address, &host, &port) != 0 || port == 0))
		confabd_usage_error(_("invalid --bridge-address: %s (want HOST:PORT, where "
		    "attendees reach obfs4proxy)"), address);
	free(host);
	line = hub_bridge_line(dir, address != NULL ? address : "ADDRESS:PORT", &cause);
	if (line == NULL) {
		fprintf(stderr, "confabd: %s\n", cause);
		free(cause);
		return 1;
	}
	printf("%s\n", line);
	if (address == NULL)
		fprintf(stderr, "confabd: %s\n", _("replace ADDRESS:PORT with the public address "
		    "and port of obfs4proxy (or give --bridge-address HOST:PORT)"));
	free(line);
	return 0;
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
		{ "demo", no_argument, NULL, 'd' },
		{ "facilitator-token-file", required_argument, NULL, 't' },
		{ "tls-cert", required_argument, NULL, 'C' },
		{ "tls-key", required_argument, NULL, 'K' },
		{ "log-file", required_argument, NULL, 'L' },
		{ "print-bridge-line", required_argument, NULL, 'B' },
		{ "bridge-address", required_argument, NULL, 'A' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *program_file = NULL, *token_file = NULL, *log_file = NULL;
	const char *tls_cert = NULL, *tls_key = NULL, *bridge_dir = NULL, *bridge_addr = NULL;
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
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:p:dt:C:K:L:B:A:vqhV", longopts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			free(host);
			host = NULL;
			if (confabd_parse_listen(optarg, &host, &port) != 0)
				confabd_usage_error(_("invalid --listen address: %s (want HOST:PORT)"),
				    optarg);
			break;
		case 'p': program_file = optarg; break;
		case 'd': demo = 1; break;
		case 't': token_file = optarg; break;
		case 'C': tls_cert = optarg; break;
		case 'K': tls_key = optarg; break;
		case 'L': log_file = optarg; break;
		case 'B': bridge_dir = optarg; break;
		case 'A': bridge_addr = optarg; break;
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
	if (bridge_dir != NULL)
		return confabd_print_bridge(bridge_dir, bridge_addr);
	if (bridge_addr != NULL)
		confabd_usage_error("%s", _("--bridge-address goes with --print-bridge-line"));
	if (program_file != NULL && demo)
		confabd_usage_error("%s", _("--program and --demo cannot be used together"));
	if (program_file == NULL && !demo)
		confabd_usage_error("%s", _("a program is needed: --program FILE or --demo"));
	if ((tls_cert == NULL) != (tls_key == NULL))
		confabd_usage_error("%s", _("--tls-cert and --tls-key go together: give both to "
		    "serve wss://, or neither for ws://"));
	if (host == NULL)
		host = xstrdup(CONFABD_DEFAULT_HOST);

	if (log_file != NULL) {
		if (log_open(log_file, level) != 0) {
			fprintf(stderr, "confabd: %s: %s\n", log_file, strerror(errno));
			return 2;
		}
	} else
		log_init(NULL, level);
	if (tls_cert != NULL)
		confabd_check_tls(tls_cert, tls_key);

	if (demo)
		program = hub_demo_program(cf_wall_ms(&cf_clock_system), &cause);
	else
		program = program_load_file(program_file, &cause);
	if (program == NULL) {
		fprintf(stderr, "confabd: %s: %s\n", demo ? "demo" : program_file, cause);
		free(cause);
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
	if (tls_cert != NULL)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
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
	scfg.tls_cert = tls_cert;
	scfg.tls_key = tls_key;
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

	log_info("%s: %zu sessions; listening on %s://%s%s%s:%d", program->title,
	    program->nsessions, tls_cert != NULL ? "wss" : "ws", strchr(host, ':') ? "[" : "", host,
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
