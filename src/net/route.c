/* route.c: the way to the hub (direct, a proxy, or a transport and its bridge): the
 * decision, the tunnels, and failures in words. */
#include "util/i18n.h"

#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "net/proxyurl.h"
#include "net/ptline.h"
#include "net/ptproc.h"
#include "net/relay.h"
#include "net/route.h"
#include "net/socks5.h"
#include "util/container.h"
#include "util/files.h"
#include "util/log.h"
#include "util/xalloc.h"

#define ROUTE_PT_WAIT_MS (PTPROC_START_MS + 5000)  /* a link waits this long for it */
/* A SOCKS5 proxy may be Tor, whose way to an onion service can take a minute or more:
 * wait as long as Tor does (its SocksTimeout, 120 s), so that its own verdict arrives. */
#define ROUTE_SOCKS_PROXY_MS 120000

struct route {
	enum route_kind kind;
	struct proxyurl proxy;        /* ROUTE_PROXY */
	char *pt_proxy;               /* ROUTE_TRANSPORT: TOR_PT_PROXY, or NULL */
	struct ptbridge bridge;       /* ROUTE_TRANSPORT */
	char *transport, *exec, *state_dir;
	char *via;
	struct lws_context *cx;
	struct relay *relay;
	struct ptproc *pt;
	/* the link waiting for its tunnel */
	route_done_fn done;
	void *arg;
	char *host;
	int port;
	int waiting_pt;               /* for the transport to get ready */
	char *why;                    /* a failure to report from the loop */
	lws_sorted_usec_list_t sul_fail, sul_pt;
};

/* Plans a route through a transport. */
static enum route_error
route_plan_transport(const struct route_config *cfg, struct route *rt, char **cause,
    char **note)
{
	struct proxyurl pu;

	if (cfg->bridge == NULL) {
		*cause = xstrdup(_("--transport needs --bridge 'ADDRESS:PORT ARGUMENTS' (the "
		    "bridge line the hub's organizer published)"));
		return ROUTE_BAD_SETTING;
	}
	if (ptline_bridge_parse(cfg->bridge, &rt->bridge, cause) != 0)
		return ROUTE_BAD_SETTING;
	if (cfg->transport != NULL && rt->bridge.transport != NULL &&
	    strcmp(cfg->transport, rt->bridge.transport) != 0) {
		*cause = xasprintf(_("the bridge line is for the %s transport, not %s"),
		    rt->bridge.transport, cfg->transport);
		return ROUTE_BAD_SETTING;
	}
	rt->transport = xstrdup(cfg->transport != NULL ? cfg->transport : rt->bridge.transport
	    != NULL ? rt->bridge.transport : "");
	if (!ptline_transport_ok(rt->transport)) {
		*cause = rt->transport[0] == '\0' ? xstrdup(_("--bridge needs --transport NAME "
		    "(for example obfs4), unless the bridge line starts with it")) :
		    xasprintf(_("bad transport name \"%s\""), rt->transport);
		return ROUTE_BAD_SETTING;
	}
	if (strcmp(rt->transport, "obfs4") == 0 && strncmp(rt->bridge.args, "cert=", 5) != 0 &&
	    strstr(rt->bridge.args, ";cert=") == NULL) {
		*cause = xstrdup(_("an obfs4 bridge line needs its cert=... (and iat-mode=...), "
		    "as the hub's organizer published it"));
		return ROUTE_BAD_SETTING;
	}
	if (cfg->proxy != NULL && strcmp(cfg->proxy, "none") != 0) {
		if (proxyurl_parse(cfg->proxy, &pu, cause) != 0)
			return ROUTE_BAD_SETTING;
		/* the spec's form: socks5:// (the transport resolves names itself) */
		rt->pt_proxy = pu.kind == PROXYURL_SOCKS5H ? xasprintf("socks5://%s",
		    strstr(cfg->proxy, "://") + 3) : xstrdup(cfg->proxy);
		proxyurl_clear(&pu);
	}
	rt->state_dir = cfg->state_dir != NULL ? xstrdup(cfg->state_dir) :
	    files_state_path("pt-state");
	if (rt->state_dir == NULL) {
		*cause = xstrdup(_("the transport needs a directory for its state: set HOME or "
		    "XDG_STATE_HOME"));
		return ROUTE_MISSING;
	}
	rt->exec = ptproc_find(rt->transport, cfg->transport_exec, cause);
	if (rt->exec == NULL)
		return ROUTE_MISSING;
	rt->kind = ROUTE_TRANSPORT;
	rt->via = xstrdup(rt->transport);
	*note = xasprintf(strchr(rt->bridge.host, ':') != NULL ? _("connecting through the "
	    "%s transport (%s) to the bridge [%s]:%d") : _("connecting through the %s transport "
	    "(%s) to the bridge %s:%d"), rt->transport, rt->exec, rt->bridge.host,
	    rt->bridge.port);
	return ROUTE_OK;
}

/* Decides the route. */
enum route_error
route_plan(const struct route_config *cfg, const char *host, int port, bool tls,
    struct route **out, char **cause, char **note)
{
	struct route *rt = xcalloc(1, sizeof *rt);
	const char *url = cfg->proxy, *from = "--proxy";
	enum route_error e;

	*out = NULL;
	*note = NULL;
	if (cfg->transport != NULL || cfg->bridge != NULL) {
		e = route_plan_transport(cfg, rt, cause, note);
		goto done;
	}
	if (url == NULL)
		url = proxyurl_from_env(tls, &from);
	if (url == NULL || strcmp(url, "none") == 0) {
		e = ROUTE_OK;
		goto direct;
	}
	if (proxyurl_is_loopback(host)) {
		*note = xasprintf(_("not using the proxy from %s for a hub on this machine"), from);
		e = ROUTE_OK;
		goto direct;
	}
	if (cfg->proxy == NULL && proxyurl_no_proxy_match(proxyurl_no_proxy_env(), host, port)) {
		*note = xasprintf(_("not using the proxy from %s: no_proxy names %s"), from, host);
		e = ROUTE_OK;
		goto direct;
	}
	if (proxyurl_parse(url, &rt->proxy, cause) != 0) {
		if (cfg->proxy == NULL) {
			char *c = xasprintf(_("%s (from the environment variable %s; --proxy none "
			    "ignores it)"), *cause, from);
			free(*cause);
			*cause = c;
		}
		e = ROUTE_BAD_SETTING;
		goto done;
	}
	rt->kind = ROUTE_PROXY;
	rt->via = xstrdup(rt->proxy.shown);
	*note = cfg->proxy != NULL ? xasprintf(_("connecting through the proxy %s"),
	    rt->proxy.shown) : xasprintf(_("connecting through the proxy %s (from %s)"),
	    rt->proxy.shown, from);
	e = ROUTE_OK;
done:
	if (e == ROUTE_OK) {
		*out = rt;
		return e;
	}
direct:
	route_free(rt);
	return e;
}

/* The transport's callbacks. */
static void route_pt_ready(void *arg);
static void route_pt_failed(void *arg, const char *why);

/* Starts the relay and the transport. */
int
route_start(struct route *rt, struct lws_context *cx, struct lws_vhost *vh, char **cause)
{
	struct ptproc_config pc;
	struct ptproc_callbacks pcb;

	rt->cx = cx;
	rt->relay = relay_create(cx, vh, cause);
	if (rt->relay == NULL)
		return -1;
	if (rt->kind != ROUTE_TRANSPORT)
		return 0;
	if (files_mkdirs(rt->state_dir) != 0)
		log_warn("route: cannot make %s", rt->state_dir);
	memset(&pc, 0, sizeof pc);
	pc.exec = rt->exec;
	pc.transport = rt->transport;
	pc.state_dir = rt->state_dir;
	pc.proxy = rt->pt_proxy;
	memset(&pcb, 0, sizeof pcb);
	pcb.arg = rt;
	pcb.ready = route_pt_ready;
	pcb.failed = route_pt_failed;
	rt->pt = ptproc_create(cx, vh, &pc, &pcb);
	ptproc_start(rt->pt);
	return 0;
}

/* Hands a failure to the waiting link. */
static void
route_fail_cb(lws_sorted_usec_list_t *sul)
{
	struct route *rt = CF_CONTAINER_OF(sul, struct route, sul_fail);
	route_done_fn done = rt->done;
	char *why = rt->why;

	rt->why = NULL;
	rt->done = NULL;
	rt->waiting_pt = 0;
	lws_sul_cancel(&rt->sul_pt);
	if (done != NULL)
		done(rt->arg, NULL, why);
	free(why);
}

/* Fails the waiting link with why (new string: taken), from the loop. */
static void
route_fail(struct route *rt, char *why)
{
	free(rt->why);
	rt->why = why;
	lws_sul_schedule(rt->cx, 0, &rt->sul_fail, route_fail_cb, 1);
}

/* How long the proxy or transport may take to open a tunnel, in ms. */
static int
route_handshake_ms(const struct route *rt)
{
	return rt->kind != ROUTE_TRANSPORT && rt->proxy.kind != PROXYURL_HTTP ?
	    ROUTE_SOCKS_PROXY_MS : RELAY_HANDSHAKE_MS;
}

/* True when host is an .onion name (any case, with or without a final dot). */
static bool
route_is_onion(const char *host)
{
	size_t n = strlen(host);

	if (n > 0 && host[n - 1] == '.')
		n--;
	return n > 6 && strncasecmp(host + n - 6, ".onion", 6) == 0;
}

/* Words for a failed SOCKS5 handshake. New string. */
static char *
route_socks_words(const struct route *rt, const struct relay_failure *f, const char *who,
    const char *target)
{
	const char *rep = _(socks5_reply_text(f->socks_rep));

	switch (f->socks_err) {
	case S5E_NOT_SOCKS5:
		return xasprintf(_("%s does not speak SOCKS5"), who);
	case S5E_NEED_AUTH:
		return xasprintf(_("%s wants a user name and password: give them in its address "
		    "(socks5h://USER:PASSWORD@HOST:PORT)"), who);
	case S5E_NO_METHOD:
		return xasprintf(_("%s accepts none of the ways to log in that confab offers"),
		    who);
	case S5E_AUTH:
		return rt->kind == ROUTE_TRANSPORT ? xasprintf(_("%s refused the bridge's "
		    "arguments: check the bridge line"), who) : xasprintf(_("%s refused the user "
		    "name and password"), who);
	case S5E_REPLY:
		if (rt->kind == ROUTE_TRANSPORT && f->socks_rep == 1)
			return xasprintf(_("%s could not reach %s (%s): the bridge is down or "
			    "blocked from here, or the bridge line is wrong (its cert=)"), who,
			    target, rep);
		if (f->socks_rep == 1 && route_is_onion(rt->host))
			return xasprintf(_("%s could not reach %s: %s (Tor says why only with "
			    "ExtendedErrors on its SocksPort)"), who, target, rep);
		return xasprintf(_("%s could not reach %s: %s"), who, target, rep);
	default:
		return xasprintf(_("%s answered in a way confab cannot read (SOCKS5)"), who);
	}
}

/* Words for a failed HTTP CONNECT. New string. */
static char *
route_http_words(const struct route *rt, const struct relay_failure *f, const char *who,
    const char *target)
{
	if (f->http_status == 0)
		return xasprintf(_("%s does not answer as an HTTP proxy"), who);
	if (f->http_status == 407 || f->http_status == 401)   /* tinyproxy: 401 */
		return rt->proxy.user != NULL ? xasprintf(_("%s refused the user name and "
		    "password (%d %s)"), who, f->http_status, f->http_reason) :
		    xasprintf(_("%s wants a user name and password: give them in its address "
		    "(http://USER:PASSWORD@HOST:PORT)"), who);
	if (f->http_status == 403)
		return xasprintf(_("%s does not allow connections to %s (%d %s)"), who, target,
		    f->http_status, f->http_reason);
	return xasprintf(_("%s could not connect to %s: %d %s"), who, target, f->http_status,
	    f->http_reason);
}

/* Words for a failed tunnel. New string. */
static char *
route_words(const struct route *rt, const struct relay_failure *f)
{
	char *who, *target, *w;
	const char *detail = f->detail != NULL && f->detail[0] != '\0' ? f->detail : NULL;

	if (rt->kind == ROUTE_TRANSPORT) {
		who = xasprintf(_("the %s transport"), rt->transport);
		target = xasprintf(strchr(rt->bridge.host, ':') != NULL ? _("the bridge [%s]:%d") :
		    _("the bridge %s:%d"), rt->bridge.host, rt->bridge.port);
	} else {
		who = xasprintf(_("the proxy %s"), rt->proxy.shown);
		target = xasprintf(strchr(rt->host, ':') != NULL ? "[%s]:%d" : "%s:%d", rt->host,
		    rt->port);
	}
	switch (f->kind) {
	case RELAY_F_CONNECT:
		w = detail != NULL ? xasprintf(_("cannot reach %s (%s)"), who, detail) :
		    xasprintf(_("cannot reach %s"), who);
		break;
	case RELAY_F_CLOSED:
		w = xasprintf(_("%s closed the connection before the tunnel was up"), who);
		break;
	case RELAY_F_TIMEOUT:
		w = xasprintf(_("%s did not answer within %d s"), who,
		    route_handshake_ms(rt) / 1000);
		break;
	case RELAY_F_SOCKS:
		w = route_socks_words(rt, f, who, target);
		break;
	case RELAY_F_HTTP:
		w = route_http_words(rt, f, who, target);
		break;
	default:
		w = xstrdup(detail != NULL ? detail : _("the local relay failed"));
		break;
	}
	free(who);
	free(target);
	return w;
}

/* A tunnel is up or failed. */
static void
route_relay_done(void *arg, const char *path, const struct relay_failure *f)
{
	struct route *rt = arg;
	route_done_fn done = rt->done;
	char *why;

	rt->done = NULL;
	if (done == NULL)
		return;
	if (path != NULL) {
		done(rt->arg, path, NULL);
		return;
	}
	why = route_words(rt, f);
	done(rt->arg, NULL, why);
	free(why);
}

/* Opens the tunnel through the transport, which is ready. */
static void
route_open_transport(struct route *rt)
{
	struct relay_target t;
	const char *host;
	int port;

	rt->waiting_pt = 0;
	lws_sul_cancel(&rt->sul_pt);
	if (!ptproc_socks(rt->pt, &host, &port))
		return;
	memset(&t, 0, sizeof t);
	t.via = RELAY_SOCKS5;
	t.proxy_host = host;
	t.proxy_port = port;
	t.host = rt->bridge.host;
	t.port = rt->bridge.port;
	ptline_socks_auth(&rt->bridge, (const char **)&t.user, &t.ulen,
	    (const char **)&t.pass, &t.plen);
	relay_open(rt->relay, &t, route_relay_done, rt);
}

/* The transport got ready: a link waiting for it goes on. */
static void
route_pt_ready(void *arg)
{
	struct route *rt = arg;

	if (rt->waiting_pt && rt->done != NULL)
		route_open_transport(rt);
}

/* The transport failed: a link waiting for it fails with the reason. */
static void
route_pt_failed(void *arg, const char *why)
{
	struct route *rt = arg;

	if (rt->waiting_pt && rt->done != NULL) {
		rt->waiting_pt = 0;
		route_fail(rt, xstrdup(why));
	}
}

/* The transport did not get ready in time for the waiting link. */
static void
route_pt_wait_cb(lws_sorted_usec_list_t *sul)
{
	struct route *rt = CF_CONTAINER_OF(sul, struct route, sul_pt);

	if (rt->waiting_pt && rt->done != NULL) {
		rt->waiting_pt = 0;
		route_fail(rt, xasprintf(_("the %s transport is not ready"), rt->transport));
	}
}

/* Resolves host here (socks5://, not socks5h://) into an address. New string or NULL. */
static char *
route_resolve(const char *host, char **cause)
{
	struct addrinfo hints, *res = NULL;
	char buf[64];
	int e;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	e = getaddrinfo(host, NULL, &hints, &res);
	if (e != 0 || res == NULL ||
	    getnameinfo(res->ai_addr, res->ai_addrlen, buf, sizeof buf, NULL, 0,
	    NI_NUMERICHOST) != 0) {
		*cause = xasprintf(_("cannot find the address of %s (%s); with socks5h:// the "
		    "proxy would look it up"), host, e != 0 ? gai_strerror(e) : "?");
		if (res != NULL)
			freeaddrinfo(res);
		return NULL;
	}
	freeaddrinfo(res);
	return xstrdup(buf);
}

/* Makes a tunnel for one link. */
void
route_open(struct route *rt, const char *host, int port, route_done_fn done, void *arg)
{
	struct relay_target t;
	char *addr = NULL, *cause = NULL;
	const char *sh;
	int sp;

	route_cancel(rt);
	rt->done = done;
	rt->arg = arg;
	free(rt->host);
	rt->host = xstrdup(host);
	rt->port = port;
	if (rt->kind == ROUTE_TRANSPORT) {
		if (ptproc_socks(rt->pt, &sh, &sp))
			route_open_transport(rt);
		else {
			rt->waiting_pt = 1;
			ptproc_start(rt->pt);
			lws_sul_schedule(rt->cx, 0, &rt->sul_pt, route_pt_wait_cb,
			    (lws_usec_t)ROUTE_PT_WAIT_MS * 1000);
		}
		return;
	}
	if (rt->proxy.kind == PROXYURL_SOCKS5 && (addr = route_resolve(host, &cause)) == NULL) {
		route_fail(rt, cause);
		return;
	}
	memset(&t, 0, sizeof t);
	t.via = rt->proxy.kind == PROXYURL_HTTP ? RELAY_HTTP : RELAY_SOCKS5;
	t.handshake_ms = route_handshake_ms(rt);
	t.proxy_host = rt->proxy.host;
	t.proxy_port = rt->proxy.port;
	t.host = addr != NULL ? addr : host;
	t.port = port;
	if (rt->proxy.user != NULL) {
		t.user = rt->proxy.user;
		t.ulen = strlen(rt->proxy.user);
		t.pass = rt->proxy.pass;
		t.plen = strlen(rt->proxy.pass);
		if (t.plen == 0 && t.via == RELAY_SOCKS5) {
			/* RFC 1929 wants a password of at least one byte */
			t.pass = "";
			t.plen = 1;
		}
	}
	relay_open(rt->relay, &t, route_relay_done, rt);
	free(addr);
}

/* Forgets the waiting link. */
void
route_cancel(struct route *rt)
{
	rt->done = NULL;
	rt->waiting_pt = 0;
	lws_sul_cancel(&rt->sul_pt);
	lws_sul_cancel(&rt->sul_fail);
	free(rt->why);
	rt->why = NULL;
	if (rt->relay != NULL)
		relay_cancel(rt->relay);
}

/* The kind. */
enum route_kind
route_kind(const struct route *rt)
{
	return rt->kind;
}

/* What it goes through. */
const char *
route_via(const struct route *rt)
{
	return rt->via != NULL ? rt->via : "";
}

/* The TCP counters of the current link's connection to the proxy or transport. */
void
route_wire(struct route *rt, uint64_t *tx, uint64_t *rx)
{
	*tx = *rx = 0;
	if (rt->relay != NULL)
		relay_wire(rt->relay, tx, rx);
}

/* The transport's process id. */
long
route_transport_pid(const struct route *rt)
{
	return rt->pt != NULL ? (long)ptproc_pid(rt->pt) : 0;
}

/* Stops everything and frees rt. */
void
route_free(struct route *rt)
{
	if (rt == NULL)
		return;
	if (rt->cx != NULL) {
		lws_sul_cancel(&rt->sul_pt);
		lws_sul_cancel(&rt->sul_fail);
	}
	ptproc_free(rt->pt);
	relay_free(rt->relay);
	proxyurl_clear(&rt->proxy);
	ptline_bridge_clear(&rt->bridge);
	free(rt->pt_proxy);
	free(rt->transport);
	free(rt->exec);
	free(rt->state_dir);
	free(rt->via);
	free(rt->host);
	free(rt->why);
	free(rt);
}
