/* preflight.c: the wizard's preflight runs (see preflight.h). Each run
 * holds copies of the plan's record sets, as the engine borrows them
 * until it finishes; a run replaced by a newer one finishes unreported
 * and is freed by the next reap. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "checks/preflight.h"
#include "core/i18n.h"
#include "tui/preflight.h"

struct pf_run {
	struct aw_tui_preflight *p;
	unsigned gen;
	bool done;
	struct aw_record *recs;             /* 2 per change: before, after */
	struct aw_preflight_change *changes;
	size_t n;
	struct aw_preflight *pf;
	aw_tui_event_cb cb;
	void *arg;
	struct pf_run *next;
};

struct aw_tui_preflight {
	struct aw_loop *loop;
	const struct aw_dns_source *live;
	struct aw_preflight_opts opts;
	unsigned gen;
	struct pf_run *runs;
};

struct aw_tui_preflight *
aw_tui_preflight_new(struct aw_loop *loop, const struct aw_dns_source *live)
{
	struct aw_tui_preflight *p = calloc(1, sizeof *p);

	if (p == NULL)
		return NULL;
	p->loop = loop;
	p->live = live;
	/* The catalog's lighter include of a sender, for the fix hint (as
	 * the CLI's preflight). */
	p->opts.spf_lighter = aw_catalog_spf_lighter;
	p->opts.spf_lighter_arg = (void *)aw_catalog_default();
	return p;
}

static void
run_free(struct pf_run *r)
{
	size_t i;

	aw_preflight_free(r->pf);
	for (i = 0; r->recs != NULL && i < 2 * r->n; i++)
		aw_record_done(&r->recs[i]);
	free(r->recs);
	free(r->changes);
	free(r);
}

static void
run_cb(struct aw_preflight *pf, const struct aw_preflight_result *res,
    void *arg)
{
	struct pf_run *r = arg;
	struct aw_tui_event ev;

	(void)pf;
	r->done = true;
	if (r->gen != r->p->gen)
		return;
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PREFLIGHT;
	ev.ok = true;
	ev.preflight = res;
	r->cb(&ev, r->arg);
}

/* Copies of the plan's record sets, before and after each change. */
static enum aw_status
run_copy(struct pf_run *r, const struct aw_plan *plan)
{
	size_t i;

	r->n = plan->nchanges;
	if (r->n == 0)
		return AW_OK;
	if ((r->recs = calloc(2 * r->n, sizeof *r->recs)) == NULL ||
	    (r->changes = calloc(r->n, sizeof *r->changes)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < r->n; i++) {
		if (aw_record_copy(&r->recs[2 * i], &plan->changes[i].old) != AW_OK ||
		    aw_record_copy(&r->recs[2 * i + 1], &plan->changes[i].new) != AW_OK)
			return AW_ERR_NOMEM;
		r->changes[i].before = &r->recs[2 * i];
		r->changes[i].after = &r->recs[2 * i + 1];
	}
	return AW_OK;
}

enum aw_status
aw_tui_preflight_start(struct aw_tui_preflight *p, const struct aw_plan *plan,
    aw_tui_event_cb cb, void *arg, struct aw_error *err)
{
	struct pf_run *r;
	enum aw_status st;

	aw_tui_preflight_reap(p);
	p->gen++;                   /* what runs still is not reported */
	if ((r = calloc(1, sizeof *r)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	r->p = p;
	r->gen = p->gen;
	r->cb = cb;
	r->arg = arg;
	if (run_copy(r, plan) != AW_OK) {
		run_free(r);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	if ((st = aw_preflight_start(p->loop, p->live,
	    plan->domain != NULL ? plan->domain : "", r->changes, r->n,
	    &p->opts, run_cb, r, &r->pf, err)) != AW_OK) {
		run_free(r);
		return st;
	}
	r->next = p->runs;
	p->runs = r;
	return AW_OK;
}

void
aw_tui_preflight_reap(struct aw_tui_preflight *p)
{
	struct pf_run **pp, *r;

	if (p == NULL)
		return;
	pp = &p->runs;
	while ((r = *pp) != NULL) {
		if (r->done) {
			*pp = r->next;
			run_free(r);
		} else {
			pp = &r->next;
		}
	}
}

void
aw_tui_preflight_free(struct aw_tui_preflight *p)
{
	struct pf_run *r;

	if (p == NULL)
		return;
	while ((r = p->runs) != NULL) {
		p->runs = r->next;
		run_free(r);
	}
	free(p);
}
