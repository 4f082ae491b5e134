/* lib.c: opening a library when first used (see lib.h). The one place
 * that calls dlopen for the owners of libcurl, libidn2, libpsl, libxml2,
 * OpenSSL, libldns and libunbound (curses, three libraries at once, has
 * its own in tui/view-curses.c). */
#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "core/i18n.h"
#include "core/lib.h"

void *
aw_lib_open(const char *soname, const char *package,
    const char *const *names, void **slots, size_t n, enum aw_status code,
    struct aw_error *err)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (h == NULL) {
		if (err != NULL)
			aw_error_set(err, code,
			    _("cannot load %s (install the Debian package %s): %s"),
			    soname, package, dlerror());
		return NULL;
	}
	for (i = 0; i < n; i++) {
		/* POSIX: a function's address converts to and from void *. */
		if ((slots[i] = dlsym(h, names[i])) != NULL)
			continue;
		if (err != NULL)
			aw_error_set(err, code, _("cannot load %s: %s"), soname,
			    dlerror());
		memset(slots, 0, n * sizeof *slots);
		dlclose(h);
		return NULL;
	}
	return h;
}

void
aw_lib_close(void *handle)
{
	if (handle != NULL)
		dlclose(handle);
}
