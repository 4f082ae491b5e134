/* test_spf_build.c: the SPF record builder (checks/spf-build.h). */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/spf-build.h"

static void
build(const char *const *ex, size_t nex, const char *const *terms,
    size_t nterms, const char *all, struct aw_spf_build *out)
{
	struct aw_spf_want w = { .terms = terms, .nterms = nterms, .all = all };
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_spf_build(ex, nex, &w, out, &err) != AW_OK)
		fail_msg("build failed: %s", err.msg);
}

static bool
has(const struct aw_strv *sv, const char *part)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], part) != NULL)
			return true;
	return false;
}

static void
adds_missing_include_before_all(void **state)
{
	const char *ex[] = { "v=spf1 include:_spf.google.com ~all" };
	const char *want[] = { "include:_spf.leaddesk.com" };
	struct aw_spf_build b, again;
	const char *ex2[1];

	(void)state;
	build(ex, 1, want, 1, NULL, &b);
	assert_string_equal(b.record,
	    "v=spf1 include:_spf.google.com include:_spf.leaddesk.com ~all");
	assert_true(b.changed);
	assert_int_equal(b.lookups, 2);
	assert_true(has(&b.notes, "include:_spf.leaddesk.com"));
	/* Adding it again changes nothing. */
	ex2[0] = b.record;
	build(ex2, 1, want, 1, NULL, &again);
	assert_string_equal(again.record, b.record);
	assert_false(again.changed);
	aw_spf_build_done(&again);
	aw_spf_build_done(&b);
}

static void
case_and_trailing_dot_variants_are_duplicates(void **state)
{
	const char *ex[] = { "v=spf1 include:_SPF.Google.com. ip4:192.0.2.1 mx -all" };
	const char *want[] = { "include:_spf.google.com", "+ip4:192.0.2.1/32",
	    "MX", "include:_spf.google.com." };
	struct aw_spf_build b;

	(void)state;
	build(ex, 1, want, 4, NULL, &b);
	assert_string_equal(b.record, ex[0]);
	assert_false(b.changed);
	aw_spf_build_done(&b);
}

static void
keeps_all_qualifier_unless_asked(void **state)
{
	const char *ex[] = { "v=spf1 a ?all" };
	const char *want[] = { "ip6:2001:db8::/32" };
	struct aw_spf_build b;

	(void)state;
	build(ex, 1, want, 1, NULL, &b);
	assert_string_equal(b.record, "v=spf1 a ip6:2001:db8::/32 ?all");
	aw_spf_build_done(&b);
	build(ex, 1, want, 1, "-all", &b);
	assert_string_equal(b.record, "v=spf1 a ip6:2001:db8::/32 -all");
	assert_true(has(&b.notes, "-all"));
	aw_spf_build_done(&b);
}

static void
new_record_gets_softfail_all(void **state)
{
	const char *want[] = { "mx", "include:spf.protection.outlook.com" };
	struct aw_spf_build b;

	(void)state;
	build(NULL, 0, want, 2, NULL, &b);
	assert_string_equal(b.record,
	    "v=spf1 mx include:spf.protection.outlook.com ~all");
	assert_true(b.changed);
	aw_spf_build_done(&b);
}

static void
two_records_merge_into_one_with_origins(void **state)
{
	const char *ex[] = { "v=spf1 include:_spf.google.com ~all",
	    "v=spf1 include:mailgun.org include:_spf.google.com -all" };
	struct aw_spf_build b;

	(void)state;
	build(ex, 2, NULL, 0, NULL, &b);
	assert_string_equal(b.record,
	    "v=spf1 include:_spf.google.com include:mailgun.org -all");
	assert_true(b.changed);
	assert_true(has(&b.notes, "\"include:mailgun.org\" comes from SPF record 2"));
	assert_true(has(&b.notes, "\"include:_spf.google.com\" comes from SPF record 1"));
	assert_true(has(&b.notes, "kept once"));
	assert_true(has(&b.notes, "merged"));
	aw_spf_build_done(&b);
}

static void
warns_past_ten_lookups_and_255_bytes(void **state)
{
	const char *ex[] = { "v=spf1 a mx include:a.example.com include:b.example.com "
	    "include:c.example.com include:d.example.com include:e.example.com "
	    "include:f.example.com include:g.example.com ~all" };
	const char *want[] = { "include:h-very-long-name-for-a-sender.example.com",
	    "include:i-very-long-name-for-a-sender.example.com" };
	struct aw_spf_build b;

	(void)state;
	build(ex, 1, want, 2, NULL, &b);
	assert_int_equal(b.lookups, 11);
	assert_true(has(&b.warnings, "11 DNS-querying terms"));
	assert_true(strlen(b.record) > 255);
	assert_true(has(&b.warnings, "255 bytes"));
	aw_spf_build_done(&b);
}

static void
adds_before_redirect_and_warns_when_all_voids_it(void **state)
{
	const char *ex[] = { "v=spf1 mx redirect=_spf.example.com" };
	const char *want[] = { "include:_spf.example.net" };
	struct aw_spf_build b;

	(void)state;
	build(ex, 1, want, 1, NULL, &b);
	assert_string_equal(b.record,
	    "v=spf1 mx include:_spf.example.net redirect=_spf.example.com");
	assert_int_equal(b.lookups, 3);
	assert_int_equal(b.warnings.n, 0);
	aw_spf_build_done(&b);
	build(ex, 1, want, 1, "-all", &b);
	assert_string_equal(b.record,
	    "v=spf1 mx include:_spf.example.net -all redirect=_spf.example.com");
	assert_true(has(&b.warnings, "is ignored"));
	assert_int_equal(b.lookups, 2);
	aw_spf_build_done(&b);
}

static void
rejects_invalid_terms(void **state)
{
	const char *want[] = { "include:" };
	struct aw_spf_want w = { .terms = want, .nterms = 1 };
	struct aw_spf_build b;
	struct aw_error err;

	(void)state;
	assert_int_equal(aw_spf_build(NULL, 0, &w, &b, &err), AW_ERR_INVALID);
	assert_null(b.record);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(adds_missing_include_before_all),
		cmocka_unit_test(case_and_trailing_dot_variants_are_duplicates),
		cmocka_unit_test(keeps_all_qualifier_unless_asked),
		cmocka_unit_test(new_record_gets_softfail_all),
		cmocka_unit_test(two_records_merge_into_one_with_origins),
		cmocka_unit_test(warns_past_ten_lookups_and_255_bytes),
		cmocka_unit_test(adds_before_redirect_and_warns_when_all_voids_it),
		cmocka_unit_test(rejects_invalid_terms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
