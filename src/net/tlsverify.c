/* tlsverify.c: the ruling on a hub's TLS certificate (see tlsverify.h), its messages, and
 * recording the certificate in the known-hosts file. */
#include "util/i18n.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "net/knownhosts.h"
#include "net/tlscert.h"
#include "net/tlsverify.h"
#include "util/log.h"
#include "util/xalloc.h"

struct tlsverify {
	char *host;                 /* as in the URL: what the name must match */
	char *key;                  /* "host:port": the known-hosts key */
	char *url;
	char *path;                 /* the known-hosts file, or NULL when there is no home */
	bool have_trust;
	unsigned char trust_fp[KNOWNHOSTS_FP_LEN];
	bool save_failed;           /* told the user once that recording failed */

	/* the current attempt */
	bool ruled;
	enum knownhosts_verdict verdict;
	bool overriding;            /* a pin or --trust-cert stands for authority and name */
	enum tlsverify_refusal refusal;
	char *message;              /* why it was refused, for the user */
	unsigned char fp[KNOWNHOSTS_FP_LEN];
};

/* What verifying the chain once more found. */
struct tlsverify_found {
	struct knownhosts_seen seen;
	int invalid_err;              /* the first other problem (X509_V_ERR_*) */
	char date[TLSCERT_DATE_LEN];  /* the date that is past or not reached yet */
};

/* Creates a checker. */
struct tlsverify *
tlsverify_create(const char *host, int port, const char *url, const struct tlsverify_opts *o)
{
	struct tlsverify *v = xcalloc(1, sizeof *v);

	v->host = xstrdup(host);
	v->key = knownhosts_key(host, port);
	v->url = xstrdup(url);
	v->path = o != NULL && o->known_hosts != NULL ? xstrdup(o->known_hosts) :
	    knownhosts_default_path();
	if (o != NULL && o->trust_fp != NULL) {
		v->have_trust = true;
		memcpy(v->trust_fp, o->trust_fp, KNOWNHOSTS_FP_LEN);
	}
	return v;
}

/* Frees v. */
void
tlsverify_free(struct tlsverify *v)
{
	if (v == NULL)
		return;
	free(v->host);
	free(v->key);
	free(v->url);
	free(v->path);
	free(v->message);
	free(v);
}

/* Forgets the last ruling. */
void
tlsverify_attempt(struct tlsverify *v)
{
	v->ruled = false;
	v->overriding = false;
	v->refusal = TV_NONE;
	free(v->message);
	v->message = NULL;
}

/* Appends one line to *msg. */
static void __attribute__((format(printf, 2, 3)))
tlsverify_add(char **msg, const char *fmt, ...)
{
	va_list ap;
	char *line, *joined;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	joined = *msg == NULL ? xstrdup(line) : xasprintf("%s\n%s", *msg, line);
	free(*msg);
	free(line);
	*msg = joined;
}

/* What an OpenSSL verification error is about. */
enum tlsverify_kind { TK_TRUST, TK_NAME, TK_TIME, TK_OTHER };

/* The kind of err: no trusted authority vouches for the chain; the name; the dates;
 * anything else. */
static enum tlsverify_kind
tlsverify_kind(int err)
{
	switch (err) {
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		return TK_TRUST;
	case X509_V_ERR_HOSTNAME_MISMATCH:
	case X509_V_ERR_IP_ADDRESS_MISMATCH:
		return TK_NAME;
	case X509_V_ERR_CERT_HAS_EXPIRED:
	case X509_V_ERR_CERT_NOT_YET_VALID:
		return TK_TIME;
	default:
		return TK_OTHER;
	}
}

/* Appends one line to *msg in capitals: the first line of a warning (the translation is
 * written in ordinary case and shouted here, in any language the locale can upper-case). */
static void __attribute__((format(printf, 2, 3)))
tlsverify_shout(char **msg, const char *fmt, ...)
{
	mbstate_t in, out;
	va_list ap;
	char *line, *loud, *o;
	size_t len, i = 0, n, m;
	wchar_t wc;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	len = strlen(line);
	loud = o = xmalloc(len * MB_LEN_MAX + 1);
	memset(&in, 0, sizeof in);
	memset(&out, 0, sizeof out);
	while (i < len) {
		n = mbrtowc(&wc, line + i, len - i, &in);
		if (n == 0 || n > len - i ||
		    (m = wcrtomb(o, (wchar_t)towupper((wint_t)wc), &out)) == (size_t)-1) {
			/* not a character of this locale: the byte as it is */
			memset(&in, 0, sizeof in);
			memset(&out, 0, sizeof out);
			*o++ = line[i++];
			continue;
		}
		o += m;
		i += n;
	}
	*o = '\0';
	tlsverify_add(msg, "%s", loud);
	free(loud);
	free(line);
}

/* The nested verification's callback: notes every problem and goes on. */
static int
tlsverify_note(int ok, X509_STORE_CTX *ctx)
{
	struct tlsverify_found *f = X509_STORE_CTX_get_app_data(ctx);
	int err = X509_STORE_CTX_get_error(ctx);
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);

	if (ok || err == X509_V_OK || f == NULL)
		return 1;
	switch (tlsverify_kind(err)) {
	case TK_TRUST:
		f->seen.trusted = false;
		break;
	case TK_NAME:
		f->seen.name_ok = false;
		break;
	case TK_TIME:
		if (f->seen.time == 0 && cur != NULL) {
			f->seen.time = err == X509_V_ERR_CERT_HAS_EXPIRED ? 1 : -1;
			tlscert_date(f->seen.time > 0 ? X509_get0_notAfter(cur) :
			    X509_get0_notBefore(cur), f->date, sizeof f->date);
		}
		break;
	case TK_OTHER:
		if (!f->seen.invalid) {
			f->seen.invalid = true;
			f->invalid_err = err;
		}
		break;
	}
	return 1;
}

/* Sets the name the certificate must be made out for: host, an address or a DNS name. (lws
 * sets it too, but cuts an IPv6 address at its first ':', which leaves no name to check.)
 * Returns 1, or 0 on failure. */
static int
tlsverify_expect_name(X509_VERIFY_PARAM *param, const char *host)
{
	X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (X509_VERIFY_PARAM_set1_ip_asc(param, host) == 1)
		return X509_VERIFY_PARAM_set1_host(param, NULL, 0);
	return X509_VERIFY_PARAM_set1_host(param, host, 0) == 1 &&
	    X509_VERIFY_PARAM_set1_ip(param, NULL, 0) == 1;
}

/* Verifies the chain of outer once more, with the same store, chain and parameters, for
 * the name host, noting every problem into f. */
static void
tlsverify_examine(X509_STORE_CTX *outer, X509 *leaf, const char *host,
    struct tlsverify_found *f)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();

	memset(f, 0, sizeof *f);
	f->seen.trusted = true;
	f->seen.name_ok = true;
	tlscert_fingerprint(leaf, f->seen.fp);
	if (ctx == NULL || X509_STORE_CTX_init(ctx, X509_STORE_CTX_get0_store(outer), leaf,
	    X509_STORE_CTX_get0_untrusted(outer)) != 1 ||
	    X509_VERIFY_PARAM_set1(X509_STORE_CTX_get0_param(ctx),
	    X509_STORE_CTX_get0_param(outer)) != 1 ||
	    tlsverify_expect_name(X509_STORE_CTX_get0_param(ctx), host) != 1) {
		f->seen.invalid = true;
		f->invalid_err = X509_V_ERR_OUT_OF_MEM;
	} else {
		X509_STORE_CTX_set_verify_cb(ctx, tlsverify_note);
		X509_STORE_CTX_set_app_data(ctx, f);
		if (X509_verify_cert(ctx) != 1 && f->seen.trusted && f->seen.name_ok &&
		    f->seen.time == 0 && !f->seen.invalid) {
			/* failed without telling us why */
			f->seen.invalid = true;
			f->invalid_err = X509_STORE_CTX_get_error(ctx);
		}
	}
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
}

/* The lines that tell how to trust an unknown certificate. */
static void
tlsverify_how_to_trust(struct tlsverify *v, const char *fp)
{
	tlsverify_add(&v->message, "%s", _("Compare the fingerprint with the one the hub's "
	    "organizer published, every character; if they are the same, connect once with"));
	tlsverify_add(&v->message, _("  confab --trust-cert %s %s"), fp, v->url);
	if (v->path != NULL)
		tlsverify_add(&v->message, _("and confab will remember this certificate (in %s)."),
		    v->path);
}

/* The message of a refusal. */
static void
tlsverify_explain(struct tlsverify *v, X509 *leaf, const struct tlsverify_found *f,
    const struct knownhosts_entry *known)
{
	char fp[KNOWNHOSTS_FP_TEXT], old[KNOWNHOSTS_FP_TEXT], given[KNOWNHOSTS_FP_TEXT];
	char *names, *issuer;

	knownhosts_fp_format(f->seen.fp, fp);
	switch (v->verdict) {
	case KV_REFUSE_CHANGED:
		knownhosts_fp_format(known->fp, old);
		tlsverify_shout(&v->message, _("Warning: the certificate of hub %s has changed!"),
		    v->key);
		tlsverify_add(&v->message, "%s", _("Someone may be intercepting the connection "
		    "(a man-in-the-middle attack), or the hub's organizer replaced the "
		    "certificate."));
		tlsverify_add(&v->message, _("Trusted certificate (%s, line %zu): %s"), v->path,
		    known->line, old);
		tlsverify_add(&v->message, _("Presented certificate: %s"), fp);
		tlsverify_add(&v->message, "%s", _("confab will not connect to this hub."));
		tlsverify_add(&v->message, _("If the organizer confirms the change (compare the "
		    "new fingerprint with the one they publish), remove line %zu from %s, then "
		    "connect with --trust-cert and the new fingerprint."), known->line, v->path);
		break;
	case KV_REFUSE_NOT_GIVEN:
		knownhosts_fp_format(v->trust_fp, given);
		tlsverify_shout(&v->message, _("Warning: hub %s presented another certificate than "
		    "the one you trust!"), v->key);
		tlsverify_add(&v->message, _("Given with --trust-cert: %s"), given);
		tlsverify_add(&v->message, _("Presented certificate: %s"), fp);
		tlsverify_add(&v->message, "%s", _("Someone may be intercepting the connection, "
		    "or the fingerprint was mistyped."));
		tlsverify_add(&v->message, "%s", _("confab will not connect to this hub."));
		break;
	case KV_REFUSE_INVALID:
		tlsverify_add(&v->message, _("%s presented a certificate that is not valid (%s): "
		    "not connecting."), v->key, X509_verify_cert_error_string(f->invalid_err));
		break;
	case KV_REFUSE_TIME:
		if (f->seen.time > 0) {
			tlsverify_add(&v->message, _("%s presented a certificate that expired on %s: "
			    "not connecting."), v->key, f->date);
			tlsverify_add(&v->message, "%s", _("If this computer's date and time are "
			    "right, tell the hub's organizer: the certificate must be renewed."));
		} else {
			tlsverify_add(&v->message, _("%s presented a certificate that is valid only "
			    "from %s: not connecting."), v->key, f->date);
			tlsverify_add(&v->message, "%s", _("Check this computer's date and time; if "
			    "they are right, tell the hub's organizer."));
		}
		break;
	case KV_REFUSE_NAME:
		names = tlscert_names(leaf);
		tlsverify_add(&v->message, _("%s presented a certificate made out for %s, not for "
		    "%s: not connecting."), v->key, names, v->host);
		tlsverify_add(&v->message, "%s", _("Check the address; if it is right, someone may "
		    "be intercepting the connection."));
		free(names);
		break;
	case KV_REFUSE_UNTRUSTED:
		if (tlscert_self_signed(leaf))
			tlsverify_add(&v->message, _("%s presented a self-signed certificate that "
			    "confab does not know: not connecting."), v->key);
		else {
			issuer = tlscert_issuer(leaf);
			tlsverify_add(&v->message, _("%s presented a certificate from an authority "
			    "that confab does not trust (issued by %s): not connecting."), v->key,
			    issuer);
			free(issuer);
		}
		if (known != NULL)
			tlsverify_add(&v->message, _("Warning: a trusted authority had signed this "
			    "hub's certificate before (%s, line %zu): someone may be intercepting "
			    "the connection."), v->path, known->line);
		tlsverify_add(&v->message, _("Its fingerprint: %s"), fp);
		if (!tlscert_self_signed(leaf))
			tlsverify_add(&v->message, "%s", _("If the hub uses its own certificate "
			    "authority, give that authority's certificate with --ca-file FILE. Or:"));
		tlsverify_how_to_trust(v, fp);
		break;
	default:
		break;
	}
}

/* Rules on the certificate of this attempt (at its first verification step). */
static void
tlsverify_rule(struct tlsverify *v, X509_STORE_CTX *outer)
{
	const struct knownhosts_entry *known = NULL;
	struct knownhosts *kh = NULL;
	struct tlsverify_found f;
	X509 *leaf = X509_STORE_CTX_get0_cert(outer);
	char *cause = NULL;

	v->ruled = true;
	if (leaf == NULL) {
		v->refusal = TV_UNTRUSTED;
		tlsverify_add(&v->message, _("%s presented no certificate: not connecting."),
		    v->key);
		return;
	}
	tlsverify_examine(outer, leaf, v->host, &f);
	memcpy(v->fp, f.seen.fp, KNOWNHOSTS_FP_LEN);
	if (v->path != NULL && knownhosts_load(v->path, &kh, &cause) != 0) {
		/* without the file the pins are unknown: never guess */
		v->refusal = TV_UNTRUSTED;
		tlsverify_add(&v->message, "%s", cause);
		tlsverify_add(&v->message, "%s", _("confab needs that file to check the hub's "
		    "certificate: not connecting."));
		free(cause);
		return;
	}
	if (kh != NULL && knownhosts_bad_line(kh, 0) != 0)
		log_warn("tls: %s: line %zu is not \"HOST:PORT ca|pinned SHA256:...\": ignored",
		    v->path, knownhosts_bad_line(kh, 0));
	if (kh != NULL)
		known = knownhosts_find(kh, v->key);
	v->verdict = knownhosts_decide(known, v->have_trust ? v->trust_fp : NULL, &f.seen);
	v->overriding = v->verdict == KV_ACCEPT_PIN ||
	    (v->verdict == KV_ACCEPT && known != NULL && known->kind == KH_PINNED);
	log_info("tls: %s: trusted %d, name %s, time %d, invalid %d (%s): verdict %d", v->key,
	    f.seen.trusted, f.seen.name_ok ? "ok" : "wrong", f.seen.time, f.seen.invalid,
	    f.seen.invalid ? X509_verify_cert_error_string(f.invalid_err) : "-", v->verdict);
	if (!knownhosts_accepts(v->verdict)) {
		v->refusal = v->verdict == KV_REFUSE_CHANGED || v->verdict == KV_REFUSE_NOT_GIVEN ?
		    TV_CHANGED : TV_UNTRUSTED;
		tlsverify_explain(v, leaf, &f, known);
	}
	knownhosts_free(kh);
}

/* True when the ruling overrides OpenSSL's error err. */
static bool
tlsverify_overrides(const struct tlsverify *v, int err)
{
	enum tlsverify_kind k = tlsverify_kind(err);

	return v->overriding && (k == TK_TRUST || k == TK_NAME);
}

/* One verification step. */
int
tlsverify_step(struct tlsverify *v, void *x509_ctx, int preverify_ok)
{
	X509_STORE_CTX *ctx = x509_ctx;
	int err;

	if (!v->ruled)
		tlsverify_rule(v, ctx);
	if (v->refusal != TV_NONE)
		return 1;
	if (preverify_ok)
		return 0;
	err = X509_STORE_CTX_get_error(ctx);
	if (tlsverify_overrides(v, err)) {
		X509_STORE_CTX_set_error(ctx, X509_V_OK);
		return 0;
	}
	/* a problem that the ruling did not see or may not override: refuse */
	v->refusal = TV_UNTRUSTED;
	tlsverify_add(&v->message, _("%s presented a certificate that is not valid (%s): "
	    "not connecting."), v->key, X509_verify_cert_error_string(err));
	return 1;
}

/* Why the attempt was refused. */
enum tlsverify_refusal
tlsverify_refused(const struct tlsverify *v, const char **message)
{
	*message = v->message;
	return v->refusal;
}

/* Records the certificate as ruled, once the WebSocket is up. */
int
tlsverify_established(struct tlsverify *v, char **note)
{
	const struct knownhosts_entry *e;
	struct knownhosts *kh = NULL;
	char fp[KNOWNHOSTS_FP_TEXT], *cause = NULL;
	enum knownhosts_kind kind = v->verdict == KV_ACCEPT_PIN ? KH_PINNED : KH_CA;

	*note = NULL;
	if (!v->ruled || v->refusal != TV_NONE)
		return -1;
	if (v->verdict == KV_ACCEPT)
		return 0;
	knownhosts_fp_format(v->fp, fp);
	if (v->path == NULL) {
		if (kind == KH_PINNED)
			*note = xasprintf(_("The certificate %s of %s is trusted for now, but confab "
			    "cannot remember it: neither XDG_STATE_HOME nor HOME is set."), fp, v->key);
		return 0;
	}
	if (knownhosts_load(v->path, &kh, &cause) == 0) {
		e = knownhosts_find(kh, v->key);
		if (kind == KH_CA && e != NULL && e->kind == KH_PINNED) {
			/* pinned meanwhile by another confab: the pin wins */
			knownhosts_free(kh);
			return 0;
		}
		knownhosts_set(kh, v->key, kind, v->fp);
		knownhosts_save(kh, &cause);
		knownhosts_free(kh);
	}
	if (cause != NULL) {
		log_warn("tls: cannot record the certificate of %s: %s", v->key, cause);
		if (!v->save_failed || kind == KH_PINNED)
			*note = xasprintf(_("Could not record the certificate of %s: %s"), v->key,
			    cause);
		v->save_failed = true;
		free(cause);
		return 0;
	}
	log_info("tls: recorded the certificate of %s in %s (%s %s)", v->key, v->path,
	    kind == KH_CA ? "ca" : "pinned", fp);
	if (kind == KH_PINNED)
		*note = xasprintf(_("The certificate %s of %s is now trusted; recorded in %s."),
		    fp, v->key, v->path);
	v->verdict = KV_ACCEPT;
	return 0;
}

/* True when the TLS handshake of ssl got to its end. */
bool
tlsverify_handshake_done(void *ssl)
{
	return ssl != NULL && SSL_is_init_finished((SSL *)ssl);
}

/* The reason of a handshake that failed without a ruling. */
const char *
tlsverify_handshake_failed(void)
{
	return _("the TLS handshake failed (is it a ws:// hub rather than wss://, or is "
	    "something on the path interfering?)");
}

/* Checks a --ca-file. */
int
tlsverify_ca_file_check(const char *path, char **cause)
{
	X509 *x = tlscert_read(path, NULL, cause);

	if (x == NULL)
		return -1;
	X509_free(x);
	return 0;
}
