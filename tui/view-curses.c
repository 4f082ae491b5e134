/* view-curses.c: opens the curses libraries when the wizard starts, not
 * at every start of the program (issue 16: their five libraries were
 * some 2.5 ms of each `authwizard` run); fills aw_curses (tui/curses.h),
 * through which the views call curses. */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#define AW_CURSES_LOADER 1
#include "tui/curses.h"

#include "core/i18n.h"
#include "tui/view.h"

#ifndef AW_FORMW_SONAME
#define AW_FORMW_SONAME "libformw.so.6"
#endif
#ifndef AW_MENUW_SONAME
#define AW_MENUW_SONAME "libmenuw.so.6"
#endif
#ifndef AW_PANELW_SONAME
#define AW_PANELW_SONAME "libpanelw.so.6"
#endif

struct aw_curses aw_curses;

/* A symbol from the first of the libraries that has it (each handle
 * also searches what its library depends on: ncursesw and tinfo). */
static void *
curses_sym(void *const *h, size_t n, const char *name)
{
	void *p;
	size_t i;

	for (i = 0; i < n; i++)
		if ((p = dlsym(h[i], name)) != NULL)
			return p;
	return NULL;
}

bool
aw_view_load(struct aw_error *err)
{
	static const char *const sonames[] = {
		AW_FORMW_SONAME, AW_MENUW_SONAME, AW_PANELW_SONAME,
	};
	void *h[3];
	const char *missing = NULL;
	size_t i;

	if (aw_curses.stdscr != NULL)
		return true;
	for (i = 0; i < 3; i++)
		if ((h[i] = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL)) == NULL) {
			aw_error_set(err, AW_ERR_INVALID,
			    _("cannot load %s (install the Debian package %s): %s"),
			    sonames[i], "libncursesw6", dlerror());
			while (i-- > 0)
				dlclose(h[i]);
			return false;
		}
#define AW_CURSES_SYM(f) \
	if (missing == NULL && \
	    (*(void **)&aw_curses.f = curses_sym(h, 3, #f)) == NULL) \
		missing = #f;
	AW_CURSES_FUNCS(AW_CURSES_SYM)
	AW_CURSES_VARS(AW_CURSES_SYM)
#undef AW_CURSES_SYM
	if (missing == NULL)
		return true;
	aw_error_set(err, AW_ERR_INVALID, _("cannot load %s: %s"),
	    AW_FORMW_SONAME, missing);
	memset(&aw_curses, 0, sizeof aw_curses);
	for (i = 0; i < 3; i++)
		dlclose(h[i]);
	return false;
}
