/* import_html.c: the HTML of abstracts as plain text: paragraphs and line breaks kept,
 * lists as "- item" or "1. item", links as "text (url)", references decoded, every other
 * tag dropped, scripts and styles dropped with their content. Not a full HTML parser:
 * exports use a handful of tags, and whatever else comes is read without harm. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import_int.h"
#include "import/import_text.h"
#include "util/xalloc.h"

/* What a tag does to the text. */
enum import_html_kind {
	IH_INLINE = 0,  /* nothing (b, em, span, ...) */
	IH_PARA,        /* a paragraph of its own */
	IH_LINE,        /* a line of its own */
	IH_BREAK,       /* br */
	IH_LIST,        /* ul, ol */
	IH_ITEM,        /* li */
	IH_CELL,        /* td, th: a space */
	IH_PRE,         /* white space kept */
	IH_LINK,        /* a */
	IH_IMAGE,       /* img: its alt text */
	IH_SKIP         /* script, style: dropped with their content */
};

static const struct {
	const char *name;
	enum import_html_kind kind;
} import_html_tags[] = {
	{ "a", IH_LINK }, { "abbr", IH_INLINE }, { "article", IH_PARA }, { "b", IH_INLINE },
	{ "big", IH_INLINE }, { "blockquote", IH_PARA }, { "br", IH_BREAK },
	{ "caption", IH_LINE }, { "center", IH_LINE }, { "cite", IH_INLINE },
	{ "code", IH_INLINE }, { "dd", IH_LINE }, { "del", IH_INLINE }, { "div", IH_LINE },
	{ "dl", IH_PARA }, { "dt", IH_LINE }, { "em", IH_INLINE }, { "figcaption", IH_LINE },
	{ "figure", IH_PARA }, { "font", IH_INLINE }, { "footer", IH_PARA }, { "h1", IH_PARA },
	{ "h2", IH_PARA }, { "h3", IH_PARA }, { "h4", IH_PARA }, { "h5", IH_PARA },
	{ "h6", IH_PARA }, { "header", IH_PARA }, { "hr", IH_PARA }, { "i", IH_INLINE },
	{ "img", IH_IMAGE }, { "ins", IH_INLINE }, { "kbd", IH_INLINE }, { "li", IH_ITEM },
	{ "mark", IH_INLINE }, { "ol", IH_LIST }, { "p", IH_PARA }, { "pre", IH_PRE },
	{ "q", IH_INLINE }, { "s", IH_INLINE }, { "script", IH_SKIP }, { "section", IH_PARA },
	{ "small", IH_INLINE }, { "span", IH_INLINE }, { "strike", IH_INLINE },
	{ "strong", IH_INLINE }, { "style", IH_SKIP }, { "sub", IH_INLINE },
	{ "sup", IH_INLINE }, { "table", IH_PARA }, { "tbody", IH_INLINE }, { "td", IH_CELL },
	{ "th", IH_CELL }, { "thead", IH_INLINE }, { "tr", IH_LINE }, { "tt", IH_INLINE },
	{ "u", IH_INLINE }, { "ul", IH_LIST },
};

#define IMPORT_HTML_MAX_LISTS 16

/* The conversion's state. */
struct import_html {
	struct import_buf b;
	int pending;            /* line breaks due before the next text: 0, 1 or 2 */
	int space;              /* a space is due before the next text */
	int pre;                /* inside <pre> */
	int nl_breaks;          /* a newline in the text breaks the line (no block tags) */
	int lists[IMPORT_HTML_MAX_LISTS]; /* per open list: -1 unordered, else the count */
	int nlists;
	int item_due;           /* a list marker is due before the next text */
	char *href;             /* the open link's target, or NULL */
	size_t link_start;      /* where its text begins in b */
};

/* Reads a tag name at s (at most len bytes, lower-cased into name[size]); returns its
 * length, or 0. */
static size_t
import_html_name(const char *s, size_t len, char *name, size_t size)
{
	size_t n = 0;

	while (n < len && ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
	    (n > 0 && s[n] >= '0' && s[n] <= '9'))) {
		if (n + 1 < size)
			name[n] = (char)(s[n] | 0x20);
		n++;
	}
	name[n < size ? n : size - 1] = '\0';
	return n;
}

/* The kind of tag name, or -1 when it is not in the list. */
static int
import_html_kind_of(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof import_html_tags / sizeof import_html_tags[0]; i++)
		if (strcmp(import_html_tags[i].name, name) == 0)
			return (int)import_html_tags[i].kind;
	return -1;
}

/* The kind of the listed tag that begins at s (after '<'), or -1. */
static int
import_html_listed(const char *s, size_t len)
{
	char name[16];
	size_t n, off = len > 0 && s[0] == '/';

	n = import_html_name(s + off, len - off, name, sizeof name);
	if (n == 0 || n >= sizeof name || off + n >= len ||
	    strchr(" \t\r\n>/", s[off + n]) == NULL)
		return -1;
	return import_html_kind_of(name);
}

/* True when a listed tag (not script or style) begins at s. */
int
import_html_tag_at(const char *s, size_t len)
{
	int k = import_html_listed(s, len);

	return k >= 0 && k != IH_SKIP;
}

/* True when s holds a tag that breaks lines (then newlines in its text do not). */
static int
import_html_has_blocks(const char *s)
{
	const char *p;
	int k;

	for (p = s; (p = strchr(p, '<')) != NULL; p++) {
		k = import_html_listed(p + 1, strlen(p + 1));
		if (k == IH_PARA || k == IH_LINE || k == IH_BREAK || k == IH_LIST ||
		    k == IH_ITEM || k == IH_PRE)
			return 1;
	}
	return 0;
}

/* Asks for n line breaks before the next text (the most asked for wins). */
static void
import_html_breaks(struct import_html *h, int n)
{
	if (h->pending < n)
		h->pending = n;
}

/* Writes what is due before text: line breaks, a list marker, a space. */
static void
import_html_flush(struct import_html *h)
{
	struct import_buf *b = &h->b;
	char marker[24];
	int have = 0, i;

	if (b->len > 0 && h->pending > 0) {
		while (b->len > 0 && b->s[b->len - 1] == ' ')
			b->s[--b->len] = '\0';
		for (i = (int)b->len - 1; i >= 0 && b->s[i] == '\n'; i--)
			have++;
		for (; have < h->pending; have++)
			import_buf_add(b, "\n", 1);
		h->space = 0;
	}
	h->pending = 0;
	if (h->item_due) {
		for (i = 1; i < h->nlists; i++)
			import_buf_add(b, "  ", 2);
		if (h->nlists > 0 && h->lists[h->nlists - 1] >= 0)
			snprintf(marker, sizeof marker, "%d. ", h->lists[h->nlists - 1]);
		else
			strcpy(marker, "- ");
		import_buf_adds(b, marker);
		h->item_due = 0;
		h->space = 0;
	}
	if (h->space && b->len > 0 && b->s[b->len - 1] != ' ' && b->s[b->len - 1] != '\n')
		import_buf_add(b, " ", 1);
	h->space = 0;
}

/* Text between tags (references not decoded yet). */
static void
import_html_chars(struct import_html *h, const char *s, size_t len)
{
	char *t = import_text_entities(s, len), *p, *q;
	int nl;

	for (p = t; *p != '\0'; p = q) {
		if (h->pre) {
			import_html_flush(h);
			import_buf_adds(&h->b, p);
			break;
		}
		if (strchr(" \t\r\n", *p) == NULL) {
			for (q = p; *q != '\0' && strchr(" \t\r\n", *q) == NULL; q++)
				;
			import_html_flush(h);
			import_buf_add(&h->b, p, (size_t)(q - p));
			continue;
		}
		for (q = p, nl = 0; *q != '\0' && strchr(" \t\r\n", *q) != NULL; q++)
			nl += *q == '\n';
		if (nl >= 2)
			import_html_breaks(h, 2);
		else if (nl == 1 && h->nl_breaks)
			import_html_breaks(h, 1);
		else
			h->space = 1;
	}
	free(t);
}

/* True when the link text t (length n) says what the url u says. */
static int
import_html_same(const char *t, size_t n, const char *u)
{
	size_t ul;

	if (strncmp(u, "http://", 7) == 0 && (n < 7 || strncmp(t, "http://", 7) != 0))
		u += 7;
	else if (strncmp(u, "https://", 8) == 0 && (n < 8 || strncmp(t, "https://", 8) != 0))
		u += 8;
	ul = strlen(u);
	if (ul > 0 && u[ul - 1] == '/' && (n == 0 || t[n - 1] != '/'))
		ul--;
	return ul == n && memcmp(t, u, n) == 0;
}

/* The end of a link: its url after its text, unless the text says it already. */
static void
import_html_link_end(struct import_html *h)
{
	char *href = h->href;
	const char *u = href, *t;
	size_t n;

	h->href = NULL;
	if (u == NULL)
		return;
	if (*u != '\0' && *u != '#' && strncmp(u, "javascript:", 11) != 0) {
		if (strncmp(u, "mailto:", 7) == 0)
			u += 7;
		t = h->b.s != NULL ? h->b.s + h->link_start : "";
		n = h->b.len - h->link_start;
		while (n > 0 && strchr(" \n", *t) != NULL) {
			t++;
			n--;
		}
		if (n == 0) {
			import_html_flush(h);
			import_buf_adds(&h->b, u);
		} else if (!import_html_same(t, n, u)) {
			import_buf_add(&h->b, " (", 2);
			import_buf_adds(&h->b, u);
			import_buf_add(&h->b, ")", 1);
		}
	}
	free(href);
}

/* Reads the attributes of a tag from s up to its '>': the value of want (decoded, new
 * string; NULL when absent). Returns the offset just after the '>', or 0 when the tag
 * does not end. */
static size_t
import_html_attrs(const char *s, const char *want, char **value)
{
	size_t i = 0, n, vs, vl;
	char name[16], q;

	*value = NULL;
	for (;;) {
		while (s[i] != '\0' && strchr(" \t\r\n/", s[i]) != NULL)
			i++;
		if (s[i] == '\0')
			break;
		if (s[i] == '>')
			return i + 1;
		n = import_html_name(s + i, strlen(s + i), name, sizeof name);
		if (n == 0)
			n = 1;          /* a stray character */
		i += n;
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			i++;
		if (s[i] != '=')
			continue;
		i++;
		while (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			i++;
		if (s[i] == '"' || s[i] == '\'') {
			q = s[i++];
			for (vs = i; s[i] != '\0' && s[i] != q; i++)
				;
			vl = i - vs;
			if (s[i] == q)
				i++;
		} else {
			for (vs = i; s[i] != '\0' && strchr(" \t\r\n>", s[i]) == NULL; i++)
				;
			vl = i - vs;
		}
		if (strcmp(name, want) == 0 && *value == NULL)
			*value = import_text_entities(s + vs, vl);
	}
	free(*value);
	*value = NULL;
	return 0;
}

/* Acts on a tag of kind k (closing when close is set); attr is its href or alt. */
static void
import_html_tag(struct import_html *h, int k, int close, char *attr)
{
	long v;

	switch (k) {
	case IH_PARA:
		import_html_breaks(h, h->nlists > 0 ? 1 : 2);
		break;
	case IH_LINE:
		import_html_breaks(h, 1);
		break;
	case IH_BREAK:
		import_html_breaks(h, h->pending >= 1 ? 2 : 1);
		break;
	case IH_LIST:
		if (!close && h->nlists < IMPORT_HTML_MAX_LISTS) {
			/* ordered lists count from their start */
			v = attr != NULL ? strtol(attr, NULL, 10) : 0;
			h->lists[h->nlists++] = attr == NULL ? -1 : v < 1 ? 0 : v > 99999 ?
			    99998 : (int)v - 1;
		} else if (close && h->nlists > 0)
			h->nlists--;
		import_html_breaks(h, h->nlists > 0 ? 1 : 2);
		h->item_due = 0;
		break;
	case IH_ITEM:
		import_html_breaks(h, 1);
		if (!close) {
			h->item_due = 1;
			if (h->nlists > 0 && h->lists[h->nlists - 1] >= 0)
				h->lists[h->nlists - 1]++;
		}
		break;
	case IH_CELL:
		h->space = 1;
		break;
	case IH_PRE:
		import_html_breaks(h, 2);
		h->pre = !close;
		break;
	case IH_LINK:
		if (h->href != NULL)
			import_html_link_end(h);
		if (!close) {
			h->href = attr != NULL ? attr : xstrdup("");
			h->link_start = h->b.len;
			return;
		}
		break;
	case IH_IMAGE:
		if (attr != NULL && *attr != '\0') {
			import_html_flush(h);
			import_buf_adds(&h->b, attr);
		}
		break;
	default:
		break;
	}
	free(attr);
}

/* HTML s as plain text (not tidied). */
char *
import_html_text(const char *s)
{
	struct import_html h;
	const char *p = s, *lt, *end;
	char name[16], *attr, *closer;
	size_t n, used;
	int k, close;

	memset(&h, 0, sizeof h);
	h.nl_breaks = !import_html_has_blocks(s);
	while (*p != '\0') {
		if ((lt = strchr(p, '<')) == NULL)
			lt = p + strlen(p);
		if (lt > p)
			import_html_chars(&h, p, (size_t)(lt - p));
		if (*lt == '\0')
			break;
		p = lt;
		if (strncmp(p, "<!--", 4) == 0) {       /* a comment */
			end = strstr(p + 4, "-->");
			p = end != NULL ? end + 3 : p + strlen(p);
			continue;
		}
		if (p[1] == '!' || p[1] == '?') {       /* <!DOCTYPE>, <?xml?>, <![CDATA[ */
			end = strchr(p, '>');
			p = end != NULL ? end + 1 : p + strlen(p);
			continue;
		}
		close = p[1] == '/';
		n = import_html_name(p + 1 + close, strlen(p + 1 + close), name, sizeof name);
		k = n > 0 && n < sizeof name ? import_html_kind_of(name) : -1;
		used = n > 0 ? import_html_attrs(p + 1 + close + n, k == IH_IMAGE ? "alt" :
		    k == IH_LIST ? "start" : "href", &attr) : 0;
		if (used == 0) {        /* not a tag: a '<' in the text */
			import_html_chars(&h, "<", 1);
			p++;
			continue;
		}
		p += 1 + close + n + used;
		if (k == IH_LIST && strcmp(name, "ol") != 0) {
			free(attr);
			attr = NULL;
		} else if (k == IH_LIST && attr == NULL)
			attr = xstrdup("1");    /* an ordered list, numbered from 1 */
		if (k == IH_SKIP && !close) {
			char want[20];

			snprintf(want, sizeof want, "</%s", name);
			closer = strcasestr(p, want);
			free(attr);
			if (closer != NULL) {
				end = strchr(closer, '>');
				p = end != NULL ? end + 1 : closer + strlen(closer);
			}
			continue;
		}
		if (k < 0) {
			free(attr);
			continue;
		}
		import_html_tag(&h, k, close, attr);
	}
	if (h.href != NULL)
		import_html_link_end(&h);
	return import_buf_take(&h.b);
}
