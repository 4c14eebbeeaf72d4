/* route.h: how the client reaches its hub: directly, through a proxy (HTTP CONNECT or
 * SOCKS5, Tor included) or through a pluggable transport and its bridge. It decides once,
 * from the options, the config file and the proxy environment variables, and then makes
 * each link's tunnel (relay.c, ptproc.c) and puts every failure in words.
 *
 * The rules, in order:
 *   1. --transport/--bridge (or the config file's transport and bridge): every link goes
 *      through the transport to the bridge, whatever the hub's address says (the bridge
 *      forwards to the hub). A proxy given as well is the transport's own (TOR_PT_PROXY).
 *   2. a hub on this machine (localhost, 127.0.0.0/8, ::1) is reached directly: never
 *      through a proxy, whatever is set.
 *   3. --proxy URL (or the config file's proxy); "--proxy none" means no proxy, the
 *      environment included.
 *   4. the environment: https_proxy or HTTPS_PROXY for wss:// hubs, http_proxy or
 *      HTTP_PROXY for ws://, then all_proxy or ALL_PROXY; unless the hub is in
 *      no_proxy (or NO_PROXY).
 *   5. otherwise, directly. */
#ifndef CONFAB_ROUTE_H
#define CONFAB_ROUTE_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

/* The settings. Strings are borrowed for route_plan(). */
struct route_config {
	const char *proxy;            /* a proxy URL, "none", or NULL: the environment */
	const char *transport;        /* a transport name, or NULL */
	const char *bridge;           /* a bridge line, or NULL */
	const char *transport_exec;   /* the transport's program, or NULL: found in PATH */
	const char *state_dir;        /* TOR_PT_STATE_LOCATION; NULL: the default */
};

/* How route_plan() failed: a bad setting (exit status 2), or a program that cannot be
 * found (status 1). */
enum route_error { ROUTE_OK = 0, ROUTE_BAD_SETTING, ROUTE_MISSING };

/* The route's kind, for /stats. */
enum route_kind { ROUTE_DIRECT = 0, ROUTE_PROXY, ROUTE_TRANSPORT };

struct route;

/* A tunnel is up: connect lws to path (borrowed for the call); or it failed: why (new
 * words, translated, borrowed for the call), path NULL. */
typedef void (*route_done_fn)(void *arg, const char *path, const char *why);

/* Decides how to reach a hub at host:port (tls: wss://) and checks the settings: *out
 * gets the route, or NULL when the hub is reached directly. Returns ROUTE_OK, or an error
 * with *cause (new, translated). *note gets a line to show (which proxy is used and
 * why, or that one was left out), or NULL. Nothing starts until route_start(). */
enum route_error route_plan(const struct route_config *cfg, const char *host, int port,
    bool tls, struct route **out, char **cause, char **note);

/* Starts the route on the client's vhost (whose protocols include relay_protocol() and
 * ptproc_protocol()): the relay, and the transport program. Returns 0, or -1 with
 * *cause. */
int route_start(struct route *rt, struct lws_context *cx, struct lws_vhost *vh, char **cause);

/* Makes a tunnel to the hub (host:port) for one link; done() is called once, later. */
void route_open(struct route *rt, const char *host, int port, route_done_fn done, void *arg);
/* Forgets the tunnel being made (done() is not called). */
void route_cancel(struct route *rt);

/* The kind, and what it goes through ("socks5h://127.0.0.1:9050", "obfs4"; borrowed). */
enum route_kind route_kind(const struct route *rt);
const char *route_via(const struct route *rt);
/* The TCP counters of the current link's connection to the proxy or transport. */
void route_wire(struct route *rt, uint64_t *tx, uint64_t *rx);
/* The transport program's process id while it runs, else 0. */
long route_transport_pid(const struct route *rt);

/* Stops the transport program and the relay; frees rt (safe on NULL). */
void route_free(struct route *rt);

#endif
