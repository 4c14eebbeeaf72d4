/* knownhosts.h: the hubs whose TLS certificates confab has seen (the known-hosts file), and
 * the trust policy that uses them. No libwebsockets and no OpenSSL: src/net/tlsverify.c
 * feeds it what verifying a certificate found.
 *
 * The file: $XDG_STATE_HOME/confab/known-hosts, else ~/.local/state/confab/known-hosts
 * (directory created 0700, file written 0600 through a temporary file and rename()). One
 * hub a line, three fields separated by spaces or tabs:
 *
 *   hub.example.org:443 ca SHA256:3F:0A:...:9C
 *   203.0.113.7:7450 pinned SHA256:B1:77:...:04
 *
 * HOST:PORT as in the address confab was given (host in lower case, an IPv6 address in
 * brackets); how the certificate was trusted; its SHA-256 fingerprint (32 bytes in hex).
 *   ca      it verified against the certificate authorities when it was recorded: a later
 *           certificate that verifies too replaces it (renewals are fine).
 *   pinned  the user trusted this very certificate (confab --trust-cert): any other one is
 *           refused, even one that a certificate authority signed (like ssh's known_hosts).
 * Blank lines and lines starting with '#' are comments. Lines that do not parse are
 * ignored, reported by knownhosts_bad_line(), and kept as they are when the file is
 * rewritten. The first line for a hub is the one that counts.
 *
 * The policy (knownhosts_decide): a pinned hub must present its pinned certificate; a
 * certificate given with --trust-cert must be the one presented; otherwise the certificate
 * must verify against the certificate authorities and be made out for the host name.
 * Problems with its validity dates or its form are never overridden. */
#ifndef CONFAB_KNOWNHOSTS_H
#define CONFAB_KNOWNHOSTS_H

#include <stdbool.h>
#include <stddef.h>

#define KNOWNHOSTS_FP_LEN 32               /* a SHA-256 fingerprint, in bytes */
#define KNOWNHOSTS_FP_TEXT (7 + 32 * 3)    /* "SHA256:" + "AB:" x 32, the last ':' a NUL */
#define KNOWNHOSTS_MAX_BYTES (1024 * 1024) /* a larger file is refused */

/* How a hub's certificate came to be trusted. */
enum knownhosts_kind { KH_CA = 0, KH_PINNED };

/* One hub of the file. */
struct knownhosts_entry {
	char *host;                             /* "host:port", lower case */
	enum knownhosts_kind kind;
	unsigned char fp[KNOWNHOSTS_FP_LEN];
	size_t line;                            /* 1-based line of the file */
};

struct knownhosts;

/* The default path (see above), or NULL when neither XDG_STATE_HOME nor HOME is usable.
 * New string. */
char *knownhosts_default_path(void);

/* Reads the file at path into *out (free with knownhosts_free). A missing file gives an
 * empty set. Returns 0, or -1 with *cause set to a new, translated message when the path is
 * not a regular file (a directory, a FIFO: never waited on), cannot be read, is larger than
 * KNOWNHOSTS_MAX_BYTES, or can be written by other users. */
int knownhosts_load(const char *path, struct knownhosts **out, char **cause);
/* An empty set that knownhosts_save() writes to path. */
struct knownhosts *knownhosts_new(const char *path);
void knownhosts_free(struct knownhosts *kh);
/* The file's path (borrowed). */
const char *knownhosts_path(const struct knownhosts *kh);

/* The entry for host ("host:port", any case), or NULL (borrowed: valid until the next
 * knownhosts_set or knownhosts_free). */
const struct knownhosts_entry *knownhosts_find(const struct knownhosts *kh, const char *host);
/* Records host with kind and fp: replaces its entry (in place) or adds one at the end. */
void knownhosts_set(struct knownhosts *kh, const char *host, enum knownhosts_kind kind,
    const unsigned char fp[KNOWNHOSTS_FP_LEN]);
/* Writes the set to its path: creates missing directories (0700), writes a temporary file
 * (0600) beside it and renames it over the old one. Returns 0, or -1 with *cause. */
int knownhosts_save(struct knownhosts *kh, char **cause);
/* The line number of the i-th line that did not parse (from 0), or 0 when there are fewer. */
size_t knownhosts_bad_line(const struct knownhosts *kh, size_t i);

/* The key of a hub: "host:port" in lower case, "[v6]:port" for an IPv6 address. New
 * string. */
char *knownhosts_key(const char *host, int port);
/* Parses a SHA-256 fingerprint: 64 hex digits, in pairs that may be separated by ':',
 * after an optional "SHA256:" or "sha256 Fingerprint=" (as openssl x509 -fingerprint
 * -sha256 prints it); any case. Returns 0, or -1 when s is not one. */
int knownhosts_fp_parse(const char *s, unsigned char fp[KNOWNHOSTS_FP_LEN]);
/* Writes "SHA256:AB:CD:..." (upper-case hex) into out. */
void knownhosts_fp_format(const unsigned char fp[KNOWNHOSTS_FP_LEN],
    char out[KNOWNHOSTS_FP_TEXT]);

/* What verifying the hub's certificate found. */
struct knownhosts_seen {
	unsigned char fp[KNOWNHOSTS_FP_LEN];  /* the hub's own (leaf) certificate */
	bool trusted;  /* it chains to a trusted certificate authority */
	bool name_ok;  /* it is made out for the host name or address confab connected to */
	int time;      /* 0: within its dates; 1: expired; -1: not valid yet */
	bool invalid;  /* another problem: a bad signature, not meant for TLS servers, ... */
};

/* What to do with the certificate. */
enum knownhosts_verdict {
	KV_ACCEPT,           /* accept; the file needs no change */
	KV_ACCEPT_CA,        /* accept; record it as "ca" */
	KV_ACCEPT_PIN,       /* accept (--trust-cert); record it as "pinned" */
	KV_REFUSE_INVALID,   /* seen->invalid */
	KV_REFUSE_TIME,      /* expired or not valid yet (seen->time) */
	KV_REFUSE_NAME,      /* trusted, but made out for another name */
	KV_REFUSE_UNTRUSTED, /* no trusted authority vouches for it, and it is not pinned */
	KV_REFUSE_CHANGED,   /* the hub is pinned to another certificate */
	KV_REFUSE_NOT_GIVEN, /* --trust-cert names another certificate */
};

/* The policy. known: the hub's entry or NULL; trust_fp: the fingerprint given with
 * --trust-cert, or NULL. */
enum knownhosts_verdict knownhosts_decide(const struct knownhosts_entry *known,
    const unsigned char *trust_fp, const struct knownhosts_seen *seen);
/* True for the verdicts that accept the certificate. */
bool knownhosts_accepts(enum knownhosts_verdict v);

#endif
