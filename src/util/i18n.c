/* i18n.c: locale and gettext set-up. */

#include <locale.h>
#include <stdlib.h>

#include "util/i18n.h"

/*
 * Binds the text domain and sets the locale from the environment. CONFAB_LOCALEDIR, when
 * set and not empty, replaces the installed catalog directory: the tests use it to run the
 * programs of the build tree with catalogs compiled from po/, before anything is installed.
 */
void
i18n_init(void)
{
#ifdef ENABLE_NLS
	const char *dir;
#endif

	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	dir = getenv("CONFAB_LOCALEDIR");
	bindtextdomain(PACKAGE, dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR);
	textdomain(PACKAGE);
#endif
}

#ifdef ENABLE_NLS
/* The translation of key ("context\004text"), or s when there is none (borrowed). */
const char *
i18n_pgettext(const char *key, const char *s)
{
	const char *t = gettext(key);

	return t == key ? s : t;
}
#endif
