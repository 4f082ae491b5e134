/* test_dmarc_walk.c: RFC 9989 policy discovery over the in-memory DNS
 * source, one test per rule, named after the step it pins: the tree walk
 * (§4.10), the policy record (§4.10.1), the organizational domain
 * (§4.10.2), alignment by it (§4.4), np for names that do not exist
 * (§4.7), records without a valid policy (§4.10.1), the version tag. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/dmarc.h"
#include "checks/orgdomain.h"
#include "tests/unit/helpers/area.h"

struct fixture {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_domain_check *dc;
	/* a source that writes down every question, then asks m */
	struct aw_dns_source inner;
	struct aw_strv asked;
};

static enum aw_status
rec_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct fixture *fx = impl;

	aw_strv_pushf(&fx->asked, "%s %s", aw_record_type_name(type), name);
	return fx->inner.ops->query(fx->inner.impl, name, type, cb, arg);
}

static void
rec_wait(void *impl, const bool *done)
{
	struct fixture *fx = impl;

	fx->inner.ops->wait(fx->inner.impl, done);
}

static const struct aw_dns_source_ops rec_ops = {
	.query = rec_query, .wait = rec_wait, .loop = NULL,
};

static struct aw_dns_source
recording(struct fixture *fx)
{
	struct aw_dns_source src = { &rec_ops, fx };

	fx->inner = aw_dns_memory_source(fx->m);
	return src;
}

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);

	fx->loop = aw_loop_new();
	fx->m = aw_dns_memory_new(fx->loop);
	aw_strv_init(&fx->asked);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	aw_domain_check_free(fx->dc);
	aw_dns_memory_free(fx->m);
	aw_loop_free(fx->loop);
	aw_strv_done(&fx->asked);
	free(fx);
	return 0;
}

static void
txt(struct fixture *fx, const char *name, const char *text)
{
	assert_int_equal(aw_dns_memory_add_txt1(fx->m, name, text), AW_OK);
}

/* The dmarc area for domain; its detail. */
static struct aw_dmarc_detail *
area(struct fixture *fx, const char *domain, struct aw_section **sec)
{
	struct aw_section *s;

	fx->dc = aw_test_run_area(fx->loop, fx->m, domain, "dmarc", NULL);
	assert_non_null(fx->dc);
	s = aw_test_section(fx->dc, "dmarc", NULL);
	assert_non_null(s);
	if (sec != NULL)
		*sec = s;
	return s->detail;
}

/* The synchronous walk from domain over the recording source. */
static void
walk(struct fixture *fx, const char *domain, struct aw_dmarc_walk *w)
{
	struct aw_dns_source src = recording(fx);

	assert_int_equal(aw_dmarc_walk_init(w, domain), AW_OK);
	assert_int_equal(aw_dmarc_walk_run(w, &src), AW_OK);
	assert_true(w->done);
}

static bool
has_code(const struct aw_findings *f, const char *code)
{
	return aw_findings_find(f, code) != NULL;
}

/* --- §4.10: the walk's names ------------------------------------------ */

static void
walk_8_labels_loses_one_label_rfc9989_4_10_step_4(void **state)
{
	struct aw_strv n;

	(void)state;
	aw_strv_init(&n);
	assert_int_equal(aw_dmarc_walk_names("a.b.c.d.e.f.example.com", &n), AW_OK);
	assert_int_equal(n.n, 8);
	assert_string_equal(n.v[0], "_dmarc.a.b.c.d.e.f.example.com");
	assert_string_equal(n.v[1], "_dmarc.b.c.d.e.f.example.com");
	assert_string_equal(n.v[7], "_dmarc.com");
	aw_strv_done(&n);
}

static void
walk_9_labels_jumps_to_last_7_rfc9989_4_10_step_4(void **state)
{
	struct aw_strv n;

	(void)state;
	aw_strv_init(&n);
	assert_int_equal(aw_dmarc_walk_names("x.a.b.c.d.e.f.example.com", &n), AW_OK);
	assert_int_equal(n.n, 8);
	assert_string_equal(n.v[0], "_dmarc.x.a.b.c.d.e.f.example.com");
	assert_string_equal(n.v[1], "_dmarc.b.c.d.e.f.example.com");
	assert_string_equal(n.v[7], "_dmarc.com");
	aw_strv_done(&n);
}

static void
walk_over_8_labels_asks_exactly_8_names_ending_at_top_rfc9989_4_10(void **state)
{
	static const char *const want[] = {
		"TXT _dmarc.a.b.c.d.e.f.g.h.i.j.k.example.com",
		"TXT _dmarc.g.h.i.j.k.example.com",
		"TXT _dmarc.h.i.j.k.example.com",
		"TXT _dmarc.i.j.k.example.com",
		"TXT _dmarc.j.k.example.com",
		"TXT _dmarc.k.example.com",
		"TXT _dmarc.example.com",
		"TXT _dmarc.com",
	};
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;
	size_t i;

	txt(fx, "_dmarc.example.com", "v=DMARC1; p=none");
	walk(fx, "a.b.c.d.e.f.g.h.i.j.k.example.com", &w);
	assert_int_equal(fx->asked.n, 8);
	for (i = 0; i < 8; i++)
		assert_string_equal(fx->asked.v[i], want[i]);
	assert_int_equal(w.nsteps, 8);
	assert_string_equal(w.org, "example.com");
	assert_int_equal(w.org_how, AW_DMARC_ORG_FEWEST);
	assert_int_equal(w.policy_step, 6);
	aw_dmarc_walk_done(&w);
}

static void
walk_skips_names_that_cannot_exist_rfc9989_4_10(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;
	char domain[100];

	memset(domain, 'a', 64);
	strcpy(domain + 64, ".example.com");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	walk(fx, domain, &w);
	assert_int_equal(fx->asked.n, 2);
	assert_string_equal(fx->asked.v[0], "TXT _dmarc.example.com");
	assert_int_equal(w.policy_step, 0);
	assert_string_equal(w.steps[0].domain, "example.com");
	aw_dmarc_walk_done(&w);
}

static void
walk_follows_an_alias_into_another_zone_rfc9989_4_10_step_1(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	/* the server answers with the CNAME only (another zone) */
	aw_dns_memory_set_cname_depth(fx->m, 0);
	assert_int_equal(aw_dns_memory_add_target(fx->m, "_dmarc.example.com",
	    AW_RECORD_CNAME, "example-com.dmarc.provider.example.net"), AW_OK);
	txt(fx, "example-com.dmarc.provider.example.net", "v=DMARC1; p=reject");
	walk(fx, "example.com", &w);
	assert_int_equal(w.steps[0].found, AW_DMARC_FOUND_ONE);
	assert_string_equal(w.steps[0].record, "v=DMARC1; p=reject");
	assert_string_equal(fx->asked.v[1],
	    "TXT example-com.dmarc.provider.example.net");
	assert_string_equal(w.org, "example.com");
	aw_dmarc_walk_done(&w);
}

static void
names_above_are_listed_with_the_walk_not_as_lookups_rfc9989_4_10(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;
	size_t i;

	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_addr(fx->m, "a.example.com", "192.0.2.1");
	d = area(fx, "a.example.com", &sec);
	assert_int_equal(d->walk.nsteps, 3);
	for (i = 0; i < sec->f.nlookups; i++)
		assert_false(strcmp(sec->f.lookups[i].name, "_dmarc.com") == 0);
	assert_false(sec->f.dns_failure);
}

static void
a_failure_above_is_an_error_and_no_policy_is_guessed_rfc9989_4_10(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.com", "v=DMARC1; p=reject; psd=y");
	aw_dns_memory_add_timeout(fx->m, "_dmarc.example.com", AW_RECORD_TXT);
	d = area(fx, "a.example.com", &sec);
	assert_int_equal(d->walk.nsteps, 2);
	assert_true(sec->f.dns_failure);
	assert_false(d->has_record);
	assert_null(d->walk.org);
	assert_int_not_equal(sec->f.status, AW_CHECK_MISSING);
}

/* --- §4.10 steps 2 and 6: several records ----------------------------- */

static void
several_records_are_discarded_and_walk_goes_on_rfc9989_4_10_steps_2_6(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.mail.example.com", "v=DMARC1; p=reject");
	txt(fx, "_dmarc.mail.example.com", "v=DMARC1; p=quarantine");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=none; sp=quarantine");
	aw_dns_memory_add_addr(fx->m, "mail.example.com", "192.0.2.1");
	d = area(fx, "mail.example.com", &sec);
	assert_int_equal(d->walk.steps[0].found, AW_DMARC_FOUND_SEVERAL);
	assert_int_equal(d->walk.steps[0].ndmarc, 2);
	assert_true(d->has_record);
	assert_string_equal(d->applied_name, "_dmarc.example.com");
	assert_int_equal(d->policy, AW_DMARC_QUARANTINE);
	assert_true(has_code(&sec->f, "dmarc.multiple-records"));
	assert_true(has_code(&sec->f, "dmarc.rfc7489-multiple"));
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	/* the records shown are those at the name itself (the wizard
	 * replaces them), not the one that applies from above */
	assert_int_equal(sec->f.records.n, 2);
	assert_string_equal(sec->f.records.v[0], "v=DMARC1; p=reject");
}

static void
several_records_above_are_discarded_too_rfc9989_4_10_step_6(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	txt(fx, "_dmarc.b.example.com", "v=DMARC1; p=reject; psd=n");
	txt(fx, "_dmarc.b.example.com", "v=DMARC1; p=none");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=quarantine");
	walk(fx, "a.b.example.com", &w);
	/* the psd=n of a discarded set does not stop the walk */
	assert_int_equal(w.nsteps, 4);
	assert_int_equal(w.steps[1].found, AW_DMARC_FOUND_SEVERAL);
	assert_string_equal(w.org, "example.com");
	assert_int_equal(w.policy_step, 2);
	aw_dmarc_walk_done(&w);
}

/* --- §4.10.1 and §4.10.2: which record, which organization ------------ */

static void
policy_is_the_fewest_labels_record_not_the_first_found_rfc9989_4_10_1(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.b.example.com", "v=DMARC1; p=none");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_addr(fx->m, "a.b.example.com", "192.0.2.1");
	d = area(fx, "a.b.example.com", &sec);
	assert_string_equal(d->walk.org, "example.com");
	assert_int_equal(d->walk.org_how, AW_DMARC_ORG_FEWEST);
	assert_string_equal(d->applied_name, "_dmarc.example.com");
	assert_int_equal(d->policy, AW_DMARC_REJECT);
	assert_int_equal(d->walk_queries, 4);
	assert_true(has_code(&sec->f, "dmarc.org-domain"));
}

static void
psd_n_stops_the_walk_and_is_the_org_domain_rfc9989_4_10_2(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.b.example.com", "v=DMARC1; p=reject; psd=n");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=none");
	aw_dns_memory_add_addr(fx->m, "a.b.example.com", "192.0.2.1");
	d = area(fx, "a.b.example.com", NULL);
	assert_int_equal(d->walk.nsteps, 2);
	assert_string_equal(d->walk.org, "b.example.com");
	assert_int_equal(d->walk.org_how, AW_DMARC_ORG_PSD_N);
	assert_string_equal(d->applied_name, "_dmarc.b.example.com");
	assert_int_equal(d->policy, AW_DMARC_REJECT);
}

static void
psd_n_at_the_author_domain_stops_at_once_rfc9989_4_10(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	txt(fx, "_dmarc.mail.example.com", "v=DMARC1; p=reject; psd=n");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	walk(fx, "mail.example.com", &w);
	assert_int_equal(fx->asked.n, 1);
	assert_string_equal(w.org, "mail.example.com");
	assert_int_equal(w.org_how, AW_DMARC_ORG_PSD_N);
	aw_dmarc_walk_done(&w);
}

static void
psd_y_puts_the_org_domain_one_label_below_rfc9989_4_10_2(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_detail *d;

	/* RFC 9989 Appendix B.4.3 */
	txt(fx, "_dmarc.bank.example", "v=DMARC1; p=reject; psd=y; rua=mailto:psd@bank.example");
	txt(fx, "_dmarc.giant.bank.example", "v=DMARC1; p=quarantine");
	d = area(fx, "giant.bank.example", NULL);
	assert_int_equal(d->walk.nsteps, 2);
	assert_string_equal(d->walk.org, "giant.bank.example");
	assert_int_equal(d->walk.org_how, AW_DMARC_ORG_PSD_Y);
	assert_false(d->inherited);
	assert_int_equal(d->policy, AW_DMARC_QUARANTINE);
	assert_int_equal(d->exists, 1);
}

static void
psd_record_applies_with_sp_when_org_has_none_rfc9989_4_10_1(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.bank.example", "v=DMARC1; p=reject; sp=quarantine; psd=y");
	aw_dns_memory_add_addr(fx->m, "mail.giant.bank.example", "192.0.2.2");
	d = area(fx, "mail.giant.bank.example", &sec);
	assert_string_equal(d->walk.org, "giant.bank.example");
	assert_string_equal(d->applied_name, "_dmarc.bank.example");
	assert_int_equal(d->policy, AW_DMARC_QUARANTINE);
	assert_true(has_code(&sec->f, "dmarc.psd"));
}

static void
psd_y_at_the_author_domain_is_its_own_org_rfc9989_4_10_2(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	txt(fx, "_dmarc.bank.example", "v=DMARC1; p=reject; sp=none; psd=y");
	walk(fx, "bank.example", &w);
	assert_string_equal(w.org, "bank.example");
	assert_int_equal(w.org_how, AW_DMARC_ORG_FEWEST);
	assert_int_equal(w.policy_step, 0);
	aw_dmarc_walk_done(&w);
}

static void
no_record_makes_the_domain_its_own_org_rfc9989_4_10_2(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	walk(fx, "mail.example.com", &w);
	assert_int_equal(fx->asked.n, 3);
	assert_string_equal(w.org, "mail.example.com");
	assert_int_equal(w.org_how, AW_DMARC_ORG_SELF);
	assert_int_equal(w.policy_step, -1);
	aw_dmarc_walk_done(&w);
}

static void
author_record_without_policy_is_not_passed_over_rfc9989_4_10_1(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.mail.example.com", "v=DMARC1; adkim=s");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	d = area(fx, "mail.example.com", &sec);
	assert_string_equal(d->applied_name, "_dmarc.mail.example.com");
	assert_false(d->processing);
	assert_int_equal(d->policy, AW_DMARC_UNSET);
	assert_true(has_code(&sec->f, "dmarc.no-policy"));
}

static void
dns_failure_ends_the_walk_and_leaves_the_org_unknown_rfc9989_4_10(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_walk w;

	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_timeout(fx->m, "_dmarc.com", 0);
	walk(fx, "example.com", &w);
	assert_true(w.failed);
	assert_null(w.org);
	assert_int_equal(w.org_how, AW_DMARC_ORG_UNKNOWN);
	/* the author domain's own record still applies */
	assert_int_equal(w.policy_step, 0);
	assert_int_equal(w.steps[1].found, AW_DMARC_FOUND_FAILED);
	aw_dmarc_walk_done(&w);
}

/* --- §4.7 np: names that do not exist ---------------------------------- */

static void
np_applies_when_the_author_domain_is_nxdomain_rfc9989_4_7(void **state)
{
	struct fixture *fx = *state;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject; sp=none; np=quarantine");
	d = area(fx, "sub.example.com", &sec);
	assert_int_equal(d->exists, 0);
	assert_int_equal(d->policy, AW_DMARC_QUARANTINE);
	assert_int_equal(d->policy_existing, AW_DMARC_NONE);
	assert_int_equal(d->policy_nx, AW_DMARC_QUARANTINE);
	assert_true(has_code(&sec->f, "dmarc.nonexistent"));
}

static void
sp_applies_when_the_author_domain_exists_rfc9989_4_7(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject; sp=none; np=quarantine");
	/* an MX and no A: NODATA, the name exists */
	aw_dns_memory_add_mx(fx->m, "sub.example.com", 10, "mx.example.com");
	d = area(fx, "sub.example.com", NULL);
	assert_int_equal(d->exists, 1);
	assert_int_equal(d->policy, AW_DMARC_NONE);
}

static void
psd_np_applies_to_a_registration_that_does_not_exist_rfc9989_4_7(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.gov.example", "v=DMARC1; p=reject; sp=none; np=reject; psd=y");
	d = area(fx, "fake-agency.gov.example", NULL);
	assert_string_equal(d->walk.org, "fake-agency.gov.example");
	assert_int_equal(d->walk.org_how, AW_DMARC_ORG_PSD_Y);
	assert_string_equal(d->applied_name, "_dmarc.gov.example");
	assert_int_equal(d->exists, 0);
	assert_int_equal(d->policy, AW_DMARC_REJECT);
	assert_int_equal(d->policy_existing, AW_DMARC_NONE);
}

/* --- §4.10.1: records without a valid policy --------------------------- */

struct judged {
	struct aw_dmarc_record r;
	struct aw_findings f;
};

static void
judge(struct judged *j, const char *text)
{
	aw_dmarc_record_init(&j->r);
	aw_findings_init(&j->f);
	assert_int_equal(aw_dmarc_parse(text, strlen(text), &j->r, &j->f), AW_OK);
}

static void
judged_done(struct judged *j)
{
	aw_dmarc_record_done(&j->r);
	aw_findings_done(&j->f);
}

static void
invalid_p_with_valid_rua_acts_as_none_keeping_tags_rfc9989_4_10_1(void **state)
{
	struct judged j;

	(void)state;
	judge(&j, "v=DMARC1; p=block; adkim=s; rua=mailto:dmarc@example.com!10m");
	assert_int_equal(aw_dmarc_policy_for(&j.r, false, false), AW_DMARC_NONE);
	assert_int_equal(aw_dmarc_policy_for(&j.r, true, true), AW_DMARC_NONE);
	assert_int_equal(j.r.adkim, 's');
	assert_true(has_code(&j.f, "dmarc.policy-as-none"));
	assert_false(has_code(&j.f, "dmarc.no-policy"));
	judged_done(&j);
	judge(&j, "v=DMARC1; rua=mailto:dmarc@example.com");
	assert_int_equal(aw_dmarc_policy_for(&j.r, false, false), AW_DMARC_NONE);
	assert_true(has_code(&j.f, "dmarc.policy-as-none"));
	judged_done(&j);
}

static void
invalid_sp_or_np_with_rua_is_none_for_every_name_rfc9989_4_10_1(void **state)
{
	static const char *const cases[] = {
		"v=DMARC1; p=reject; sp=bounce; rua=mailto:dmarc@example.com",
		"v=DMARC1; p=reject; np=; rua=mailto:dmarc@example.com",
	};
	struct judged j;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		judge(&j, cases[i]);
		assert_int_equal(aw_dmarc_policy_for(&j.r, false, false), AW_DMARC_NONE);
		assert_int_equal(aw_dmarc_policy_for(&j.r, true, false), AW_DMARC_NONE);
		assert_int_equal(aw_dmarc_policy_for(&j.r, true, true), AW_DMARC_NONE);
		judged_done(&j);
	}
}

static void
no_valid_policy_and_no_valid_rua_is_no_processing_rfc9989_4_10_1(void **state)
{
	static const char *const cases[] = {
		"v=DMARC1; p=reject; sp=nope; rua=dmarc@example.com",
		"v=DMARC1; p=reject; sp=nope; rua=",
		"v=DMARC1; adkim=s",
		"v=DMARC1; p=block",
	};
	struct judged j;
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++) {
		judge(&j, cases[i]);
		assert_int_equal(aw_dmarc_policy_for(&j.r, false, false), AW_DMARC_UNSET);
		assert_int_equal(aw_dmarc_policy_for(&j.r, true, true), AW_DMARC_UNSET);
		assert_true(has_code(&j.f, "dmarc.no-policy"));
		judged_done(&j);
	}
}

static void
empty_mailto_is_a_valid_uri_rfc3986_3(void **state)
{
	struct judged j;

	(void)state;
	/* RFC 3986: scheme ":" path-empty is a URI, so the record reads
	 * as p=none (the notes' reading of §4.10.1) */
	judge(&j, "v=DMARC1; p=reject; sp=nope; rua=mailto:");
	assert_true(j.r.rua_uri_ok);
	assert_int_equal(aw_dmarc_policy_for(&j.r, false, false), AW_DMARC_NONE);
	judged_done(&j);
}

/* --- §4.7: the version tag and tag names -------------------------------- */

static void
version_tag_name_and_spaces_are_free_value_is_not_rfc9989_4_7(void **state)
{
	struct judged j;

	(void)state;
	assert_true(aw_dmarc_is_record("V=DMARC1; p=reject", 18));
	assert_true(aw_dmarc_is_record("v = DMARC1; p=reject", 20));
	assert_true(aw_dmarc_is_record("v=DMARC1 ;p=reject", 18));
	assert_false(aw_dmarc_is_record("v=dmarc1; p=reject", 18));
	assert_false(aw_dmarc_is_record("v=DMARC1x; p=reject", 19));
	assert_false(aw_dmarc_is_record("v=DMARC1 p=reject", 17));
	judge(&j, "V = DMARC1; P = Reject; ADKIM=S");
	assert_int_equal(j.r.p, AW_DMARC_REJECT);
	assert_int_equal(j.r.adkim, 's');
	assert_true(has_code(&j.f, "dmarc.version-form"));
	assert_int_equal(j.f.errors.n, 0);
	judged_done(&j);
}

static void
version_variants_are_found_by_the_walk_rfc9989_4_10_step_2(void **state)
{
	struct fixture *fx = *state;
	struct aw_dmarc_detail *d;

	txt(fx, "_dmarc.example.com", "v = DMARC1; p=reject");
	d = area(fx, "example.com", NULL);
	assert_true(d->has_record);
	assert_int_equal(d->policy, AW_DMARC_REJECT);
}

/* --- §4.4: alignment by the walk, not the Public Suffix List ------------ */

static void
alignment_does_not_join_registrants_below_a_psd_rfc9989_4_4(void **state)
{
	struct fixture *fx = *state;
	struct aw_dns_source src = recording(fx);
	struct aw_dmarc_alignment a;

	txt(fx, "_dmarc.bank.example", "v=DMARC1; p=reject; psd=y");
	assert_int_equal(aw_dmarc_align(&src, "giant.bank.example",
	    "mail.giant.bank.example", "mega.bank.example", &a), AW_OK);
	assert_string_equal(a.from_org, "giant.bank.example");
	assert_int_equal(a.from_how, AW_DMARC_ORG_PSD_Y);
	assert_true(a.spf_relaxed);
	assert_false(a.spf_strict);
	assert_false(a.dkim_relaxed);
	/* the Public Suffix List does not know bank.example: RFC 7489
	 * receivers align both */
	assert_true(a.dkim_relaxed_psl);
	aw_dmarc_alignment_done(&a);
}

static void
alignment_stops_at_psd_n_rfc9989_4_4(void **state)
{
	struct fixture *fx = *state;
	struct aw_dns_source src = recording(fx);
	struct aw_dmarc_alignment a;

	txt(fx, "_dmarc.mail.example.com", "v=DMARC1; p=reject; psd=n");
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	assert_int_equal(aw_dmarc_align(&src, "mail.example.com", NULL,
	    "example.com", &a), AW_OK);
	assert_string_equal(a.from_org, "mail.example.com");
	assert_false(a.dkim_relaxed);
	assert_true(a.dkim_relaxed_psl);
	aw_dmarc_alignment_done(&a);
}

static void
alignment_by_fewest_labels_and_by_itself_rfc9989_4_4(void **state)
{
	struct fixture *fx = *state;
	struct aw_dns_source src = recording(fx);
	struct aw_dmarc_alignment a;

	/* RFC 9989 Appendix B.4.1 */
	txt(fx, "_dmarc.example.com", "v=DMARC1; p=reject");
	txt(fx, "_dmarc.signing.example.com", "v=DMARC1; p=reject");
	assert_int_equal(aw_dmarc_align(&src, "example.com", "example.com",
	    "signing.example.com", &a), AW_OK);
	assert_true(a.spf_strict);
	assert_true(a.dkim_relaxed);
	assert_false(a.dkim_strict);
	assert_string_equal(a.dkim_org, "example.com");
	aw_dmarc_alignment_done(&a);
	/* no record anywhere: each name is its own organization */
	assert_int_equal(aw_dmarc_align(&src, "mail.example.org", NULL,
	    "example.org", &a), AW_OK);
	assert_int_equal(a.from_how, AW_DMARC_ORG_SELF);
	assert_false(a.dkim_relaxed);
	assert_true(a.dkim_relaxed_psl);
	aw_dmarc_alignment_done(&a);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(walk_8_labels_loses_one_label_rfc9989_4_10_step_4),
		T(walk_9_labels_jumps_to_last_7_rfc9989_4_10_step_4),
		T(walk_over_8_labels_asks_exactly_8_names_ending_at_top_rfc9989_4_10),
		T(walk_skips_names_that_cannot_exist_rfc9989_4_10),
		T(walk_follows_an_alias_into_another_zone_rfc9989_4_10_step_1),
		T(names_above_are_listed_with_the_walk_not_as_lookups_rfc9989_4_10),
		T(a_failure_above_is_an_error_and_no_policy_is_guessed_rfc9989_4_10),
		T(several_records_are_discarded_and_walk_goes_on_rfc9989_4_10_steps_2_6),
		T(several_records_above_are_discarded_too_rfc9989_4_10_step_6),
		T(policy_is_the_fewest_labels_record_not_the_first_found_rfc9989_4_10_1),
		T(psd_n_stops_the_walk_and_is_the_org_domain_rfc9989_4_10_2),
		T(psd_n_at_the_author_domain_stops_at_once_rfc9989_4_10),
		T(psd_y_puts_the_org_domain_one_label_below_rfc9989_4_10_2),
		T(psd_record_applies_with_sp_when_org_has_none_rfc9989_4_10_1),
		T(psd_y_at_the_author_domain_is_its_own_org_rfc9989_4_10_2),
		T(no_record_makes_the_domain_its_own_org_rfc9989_4_10_2),
		T(author_record_without_policy_is_not_passed_over_rfc9989_4_10_1),
		T(dns_failure_ends_the_walk_and_leaves_the_org_unknown_rfc9989_4_10),
		T(np_applies_when_the_author_domain_is_nxdomain_rfc9989_4_7),
		T(sp_applies_when_the_author_domain_exists_rfc9989_4_7),
		T(psd_np_applies_to_a_registration_that_does_not_exist_rfc9989_4_7),
		T(invalid_p_with_valid_rua_acts_as_none_keeping_tags_rfc9989_4_10_1),
		T(invalid_sp_or_np_with_rua_is_none_for_every_name_rfc9989_4_10_1),
		T(no_valid_policy_and_no_valid_rua_is_no_processing_rfc9989_4_10_1),
		T(empty_mailto_is_a_valid_uri_rfc3986_3),
		T(version_tag_name_and_spaces_are_free_value_is_not_rfc9989_4_7),
		T(version_variants_are_found_by_the_walk_rfc9989_4_10_step_2),
		T(alignment_does_not_join_registrants_below_a_psd_rfc9989_4_4),
		T(alignment_stops_at_psd_n_rfc9989_4_4),
		T(alignment_by_fewest_labels_and_by_itself_rfc9989_4_4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
