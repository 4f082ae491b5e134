/* datadir.h: where the program's data (the sender catalog) and its
 * translations are looked for, so that the program run from its build tree
 * and the installed one both find theirs with no variable set. */
#ifndef AW_DATADIR_H
#define AW_DATADIR_H

#include <stddef.h>

enum aw_data_kind {
	AW_DATA_CATALOG,    /* the directory holding senders.json */
	AW_DATA_LOCALE      /* the directory holding LANG/LC_MESSAGES/ *.mo */
};

/* The directories to look in for KIND, best first, into dirs[0..max);
 * returns how many. $AW_DATADIR (catalog) or $AW_LOCALEDIR (translations),
 * when set and not empty, is the only one. Otherwise: the source and build
 * tree when the running program lies in that build tree, then the install
 * prefix, then the source and build tree (recorded at build time) as a
 * fallback. The strings are static or the environment's: never freed. */
size_t aw_data_dirs(enum aw_data_kind kind, const char **dirs, size_t max);

#endif
