/* hub_mask.c: unmasked client frames, which lws 4.1.6 accepts (upstream rejects them from
 * 5.0 on). This file knows one private detail of lws 4.1.6, checked against the v4.1.6
 * source (lib/roles/ws/private-lib-roles-ws.h): in a connection's WebSocket state, the
 * bitfield that follows ping_payload_buf (whose payload lws_get_close_payload() returns,
 * LWS_PRE bytes in) holds final (bit 0), frame_is_binary (bit 1), all_zero_nonce (bit 2)
 * and this_frame_masked (bit 3) in its first byte, and first_fragment in bit 6 of the
 * second. Each use checks the bits that public calls also report (binary, first, final)
 * and turns the check off, logged once, if they ever disagree, rather than closing good
 * connections. */
#include "hub/hub_mask.h"
#include "util/log.h"

#if LWS_LIBRARY_VERSION_NUMBER < 4001000 || LWS_LIBRARY_VERSION_NUMBER >= 4002000
#error "hub_mask.c mirrors a private detail of libwebsockets 4.1: check it for this version"
#endif

#define HUB_MASK_BITS_OFFSET 125   /* 128-byte ping buffer payload, then the bits - 3 */

static bool hub_mask_broken;

/* 1: unmasked; 0: masked; -1: cannot tell. */
int
hub_mask_unmasked(struct lws *wsi, bool ping_only)
{
	const unsigned char *b;
	bool agree;

	if (hub_mask_broken)
		return -1;
	b = lws_get_close_payload(wsi) + HUB_MASK_BITS_OFFSET;
	if (ping_only)      /* after lws answered a PING: a whole frame was parsed */
		return (b[0] & 0x01) && !(b[0] & 0x08) ? 1 : 0;
	agree = (!!(b[0] & 0x02) == !!lws_frame_is_binary(wsi)) &&
	    (!!(b[1] & 0x40) == !!lws_is_first_fragment(wsi)) &&
	    (!lws_is_final_fragment(wsi) || (b[0] & 0x01));
	if (!agree) {
		hub_mask_broken = true;
		log_warn("hub: cannot read the frame mask bit of this lws build: unmasked "
		    "frames are not refused");
		return -1;
	}
	return (b[0] & 0x08) ? 0 : 1;
}
