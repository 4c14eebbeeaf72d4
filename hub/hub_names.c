/* hub_names.c: names that look alike are one name, and names that imitate confab's own
 * lines are refused.
 *
 * A name's key is the Unicode TR39 skeleton (ICU's spoof checker, uspoof_getSkeleton) of
 * its NFKC case fold: case, width, compatibility forms and confusable letters all give the
 * same key ("Alice", "ALICE", "Ａｌｉｃｅ" and "Аlice" with a Cyrillic А are one name).
 * Invisible characters (default ignorables such as zero-width joiners) and bidi controls
 * are refused outright rather than folded away, so that what others read is what was
 * typed. Also: SHA-256 of secrets (OpenSSL) and constant-time token comparison. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "hub/hub_int.h"
#include "util/xalloc.h"

#define HUB_NAMES_CAP (PROTO_MAX_NAME * 8)  /* UTF-16 units: folds and skeletons grow */

/* Names confab's own lines use (compared by key). */
static const char *const hub_names_reserved[] = {
	"confab", "confabd", "system", "server", "hub", "notice", "timer", "schedule",
	"lineup", "facilitator", "moderator", "announcement", "admin",
};

#define HUB_NAMES_NRESERVED (sizeof hub_names_reserved / sizeof hub_names_reserved[0])

static USpoofChecker *hub_names_checker;
static char *hub_names_reserved_keys[HUB_NAMES_NRESERVED];

/* Closes the spoof checker and frees the reserved keys at exit. */
static void
hub_names_cleanup(void)
{
	size_t k;

	uspoof_close(hub_names_checker);
	hub_names_checker = NULL;
	for (k = 0; k < HUB_NAMES_NRESERVED; k++) {
		free(hub_names_reserved_keys[k]);
		hub_names_reserved_keys[k] = NULL;
	}
}

/* The skeleton of the NFKC case fold of UTF-8 s as new UTF-8, or NULL. */
static char *
hub_names_skeleton(const char *s)
{
	UChar in[HUB_NAMES_CAP], folded[HUB_NAMES_CAP], skel[HUB_NAMES_CAP * 2];
	const UNormalizer2 *nfkc;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n, fn, sn, outlen;
	char *out;

	u_strFromUTF8(in, HUB_NAMES_CAP, &n, s, -1, &err);
	if (U_FAILURE(err))
		return NULL;
	nfkc = unorm2_getNFKCCasefoldInstance(&err);
	if (U_FAILURE(err))
		return NULL;
	fn = unorm2_normalize(nfkc, in, n, folded, HUB_NAMES_CAP, &err);
	if (U_FAILURE(err))
		return NULL;
	if (hub_names_checker == NULL) {
		hub_names_checker = uspoof_open(&err);
		if (U_FAILURE(err))
			return NULL;
		atexit(hub_names_cleanup);
	}
	sn = uspoof_getSkeleton(hub_names_checker, 0, folded, fn, skel, HUB_NAMES_CAP * 2, &err);
	if (U_FAILURE(err))
		return NULL;
	out = xmalloc((size_t)sn * 3 + 1);
	u_strToUTF8(out, sn * 3 + 1, &outlen, skel, sn, &err);
	if (U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	return out;
}

/* The look-alike key of a valid name: a new string. */
char *
hub_name_key(const char *name)
{
	char *key = hub_names_skeleton(name);

	/* ICU failed on a name that passed the checks: fall back to the name itself */
	return key != NULL ? key : xstrdup(name);
}

/* PE_NONE, or why name cannot be held. */
enum proto_err
hub_name_check(const char *name, const char **why)
{
	UChar in[HUB_NAMES_CAP];
	UErrorCode err = U_ZERO_ERROR;
	int32_t n, i = 0;
	UChar32 c;
	char *key, *word;
	size_t k;

	u_strFromUTF8(in, HUB_NAMES_CAP, &n, name, -1, &err);
	if (U_FAILURE(err) || n == 0) {
		*why = "not valid UTF-8";
		return PE_BAD_NAME;
	}
	while (i < n) {
		U16_NEXT(in, i, n, c);
		if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
		    u_charType(c) == U_FORMAT_CHAR) {
			*why = "invisible characters are not allowed in names";
			return PE_BAD_NAME;
		}
		if (u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL)) {
			*why = "bidi controls are not allowed in names";
			return PE_BAD_NAME;
		}
		if (u_isspace(c) || u_iscntrl(c)) {
			*why = "spaces and controls are not allowed in names";
			return PE_BAD_NAME;
		}
	}
	if (strchr("[](){}<>*-!#/@~+=|\\'\"`.:;,", name[0]) != NULL) {
		*why = "a name must not start with punctuation (it would look like confab's own "
		    "lines)";
		return PE_BAD_NAME;
	}
	if ((key = hub_names_skeleton(name)) == NULL) {
		*why = "not a name Unicode can compare";
		return PE_BAD_NAME;
	}
	for (k = 0; k < HUB_NAMES_NRESERVED; k++) {
		if (hub_names_reserved_keys[k] == NULL)
			hub_names_reserved_keys[k] = hub_names_skeleton(hub_names_reserved[k]);
		word = hub_names_reserved_keys[k];
		if (word != NULL && strcmp(word, key) == 0) {
			free(key);
			*why = "that name is reserved for confab's own lines";
			return PE_BAD_NAME;
		}
	}
	free(key);
	return PE_NONE;
}

/* SHA-256 of s as hex. */
void
hub_hash_hex(const char *s, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0, i;

	if (EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL) != 1 || len != 32) {
		memset(out, '0', HUB_HASH_HEX);
		out[HUB_HASH_HEX] = '\0';
		return;
	}
	for (i = 0; i < len; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[2 * len] = '\0';
}

/* Constant-time string equality (the time depends on the lengths only). */
bool
hub_token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = 0;

	if (lb == 0)
		return la == 0;
	for (i = 0; i < la; i++)
		diff |= (unsigned char)a[i] ^ (unsigned char)b[i % lb];
	return la == lb && diff == 0;
}
