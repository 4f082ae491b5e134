/* i18n.c: locale and gettext set-up. */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "core/i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

void
aw_i18n_init(void)
{
	setlocale(LC_ALL, "");
#ifdef ENABLE_NLS
	{
		/* AW_LOCALEDIR lets the tests and `make demo` use the catalogs
		 * built in the source tree before `make install`. */
		const char *dir = getenv("AW_LOCALEDIR");

		bindtextdomain("authwizard", dir && *dir ? dir : LOCALEDIR);
		bind_textdomain_codeset("authwizard", "UTF-8");
		textdomain("authwizard");
	}
#endif
}
