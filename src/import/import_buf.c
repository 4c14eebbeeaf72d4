/* import_buf.c: a growing string, for the text the importers write. */

#include <string.h>

#include "import/import_int.h"
#include "util/xalloc.h"

/* Appends n bytes of s to b. */
void
import_buf_add(struct import_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* Appends the NUL-terminated s to b. */
void
import_buf_adds(struct import_buf *b, const char *s)
{
	import_buf_add(b, s, strlen(s));
}

/* The text of b as a new string ("" when empty); b is emptied. */
char *
import_buf_take(struct import_buf *b)
{
	char *s = b->s != NULL ? b->s : xstrdup("");

	memset(b, 0, sizeof *b);
	return s;
}
