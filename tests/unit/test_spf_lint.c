/* test_spf_lint.c: the asynchronous SPF lookup tree and its warnings
 * (checks/spf-lint.h) over an in-memory zone. */
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
#include "checks/spf-lint.h"
#include "core/loop.h"
#include "core/str.h"

struct fx {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	struct aw_spf_tree *tree;
	int done_calls;
};

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof *f);
	f->loop = aw_loop_new();
	f->m = aw_dns_memory_new(f->loop);
	assert_non_null(f->m);
	f->src = aw_dns_memory_source(f->m);
}

static void
fx_done(struct fx *f)
{
	aw_spf_tree_free(f->tree);
	aw_dns_memory_free(f->m);
	aw_loop_free(f->loop);
}

static void
on_done(struct aw_spf_tree *tree, void *arg)
{
	struct fx *f = arg;

	assert_ptr_equal(tree, f->tree);
	f->done_calls++;
}

static const char *
lighter(void *arg, const char *include)
{
	(void)arg;
	return aw_domain_equal(include, "_spf.leaddesk.com") ?
	    "_spf5.leaddesk.com" : NULL;
}

static void
fx_run(struct fx *f, const char *domain)
{
	struct aw_spf_tree_opts o = { lighter, NULL, NULL };
	struct aw_error err;

	assert_int_equal(aw_spf_tree_start(&f->src, domain, &o, on_done, f,
	    &f->tree, &err), AW_OK);
	/* Never called from inside start. */
	assert_int_equal(f->done_calls, 0);
	assert_false(f->tree->finished);
	while (f->done_calls == 0 && aw_loop_run_once(f->loop, 1000))
		;
	assert_int_equal(f->done_calls, 1);
	assert_true(f->tree->finished);
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
rfc7208_4_6_4_tree_counts_lookups_per_include(void **state)
{
	struct fx f;
	const struct aw_spf_node *r;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 mx include:_spf.a.example include:_spf.b.example ~all");
	aw_dns_memory_add_mx(f.m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_txt1(f.m, "_spf.a.example",
	    "v=spf1 ip4:192.0.2.0/24 include:inner.a.example -all");
	aw_dns_memory_add_txt1(f.m, "inner.a.example", "v=spf1 a mx -all");
	aw_dns_memory_add_addr(f.m, "inner.a.example", "192.0.2.9");
	aw_dns_memory_add_txt1(f.m, "_spf.b.example", "v=spf1 ip6:2001:db8::/32 ~all");
	fx_run(&f, "example.com");
	r = f.tree->root;
	assert_int_equal(r->state, AW_SPF_NODE_OK);
	assert_int_equal(r->own_lookups, 3);
	assert_int_equal(r->nchildren, 2);
	assert_string_equal(r->children[0]->via, "include:_spf.a.example");
	assert_int_equal(r->children[0]->own_lookups, 1);
	assert_int_equal(r->children[0]->lookups, 3);
	assert_int_equal(r->children[1]->lookups, 0);
	/* mx, 2 includes, include inner, a, mx */
	assert_int_equal(f.tree->lookups, 6);
	/* mail.example.com (the MX host) has no address, inner.a.example
	 * has no MX: two void lookups, as check_host() counts them */
	assert_int_equal(f.tree->voids, 2);
	assert_int_equal(r->own_voids, 1);
	assert_int_equal(r->children[0]->voids, 1);
	assert_int_equal(f.tree->findings.errors.n, 0);
	fx_done(&f);
}

static void
rfc7208_4_6_4_over_ten_names_costliest_and_lighter_variant(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 include:_spf.google.com include:_spf.leaddesk.com -all");
	aw_dns_memory_add_txt1(f.m, "_spf.google.com",
	    "v=spf1 include:n1.google.example include:n2.google.example ~all");
	aw_dns_memory_add_txt1(f.m, "n1.google.example", "v=spf1 ip4:192.0.2.1 ~all");
	aw_dns_memory_add_txt1(f.m, "n2.google.example", "v=spf1 ip4:192.0.2.2 ~all");
	aw_dns_memory_add_txt1(f.m, "_spf.leaddesk.com",
	    "v=spf1 include:l1.example include:l2.example include:l3.example "
	    "include:l4.example include:l5.example include:l6.example ~all");
	aw_dns_memory_add_txt1(f.m, "l1.example", "v=spf1 ip4:192.0.2.11 ~all");
	aw_dns_memory_add_txt1(f.m, "l2.example", "v=spf1 ip4:192.0.2.12 ~all");
	aw_dns_memory_add_txt1(f.m, "l3.example", "v=spf1 ip4:192.0.2.13 ~all");
	aw_dns_memory_add_txt1(f.m, "l4.example", "v=spf1 ip4:192.0.2.14 ~all");
	aw_dns_memory_add_txt1(f.m, "l5.example", "v=spf1 ip4:192.0.2.15 ~all");
	aw_dns_memory_add_txt1(f.m, "l6.example", "v=spf1 ip4:192.0.2.16 ~all");
	fx_run(&f, "example.com");
	assert_int_equal(f.tree->lookups, 10);
	assert_int_equal(f.tree->findings.errors.n, 0);
	aw_spf_tree_free(f.tree);
	f.tree = NULL;
	aw_dns_memory_add_txt1(f.m, "big.example",
	    "v=spf1 include:_spf.google.com include:_spf.leaddesk.com a -all");
	f.done_calls = 0;
	fx_run(&f, "big.example");
	assert_true(f.tree->lookups > 10);
	/* The error names the costliest includes and, beside the one the
	 * catalog knows a lighter variant of, that variant. */
	assert_true(has(&f.tree->findings.errors,
	    "Costliest: include:_spf.leaddesk.com (7; the sender offers the lighter include:_spf5.leaddesk.com), include:_spf.google.com (3)"));
	/* Named once: no separate note for an include already named. */
	assert_false(has(&f.tree->findings.notes, "_spf5.leaddesk.com"));
	fx_done(&f);
}

/* The heavy include sits below a redirect and below another include: the
 * costliest list looks through the redirect; the deeper include gets a
 * note of its own. */
static void
rfc7208_4_6_4_lighter_variant_below_redirect_and_nested(void **state)
{
	struct fx f;
	char name[32], rec[64];
	int i;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 redirect=_spf.example.com");
	aw_dns_memory_add_txt1(f.m, "_spf.example.com",
	    "v=spf1 include:wrap.example include:_spf.leaddesk.com a mx -all");
	aw_dns_memory_add_txt1(f.m, "wrap.example",
	    "v=spf1 include:_spf.leaddesk.com ~all");
	aw_dns_memory_add_txt1(f.m, "_spf.leaddesk.com",
	    "v=spf1 include:l1.example include:l2.example include:l3.example "
	    "include:l4.example ~all");
	for (i = 1; i <= 4; i++) {
		snprintf(name, sizeof name, "l%d.example", i);
		snprintf(rec, sizeof rec, "v=spf1 ip4:192.0.2.%d ~all", i);
		aw_dns_memory_add_txt1(f.m, name, rec);
	}
	fx_run(&f, "example.com");
	/* redirect 1 + a + mx + 2 includes + wrap's include + 2 x 4 */
	assert_int_equal(f.tree->lookups, 14);
	assert_true(has(&f.tree->findings.errors,
	    "Costliest: include:wrap.example (6), include:_spf.leaddesk.com (5; the sender offers the lighter include:_spf5.leaddesk.com)"));
	assert_true(has(&f.tree->findings.notes,
	    "wrap.example: include:_spf.leaddesk.com costs 5 lookups; the sender also offers the lighter include:_spf5.leaddesk.com"));
	fx_done(&f);
}

/* Within the limit no message is given (the include is fine as it is);
 * the node still carries the lighter variant. */
static void
rfc7208_4_6_4_no_lighter_hint_within_the_limit(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 include:_spf.leaddesk.com -all");
	aw_dns_memory_add_txt1(f.m, "_spf.leaddesk.com",
	    "v=spf1 a mx ~all");
	fx_run(&f, "example.com");
	assert_int_equal(f.tree->lookups, 3);
	assert_int_equal(f.tree->findings.errors.n, 0);
	assert_false(has(&f.tree->findings.notes, "lighter"));
	/* The tree still knows it, for those who draw it. */
	assert_string_equal(f.tree->root->children[0]->lighter,
	    "_spf5.leaddesk.com");
	assert_null(f.tree->root->lighter);
	fx_done(&f);
}

static void
rfc7208_5_2_include_without_spf_loops_and_risky_terms(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 ptr include:nospf.example include:loop.example "
	    "include:%{d}.macro.example +all");
	aw_dns_memory_add_txt1(f.m, "nospf.example", "google-site-verification=x");
	aw_dns_memory_add_txt1(f.m, "loop.example", "v=spf1 redirect=example.com");
	aw_dns_memory_add_txt1(f.m, "twice.example", "v=spf1 -all");
	aw_dns_memory_add_txt1(f.m, "twice.example", "v=spf1 ~all");
	fx_run(&f, "example.com");
	assert_true(has(&f.tree->findings.errors, "nospf.example has no SPF record"));
	assert_true(has(&f.tree->findings.errors, "a loop"));
	assert_true(has(&f.tree->findings.warnings, "ptr mechanism"));
	assert_true(has(&f.tree->findings.warnings, "\"+all\" lets every host"));
	assert_true(has(&f.tree->findings.notes, "uses macros"));
	assert_int_equal(f.tree->root->children[0]->state, AW_SPF_NODE_NONE);
	assert_int_equal(f.tree->root->children[1]->children[0]->state,
	    AW_SPF_NODE_LOOP);
	assert_int_equal(f.tree->root->children[2]->state, AW_SPF_NODE_MACRO);
	aw_spf_tree_free(f.tree);
	f.tree = NULL;
	f.done_calls = 0;
	fx_run(&f, "twice.example");
	assert_int_equal(f.tree->root->state, AW_SPF_NODE_MULTIPLE);
	assert_true(has(&f.tree->findings.errors, "2 SPF records"));
	fx_done(&f);
}

static void
rfc7208_3_3_string_over_255_bytes_and_missing_all(void **state)
{
	struct fx f;
	char big[300];
	const char *strs[1] = { big };

	(void)state;
	fx_init(&f);
	memset(big, 0, sizeof big);
	strcpy(big, "v=spf1 ip4:192.0.2.1");
	while (strlen(big) < 280)
		strcat(big, " ip4:192.0.2.1");
	assert_int_equal(aw_dns_memory_add_txt(f.m, "example.com", AW_RECORD_TXT,
	    strs, NULL, 1), AW_OK);
	fx_run(&f, "example.com");
	assert_true(has(&f.tree->findings.warnings, "at most 255"));
	assert_true(has(&f.tree->findings.warnings, "no \"all\""));
	fx_done(&f);
}

static void
rfc7208_4_6_4_void_lookups_over_two(void **state)
{
	struct fx f;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com",
	    "v=spf1 a:gone1.example a:gone2.example exists:gone3.example -all");
	fx_run(&f, "example.com");
	assert_int_equal(f.tree->voids, 3);
	assert_true(has(&f.tree->findings.errors, "void lookups"));
	fx_done(&f);
}

static void
freeing_before_answers_is_safe(void **state)
{
	struct fx f;
	struct aw_error err;

	(void)state;
	fx_init(&f);
	aw_dns_memory_add_txt1(f.m, "example.com", "v=spf1 include:x.example -all");
	assert_int_equal(aw_spf_tree_start(&f.src, "example.com", NULL,
	    on_done, &f, &f.tree, &err), AW_OK);
	aw_spf_tree_free(f.tree);
	f.tree = NULL;
	while (aw_loop_run_once(f.loop, 0))
		if (aw_dns_memory_queries(f.m) > 5)
			break;
	assert_int_equal(f.done_calls, 0);
	fx_done(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc7208_4_6_4_tree_counts_lookups_per_include),
		cmocka_unit_test(rfc7208_4_6_4_over_ten_names_costliest_and_lighter_variant),
		cmocka_unit_test(rfc7208_4_6_4_lighter_variant_below_redirect_and_nested),
		cmocka_unit_test(rfc7208_4_6_4_no_lighter_hint_within_the_limit),
		cmocka_unit_test(rfc7208_5_2_include_without_spf_loops_and_risky_terms),
		cmocka_unit_test(rfc7208_3_3_string_over_255_bytes_and_missing_all),
		cmocka_unit_test(rfc7208_4_6_4_void_lookups_over_two),
		cmocka_unit_test(freeing_before_answers_is_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
