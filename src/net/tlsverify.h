/* tlsverify.h: checks the hub's TLS certificate for the client's connection (OpenSSL; no
 * libwebsockets here: src/net/conn.c feeds it from lws's
 * LWS_CALLBACK_OPENSSL_PERFORM_SERVER_CERT_VERIFICATION).
 *
 * At the first verification step of an attempt it verifies the whole chain once more on its
 * own, noting every problem OpenSSL finds (untrusted, wrong name, dates, anything else),
 * then lets knownhosts_decide() rule with the known-hosts file and --trust-cert. The ruling
 * holds for every step of the attempt: an accepted certificate has exactly the problems
 * that the pin or the given fingerprint may override cleared (no name or authority
 * problem for a pinned hub; nothing for a CA-verified one), a refused one fails the TLS
 * handshake, and tlsverify_refused() then gives the message for the user: several lines,
 * in words (what was presented, why it is refused, what to do), never a library code.
 * Certificates are recorded in the known-hosts file once the WebSocket is up. */
#ifndef CONFAB_TLSVERIFY_H
#define CONFAB_TLSVERIFY_H

#include <stdbool.h>

/* Options of a wss:// connection. */
struct tlsverify_opts {
	const char *known_hosts;       /* the file; NULL: knownhosts_default_path() */
	const unsigned char *trust_fp; /* --trust-cert (KNOWNHOSTS_FP_LEN bytes), or NULL */
};

/* Why an attempt was refused for good. */
enum tlsverify_refusal {
	TV_NONE = 0,
	TV_UNTRUSTED,   /* the certificate could not be verified (or known-hosts not read) */
	TV_CHANGED,     /* a pinned hub, or --trust-cert, expected another certificate */
};

struct tlsverify;

/* A checker for the hub at host:port, addressed as url (both copied). */
struct tlsverify *tlsverify_create(const char *host, int port, const char *url,
    const struct tlsverify_opts *o);
void tlsverify_free(struct tlsverify *v);

/* A new connection attempt: forgets the last ruling. */
void tlsverify_attempt(struct tlsverify *v);
/* One OpenSSL verification step (x509_ctx: the X509_STORE_CTX, preverify_ok: OpenSSL's
 * verdict for this step). Returns 0 to let the step pass (clearing its error when the
 * ruling overrides it), 1 to fail the handshake: lws's convention for the callback. */
int tlsverify_step(struct tlsverify *v, void *x509_ctx, int preverify_ok);
/* After a failed attempt: why the certificate was refused, with the message for the user
 * in *message (borrowed, until the next attempt), or TV_NONE. */
enum tlsverify_refusal tlsverify_refused(const struct tlsverify *v, const char **message);
/* The WebSocket is up. Returns 0 after recording the certificate as ruled, or -1 when the
 * attempt had no ruling at all (no certificate was checked: drop the link). *note gets a
 * new message to show the user (a certificate trusted with --trust-cert and recorded, a
 * file that could not be written), or NULL. */
int tlsverify_established(struct tlsverify *v, char **note);

/* True when the TLS handshake of ssl (an SSL *, may be NULL) got to its end. */
bool tlsverify_handshake_done(void *ssl);
/* The reason shown when a TLS handshake fails without a ruling (e.g. a ws:// hub, or
 * something on the path). Translated, static. */
const char *tlsverify_handshake_failed(void);

/* Checks a --ca-file: a readable regular file with at least one PEM certificate. Returns
 * 0, or -1 with *cause set to a new, translated message that names the file. */
int tlsverify_ca_file_check(const char *path, char **cause);

#endif
