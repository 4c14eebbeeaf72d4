/* import_kinds.c: session kinds from the words of an event's type, track and title: the
 * built-in mapping and the operator's own (confabd --kinds FILE), in one text format. */

#include <stdlib.h>
#include <string.h>

#include "import/import_kinds.h"
#include "util/i18n.h"
#include "util/files.h"
#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#define IMPORT_KINDS_MAX_FILE (256 * 1024)
#define IMPORT_KINDS_MAX_RULES 1000
#define IMPORT_KINDS_MAX_LINE 1000
#define IMPORT_KINDS_MAX_WORDS 8
/* Words of a field looked at (a title has fewer). */
#define IMPORT_KINDS_FIELD_WORDS 64

/* The fields a rule looks at. */
enum {
	IMPORT_KF_TYPE = 1,
	IMPORT_KF_TRACK = 2,
	IMPORT_KF_TITLE = 4,
	IMPORT_KF_ANY = 7
};

/* One rule: FIELD WORDS... -> KIND. */
struct import_kind_rule {
	int fields;
	char *words[IMPORT_KINDS_MAX_WORDS];   /* folded; "" with prefix set: any word */
	int prefix[IMPORT_KINDS_MAX_WORDS];    /* the word ended in '*' */
	size_t nwords;
	enum session_kind kind;
};

struct import_kinds {
	struct import_kind_rule *rules;
	size_t n;
};

/* The built-in mapping (documented in doc/PROGRAM.md, "Kinds"). */
static const char import_kinds_text[] =
    "# confabd's built-in kinds mapping. Rules given with --kinds come first; the first\n"
    "# rule that matches decides; a session that no rule matches is a talk.\n"
    "type  lightning*          -> lightning\n"
    "type  pitch*              -> pitches\n"
    "type  panel*              -> panel\n"
    "type  podium*             -> panel\n"
    "type  discussion*         -> discussion\n"
    "type  diskussion*         -> discussion\n"
    "type  gespr\xc3\xa4" "ch            -> discussion\n"
    "type  bof                 -> discussion\n"
    "type  meetup*             -> discussion\n"
    "type  meeting*            -> discussion\n"
    "type  break*              -> break\n"
    "type  pause               -> break\n"
    "title lightning*          -> lightning\n"
    "title pitches             -> pitches\n"
    "title pitch session*      -> pitches\n"
    "title panel*              -> panel\n"
    "title podium*             -> panel\n"
    "title roundtable*         -> panel\n"
    "title round table*        -> panel\n"
    "title open discussion*    -> discussion\n"
    "title bof                 -> discussion\n"
    "title birds of a feather  -> discussion\n"
    "title fishbowl            -> discussion\n"
    "title open space*         -> discussion\n"
    "title break               -> break\n"
    "title lunch*              -> break\n"
    "title breakfast           -> break\n"
    "title dinner              -> break\n"
    "title pause               -> break\n"
    "title mittagspause        -> break\n"
    "track lightning*          -> lightning\n"
    "track panel*              -> panel\n"
    "track discussion*         -> discussion\n"
    "track bof*                -> discussion\n";

static struct import_kinds *import_kinds_builtin_rules;

/* The built-in mapping, as text. */
const char *
import_kinds_builtin(void)
{
	return import_kinds_text;
}

/* Folds the case of code point cp: ASCII, Latin-1, Greek and Cyrillic capitals. */
static uint32_t
import_kinds_fold_cp(uint32_t cp)
{
	if ((cp >= 'A' && cp <= 'Z') || (cp >= 0xc0 && cp <= 0xde && cp != 0xd7) ||
	    (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) || (cp >= 0x410 && cp <= 0x42f))
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	return cp;
}

/* True when code point cp belongs to a word (letters and digits; punctuation, spaces
 * and symbols separate words). */
static int
import_kinds_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
		    (cp >= '0' && cp <= '9');
	return !(cp <= 0xbf || cp == 0xd7 || cp == 0xf7 || (cp >= 0x2000 && cp <= 0x2bff) ||
	    (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
	    (cp >= 0xff00 && cp <= 0xff0f) || cp == 0xfffd);
}

/* Splits s into at most max folded words (new strings, into words); returns how many. */
static size_t
import_kinds_words(const char *s, char **words, size_t max)
{
	const char *p = s, *end = s + strlen(s);
	char buf[256], enc[4];
	size_t n = 0, len = 0, k;
	uint32_t cp;

	while (n < max) {
		int word = 0;

		if (p < end) {
			utf8_decode(&p, end, &cp);
			word = import_kinds_word_cp(cp);
		}
		if (word) {
			k = utf8_encode(import_kinds_fold_cp(cp), enc);
			if (len + k < sizeof buf) {
				memcpy(buf + len, enc, k);
				len += k;
			}
			continue;
		}
		if (len > 0) {
			words[n++] = xstrndup(buf, len);
			len = 0;
		}
		if (p >= end)
			break;
	}
	return n;
}

/* Frees the contents of rule r. */
static void
import_kinds_rule_clear(struct import_kind_rule *r)
{
	size_t i;

	for (i = 0; i < r->nwords; i++)
		free(r->words[i]);
	r->nwords = 0;
}

/* Frees a mapping. */
void
import_kinds_free(struct import_kinds *k)
{
	size_t i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		import_kinds_rule_clear(&k->rules[i]);
	free(k->rules);
	free(k);
}

/* Reads one rule from the tokens tok[0..n); sets *why (a static English message, to be
 * translated) on error. */
static int
import_kinds_rule(char **tok, size_t n, struct import_kind_rule *r, const char **why,
    const char **what)
{
	static const struct {
		const char *name;
		int fields;
	} fields[] = {
		{ "type", IMPORT_KF_TYPE }, { "track", IMPORT_KF_TRACK },
		{ "title", IMPORT_KF_TITLE }, { "any", IMPORT_KF_ANY },
	};
	size_t i, arrow = n, len, nw;
	char *w[2];

	memset(r, 0, sizeof *r);
	for (i = 0; i < n; i++)
		if (strcmp(tok[i], "->") == 0 && arrow == n)
			arrow = i;
	if (arrow < 2 || arrow + 2 != n) {
		*why = N_("expected FIELD WORDS... -> KIND");
		return -1;
	}
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(tok[0], fields[i].name) == 0)
			r->fields = fields[i].fields;
	if (r->fields == 0) {
		*why = N_("unknown field \"%s\" (expected type, track, title or any)");
		*what = tok[0];
		return -1;
	}
	if (session_kind_parse(tok[n - 1], &r->kind) != 0) {
		*why = N_("unknown kind \"%s\" (expected panel, talk, lightning, pitches, "
		    "discussion or break)");
		*what = tok[n - 1];
		return -1;
	}
	if (arrow - 1 > IMPORT_KINDS_MAX_WORDS) {
		*why = N_("more than 8 words");
		return -1;
	}
	for (i = 1; i < arrow; i++) {
		len = strlen(tok[i]);
		r->prefix[r->nwords] = len > 0 && tok[i][len - 1] == '*';
		if (r->prefix[r->nwords])
			tok[i][--len] = '\0';
		if (r->prefix[r->nwords] && len == 0) {
			r->words[r->nwords++] = xstrdup("");    /* "*": any word */
			continue;
		}
		nw = import_kinds_words(tok[i], w, 2);
		if (nw != 1) {
			while (nw > 0)
				free(w[--nw]);
			*why = N_("\"%s\" is not one word (letters and digits, maybe ending in '*')");
			*what = tok[i];
			import_kinds_rule_clear(r);
			return -1;
		}
		r->words[r->nwords++] = w[0];
	}
	return 0;
}

/* Splits line (modified) into whitespace-separated tokens, up to a '#' that begins one;
 * returns how many (at most max; max + 1 when there are more). */
static size_t
import_kinds_tokens(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			return n;
		if (n == max)
			return max + 1;
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* Parses rules from text[0..len). */
struct import_kinds *
import_kinds_parse(const char *text, size_t len, const char *name, char **cause)
{
	struct import_kinds *k = xcalloc(1, sizeof *k);
	const char *line = text, *end = text + len, *nl, *why = NULL, *what = NULL;
	char *copy = NULL, *tok[IMPORT_KINDS_MAX_WORDS + 4], *safe, *msg;
	size_t lineno = 0, n, cap = 0;

	for (; line < end && why == NULL; line = nl < end ? nl + 1 : end) {
		lineno++;
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			nl = end;
		if (nl - line > IMPORT_KINDS_MAX_LINE) {
			why = N_("line longer than 1000 bytes");
			break;
		}
		if (!utf8_valid(line, (size_t)(nl - line)) ||
		    memchr(line, '\0', (size_t)(nl - line)) != NULL) {
			why = N_("not UTF-8 text");
			break;
		}
		free(copy);
		copy = xstrndup(line, (size_t)(nl - line));
		n = import_kinds_tokens(copy, tok, sizeof tok / sizeof tok[0]);
		if (n == 0)
			continue;
		if (k->n == IMPORT_KINDS_MAX_RULES)
			why = N_("more than 1000 rules");
		else if (n > sizeof tok / sizeof tok[0])
			why = N_("more than 8 words");
		else {
			if (k->n == cap) {
				cap = cap ? cap * 2 : 16;
				k->rules = xreallocarray(k->rules, cap, sizeof *k->rules);
			}
			if (import_kinds_rule(tok, n, &k->rules[k->n], &why, &what) == 0)
				k->n++;
		}
	}
	if (why == NULL) {
		free(copy);
		return k;
	}
	safe = what != NULL ? sanitize_str(what) : NULL;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	msg = safe != NULL ? xasprintf(_(why), safe) : xstrdup(_(why));
#pragma GCC diagnostic pop
	if (cause != NULL)
		*cause = xasprintf("%s:%zu: %s", name, lineno, msg);
	free(msg);
	free(safe);
	free(copy);
	import_kinds_free(k);
	return NULL;
}

/* Reads a kinds file. */
struct import_kinds *
import_kinds_load(const char *path, char **cause)
{
	struct import_kinds *k;
	char *text, *why = NULL;
	size_t len;

	if ((text = files_read_plain(path, IMPORT_KINDS_MAX_FILE, &len, &why)) == NULL) {
		if (cause != NULL)
			*cause = xasprintf("%s: %s", path, why);
		free(why);
		return NULL;
	}
	k = import_kinds_parse(text, len, path, cause);
	free(text);
	return k;
}

/* True when rule r matches the words w[0..n). */
static int
import_kinds_match(const struct import_kind_rule *r, char **w, size_t n)
{
	size_t i, j, len;

	for (i = 0; i + r->nwords <= n; i++) {
		for (j = 0; j < r->nwords; j++) {
			len = strlen(r->words[j]);
			if (r->prefix[j] ? strncmp(w[i + j], r->words[j], len) != 0 :
			    strcmp(w[i + j], r->words[j]) != 0)
				break;
		}
		if (j == r->nwords)
			return 1;
	}
	return 0;
}

/* The first rule of k that matches the fields' words; 0 and *kind, or -1. */
static int
import_kinds_first(const struct import_kinds *k, char **words[3], const size_t nw[3],
    enum session_kind *kind)
{
	static const int bit[3] = { IMPORT_KF_TYPE, IMPORT_KF_TRACK, IMPORT_KF_TITLE };
	size_t i, f;

	for (i = 0; k != NULL && i < k->n; i++) {
		for (f = 0; f < 3; f++) {
			if ((k->rules[i].fields & bit[f]) &&
			    import_kinds_match(&k->rules[i], words[f], nw[f])) {
				*kind = k->rules[i].kind;
				return 0;
			}
		}
	}
	return -1;
}

/* The kind of a session with these fields. */
enum session_kind
import_kinds_classify(const struct import_kinds *k, const char *type, const char *track,
    const char *title)
{
	char *w[3][IMPORT_KINDS_FIELD_WORDS], **words[3] = { w[0], w[1], w[2] }, *cause = NULL;
	const char *fields[3] = { type, track, title };
	enum session_kind kind = SK_TALK;
	size_t nw[3], f, i;

	if (import_kinds_builtin_rules == NULL) {
		import_kinds_builtin_rules = import_kinds_parse(import_kinds_text,
		    strlen(import_kinds_text), "builtin", &cause);
		if (import_kinds_builtin_rules == NULL)
			abort();        /* the built-in text is ours: cannot happen */
	}
	for (f = 0; f < 3; f++)
		nw[f] = fields[f] != NULL ? import_kinds_words(fields[f], w[f],
		    IMPORT_KINDS_FIELD_WORDS) : 0;
	if (import_kinds_first(k, words, nw, &kind) != 0)
		(void)import_kinds_first(import_kinds_builtin_rules, words, nw, &kind);
	for (f = 0; f < 3; f++)
		for (i = 0; i < nw[f]; i++)
			free(w[f][i]);
	return kind;
}
