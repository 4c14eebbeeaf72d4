/* i18n.h: gettext macros; they vanish when NLS is disabled. */
#ifndef CONFAB_I18N_H
#define CONFAB_I18N_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* Binds the text domain and sets the locale from the environment. */
void i18n_init(void);

#endif
