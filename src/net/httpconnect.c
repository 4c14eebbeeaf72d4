/* httpconnect.c: the client side of HTTP CONNECT, on bytes only. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/httpconnect.h"
#include "util/base64.h"
#include "util/xalloc.h"

/* Builds the request. */
void
httpconnect_init(struct httpconnect *h, const char *host, int port, const char *user,
    const char *pass, const char *agent)
{
	char *cred = NULL, *b64 = NULL, *auth, target[300];
	int v6 = strchr(host, ':') != NULL && host[0] != '[';

	memset(h, 0, sizeof *h);
	snprintf(target, sizeof target, v6 ? "[%s]:%d" : "%s:%d", host, port);
	if (user != NULL) {
		cred = xasprintf("%s:%s", user, pass != NULL ? pass : "");
		b64 = base64_encode(cred, strlen(cred), true);
		auth = xasprintf("Proxy-Authorization: Basic %s\r\n", b64);
	} else
		auth = xstrdup("");
	h->out = xasprintf("CONNECT %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\n%s\r\n", target,
	    target, agent, auth);
	h->outlen = strlen(h->out);
	if (cred != NULL)
		explicit_bzero(cred, strlen(cred));
	free(cred);
	free(b64);
	free(auth);
}

/* Frees the request (it may hold credentials: wiped first). */
void
httpconnect_clear(struct httpconnect *h)
{
	if (h->out != NULL)
		explicit_bzero(h->out, h->outlen);
	free(h->out);
	h->out = NULL;
	h->outlen = 0;
}

/* Reads the status line of the complete header in h->head. Returns 0, or -1 when it is
 * not HTTP. */
static int
httpconnect_status_line(struct httpconnect *h)
{
	const char *p = h->head, *r;
	size_t i = 0;

	if (strncmp(p, "HTTP/1.", 7) != 0 || !isdigit((unsigned char)p[7]) || p[8] != ' ' ||
	    !isdigit((unsigned char)p[9]) || !isdigit((unsigned char)p[10]) ||
	    !isdigit((unsigned char)p[11]) || (p[12] != ' ' && p[12] != '\r' && p[12] != '\n'))
		return -1;
	h->status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	for (r = p + 12; *r == ' '; r++)
		;
	for (; *r != '\r' && *r != '\n' && *r != '\0' && i + 1 < sizeof h->reason; r++)
		h->reason[i++] = *r >= 0x20 && *r < 0x7f ? *r : '?';
	h->reason[i] = '\0';
	return 0;
}

/* Feeds bytes from the proxy. */
enum httpconnect_status
httpconnect_input(struct httpconnect *h, const char *in, size_t len, size_t *used)
{
	size_t n;

	*used = 0;
	if (h->done)
		return h->status >= 200 && h->status < 300 ? HTTPC_DONE : HTTPC_FAIL;
	for (n = 0; n < len; n++) {
		if (h->headlen + 1 >= sizeof h->head) {
			h->done = 1;
			h->status = 0;
			*used = n;
			return HTTPC_FAIL;
		}
		h->head[h->headlen++] = in[n];
		h->head[h->headlen] = '\0';
		if (h->headlen == 5 && strncmp(h->head, "HTTP/", 5) != 0)
			break;
		if ((h->headlen >= 4 && memcmp(h->head + h->headlen - 4, "\r\n\r\n", 4) == 0) ||
		    (h->headlen >= 2 && memcmp(h->head + h->headlen - 2, "\n\n", 2) == 0)) {
			*used = n + 1;
			h->done = 1;
			if (httpconnect_status_line(h) != 0) {
				h->status = 0;
				return HTTPC_FAIL;
			}
			return h->status >= 200 && h->status < 300 ? HTTPC_DONE : HTTPC_FAIL;
		}
	}
	if (h->headlen >= 5 && strncmp(h->head, "HTTP/", 5) != 0) {
		/* not a web proxy (a SOCKS proxy answers in binary, for one) */
		*used = len;
		h->done = 1;
		h->status = 0;
		return HTTPC_FAIL;
	}
	*used = len;
	return HTTPC_MORE;
}
