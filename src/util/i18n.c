/* i18n.c: locale and gettext set-up. */

#include <locale.h>

#include "util/i18n.h"

/* Binds the text domain and sets the locale from the environment. */
void
i18n_init(void)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
}
