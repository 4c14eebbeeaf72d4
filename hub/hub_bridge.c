/* hub_bridge.c: the obfs4 bridge line of a hub, from obfs4proxy's state file. */
#include "util/i18n.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "hub/hub_bridge.h"
#include "util/base64.h"
#include "util/files.h"
#include "util/xalloc.h"

#define HUB_BRIDGE_NODE_ID 20      /* bytes of the node id */
#define HUB_BRIDGE_KEY 32          /* bytes of the Curve25519 public key */

/* Makes the bridge line. */
char *
hub_bridge_line(const char *dir, const char *address, char **cause)
{
	unsigned char raw[HUB_BRIDGE_NODE_ID + HUB_BRIDGE_KEY];
	char *path = xasprintf("%s/%s", dir, HUB_BRIDGE_STATE_FILE), *text, *cert, *line = NULL;
	json_t *j = NULL, *iat;
	const char *node, *key;
	json_error_t jerr;
	size_t len;

	text = files_read(path, 64 * 1024, &len, NULL);
	if (text == NULL) {
		*cause = xasprintf(_("cannot read %s: %s (is it the state directory of "
		    "obfs4proxy running as the hub's transport, TOR_PT_STATE_LOCATION?)"), path,
		    strerror(errno));
		goto out;
	}
	j = json_loadb(text, len, 0, &jerr);
	node = json_string_value(json_object_get(j, "node-id"));
	key = json_string_value(json_object_get(j, "public-key"));
	iat = json_object_get(j, "iat-mode");
	if (j == NULL || node == NULL || key == NULL ||
	    base64_hex_decode(node, raw, HUB_BRIDGE_NODE_ID) != 0 ||
	    base64_hex_decode(key, raw + HUB_BRIDGE_NODE_ID, HUB_BRIDGE_KEY) != 0 ||
	    (iat != NULL && !json_is_integer(iat))) {
		*cause = xasprintf(_("%s does not hold obfs4proxy's node-id and public-key"),
		    path);
		goto out;
	}
	cert = base64_encode(raw, sizeof raw, false);
	line = xasprintf("%s cert=%s iat-mode=%lld", address, cert,
	    iat != NULL ? (long long)json_integer_value(iat) : 0LL);
	free(cert);
out:
	json_decref(j);
	free(text);
	free(path);
	return line;
}
