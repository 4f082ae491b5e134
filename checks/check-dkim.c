/* check-dkim.c: the DKIM area: the key record at each selector, followed
 * through CNAME delegation, judged by dkim.c; with no selector, discovery
 * over the catalog's common selectors, all asked at once. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "checks/dkim.h"
#include "checks/job.h"
#include "core/i18n.h"
#include "core/str.h"

/* A CNAME chain longer than this is treated as broken (resolvers give up
 * around 8 to 16 hops). */
#define DKIM_CNAME_MAX 8

struct dkim_state {
	char *domain;
	struct aw_strv selectors;      /* discovery: the names probed */
	struct aw_strv walked;         /* loop diagnosis: names seen */
	unsigned failures;             /* discovery: lookups that failed */
};

static void
found_done(struct aw_dkim_found *fd)
{
	free(fd->selector);
	free(fd->record);
	free(fd->service_id);
	aw_strv_done(&fd->chain);
}

static void
dkim_detail_free(void *p)
{
	struct aw_dkim_detail *d = p;
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nfound; i++)
		found_done(&d->found[i]);
	free(d->found);
	free(d->selector);
	aw_strv_done(&d->chain);
	free(d->final_name);
	free(d->service_id);
	free(d->service_name);
	free(d->expected_service);
	aw_dkim_key_done(&d->key);
	free(d);
}

static void
dkim_state_free(void *p)
{
	struct dkim_state *s = p;

	if (s == NULL)
		return;
	free(s->domain);
	aw_strv_done(&s->selectors);
	aw_strv_done(&s->walked);
	free(s);
}

/* Appends the CNAME targets in ans to chain, in order; true when one
 * repeats origin or an earlier one (a loop). */
static bool
answer_chain(const struct aw_dns_answer *ans, const char *origin,
    struct aw_strv *chain)
{
	size_t i;

	for (i = 0; i < ans->nrr; i++) {
		const char *t;

		if (ans->rr[i].type != AW_RECORD_CNAME)
			continue;
		t = ans->rr[i].u.target;
		if (aw_domain_equal(t, origin) || aw_strv_find(chain, t) >= 0)
			return true;
		if (chain->n >= DKIM_CNAME_MAX)
			return true;
		aw_strv_push(chain, t);
	}
	return false;
}

/* An authoritative server answers a CNAME into another zone with the
 * CNAME alone: the target must then be asked (RFC 1034 §3.6.2). */
static bool
must_chase(const struct aw_dns_answer *ans, size_t before,
    const struct aw_strv *chain, bool loop)
{
	return !loop && chain->n > before && chain->n < DKIM_CNAME_MAX &&
	    (ans->result == AW_DNS_NODATA || ans->result == AW_DNS_RECORDS) &&
	    aw_dns_answer_count(ans, AW_RECORD_TXT) == 0;
}

static void
copy_prefixed(struct aw_findings *dst, const struct aw_findings *src,
    const char *prefix, bool notes)
{
	size_t i;
	int sev;

	/* Errors, then warnings, then notes, each keeping its code. */
	for (sev = AW_SEV_ERROR; sev >= AW_SEV_NOTE; sev--) {
		if (sev == AW_SEV_NOTE && !notes)
			break;
		for (i = 0; i < src->nitems; i++)
			if (src->items[i].severity == (enum aw_severity)sev)
				aw_findings_add(dst, src->items[i].severity,
				    src->items[i].code, src->items[i].rfc,
				    "%s: %s", prefix, src->items[i].message);
	}
}

/* Diagnosis after a failed lookup: walk the CNAMEs one by one. */
static void
dkim_walk(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct dkim_state *s = job->state;
	struct aw_dkim_detail *d = job->sec->detail;
	struct aw_findings *f = &job->sec->f;
	const char *target = NULL;
	size_t i;

	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == AW_RECORD_CNAME &&
		    aw_domain_equal(ans->rr[i].name, ans->qname))
			target = ans->rr[i].u.target;
	if (target != NULL) {
		if (aw_strv_find(&s->walked, target) >= 0) {
			struct aw_buf b;
			size_t k;

			d->cname_loop = true;
			aw_buf_init(&b);
			for (k = 0; k < s->walked.n; k++)
				aw_buf_printf(&b, "%s -> ", s->walked.v[k]);
			aw_buf_puts(&b, target);
			aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-loop", "RFC 1034 §3.6.2",
			    _("CNAME loop: %s; no key can be found (RFC 1034 §3.6.2)"),
			    aw_buf_str(&b));
			aw_buf_done(&b);
		} else if (s->walked.n >= DKIM_CNAME_MAX) {
			aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-chain-long", NULL,
			    _("more than %d CNAMEs in a row from %s: resolvers give up"),
			    DKIM_CNAME_MAX, job->sec->name);
		} else {
			aw_strv_push(&s->walked, target);
			if (aw_strv_find(&d->chain, target) < 0)
				aw_strv_push(&d->chain, target);
			aw_job_ask(job, target, AW_RECORD_CNAME, dkim_walk, NULL);
		}
	}
	aw_dns_answer_free(ans);
}

static void
judge_service(struct aw_section *sec, struct aw_dkim_detail *d)
{
	const struct aw_catalog *cat = aw_catalog_default();
	const struct aw_sender *svc = NULL, *exp = NULL;
	struct aw_findings *f = &sec->f;
	size_t i;

	for (i = d->chain.n; cat != NULL && i > 0 && svc == NULL; i--)
		svc = aw_catalog_find_by_dkim_target(cat, d->chain.v[i - 1]);
	if (svc != NULL) {
		d->service_id = aw_strdup(svc->id);
		d->service_name = aw_strdup(svc->name);
	}
	if (d->chain.n > 0)
		aw_findings_add(f, AW_SEV_NOTE, "dkim.cname-delegated", NULL,
		    _("delegated by CNAME to %s%s%s%s"),
		    d->chain.v[d->chain.n - 1], svc ? " (" : "",
		    svc ? svc->name : "", svc ? ")" : "");
	if (d->expected_service == NULL)
		return;
	if (cat == NULL || (exp = aw_catalog_find(cat,
	    d->expected_service)) == NULL) {
		aw_findings_add(f, AW_SEV_WARNING, "dkim.service-unknown", NULL,
		    _("unknown service \"%s\": not in the sender catalog"),
		    d->expected_service);
		return;
	}
	if (d->chain.n == 0) {
		if (exp->dkim_method == AW_SENDER_DKIM_CNAME && d->has_key)
			aw_findings_add(f, AW_SEV_WARNING, "dkim.key-not-delegated", NULL,
			    _("%s delegates DKIM by CNAME, but a key is published here directly: it will not follow %s's key rotation"),
			    exp->name, exp->name);
		return;
	}
	if (svc != exp) {
		d->wrong_service = true;
		aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-wrong-service", NULL,
		    _("the CNAME points to %s, which belongs to %s, not to the chosen %s"),
		    d->chain.v[d->chain.n - 1],
		    svc ? svc->name : _("no service in the catalog"), exp->name);
	}
}

static void
dkim_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_section *sec = job->sec;
	struct aw_dkim_detail *d = sec->detail;
	struct dkim_state *s = job->state;
	struct aw_findings *f = &sec->f;
	size_t i, n, before = d->chain.n;

	d->cname_loop = answer_chain(ans, sec->name, &d->chain);
	if (must_chase(ans, before, &d->chain, d->cname_loop)) {
		/* Not recorded: only the answer that ends the chain says
		 * what is there. */
		aw_job_ask(job, d->chain.v[d->chain.n - 1], AW_RECORD_TXT, dkim_txt,
		    NULL);
		aw_dns_answer_free(ans);
		return;
	}
	aw_findings_lookup(f, ans);
	free(d->final_name);
	d->final_name = aw_strdup(d->chain.n > 0 ?
	    d->chain.v[d->chain.n - 1] : sec->name);
	n = aw_dns_answer_txts(ans, &f->records);
	if (d->cname_loop)
		aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-loop", "RFC 1034 §3.6.2",
		    _("the CNAMEs from %s loop back on themselves: no key can be found"),
		    sec->name);
	if (aw_dns_result_is_failure(ans->result)) {
		/* A loop often shows as SERVFAIL: look hop by hop. */
		aw_strv_push(&s->walked, sec->name);
		aw_job_ask(job, sec->name, AW_RECORD_CNAME, dkim_walk, NULL);
	} else if (n == 0 && d->chain.n > 0) {
		d->cname_dangling = true;
		if (ans->result == AW_DNS_NXDOMAIN)
			aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-target-missing", "RFC 6376 §3.6.2.2",
			    _("the CNAME points to %s, which does not exist: DKIM fails for this selector"),
			    d->final_name);
		else
			aw_findings_add(f, AW_SEV_ERROR, "dkim.cname-target-no-key", "RFC 6376 §3.6.2.2",
			    _("the CNAME points to %s, which publishes no TXT key"),
			    d->final_name);
	} else if (n == 0) {
		aw_findings_raise(f, AW_CHECK_MISSING);
	} else if (n > 1) {
		/* RFC 6376 §3.6.2.2: verifiers may pick any one of them. */
		aw_findings_add(f, AW_SEV_ERROR, "dkim.multiple-records", "RFC 6376 §3.6.2.2",
		    _("%zu TXT records at %s: a selector must publish exactly one key record (RFC 6376 §3.6.2.2)"),
		    n, d->final_name);
		for (i = 0; i < n; i++) {
			struct aw_findings tmp;
			struct aw_dkim_key key;
			char label[32];

			aw_findings_init(&tmp);
			aw_dkim_key_init(&key);
			aw_dkim_key_parse(f->records.v[i],
			    strlen(f->records.v[i]), &key, &tmp);
			snprintf(label, sizeof label, _("record %zu"), i + 1);
			copy_prefixed(f, &tmp, label, true);
			aw_dkim_key_done(&key);
			aw_findings_done(&tmp);
		}
	} else {
		d->has_key = true;
		aw_dkim_key_parse(f->records.v[0], strlen(f->records.v[0]),
		    &d->key, f);
	}
	if (!aw_dns_result_is_failure(ans->result))
		judge_service(sec, d);
	aw_dns_answer_free(ans);
}

static int
found_cmp(const void *a, const void *b)
{
	const struct aw_dkim_found *x = a, *y = b;

	return strcmp(x->selector, y->selector);
}

/* One discovery probe: which selector, and the CNAMEs followed so far. */
struct probe {
	size_t index;
	struct aw_strv chain;
};

static void
probe_free(struct probe *pr)
{
	aw_strv_done(&pr->chain);
	free(pr);
}

/* For queries whose answer never comes (aw_job_ask_owned). */
static void
probe_free_arg(void *pr)
{
	probe_free(pr);
}

static void
disc_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_section *sec = job->sec;
	struct aw_dkim_detail *d = sec->detail;
	struct dkim_state *s = job->state;
	struct probe *pr = arg;
	const char *sel = s->selectors.v[pr->index];
	const struct aw_catalog *cat = aw_catalog_default();
	struct aw_dkim_found *fd, *grown;
	struct aw_findings tmp;
	struct aw_dkim_key key;
	struct aw_strv txts;
	size_t k, before = pr->chain.n;
	bool loop;

	if (aw_dns_result_is_failure(ans->result)) {
		s->failures++;
		sec->f.dns_failure = true;
		goto done;
	}
	loop = answer_chain(ans, ans->qname, &pr->chain);
	if (must_chase(ans, before, &pr->chain, loop)) {
		if (aw_job_ask_owned(job, pr->chain.v[pr->chain.n - 1],
		    AW_RECORD_TXT, disc_txt, pr, probe_free_arg))
			pr = NULL;
		goto done;
	}
	aw_strv_init(&txts);
	if (aw_dns_answer_txts(ans, &txts) == 0) {
		aw_strv_done(&txts);
		goto done;
	}
	grown = realloc(d->found, (d->nfound + 1) * sizeof *grown);
	if (grown == NULL) {
		aw_strv_done(&txts);
		goto done;
	}
	d->found = grown;
	fd = &d->found[d->nfound++];
	memset(fd, 0, sizeof *fd);
	fd->selector = strdup(sel);
	fd->record = strdup(txts.v[0]);
	fd->chain = pr->chain;          /* moved */
	aw_strv_init(&pr->chain);
	for (k = fd->chain.n; cat != NULL && k > 0 && fd->service_id == NULL;
	    k--) {
		const struct aw_sender *svc =
		    aw_catalog_find_by_dkim_target(cat, fd->chain.v[k - 1]);

		if (svc != NULL)
			fd->service_id = strdup(svc->id);
	}
	aw_findings_init(&tmp);
	aw_dkim_key_init(&key);
	if (txts.n > 1)
		aw_findings_add(&tmp, AW_SEV_ERROR, "dkim.multiple-records", "RFC 6376 §3.6.2.2",
		    _("%zu TXT records: a selector must publish exactly one key record (RFC 6376 §3.6.2.2)"),
		    txts.n);
	aw_dkim_key_parse(txts.v[0], strlen(txts.v[0]), &key, &tmp);
	fd->type = key.type;
	fd->bits = key.bits;
	fd->usable = key.usable && txts.n == 1;
	fd->revoked = key.revoked;
	fd->testing = key.testing;
	/* Only problems: the notes of every key would drown the list. */
	copy_prefixed(&sec->f, &tmp, sel, false);
	aw_dkim_key_done(&key);
	aw_findings_done(&tmp);
	aw_strv_done(&txts);
done:
	if (pr != NULL)
		probe_free(pr);
	aw_dns_answer_free(ans);
}

static void
disc_idle(struct aw_job *job)
{
	struct aw_section *sec = job->sec;
	struct aw_dkim_detail *d = sec->detail;
	struct dkim_state *s = job->state;
	struct aw_findings *f = &sec->f;
	struct aw_buf b;
	size_t i;

	job->idle = NULL;
	if (d->nfound > 1)
		qsort(d->found, d->nfound, sizeof *d->found, found_cmp);
	aw_buf_init(&b);
	for (i = 0; i < d->nfound; i++) {
		aw_strv_push(&f->records, d->found[i].record);
		aw_buf_printf(&b, "%s%s", i ? ", " : "", d->found[i].selector);
	}
	if (s->failures > 0)
		aw_findings_add(f, AW_SEV_ERROR, "dkim.discovery-dns-failure", NULL,
		    _("%u of %zu selector lookups failed (DNS failure): the list may be incomplete"),
		    s->failures, d->probed);
	if (d->nfound == 0) {
		aw_findings_raise(f, AW_CHECK_MISSING);
		aw_findings_add(f, AW_SEV_NOTE, "dkim.discovery-none", NULL,
		    _("no DKIM key at any of %zu common selectors; selectors cannot be listed, so name yours with --selector"),
		    d->probed);
	} else {
		aw_findings_add(f, AW_SEV_NOTE, "dkim.discovery-found", NULL,
		    P_("found %zu selector: %s",
		    "found %zu selectors: %s", d->nfound), d->nfound,
		    aw_buf_str(&b));
	}
	aw_buf_done(&b);
}

static enum aw_status
dkim_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *selector)
{
	struct aw_dkim_detail *d;
	struct dkim_state *s;
	struct aw_job *job;
	size_t i;

	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&d->chain);
	aw_dkim_key_init(&d->key);
	sec->detail = d;
	sec->detail_free = dkim_detail_free;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return AW_ERR_NOMEM;
	aw_strv_init(&s->selectors);
	aw_strv_init(&s->walked);
	s->domain = strdup(env->domain);
	if (env->opts != NULL && env->opts->dkim_service != NULL)
		d->expected_service = strdup(env->opts->dkim_service);
	if (selector == NULL) {
		const struct aw_catalog *cat = aw_catalog_default();

		d->discovery = true;
		if ((sec->name = strdup(env->domain)) == NULL) {
			dkim_state_free(s);
			return AW_ERR_NOMEM;
		}
		if (cat == NULL) {
			aw_findings_add(&sec->f, AW_SEV_ERROR, "dkim.catalog-unreadable", NULL,
			    _("no selector given and the sender catalog could not be read (%s: %s): name one with --selector"),
			    aw_catalog_default_error()->where,
			    aw_catalog_default_error()->msg);
			dkim_state_free(s);
			aw_section_finish(sec);
			return AW_OK;
		}
		for (i = 0; i < aw_catalog_common_selectors(cat)->n; i++)
			aw_strv_push(&s->selectors,
			    aw_catalog_common_selectors(cat)->v[i]);
	} else if (asprintf(&sec->name, "%s._domainkey.%s", selector,
	    env->domain) < 0 || (d->selector = strdup(selector)) == NULL) {
		dkim_state_free(s);
		return AW_ERR_NOMEM;
	}
	if ((job = aw_job_new(sec, env->src)) == NULL) {
		dkim_state_free(s);
		return AW_ERR_NOMEM;
	}
	job->state = s;
	job->free_state = dkim_state_free;
	if (!d->discovery) {
		aw_job_ask(job, sec->name, AW_RECORD_TXT, dkim_txt, NULL);
	} else {
		job->idle = disc_idle;
		for (i = 0; i < s->selectors.n; i++) {
			char *name = NULL;

			struct probe *pr = calloc(1, sizeof *pr);

			if (pr == NULL || asprintf(&name, "%s._domainkey.%s",
			    s->selectors.v[i], env->domain) < 0) {
				free(pr);
				continue;
			}
			pr->index = i;
			aw_strv_init(&pr->chain);
			if (aw_job_ask_owned(job, name, AW_RECORD_TXT, disc_txt, pr,
			    probe_free_arg))
				d->probed++;
			else
				probe_free(pr);
			free(name);
		}
	}
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_dkim = {
	.area = "dkim",
	.title = N_("DKIM"),
	.start = dkim_start,
};
