/* file.h: saving a whole file so that a crash or a full disk leaves either
 * the old content or the new one, never half of it. */
#ifndef AW_FILE_H
#define AW_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Refuse (ELOOP) when path is a symbolic link. */
#define AW_FILE_NO_LINK    0x1u
/* Refuse (EEXIST) when path exists and is neither a regular file nor a
 * symbolic link (a device, a FIFO, a directory). */
#define AW_FILE_ONLY_FILE  0x2u
/* Create path itself, failing with EEXIST when anything (a link too) is
 * there already: no temporary, no rename. */
#define AW_FILE_NEW        0x4u
/* One "\n" written after data (a text from json_dumps, which ends
 * without one). */
#define AW_FILE_NEWLINE    0x8u

/* Where aw_file_replace failed. */
enum aw_file_step {
	AW_FILE_STEP_CHECK,   /* a flag's check refused path */
	AW_FILE_STEP_WRITE,   /* creating, writing or syncing the file */
	AW_FILE_STEP_RENAME,  /* renaming the temporary over path */
	AW_FILE_STEP_DIR,     /* syncing the directory (path is in place) */
};

/* Writes data[0..len) to "<path>.tmp.<pid>" (a stale one unlinked first;
 * created O_EXCL|O_NOFOLLOW, so never through a link), sets its mode to
 * exactly mode whatever the umask, syncs it, renames it over path and
 * syncs the directory holding path, so the rename too survives a crash.
 * 0, or the errno of the step that failed (ENAMETOOLONG when path is too
 * long); *step (may be NULL) says which. The temporary never stays
 * behind, nor does a file made with AW_FILE_NEW that could not be written
 * whole. */
int aw_file_replace(const char *path, const void *data, size_t len,
    mode_t mode, unsigned flags, enum aw_file_step *step);

#endif
