/* tlscert.h: X.509 certificates in words, and PEM files read without ever prompting
 * (OpenSSL; no libwebsockets). Used by the client (src/net/tlsverify.c, --ca-file) and by
 * confabd (--tls-cert, --tls-key).
 *
 * Every text taken from a certificate (names, issuer) is sanitised: a certificate comes
 * from the network, and its names could hold escape sequences. */
#ifndef CONFAB_TLSCERT_H
#define CONFAB_TLSCERT_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/x509.h>

#include "net/knownhosts.h"

#define TLSCERT_DATE_LEN 32  /* "2026-09-01 12:00 UTC" and its NUL, with room */

/* A certificate and key pair for a hub, as confabd checked it. */
struct tlscert_info {
	char fp[KNOWNHOSTS_FP_TEXT];       /* "SHA256:AB:..." of the certificate */
	char not_before[TLSCERT_DATE_LEN]; /* its dates, in UTC */
	char not_after[TLSCERT_DATE_LEN];
	char *names;                       /* the names it is made out for (new string) */
	bool self_signed;                  /* issued by itself (no authority) */
	int time;                          /* 0: within its dates; 1: expired; -1: not yet */
	int days_left;                     /* whole days until it expires (when time is 0) */
	bool key_others_read;              /* the key file can be read by other users */
};

/* Reads the PEM file at path. Returns its first certificate (free with X509_free) and sets
 * *count (may be NULL) to the number of certificates in it, or NULL with *cause set to a
 * new, translated message that names the file (unreadable, not a regular file, no
 * certificate). */
X509 *tlscert_read(const char *path, int *count, char **cause);

/* Checks a hub's certificate file and private-key file: both readable PEM, the key not
 * encrypted (confabd cannot ask for a passphrase) and made for that certificate. Returns
 * 0 with *info filled (free with tlscert_info_clear), or -1 with *cause set to a new,
 * translated message that names the file at fault. */
int tlscert_check_pair(const char *cert_path, const char *key_path, struct tlscert_info *info,
    char **cause);
void tlscert_info_clear(struct tlscert_info *info);

/* The SHA-256 fingerprint of x. */
void tlscert_fingerprint(X509 *x, unsigned char fp[KNOWNHOSTS_FP_LEN]);
/* An ASN.1 time as "YYYY-MM-DD HH:MM UTC" into buf (or "?" when it cannot be read). */
void tlscert_date(const ASN1_TIME *t, char *buf, size_t len);
/* Where now stands against x's dates: 0 within them; 1 expired; -1 not valid yet. */
int tlscert_time(X509 *x);
/* The names x is made out for: its DNS names and addresses (subjectAltName), else its
 * common name; at most four, then "...". New, sanitised string. */
char *tlscert_names(X509 *x);
/* Who issued x: the issuer's common name, else its whole name on one line. New,
 * sanitised string. */
char *tlscert_issuer(X509 *x);
/* True when x is issued by itself (self-signed). */
bool tlscert_self_signed(X509 *x);

#endif
