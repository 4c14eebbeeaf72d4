/* hub_bridge.h: the bridge line attendees paste (confab --bridge '...'), made from the
 * state directory of obfs4proxy running as the hub's managed server transport
 * (TOR_PT_STATE_LOCATION; doc/REACH.md). No lws. */
#ifndef CONFAB_HUB_BRIDGE_H
#define CONFAB_HUB_BRIDGE_H

/* The name of obfs4proxy's state file in its state directory. */
#define HUB_BRIDGE_STATE_FILE "obfs4_state.json"

/* Reads DIR/obfs4_state.json (node-id, public-key, iat-mode) and returns the bridge line
 * "ADDRESS cert=CERT iat-mode=N" (address: HOST:PORT, the listener's public address as
 * attendees reach it): a new string, or NULL with *cause (new, translated). The cert is
 * the node id and the public key in unpadded base64, as obfs4proxy's own bridge line. */
char *hub_bridge_line(const char *dir, const char *address, char **cause);

#endif
