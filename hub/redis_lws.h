/* redis_lws.h: hiredis's asynchronous connections driven by the libwebsockets loop.
 *
 * One thread, no polling: the socket of a redisAsyncContext is watched by lws like any
 * other descriptor. lws 4.1.6 adopts a descriptor as a "raw file" (LWS_ADOPT_RAW_FILE_DESC)
 * and then only reports readiness (LWS_CALLBACK_RAW_RX_FILE, _WRITEABLE_FILE) without
 * reading it, which is what hiredis needs: redisAsyncHandleRead() and
 * redisAsyncHandleWrite() do the I/O. lws closes an adopted descriptor when its wsi
 * closes and hiredis closes its own socket when the context is freed, so lws is given a
 * duplicate (dup()) of hiredis's descriptor: each side closes its own, never the other's.
 * The duplicate keeps the socket open until lws has closed it too (at once, when hiredis
 * lets go of the context).
 *
 * The adapter creates a vhost of its own that listens nowhere (the context must have been
 * created with LWS_SERVER_OPTION_EXPLICIT_VHOSTS, as confabd's is). */
#ifndef CONFAB_REDIS_LWS_H
#define CONFAB_REDIS_LWS_H

#include <hiredis/async.h>
#include <libwebsockets.h>

struct redis_lws;

/* A new adapter for the loop of cx, or NULL with *cause (a new string). */
struct redis_lws *redis_lws_create(struct lws_context *cx, char **cause);
/* Frees the adapter (after the contexts attached to it are gone, or with the lws context
 * already destroyed). Safe on NULL. */
void redis_lws_free(struct redis_lws *rl);
/* Attaches ac (just made by redisAsyncConnect) to the loop: from now on its reads and
 * writes run when lws sees its socket ready. Returns 0, or -1 (then ac is not attached
 * and the caller frees it). */
int redis_lws_attach(struct redis_lws *rl, redisAsyncContext *ac);

#endif
