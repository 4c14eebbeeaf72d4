/* import_text.h: the text of imported programs made readable as plain text.
 *
 * Exports carry abstracts as HTML (frab: "<p>", "<a href>"), as HTML escaped once more
 * ("&lt;p&gt;", FOSDEM's XML seen through a second escape), or as Markdown (pretalx). All
 * of them become plain text: paragraphs separated by one empty line, list items as
 * "- item" (numbered ones keep their number), links as "text (url)", character
 * references decoded, emphasis and tags dropped. Plain text passes through with its lines
 * kept. */
#ifndef CONFAB_IMPORT_TEXT_H
#define CONFAB_IMPORT_TEXT_H

#include <stddef.h>

/* The plain text of an abstract or description s (UTF-8; ill-formed bytes become
 * U+FFFD): a new string, without leading or trailing blank lines. */
char *import_text_clean(const char *s);

/* One line of plain text (titles, names, rooms): character references decoded, tags
 * dropped, every run of white space (newlines too) made one space, trimmed. New string. */
char *import_text_line(const char *s);

/* Cuts the string s in place to at most max bytes (max >= 8), at a character boundary and
 * preferably after a word, ending it with "..." (U+2026). Returns 1 when it cut, 0 when s
 * already fitted. */
int import_text_cut(char *s, size_t max);

/* Decodes the character references of s[0..len) ("&amp;", "&eacute;", "&#8211;",
 * "&#x2013;"); unknown or malformed ones stay as they are. New string. */
char *import_text_entities(const char *s, size_t len);

#endif
