/* ptline.c: managed transport output lines, bridge lines and SOCKS5 arguments (Pluggable
 * Transport specification, version 1). */
#include "util/i18n.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/ptline.h"
#include "util/xalloc.h"

/* Splits off the next space-separated word of *p (NUL-terminating it in place); NULL at
 * the end. */
static char *
ptline_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return w;
}

/* The rest of the line after leading spaces. */
static const char *
ptline_rest(char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Splits "HOST:PORT" or "[V6]:PORT" in place; returns 0, or -1. */
static int
ptline_hostport(char *s, const char **host, int *port)
{
	char *colon, *end;
	long v;

	if (s[0] == '[') {
		colon = strchr(s, ']');
		if (colon == NULL || colon[1] != ':')
			return -1;
		*colon = '\0';
		*host = s + 1;
		colon++;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || strchr(s, ':') != colon)
			return -1;
		*colon = '\0';
		*host = s;
	}
	if (**host == '\0' || !isdigit((unsigned char)colon[1]))
		return -1;
	v = strtol(colon + 1, &end, 10);
	if (*end != '\0' || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/* True when name is a valid transport name. */
int
ptline_transport_ok(const char *name)
{
	size_t i;

	if (name == NULL || !(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return 0;
	for (i = 1; name[i] != '\0'; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return 0;
	return i <= 64;
}

/* Parses one line of a transport's output. */
void
ptline_parse(const char *line, struct ptline *out)
{
	static const struct {
		const char *keyword;
		enum ptline_kind kind;
	} rest_kinds[] = {
		{ "VERSION", PTL_VERSION }, { "VERSION-ERROR", PTL_VERSION_ERROR },
		{ "ENV-ERROR", PTL_ENV_ERROR }, { "PROXY-ERROR", PTL_PROXY_ERROR },
		{ "LOG", PTL_LOG }, { "STATUS", PTL_STATUS }
	};
	char *p, *kw, *t, *proto, *addr;
	size_t n, i;

	memset(out, 0, offsetof(struct ptline, buf));
	strlcpy_cf(out->buf, line, sizeof out->buf);
	n = strlen(out->buf);
	if (n > 0 && out->buf[n - 1] == '\r')
		out->buf[n - 1] = '\0';
	p = out->buf;
	out->message = "";
	kw = ptline_word(&p);
	out->kind = PTL_UNKNOWN;
	if (kw == NULL)
		return;
	for (i = 0; i < sizeof rest_kinds / sizeof rest_kinds[0]; i++)
		if (strcmp(kw, rest_kinds[i].keyword) == 0) {
			/* KEYWORD and a message: the rest of the line */
			out->kind = rest_kinds[i].kind;
			out->message = ptline_rest(p);
			return;
		}
	if (strcmp(kw, "PROXY") == 0 || strcmp(kw, "CMETHODS") == 0) {
		t = ptline_word(&p);
		if (t != NULL && strcmp(t, "DONE") == 0)
			out->kind = kw[0] == 'P' ? PTL_PROXY_DONE : PTL_CMETHODS_DONE;
	} else if (strcmp(kw, "CMETHOD") == 0) {
		t = ptline_word(&p);
		proto = ptline_word(&p);
		addr = ptline_word(&p);
		out->kind = PTL_BAD;
		if (t == NULL || proto == NULL || addr == NULL || !ptline_transport_ok(t) ||
		    ptline_hostport(addr, &out->host, &out->port) != 0)
			return;
		out->kind = PTL_CMETHOD;
		out->transport = t;
		out->protocol = proto;
	} else if (strcmp(kw, "CMETHOD-ERROR") == 0) {
		t = ptline_word(&p);
		out->kind = t != NULL ? PTL_CMETHOD_ERROR : PTL_BAD;
		out->transport = t;
		out->message = ptline_rest(p);
	}
}

/* Frees a bridge's strings. */
void
ptline_bridge_clear(struct ptbridge *b)
{
	free(b->transport);
	free(b->host);
	free(b->fingerprint);
	free(b->args);
	memset(b, 0, sizeof *b);
}

/* True when s is 40 hex digits (a relay fingerprint). */
static int
ptline_fingerprint(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return i == 40;
}

/* Appends one KEY=VALUE argument to *args, escaping '\\', '=' and ';' in key and value as
 * the spec's section 3.5 wants. Returns 0, or -1 when it is not KEY=VALUE. */
static int
ptline_add_arg(char **args, size_t *len, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t n = strlen(kv), i;
	char *o;

	if (eq == NULL || eq == kv)
		return -1;
	*args = xrealloc(*args, *len + 2 * n + 2);
	o = *args + *len;
	if (*len > 0)
		*o++ = ';';
	for (i = 0; i < n; i++) {
		if (kv + i != eq && (kv[i] == '\\' || kv[i] == '=' || kv[i] == ';'))
			*o++ = '\\';
		*o++ = kv[i];
	}
	*o = '\0';
	*len = (size_t)(o - *args);
	return 0;
}

/* Parses a bridge line. */
int
ptline_bridge_parse(const char *line, struct ptbridge *b, char **cause)
{
	char *copy = xstrdup(line), *p = copy, *w, *hp;
	const char *host;
	size_t alen = 0;
	int port;

	memset(b, 0, sizeof *b);
	b->args = xstrdup("");
	w = ptline_word(&p);
	if (w != NULL && strcasecmp(w, "Bridge") == 0)
		w = ptline_word(&p);
	if (w != NULL && strchr(w, ':') == NULL && ptline_transport_ok(w)) {
		b->transport = xstrdup(w);
		w = ptline_word(&p);
	}
	if (w == NULL) {
		*cause = xstrdup(_("bad bridge line: it has no ADDRESS:PORT (expected "
		    "'ADDRESS:PORT cert=... iat-mode=0', as the hub's organizer published it)"));
		goto fail;
	}
	hp = w;
	if (ptline_hostport(hp, &host, &port) != 0) {
		*cause = xasprintf(_("bad bridge line: \"%s\" is not ADDRESS:PORT"), w);
		goto fail;
	}
	b->host = xstrdup(host);
	b->port = port;
	while ((w = ptline_word(&p)) != NULL) {
		if (b->fingerprint == NULL && alen == 0 && strchr(w, '=') == NULL &&
		    ptline_fingerprint(w)) {
			b->fingerprint = xstrdup(w);
			continue;
		}
		if (ptline_add_arg(&b->args, &alen, w) != 0) {
			*cause = xasprintf(_("bad bridge line: \"%s\" is not KEY=VALUE"), w);
			goto fail;
		}
	}
	if (alen > PTLINE_MAX_ARGS) {
		*cause = xasprintf(_("bad bridge line: its arguments are longer than the %d bytes "
		    "a transport can be given"), PTLINE_MAX_ARGS);
		goto fail;
	}
	free(copy);
	return 0;
fail:
	free(copy);
	ptline_bridge_clear(b);
	return -1;
}

/* The SOCKS5 user name and password that carry the arguments. */
void
ptline_socks_auth(const struct ptbridge *b, const char **user, size_t *ulen,
    const char **pass, size_t *plen)
{
	size_t n = b->args != NULL ? strlen(b->args) : 0;

	*user = b->args;
	*ulen = n > 255 ? 255 : n;
	if (n > 255) {
		*pass = b->args + 255;
		*plen = n - 255;
	} else {
		/* one NUL: RFC 1929 wants a password of at least one byte */
		*pass = "";
		*plen = n > 0 ? 1 : 0;
	}
}
