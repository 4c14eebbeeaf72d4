/* fold.c: case-, accent- and width-insensitive folding of text for search (see fold.h),
 * on ICU's normaliser and case folding. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include "find/fold.h"
#include "util/xalloc.h"

/* True for a code point of the generic combining diacritics blocks (accents on Latin,
 * Greek and Cyrillic letters): these are dropped. Script-specific marks are kept. */
static bool
fold_is_diacritic(UChar32 c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	    (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	    (c >= 0xFE20 && c <= 0xFE2F);
}

/* One step of the folding from src[0..len) into dst (capacity cap): normaliser n, or
 * case folding when n is NULL. Returns the length needed or written. */
static int32_t
fold_step(const UNormalizer2 *n, const UChar *src, int32_t len, UChar *dst, int32_t cap,
    UErrorCode *err)
{
	if (n != NULL)
		return unorm2_normalize(n, src, len, dst, cap, err);
	return u_strFoldCase(dst, cap, src, len, U_FOLD_CASE_DEFAULT, err);
}

/* Runs a step (see fold_step()) over src[0..len) into a new buffer; *outlen gets its
 * length. NULL on an ICU error. */
static UChar *
fold_run(const UNormalizer2 *n, const UChar *src, int32_t len, int32_t *outlen)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = fold_step(n, src, len, NULL, 0, &err);
	UChar *out;

	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	out = xcalloc((size_t)need + 1, sizeof *out);
	err = U_ZERO_ERROR;
	*outlen = fold_step(n, src, len, out, need + 1, &err);
	if (U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	return out;
}

/* Drops the diacritics of u[0..*len) in place. */
static void
fold_strip(UChar *u, int32_t *len)
{
	int32_t i = 0, o = 0, start;
	UChar32 c;

	while (i < *len) {
		start = i;
		U16_NEXT(u, i, *len, c);
		if (fold_is_diacritic(c))
			continue;
		while (start < i)
			u[o++] = u[start++];
	}
	*len = o;
}

/* UTF-16 u[0..len) as a new UTF-8 string, or NULL on an error. */
static char *
fold_to_utf8(const UChar *u, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t need = 0;
	char *out;

	u_strToUTF8(NULL, 0, &need, u, len, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return NULL;
	out = xmalloc((size_t)need + 1);
	err = U_ZERO_ERROR;
	u_strToUTF8(out, need + 1, NULL, u, len, &err);
	if (U_FAILURE(err)) {
		free(out);
		return NULL;
	}
	out[need] = '\0';
	return out;
}

/* UTF-8 s[0..len) as new UTF-16 (invalid bytes become U+FFFD), or NULL on an error. */
static UChar *
fold_from_utf8(const char *s, size_t len, int32_t *outlen)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar *u = xcalloc(len + 1, sizeof *u);   /* never more UTF-16 units than bytes */

	u_strFromUTF8WithSub(u, (int32_t)len + 1, outlen, s, (int32_t)len, 0xFFFD, NULL,
	    &err);
	if (U_FAILURE(err)) {
		free(u);
		return NULL;
	}
	return u;
}

/* Folds s: NFKD, diacritics dropped, case-folded, NFC. */
char *
fold_text(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&err), *nfc;
	UChar *u = NULL, *d = NULL, *f = NULL, *r = NULL;
	int32_t ulen = 0, dlen = 0, flen = 0, rlen = 0;
	size_t len = s != NULL ? strlen(s) : 0;
	char *out = NULL;

	nfc = U_SUCCESS(err) ? unorm2_getNFCInstance(&err) : NULL;
	if (len > FOLD_MAX_INPUT) {
		len = FOLD_MAX_INPUT;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;   /* not in the middle of a character */
	}
	if (U_SUCCESS(err) && len > 0 && (u = fold_from_utf8(s, len, &ulen)) != NULL &&
	    (d = fold_run(nfkd, u, ulen, &dlen)) != NULL) {
		fold_strip(d, &dlen);
		if ((f = fold_run(NULL, d, dlen, &flen)) != NULL &&
		    (r = fold_run(nfc, f, flen, &rlen)) != NULL)
			out = fold_to_utf8(r, rlen);
	}
	free(u);
	free(d);
	free(f);
	free(r);
	return out != NULL ? out : xstrdup("");
}

/* True when the folded needle occurs in s folded. */
bool
fold_contains(const char *s, const char *needle)
{
	char *f;
	bool found;

	if (needle == NULL || needle[0] == '\0')
		return true;
	if (s == NULL || s[0] == '\0')
		return false;
	f = fold_text(s);
	found = strstr(f, needle) != NULL;
	free(f);
	return found;
}
