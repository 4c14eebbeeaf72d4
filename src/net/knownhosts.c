/* knownhosts.c: the known-hosts file (read, look up, record, write) and the trust policy
 * for hub certificates. See knownhosts.h for the format and the policy. */
#include "util/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "net/knownhosts.h"
#include "util/base64.h"
#include "util/files.h"
#include "util/xalloc.h"

/* One line of the file. */
struct knownhosts_line {
	char *text;                  /* the line as read or as written for an entry */
	bool entry;                  /* it parsed as an entry (e) */
	bool bad;                    /* neither an entry nor a comment */
	struct knownhosts_entry e;
};

struct knownhosts {
	char *path;
	struct knownhosts_line *lines;
	size_t n, cap;
};

/* The comment a new file starts with. */
static const char *const knownhosts_header[] = {
	"# confab: the TLS certificates of the hubs it has connected to (see confab(1), FILES).",
	"# HOST:PORT, how it was trusted, its SHA-256 fingerprint. ca: verified by a certificate",
	"# authority, a renewed certificate is accepted; pinned: trusted by its fingerprint",
	"# (--trust-cert), any other certificate is refused. Remove a line to forget a hub.",
};

/* The default path from XDG_STATE_HOME or HOME. */
char *
knownhosts_default_path(void)
{
	return files_state_path("known-hosts");
}

/* Parses a fingerprint. */
int
knownhosts_fp_parse(const char *s, unsigned char fp[KNOWNHOSTS_FP_LEN])
{
	static const char *const prefixes[] = { "SHA256:", "sha256 Fingerprint=", "SHA-256:" };
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		if (strncasecmp(s, prefixes[i], strlen(prefixes[i])) == 0) {
			s += strlen(prefixes[i]);
			break;
		}
	}
	while (n < KNOWNHOSTS_FP_LEN) {
		if (n > 0 && *s == ':')
			s++;
		if ((hi = base64_hex_digit(s[0])) < 0 || (lo = base64_hex_digit(s[1])) < 0)
			return -1;
		fp[n++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	return *s == '\0' ? 0 : -1;
}

/* Formats a fingerprint as "SHA256:AB:CD:...". */
void
knownhosts_fp_format(const unsigned char fp[KNOWNHOSTS_FP_LEN], char out[KNOWNHOSTS_FP_TEXT])
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = out + 7;
	size_t i;

	memcpy(out, "SHA256:", 7);
	for (i = 0; i < KNOWNHOSTS_FP_LEN; i++) {
		if (i > 0)
			*o++ = ':';
		*o++ = hex[fp[i] >> 4];
		*o++ = hex[fp[i] & 15];
	}
	*o = '\0';
}

/* The key of a hub. */
char *
knownhosts_key(const char *host, int port)
{
	char *key = strchr(host, ':') != NULL ? xasprintf("[%s]:%d", host, port) :
	    xasprintf("%s:%d", host, port);
	char *p;

	for (p = key; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return key;
}

/* True when s is a key: "host:port" or "[v6]:port", host of [a-z0-9._-] (':' in brackets),
 * port 1..65535. */
static bool
knownhosts_key_valid(const char *s)
{
	const char *colon = strrchr(s, ':'), *p;
	char *end;
	long port;

	if (colon == NULL || colon == s || colon - s > 255)
		return false;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (!isdigit((unsigned char)colon[1]) || *end != '\0' || port < 1 || port > 65535)
		return false;
	if (s[0] == '[') {
		if (colon[-1] != ']' || colon - s < 3)
			return false;
		for (p = s + 1; p < colon - 1; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return false;
		return true;
	}
	for (p = s; p < colon; p++)
		if (!isalnum((unsigned char)*p) && strchr("._-", *p) == NULL)
			return false;
	return true;
}

/* Parses one line into l (l->text is set). */
static void
knownhosts_parse_line(struct knownhosts_line *l, size_t lineno)
{
	char *copy, *field[4], *save = NULL, *p;
	size_t n = 0;

	for (p = l->text; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0' || *p == '#')
		return;
	copy = xstrdup(l->text);
	for (p = strtok_r(copy, " \t", &save); p != NULL && n < 4; p = strtok_r(NULL, " \t", &save))
		field[n++] = p;
	l->bad = true;
	if (n == 3 && knownhosts_key_valid(field[0]) &&
	    (strcmp(field[1], "ca") == 0 || strcmp(field[1], "pinned") == 0) &&
	    strncmp(field[2], "SHA256:", 7) == 0 &&
	    knownhosts_fp_parse(field[2], l->e.fp) == 0) {
		l->bad = false;
		l->entry = true;
		l->e.host = xstrdup(field[0]);
		for (p = l->e.host; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		l->e.kind = strcmp(field[1], "ca") == 0 ? KH_CA : KH_PINNED;
		l->e.line = lineno;
	}
	free(copy);
}

/* Appends a line (takes text) and parses it. */
static struct knownhosts_line *
knownhosts_append(struct knownhosts *kh, char *text)
{
	struct knownhosts_line *l;

	if (kh->n == kh->cap) {
		kh->cap = kh->cap < 16 ? 16 : kh->cap * 2;
		kh->lines = xreallocarray(kh->lines, kh->cap, sizeof *kh->lines);
	}
	l = &kh->lines[kh->n++];
	memset(l, 0, sizeof *l);
	l->text = text;
	knownhosts_parse_line(l, kh->n);
	return l;
}

/* An empty set for path. */
struct knownhosts *
knownhosts_new(const char *path)
{
	struct knownhosts *kh = xcalloc(1, sizeof *kh);

	kh->path = xstrdup(path);
	return kh;
}

/* Reads the file. */
int
knownhosts_load(const char *path, struct knownhosts **out, char **cause)
{
	struct knownhosts *kh;
	struct stat st;
	char *data, *p, *nl;
	size_t len = 0, n;

	*out = NULL;
	memset(&st, 0, sizeof st);
	data = files_read(path, KNOWNHOSTS_MAX_BYTES, &len, &st);
	if (data == NULL) {
		if (errno == ENOENT) {
			*out = knownhosts_new(path);
			return 0;
		}
		if (errno == EINVAL)
			*cause = xasprintf(_("%s is not a regular file (a directory or a FIFO?): "
			    "confab keeps the hubs' certificates there"), path);
		else if (errno == EFBIG)
			*cause = xasprintf(_("%s is larger than %d KiB: is it really confab's "
			    "known-hosts file?"), path, KNOWNHOSTS_MAX_BYTES / 1024);
		else
			*cause = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		/* whoever can write it can make confab trust any certificate */
		*cause = xasprintf(_("%s can be changed by other users (mode %03o), so confab "
		    "does not trust it; make it private with: chmod 600 %s"), path,
		    (unsigned)(st.st_mode & 0777), path);
		free(data);
		return -1;
	}
	kh = knownhosts_new(path);
	for (p = data; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (memchr(p, '\0', n) != NULL) {
			/* kept as it was; never an entry */
			knownhosts_append(kh, xstrdup("# (a line with a NUL byte was here)"));
			kh->lines[kh->n - 1].bad = true;
			continue;
		}
		knownhosts_append(kh, xstrndup(p, n));
	}
	free(data);
	*out = kh;
	return 0;
}

/* Frees the set. */
void
knownhosts_free(struct knownhosts *kh)
{
	size_t i;

	if (kh == NULL)
		return;
	for (i = 0; i < kh->n; i++) {
		free(kh->lines[i].text);
		free(kh->lines[i].e.host);
	}
	free(kh->lines);
	free(kh->path);
	free(kh);
}

/* The path. */
const char *
knownhosts_path(const struct knownhosts *kh)
{
	return kh->path;
}

/* The first entry for host. */
const struct knownhosts_entry *
knownhosts_find(const struct knownhosts *kh, const char *host)
{
	size_t i;

	for (i = 0; i < kh->n; i++)
		if (kh->lines[i].entry && strcasecmp(kh->lines[i].e.host, host) == 0)
			return &kh->lines[i].e;
	return NULL;
}

/* The text of an entry line. */
static char *
knownhosts_format(const char *host, enum knownhosts_kind kind,
    const unsigned char fp[KNOWNHOSTS_FP_LEN])
{
	char text[KNOWNHOSTS_FP_TEXT];

	knownhosts_fp_format(fp, text);
	return xasprintf("%s %s %s", host, kind == KH_CA ? "ca" : "pinned", text);
}

/* Records host. */
void
knownhosts_set(struct knownhosts *kh, const char *host, enum knownhosts_kind kind,
    const unsigned char fp[KNOWNHOSTS_FP_LEN])
{
	struct knownhosts_line *l;
	size_t i;

	for (i = 0; i < kh->n; i++) {
		l = &kh->lines[i];
		if (l->entry && strcasecmp(l->e.host, host) == 0) {
			free(l->text);
			l->text = knownhosts_format(l->e.host, kind, fp);
			l->e.kind = kind;
			memcpy(l->e.fp, fp, KNOWNHOSTS_FP_LEN);
			return;
		}
	}
	if (kh->n == 0)
		for (i = 0; i < sizeof knownhosts_header / sizeof knownhosts_header[0]; i++)
			knownhosts_append(kh, xstrdup(knownhosts_header[i]));
	l = knownhosts_append(kh, knownhosts_format(host, kind, fp));
	if (!l->entry) {
		/* a host that is no key (cannot come from a parsed URL): never written */
		free(l->text);
		kh->n--;
	}
}

/* Writes the set to its path. */
int
knownhosts_save(struct knownhosts *kh, char **cause)
{
	char *dir, *slash, *text;
	size_t i, len = 0, off = 0;
	int rc;

	dir = xstrdup(kh->path);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (files_mkdirs(dir) != 0) {
			*cause = xasprintf(_("cannot create %s: %s"), dir, strerror(errno));
			free(dir);
			return -1;
		}
	}
	free(dir);
	for (i = 0; i < kh->n; i++)
		len += strlen(kh->lines[i].text) + 1;
	text = xmalloc(len + 1);
	for (i = 0; i < kh->n; i++) {
		size_t n = strlen(kh->lines[i].text);

		memcpy(text + off, kh->lines[i].text, n);
		off += n;
		text[off++] = '\n';
	}
	text[off] = '\0';
	rc = files_replace(kh->path, text, len);
	if (rc != 0)
		*cause = xasprintf(_("cannot write %s: %s"), kh->path, strerror(errno));
	free(text);
	return rc;
}

/* The i-th bad line's number. */
size_t
knownhosts_bad_line(const struct knownhosts *kh, size_t i)
{
	size_t k;

	for (k = 0; k < kh->n; k++)
		if (kh->lines[k].bad && i-- == 0)
			return k + 1;
	return 0;
}

/* The policy: see knownhosts.h. */
enum knownhosts_verdict
knownhosts_decide(const struct knownhosts_entry *known, const unsigned char *trust_fp,
    const struct knownhosts_seen *seen)
{
	bool pinned = known != NULL && known->kind == KH_PINNED;

	if (pinned && memcmp(known->fp, seen->fp, KNOWNHOSTS_FP_LEN) != 0)
		return KV_REFUSE_CHANGED;
	if (trust_fp != NULL && memcmp(trust_fp, seen->fp, KNOWNHOSTS_FP_LEN) != 0)
		return KV_REFUSE_NOT_GIVEN;
	/* the pin or the fingerprint stands for the authority and the name, never for the
	 * dates or the certificate's form */
	if (seen->invalid)
		return KV_REFUSE_INVALID;
	if (seen->time != 0)
		return KV_REFUSE_TIME;
	if (pinned)
		return KV_ACCEPT;
	if (trust_fp != NULL)
		return KV_ACCEPT_PIN;
	if (!seen->trusted)
		return KV_REFUSE_UNTRUSTED;
	if (!seen->name_ok)
		return KV_REFUSE_NAME;
	if (known != NULL && memcmp(known->fp, seen->fp, KNOWNHOSTS_FP_LEN) == 0)
		return KV_ACCEPT;
	return KV_ACCEPT_CA;
}

/* True for the accepting verdicts. */
bool
knownhosts_accepts(enum knownhosts_verdict v)
{
	return v == KV_ACCEPT || v == KV_ACCEPT_CA || v == KV_ACCEPT_PIN;
}
