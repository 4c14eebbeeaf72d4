/* lg_ws.h: the load generator's own minimal RFC 6455 client codec (no sockets here):
 * the upgrade request and the check of its 101 answer, masked frames out, frames in,
 * and permessage-deflate (RFC 7692) with zlib as doc/PROTOCOL.md asks of a client. */
#ifndef CONFAB_LG_WS_H
#define CONFAB_LG_WS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#define LG_WS_KEY_LEN 24                   /* base64 of 16 random bytes */
#define LG_WS_MAX_ANSWER 8192              /* bytes of a 101 answer, headers included */
#define LG_WS_MAX_MESSAGE (8 * 1024 * 1024) /* as confab: a larger message is an error */
#define LG_WS_HEADROOM 14                  /* frame header bytes at most (client side) */
#define LG_WS_OFFER "permessage-deflate; client_max_window_bits=10"
#define LG_WS_CLIENT_BITS 10               /* the window we compress with, as offered */

enum lg_ws_op {
	LG_OP_CONT = 0x0, LG_OP_TEXT = 0x1, LG_OP_BINARY = 0x2,
	LG_OP_CLOSE = 0x8, LG_OP_PING = 0x9, LG_OP_PONG = 0xA
};

/* What a 101 answer said. */
struct lg_ws_answer {
	bool deflate;          /* permessage-deflate was accepted */
	bool marked;           /* with "Confab-Deflate: every-frame" */
	bool server_no_context;/* server_no_context_takeover: each message stands alone */
	int server_bits;       /* the server's window (8..15), 15 when not given */
	bool protocol;         /* Sec-WebSocket-Protocol: confab.1 */
};

/* One frame as read: payload points into the caller's buffer. */
struct lg_ws_frame {
	int opcode;
	bool fin, rsv1;
	const unsigned char *payload;
	size_t len;
};

/* Seeds the generator of mask keys (not secret: a benchmark's masks only need to vary). */
void lg_ws_seed(uint64_t seed);
/* A fresh Sec-WebSocket-Key into key (LG_WS_KEY_LEN + 1 bytes). */
void lg_ws_key(char *key);
/* Writes the upgrade request into buf (cap bytes); returns its length, 0 when it does not
 * fit. deflate: offer LG_WS_OFFER. */
size_t lg_ws_request(char *buf, size_t cap, const char *host, int port, const char *key,
    bool deflate);
/* Reads the 101 answer at the start of buf[len]: its length when complete (the frames
 * that follow start there), 0 when more bytes are needed, -1 when it is not a valid answer
 * to key (*why: a static reason). */
long lg_ws_answer(const char *buf, size_t len, const char *key, struct lg_ws_answer *a,
    const char **why);
/* Writes one masked frame (FIN set) into out, which has room for len + LG_WS_HEADROOM
 * bytes; returns its length. */
size_t lg_ws_frame(unsigned char *out, int opcode, bool rsv1, const void *payload,
    size_t len);
/* Reads one frame at the start of buf[len]: its length when complete, 0 when more bytes
 * are needed, -1 when it breaks RFC 6455 (masked by the server, a control frame too long or
 * fragmented, reserved bits, payload over LG_WS_MAX_MESSAGE; *why says which). */
long lg_ws_parse(const unsigned char *buf, size_t len, struct lg_ws_frame *f,
    const char **why);

/* A growable byte buffer. */
struct lg_buf {
	unsigned char *p;
	size_t len, cap;
};
/* Makes room for n more bytes. */
void lg_buf_reserve(struct lg_buf *b, size_t n);
void lg_buf_append(struct lg_buf *b, const void *data, size_t n);
void lg_buf_free(struct lg_buf *b);

/* A raw inflater for messages from the server (window 2^bits), new; NULL when zlib fails. */
z_stream *lg_ws_inflater(int bits);
void lg_ws_inflater_free(z_stream *z);
/* Inflates one whole message (its compressed pieces in[len], the 00 00 ff ff tail added
 * here) into out (emptied first). Returns 0, or -1 (*why) on corrupt data or past
 * LG_WS_MAX_MESSAGE. */
int lg_ws_inflate(z_stream *z, const unsigned char *in, size_t len, struct lg_buf *out,
    const char **why);
/* Compresses a message for the client side (window 2^LG_WS_CLIENT_BITS, no context kept
 * between messages: the hub may keep its own) into out (emptied first); -1 on a zlib error. */
int lg_ws_deflate(z_stream *z, const void *in, size_t len, struct lg_buf *out);
/* The deflater that lg_ws_deflate() uses, new; NULL when zlib fails. */
z_stream *lg_ws_deflater(void);
void lg_ws_deflater_free(z_stream *z);

#endif
