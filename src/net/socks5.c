/* socks5.c: the client side of SOCKS5 (RFC 1928) with username/password authentication
 * (RFC 1929), on bytes only. */
#include "util/i18n.h"

#include <arpa/inet.h>
#include <string.h>

#include "net/socks5.h"

/* Where the handshake is. */
enum { S5_METHOD = 0, S5_AUTH, S5_REPLY, S5_DONE, S5_FAILED };

#define SOCKS5_VERSION 5
#define SOCKS5_AUTH_VERSION 1     /* RFC 1929's subnegotiation version */
#define SOCKS5_M_NONE 0x00
#define SOCKS5_M_USERPASS 0x02
#define SOCKS5_M_REFUSED 0xff
#define SOCKS5_CMD_CONNECT 1
#define SOCKS5_ATYP_IPV4 1
#define SOCKS5_ATYP_DOMAIN 3
#define SOCKS5_ATYP_IPV6 4

/* Queues the CONNECT request. */
static void
socks5_request(struct socks5 *s)
{
	unsigned char *o = s->out;
	struct in_addr a4;
	struct in6_addr a6;
	char bare[SOCKS5_MAX_FIELD + 1];
	size_t n = strlen(s->host);

	*o++ = SOCKS5_VERSION;
	*o++ = SOCKS5_CMD_CONNECT;
	*o++ = 0;
	memcpy(bare, s->host, n + 1);
	if (n >= 2 && bare[0] == '[' && bare[n - 1] == ']') {
		memmove(bare, bare + 1, n - 2);
		bare[n - 2] = '\0';
	}
	if (inet_pton(AF_INET, bare, &a4) == 1) {
		*o++ = SOCKS5_ATYP_IPV4;
		memcpy(o, &a4, 4);
		o += 4;
	} else if (inet_pton(AF_INET6, bare, &a6) == 1) {
		*o++ = SOCKS5_ATYP_IPV6;
		memcpy(o, &a6, 16);
		o += 16;
	} else {
		*o++ = SOCKS5_ATYP_DOMAIN;
		*o++ = (unsigned char)n;
		memcpy(o, s->host, n);
		o += n;
	}
	*o++ = (unsigned char)(s->port >> 8);
	*o++ = (unsigned char)(s->port & 0xff);
	s->outlen = (size_t)(o - s->out);
	s->state = S5_REPLY;
}

/* Queues the username/password request (RFC 1929). */
static void
socks5_auth_request(struct socks5 *s)
{
	unsigned char *o = s->out;

	*o++ = SOCKS5_AUTH_VERSION;
	*o++ = (unsigned char)s->ulen;
	memcpy(o, s->user, s->ulen);
	o += s->ulen;
	*o++ = (unsigned char)s->plen;
	memcpy(o, s->pass, s->plen);
	o += s->plen;
	s->outlen = (size_t)(o - s->out);
	s->state = S5_AUTH;
}

/* Starts a handshake. */
int
socks5_init(struct socks5 *s, const char *host, int port, const void *user, size_t ulen,
    const void *pass, size_t plen)
{
	size_t n = strlen(host);

	memset(s, 0, sizeof *s);
	if (n == 0 || n > SOCKS5_MAX_FIELD || port < 1 || port > 65535 ||
	    ulen > SOCKS5_MAX_FIELD || plen > SOCKS5_MAX_FIELD || (ulen > 0 && plen == 0))
		return -1;
	memcpy(s->host, host, n + 1);
	s->port = (uint16_t)port;
	if (ulen > 0) {
		s->auth = true;
		memcpy(s->user, user, ulen);
		memcpy(s->pass, pass, plen);
		s->ulen = ulen;
		s->plen = plen;
	}
	s->out[0] = SOCKS5_VERSION;
	if (s->auth) {
		/* both: a proxy that needs nothing picks "none" */
		s->out[1] = 2;
		s->out[2] = SOCKS5_M_NONE;
		s->out[3] = SOCKS5_M_USERPASS;
		s->outlen = 4;
	} else {
		s->out[1] = 1;
		s->out[2] = SOCKS5_M_NONE;
		s->outlen = 3;
	}
	s->state = S5_METHOD;
	return 0;
}

/* Ends the handshake with an error. */
static enum socks5_status
socks5_fail(struct socks5 *s, enum socks5_error err)
{
	s->err = err;
	s->state = S5_FAILED;
	s->outlen = 0;
	return SOCKS5_FAIL;
}

/* How many bytes the reply in s->in needs in all, or 0 while that is not known yet. */
static size_t
socks5_reply_len(const struct socks5 *s)
{
	if (s->inlen < 5)
		return 0;
	switch (s->in[3]) {
	case SOCKS5_ATYP_IPV4:
		return 4 + 4 + 2;
	case SOCKS5_ATYP_IPV6:
		return 4 + 16 + 2;
	case SOCKS5_ATYP_DOMAIN:
		return 4 + 1 + (size_t)s->in[4] + 2;
	default:
		return SIZE_MAX;
	}
}

/* One complete message in s->in: moves the handshake on. */
static enum socks5_status
socks5_step(struct socks5 *s)
{
	switch (s->state) {
	case S5_METHOD:
		if (s->in[0] != SOCKS5_VERSION)
			return socks5_fail(s, S5E_NOT_SOCKS5);
		if (s->in[1] == SOCKS5_M_NONE) {
			socks5_request(s);
			return SOCKS5_MORE;
		}
		if (s->in[1] == SOCKS5_M_USERPASS && s->auth) {
			socks5_auth_request(s);
			return SOCKS5_MORE;
		}
		if (s->in[1] == SOCKS5_M_REFUSED || s->in[1] == SOCKS5_M_USERPASS)
			return socks5_fail(s, s->auth ? S5E_NO_METHOD : S5E_NEED_AUTH);
		return socks5_fail(s, S5E_MALFORMED);
	case S5_AUTH:
		if (s->in[0] != SOCKS5_AUTH_VERSION)
			return socks5_fail(s, S5E_MALFORMED);
		if (s->in[1] != 0)
			return socks5_fail(s, S5E_AUTH);
		socks5_request(s);
		return SOCKS5_MORE;
	case S5_REPLY:
		if (s->in[0] != SOCKS5_VERSION || s->in[2] != 0)
			return socks5_fail(s, S5E_MALFORMED);
		if (s->in[1] != 0) {
			s->rep = s->in[1];
			return socks5_fail(s, S5E_REPLY);
		}
		s->state = S5_DONE;
		return SOCKS5_DONE;
	default:
		return SOCKS5_FAIL;
	}
}

/* Feeds bytes from the proxy. */
enum socks5_status
socks5_input(struct socks5 *s, const unsigned char *in, size_t len, size_t *used)
{
	enum socks5_status st = SOCKS5_MORE;
	size_t want;

	*used = 0;
	while (*used < len) {
		if (s->state == S5_DONE)
			return SOCKS5_DONE;
		if (s->state == S5_FAILED)
			return SOCKS5_FAIL;
		want = s->state == S5_REPLY ? 5 : 2;
		s->in[s->inlen++] = in[(*used)++];
		if (s->state == S5_REPLY && s->inlen == 2 && s->in[0] == SOCKS5_VERSION &&
		    s->in[1] != 0) {
			/* a refusal: proxies may send it short (no address) and close */
			s->rep = s->in[1];
			return socks5_fail(s, S5E_REPLY);
		}
		if (s->inlen < want)
			continue;
		if (s->state == S5_REPLY) {
			want = socks5_reply_len(s);
			if (want == SIZE_MAX)
				return socks5_fail(s, S5E_MALFORMED);
			if (want > s->inlen)
				continue;
		}
		st = socks5_step(s);
		s->inlen = 0;
		if (st != SOCKS5_MORE)
			return st;
	}
	return s->state == S5_DONE ? SOCKS5_DONE : st;
}

/* The meaning of a reply code (RFC 1928, section 6; 0xF0 to 0xF7 are Tor's onion-service
 * codes, sent by a SocksPort with the ExtendedErrors flag: Tor proposal 304). */
const char *
socks5_reply_text(int rep)
{
	switch (rep) {
	case 0xf0: return N_("Tor found no such onion service (it is not running, or not "
	    "published yet)");
	case 0xf1: return N_("the onion service's descriptor is invalid");
	case 0xf2: return N_("the onion service did not take the introduction (it may have "
	    "stopped)");
	case 0xf3: return N_("Tor could not meet the onion service (rendezvous failed)");
	case 0xf4: return N_("the onion service wants client authorization");
	case 0xf5: return N_("the onion service refused the client authorization");
	case 0xf6: return N_("not a valid .onion address");
	case 0xf7: return N_("the onion service did not answer in time (introduction timed "
	    "out)");
	case 1: return N_("general failure");
	case 2: return N_("not allowed by the proxy's rules");
	case 3: return N_("network unreachable");
	case 4: return N_("host unreachable");
	case 5: return N_("connection refused");
	case 6: return N_("timed out");
	case 7: return N_("command not supported");
	case 8: return N_("address type not supported");
	default: return N_("unknown error");
	}
}
