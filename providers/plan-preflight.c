/* plan-preflight.c: what keeps a plan from breaking mail: the SPF edits
 * that fix what the preflight finds (--spf-remove, --spf-replace), names
 * whose current records could not be read (unknown is not absent), and the
 * preflight of a plan's changes (checks/preflight.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/str.h"
#include "providers/plan.h"

/* The SPF want at name, made when there is none. */
static struct aw_want *
wants_spf_at(struct aw_wants *w, const char *name, struct aw_error *err)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		if (w->v[i].kind == AW_WANT_SPF &&
		    aw_domain_equal(w->v[i].name, name))
			return &w->v[i];
	if (aw_wants_add_spf(w, name, NULL, 0, NULL, err) != AW_OK)
		return NULL;
	return &w->v[w->n - 1];
}

static bool
wants_one_term(const char *t, struct aw_error *err)
{
	if (t[0] == '\0' || strpbrk(t, " \t\"") != NULL) {
		aw_error_setw(err, AW_ERR_INVALID, t, _("not a single SPF term"));
		return false;
	}
	return true;
}

enum aw_status
aw_wants_spf_remove(struct aw_wants *w, const char *name, const char *term,
    struct aw_error *err)
{
	struct aw_want *x;

	if (!wants_one_term(term, err))
		return AW_ERR_INVALID;
	if ((x = wants_spf_at(w, name, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_push(&x->spf_remove, term) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_spf_replace(struct aw_wants *w, const char *name,
    const char *old_term, const char *new_term, struct aw_error *err)
{
	struct aw_want *x;

	if (!wants_one_term(old_term, err) || !wants_one_term(new_term, err))
		return AW_ERR_INVALID;
	if ((x = wants_spf_at(w, name, err)) == NULL)
		return err != NULL ? err->status : AW_ERR_INVALID;
	if (aw_strv_push(&x->spf_replace_old, old_term) != AW_OK ||
	    aw_strv_push(&x->spf_replace_new, new_term) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_wants_mark_unknown(struct aw_wants *w, const char *name, const char *why)
{
	char *n = aw_domain_normalize(name);
	enum aw_status st;

	if (n == NULL)
		return AW_ERR_NOMEM;
	st = aw_strv_take(&w->unknown, n);
	if (st == AW_OK)
		st = aw_strv_push(&w->unknown_why, why != NULL ? why : "");
	return st;
}

enum aw_status
aw_plan_preflight_changes(const struct aw_plan *plan,
    struct aw_preflight_change **out, size_t *n)
{
	size_t i;

	*out = NULL;
	*n = 0;
	if (plan->nchanges == 0)
		return AW_OK;
	if ((*out = calloc(plan->nchanges, sizeof **out)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < plan->nchanges; i++) {
		(*out)[i].before = &plan->changes[i].old;
		(*out)[i].after = &plan->changes[i].new;
	}
	*n = plan->nchanges;
	return AW_OK;
}

enum aw_status
aw_plan_preflight(struct aw_plan *plan, struct aw_loop *loop,
    const struct aw_dns_source *src, const struct aw_preflight_opts *opts,
    struct aw_error *err)
{
	struct aw_preflight_change *ch;
	struct aw_preflight_result res;
	enum aw_status st;
	size_t n;

	if (aw_plan_preflight_changes(plan, &ch, &n) != AW_OK)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_preflight_result_init(&res);
	st = aw_preflight_run_sync(loop, src, plan->domain ? plan->domain : "",
	    ch, n, opts, &res, err);
	free(ch);
	if (st != AW_OK) {
		aw_preflight_result_done(&res);
		return st;
	}
	aw_preflight_result_done(&plan->preflight);
	plan->preflight = res;
	return AW_OK;
}
