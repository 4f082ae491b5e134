/* test_ptr.c: reverse DNS (FCrDNS, generic names) and HELO rules over the
 * in-memory DNS source. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/ptr.h"
#include "tests/unit/helpers/area.h"

static void
reverse_names_rfc1035_3_5_rfc3596_2_5(void **state)
{
	char *r = aw_reverse_name("192.0.2.50");

	assert_string_equal(r, "50.2.0.192.in-addr.arpa");
	free(r);
	r = aw_reverse_name("2001:db8::50");
	assert_string_equal(r, "0.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	free(r);
	assert_null(aw_reverse_name("not-an-ip"));
}

static void
generic_names_are_flagged_with_the_reason(void **state)
{
	char *why;

	why = aw_ptr_generic_reason("192-0-2-70.dsl.example.net", "192.0.2.70");
	assert_non_null(why);
	assert_non_null(strstr(why, "digits"));
	free(why);
	why = aw_ptr_generic_reason("70.2.0.192.static.example.net", "192.0.2.70");
	assert_non_null(why);
	free(why);
	why = aw_ptr_generic_reason("host-c0000246.example.net", "192.0.2.70");
	assert_non_null(why);
	free(why);
	why = aw_ptr_generic_reason("dynamic-pool.example.net", "198.51.100.1");
	assert_non_null(why);
	assert_non_null(strstr(why, "dynamic"));
	free(why);
	why = aw_ptr_generic_reason("cpe-12.cable.example.net", NULL);
	assert_non_null(why);
	free(why);
	assert_null(aw_ptr_generic_reason("mail.example.com", "192.0.2.70"));
	assert_null(aw_ptr_generic_reason("smtp2.example.com", "192.0.2.2"));
	assert_null(aw_ptr_generic_reason("poolside.example.com", "192.0.2.2"));
}

static void
helo_syntax_rfc5321_4_1_1_1(void **state)
{
	struct aw_findings f;

	aw_findings_init(&f);
	assert_true(aw_helo_check_syntax("mail.example.com", &f));
	assert_false(aw_helo_check_syntax("[192.0.2.1]", &f));
	assert_false(aw_helo_check_syntax("192.0.2.1", &f));
	assert_false(aw_helo_check_syntax("localhost", &f));
	assert_false(aw_helo_check_syntax("localhost.localdomain", &f));
	assert_false(aw_helo_check_syntax("mailhost", &f));
	assert_int_equal(f.errors.n, 5);
	aw_findings_done(&f);
}

/* RFC 5321 §4.1.2: a HELO domain is letters, digits and inner hyphens. */
static void
helo_labels_are_letters_digits_hyphens_rfc5321_4_1_2(void **state)
{
	struct aw_findings f;

	(void)state;
	aw_findings_init(&f);
	assert_true(aw_helo_check_syntax("mail-1.example.com", &f));
	assert_true(aw_helo_check_syntax("1mail.example.com", &f));
	assert_true(aw_helo_check_syntax("xn--bcher-kva.example", &f));
	assert_true(aw_helo_check_syntax("Mail.Example.COM.", &f));
	assert_int_equal(f.errors.n, 0);
	assert_false(aw_helo_check_syntax("mail_1.example.com", &f));
	assert_false(aw_helo_check_syntax("-mail.example.com", &f));
	assert_false(aw_helo_check_syntax("mail-.example.com", &f));
	assert_false(aw_helo_check_syntax("mail.exa mple.com", &f));
	assert_int_equal(f.errors.n, 4);
	assert_non_null(strstr(f.errors.v[0], "not a host name"));
	aw_findings_done(&f);
}

struct bed {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_domain_check *dc;
};

static struct bed *
bed_new(void)
{
	struct bed *b = calloc(1, sizeof *b);

	b->loop = aw_loop_new();
	b->m = aw_dns_memory_new(b->loop);
	aw_dns_memory_add_target(b->m, "50.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "out1.example.org");
	aw_dns_memory_add_addr(b->m, "out1.example.org", "192.0.2.50");
	aw_dns_memory_add_target(b->m, "60.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "out2.example.org");
	aw_dns_memory_add_addr(b->m, "out2.example.org", "192.0.2.61");
	aw_dns_memory_add_target(b->m, "62.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "ghost.example.org");
	aw_dns_memory_add_target(b->m, "70.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "192-0-2-70.dsl.isp.example.net");
	aw_dns_memory_add_addr(b->m, "192-0-2-70.dsl.isp.example.net",
	    "192.0.2.70");
	aw_dns_memory_add_mx(b->m, "example.org", 10, "mx.example.org");
	aw_dns_memory_add_addr(b->m, "mx.example.org", "192.0.2.25");
	return b;
}

static struct aw_section *
bed_run(struct bed *b, const char *ip, const char *helo, const char *area)
{
	struct aw_domain_check_opts opts;
	const char *ips[1] = { ip };
	const char *areas[2] = { "ptr", "helo" };

	memset(&opts, 0, sizeof opts);
	opts.ips = ip ? ips : NULL;
	opts.nips = ip ? 1 : 0;
	opts.helo = helo;
	opts.areas = areas;
	opts.nareas = 2;
	b->dc = aw_test_run_area(b->loop, b->m, "example.org", NULL, &opts);
	assert_non_null(b->dc);
	return aw_test_section(b->dc, area, NULL);
}

static void
bed_free(struct bed *b)
{
	aw_domain_check_free(b->dc);
	aw_dns_memory_free(b->m);
	aw_loop_free(b->loop);
	free(b);
}

static void
fcrdns_pass(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, "192.0.2.50", NULL, "ptr");
	struct aw_ptr_detail *d = sec->detail;

	assert_int_equal(sec->f.status, AW_CHECK_OK);
	assert_true(d->fcrdns);
	assert_int_equal(d->nnames, 1);
	assert_true(d->names[0].in_domain);
	assert_null(d->names[0].generic_reason);
	bed_free(b);
}

static void
ptr_missing_is_an_error(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, "192.0.2.99", NULL, "ptr");

	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_false(((struct aw_ptr_detail *)sec->detail)->fcrdns);
	assert_true(aw_test_has(&sec->f.errors, "no PTR record"));
	bed_free(b);
}

static void
ptr_resolving_elsewhere_is_not_confirmed(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, "192.0.2.60", NULL, "ptr");

	assert_false(((struct aw_ptr_detail *)sec->detail)->fcrdns);
	assert_true(aw_test_has(&sec->f.errors, "other addresses"));
	bed_free(b);
	b = bed_new();
	sec = bed_run(b, "192.0.2.62", NULL, "ptr");
	assert_true(aw_test_has(&sec->f.errors, "does not resolve"));
	bed_free(b);
}

static void
generic_ptr_is_a_warning_and_outside_domain_noted(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, "192.0.2.70", NULL, "ptr");
	struct aw_ptr_detail *d = sec->detail;

	assert_true(d->fcrdns);
	assert_non_null(d->names[0].generic_reason);
	assert_false(d->names[0].in_domain);
	assert_int_equal(sec->f.status, AW_CHECK_WARNING);
	assert_true(aw_test_has(&sec->f.notes, "outside example.org"));
	bed_free(b);
}

static void
helo_matching_ptr_and_resolving_is_ok(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, "192.0.2.50", "out1.example.org",
	    "helo");
	struct aw_helo_detail *d = sec->detail;

	assert_true(d->resolves);
	assert_true(d->matches_ptr);
	assert_true(d->matches_ip);
	assert_int_equal(sec->f.status, AW_CHECK_OK);
	bed_free(b);
}

static void
helo_matching_mx_and_unresolvable_helo(void **state)
{
	struct bed *b = bed_new();
	struct aw_section *sec = bed_run(b, NULL, "mx.example.org", "helo");
	struct aw_helo_detail *d = sec->detail;

	assert_true(d->matches_mx);
	bed_free(b);
	b = bed_new();
	sec = bed_run(b, "192.0.2.50", "nosuch.example.org", "helo");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(aw_test_has(&sec->f.errors, "does not resolve"));
	assert_true(aw_test_has(&sec->f.warnings, "matches neither"));
	bed_free(b);
	b = bed_new();
	sec = bed_run(b, "192.0.2.50", "[192.0.2.50]", "helo");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_false(((struct aw_helo_detail *)sec->detail)->fqdn);
	bed_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reverse_names_rfc1035_3_5_rfc3596_2_5),
		cmocka_unit_test(generic_names_are_flagged_with_the_reason),
		cmocka_unit_test(helo_syntax_rfc5321_4_1_1_1),
		cmocka_unit_test(helo_labels_are_letters_digits_hyphens_rfc5321_4_1_2),
		cmocka_unit_test(fcrdns_pass),
		cmocka_unit_test(ptr_missing_is_an_error),
		cmocka_unit_test(ptr_resolving_elsewhere_is_not_confirmed),
		cmocka_unit_test(generic_ptr_is_a_warning_and_outside_domain_noted),
		cmocka_unit_test(helo_matching_ptr_and_resolving_is_ok),
		cmocka_unit_test(helo_matching_mx_and_unresolvable_helo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
