/* test_file.c: aw_file_replace (core/file.c), the one way files are saved. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/file.h"
#include "tests/unit/helpers/rmtree.h"

struct fx {
	char dir[64];
	char path[128];
	char tmp[160];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	strcpy(f->dir, "/tmp/aw-file-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof f->path, "%s/out.txt", f->dir);
	snprintf(f->tmp, sizeof f->tmp, "%s.tmp.%ld", f->path, (long)getpid());
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (aw_test_rmtree(f->dir) != 0)
		return -1;
	free(f);
	return 0;
}

static char *
slurp(const char *path)
{
	static char text[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(text, 1, sizeof text - 1, fp);
	fclose(fp);
	text[n] = '\0';
	return text;
}

/* How many names the directory holds, besides . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* path's own st_mode (a link's, not its target's) */
static mode_t
lmode(const char *path)
{
	struct stat stb;

	assert_int_equal(lstat(path, &stb), 0);
	return stb.st_mode;
}

/* aw_file_replace with every file this process writes capped at cap
 * bytes (RLIMIT_FSIZE: EFBIG past it, even for root). */
static int
replace_capped(rlim_t cap, const char *path, const char *data,
    unsigned flags, enum aw_file_step *step)
{
	struct rlimit old, capped;
	int e;

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	capped.rlim_cur = cap;
	capped.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &capped), 0);
	e = aw_file_replace(path, data, strlen(data), 0600, flags, step);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	return e;
}

static void
writes_and_replaces_with_the_mode_whatever_the_umask(void **state)
{
	struct fx *f = *state;
	enum aw_file_step step;
	mode_t old = umask(077);

	assert_int_equal(aw_file_replace(f->path, "one\n", 4, 0644, 0, &step), 0);
	assert_int_equal(step, AW_FILE_STEP_DIR);
	assert_string_equal(slurp(f->path), "one\n");
	assert_int_equal(lmode(f->path) & 07777, 0644);
	umask(0);
	assert_int_equal(aw_file_replace(f->path, "two", 3, 0600, 0, NULL), 0);
	assert_string_equal(slurp(f->path), "two");
	assert_int_equal(lmode(f->path) & 07777, 0600);
	umask(old);
	/* Empty content is a file too. */
	assert_int_equal(aw_file_replace(f->path, "", 0, 0600, 0, NULL), 0);
	assert_string_equal(slurp(f->path), "");
	assert_int_equal(entries(f->dir), 1);
}

static void
a_name_without_a_directory_is_in_the_current_one(void **state)
{
	struct fx *f = *state;
	char cwd[PATH_MAX];

	assert_non_null(getcwd(cwd, sizeof cwd));
	assert_int_equal(chdir(f->dir), 0);
	assert_int_equal(aw_file_replace("plain.txt", "x", 1, 0600, 0, NULL), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(entries(f->dir), 1);
}

static void
a_failure_leaves_no_temporary(void **state)
{
	struct fx *f = *state;
	enum aw_file_step step;
	char path[192];
	static const char big[] = "a policy longer than two bytes\n";

	/* No such directory: nothing made. */
	snprintf(path, sizeof path, "%s/missing/out.txt", f->dir);
	assert_int_equal(aw_file_replace(path, "x", 1, 0600, 0, &step), ENOENT);
	assert_int_equal(step, AW_FILE_STEP_WRITE);
	assert_int_equal(entries(f->dir), 0);

	/* The rename fails (a directory is in the way, even for root): the
	 * temporary goes, the directory stays. */
	snprintf(path, sizeof path, "%s/sub", f->dir);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(aw_file_replace(path, "x", 1, 0600, 0, &step), EISDIR);
	assert_int_equal(step, AW_FILE_STEP_RENAME);
	assert_int_equal(entries(f->dir), 1);

	/* The write fails (EFBIG past RLIMIT_FSIZE): the old file stays
	 * whole, and alone. */
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(aw_file_replace(f->path, "old", 3, 0600, 0, NULL), 0);
	assert_int_equal(replace_capped(2, f->path, big, 0, &step), EFBIG);
	assert_int_equal(step, AW_FILE_STEP_WRITE);
	assert_string_equal(slurp(f->path), "old");
	assert_int_equal(entries(f->dir), 1);

	/* A made-new file that could not be written whole goes too. */
	snprintf(path, sizeof path, "%s/new.txt", f->dir);
	assert_int_equal(replace_capped(2, path, big, AW_FILE_NEW, NULL), EFBIG);
	assert_int_equal(entries(f->dir), 1);
}

static void
refuses_a_link_or_what_is_not_a_file_when_asked(void **state)
{
	struct fx *f = *state;
	enum aw_file_step step;
	char link_[192], fifo[192];

	assert_int_equal(aw_file_replace(f->path, "kept", 4, 0644, 0, NULL), 0);
	snprintf(link_, sizeof link_, "%s/link", f->dir);
	assert_int_equal(symlink(f->path, link_), 0);
	assert_int_equal(aw_file_replace(link_, "new", 3, 0644, AW_FILE_NO_LINK,
	    &step), ELOOP);
	assert_int_equal(step, AW_FILE_STEP_CHECK);
	assert_true(S_ISLNK(lmode(link_)));
	assert_string_equal(slurp(f->path), "kept");
	assert_int_equal(entries(f->dir), 2);

	snprintf(fifo, sizeof fifo, "%s/fifo", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(aw_file_replace(fifo, "new", 3, 0600, AW_FILE_ONLY_FILE,
	    &step), EEXIST);
	assert_int_equal(step, AW_FILE_STEP_CHECK);
	assert_true(S_ISFIFO(lmode(fifo)));
	assert_int_equal(entries(f->dir), 3);

	/* AW_FILE_ONLY_FILE takes a link: the link is replaced, never the
	 * file it points to. */
	assert_int_equal(aw_file_replace(link_, "new", 3, 0600, AW_FILE_ONLY_FILE,
	    NULL), 0);
	assert_true(S_ISREG(lmode(link_)));
	assert_string_equal(slurp(link_), "new");
	assert_string_equal(slurp(f->path), "kept");
	assert_int_equal(entries(f->dir), 3);
}

static void
a_stale_temporary_is_replaced_never_followed(void **state)
{
	struct fx *f = *state;
	char victim[192];

	/* A dead run's temporary with our pid, and then a link planted at
	 * the name: written afresh, the link's target untouched. */
	assert_int_equal(aw_file_replace(f->tmp, "stale", 5, 0600, AW_FILE_NEW,
	    NULL), 0);
	assert_int_equal(aw_file_replace(f->path, "fresh", 5, 0600, 0, NULL), 0);
	assert_string_equal(slurp(f->path), "fresh");
	assert_int_equal(access(f->tmp, F_OK), -1);
	assert_int_equal(entries(f->dir), 1);

	snprintf(victim, sizeof victim, "%s/victim", f->dir);
	assert_int_equal(aw_file_replace(victim, "victim", 6, 0600, 0, NULL), 0);
	assert_int_equal(symlink(victim, f->tmp), 0);
	assert_int_equal(aw_file_replace(f->path, "again", 5, 0600, 0, NULL), 0);
	assert_string_equal(slurp(f->path), "again");
	assert_string_equal(slurp(victim), "victim");
	assert_int_equal(entries(f->dir), 2);
}

/* AW_FILE_NEWLINE: the text, then one newline; when only the newline
 * cannot be written (EFBIG right after the text), nothing changes. */
static void
a_newline_after_the_text(void **state)
{
	struct fx *f = *state;
	enum aw_file_step step;

	assert_int_equal(aw_file_replace(f->path, "{}", 2, 0600,
	    AW_FILE_NEWLINE, NULL), 0);
	assert_string_equal(slurp(f->path), "{}\n");
	assert_int_equal(aw_file_replace(f->path, "", 0, 0600,
	    AW_FILE_NEWLINE | AW_FILE_NO_LINK, NULL), 0);
	assert_string_equal(slurp(f->path), "\n");

	assert_int_equal(aw_file_replace(f->path, "old", 3, 0600, 0, NULL), 0);
	assert_int_equal(replace_capped(4, f->path, "four", AW_FILE_NEWLINE,
	    &step), EFBIG);
	assert_int_equal(step, AW_FILE_STEP_WRITE);
	assert_string_equal(slurp(f->path), "old");
	assert_int_equal(entries(f->dir), 1);
}

static void
new_never_replaces(void **state)
{
	struct fx *f = *state;
	enum aw_file_step step;
	char link_[192], target[192];
	mode_t old = umask(077);

	assert_int_equal(aw_file_replace(f->path, "first", 5, 0644, AW_FILE_NEW,
	    NULL), 0);
	umask(old);
	assert_int_equal(lmode(f->path) & 07777, 0644);
	assert_int_equal(aw_file_replace(f->path, "second", 6, 0644, AW_FILE_NEW,
	    &step), EEXIST);
	assert_int_equal(step, AW_FILE_STEP_WRITE);
	assert_string_equal(slurp(f->path), "first");

	/* Nor writes through a link, even a dangling one. */
	snprintf(link_, sizeof link_, "%s/link", f->dir);
	snprintf(target, sizeof target, "%s/target", f->dir);
	assert_int_equal(symlink(target, link_), 0);
	assert_int_equal(aw_file_replace(link_, "x", 1, 0600, AW_FILE_NEW, NULL),
	    EEXIST);
	assert_int_equal(access(target, F_OK), -1);
	assert_int_equal(entries(f->dir), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    writes_and_replaces_with_the_mode_whatever_the_umask, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    a_name_without_a_directory_is_in_the_current_one, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(a_failure_leaves_no_temporary,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    refuses_a_link_or_what_is_not_a_file_when_asked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    a_stale_temporary_is_replaced_never_followed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(a_newline_after_the_text, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(new_never_replaces, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
