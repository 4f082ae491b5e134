/* test_dmarc.c: DMARC records by RFC 9989 (with the RFC 7489 differences),
 * report authorization (RFC 9990), the builder. The tree walk, policy
 * discovery and alignment are in test_dmarc_walk.c. */
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
#include "tests/unit/helpers/area.h"

struct judged {
	struct aw_dmarc_record r;
	struct aw_findings f;
};

static struct judged *
judge(const char *txt)
{
	struct judged *j = calloc(1, sizeof *j);

	aw_dmarc_record_init(&j->r);
	aw_findings_init(&j->f);
	assert_int_equal(aw_dmarc_parse(txt, strlen(txt), &j->r, &j->f), AW_OK);
	return j;
}

static void
judged_free(struct judged *j)
{
	aw_dmarc_record_done(&j->r);
	aw_findings_done(&j->f);
	free(j);
}

static void
version_is_first_and_case_sensitive_rfc9989_4_7(void **state)
{
	assert_true(aw_dmarc_is_record("v=DMARC1; p=none", 16));
	assert_true(aw_dmarc_is_record("v=DMARC1", 8));
	/* RFC 9989 §4.7: only the value is case-sensitive */
	assert_true(aw_dmarc_is_record("V=DMARC1; p=none", 16));
	assert_false(aw_dmarc_is_record("v=dmarc1; p=none", 16));
	assert_false(aw_dmarc_is_record("v=DMARC1x; p=none", 17));
	assert_false(aw_dmarc_is_record("p=none; v=DMARC1", 16));
}

static void
full_record_parses_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=reject; sp=quarantine; np=reject; "
	    "adkim=s; aspf=r; t=n; psd=n; rua=mailto:a@example.com; "
	    "ruf=mailto:f@example.com; fo=1:d");

	assert_true(j->r.valid);
	assert_int_equal(j->r.p, AW_DMARC_REJECT);
	assert_int_equal(j->r.sp, AW_DMARC_QUARANTINE);
	assert_int_equal(j->r.np, AW_DMARC_REJECT);
	assert_int_equal(j->r.adkim, 's');
	assert_int_equal(j->r.psd, 'n');
	assert_int_equal(j->r.nrua, 1);
	assert_string_equal(j->r.rua[0].domain, "example.com");
	assert_int_equal(j->f.errors.n, 0);
	assert_int_equal(j->f.warnings.n, 0);
	judged_free(j);
}

static void
obsolete_pct_explains_rfc7489_receivers(void **state)
{
	struct judged *j = judge("v=DMARC1; p=reject; pct=20; rf=afrf; ri=3600; rua=mailto:a@example.com");

	assert_true(j->r.valid);
	assert_int_equal(j->r.pct, 20);
	assert_true(aw_test_has(&j->f.warnings, "20%"));
	assert_true(aw_test_has(&j->f.warnings, "rf="));
	assert_true(aw_test_has(&j->f.warnings, "ri="));
	judged_free(j);
}

static void
size_suffix_is_obsolete_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=none; rua=mailto:a@example.com!10m");

	assert_string_equal(j->r.rua[0].size, "10m");
	assert_string_equal(j->r.rua[0].address, "a@example.com");
	assert_true(aw_test_has(&j->f.warnings, "!size"));
	judged_free(j);
}

/* Was "missing_p_differs_between_rfc9989_and_rfc7489_6_6_3", which said
 * RFC 9989 reads a record without p= as none even without rua=: both RFCs
 * say none only with a valid rua= URI (RFC 9989 §4.10.1, RFC 7489
 * §6.6.3), else no DMARC processing. */
static void
missing_p_is_none_only_with_valid_rua_rfc9989_4_10_1(void **state)
{
	struct judged *j = judge("v=DMARC1; rua=mailto:a@example.com");

	assert_true(j->r.valid);
	assert_int_equal(aw_dmarc_policy_for(&j->r, false, false), AW_DMARC_NONE);
	assert_non_null(aw_findings_find(&j->f, "dmarc.policy-as-none"));
	judged_free(j);
	j = judge("v=DMARC1");
	assert_int_equal(aw_dmarc_policy_for(&j->r, false, false), AW_DMARC_UNSET);
	assert_non_null(aw_findings_find(&j->f, "dmarc.no-policy"));
	judged_free(j);
}

static void
p_not_second_warns_for_rfc7489_6_4(void **state)
{
	struct judged *j = judge("v=DMARC1; rua=mailto:a@example.com; p=none");

	assert_true(j->r.valid);
	assert_true(aw_test_has(&j->f.warnings, "right after"));
	judged_free(j);
}

static void
bad_values_and_duplicates_are_errors_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=block");

	/* RFC 9989 §4.10.1: no valid p and no rua: no DMARC processing */
	assert_int_equal(aw_dmarc_policy_for(&j->r, false, false), AW_DMARC_UNSET);
	assert_true(aw_test_has(&j->f.errors, "p=block"));
	judged_free(j);
	j = judge("v=DMARC1; p=none; p=reject");
	assert_false(j->r.valid);
	assert_int_equal(aw_dmarc_policy_for(&j->r, false, false), AW_DMARC_UNSET);
	assert_true(aw_test_has(&j->f.errors, "twice"));
	judged_free(j);
	j = judge("v=DMARC1; p=none; rua=https://example.com/r");
	assert_true(aw_test_has(&j->f.errors, "mailto:"));
	judged_free(j);
}

static void
unknown_tags_are_warned_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=none; foo=bar; rua=mailto:a@example.com");

	assert_true(j->r.valid);
	assert_true(aw_test_has(&j->f.warnings, "foo="));
	judged_free(j);
}

static void
testing_lowers_policy_one_step_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=reject; t=y; rua=mailto:a@example.com");

	assert_true(j->r.testing);
	assert_int_equal(aw_dmarc_policy_tested(AW_DMARC_REJECT), AW_DMARC_QUARANTINE);
	assert_int_equal(aw_dmarc_policy_tested(AW_DMARC_QUARANTINE), AW_DMARC_NONE);
	assert_true(aw_test_has(&j->f.warnings, "RFC 7489 receivers ignore t="));
	judged_free(j);
}

static void
np_defaults_to_sp_then_p_rfc9989_4_7(void **state)
{
	struct judged *j = judge("v=DMARC1; p=reject; sp=quarantine");

	assert_int_equal(aw_dmarc_policy_for(&j->r, true, false), AW_DMARC_QUARANTINE);
	assert_int_equal(aw_dmarc_policy_for(&j->r, true, true), AW_DMARC_QUARANTINE);
	judged_free(j);
	j = judge("v=DMARC1; p=quarantine; np=reject");
	assert_int_equal(aw_dmarc_policy_for(&j->r, true, false), AW_DMARC_QUARANTINE);
	assert_int_equal(aw_dmarc_policy_for(&j->r, true, true), AW_DMARC_REJECT);
	judged_free(j);
}

static void
builder_and_staged_path(void **state)
{
	const char *rua[] = { "dmarc@example.com", "mailto:r@reports.example.net" };
	struct aw_dmarc_build b;
	struct aw_strv path;
	struct aw_error err;
	char *rec;
	struct judged *j;

	memset(&b, 0, sizeof b);
	b.p = AW_DMARC_QUARANTINE;
	b.np = AW_DMARC_REJECT;
	b.testing = true;
	b.adkim = 's';
	b.rua = rua;
	b.nrua = 2;
	aw_error_clear(&err);
	assert_int_equal(aw_dmarc_build(&b, &rec, &err), AW_OK);
	assert_string_equal(rec, "v=DMARC1; p=quarantine; np=reject; adkim=s; t=y; "
	    "rua=mailto:dmarc@example.com,mailto:r@reports.example.net");
	j = judge(rec);           /* what we build, we accept */
	assert_true(j->r.valid);
	assert_int_equal(j->f.errors.n, 0);
	judged_free(j);
	free(rec);
	rua[0] = "not an address";
	assert_int_equal(aw_dmarc_build(&b, &rec, &err), AW_ERR_INVALID);
	aw_strv_init(&path);
	aw_dmarc_staged_path(&path);
	assert_int_equal(path.n, 5);
	assert_true(aw_test_has(&path, "t=y"));
	aw_strv_done(&path);
}

/* The area over the in-memory source. */
static struct aw_section *
run(struct aw_loop *loop, struct aw_dns_memory *m, const char *domain,
    struct aw_domain_check **dc)
{
	*dc = aw_test_run_area(loop, m, domain, "dmarc", NULL);
	assert_non_null(*dc);
	return aw_test_section(*dc, "dmarc", NULL);
}

static void
area_tree_walk_finds_the_org_record_rfc9989_4_10(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	aw_dns_memory_add_txt1(m, "_dmarc.example.com",
	    "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com");
	aw_dns_memory_add_addr(m, "a.b.example.com", "192.0.2.1");
	sec = run(loop, m, "a.b.example.com", &dc);
	d = sec->detail;
	assert_true(d->has_record);
	assert_true(d->inherited);
	assert_string_equal(d->applied_name, "_dmarc.example.com");
	/* RFC 9989 §4.10: the walk does not stop at the first
	 * record found; it goes on to the top label (no psd= to stop it).
	 * This asserted 3 when the walk stopped at _dmarc.example.com. */
	assert_int_equal(d->walk_queries, 4);
	assert_string_equal(d->walk.steps[3].name, "_dmarc.com");
	assert_int_equal(d->policy, AW_DMARC_QUARANTINE);
	/* the walk, the CNAME at _dmarc.<domain>, the existence query */
	assert_int_equal(aw_dns_memory_queries(m), 4 + 1 + 1);
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
area_psd_record_applies_and_rfc7489_differs(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	aw_dns_memory_add_txt1(m, "_dmarc.com", "v=DMARC1; p=reject; psd=y");
	sec = run(loop, m, "example.com", &dc);
	d = sec->detail;
	assert_true(d->has_record);
	assert_string_equal(d->applied_name, "_dmarc.com");
	assert_true(aw_test_has(&sec->f.notes, "psd=y"));
	assert_true(aw_test_has(&sec->f.warnings, "RFC 7489 receivers look at _dmarc.example.com"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
area_two_records_is_an_error_rfc9989_4_10(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;

	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "v=DMARC1; p=none");
	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "google-site-verification=x");
	sec = run(loop, m, "example.com", &dc);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	/* RFC 9989 §4.10 step 2: discarded; nothing above applies either */
	assert_false(((struct aw_dmarc_detail *)sec->detail)->has_record);
	assert_non_null(aw_findings_find(&sec->f, "dmarc.multiple-records"));
	assert_true(aw_test_has(&sec->f.warnings, "not DMARC"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
area_cname_beside_txt_is_an_error_rfc1034_3_6_2(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;

	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "v=DMARC1; p=none");
	aw_dns_memory_add_target(m, "_dmarc.example.com", AW_RECORD_CNAME,
	    "dmarc.provider.example.net");
	sec = run(loop, m, "example.com", &dc);
	assert_true(((struct aw_dmarc_detail *)sec->detail)->cname_and_txt);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
area_external_reports_need_authorization_rfc9990(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;
	struct aw_dmarc_detail *d;

	aw_dns_memory_add_txt1(m, "_dmarc.example.com",
	    "v=DMARC1; p=none; rua=mailto:a@reports.example.net,"
	    "mailto:b@wild.example.org,mailto:c@nope.example.info,mailto:d@example.com");
	aw_dns_memory_add_txt1(m, "example.com._report._dmarc.reports.example.net",
	    "v=DMARC1;");
	aw_dns_memory_add_txt1(m, "*._report._dmarc.wild.example.org", "v=DMARC1");
	sec = run(loop, m, "example.com", &dc);
	d = sec->detail;
	assert_int_equal(d->nauth, 3);
	assert_true(d->auth[0].authorized);
	assert_false(d->auth[0].wildcard);
	assert_true(d->auth[1].authorized);
	assert_true(d->auth[1].wildcard);
	assert_false(d->auth[2].authorized);
	assert_true(aw_test_has(&sec->f.warnings, "reports to nope.example.info are dropped"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
area_no_record_anywhere_is_missing(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;

	aw_dns_memory_add_txt1(m, "example.com", "v=spf1 -all");
	sec = run(loop, m, "example.com", &dc);
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_false(sec->f.dns_failure);
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(version_is_first_and_case_sensitive_rfc9989_4_7),
		cmocka_unit_test(full_record_parses_rfc9989_4_7),
		cmocka_unit_test(obsolete_pct_explains_rfc7489_receivers),
		cmocka_unit_test(size_suffix_is_obsolete_rfc9989_4_7),
		cmocka_unit_test(missing_p_is_none_only_with_valid_rua_rfc9989_4_10_1),
		cmocka_unit_test(p_not_second_warns_for_rfc7489_6_4),
		cmocka_unit_test(bad_values_and_duplicates_are_errors_rfc9989_4_7),
		cmocka_unit_test(unknown_tags_are_warned_rfc9989_4_7),
		cmocka_unit_test(testing_lowers_policy_one_step_rfc9989_4_7),
		cmocka_unit_test(np_defaults_to_sp_then_p_rfc9989_4_7),
		cmocka_unit_test(builder_and_staged_path),
		cmocka_unit_test(area_tree_walk_finds_the_org_record_rfc9989_4_10),
		cmocka_unit_test(area_psd_record_applies_and_rfc7489_differs),
		cmocka_unit_test(area_two_records_is_an_error_rfc9989_4_10),
		cmocka_unit_test(area_cname_beside_txt_is_an_error_rfc1034_3_6_2),
		cmocka_unit_test(area_external_reports_need_authorization_rfc9990),
		cmocka_unit_test(area_no_record_anywhere_is_missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
