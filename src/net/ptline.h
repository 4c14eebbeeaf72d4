/* ptline.h: the text of the Pluggable Transport specification, version 1 (Tor's
 * pt-spec.txt), that a client deals in: the lines a managed transport writes on its
 * standard output (VERSION, CMETHOD, CMETHODS DONE and the error lines), the bridge line
 * a user pastes, and the per-connection arguments sent in the SOCKS5 user name and
 * password fields. Pure: no processes, no sockets, no lws.
 *
 * A bridge line, as the hub's organizer publishes it (the forms Tor's bridge lines take,
 * with or without the leading "Bridge" and the transport's name):
 *
 *   [Bridge] [TRANSPORT] ADDRESS:PORT [FINGERPRINT] [KEY=VALUE]...
 *   203.0.113.7:443 cert=ssH+9rP8dG2NLDN2XuFw63hIO/9MNNinLmxQDpVa+7kTOa9/m+tGWT1SmSYpQ9uTBGa6Hw iat-mode=0
 *   obfs4 [2001:db8::7]:443 4352E58420E68F5E40BF7C74FADDCCD9D1349413 cert=... iat-mode=0 */
#ifndef CONFAB_PTLINE_H
#define CONFAB_PTLINE_H

#include <stddef.h>

#define PTLINE_MAX 4096          /* a longer line from a transport is cut there */
#define PTLINE_MAX_ARGS 510      /* SOCKS5 carries at most 2 x 255 bytes of arguments */

/* The kinds of line a managed client transport writes. */
enum ptline_kind {
	PTL_UNKNOWN = 0,      /* any other keyword: ignored, as the spec says */
	PTL_VERSION,          /* VERSION 1 */
	PTL_VERSION_ERROR,    /* VERSION-ERROR MESSAGE */
	PTL_ENV_ERROR,        /* ENV-ERROR MESSAGE */
	PTL_PROXY_DONE,       /* PROXY DONE */
	PTL_PROXY_ERROR,      /* PROXY-ERROR MESSAGE */
	PTL_CMETHOD,          /* CMETHOD TRANSPORT socks5 ADDRESS:PORT */
	PTL_CMETHOD_ERROR,    /* CMETHOD-ERROR TRANSPORT MESSAGE */
	PTL_CMETHODS_DONE,    /* CMETHODS DONE */
	PTL_LOG,              /* LOG SEVERITY=... MESSAGE=... (later versions of the spec) */
	PTL_STATUS,           /* STATUS ... */
	PTL_BAD               /* a known keyword with arguments that do not parse */
};

/* One parsed line. The strings point into the struct's own copy of the line. */
struct ptline {
	enum ptline_kind kind;
	const char *transport;   /* CMETHOD, CMETHOD-ERROR */
	const char *protocol;    /* CMETHOD: socks4 or socks5 */
	const char *host;        /* CMETHOD: the address without brackets */
	int port;                /* CMETHOD */
	const char *message;     /* the rest of the line for the *-ERROR lines, the
	                          * version for VERSION, the arguments for LOG and STATUS */
	char buf[PTLINE_MAX + 1];
};

/* Parses one line (without its newline; a final '\r' is dropped). */
void ptline_parse(const char *line, struct ptline *out);

/* True when name is a valid transport name ([a-zA-Z_][a-zA-Z0-9_]*, at most 64 bytes). */
int ptline_transport_ok(const char *name);

/* A bridge: where the transport connects, and what it needs to. Strings are owned. */
struct ptbridge {
	char *transport;         /* from the line, or NULL */
	char *host;              /* an address (no brackets) or a name */
	int port;
	char *fingerprint;       /* 40 hex digits, or NULL */
	char *args;              /* KEY=VALUE;KEY=VALUE, escaped as the spec wants; "" */
};

/* Parses a bridge line. Returns 0, or -1 with *cause set to a new, translated message. */
int ptline_bridge_parse(const char *line, struct ptbridge *b, char **cause);
void ptline_bridge_clear(struct ptbridge *b);

/* Splits b->args into the SOCKS5 user name and password as the spec says: up to 255
 * bytes in the user name, the rest in the password, or a single NUL as the password when
 * everything fits in the user name. *ulen is 0 when there are no arguments (then no
 * authentication is offered). */
void ptline_socks_auth(const struct ptbridge *b, const char **user, size_t *ulen,
    const char **pass, size_t *plen);

#endif
