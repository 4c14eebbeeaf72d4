/* hub_mask.h: telling unmasked client frames apart (RFC 6455 section 5.1: a server must
 * close a connection that sends one), which lws 4.1.6 accepts without a word. */
#ifndef CONFAB_HUB_MASK_H
#define CONFAB_HUB_MASK_H

#include <stdbool.h>

#include <libwebsockets.h>

/* For a WebSocket connection, in a receive callback (or for a PING, in the WRITEABLE that
 * follows lws's PONG): 1 when the frame being received was not masked, 0 when it was, -1
 * when the check cannot be trusted (then it is off for good, logged once). */
int hub_mask_unmasked(struct lws *wsi, bool ping_only);

#endif
