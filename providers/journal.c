/* journal.c: the record of the last apply per domain, for undo. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/buf.h"
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
			aw_error_setw(err, AW_ERR_IO, path, "%s", strerror(errno));
			*p = '/';
			return AW_ERR_IO;
		}
		*p = '/';
	}
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		return aw_error_setw(err, AW_ERR_IO, path, "%s", strerror(errno));
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

static enum aw_status
journal_file(const char *domain, const char *suffix, char **out,
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
	aw_buf_printf(&b, "%s/%s.%s.json", dir, norm ? norm : "", suffix);
	free(dir);
	free(norm);
	if ((*out = aw_buf_steal(&b)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_journal_path(const char *domain, char **out, struct aw_error *err)
{
	return journal_file(domain, "journal", out, err);
}

enum aw_status
aw_journal_write(const struct aw_plan *plan, struct aw_error *err)
{
	char *path;
	enum aw_status st;

	if ((st = aw_journal_path(plan->domain, &path, err)) != AW_OK)
		return st;
	st = aw_plan_save(plan, path, err);
	free(path);
	return st;
}

enum aw_status
aw_journal_load(const char *domain, struct aw_plan *plan, struct aw_error *err)
{
	char *path;
	enum aw_status st;

	aw_plan_init(plan);
	if ((st = aw_journal_path(domain, &path, err)) != AW_OK)
		return st;
	st = aw_plan_load(path, plan, err);
	if (st == AW_ERR_NOTFOUND)
		aw_error_setw(err, st, domain,
		    _("no journal of an apply for this domain"));
	free(path);
	return st;
}

enum aw_status
aw_journal_load_undone(const char *domain, struct aw_plan *plan,
    struct aw_error *err)
{
	char *path;
	enum aw_status st;

	aw_plan_init(plan);
	if ((st = journal_file(domain, "undone", &path, err)) != AW_OK)
		return st;
	st = aw_plan_load(path, plan, err);
	if (st == AW_ERR_NOTFOUND)
		aw_error_setw(err, st, domain,
		    _("no undone apply for this domain"));
	free(path);
	return st;
}

enum aw_status
aw_journal_retire(const char *domain, struct aw_error *err)
{
	char *from, *to;
	enum aw_status st;

	if ((st = journal_file(domain, "journal", &from, err)) != AW_OK)
		return st;
	if ((st = journal_file(domain, "undone", &to, err)) != AW_OK) {
		free(from);
		return st;
	}
	if (rename(from, to) != 0)
		st = aw_error_setw(err, AW_ERR_IO, from, "%s", strerror(errno));
	free(from);
	free(to);
	return st;
}
