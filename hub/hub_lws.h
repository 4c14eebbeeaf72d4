/* hub_lws.h: a hub served over WebSocket by libwebsockets 4.1.
 *
 * Used by confabd and by the client's "confab --demo" (an embedded hub in the client's own
 * lws context). The caller creates the context with LWS_SERVER_OPTION_EXPLICIT_VHOSTS and
 * runs lws_service(); hub_server_create() adds one vhost listening on host:port with the
 * protocol PROTO_SUBPROTOCOL ("confab.1"), which is also the default for connections that
 * name no subprotocol. The context may hold other (client) vhosts.
 *
 * With tls_cert and tls_key the vhost serves wss:// (TLS 1.2 or later, ALPN http/1.1 only);
 * the context must then have been created with LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT, and
 * the caller should have checked both files first (src/net/tlscert.c), since lws says
 * little about a bad one.
 *
 * Shutdown order: lws_context_destroy(cx) first (connections close and the hub sees them
 * go), then hub_server_free(srv). */
#ifndef CONFAB_HUB_LWS_H
#define CONFAB_HUB_LWS_H

#include <stddef.h>

#include <libwebsockets.h>

#include "hub/hub.h"
#include "model/program.h"
#include "util/clock.h"

struct hub_server_config {
	const char *host;                 /* e.g. "127.0.0.1" */
	int port;                         /* 0: the kernel picks */
	const struct program *program;    /* borrowed; the hub copies it */
	const struct lineup_item *lineup; /* initial lineup, borrowed; may be NULL */
	size_t nlineup;
	const char *const *tokens;        /* facilitator tokens, borrowed */
	size_t ntokens;
	const char *const *invites;       /* invite tokens, borrowed; none: open event */
	size_t ninvites;
	const struct cf_clock *clock;     /* NULL: cf_clock_system */
	struct store *store;              /* borrowed; NULL: a memory store */
	const struct hub_limits *limits;  /* NULL: the defaults */
	const char *notice;               /* welcome notice, may be NULL */
	bool log_addresses;
	int64_t retain_ms;                /* chat older than this is deleted (0: kept) */
	const char *const *origins;       /* allowed Origin values (browsers); none: no browser */
	size_t norigins;
	/* who may GET /health and /metrics: addresses, or prefixes ending in '.' or ':';
	 * none: loopback only */
	const char *const *metrics_allow;
	size_t nmetrics_allow;
	const char *tls_cert, *tls_key;   /* PEM files: serve wss://; NULL: ws:// */
};

struct hub_server;

/* Creates the hub and its listening vhost in cx. Returns the server, or NULL with *cause
 * set to a new string (e.g. the address is in use). */
struct hub_server *hub_server_create(struct lws_context *cx, const struct hub_server_config *cfg,
    char **cause);
/* The port the server listens on (the real one when cfg->port was 0). */
int hub_server_port(const struct hub_server *srv);
/* Frees the server and its hub. Call after lws_context_destroy(). Safe on NULL. */
void hub_server_free(struct hub_server *srv);
/* The hub (borrowed), for its metrics and tokens. */
struct hub *hub_server_hub(struct hub_server *srv);
/* A clean shutdown: every connection is closed (1001, going away) once what is queued
 * for it is sent. Keep running the loop until hub_server_connections() is 0 (or long
 * enough). Returns the connections still open. */
size_t hub_server_shutdown(struct hub_server *srv);
size_t hub_server_connections(const struct hub_server *srv);
/* lws failed to accept a connection with errno e (its log says "accept: errno N"): out
 * of descriptors or memory, accepting pauses for a second instead of spinning. */
void hub_server_accept_failed(struct hub_server *srv, int e);

#endif
