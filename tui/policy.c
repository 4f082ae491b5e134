/* policy.c: the MTA-STS step's file and fetch (see policy.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/domain.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/policy.h"

enum aw_status
aw_tui_policy_write(const char *path, const char *text, bool replace,
    struct aw_error *err)
{
	size_t len = strlen(text), n = strlen(path) + 32;
	char *tmp = NULL;
	const char *target = path;
	struct stat stb;
	bool made = false;
	int fd, e;

	/* Replacing: written beside the served file and renamed over it once
	 * on disk, so a full disk never leaves the web server half a policy. */
	if (replace) {
		if ((tmp = malloc(n)) == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
		(void)unlink(tmp);
		target = tmp;
	}
	fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0 && errno == EEXIST && !replace)
		return aw_error_set(err, AW_ERR_CONFLICT, _("%s exists"), path);
	if (fd < 0)
		goto fail;
	made = true;
	/* The web server reads it, whatever the umask. */
	(void)fchmod(fd, 0644);
	e = aw_fd_write_sync_close(fd, text, len);
	fd = -1;
	if (e != 0) {
		errno = e;
		goto fail;
	}
	if (tmp != NULL) {
		/* As before: never through a symbolic link. */
		if (lstat(path, &stb) == 0 && S_ISLNK(stb.st_mode)) {
			errno = ELOOP;
			goto fail;
		}
		if (rename(tmp, path) != 0)
			goto fail;
	}
	free(tmp);
	return AW_OK;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	/* what this call made (the temporary, or a new file), never the
	 * policy it was to replace */
	if (made)
		unlink(target);
	free(tmp);
	return aw_error_set(err, AW_ERR_IO, "%s: %s", path, aw_strerror(e));
}

struct aw_tui_policy_fetch {
	struct aw_domain_check *dc;
	struct aw_domain_check_opts opts;
	aw_tui_event_cb cb;
	void *arg;
	bool done;
};

static const char *const areas[] = { "mta_sts" };

static void
report(struct aw_tui_policy_fetch *pf)
{
	struct aw_tui_event ev;
	size_t i;

	pf->done = true;
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_POLICY_FETCHED;
	for (i = 0; i < aw_domain_check_count(pf->dc); i++) {
		struct aw_section *sec = aw_domain_check_section(pf->dc, i);

		if (strcmp(sec->area, "mta_sts") == 0)
			ev.sec = sec;
	}
	pf->cb(&ev, pf->arg);
}

static void
check_cb(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct aw_tui_policy_fetch *pf = arg;

	(void)dc;
	if (sec == NULL)
		report(pf);
}

struct aw_tui_policy_fetch *
aw_tui_policy_fetch_start(const struct aw_dns_source *src, const char *domain,
    const struct aw_fetcher *fetcher, aw_tui_event_cb cb, void *arg,
    struct aw_error *err)
{
	struct aw_tui_policy_fetch *pf = calloc(1, sizeof *pf);

	if (pf == NULL) {
		aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
		return NULL;
	}
	pf->cb = cb;
	pf->arg = arg;
	pf->opts.areas = areas;
	pf->opts.nareas = 1;
	pf->opts.fetcher = fetcher;
	if (aw_domain_check_start(src, domain, &pf->opts, check_cb, pf, &pf->dc,
	    err) != AW_OK) {
		aw_domain_check_free(pf->dc);
		free(pf);
		return NULL;
	}
	if (aw_domain_check_finished(pf->dc) && !pf->done)
		report(pf);
	return pf;
}

bool
aw_tui_policy_fetch_done(const struct aw_tui_policy_fetch *pf)
{
	return pf == NULL || pf->done;
}

void
aw_tui_policy_fetch_free(struct aw_tui_policy_fetch *pf)
{
	if (pf == NULL)
		return;
	aw_domain_check_free(pf->dc);
	free(pf);
}
