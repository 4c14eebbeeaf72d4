/* tlscert.c: certificates in words (fingerprint, names, issuer, dates) and PEM files read
 * without prompting, for the client's checks and for confabd's certificate and key. */
#include "util/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "net/tlscert.h"
#include "util/files.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define TLSCERT_MAX_FILE (1024 * 1024) /* certificate and key files are far smaller */
#define TLSCERT_MAX_NAMES 4            /* names shown before "..." */

/* The passphrase callback: never prompt (an encrypted key simply fails to load). */
static int
tlscert_no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* Reads path whole into a new buffer, or NULL with *cause (naming the file). */
static char *
tlscert_slurp(const char *path, size_t *len, struct stat *st, char **cause)
{
	char *data = files_read(path, TLSCERT_MAX_FILE, len, st);

	if (data != NULL)
		return data;
	if (errno == EINVAL)
		*cause = xasprintf(_("%s is not a regular file"), path);
	else if (errno == EFBIG)
		*cause = xasprintf(_("%s is larger than %d KiB: not a certificate or key file"),
		    path, TLSCERT_MAX_FILE / 1024);
	else
		*cause = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
	return NULL;
}

/* Reads a PEM certificate file. */
X509 *
tlscert_read(const char *path, int *count, char **cause)
{
	X509 *first = NULL, *x;
	size_t len = 0;
	char *data;
	BIO *bio;
	int n = 0;

	if ((data = tlscert_slurp(path, &len, NULL, cause)) == NULL)
		return NULL;
	bio = BIO_new_mem_buf(data, (int)len);
	while (bio != NULL &&
	    (x = PEM_read_bio_X509(bio, NULL, tlscert_no_passphrase, NULL)) != NULL) {
		if (first == NULL)
			first = x;
		else
			X509_free(x);
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	free(data);
	if (first == NULL) {
		*cause = xasprintf(_("%s holds no certificate in PEM form (\"-----BEGIN "
		    "CERTIFICATE-----\")"), path);
		return NULL;
	}
	if (count != NULL)
		*count = n;
	return first;
}

/* Reads a PEM private key that needs no passphrase; NULL with *cause. */
static EVP_PKEY *
tlscert_read_key(const char *path, bool *others_read, char **cause)
{
	EVP_PKEY *key = NULL;
	struct stat st;
	size_t len = 0;
	char *data;
	BIO *bio;

	memset(&st, 0, sizeof st);
	if ((data = tlscert_slurp(path, &len, &st, cause)) == NULL)
		return NULL;
	*others_read = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
	bio = BIO_new_mem_buf(data, (int)len);
	if (bio != NULL)
		key = PEM_read_bio_PrivateKey(bio, NULL, tlscert_no_passphrase, NULL);
	ERR_clear_error();
	BIO_free(bio);
	if (key == NULL && strstr(data, "ENCRYPTED") != NULL)
		*cause = xasprintf(_("%s is encrypted, and confabd cannot ask for its "
		    "passphrase: write it decrypted (openssl pkey -in %s -out NEWFILE) and keep "
		    "that file private"), path, path);
	else if (key == NULL)
		*cause = xasprintf(_("%s holds no private key in PEM form (\"-----BEGIN "
		    "PRIVATE KEY-----\")"), path);
	OPENSSL_cleanse(data, len);
	free(data);
	return key;
}

/* Checks a hub's certificate and key files. */
int
tlscert_check_pair(const char *cert_path, const char *key_path, struct tlscert_info *info,
    char **cause)
{
	unsigned char fp[KNOWNHOSTS_FP_LEN];
	bool others_read = false;
	EVP_PKEY *key;
	X509 *x;
	int day = 0, sec = 0;

	memset(info, 0, sizeof *info);
	if ((x = tlscert_read(cert_path, NULL, cause)) == NULL)
		return -1;
	if ((key = tlscert_read_key(key_path, &others_read, cause)) == NULL) {
		X509_free(x);
		return -1;
	}
	if (X509_check_private_key(x, key) != 1) {
		ERR_clear_error();
		*cause = xasprintf(_("the key in %s does not belong to the certificate in %s"),
		    key_path, cert_path);
		EVP_PKEY_free(key);
		X509_free(x);
		return -1;
	}
	EVP_PKEY_free(key);
	tlscert_fingerprint(x, fp);
	knownhosts_fp_format(fp, info->fp);
	tlscert_date(X509_get0_notBefore(x), info->not_before, sizeof info->not_before);
	tlscert_date(X509_get0_notAfter(x), info->not_after, sizeof info->not_after);
	info->names = tlscert_names(x);
	info->self_signed = tlscert_self_signed(x);
	info->time = tlscert_time(x);
	if (info->time == 0 && ASN1_TIME_diff(&day, &sec, NULL, X509_get0_notAfter(x)) == 1)
		info->days_left = day;
	info->key_others_read = others_read;
	X509_free(x);
	return 0;
}

/* Frees info's strings. */
void
tlscert_info_clear(struct tlscert_info *info)
{
	free(info->names);
	memset(info, 0, sizeof *info);
}

/* The SHA-256 fingerprint of x. */
void
tlscert_fingerprint(X509 *x, unsigned char fp[KNOWNHOSTS_FP_LEN])
{
	unsigned int n = KNOWNHOSTS_FP_LEN;

	if (X509_digest(x, EVP_sha256(), fp, &n) != 1 || n != KNOWNHOSTS_FP_LEN)
		memset(fp, 0, KNOWNHOSTS_FP_LEN);
}

/* An ASN.1 time in UTC, to the minute. */
void
tlscert_date(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min);
}

/* Now against x's dates. */
int
tlscert_time(X509 *x)
{
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0)
		return -1;
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0)
		return 1;
	return 0;
}

/* Appends one name (len bytes, from the certificate) to *list, sanitised. */
static void
tlscert_add_name(char **list, const char *name, size_t len)
{
	char *safe = sanitize_text(name, len, 0), *joined;

	joined = *list == NULL ? xstrdup(safe) : xasprintf("%s, %s", *list, safe);
	free(*list);
	free(safe);
	*list = joined;
}

/* The common name of a name, as a new sanitised string, or NULL. */
static char *
tlscert_cn(const X509_NAME *name)
{
	const X509_NAME_ENTRY *e;
	unsigned char *utf8 = NULL;
	char *s;
	int i, n;

	if (name == NULL || (i = X509_NAME_get_index_by_NID(name, NID_commonName, -1)) < 0)
		return NULL;
	e = X509_NAME_get_entry(name, i);
	if (e == NULL || (n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e))) < 0)
		return NULL;
	s = sanitize_text((const char *)utf8, (size_t)n, 0);
	OPENSSL_free(utf8);
	return s;
}

/* The names x is made out for. */
char *
tlscert_names(X509 *x)
{
	GENERAL_NAMES *sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	char *list = NULL, addr[INET6_ADDRSTRLEN];
	int i, n = sans != NULL ? sk_GENERAL_NAME_num(sans) : 0, shown = 0;

	for (i = 0; i < n; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(sans, i);
		const unsigned char *d;
		int len;

		if (g->type != GEN_DNS && g->type != GEN_IPADD)
			continue;
		if (shown == TLSCERT_MAX_NAMES) {
			tlscert_add_name(&list, "...", 3);
			break;
		}
		d = ASN1_STRING_get0_data(g->d.ia5);
		len = ASN1_STRING_length(g->d.ia5);
		if (g->type == GEN_DNS)
			tlscert_add_name(&list, (const char *)d, (size_t)len);
		else if ((len == 4 || len == 16) &&
		    inet_ntop(len == 4 ? AF_INET : AF_INET6, d, addr, sizeof addr) != NULL)
			tlscert_add_name(&list, addr, strlen(addr));
		else
			continue;
		shown++;
	}
	GENERAL_NAMES_free(sans);
	if (list == NULL)
		list = tlscert_cn(X509_get_subject_name(x));
	return list != NULL ? list : xstrdup("?");
}

/* Who issued x. */
char *
tlscert_issuer(X509 *x)
{
	char *cn = tlscert_cn(X509_get_issuer_name(x)), *line, *s;

	if (cn != NULL)
		return cn;
	line = X509_NAME_oneline(X509_get_issuer_name(x), NULL, 0);
	s = sanitize_str(line != NULL ? line : "?");
	OPENSSL_free(line);
	return s;
}

/* True when x is self-signed. */
bool
tlscert_self_signed(X509 *x)
{
	bool self = X509_check_issued(x, x) == X509_V_OK;

	ERR_clear_error();
	return self;
}
