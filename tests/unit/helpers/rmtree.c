/* rmtree.c: see rmtree.h. */
#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <sys/stat.h>

#include "tests/unit/helpers/rmtree.h"

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) == 0 ? 0 : -1;
}

int
aw_test_rmtree(const char *dir)
{
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}
