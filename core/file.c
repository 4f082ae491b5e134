/* file.c: whole-file saves through a synced temporary (see file.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The rename (or the new name) is on disk only once the directory is.
 * A directory that cannot be opened is not synced; EINVAL from fsync on
 * a directory (some file systems) is no failure. */
static int
sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;
	int dfd, e = 0;

	if (slash == NULL)
		strcpy(dir, ".");
	else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof dir)
			return ENAMETOOLONG;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if (fsync(dfd) != 0 && errno != EINVAL)
		e = errno;
	close(dfd);
	return e;
}

static int
check(const char *path, unsigned flags)
{
	struct stat stb;

	if ((flags & (AW_FILE_NO_LINK | AW_FILE_ONLY_FILE)) == 0 ||
	    lstat(path, &stb) != 0)
		return 0;
	if ((flags & AW_FILE_NO_LINK) && S_ISLNK(stb.st_mode))
		return ELOOP;
	if ((flags & AW_FILE_ONLY_FILE) && !S_ISREG(stb.st_mode) &&
	    !S_ISLNK(stb.st_mode))
		return EEXIST;
	return 0;
}

int
aw_file_replace(const char *path, const void *data, size_t len,
    mode_t mode, unsigned flags, enum aw_file_step *step)
{
	char tmp[PATH_MAX + 32];
	const char *target = path;
	enum aw_file_step dummy;
	int fd, e, n;

	if (step == NULL)
		step = &dummy;
	*step = AW_FILE_STEP_CHECK;
	if ((e = check(path, flags)) != 0)
		return e;
	*step = AW_FILE_STEP_WRITE;
	if (!(flags & AW_FILE_NEW)) {
		n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
		if (n < 0 || (size_t)n >= sizeof tmp)
			return ENAMETOOLONG;
		/* A fresh file, never through a link left at the name (the
		 * directory may be a shared one such as /tmp). */
		(void)unlink(tmp);
		target = tmp;
	}
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    mode);
	if (fd < 0)
		return errno;
	/* The umask may have taken bits away: make the mode exact. */
	if (fchmod(fd, mode) != 0) {
		e = errno;
		close(fd);
	} else if ((flags & AW_FILE_NEWLINE) &&
	    (e = aw_fd_write_all(fd, data, len)) != 0) {
		close(fd);
	} else if (flags & AW_FILE_NEWLINE) {
		e = aw_fd_write_sync_close(fd, "\n", 1);
	} else {
		e = aw_fd_write_sync_close(fd, data, len);
	}
	if (e == 0 && target == tmp && rename(tmp, path) != 0) {
		e = errno;
		*step = AW_FILE_STEP_RENAME;
	}
	if (e != 0) {
		/* what this call made, never the file it was to replace */
		unlink(target);
		return e;
	}
	*step = AW_FILE_STEP_DIR;
	return sync_dir(path);
}
