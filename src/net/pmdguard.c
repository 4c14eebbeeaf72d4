/* pmdguard.c: lws 4.1.6's permessage-deflate, with its receive-side assert made
 * unreachable (see pmdguard.h). This file knows private details of lws 4.1.6, checked
 * against the v4.1.6 source: the extension's per-connection data starts with its inflate
 * z_stream; a PAYLOAD_RX call gets { eb_in, eb_out } and inflates into a buffer of
 * 1 << PMD_RX_BUF_PWR2 bytes, which lws sets to 10 (1 KiB, we set no rx_buf_size) and then
 * caps at the largest power of two not above the protocol's rx buffer
 * (lws_extension_pmdeflate_restrict_args: 512 bytes on the hub, 1 KiB on the client); and
 * once a call leaves input over (PMDR_HAS_PENDING), lws calls again with the rest, each
 * time into a fresh buffer, until the input is used up, marking the connection as
 * draining meanwhile, so that lws_is_final_fragment() is false in those later calls
 * (client-parser-ws.c and ops-ws.c, the do-while around LWS_EXT_CB_PAYLOAD_RX). */
#include <string.h>
#include <zlib.h>

#include "net/pmdguard.h"
#include "util/log.h"

#if LWS_LIBRARY_VERSION_NUMBER < 4001000 || LWS_LIBRARY_VERSION_NUMBER >= 4002000
#error "pmdguard.c mirrors private details of libwebsockets 4.1: check them for this version"
#endif

#define PMDGUARD_RX_BUF_MAX 1024 /* lws's inflate buffer at most (PMD_RX_BUF_PWR2 10) */
#define PMDGUARD_SERV_BUF 4096   /* lws's pt_serv_buf_size, the rx buffer of a protocol that
				    names none (we set no pt_serv_buf_size) */
/* The replay inflates at most this much: no message over it is kept anyway (the client's
 * cap, CONN_MAX_MESSAGE, is 8 MiB; the hub's is 16 KiB); a last piece that inflates past
 * it is refused. */
#define PMDGUARD_MAX_REPLAY (8u * 1024 * 1024)

/* What lws passes with LWS_EXT_CB_PAYLOAD_RX (struct lws_ext_pm_deflate_rx_ebufs). */
struct pmdguard_ebufs {
	struct lws_tokens eb_in;
	struct lws_tokens eb_out;
};

enum pmdguard_verdict { PMDGUARD_OK, PMDGUARD_ASSERT, PMDGUARD_TOO_BIG };

/* The size of lws's inflate buffer for this connection, as lws works it out. */
static unsigned int
pmdguard_rx_buf(struct lws *wsi)
{
	const struct lws_protocols *p = lws_get_protocol(wsi);
	size_t n = p != NULL && p->rx_buffer_size != 0 ? p->rx_buffer_size : PMDGUARD_SERV_BUF;
	unsigned int pwr2 = 7;

	while (pwr2 < 10 && n >= (size_t)1 << (pwr2 + 1))
		pwr2++;
	return 1u << pwr2;
}

/* Replays what lws does with the last piece of a message, on a copy of its inflater:
 * buffer-sized inflate calls until the input is used up, then the 00 00 ff ff trailer
 * with 5 more bytes of room. PMDGUARD_ASSERT when lws would hit its assert (more output
 * pending than that room holds), PMDGUARD_TOO_BIG when the piece inflates past
 * PMDGUARD_MAX_REPLAY. */
static enum pmdguard_verdict
pmdguard_replay(z_stream *live, const struct pmdguard_ebufs *eb, unsigned int bufsize)
{
	static unsigned char trail[4] = { 0, 0, 0xff, 0xff };
	unsigned char out[PMDGUARD_RX_BUF_MAX + 5];
	enum pmdguard_verdict v = PMDGUARD_OK;
	unsigned long made = 0;
	z_stream s;
	int n;

	memset(&s, 0, sizeof s);
	if (live->state != NULL) {
		if (inflateCopy(&s, live) != Z_OK)
			return PMDGUARD_ASSERT;
	} else if (inflateInit2(&s, -15) != Z_OK)
		return PMDGUARD_ASSERT;
	if (s.avail_in == 0 && eb->eb_in.token != NULL && eb->eb_in.len > 0) {
		s.next_in = eb->eb_in.token;
		s.avail_in = (uInt)eb->eb_in.len;
	}
	if (s.avail_in == 0)
		goto done; /* lws applies the trailer with the whole buffer: no assert */
	for (;;) {
		s.next_out = out;
		s.avail_out = bufsize;
		n = inflate(&s, Z_NO_FLUSH);
		if (n != Z_OK && n != Z_STREAM_END && n != Z_BUF_ERROR)
			goto done; /* lws fails the connection itself */
		if (s.avail_in == 0)
			break;     /* lws's call that used the input up applies the trailer */
		if (s.avail_out == bufsize)
			goto done; /* input left that inflate will not take (the stream ended):
				      lws gives up its drain and never applies the trailer */
		made += bufsize - s.avail_out;
		if (made > PMDGUARD_MAX_REPLAY) {
			v = PMDGUARD_TOO_BIG;
			goto done;
		}
	}
	s.avail_out += 5;
	s.next_in = trail;
	s.avail_in = sizeof trail;
	n = inflate(&s, Z_SYNC_FLUSH);
	if ((n == Z_OK || n == Z_STREAM_END || n == Z_BUF_ERROR) && s.avail_out == 0)
		v = PMDGUARD_ASSERT;
done:
	inflateEnd(&s);
	return v;
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

/* lws's permessage-deflate callback, guarded. The replay runs in lws's first call for the
 * last piece of a message (the later calls for that piece come with lws_is_final_fragment()
 * false: the replay has covered them), and again when lws comes back from its event loop
 * to drain the rest of a piece. */
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
	    lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0) {
		switch (pmdguard_replay(user, in, pmdguard_rx_buf(wsi))) {
		case PMDGUARD_ASSERT:
			log_warn("permessage-deflate: a compressed message would crash "
			    "libwebsockets 4.1.6 (issue 2120): dropping the connection");
			return -1;
		case PMDGUARD_TOO_BIG:
			log_warn("permessage-deflate: the last piece of a compressed message "
			    "inflates past %u bytes: dropping the connection", PMDGUARD_MAX_REPLAY);
			return -1;
		case PMDGUARD_OK:
			break;
		}
	}
	return lws_extension_callback_pm_deflate(cx, ext, wsi, reason, user, in, len);
}
