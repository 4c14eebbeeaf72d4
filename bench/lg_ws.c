/* lg_ws.c: the load generator's minimal RFC 6455 client codec (see lg_ws.h).
 *
 * Only what a confab client needs: one upgrade with subprotocol confab.1 and, when asked,
 * the offer LG_WS_OFFER; text frames out (masked, one frame per message, compressed or
 * not); frames in (unmasked, fragmented or not, RSV1 on the first frame of a compressed
 * message). The Sec-WebSocket-Accept check uses OpenSSL's SHA-1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "bench/lg_ws.h"
#include "util/xalloc.h"

#define LG_WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

static uint64_t lg_ws_rng = 0x9e3779b97f4a7c15ULL;

/* Seeds the mask generator. */
void
lg_ws_seed(uint64_t seed)
{
	lg_ws_rng = seed != 0 ? seed : 0x9e3779b97f4a7c15ULL;
}

/* The next pseudo-random number (xorshift64). */
static uint64_t
lg_ws_next(void)
{
	lg_ws_rng ^= lg_ws_rng << 13;
	lg_ws_rng ^= lg_ws_rng >> 7;
	lg_ws_rng ^= lg_ws_rng << 17;
	return lg_ws_rng;
}

/* Base64 of in[n] into out (4 * ceil(n / 3) + 1 bytes). */
static void
lg_ws_base64(const unsigned char *in, size_t n, char *out)
{
	EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/* A fresh key. */
void
lg_ws_key(char *key)
{
	unsigned char raw[16];
	uint64_t a = lg_ws_next(), b = lg_ws_next();

	memcpy(raw, &a, 8);
	memcpy(raw + 8, &b, 8);
	lg_ws_base64(raw, sizeof raw, key);
}

/* The upgrade request. */
size_t
lg_ws_request(char *buf, size_t cap, const char *host, int port, const char *key,
    bool deflate)
{
	int n;

	n = snprintf(buf, cap, "GET / HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
	    "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
	    "Sec-WebSocket-Protocol: confab.1\r\n%s%s%s\r\n", host, port, key,
	    deflate ? "Sec-WebSocket-Extensions: " : "", deflate ? LG_WS_OFFER : "",
	    deflate ? "\r\n" : "");
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* True when header line [p, end) is "name: ..." (case-insensitive); *value then points
 * at its value, with spaces skipped. */
static bool
lg_ws_header(const char *p, const char *end, const char *name, const char **value)
{
	size_t n = strlen(name);

	if ((size_t)(end - p) < n + 1 || strncasecmp(p, name, n) != 0 || p[n] != ':')
		return false;
	p += n + 1;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*value = p;
	return true;
}

/* True when [v, end) equals word (case-insensitive, trailing spaces ignored). */
static bool
lg_ws_value_is(const char *v, const char *end, const char *word)
{
	size_t n = strlen(word);

	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return (size_t)(end - v) == n && strncasecmp(v, word, n) == 0;
}

/* Reads the permessage-deflate answer in [v, end) into a; -1 when unusable. */
static int
lg_ws_extension(const char *v, const char *end, struct lg_ws_answer *a, const char **why)
{
	char buf[256], *tok, *save = NULL, *eq;
	size_t n = (size_t)(end - v);
	long bits;

	if (n >= sizeof buf) {
		*why = "Sec-WebSocket-Extensions answer too long";
		return -1;
	}
	memcpy(buf, v, n);
	buf[n] = '\0';
	if ((tok = strchr(buf, ',')) != NULL)
		*tok = '\0';           /* one extension: the first */
	for (tok = strtok_r(buf, ";", &save); tok != NULL; tok = strtok_r(NULL, ";", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		n = strlen(tok);
		while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
			tok[--n] = '\0';
		if (!a->deflate) {
			if (strcasecmp(tok, "permessage-deflate") != 0) {
				*why = "the hub answered an extension that was not offered";
				return -1;
			}
			a->deflate = true;
			continue;
		}
		eq = strchr(tok, '=');
		bits = eq != NULL ? strtol(eq + 1 + (eq[1] == '"'), NULL, 10) : 0;
		if (strcasecmp(tok, "server_no_context_takeover") == 0)
			a->server_no_context = true;
		else if (strcasecmp(tok, "client_no_context_takeover") == 0)
			;                  /* we never keep a context anyway */
		else if (eq != NULL && strncasecmp(tok, "server_max_window_bits", 22) == 0 &&
		    bits >= 8 && bits <= 15)
			a->server_bits = (int)bits;
		else if (eq != NULL && strncasecmp(tok, "client_max_window_bits", 22) == 0 &&
		    bits >= LG_WS_CLIENT_BITS && bits <= 15)
			;                  /* we compress with 2^10 whatever it allows above */
		else {
			*why = "the hub's permessage-deflate answer has a parameter we cannot follow";
			return -1;
		}
	}
	return 0;
}

/* Reads the 101 answer. */
long
lg_ws_answer(const char *buf, size_t len, const char *key, struct lg_ws_answer *a,
    const char **why)
{
	const char *end = NULL, *p, *eol, *v;
	char expect[64], text[LG_WS_KEY_LEN + sizeof LG_WS_GUID];
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	bool upgrade = false, connection = false, accept = false;
	size_t i;

	for (i = 3; i < len && end == NULL; i++)
		if (memcmp(buf + i - 3, "\r\n\r\n", 4) == 0)
			end = buf + i + 1;
	if (end == NULL) {
		if (len >= LG_WS_MAX_ANSWER) {
			*why = "the upgrade answer is too long";
			return -1;
		}
		return 0;
	}
	memset(a, 0, sizeof *a);
	a->server_bits = 15;
	if (strncmp(buf, "HTTP/1.1 101", 12) != 0) {
		*why = "the hub did not answer the upgrade with 101";
		return -1;
	}
	snprintf(text, sizeof text, "%s%s", key, LG_WS_GUID);
	if (EVP_Digest(text, strlen(text), md, &mdlen, EVP_sha1(), NULL) != 1) {
		*why = "SHA-1 failed";
		return -1;
	}
	lg_ws_base64(md, mdlen, expect);
	for (p = (const char *)memchr(buf, '\n', (size_t)(end - buf)) + 1; p < end - 2;
	    p = eol + 2) {
		eol = p;
		while (eol + 1 < end && !(eol[0] == '\r' && eol[1] == '\n'))
			eol++;
		if (lg_ws_header(p, eol, "Upgrade", &v))
			upgrade = lg_ws_value_is(v, eol, "websocket");
		else if (lg_ws_header(p, eol, "Connection", &v)) {
			for (; v + 7 <= eol && !connection; v++)
				connection = strncasecmp(v, "upgrade", 7) == 0;
		} else if (lg_ws_header(p, eol, "Sec-WebSocket-Accept", &v))
			accept = lg_ws_value_is(v, eol, expect);
		else if (lg_ws_header(p, eol, "Sec-WebSocket-Protocol", &v)) {
			if (!lg_ws_value_is(v, eol, "confab.1")) {
				*why = "the hub chose another subprotocol than confab.1";
				return -1;
			}
			a->protocol = true;
		} else if (lg_ws_header(p, eol, "Sec-WebSocket-Extensions", &v)) {
			if (lg_ws_extension(v, eol, a, why) != 0)
				return -1;
		} else if (lg_ws_header(p, eol, "Confab-Deflate", &v))
			a->marked = lg_ws_value_is(v, eol, "every-frame");
	}
	if (!upgrade || !connection || !accept) {
		*why = !accept ? "wrong or missing Sec-WebSocket-Accept" :
		    "missing Upgrade: websocket or Connection: Upgrade";
		return -1;
	}
	return (long)(end - buf);
}

/* One masked frame. */
size_t
lg_ws_frame(unsigned char *out, int opcode, bool rsv1, const void *payload, size_t len)
{
	const unsigned char *in = payload;
	unsigned char *p = out, mask[4];
	uint64_t r = lg_ws_next();
	size_t i;

	*p++ = (unsigned char)(0x80 | (rsv1 ? 0x40 : 0) | (opcode & 0x0f));
	if (len < 126)
		*p++ = (unsigned char)(0x80 | len);
	else if (len < 65536) {
		*p++ = 0x80 | 126;
		*p++ = (unsigned char)(len >> 8);
		*p++ = (unsigned char)len;
	} else {
		*p++ = 0x80 | 127;
		for (i = 0; i < 8; i++)
			*p++ = (unsigned char)((uint64_t)len >> (56 - 8 * i));
	}
	memcpy(mask, &r, 4);
	memcpy(p, mask, 4);
	p += 4;
	for (i = 0; i < len; i++)
		p[i] = in[i] ^ mask[i & 3];
	return (size_t)(p - out) + len;
}

/* Reads one frame. */
long
lg_ws_parse(const unsigned char *buf, size_t len, struct lg_ws_frame *f, const char **why)
{
	size_t hdr = 2, i;
	uint64_t n;

	if (len < 2)
		return 0;
	f->fin = (buf[0] & 0x80) != 0;
	f->rsv1 = (buf[0] & 0x40) != 0;
	f->opcode = buf[0] & 0x0f;
	if (buf[0] & 0x30) {
		*why = "a frame with RSV2 or RSV3 set";
		return -1;
	}
	if (buf[1] & 0x80) {
		*why = "a masked frame from the hub";
		return -1;
	}
	n = buf[1] & 0x7f;
	if (n == 126) {
		if (len < 4)
			return 0;
		n = (uint64_t)buf[2] << 8 | buf[3];
		hdr = 4;
	} else if (n == 127) {
		if (len < 10)
			return 0;
		for (n = 0, i = 2; i < 10; i++)
			n = n << 8 | buf[i];
		hdr = 10;
	}
	if (f->opcode >= 0x8 && (n > 125 || !f->fin || f->rsv1)) {
		*why = "a control frame over 125 bytes, fragmented or compressed";
		return -1;
	}
	if ((f->opcode > LG_OP_BINARY && f->opcode < LG_OP_CLOSE) || f->opcode > LG_OP_PONG) {
		*why = "a frame with a reserved opcode";
		return -1;
	}
	if (n > LG_WS_MAX_MESSAGE) {
		*why = "a frame over 8 MiB";
		return -1;
	}
	if (len - hdr < n)
		return 0;
	f->payload = buf + hdr;
	f->len = (size_t)n;
	return (long)(hdr + n);
}

/* Makes room for n more bytes. */
void
lg_buf_reserve(struct lg_buf *b, size_t n)
{
	if (b->len + n <= b->cap)
		return;
	b->cap = b->cap < 1024 ? 1024 : b->cap;
	while (b->cap < b->len + n)
		b->cap *= 2;
	b->p = xrealloc(b->p, b->cap);
}

/* Appends data[n]. */
void
lg_buf_append(struct lg_buf *b, const void *data, size_t n)
{
	lg_buf_reserve(b, n);
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

/* Frees b's bytes. */
void
lg_buf_free(struct lg_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* A raw inflater. */
z_stream *
lg_ws_inflater(int bits)
{
	z_stream *z = xcalloc(1, sizeof *z);

	if (inflateInit2(z, -(bits < 9 ? 9 : bits)) != Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

/* Frees an inflater (NULL is fine). */
void
lg_ws_inflater_free(z_stream *z)
{
	if (z == NULL)
		return;
	inflateEnd(z);
	free(z);
}

/* Feeds in[len] to z, appending what comes out to out. */
static int
lg_ws_inflate_some(z_stream *z, const unsigned char *in, size_t len, struct lg_buf *out,
    const char **why)
{
	int r;

	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)len;
	do {
		if (out->cap - out->len < 4096)
			lg_buf_reserve(out, out->len < 65536 ? 16384 : out->len);
		z->next_out = out->p + out->len;
		z->avail_out = (uInt)(out->cap - out->len);
		r = inflate(z, Z_SYNC_FLUSH);
		out->len = out->cap - z->avail_out;
		if (r != Z_OK && r != Z_BUF_ERROR) {
			*why = "corrupt compressed data from the hub";
			return -1;
		}
		if (out->len > LG_WS_MAX_MESSAGE) {
			*why = "a compressed message inflated past 8 MiB";
			return -1;
		}
	} while (z->avail_in > 0 || z->avail_out == 0);
	return 0;
}

/* Inflates one message. */
int
lg_ws_inflate(z_stream *z, const unsigned char *in, size_t len, struct lg_buf *out,
    const char **why)
{
	static const unsigned char tail[4] = { 0x00, 0x00, 0xff, 0xff };

	out->len = 0;
	if (lg_ws_inflate_some(z, in, len, out, why) != 0)
		return -1;
	return lg_ws_inflate_some(z, tail, sizeof tail, out, why);
}

/* The client's deflater. */
z_stream *
lg_ws_deflater(void)
{
	z_stream *z = xcalloc(1, sizeof *z);

	if (deflateInit2(z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -LG_WS_CLIENT_BITS, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		return NULL;
	}
	return z;
}

/* Frees a deflater (NULL is fine). */
void
lg_ws_deflater_free(z_stream *z)
{
	if (z == NULL)
		return;
	deflateEnd(z);
	free(z);
}

/* Compresses one message: a fresh stream each time, flushed, without the 00 00 ff ff. */
int
lg_ws_deflate(z_stream *z, const void *in, size_t len, struct lg_buf *out)
{
	int r;

	out->len = 0;
	if (deflateReset(z) != Z_OK)
		return -1;
	lg_buf_reserve(out, deflateBound(z, (uLong)len) + 16);
	z->next_in = (unsigned char *)in;
	z->avail_in = (uInt)len;
	z->next_out = out->p;
	z->avail_out = (uInt)out->cap;
	r = deflate(z, Z_SYNC_FLUSH);
	if (r != Z_OK || z->avail_in != 0)
		return -1;
	out->len = out->cap - z->avail_out;
	if (out->len < 4 || memcmp(out->p + out->len - 4, "\0\0\xff\xff", 4) != 0)
		return -1;
	out->len -= 4;
	return 0;
}
