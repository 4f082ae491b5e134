/* domain.c: runs every area of a domain check concurrently. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dns-cache.h"
#include "checks/domain.h"
#include "core/i18n.h"

/* The areas, in the order they are shown. */
static const struct aw_check_area *const areas[] = {
	&aw_area_spf,
	&aw_area_dkim,
	&aw_area_dmarc,
	&aw_area_mx,
	&aw_area_ptr,
	&aw_area_helo,
	&aw_area_dnssec,
	&aw_area_dane,
	&aw_area_mta_sts,
	&aw_area_tls_rpt,
	&aw_area_bimi,
};
#define NAREAS (sizeof areas / sizeof areas[0])

struct aw_domain_check {
	char *domain;
	struct aw_section **sections;
	size_t nsections;
	size_t unfinished;
	aw_domain_check_cb cb;
	void *arg;
	bool starting;
	/* One question per name and type for the whole check: the areas
	 * share answers (the MX area and SPF's mx, the apex TXT). NULL when
	 * the source does not say which loop it runs on. */
	struct aw_dns_cache *cache;
	struct aw_dns_source src;
};

const char *
aw_area_title(const char *area)
{
	size_t i;

	for (i = 0; i < NAREAS; i++)
		if (strcmp(areas[i]->area, area) == 0)
			return _(areas[i]->title);
	return area;
}

static enum aw_status
add_section(struct aw_domain_check *dc, const struct aw_check_area *a,
    const char *key, struct aw_section **out)
{
	struct aw_section **grown, *sec;

	grown = realloc(dc->sections, (dc->nsections + 1) * sizeof *grown);
	if (grown == NULL)
		return AW_ERR_NOMEM;
	dc->sections = grown;
	sec = calloc(1, sizeof *sec);
	if (sec == NULL)
		return AW_ERR_NOMEM;
	aw_findings_init(&sec->f);
	sec->area = a->area;
	sec->owner = dc;
	if (key != NULL && (sec->key = strdup(key)) == NULL) {
		free(sec);
		return AW_ERR_NOMEM;
	}
	dc->sections[dc->nsections++] = sec;
	dc->unfinished++;
	*out = sec;
	return AW_OK;
}

void
aw_section_finish(struct aw_section *sec)
{
	struct aw_domain_check *dc = sec->owner;

	if (sec->finished)
		return;
	sec->finished = true;
	if (sec->f.status == AW_CHECK_PENDING)
		sec->f.status = AW_CHECK_OK;
	dc->unfinished--;
	if (dc->cb != NULL && !dc->starting)
		dc->cb(dc, sec, dc->arg);
	if (dc->unfinished == 0 && !dc->starting && dc->cb != NULL)
		dc->cb(dc, NULL, dc->arg);
}

static enum aw_status
start_area(struct aw_domain_check *dc, const struct aw_check_area *a,
    const struct aw_check_env *env, const char *key, struct aw_error *err)
{
	struct aw_section *sec;
	enum aw_status st;

	if ((st = add_section(dc, a, key, &sec)) != AW_OK)
		return aw_error_set(err, st, _("out of memory"));
	st = a->start(sec, env, key);
	if (st != AW_OK) {
		aw_findings_add(&sec->f, AW_SEV_ERROR, "check.start-failed", NULL,
		    _("could not start the %s check"),
		    aw_area_title(a->area));
		sec->finished = true;
		dc->unfinished--;
	}
	return AW_OK;
}

enum aw_status
aw_domain_check_start(const struct aw_dns_source *src, const char *domain,
    const struct aw_domain_check_opts *opts, aw_domain_check_cb cb,
    void *arg, struct aw_domain_check **out, struct aw_error *err)
{
	static const struct aw_domain_check_opts none;
	struct aw_domain_check *dc;
	struct aw_check_env env;
	enum aw_status st = AW_OK;
	size_t i, k;

	*out = NULL;
	if (opts == NULL)
		opts = &none;
	dc = calloc(1, sizeof *dc);
	if (dc == NULL || (dc->domain = strdup(domain)) == NULL) {
		free(dc);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	dc->cb = cb;
	dc->arg = arg;
	dc->starting = true;
	dc->src = *src;
	if (aw_dns_source_loop(src) != NULL) {
		dc->cache = aw_dns_cache_new(aw_dns_source_loop(src), src,
		    false);
		if (dc->cache == NULL) {
			free(dc->domain);
			free(dc);
			return aw_error_set(err, AW_ERR_NOMEM,
			    _("out of memory"));
		}
		dc->src = aw_dns_cache_source(dc->cache);
	}
	/* env lives in each area's own state: copy what they need there. */
	env.src = &dc->src;
	env.domain = dc->domain;
	env.opts = opts;
	for (i = 0; i < NAREAS && st == AW_OK; i++) {
		const struct aw_check_area *a = areas[i];

		if (opts->nareas > 0) {
			for (k = 0; k < opts->nareas; k++)
				if (strcmp(opts->areas[k], a->area) == 0)
					break;
			if (k == opts->nareas)
				continue;
		}
		if (a == &aw_area_dkim && opts->nselectors > 0) {
			for (k = 0; k < opts->nselectors && st == AW_OK; k++)
				st = start_area(dc, a, &env, opts->selectors[k],
				    err);
		} else if (a == &aw_area_ptr) {
			for (k = 0; k < opts->nips && st == AW_OK; k++)
				st = start_area(dc, a, &env, opts->ips[k], err);
		} else if (a == &aw_area_dnssec || a == &aw_area_dane) {
			if (opts->validator != NULL)
				st = start_area(dc, a, &env, NULL, err);
		} else if (a == &aw_area_helo) {
			if (opts->helo != NULL)
				st = start_area(dc, a, &env, opts->helo, err);
		} else {
			st = start_area(dc, a, &env, NULL, err);
		}
	}
	dc->starting = false;
	if (st != AW_OK) {
		/* Areas already started hold pointers into dc: it cannot be
		 * freed until they finish. Report the error; the caller
		 * still runs the loop. */
		*out = dc;
		return st;
	}
	*out = dc;
	return AW_OK;
}

bool
aw_domain_check_finished(const struct aw_domain_check *dc)
{
	return dc->unfinished == 0;
}

size_t
aw_domain_check_count(const struct aw_domain_check *dc)
{
	return dc->nsections;
}

struct aw_section *
aw_domain_check_section(struct aw_domain_check *dc, size_t i)
{
	return i < dc->nsections ? dc->sections[i] : NULL;
}

const struct aw_dns_source *
aw_domain_check_source(const struct aw_domain_check *dc)
{
	return &dc->src;
}

const char *
aw_domain_check_domain(const struct aw_domain_check *dc)
{
	return dc->domain;
}

void
aw_domain_check_free(struct aw_domain_check *dc)
{
	size_t i;

	if (dc == NULL)
		return;
	for (i = 0; i < dc->nsections; i++) {
		struct aw_section *sec = dc->sections[i];

		if (!sec->finished && sec->abandon != NULL)
			sec->abandon(sec);
		if (sec->detail_free != NULL)
			sec->detail_free(sec->detail);
		aw_findings_done(&sec->f);
		free(sec->name);
		free(sec->key);
		free(sec);
	}
	free(dc->sections);
	free(dc->domain);
	aw_dns_cache_free(dc->cache);
	free(dc);
}
