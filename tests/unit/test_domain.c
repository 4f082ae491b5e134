/* test_domain.c: the domain check as a whole (checks/domain.h): dropping a
 * check before it finished, once the DNS source has dropped the callbacks
 * of its lookups in flight (as the wizard does when it quits while DNS is
 * silent). Every area holds state then; `make check-asan` proves none of
 * it leaks or is touched after the free. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/catalog.h"
#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "core/loop.h"

static void
zone(struct aw_dns_memory *m)
{
	aw_dns_memory_add_txt1(m, "example.org",
	    "v=spf1 mx include:_spf.esp.example include:slow.example -all");
	aw_dns_memory_add_txt1(m, "_spf.esp.example",
	    "v=spf1 include:_spf2.esp.example a:out.esp.example ~all");
	aw_dns_memory_add_txt1(m, "_spf2.esp.example", "v=spf1 ip4:192.0.2.0/24 ~all");
	aw_dns_memory_add_mx(m, "example.org", 10, "mx.example.org");
	aw_dns_memory_add_addr(m, "mx.example.org", "192.0.2.25");
	aw_dns_memory_add_target(m, "s1._domainkey.example.org", AW_RECORD_CNAME,
	    "s1.dkim.esp.example");
	aw_dns_memory_add_txt1(m, "s1.dkim.esp.example", "v=DKIM1; p=");
	aw_dns_memory_add_txt1(m, "_dmarc.example.org",
	    "v=DMARC1; p=none; rua=mailto:d@reports.example.net");
	aw_dns_memory_add_target(m, "50.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "out.example.org");
	aw_dns_memory_add_addr(m, "out.example.org", "192.0.2.50");
}

/* A source over the zone that never answers for names under
 * "slow.example" (like a server that drops packets): their callbacks are
 * dropped when it goes away, as aw_resolver_free drops c-ares's. */
struct silent {
	struct aw_dns_source mem;
	unsigned long swallowed;
};

static enum aw_status
silent_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct silent *s = impl;
	size_t n = strlen(name);

	if (n >= 12 && strcmp(name + n - 12, "slow.example") == 0) {
		s->swallowed++;
		return AW_OK;
	}
	return aw_dns_query(&s->mem, name, type, cb, arg);
}

static void
silent_wait(void *impl, const bool *done)
{
	(void)impl;
	(void)done;
}

static const struct aw_dns_source_ops silent_ops = {
	.query = silent_query,
	.wait = silent_wait,
};

/* Drops the check after `rounds` turns of the loop, each of which answers
 * one more layer of lookups (includes, CNAME targets, PTR names, ...). */
static void
drop_after(unsigned rounds, bool discovery)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct silent sil = { aw_dns_memory_source(m), 0 };
	struct aw_dns_source src = { &silent_ops, &sil };
	struct aw_domain_check *dc = NULL;
	const char *sel[] = { "s1" }, *ips[] = { "192.0.2.50", "2001:db8::1" };
	struct aw_domain_check_opts opts;
	unsigned i;
	size_t k, unfinished = 0;

	memset(&opts, 0, sizeof opts);
	opts.selectors = discovery ? NULL : sel;
	opts.nselectors = discovery ? 0 : 1;
	opts.ips = ips;
	opts.nips = 2;
	opts.helo = discovery ? "mail.slow.example" : "out.example.org";
	zone(m);
	assert_int_equal(aw_domain_check_start(&src, "example.org", &opts,
	    NULL, NULL, &dc, NULL), AW_OK);
	for (i = 0; i < rounds; i++)
		aw_loop_run_once(loop, 0);
	assert_false(aw_domain_check_finished(dc));
	for (k = 0; k < aw_domain_check_count(dc); k++)
		if (!aw_domain_check_section(dc, k)->finished)
			unfinished++;
	assert_true(unfinished > 0);
	if (rounds >= 2)
		assert_true(sil.swallowed > 0);
	/* The source goes first and drops every callback; then the check. */
	aw_dns_memory_free(m);
	aw_domain_check_free(dc);
	aw_loop_free(loop);
}

static void
unfinished_check_is_freed_after_the_source_dropped_its_lookups(void **state)
{
	unsigned rounds;

	(void)state;
	for (rounds = 0; rounds < 6; rounds++) {
		drop_after(rounds, false);
		drop_after(rounds, true);
	}
}

/* The same zone over the plain in-memory source finishes, and a finished
 * section holds nothing in flight. */
static void
finished_sections_hold_nothing_in_flight(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);
	struct aw_domain_check *dc = NULL;
	const char *sel[] = { "s1" };
	struct aw_domain_check_opts opts;
	size_t k;

	(void)state;
	memset(&opts, 0, sizeof opts);
	opts.selectors = sel;
	opts.nselectors = 1;
	zone(m);
	aw_dns_memory_add_timeout(m, "slow.example", 0);
	assert_int_equal(aw_domain_check_start(&src, "example.org", &opts,
	    NULL, NULL, &dc, NULL), AW_OK);
	while (!aw_domain_check_finished(dc))
		assert_true(aw_loop_run_once(loop, 1000));
	for (k = 0; k < aw_domain_check_count(dc); k++) {
		struct aw_section *s = aw_domain_check_section(dc, k);

		assert_true(s->finished);
		assert_null(s->inflight);
		assert_null(s->abandon);
	}
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static int
setup(void **state)
{
	char data[4096];

	(void)state;
	snprintf(data, sizeof data, "%s/data", AW_SRCDIR);
	setenv("AW_DATADIR", data, 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	aw_catalog_default_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(unfinished_check_is_freed_after_the_source_dropped_its_lookups),
		cmocka_unit_test(finished_sections_hold_nothing_in_flight),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
