/* datadir.c: the directories searched for data and translations
 * (datadir.h). */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/datadir.h"

#ifndef DATADIR
#define DATADIR "/usr/local/share/authwizard"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

/* True when the running program lies under the build directory it was
 * built in (build/authwizard, build/tests/test_*). */
static bool
running_in_build_tree(void)
{
#ifdef AW_BUILDDIR
	char exe[PATH_MAX], *real;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t len = strlen(AW_BUILDDIR);
	bool in;

	if (n <= 0)
		return false;
	exe[n] = '\0';
	/* The build directory as recorded may hold a symbolic link. */
	if ((real = realpath(AW_BUILDDIR, NULL)) == NULL)
		return strncmp(exe, AW_BUILDDIR, len) == 0 && exe[len] == '/';
	len = strlen(real);
	in = strncmp(exe, real, len) == 0 && exe[len] == '/';
	free(real);
	return in;
#else
	return false;
#endif
}

size_t
aw_data_dirs(enum aw_data_kind kind, const char **dirs, size_t max)
{
	const char *env = getenv(kind == AW_DATA_CATALOG ? "AW_DATADIR" :
	    "AW_LOCALEDIR");
	const char *installed = kind == AW_DATA_CATALOG ? DATADIR : LOCALEDIR;
	const char *tree = NULL;
	size_t n = 0;

#if defined(AW_SOURCE_DATADIR) && defined(AW_BUILD_LOCALEDIR)
	tree = kind == AW_DATA_CATALOG ? AW_SOURCE_DATADIR : AW_BUILD_LOCALEDIR;
#endif
	if (max == 0)
		return 0;
	if (env != NULL && env[0] != '\0') {
		dirs[n++] = env;
		return n;
	}
	if (tree != NULL && running_in_build_tree())
		dirs[n++] = tree;
	if (n < max)
		dirs[n++] = installed;
	if (tree != NULL && n < max && strcmp(dirs[0], tree) != 0)
		dirs[n++] = tree;
	return n;
}
