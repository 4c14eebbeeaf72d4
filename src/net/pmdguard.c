/* pmdguard.c: lws 4.1.6's permessage-deflate, with its receive-side assert made
 * unreachable (see pmdguard.h). This file knows two private details of lws 4.1.6, checked
 * against the v4.1.6 source: the extension's per-connection data starts with its inflate
 * z_stream, and a PAYLOAD_RX call gets { eb_in, eb_out } and inflates into a 1 KiB buffer
 * (PMD_RX_BUF_PWR2 10: we set no rx_buf_size, and every protocol here has an rx buffer of
 * at least 1 KiB). */
#include <string.h>
#include <zlib.h>

#include "net/pmdguard.h"
#include "util/log.h"

#if LWS_LIBRARY_VERSION_NUMBER < 4001000 || LWS_LIBRARY_VERSION_NUMBER >= 4002000
#error "pmdguard.c mirrors private details of libwebsockets 4.1: check them for this version"
#endif

#define PMDGUARD_RX_BUF 1024 /* lws's inflate output per call (1 << PMD_RX_BUF_PWR2) */

/* What lws passes with LWS_EXT_CB_PAYLOAD_RX (struct lws_ext_pm_deflate_rx_ebufs). */
struct pmdguard_ebufs {
	struct lws_tokens eb_in;
	struct lws_tokens eb_out;
};

/* Replays lws's inflate step for the last piece of a message on a copy of its inflater.
 * Returns 1 when lws would hit its assert (output full, then more output pending after
 * the 00 00 ff ff trailer with 5 bytes of room). */
static int
pmdguard_would_abort(z_stream *live, const struct pmdguard_ebufs *eb)
{
	static unsigned char trail[4] = { 0, 0, 0xff, 0xff };
	unsigned char out[PMDGUARD_RX_BUF + 5];
	z_stream s;
	int n, hit = 0;

	memset(&s, 0, sizeof s);
	if (live->state != NULL) {
		if (inflateCopy(&s, live) != Z_OK)
			return 1;
	} else if (inflateInit2(&s, -15) != Z_OK)
		return 1;
	if (s.avail_in == 0 && eb->eb_in.token != NULL && eb->eb_in.len > 0) {
		s.next_in = eb->eb_in.token;
		s.avail_in = (uInt)eb->eb_in.len;
	}
	if (s.avail_in == 0)
		goto done; /* lws applies the trailer with the whole buffer: no assert */
	s.next_out = out;
	s.avail_out = PMDGUARD_RX_BUF;
	n = inflate(&s, Z_NO_FLUSH);
	if (n != Z_OK && n != Z_STREAM_END && n != Z_BUF_ERROR)
		goto done; /* lws fails the connection itself */
	if (s.avail_in != 0)
		goto done; /* more input: lws comes back later, with a fresh buffer */
	s.avail_out += 5;
	s.next_in = trail;
	s.avail_in = sizeof trail;
	n = inflate(&s, Z_SYNC_FLUSH);
	if ((n == Z_OK || n == Z_STREAM_END || n == Z_BUF_ERROR) && s.avail_out == 0)
		hit = 1;
done:
	inflateEnd(&s);
	return hit;
}

/* The client handshake whose extension was made last: lws makes it and asks the filter in
 * one call (lws_client_interpret_server_handshake), so at the filter this is the link's. */
static struct {
	struct lws *wsi;
	void **slot;                 /* lws's pointer to the extension's state */
	struct lws_context *cx;
	const struct lws_extension *ext;
} pmdguard_made;

/* Frees the extension's state of a handshake the filter refuses (see pmdguard.h). */
void
pmdguard_client_refused(struct lws *wsi)
{
	void *priv;

	if (pmdguard_made.wsi != wsi || pmdguard_made.slot == NULL)
		return;
	priv = *pmdguard_made.slot;
	*pmdguard_made.slot = NULL;  /* a later DESTROY (there is none in 4.1.6) sees NULL */
	if (priv != NULL)
		lws_extension_callback_pm_deflate(pmdguard_made.cx, pmdguard_made.ext, wsi,
		    LWS_EXT_CB_DESTROY, priv, NULL, 0);
	memset(&pmdguard_made, 0, sizeof pmdguard_made);
}

/* lws's permessage-deflate callback, guarded. */
int
pmdguard_callback(struct lws_context *cx, const struct lws_extension *ext, struct lws *wsi,
    enum lws_extension_callback_reasons reason, void *user, void *in, size_t len)
{
	int rc;

	if (reason == LWS_EXT_CB_DESTROY && user == NULL)
		return 0;            /* freed by pmdguard_client_refused() */
	if (reason == LWS_EXT_CB_CLIENT_CONSTRUCT) {
		rc = lws_extension_callback_pm_deflate(cx, ext, wsi, reason, user, in, len);
		pmdguard_made.wsi = rc == 0 ? wsi : NULL;
		pmdguard_made.slot = rc == 0 ? user : NULL;
		pmdguard_made.cx = cx;
		pmdguard_made.ext = ext;
		return rc;
	}
	if (reason == LWS_EXT_CB_DESTROY && pmdguard_made.wsi == wsi)
		memset(&pmdguard_made, 0, sizeof pmdguard_made);
	if (reason == LWS_EXT_CB_PAYLOAD_RX && user != NULL && in != NULL &&
	    lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0 &&
	    pmdguard_would_abort(user, in)) {
		log_warn("permessage-deflate: a compressed message would crash libwebsockets "
		    "4.1.6 (issue 2120): dropping the connection");
		return -1;
	}
	return lws_extension_callback_pm_deflate(cx, ext, wsi, reason, user, in, len);
}
