/* pmdguard.h: libwebsockets 4.1.6's permessage-deflate extension, guarded against its
 * receive-side assert.
 *
 * lws 4.1.6 aborts the whole process (assert(priv->rx.avail_out) in
 * extension-permessage-deflate.c, upstream issue 2120) when the last piece of a
 * compressed message leaves zlib with output still pending after lws's output buffer
 * (1 KiB on the client, 512 bytes on the hub) filled, in whichever of the inflate calls
 * for that piece: one crafted (or truncated) frame from a peer kills a hub or a client.
 * pmdguard_callback() is lws's extension callback with one addition: before lws inflates
 * the last piece of a message, it replays on a copy of lws's inflater (inflateCopy) what
 * lws will do with that piece (inflate calls into lws's buffer, as many as the piece needs,
 * then the trailer) and, when the replay reaches the assert, fails the connection instead
 * (the peer is dropped; nothing else happens). */
#ifndef CONFAB_PMDGUARD_H
#define CONFAB_PMDGUARD_H

#include <libwebsockets.h>

/* The callback for a { "permessage-deflate", pmdguard_callback, offer } extension. */
int pmdguard_callback(struct lws_context *cx, const struct lws_extension *ext,
    struct lws *wsi, enum lws_extension_callback_reasons reason, void *user, void *in,
    size_t len);

/* lws 4.1.6 leaks the extension's state (about 300 bytes) of a client handshake that the
 * protocol's LWS_CALLBACK_CLIENT_FILTER_PRE_ESTABLISH refuses: the extension was made for
 * the link and the link never becomes a WebSocket, whose end would free it. Call this
 * from that callback, for wsi, just before refusing: it frees that state. */
void pmdguard_client_refused(struct lws *wsi);

#endif
