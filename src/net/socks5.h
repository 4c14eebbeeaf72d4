/* socks5.h: the client side of a SOCKS5 handshake (RFC 1928: CONNECT, with the address
 * as IPv4, IPv6 or a domain name that the proxy resolves) and username/password
 * authentication (RFC 1929), as a state machine on bytes: no sockets, no lws.
 *
 * It serves both ways out of a censored network: a SOCKS5 proxy such as Tor (socks5h://,
 * the hub's name resolved by the proxy, so .onion addresses work) and the SOCKS5 port of
 * a pluggable transport, which takes its per-connection arguments (the bridge's cert=...)
 * in the user name and password fields (see ptline.h).
 *
 * Use: socks5_init() puts the greeting in s->out; send s->out[0..s->outlen) and set
 * s->outlen to 0; feed what the proxy answers to socks5_input() until it returns
 * SOCKS5_DONE (bytes after the reply, from *used on, are the tunnel's) or SOCKS5_FAIL
 * (s->err and s->rep say why); after each call send what it put in s->out. */
#ifndef CONFAB_SOCKS5_H
#define CONFAB_SOCKS5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOCKS5_MAX_FIELD 255      /* a user name, a password, a domain name */
#define SOCKS5_OUT_MAX 520        /* the longest message we send (the auth request) */
#define SOCKS5_IN_MAX 262         /* the longest reply (a domain name of 255 bytes) */

enum socks5_status { SOCKS5_MORE = 0, SOCKS5_DONE, SOCKS5_FAIL };

/* Why a handshake failed. */
enum socks5_error {
	S5E_NONE = 0,
	S5E_NOT_SOCKS5,   /* the answer is not SOCKS version 5 (another protocol) */
	S5E_NEED_AUTH,    /* no acceptable method: the proxy wants credentials we lack */
	S5E_NO_METHOD,    /* no acceptable method even with credentials */
	S5E_AUTH,         /* the user name and password were refused */
	S5E_REPLY,        /* the CONNECT was refused: see rep */
	S5E_MALFORMED     /* a reply that breaks RFC 1928 */
};

/* A handshake in progress. */
struct socks5 {
	int state;
	char host[SOCKS5_MAX_FIELD + 1];
	uint16_t port;
	unsigned char user[SOCKS5_MAX_FIELD], pass[SOCKS5_MAX_FIELD];
	size_t ulen, plen;
	bool auth;                          /* we offer username/password */
	unsigned char out[SOCKS5_OUT_MAX];  /* to send */
	size_t outlen;
	unsigned char in[SOCKS5_IN_MAX];    /* a reply received in part */
	size_t inlen;
	enum socks5_error err;
	int rep;                            /* the proxy's reply code (S5E_REPLY) */
};

/* Starts a handshake that connects to host:port (an IPv4 or IPv6 address, with or
 * without brackets, or a name the proxy resolves), with username/password
 * authentication when ulen > 0 (each of user and pass: 1 to 255 bytes; binary allowed).
 * Returns 0, or -1 when a field is too long or empty. */
int socks5_init(struct socks5 *s, const char *host, int port, const void *user, size_t ulen,
    const void *pass, size_t plen);

/* Feeds in[0..len) from the proxy; *used gets how many bytes the handshake took. */
enum socks5_status socks5_input(struct socks5 *s, const unsigned char *in, size_t len,
    size_t *used);

/* What a reply code means, in English (mark with _() to show it: the strings are in the
 * catalogue). */
const char *socks5_reply_text(int rep);

#endif
