/* ptproc.h: a pluggable transport client run as a managed proxy (Pluggable Transport
 * specification, version 1), inside the client's lws loop.
 *
 * The transport program (obfs4proxy, say) is started with the environment the spec
 * defines: TOR_PT_MANAGED_TRANSPORT_VER=1, TOR_PT_CLIENT_TRANSPORTS=TRANSPORT,
 * TOR_PT_STATE_LOCATION=DIR and TOR_PT_EXIT_ON_STDIN_CLOSE=1 (and TOR_PT_PROXY when it
 * must go through a proxy itself). Its standard output and error are pipes adopted into
 * the lws loop as raw files (never fd 0): the lines VERSION, CMETHOD, CMETHODS DONE and
 * the error lines are parsed as they come (ptline.c), its standard error is logged, and
 * nothing ever blocks the interface. Once it has announced the SOCKS5 port of the
 * transport it is ready. When it dies it is started again (after 1 s, doubling while it
 * keeps failing before it is ready, up to 30 s). ptproc_free() stops it as the spec says:
 * standard input closed, then SIGTERM, then SIGKILL; the child also gets SIGTERM if confab
 * dies first (PR_SET_PDEATHSIG). */
#ifndef CONFAB_PTPROC_H
#define CONFAB_PTPROC_H

#include <libwebsockets.h>
#include <sys/types.h>

#define PTPROC_PROTOCOL_NAME "confab-transport"
#define PTPROC_START_MS 30000       /* a transport not ready by then has failed */
#define PTPROC_RESTART_MIN_MS 1000
#define PTPROC_RESTART_MAX_MS 30000
#define PTPROC_STOP_MS 2000         /* waited for after closing stdin, then after SIGTERM */

/* What to run. Strings are copied. */
struct ptproc_config {
	const char *exec;          /* the program's path */
	const char *transport;     /* TOR_PT_CLIENT_TRANSPORTS */
	const char *state_dir;     /* TOR_PT_STATE_LOCATION */
	const char *proxy;         /* TOR_PT_PROXY, or NULL */
};

/* What it tells its owner. */
struct ptproc_callbacks {
	void *arg;
	/* the transport's SOCKS5 port is known (ptproc_socks()) */
	void (*ready)(void *arg);
	/* it failed to start or stopped; why: translated, borrowed for the call */
	void (*failed)(void *arg, const char *why);
};

struct ptproc;

/* The protocol to put in the client vhost's protocol list (borrowed, static). */
const struct lws_protocols *ptproc_protocol(void);

/* The program that provides a transport: the path of exec (a path, or a name looked up
 * in PATH) when given, else the usual program of the transport (obfs4, obfs3, meek_lite,
 * scramblesuit: obfs4proxy or lyrebird; snowflake: snowflake-client) found in PATH. New
 * string, or NULL with *cause (new, translated: what is missing and how to get it). */
char *ptproc_find(const char *transport, const char *exec, char **cause);

/* A transport on vhost vh (whose protocols include ptproc_protocol()); nothing runs until
 * ptproc_start(). */
struct ptproc *ptproc_create(struct lws_context *cx, struct lws_vhost *vh,
    const struct ptproc_config *cfg, const struct ptproc_callbacks *cb);
/* Starts the program unless it runs or a restart is scheduled. */
void ptproc_start(struct ptproc *p);
/* True when ready: *host and *port (borrowed) get the SOCKS5 address. */
int ptproc_socks(struct ptproc *p, const char **host, int *port);
/* The process id while it runs, else 0. */
pid_t ptproc_pid(const struct ptproc *p);
/* Stops the program (waiting at most 2 x PTPROC_STOP_MS) and frees p (safe on NULL). */
void ptproc_free(struct ptproc *p);

#endif
