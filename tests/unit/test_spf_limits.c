/* test_spf_limits.c: check_host() stops where RFC 7208 stops: an include
 * or redirect loop is a permerror at once, and no DNS-querying term past
 * the tenth is looked up (§4.6.4). Each test counts the queries the
 * in-memory zone answered. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/spf.h"
#include "core/loop.h"

struct zone {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
};

static void
zone_init(struct zone *z)
{
	z->loop = aw_loop_new();
	assert_non_null(z->loop);
	z->m = aw_dns_memory_new(z->loop);
	assert_non_null(z->m);
	z->src = aw_dns_memory_source(z->m);
}

static void
zone_done(struct zone *z)
{
	aw_dns_memory_free(z->m);
	aw_loop_free(z->loop);
}

/* Evaluates domain for ip; returns the result, the queries in *queries. */
static enum aw_spf_result
run(struct zone *z, const char *domain, struct aw_spf_outcome *out,
    unsigned long *queries)
{
	struct aw_spf_query q;
	struct aw_error err;
	unsigned long before = aw_dns_memory_queries(z->m);

	memset(&q, 0, sizeof q);
	q.ip = "192.0.2.99";
	q.domain = domain;
	q.sender = "user@example.com";
	q.helo = "mail.example.com";
	assert_int_equal(aw_spf_check_host(&z->src, &q, out, &err), AW_OK);
	*queries = aw_dns_memory_queries(z->m) - before;
	assert_int_equal(out->queries, *queries);
	return out->result;
}

static void
include_of_itself_is_a_loop_without_a_second_query(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "self.example.com",
	    "v=spf1 include:self.example.com -all");
	assert_int_equal(run(&z, "self.example.com", &out, &n),
	    AW_SPF_PERMERROR);
	assert_int_equal(n, 1);      /* the record's TXT, once */
	assert_int_equal(out.lookups, 1);
	assert_non_null(out.reason);
	assert_non_null(strstr(out.reason, "loop"));
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
include_loop_through_two_records_asks_each_once(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "a.example.com",
	    "v=spf1 include:b.example.com -all");
	aw_dns_memory_add_txt1(z.m, "b.example.com",
	    "v=spf1 ip4:198.51.100.1 include:A.Example.com. ?all");
	assert_int_equal(run(&z, "a.example.com", &out, &n), AW_SPF_PERMERROR);
	assert_int_equal(n, 2);
	assert_int_equal(out.lookups, 2);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
redirect_loop_asks_each_once(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "r1.example.com",
	    "v=spf1 redirect=r2.example.com");
	aw_dns_memory_add_txt1(z.m, "r2.example.com",
	    "v=spf1 ip4:198.51.100.1 redirect=r1.example.com");
	assert_int_equal(run(&z, "r1.example.com", &out, &n), AW_SPF_PERMERROR);
	assert_int_equal(n, 2);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

/* The same include twice, or two includes of one record (a diamond), is
 * no loop: the record is not on the path the second time. */
static void
repeated_include_off_the_path_is_not_a_loop(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "top.example.com",
	    "v=spf1 include:b.example.com include:c.example.com -all");
	aw_dns_memory_add_txt1(z.m, "b.example.com",
	    "v=spf1 include:d.example.com ?all");
	aw_dns_memory_add_txt1(z.m, "c.example.com",
	    "v=spf1 include:d.example.com ip4:192.0.2.99 ?all");
	aw_dns_memory_add_txt1(z.m, "d.example.com", "v=spf1 ?all");
	assert_int_equal(run(&z, "top.example.com", &out, &n), AW_SPF_PASS);
	assert_int_equal(out.lookups, 4);
	assert_int_equal(n, 5);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static const char ten_a[] =
    "a:a1.example.com a:a2.example.com a:a3.example.com a:a4.example.com "
    "a:a5.example.com a:a6.example.com a:a7.example.com a:a8.example.com "
    "a:a9.example.com a:a10.example.com";

static void
add_ten_a(struct zone *z)
{
	char name[32];
	int i;

	for (i = 1; i <= 10; i++) {
		snprintf(name, sizeof name, "a%d.example.com", i);
		assert_int_equal(aw_dns_memory_add_addr(z->m, name,
		    "192.0.2.1"), AW_OK);
	}
}

/* RFC 7208 §4.6.4: the eleventh DNS-querying term is a permerror before
 * its query, whatever its kind. */
static void
eleventh_lookup_term_is_permerror_before_its_query(void **state)
{
	static const char *const eleventh[] = {
		"a:x.example.com", "mx:x.example.com", "exists:x.example.com",
		"include:x.example.com", "ptr:x.example.com",
	};
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;
	char rec[512];
	size_t i;

	(void)state;
	zone_init(&z);
	add_ten_a(&z);
	aw_dns_memory_add_addr(z.m, "x.example.com", "192.0.2.99");
	aw_dns_memory_add_mx(z.m, "x.example.com", 10, "x.example.com");
	aw_dns_memory_add_txt1(z.m, "x.example.com", "v=spf1 +all");
	aw_dns_memory_add_txt1(z.m, "ten.example.com",
	    "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com "
	    "a:a4.example.com a:a5.example.com a:a6.example.com "
	    "a:a7.example.com a:a8.example.com a:a9.example.com "
	    "a:a10.example.com ip4:192.0.2.99 -all");
	assert_int_equal(run(&z, "ten.example.com", &out, &n), AW_SPF_PASS);
	assert_int_equal(n, 11);
	aw_spf_outcome_done(&out);
	for (i = 0; i < sizeof eleventh / sizeof eleventh[0]; i++) {
		char dom[32];

		snprintf(dom, sizeof dom, "e%zu.example.com", i);
		snprintf(rec, sizeof rec, "v=spf1 %s %s -all", ten_a,
		    eleventh[i]);
		aw_dns_memory_add_txt1(z.m, dom, rec);
		assert_int_equal(run(&z, dom, &out, &n), AW_SPF_PERMERROR);
		/* The record's TXT and the ten A queries; nothing for the
		 * eleventh term. */
		if (n != 11)
			fail_msg("%s: %lu queries, want 11", eleventh[i], n);
		aw_spf_outcome_done(&out);
	}
	/* A redirect past ten terms is not followed either. */
	snprintf(rec, sizeof rec, "v=spf1 %s redirect=x.example.com", ten_a);
	aw_dns_memory_add_txt1(z.m, "redir.example.com", rec);
	assert_int_equal(run(&z, "redir.example.com", &out, &n),
	    AW_SPF_PERMERROR);
	assert_int_equal(n, 11);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

/* The limit counts through includes: the eleventh term in an included
 * record is not looked up either. */
static void
limit_counts_through_includes(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;
	unsigned long n;
	char rec[512];

	(void)state;
	zone_init(&z);
	add_ten_a(&z);
	aw_dns_memory_add_addr(z.m, "x.example.com", "192.0.2.99");
	snprintf(rec, sizeof rec, "v=spf1 include:inner.example.com -all");
	aw_dns_memory_add_txt1(z.m, "outer.example.com", rec);
	/* include (1) + nine a terms (10) + the tenth a (11th term). */
	aw_dns_memory_add_txt1(z.m, "inner.example.com",
	    "v=spf1 a:a1.example.com a:a2.example.com a:a3.example.com "
	    "a:a4.example.com a:a5.example.com a:a6.example.com "
	    "a:a7.example.com a:a8.example.com a:a9.example.com "
	    "a:x.example.com ?all");
	assert_int_equal(run(&z, "outer.example.com", &out, &n),
	    AW_SPF_PERMERROR);
	assert_int_equal(n, 2 + 9);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(include_of_itself_is_a_loop_without_a_second_query),
		cmocka_unit_test(include_loop_through_two_records_asks_each_once),
		cmocka_unit_test(redirect_loop_asks_each_once),
		cmocka_unit_test(repeated_include_off_the_path_is_not_a_loop),
		cmocka_unit_test(eleventh_lookup_term_is_permerror_before_its_query),
		cmocka_unit_test(limit_counts_through_includes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
