/* main.c: confab, the terminal client: command line and config file, lws context, the
 * choice of front end (full-screen curses on a terminal, plain line mode otherwise), and the
 * loop that ties the connection, the client model and the front end together. */
#include "util/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "client/cache.h"
#include "client/secrets.h"
#include "client/client.h"
#include "client/config.h"
#include "hub/hub_demo.h"
#include "hub/hub_lws.h"
#include "net/conn.h"
#include "net/knownhosts.h"
#include "net/tlsverify.h"
#include "proto/proto.h"
#include "ui/curses_ui.h"
#include "ui/plain.h"
#include "util/clock.h"
#include "util/files.h"
#include "util/log.h"
#include "util/sat.h"
#include "util/xalloc.h"

#define MAIN_FINISH_MS 5000  /* at most this long to wait for replies when input ends */
#define MAIN_POLL_MS 20
#define MAIN_MAX_WAKE_MS (24LL * 3600 * 1000) /* no wake-up is scheduled further away */
#define MAIN_EXIT_CERT 3          /* the hub's certificate could not be verified */
#define MAIN_EXIT_CERT_CHANGED 4  /* the hub's certificate is not the one trusted */

/* Everything the loop needs. */
struct app {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct client *client;
	struct conn *conn;
	struct plain *plain;
	struct curses *cu;   /* the full-screen front end, or NULL in plain mode */
	struct hub_server *hub;
	volatile sig_atomic_t signalled;
	int finishing;
	int refused;         /* the hub refused us for good: nothing more to wait for */
	int64_t finish_deadline;
	int quit;
	int exit_code;
	int logging;
	lws_sorted_usec_list_t sul_finish;
	lws_sorted_usec_list_t sul_timers; /* the next timer milestone */
};

static struct app app;

/* Prints the usage. */
static void
main_usage(void)
{
	printf(_("Usage: confab [OPTION]... ws://HOST:PORT | wss://HOST:PORT\n"
	    "       confab --demo\n"
	    "A terminal client for virtual conferences: program, chat, rooms and talk timers.\n"
	    "\n"
	    "  --plain                       plain line mode (one line per event; for screen\n"
	    "                                readers and pipes; also when output is not a\n"
	    "                                terminal or TERM=dumb)\n"
	    "  --name NAME                   your display name (default: $USER)\n"
	    "  --facilitator-token-file FILE read a facilitator token from FILE\n"
	    "  --invite-file FILE            read the invite token of an invite-only event\n"
	    "                                from FILE\n"
	    "  --log-file FILE               write diagnostics to FILE\n"
	    "  --ca-file FILE                wss://: trust the certificate authorities in\n"
	    "                                FILE (PEM) instead of the system's\n"
	    "  --trust-cert FINGERPRINT      wss://: trust the hub's certificate with this\n"
	    "                                SHA-256 fingerprint, as its organizer published\n"
	    "                                it, and remember it\n"
	    "  --demo                        run an embedded hub with the PTIM 2020 program\n"
	    "                                and join it as a facilitator\n"
	    "  --help                        show this help and exit\n"
	    "  --version                     show the version and exit\n"
	    "\n"
	    "Type /help once connected for the commands.\n"));
}

/* Reports a command-line error and exits with status 2. */
static void __attribute__((noreturn))
main_bad_usage(const char *msg)
{
	fprintf(stderr, "confab: %s\n", msg);
	fprintf(stderr, "%s\n", _("Try 'confab --help'."));
	exit(2);
}

/* Reports a runtime error and exits with status 1. */
static void __attribute__((noreturn))
main_fail(const char *msg)
{
	fprintf(stderr, "confab: %s\n", msg);
	exit(1);
}

/* main_bad_usage() for a message of ours to free (so that nothing leaks on the way out). */
static void __attribute__((noreturn))
main_bad_usage_free(char *msg)
{
	fprintf(stderr, "confab: %s\n", msg);
	free(msg);
	fprintf(stderr, "%s\n", _("Try 'confab --help'."));
	exit(2);
}

/* main_fail() for a message of ours to free. */
static void __attribute__((noreturn))
main_fail_free(char *msg)
{
	fprintf(stderr, "confab: %s\n", msg);
	free(msg);
	exit(1);
}

/* Writes lws's log lines into our log (only when --log-file was given). */
static void
main_lws_log(int level, const char *line)
{
	size_t len = strlen(line);

	(void)level;
	if (!app.logging)
		return;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	log_msg(LOG_WARN, "lws: %.*s", (int)len, line);
}

/* SIGINT/SIGTERM: ask the loop to stop. */
static void
main_signal(int sig)
{
	(void)sig;
	app.signalled = 1;
	if (app.cx != NULL)
		lws_cancel_service(app.cx);
}

/* Reads a token (a facilitator's, or with invite an invite token): the first line of
 * path (a regular file: a FIFO is refused, not waited on), trimmed. */
static char *
main_read_token(const char *path, bool invite)
{
	char *buf, *msg, *s, *e, *why = NULL;
	size_t len;

	if ((buf = files_read_text(path, 64 * 1024, 0, &len, &why)) == NULL) {
		msg = xasprintf(_("cannot read %s: %s"), path, why);
		free(why);
		main_fail_free(msg);
	}
	if ((e = strchr(buf, '\n')) != NULL)
		*e = '\0';
	for (s = buf; *s == ' ' || *s == '\t'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (*s == '\0' || strlen(s) > PROTO_MAX_TOKEN) {
		msg = invite ? xasprintf(_("%s does not hold an invite token on its first line"),
		    path) : xasprintf(_("%s does not hold a facilitator token on its first line"),
		    path);
		free(buf);
		main_fail_free(msg);
	}
	s = xstrdup(s);
	free(buf);
	return s;
}

/* A random token for the demo hub, as hex. */
static char *
main_random_token(void)
{
	unsigned char r[16];
	char *s = xmalloc(sizeof r * 2 + 1);
	size_t i;

	lws_get_random(app.cx, r, sizeof r);
	for (i = 0; i < sizeof r; i++)
		snprintf(s + i * 2, 3, "%02x", r[i]);
	return s;
}

/* The client's send function: the connection's queue. */
static int
main_send(void *arg, const char *frame, size_t len)
{
	(void)arg;
	return conn_send(app.conn, frame, len);
}

static void main_timers_schedule(void);

/* The next timer milestone is due: announce it, then wait for the one after. */
static void
main_timers_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	client_tick(app.client);
	main_timers_schedule();
}

/* (Re)schedules the one timer-milestone wakeup, or cancels it when none is pending. The
 * delay is at least 1 ms (a wake-up is never in the past: lws would run it again in the
 * same pass, and the loop would never look at signals or input) and at most a day (one
 * that far away is scheduled again when it fires). */
static void
main_timers_schedule(void)
{
	int64_t ms;

	if (app.cx == NULL)
		return;
	ms = client_next_wakeup(app.client);
	if (ms < 0)
		lws_sul_cancel(&app.sul_timers);
	else
		lws_sul_schedule(app.cx, 0, &app.sul_timers, main_timers_cb,
		    (lws_usec_t)sat_clamp(ms, 1, MAIN_MAX_WAKE_MS) * 1000);
}

/* The connection's byte and message counters, for /stats. */
static void
main_link_stats(void *arg, struct client_link_stats *out)
{
	struct conn_stats st;

	(void)arg;
	memset(out, 0, sizeof *out);
	if (app.conn == NULL)
		return;
	conn_stats(app.conn, &st);
	out->ws_tx = st.ws_tx;
	out->ws_rx = st.ws_rx;
	out->wire_tx = st.wire_tx;
	out->wire_rx = st.wire_rx;
	out->msgs_tx = st.msgs_tx;
	out->msgs_rx = st.msgs_rx;
	out->links = st.links;
	out->compressed = st.compressed;
}

/* Connection callbacks, forwarded to the client. */
static void
main_connected(void *arg)
{
	(void)arg;
	client_link_up(app.client);
}

/* A message from the hub. */
static void
main_frame(void *arg, const char *text, size_t len)
{
	(void)arg;
	client_frame(app.client, text, len);
	if (client_online(app.client))
		conn_link_ok(app.conn);
	main_timers_schedule();
	if (app.cu != NULL)
		curses_after_frame(app.cu);
}

/* The link went down. */
static void
main_disconnected(void *arg, const char *reason, int64_t delay_ms)
{
	(void)arg;
	if (!app.finishing && !app.refused)
		client_link_down(app.client, reason, delay_ms);
}

/* Tick from the connection: a keep-alive or clock sample when due; returns the ms until
 * the next one. */
static int64_t
main_keepalive(void *arg)
{
	(void)arg;
	return client_ping(app.client);
}

/* Stops the loop. */
static void
main_quit(int code)
{
	app.quit = 1;
	app.exit_code = code;
	if (app.cx != NULL)
		lws_cancel_service(app.cx);
}

/* While finishing: quit once nothing is pending, or at the deadline. */
static void
main_finish_cb(lws_sorted_usec_list_t *sul)
{
	(void)sul;
	if (client_pending(app.client) == 0 || cf_mono_ms(&cf_clock_system) >= app.finish_deadline) {
		main_quit(app.exit_code);
		return;
	}
	lws_sul_schedule(app.cx, 0, &app.sul_finish, main_finish_cb,
	    (lws_usec_t)MAIN_POLL_MS * 1000);
}

/* Input is over (EOF or /quit): send what is queued, wait for replies, then quit. */
static void
main_finish(void)
{
	if (app.finishing)
		return;
	if (app.refused) {
		/* nothing was sent that could still be answered */
		main_quit(app.exit_code);
		return;
	}
	app.finishing = 1;
	app.finish_deadline = cf_mono_ms(&cf_clock_system) + MAIN_FINISH_MS;
	lws_sul_schedule(app.cx, 0, &app.sul_finish, main_finish_cb, 1);
}

/* A line typed by the user. */
static void
main_line(void *arg, const char *line)
{
	(void)arg;
	if (app.finishing)
		return;
	if (client_input(app.client, line) == CLIENT_QUIT)
		main_finish();
}

/* End of input. */
static void
main_eof(void *arg)
{
	(void)arg;
	main_finish();
}

/* The hub's certificate was refused: no attempt follows. Plain mode exits with the
 * code; the full-screen interface shows why and stays (the code is kept for /quit). */
static void
main_refused(void *arg, const char *message, enum tlsverify_refusal why)
{
	(void)arg;
	client_link_refused(app.client, message);
	app.exit_code = why == TV_CHANGED ? MAIN_EXIT_CERT_CHANGED : MAIN_EXIT_CERT;
	if (app.cu == NULL)
		main_quit(app.exit_code);
}

/* Something about the hub's certificate the user should know. */
static void
main_note(void *arg, const char *message)
{
	(void)arg;
	if (app.cu != NULL)
		curses_say(app.cu, message);
	else
		plain_say(app.plain, message);
}

/* The hub refused us for good (the front end has said why): plain mode quits at once;
 * the full-screen interface stays until the user has read it and quits. Either way the
 * link is closed and not made again. */
static void
main_fatal(void *arg)
{
	(void)arg;
	app.refused = 1;
	app.exit_code = 1;
	conn_stop(app.conn);
	if (app.cu == NULL)
		main_quit(1);
}

/* Options, parsed. */
struct main_opts {
	const char *name, *token_file, *invite_file, *log_file, *url;
	const char *ca_file, *trust_cert;
	int demo, plain;
	int ca_file_given;         /* --ca-file, not the config file's ca-file */
	unsigned char trust_fp[KNOWNHOSTS_FP_LEN];
};

/* Parses the command line (exits on --help, --version and errors). */
static void
main_parse(int argc, char **argv, struct main_opts *o)
{
	static const struct option longopts[] = {
		{ "plain", no_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ "facilitator-token-file", required_argument, NULL, 't' },
		{ "invite-file", required_argument, NULL, 'i' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "demo", no_argument, NULL, 'd' },
		{ "ca-file", required_argument, NULL, 'c' },
		{ "trust-cert", required_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;
	char *msg;

	memset(o, 0, sizeof *o);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p': o->plain = 1; break;
		case 'n': o->name = optarg; break;
		case 't': o->token_file = optarg; break;
		case 'i': o->invite_file = optarg; break;
		case 'l': o->log_file = optarg; break;
		case 'd': o->demo = 1; break;
		case 'c': o->ca_file = optarg; o->ca_file_given = 1; break;
		case 'T': o->trust_cert = optarg; break;
		case 'h': main_usage(); exit(0);
		case 'V': printf("confab %s\n", PACKAGE_VERSION); exit(0);
		case ':':
			msg = xasprintf(_("option %s needs an argument"), argv[optind - 1]);
			main_bad_usage_free(msg);
		default:
			msg = xasprintf(_("unknown option %s"), argv[optind - 1]);
			main_bad_usage_free(msg);
		}
	}
	if (optind < argc)
		o->url = argv[optind++];
	if (optind < argc) {
		msg = xasprintf(_("unexpected argument \"%s\""), argv[optind]);
		main_bad_usage_free(msg);
	}
	if (o->demo && o->url != NULL)
		main_bad_usage(_("--demo runs its own hub: give no address with it"));
}

/* Applies the config file under the command line (which wins); returns the config
 * problems as a new string to show, or NULL. */
static char *
main_config(struct main_opts *o, struct config *cfg)
{
	char *cause = NULL;

	config_init(cfg);
	if (config_load(cfg, NULL, &cause) != 0 && cause == NULL)
		cause = xstrdup(_("the config file could not be read"));
	if (o->name == NULL && (cfg->set & CONFIG_SET_NAME))
		o->name = cfg->name;
	if (o->url == NULL && !o->demo && (cfg->set & CONFIG_SET_HUB))
		o->url = cfg->hub;
	if (o->log_file == NULL && (cfg->set & CONFIG_SET_LOG_FILE))
		o->log_file = cfg->log_file;
	if (o->ca_file == NULL && (cfg->set & CONFIG_SET_CA_FILE))
		o->ca_file = cfg->ca_file;
	if (cfg->plain)
		o->plain = 1;
	if (!o->demo && o->url == NULL)
		main_bad_usage(_("missing the hub address (ws://HOST:PORT or wss://HOST:PORT), "
		    "or --demo"));
	return cause;
}

/* True when the full-screen interface fits: a terminal on both ends, TERM not dumb. */
static int
main_want_curses(const struct main_opts *o)
{
	const char *term = getenv("TERM");

	return !o->plain && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && term != NULL &&
	    *term != '\0' && strcmp(term, "dumb") != 0 && ttyname(STDIN_FILENO) != NULL;
}

/* Picks and checks the display name. */
static const char *
main_name(const char *given)
{
	const char *user = getenv("USER");
	char *msg;
	enum proto_err e;

	if (given != NULL) {
		e = proto_name_check(given);
		if (e != PE_NONE) {
			msg = xasprintf(_("bad name \"%s\": %s"), given, proto_err_message(e));
			main_bad_usage_free(msg);
		}
		return given;
	}
	if (user != NULL && proto_name_check(user) == PE_NONE)
		return user;
	return "guest";
}

/* Checks the TLS options against the address (exits 2 on a problem): --ca-file and
 * --trust-cert are for wss:// hubs; the fingerprint must parse; the CA file must hold a
 * certificate. */
static void
main_check_tls(struct main_opts *o, int tls)
{
	char *cause = NULL, *msg;

	if (!tls && (o->trust_cert != NULL || o->ca_file_given))
		main_bad_usage(_("--ca-file and --trust-cert are for wss:// hubs"));
	if (!tls)
		return;
	if (o->trust_cert != NULL && knownhosts_fp_parse(o->trust_cert, o->trust_fp) != 0) {
		msg = xasprintf(_("bad fingerprint \"%s\" for --trust-cert: expected SHA256: and "
		    "64 hex digits (as confab shows it, or as openssl x509 -fingerprint -sha256 "
		    "prints it)"), o->trust_cert);
		main_bad_usage_free(msg);
	}
	if (o->ca_file != NULL && tlsverify_ca_file_check(o->ca_file, &cause) != 0) {
		msg = xasprintf(_("cannot use %s as the CA file: %s"), o->ca_file, cause);
		free(cause);
		main_bad_usage_free(msg);
	}
}

/* Creates the lws context and the client vhost (with TLS for a wss:// hub: the system's
 * certificate authorities, or those of ca_file instead). */
static void
main_lws(int tls, const char *ca_file)
{
	static struct lws_protocols protocols[4];
	struct lws_context_creation_info info;

	/* the connection's protocol comes first: lws asks protocol 0 of the first vhost to
	 * verify server certificates */
	protocols[0] = *conn_protocol();
	protocols[1] = *plain_stdin_protocol();
	protocols[2] = *curses_protocol();
	memset(&info, 0, sizeof info);
	info.options = LWS_SERVER_OPTION_EXPLICIT_VHOSTS;
	if (tls)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.port = CONTEXT_PORT_NO_LISTEN;
	app.cx = lws_create_context(&info);
	if (app.cx == NULL)
		main_fail(_("cannot start the network layer"));
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "confab-client";
	info.protocols = protocols;
	/* permessage-deflate, kept only with hubs that promise to compress every frame
	 * (lws 4.1.6 clients hang on an uncompressed one): see src/net/conn.c */
	info.extensions = conn_extensions();
	if (tls) {
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		if (ca_file != NULL) {
			info.client_ssl_ca_filepath = ca_file;
			info.options |= LWS_SERVER_OPTION_DISABLE_OS_CA_CERTS;
		}
		info.ssl_client_options_set = (long)(SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1);
	}
	app.vh = lws_create_vhost(app.cx, &info);
	if (app.vh == NULL)
		main_fail(_("cannot start the network layer"));
}

/* Starts the embedded demo hub; returns its URL. */
static char *
main_demo(char **token)
{
	struct hub_server_config cfg;
	struct program *pg;
	char *cause = NULL, *msg;
	const char *tokens[1];

	pg = hub_demo_program(cf_wall_ms(&cf_clock_system), &cause);
	if (pg == NULL) {
		msg = xasprintf(_("cannot load the demo program: %s"), cause);
		free(cause);
		main_fail_free(msg);
	}
	*token = main_random_token();
	tokens[0] = *token;
	memset(&cfg, 0, sizeof cfg);
	cfg.host = "127.0.0.1";
	cfg.port = 0;
	cfg.program = pg;
	cfg.tokens = tokens;
	cfg.ntokens = 1;
	cfg.lineup = hub_demo_lineup(&cfg.nlineup);
	app.hub = hub_server_create(app.cx, &cfg, &cause);
	program_free(pg);
	if (app.hub == NULL) {
		msg = xasprintf(_("cannot start the demo hub: %s"), cause);
		free(cause);
		main_fail_free(msg);
	}
	return xasprintf("ws://127.0.0.1:%d", hub_server_port(app.hub));
}

/* Entry point. */
int
main(int argc, char **argv)
{
	struct main_opts o;
	struct conn_url u;
	struct client_config cc;
	struct client_view view;
	struct conn_callbacks cb;
	struct plain_input pin;
	struct sigaction sa;
	struct config cfg;
	struct curses_opts copts;
	struct curses_input cin;
	struct tlsverify_opts topts;
	char *cause = NULL, *token = NULL, *invite = NULL, *url, *msg, *cfg_warn, *cache_dir, *secrets_path;
	const char *name;
	int full, tls = 0;

	i18n_init();
	main_parse(argc, argv, &o);
	cfg_warn = main_config(&o, &cfg);
	full = main_want_curses(&o);
	if (cfg_warn != NULL && !full)
		fprintf(stderr, "confab: %s\n", cfg_warn);
	name = main_name(o.name);
	if (o.url != NULL) {
		if (conn_url_parse(o.url, &u, &cause) != 0)
			main_bad_usage_free(cause);
		tls = u.tls;
		conn_url_clear(&u);
	}
	main_check_tls(&o, tls);
	if (o.token_file != NULL)
		token = main_read_token(o.token_file, false);
	if (o.invite_file != NULL)
		invite = main_read_token(o.invite_file, true);
	if (o.log_file != NULL) {
		if (log_open(o.log_file, LOG_INFO) != 0) {
			msg = xasprintf(_("cannot open %s: %s"), o.log_file, strerror(errno));
			main_fail_free(msg);
		}
		app.logging = 1;
	} else if (full) {
		/* nothing may reach the screen: without a log file, no log */
		if (log_open("/dev/null", LOG_ERR) != 0)
			log_init(NULL, LOG_ERR);
	} else
		log_init(NULL, LOG_ERR);
	lws_set_log_level(LLL_ERR | LLL_WARN, main_lws_log);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = main_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	main_lws(tls, o.ca_file);
	if (o.demo) {
		free(token);
		url = main_demo(&token);
	} else
		url = xstrdup(o.url);

	if (full) {
		memset(&copts, 0, sizeof copts);
		copts.bell = cfg.bell != 0;
		copts.mention_bell = cfg.mention_bell != 0;
		copts.colours = cfg.colours == CONFIG_COLOURS_YES ? 1 :
		    cfg.colours == CONFIG_COLOURS_NO ? 0 : -1;
		copts.event_time = cfg.time == CONFIG_TIME_EVENT;
		copts.clock12 = cfg.clock == CONFIG_CLOCK_12H;
		memset(&cin, 0, sizeof cin);
		cin.line = main_line;
		cin.eof = main_eof;
		cin.fatal = main_fatal;
		app.cu = curses_create(&copts, &cin);
		curses_view(app.cu, &view);
	} else {
		memset(&pin, 0, sizeof pin);
		pin.line = main_line;
		pin.eof = main_eof;
		pin.fatal = main_fatal;
		app.plain = plain_create(stdout, &pin);
		plain_view(app.plain, &view);
	}

	memset(&cc, 0, sizeof cc);
	cc.name = name;
	cc.token = token;
	cc.invite = invite;
	cc.send = main_send;
	/* the program cache (per hub; not for --demo, whose hub is new each time) */
	cache_dir = o.demo ? NULL : cache_default_dir();
	cc.cache_dir = cache_dir;
	/* the secrets of names held (not for --demo, whose hub is new each time) */
	secrets_path = o.demo ? NULL : secrets_default_path();
	cc.secrets_path = secrets_path;
	cc.link_stats = main_link_stats;
	app.client = client_create(&cc, &view);
	free(cache_dir);
	free(secrets_path);
	if (app.cu != NULL)
		curses_attach(app.cu, app.client);
	else
		plain_attach(app.plain, app.client);

	memset(&cb, 0, sizeof cb);
	cb.connected = main_connected;
	cb.frame = main_frame;
	cb.disconnected = main_disconnected;
	cb.keepalive = main_keepalive;
	cb.refused = main_refused;
	cb.note = main_note;
	app.conn = conn_create(app.cx, app.vh, url, &cb, &cause);
	if (app.conn == NULL)
		main_fail_free(cause);
	memset(&topts, 0, sizeof topts);
	topts.trust_fp = o.trust_cert != NULL ? o.trust_fp : NULL;
	conn_set_tls(app.conn, &topts);

	if (app.cu != NULL) {
		if (curses_start(app.cu, app.cx, app.vh, &cause) != 0)
			main_fail_free(cause);
		if (cfg_warn != NULL)
			curses_say(app.cu, cfg_warn);
	} else if (plain_adopt_stdin(app.plain, app.vh, &cause) != 0) {
		plain_say(app.plain, cause);
		free(cause);
		main_finish();
	}
	client_connecting(app.client, url);
	conn_start(app.conn);

	while (!app.quit && !app.signalled)
		lws_service(app.cx, 0);

	conn_stop(app.conn);
	lws_sul_cancel(&app.sul_finish);
	lws_sul_cancel(&app.sul_timers);
	conn_free(app.conn);
	curses_stop(app.cu);
	plain_free(app.plain);
	app.plain = NULL;
	lws_context_destroy(app.cx);
	app.cx = NULL;
	hub_server_free(app.hub);
	client_free(app.client);
	curses_free(app.cu);
	app.cu = NULL;
	free(url);
	free(token);
	free(invite);
	free(cfg_warn);
	config_clear(&cfg);
	log_close();
	return app.exit_code;
}
