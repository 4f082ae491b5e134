/* i18n.h: gettext macros. Every user-facing string goes through _(). */
#ifndef AW_I18N_H
#define AW_I18N_H

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#define P_(s, p, n) ngettext((s), (p), (n))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* Set the locale and bind the text domain; call once from main. */
void aw_i18n_init(void);

#endif
