/* check-spf.c: the SPF area of a domain check: the record(s) at the name
 * and the lookup tree below them (spf-lint.h) as the section's detail. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dmarc.h"
#include "checks/job.h"
#include "checks/spf-lint.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"

static void
spf_txt(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	struct aw_findings *f = &job->sec->f;
	size_t i, n = 0;

	aw_findings_lookup(f, ans);
	for (i = 0; i < ans->nrr; i++) {
		size_t len;
		char *txt;

		if (ans->rr[i].type != AW_RECORD_TXT)
			continue;
		txt = aw_dns_txt_join(&ans->rr[i], &len);
		if (txt == NULL)
			continue;
		if (aw_spf_is_record(txt, len)) {
			aw_strv_take(&f->records, txt);
			n++;
			continue;
		}
		/* Sender ID (RFC 4406) reused SPF's syntax under
		 * "spf2.0/"; its experiment ended (RFC 6686) and receivers
		 * ignore it, but it keeps confusing people and tools. */
		if (len >= 7 && aw_strncasecmp(txt, "spf2.0/", 7) == 0)
			aw_findings_add(f, AW_SEV_WARNING, "spf.sender-id",
			    "RFC 6686",
			    _("%s also publishes a Sender ID record (\"spf2.0/...\"); Sender ID is obsolete (RFC 6686) and receivers ignore it: remove it"),
			    job->sec->name);
		/* RFC 7489 §6.1: receivers look for DMARC only at _dmarc;
		 * at the domain itself the record has no effect. (The SPF
		 * area reads these TXT records anyway.) */
		if (aw_dmarc_is_record(txt, len))
			aw_findings_add(f, AW_SEV_WARNING,
			    "dmarc.record-at-domain", "RFC 7489 §6.1",
			    _("a DMARC record is published at %s itself, where receivers never look; it belongs at _dmarc.%s"),
			    job->sec->name, job->sec->name);
		free(txt);
	}
	/* More than one record, and everything below them, is the lookup
	 * tree's to judge (spf_tree_done). */
	if (n == 0 && !f->dns_failure)
		aw_findings_raise(f, AW_CHECK_MISSING);
	aw_dns_answer_free(ans);
}

static void
spf_type99(struct aw_job *job, struct aw_dns_answer *ans, void *arg)
{
	/* RFC 7208 §3.1: type 99 is obsolete; only TXT counts. */
	if (ans->result == AW_DNS_RECORDS)
		aw_findings_add(&job->sec->f, AW_SEV_WARNING, "spf.type99",
		    "RFC 7208 §3.1",
		    _("an obsolete SPF-type (99) record is published at %s; receivers ignore it (RFC 7208 §3.1), only the TXT record counts"),
		    job->sec->name);
	aw_dns_answer_free(ans);
}

static void
spf_tree_free(void *p)
{
	aw_spf_tree_free(p);
}

/* The job's state while the tree is in flight: dropped unfinished. */
static void
spf_tree_abandon(void *p)
{
	aw_spf_tree_abandon(p);
}

/* The lookup tree is in: its findings join the section's. */
static void
spf_tree_done(struct aw_spf_tree *tree, void *arg)
{
	struct aw_job *job = arg;
	struct aw_findings *f = &job->sec->f;
	size_t i;

	for (i = 0; i < tree->findings.nitems; i++) {
		const struct aw_finding *it = &tree->findings.items[i];

		aw_findings_add(f, it->severity, it->code, it->rfc, "%s",
		    it->message);
	}
	/* RFC 7208 §2.6.6, §4.4: a lookup anywhere in the tree that failed
	 * is a DNS failure of the check (temperror, exit 3). */
	if (tree->dns_failure)
		f->dns_failure = true;
	if (tree->root != NULL && tree->root->state == AW_SPF_NODE_OK)
		aw_findings_add(f, AW_SEV_NOTE, "spf.cost", "RFC 7208 §4.6.4",
		    _("the SPF check costs %u of %d DNS lookups and %u of %d void lookups (RFC 7208 §4.6.4)"),
		    tree->lookups, AW_SPF_MAX_LOOKUPS, tree->voids,
		    AW_SPF_MAX_VOID);
	job->sec->detail = tree;
	job->sec->detail_free = spf_tree_free;
	job->state = NULL;
	job->free_state = NULL;
	/* The job waited for the tree as for one more lookup. */
	job->pending--;
	aw_job_done_if_idle(job);
}

static enum aw_status
spf_start(struct aw_section *sec, const struct aw_check_env *env,
    const char *key)
{
	struct aw_job *job;

	if ((sec->name = strdup(env->domain)) == NULL)
		return AW_ERR_NOMEM;
	if ((job = aw_job_new(sec, env->src)) == NULL)
		return AW_ERR_NOMEM;
	aw_job_ask(job, sec->name, AW_RECORD_TXT, spf_txt, NULL);
	aw_job_ask(job, sec->name, AW_RECORD_SPF, spf_type99, NULL);
	{
		struct aw_spf_tree_opts topts = { NULL, NULL, NULL };
		struct aw_spf_tree *tree;
		struct aw_error err;

		/* The tree copies its options: topts may be on the stack. */
		if (env->opts != NULL) {
			topts.lighter = env->opts->spf_lighter;
			topts.lighter_arg = env->opts->spf_lighter_arg;
		}
		aw_error_clear(&err);
		job->pending++;
		if (aw_spf_tree_start(env->src, sec->name, &topts,
		    spf_tree_done, job, &tree, &err) != AW_OK) {
			job->pending--;
			aw_findings_add(&sec->f, AW_SEV_ERROR, "spf.incomplete",
			    NULL, "%s", err.msg);
		} else {
			job->state = tree;
			job->free_state = spf_tree_abandon;
		}
	}
	aw_job_done_if_idle(job);
	return AW_OK;
}

const struct aw_check_area aw_area_spf = {
	.area = "spf",
	.title = N_("SPF"),
	.start = spf_start,
};
