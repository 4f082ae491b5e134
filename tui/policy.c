/* policy.c: the MTA-STS step's file and fetch (see policy.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "checks/domain.h"
#include "core/file.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/policy.h"

enum aw_status
aw_tui_policy_write(const char *path, const char *text, bool replace,
    struct aw_error *err)
{
	/* Replacing: written beside the served file and renamed over it once
	 * on disk, so a full disk never leaves the web server half a policy;
	 * never through a symbolic link. Otherwise a new file, never one
	 * that is there. 0644: the web server reads it, whatever the umask. */
	int e = aw_file_replace(path, text, strlen(text), 0644,
	    replace ? AW_FILE_NO_LINK : AW_FILE_NEW, NULL);

	if (e == EEXIST && !replace)
		return aw_error_set(err, AW_ERR_CONFLICT, _("%s exists"), path);
	if (e != 0)
		return aw_error_set(err, AW_ERR_IO, "%s: %s", path, aw_strerror(e));
	return AW_OK;
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
