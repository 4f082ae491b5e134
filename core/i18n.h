/* i18n.h: gettext macros. Every user-facing string goes through _(). */
#ifndef AW_I18N_H
#define AW_I18N_H

/* The locale and the text domain are set when first needed (issue 16:
 * "translations loaded when first used"): by the first message, the
 * first system error text (aw_strerror), or aw_i18n_init. A check's
 * first queries go out before it: setlocale alone was about 1 ms of
 * every start on a virtual machine (locale-archive, locale.alias, the
 * category files). */
#ifdef ENABLE_NLS
#define _(s) aw_gettext(s)
#define P_(s, p, n) aw_ngettext((s), (p), (n))
/* format_arg, as glibc's gettext has: printf(_("%s"), x) is checked
 * against the msgid (-Wformat), and the call is no non-literal format
 * (-Wformat-security). */
char *aw_gettext(const char *msgid) __attribute__((format_arg(1)));
char *aw_ngettext(const char *msgid, const char *plural, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* Sets the locale and binds the text domain, once; later calls return
 * at once. Call it before anything that depends on the locale and is
 * not a message (curses, wide characters, a library's own texts). */
void aw_i18n_init(void);
/* strerror(errnum) in the user's language (the locale set first). */
const char *aw_strerror(int errnum);

#endif
