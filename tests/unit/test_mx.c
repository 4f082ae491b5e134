/* test_mx.c: the MX area (checks/check-mx.c): MX present, each host
 * resolves, an MX naming an address or an alias is flagged, null MX. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "checks/mx.h"
#include "core/loop.h"
#include "helpers/area.h"

struct bed {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_domain_check *dc;
};

static void
bed_init(struct bed *b)
{
	memset(b, 0, sizeof *b);
	b->loop = aw_loop_new();
	assert_non_null(b->loop);
	b->m = aw_dns_memory_new(b->loop);
	assert_non_null(b->m);
}

static struct aw_section *
bed_run(struct bed *b, const char *domain)
{
	struct aw_section *sec;

	b->dc = aw_test_run_area(b->loop, b->m, domain, "mx", NULL);
	assert_non_null(b->dc);
	sec = aw_test_section(b->dc, "mx", NULL);
	assert_non_null(sec);
	assert_true(sec->finished);
	return sec;
}

static void
bed_done(struct bed *b)
{
	aw_domain_check_free(b->dc);
	aw_dns_memory_free(b->m);
	aw_loop_free(b->loop);
}

/* RFC 5321 §5.1: hosts in preference order, each with its addresses. */
static void
mx_hosts_in_preference_order_with_addresses_rfc5321_5_1(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_mx_detail *d;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 20, "mx2.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 10, "mx1.example.com");
	aw_dns_memory_add_addr(b.m, "mx1.example.com", "192.0.2.25");
	aw_dns_memory_add_addr(b.m, "mx1.example.com", "2001:db8::25");
	aw_dns_memory_add_addr(b.m, "mx2.example.com", "192.0.2.26");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_OK);
	assert_int_equal(sec->f.errors.n, 0);
	assert_int_equal(sec->f.warnings.n, 0);
	d = sec->detail;
	assert_int_equal(d->n, 2);
	assert_string_equal(d->hosts[0].host, "mx1.example.com");
	assert_int_equal(d->hosts[0].addrs.n, 2);
	assert_string_equal(d->hosts[1].host, "mx2.example.com");
	assert_false(d->hosts[0].address);
	assert_null(d->hosts[0].cname);
	bed_done(&b);
}

/* No MX at all: missing, and the note says what senders do instead. */
static void
no_mx_is_missing_with_the_implicit_mx_note_rfc5321_5_1(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_addr(b.m, "example.com", "192.0.2.10");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_int_equal(sec->f.errors.n, 0);
	assert_true(aw_test_has(&sec->f.notes, "no MX record"));
	bed_done(&b);
}

/* RFC 5321 §5.1 (and RFC 1035 §3.3.9: EXCHANGE is a domain name): an MX
 * that names an address is an error, said once (no "has no address"). */
static void
mx_naming_an_address_is_an_error_rfc5321_5_1(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_mx_detail *d;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, "192.0.2.25");
	aw_dns_memory_add_mx(b.m, "example.com", 20, "2001:db8::25");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_int_equal(sec->f.errors.n, 2);
	assert_true(aw_test_has(&sec->f.errors,
	    "MX 192.0.2.25 is an address"));
	assert_true(aw_test_has(&sec->f.errors,
	    "MX 2001:db8::25 is an address"));
	assert_false(aw_test_has(&sec->f.errors, "has no address"));
	d = sec->detail;
	assert_true(d->hosts[0].address);
	assert_true(d->hosts[1].address);
	/* Not looked up: one MX query only. */
	assert_int_equal(sec->f.nlookups, 1);
	bed_done(&b);
}

/* RFC 2181 §10.3: an MX must not name an alias: a warning naming the
 * CNAME's target; mail still flows, so not an error. */
static void
mx_naming_a_cname_is_flagged_rfc2181_10_3(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_mx_detail *d;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_target(b.m, "mail.example.com", AW_RECORD_CNAME,
	    "real.example.net");
	aw_dns_memory_add_addr(b.m, "real.example.net", "192.0.2.30");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_WARNING);
	assert_int_equal(sec->f.errors.n, 0);
	assert_true(aw_test_has(&sec->f.warnings,
	    "MX host mail.example.com is an alias (CNAME) of real.example.net"));
	d = sec->detail;
	assert_string_equal(d->hosts[0].cname, "real.example.net");
	assert_int_equal(d->hosts[0].addrs.n, 1);
	bed_done(&b);
}

/* A host without any address: mail cannot be delivered to it. */
static void
mx_host_without_address_is_an_error_rfc5321_5_1(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 20, "gone.example.com");
	aw_dns_memory_add_addr(b.m, "mail.example.com", "192.0.2.25");
	aw_dns_memory_add_txt1(b.m, "gone.example.com", "nothing here");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_int_equal(sec->f.errors.n, 1);
	assert_true(aw_test_has(&sec->f.errors,
	    "MX host gone.example.com has no address"));
	bed_done(&b);
}

/* A host whose address lookup fails is a DNS failure, not "no address". */
static void
mx_host_lookup_failure_is_not_no_address(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, "slow.example.com");
	aw_dns_memory_add_timeout(b.m, "slow.example.com", AW_RECORD_A);
	aw_dns_memory_add_timeout(b.m, "slow.example.com", AW_RECORD_AAAA);
	sec = bed_run(&b, "example.com");
	assert_true(sec->f.dns_failure);
	assert_false(aw_test_has(&sec->f.errors, "has no address"));
	bed_done(&b);
}

/* RFC 7505 §3: a null MX says "no mail"; beside other MX it is an error. */
static void
null_mx_alone_is_noted_and_with_others_an_error_rfc7505_3(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "nomail.example", 0, ".");
	aw_dns_memory_add_mx(b.m, "mixed.example", 0, ".");
	aw_dns_memory_add_mx(b.m, "mixed.example", 10, "mx.mixed.example");
	aw_dns_memory_add_addr(b.m, "mx.mixed.example", "192.0.2.40");
	sec = bed_run(&b, "nomail.example");
	assert_int_equal(sec->f.status, AW_CHECK_OK);
	assert_true(aw_test_has(&sec->f.notes, "null MX"));
	assert_true(((const struct aw_mx_detail *)sec->detail)->null_mx);
	aw_domain_check_free(b.dc);
	sec = bed_run(&b, "mixed.example");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(aw_test_has(&sec->f.errors, "only MX record"));
	bed_done(&b);
}

/* RFC 7505 §3: "MX 10 ." is no null MX (that needs preference 0) but an
 * MX pointing at the root: an error of its own, and "." is not looked
 * up. */
static void
root_mx_with_preference_10_is_not_a_null_mx_rfc7505_3(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_finding *it;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, ".");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_false(((const struct aw_mx_detail *)sec->detail)->null_mx);
	assert_null(aw_findings_find(&sec->f, "mx.null-mx"));
	it = aw_findings_find(&sec->f, "mx.root-not-null");
	assert_non_null(it);
	assert_int_equal(it->severity, AW_SEV_ERROR);
	assert_string_equal(it->rfc, "RFC 7505 §3");
	assert_int_equal(sec->f.nlookups, 1);
	aw_domain_check_free(b.dc);
	/* The null MX proper is coded too. */
	aw_dns_memory_add_mx(b.m, "nomail.example", 0, ".");
	sec = bed_run(&b, "nomail.example");
	assert_non_null(aw_findings_find(&sec->f, "mx.null-mx"));
	assert_null(aw_findings_find(&sec->f, "mx.root-not-null"));
	bed_done(&b);
}

/* The same host listed twice (at any preference): a warning, and the
 * host is looked up once. */
static void
same_mx_host_listed_twice_is_a_warning(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_finding *it;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 20, "MAIL.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 30, "other.example.com");
	aw_dns_memory_add_addr(b.m, "mail.example.com", "192.0.2.25");
	aw_dns_memory_add_addr(b.m, "other.example.com", "192.0.2.26");
	sec = bed_run(&b, "example.com");
	assert_int_equal(sec->f.status, AW_CHECK_WARNING);
	assert_int_equal(sec->f.errors.n, 0);
	it = aw_findings_find(&sec->f, "mx.duplicate-host");
	assert_non_null(it);
	assert_int_equal(it->severity, AW_SEV_WARNING);
	assert_non_null(strstr(it->message, "MAIL.example.com"));
	assert_int_equal(sec->f.warnings.n, 1);
	/* MX, then A and AAAA of the two distinct hosts. */
	assert_int_equal(sec->f.nlookups, 5);
	bed_done(&b);
}

/* Every MX finding carries a code (none is "uncoded"). */
static void
mx_findings_are_coded(void **state)
{
	struct bed b;
	struct aw_section *sec;
	size_t i;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_mx(b.m, "example.com", 0, ".");
	aw_dns_memory_add_mx(b.m, "example.com", 10, "192.0.2.1");
	aw_dns_memory_add_mx(b.m, "example.com", 20, "gone.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 30, "alias.example.com");
	aw_dns_memory_add_target(b.m, "alias.example.com", AW_RECORD_CNAME,
	    "real.example.net");
	aw_dns_memory_add_addr(b.m, "real.example.net", "192.0.2.30");
	sec = bed_run(&b, "example.com");
	assert_non_null(aw_findings_find(&sec->f, "mx.null-mx-not-alone"));
	assert_non_null(aw_findings_find(&sec->f, "mx.address"));
	assert_non_null(aw_findings_find(&sec->f, "mx.no-address"));
	assert_non_null(aw_findings_find(&sec->f, "mx.cname"));
	for (i = 0; i < sec->f.nitems; i++)
		assert_string_not_equal(sec->f.items[i].code, "uncoded");
	bed_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mx_hosts_in_preference_order_with_addresses_rfc5321_5_1),
		cmocka_unit_test(no_mx_is_missing_with_the_implicit_mx_note_rfc5321_5_1),
		cmocka_unit_test(mx_naming_an_address_is_an_error_rfc5321_5_1),
		cmocka_unit_test(mx_naming_a_cname_is_flagged_rfc2181_10_3),
		cmocka_unit_test(mx_host_without_address_is_an_error_rfc5321_5_1),
		cmocka_unit_test(mx_host_lookup_failure_is_not_no_address),
		cmocka_unit_test(null_mx_alone_is_noted_and_with_others_an_error_rfc7505_3),
		cmocka_unit_test(root_mx_with_preference_10_is_not_a_null_mx_rfc7505_3),
		cmocka_unit_test(same_mx_host_listed_twice_is_a_warning),
		cmocka_unit_test(mx_findings_are_coded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
