/* i18n.c: locale and gettext set-up. */
#include "config.h"

#include <dirent.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/datadir.h"
#include "core/i18n.h"

#ifdef ENABLE_NLS
#include <libintl.h>
#endif

#ifdef ENABLE_NLS
/* True when DIR holds a catalog of ours in some language. */
static bool
has_catalogs(const char *dir)
{
	struct dirent *de;
	bool found = false;
	DIR *d = opendir(dir);

	if (d == NULL)
		return false;
	while (!found && (de = readdir(d)) != NULL) {
		char path[4096];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof path, "%s/%s/LC_MESSAGES/authwizard.mo",
		    dir, de->d_name) < (int)sizeof path)
			found = access(path, R_OK) == 0;
	}
	closedir(d);
	return found;
}
#endif

static bool i18n_ready;

void
aw_i18n_init(void)
{
	if (i18n_ready)
		return;
	i18n_ready = true;
	/* Only what authwizard uses, as tmux and git do: the character set
	 * (curses, the escaping of untrusted text, gettext's conversion)
	 * and the messages. LC_ALL loaded twelve categories, a file each:
	 * 1-2 ms of every start on a virtual machine (issue 16). Numbers
	 * and dates are printed in the C locale's forms (the dates are ISO
	 * 8601 anyway). */
	setlocale(LC_CTYPE, "");
	setlocale(LC_MESSAGES, "");
#ifdef ENABLE_NLS
	{
		/* The first directory holding our catalogs: $AW_LOCALEDIR, the
		 * build tree, the install prefix (datadir.h). */
		const char *dirs[4];
		size_t n = aw_data_dirs(AW_DATA_LOCALE, dirs, 4), i;

		for (i = 0; i + 1 < n && !has_catalogs(dirs[i]); i++)
			;
		if (n > 0)
			bindtextdomain("authwizard", dirs[i]);
		bind_textdomain_codeset("authwizard", "UTF-8");
		textdomain("authwizard");
	}
#endif
}

#ifdef ENABLE_NLS
char *
aw_gettext(const char *msgid)
{
	aw_i18n_init();
	return gettext(msgid);
}

char *
aw_ngettext(const char *msgid, const char *plural, unsigned long n)
{
	aw_i18n_init();
	return ngettext(msgid, plural, n);
}
#endif

const char *
aw_strerror(int errnum)
{
	aw_i18n_init();
	return strerror(errnum);
}
