/* i18n.h: gettext macros; they vanish when NLS is disabled. */
#ifndef CONFAB_I18N_H
#define CONFAB_I18N_H

#include "config.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
/* C_("context", "text"): a string whose English is shared by different meanings. */
#define C_(ctx, s) i18n_pgettext(ctx "\004" s, (s))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#define C_(ctx, s) (s)
#endif
#define N_(s) (s)

/* Binds the text domain and sets the locale from the environment. */
void i18n_init(void);

#ifdef ENABLE_NLS
/* The translation of key ("context\004text"), or s when there is none (borrowed). */
const char *i18n_pgettext(const char *key, const char *s) __attribute__((format_arg(2)));
#endif

#endif
