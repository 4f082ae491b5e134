/* journal.c: the numbered record of each apply per domain, for undo. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/journal.h"

static enum aw_status
journal_mkdirs(char *path, struct aw_error *err)
{
	char *p;

	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) != 0 && errno != EEXIST) {
			aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(errno));
			*p = '/';
			return AW_ERR_IO;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(errno));
	return AW_OK;
}

enum aw_status
aw_journal_dir(char **out, struct aw_error *err)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	struct aw_buf b;
	enum aw_status st;

	*out = NULL;
	aw_buf_init(&b);
	/* XDG Base Directory: $XDG_STATE_HOME must be absolute, else the
	 * default ~/.local/state. */
	if (state != NULL && state[0] == '/')
		aw_buf_printf(&b, "%s/authwizard", state);
	else if (home != NULL && home[0] == '/')
		aw_buf_printf(&b, "%s/.local/state/authwizard", home);
	else
		return aw_error_set(err, AW_ERR_IO,
		    _("neither XDG_STATE_HOME nor HOME is set: nowhere to keep the journal"));
	if (b.data == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	if ((st = journal_mkdirs(b.data, err)) != AW_OK) {
		aw_buf_done(&b);
		return st;
	}
	*out = aw_buf_steal(&b);
	return AW_OK;
}

/* "<dir>/<domain><tail>" for a valid domain. */
static enum aw_status
journal_file(const char *domain, const char *tail, char **out,
    struct aw_error *err)
{
	char *dir, *norm;
	struct aw_buf b;
	enum aw_status st;

	*out = NULL;
	if (!aw_domain_valid(domain))
		return aw_error_setw(err, AW_ERR_INVALID, domain,
		    _("not a valid DNS name"));
	if ((st = aw_journal_dir(&dir, err)) != AW_OK)
		return st;
	norm = aw_domain_normalize(domain);
	aw_buf_init(&b);
	aw_buf_printf(&b, "%s/%s%s", dir, norm ? norm : "", tail);
	free(dir);
	free(norm);
	if ((*out = aw_buf_steal(&b)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_journal_seq_path(const char *domain, unsigned seq, bool undone, char **out,
    struct aw_error *err)
{
	char tail[48];

	/* 0 is the unnumbered journal of earlier versions. */
	if (seq == 0)
		snprintf(tail, sizeof tail, ".%s.json", undone ? "undone" : "journal");
	else
		snprintf(tail, sizeof tail, ".%u.%s.json", seq,
		    undone ? "undone" : "journal");
	return journal_file(domain, tail, out, err);
}

/* A file name of norm's history: its number and kind. */
static bool
journal_name_parse(const char *name, const char *norm, unsigned *seq,
    bool *undone)
{
	size_t n = strlen(norm);
	const char *p;
	char *end;
	unsigned long v = 0;

	if (strncmp(name, norm, n) != 0 || name[n] != '.')
		return false;
	p = name + n + 1;
	if (*p >= '1' && *p <= '9') {
		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno != 0 || v > 1000000000UL || *end != '.')
			return false;
		p = end + 1;
	}
	if (strcmp(p, "journal.json") == 0)
		*undone = false;
	else if (strcmp(p, "undone.json") == 0)
		*undone = true;
	else
		return false;
	*seq = (unsigned)v;
	return true;
}

static int
journal_entry_cmp(const void *a, const void *b)
{
	const struct aw_journal_entry *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (int)x->undone - (int)y->undone;
}

enum aw_status
aw_journal_list(const char *domain, struct aw_journal_entry **out, size_t *n,
    struct aw_error *err)
{
	struct aw_journal_entry *v = NULL;
	size_t cap = 0;
	char *dir, *norm;
	struct dirent *de;
	DIR *d;
	enum aw_status st;

	*out = NULL;
	*n = 0;
	if (!aw_domain_valid(domain))
		return aw_error_setw(err, AW_ERR_INVALID, domain,
		    _("not a valid DNS name"));
	if ((st = aw_journal_dir(&dir, err)) != AW_OK)
		return st;
	if ((norm = aw_domain_normalize(domain)) == NULL ||
	    (d = opendir(dir)) == NULL) {
		st = norm == NULL ? aw_error_set(err, AW_ERR_NOMEM, _("out of memory")) :
		    aw_error_setw(err, AW_ERR_IO, dir, "%s", aw_strerror(errno));
		free(norm);
		free(dir);
		return st;
	}
	while ((de = readdir(d)) != NULL) {
		struct aw_journal_entry e;
		struct stat sb;
		char *path;

		if (!journal_name_parse(de->d_name, norm, &e.seq, &e.undone))
			continue;
		if (*n == cap) {
			struct aw_journal_entry *nv;

			cap = cap ? cap * 2 : 8;
			if ((nv = realloc(v, cap * sizeof *v)) == NULL) {
				st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
				break;
			}
			v = nv;
		}
		e.mtime = 0;
		if (aw_journal_seq_path(domain, e.seq, e.undone, &path, NULL) == AW_OK &&
		    stat(path, &sb) == 0)
			e.mtime = sb.st_mtime;
		free(path);
		v[(*n)++] = e;
	}
	closedir(d);
	free(norm);
	free(dir);
	if (st != AW_OK) {
		free(v);
		*n = 0;
		return st;
	}
	if (*n > 1)
		qsort(v, *n, sizeof *v, journal_entry_cmp);
	*out = v;
	return AW_OK;
}

/* The newest entry of the given kind; false when there is none. */
static bool
journal_newest(const char *domain, bool undone, unsigned *seq,
    struct aw_error *err, enum aw_status *st)
{
	struct aw_journal_entry *v;
	size_t n, i;
	bool found = false;

	if ((*st = aw_journal_list(domain, &v, &n, err)) != AW_OK)
		return false;
	for (i = n; i-- > 0;)
		if (v[i].undone == undone) {
			*seq = v[i].seq;
			found = true;
			break;
		}
	free(v);
	return found;
}

enum aw_status
aw_journal_path(const char *domain, char **out, struct aw_error *err)
{
	enum aw_status st;
	unsigned seq;

	*out = NULL;
	if (!journal_newest(domain, false, &seq, err, &st))
		return st != AW_OK ? st : aw_error_setw(err, AW_ERR_NOTFOUND,
		    domain, _("no journal of an apply for this domain"));
	return aw_journal_seq_path(domain, seq, false, out, err);
}

enum aw_status
aw_journal_next(const char *domain, unsigned *seq, struct aw_error *err)
{
	struct aw_journal_entry *v;
	size_t n;
	enum aw_status st;

	*seq = 1;
	if ((st = aw_journal_list(domain, &v, &n, err)) != AW_OK)
		return st;
	if (n > 0)
		*seq = v[n - 1].seq + 1;
	free(v);
	return AW_OK;
}

static enum aw_status
journal_io_error(struct aw_error *err, const char *path, int e)
{
	if (e == ENOSPC || e == EDQUOT || e == EFBIG)
		return aw_error_setw(err, AW_ERR_IO, path,
		    _("the journal could not be written (%s): the disk is full"),
		    aw_strerror(e));
	if (e == EROFS || e == EACCES || e == EPERM)
		return aw_error_setw(err, AW_ERR_IO, path,
		    _("the journal could not be written (%s): the disk or directory is read-only"),
		    aw_strerror(e));
	return aw_error_setw(err, AW_ERR_IO, path,
	    _("the journal could not be written: %s"), aw_strerror(e));
}

/* path's text, through a synced temporary renamed into place. */
static enum aw_status
journal_put(const char *path, const char *text, struct aw_error *err)
{
	int e = aw_file_replace(path, text, strlen(text), 0600, 0, NULL);

	return e != 0 ? journal_io_error(err, path, e) : AW_OK;
}

enum aw_status
aw_journal_write(const struct aw_plan *plan, unsigned seq, struct aw_error *err)
{
	json_t *j;
	char *path, *text;
	enum aw_status st;

	if ((st = aw_journal_seq_path(plan->domain, seq, false, &path, err)) != AW_OK)
		return st;
	j = aw_plan_to_json(plan);
	text = j != NULL ? json_dumps(j, JSON_INDENT(2)) : NULL;
	json_decref(j);
	if (text == NULL)
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	else
		st = journal_put(path, text, err);
	free(text);
	free(path);
	return st;
}

static enum aw_status
journal_load_kind(const char *domain, bool undone, unsigned *seqp,
    struct aw_plan *plan, struct aw_error *err)
{
	char *path;
	unsigned seq = 0;
	enum aw_status st;

	aw_plan_init(plan);
	if (!journal_newest(domain, undone, &seq, err, &st))
		return st != AW_OK ? st : aw_error_setw(err, AW_ERR_NOTFOUND, domain,
		    undone ? _("no undone apply for this domain") :
		    _("no journal of an apply for this domain"));
	if ((st = aw_journal_seq_path(domain, seq, undone, &path, err)) != AW_OK)
		return st;
	st = aw_plan_load(path, plan, err);
	free(path);
	if (seqp != NULL)
		*seqp = seq;
	return st;
}

enum aw_status
aw_journal_load_newest(const char *domain, unsigned *seq, struct aw_plan *plan,
    struct aw_error *err)
{
	return journal_load_kind(domain, false, seq, plan, err);
}

enum aw_status
aw_journal_load(const char *domain, struct aw_plan *plan, struct aw_error *err)
{
	return journal_load_kind(domain, false, NULL, plan, err);
}

enum aw_status
aw_journal_load_undone(const char *domain, struct aw_plan *plan,
    struct aw_error *err)
{
	return journal_load_kind(domain, true, NULL, plan, err);
}

enum aw_status
aw_journal_retire(const char *domain, unsigned seq, struct aw_error *err)
{
	char *from, *to;
	enum aw_status st;

	if ((st = aw_journal_seq_path(domain, seq, false, &from, err)) != AW_OK)
		return st;
	if ((st = aw_journal_seq_path(domain, seq, true, &to, err)) != AW_OK) {
		free(from);
		return st;
	}
	if (rename(from, to) != 0)
		st = aw_error_setw(err, AW_ERR_IO, from,
		    _("the journal could not be marked undone: %s"),
		    aw_strerror(errno));
	free(from);
	free(to);
	return st;
}

enum aw_status
aw_journal_lock(const char *domain, int *fd, long *holder, struct aw_error *err)
{
	char *path, buf[32];
	ssize_t n;
	long pid = 0;
	enum aw_status st;

	*fd = -1;
	if (holder != NULL)
		*holder = 0;
	if ((st = journal_file(domain, ".lock", &path, err)) != AW_OK)
		return st;
	if ((*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0) {
		st = journal_io_error(err, path, errno);
		free(path);
		return st;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		if ((n = pread(*fd, buf, sizeof buf - 1, 0)) > 0) {
			buf[n] = '\0';
			pid = strtol(buf, NULL, 10);
		}
		close(*fd);
		*fd = -1;
		if (holder != NULL)
			*holder = pid;
		if (e == EWOULDBLOCK)
			st = pid > 0 ? aw_error_setw(err, AW_ERR_IO, domain,
			    _("another apply or undo for %s is running (pid %ld); wait for it to end"),
			    domain, pid) : aw_error_setw(err, AW_ERR_IO, domain,
			    _("another apply or undo for %s is running; wait for it to end"),
			    domain);
		else
			st = aw_error_setw(err, AW_ERR_IO, path, "%s", aw_strerror(e));
		free(path);
		return st;
	}
	free(path);
	/* Who holds it, for the next one to say. Best effort: a full disk
	 * must not stop the lock (the journal write will say so). */
	n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) == 0 && pwrite(*fd, buf, (size_t)n, 0) != n)
		(void)ftruncate(*fd, 0);
	return AW_OK;
}

void
aw_journal_unlock(int fd)
{
	if (fd < 0)
		return;
	(void)ftruncate(fd, 0);
	close(fd);
}
