/* httpconnect.h: the client side of an HTTP CONNECT tunnel through a web proxy (RFC 9110,
 * section 9.3.6), with Basic credentials (Proxy-Authorization), as a state machine on
 * bytes: no sockets, no lws.
 *
 * Use: httpconnect_init() builds the request in h->out (h->outlen bytes: send them);
 * feed the proxy's answer to httpconnect_input() until HTTPC_DONE (a 2xx answer; bytes
 * after its header, from *used on, are the tunnel's) or HTTPC_FAIL (h->status and
 * h->reason say why; status 0: the answer was not HTTP or too long). */
#ifndef CONFAB_HTTPCONNECT_H
#define CONFAB_HTTPCONNECT_H

#include <stddef.h>

#define HTTPCONNECT_MAX_HEAD 8192   /* the longest answer header read */
#define HTTPCONNECT_MAX_REASON 96   /* the reason phrase kept (sanitised) */

enum httpconnect_status { HTTPC_MORE = 0, HTTPC_DONE, HTTPC_FAIL };

/* A CONNECT in progress. */
struct httpconnect {
	char *out;                 /* the request (new string) */
	size_t outlen;
	char head[HTTPCONNECT_MAX_HEAD];
	size_t headlen;
	int status;                /* the answer's status code; 0 until it is known */
	char reason[HTTPCONNECT_MAX_REASON]; /* its reason phrase, printable ASCII only */
	int done;
};

/* Starts a CONNECT to host:port (an IPv6 address without brackets gets them) with Basic
 * credentials when user is not NULL (user and pass as given, not percent-encoded);
 * agent: the User-Agent value. */
void httpconnect_init(struct httpconnect *h, const char *host, int port, const char *user,
    const char *pass, const char *agent);
/* Frees the request. */
void httpconnect_clear(struct httpconnect *h);
/* Feeds in[0..len) from the proxy; *used gets how many bytes the answer's header took. */
enum httpconnect_status httpconnect_input(struct httpconnect *h, const char *in, size_t len,
    size_t *used);

#endif
