/* redis_lws.c: hiredis's asynchronous connections driven by the libwebsockets loop (see
 * redis_lws.h). hiredis asks for reading and writing through its ev hooks; reading is
 * always wanted while the context lives, writing is asked of lws with
 * lws_callback_on_writable(), which lws clears after each WRITEABLE callback. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hub/redis_lws.h"
#include "util/log.h"
#include "util/xalloc.h"

#define REDIS_LWS_PROTOCOL "confab-redis"

struct redis_lws {
	struct lws_context *cx;
	struct lws_vhost *vh;
	struct lws_protocols protocols[2];
};

/* One attached context and the wsi that watches (a duplicate of) its socket. */
struct redis_lws_link {
	redisAsyncContext *ac;
	struct lws *wsi;
};

/* hiredis wants to write: ask lws for the next writeable moment. */
static void
redis_lws_add_write(void *privdata)
{
	struct redis_lws_link *l = privdata;

	if (l->wsi != NULL)
		lws_callback_on_writable(l->wsi);
}

/* Reading is always on; nothing to switch (hiredis calls these on its own schedule). */
static void
redis_lws_nop(void *privdata)
{
	(void)privdata;
}

/* hiredis lets go of the context: the wsi goes too (lws closes the duplicate). */
static void
redis_lws_cleanup(void *privdata)
{
	struct redis_lws_link *l = privdata;

	if (l->wsi != NULL) {
		lws_set_opaque_user_data(l->wsi, NULL);
		lws_set_timeout(l->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	}
	free(l);
}

/* The protocol callback of the adopted descriptors. */
static int
redis_lws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
    size_t len)
{
	struct redis_lws_link *l = wsi != NULL ? lws_get_opaque_user_data(wsi) : NULL;

	(void)user;
	(void)in;
	(void)len;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		/* may free the context (end of file): l is not used after */
		if (l != NULL && l->ac != NULL)
			redisAsyncHandleRead(l->ac);
		return 0;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (l != NULL && l->ac != NULL)
			redisAsyncHandleWrite(l->ac);
		return 0;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		/* lws gave up the descriptor (hang-up): hiredis reads its own end of the
		 * socket, sees the end and lets go of the context */
		if (l != NULL) {
			lws_set_opaque_user_data(wsi, NULL);
			l->wsi = NULL;
			if (l->ac != NULL)
				redisAsyncHandleRead(l->ac);
		}
		return 0;
	default:
		return 0;
	}
}

/* A new adapter with a vhost that listens nowhere. */
struct redis_lws *
redis_lws_create(struct lws_context *cx, char **cause)
{
	struct lws_context_creation_info info;
	struct redis_lws *rl = xcalloc(1, sizeof *rl);

	rl->cx = cx;
	rl->protocols[0].name = REDIS_LWS_PROTOCOL;
	rl->protocols[0].callback = redis_lws_callback;
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.vhost_name = "confab-redis";
	info.protocols = rl->protocols;
	if ((rl->vh = lws_create_vhost(cx, &info)) == NULL) {
		*cause = xstrdup("cannot add the Redis connections to the event loop");
		free(rl);
		return NULL;
	}
	return rl;
}

/* Frees the adapter. */
void
redis_lws_free(struct redis_lws *rl)
{
	free(rl);
}

/* Attaches ac to the loop. */
int
redis_lws_attach(struct redis_lws *rl, redisAsyncContext *ac)
{
	struct redis_lws_link *l;
	lws_sock_file_fd_type u;
	int fd;

	if (ac->ev.data != NULL)
		return -1;
	if ((fd = fcntl(ac->c.fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		log_err("redis: cannot watch the connection: %s", strerror(errno));
		return -1;
	}
	l = xcalloc(1, sizeof *l);
	l->ac = ac;
	memset(&u, 0, sizeof u);
	u.filefd = (lws_filefd_type)(intptr_t)fd;
	l->wsi = lws_adopt_descriptor_vhost(rl->vh, LWS_ADOPT_RAW_FILE_DESC, u,
	    REDIS_LWS_PROTOCOL, NULL);
	if (l->wsi == NULL) {
		log_err("redis: the event loop would not watch the connection");
		close(fd);
		free(l);
		return -1;
	}
	lws_set_opaque_user_data(l->wsi, l);
	ac->ev.data = l;
	ac->ev.addRead = redis_lws_nop;
	ac->ev.delRead = redis_lws_nop;
	ac->ev.addWrite = redis_lws_add_write;
	ac->ev.delWrite = redis_lws_nop;
	ac->ev.cleanup = redis_lws_cleanup;
	/* the connection completes on the first writeable moment */
	lws_callback_on_writable(l->wsi);
	return 0;
}
