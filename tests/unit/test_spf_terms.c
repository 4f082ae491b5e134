/* test_spf_terms.c: SPF record text as terms (checks/spf-terms.h) and the
 * zone as it will be (checks/preflight-overlay.h): the draft's lookup tree
 * counts what `check` counts for the published record. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/preflight-overlay.h"
#include "tui/model.h"
#include "checks/spf-lint.h"
#include "checks/spf-terms.h"
#include "core/loop.h"

static void
is_record_needs_a_space_after_the_version(void **state)
{
	(void)state;
	assert_true(aw_spf_is_record_str("v=spf1 -all"));
	assert_true(aw_spf_is_record_str("V=SPF1"));
	/* RFC 7208 §4.5: "v=spf10" is not an SPF record. */
	assert_false(aw_spf_is_record_str("v=spf10 -all"));
	assert_false(aw_spf_is_record_str("v=spf1x"));
	assert_false(aw_spf_is_record_str(NULL));
}

static void
term_equality_ignores_case_plus_and_trailing_dot(void **state)
{
	const char *terms[] = { "ip4:192.0.2.1", "include:_spf.Example.com." };

	(void)state;
	assert_true(aw_spf_term_equal("+include:_spf.example.com", "INCLUDE:_spf.example.com."));
	assert_false(aw_spf_term_equal("-include:x.example", "include:x.example"));
	assert_false(aw_spf_term_equal("a", "mx"));
	assert_true(aw_spf_terms_have(terms, 2, "include:_spf.example.com"));
	assert_false(aw_spf_terms_have(terms, 2, "ip4:192.0.2.2"));
}

static void
split_keeps_order_drops_invalid_and_finds_all(void **state)
{
	struct aw_strv t;
	char *all = NULL;
	size_t bad = 0;

	(void)state;
	aw_strv_init(&t);
	assert_int_equal(aw_spf_split("v=spf1  a  ip4:192.0.2.300 mx A include:x.example -all ~all",
	    &t, &all, &bad), AW_OK);
	assert_int_equal(t.n, 3);
	assert_string_equal(t.v[0], "a");
	assert_string_equal(t.v[1], "mx");
	assert_string_equal(t.v[2], "include:x.example");
	assert_string_equal(all, "-all");
	assert_int_equal(bad, 1);
	free(all);
	assert_int_equal(aw_spf_split("v=spf10 a", &t, NULL, NULL), AW_ERR_INVALID);
	aw_strv_done(&t);
}

static void
strictest_all_of_records(void **state)
{
	const char *recs[] = { "v=spf1 a ~all", "v=spf1 mx -all", "v=spf10 +all" };
	const char *soft[] = { "v=spf1 a ?all", "v=spf1 mx ~all" };

	(void)state;
	assert_string_equal(aw_spf_strictest_all(recs, 3), "-all");
	assert_string_equal(aw_spf_strictest_all(soft, 2), "~all");
	assert_null(aw_spf_strictest_all(recs, 0));
	assert_true(aw_spf_all_term_strictness("-all") > aw_spf_all_term_strictness("~all"));
	assert_int_equal(aw_spf_all_term_strictness("a"), -1);
}

static void
lookups_of_record_and_term(void **state)
{
	(void)state;
	assert_int_equal(aw_spf_record_lookups(
	    "v=spf1 a mx:m.example ip4:192.0.2.1 include:x.example exists:%{i}.e.example ptr redirect=r.example"), 6);
	assert_int_equal(aw_spf_record_lookups("v=spf1 ip4:192.0.2.999"), -1);
	assert_int_equal(aw_spf_term_lookups("~include:x.example"), 1);
	assert_int_equal(aw_spf_term_lookups("ip6:2001:db8::/32"), 0);
	assert_string_equal(aw_spf_include_target("~include:x.example"), "x.example");
	assert_null(aw_spf_include_target("a:x.example"));
}

struct tree_run {
	struct aw_spf_tree *tree;
	bool done;
};

static void
on_tree(struct aw_spf_tree *tree, void *arg)
{
	struct tree_run *r = arg;

	(void)tree;
	r->done = true;
}

static unsigned
tree_lookups(struct aw_loop *loop, const struct aw_dns_source *src,
    const char *domain)
{
	struct tree_run r = { NULL, false };
	unsigned n;
	int guard = 0;

	assert_int_equal(aw_spf_tree_start(src, domain, NULL, on_tree, &r,
	    &r.tree, NULL), AW_OK);
	while (!r.done && guard++ < 1000)
		aw_loop_run_once(loop, 1000);
	assert_true(r.done);
	n = r.tree->lookups;
	aw_spf_tree_free(r.tree);
	return n;
}

/* The wizard's SPF-step count: the draft as the one TXT change a plan
 * makes at the domain (aw_tui_model_spf_change), over the preflight's
 * overlay, counts what `check` counts once the draft is published. */
static void
overlay_counts_the_draft_as_check_counts_it_published(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *z = aw_dns_memory_new(loop);
	struct aw_dns_memory *z2 = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(z), src2, os;
	struct aw_tui_model *m = aw_tui_model_new(NULL, 0);
	struct aw_record before, after;
	struct aw_preflight_change ch;
	struct aw_preflight_overlay ov;
	struct aw_dns_answer *ans;
	const char *draft = "v=spf1 a include:big.example include:big.example -all";
	const char *heavy = "v=spf1 include:n1.example include:n2.example mx ~all";

	(void)state;
	assert_non_null(m);
	aw_dns_memory_add_txt1(z, "d.example", "v=spf1 -all");
	aw_dns_memory_add_txt1(z, "d.example", "site-verification=abc");
	aw_dns_memory_add_txt1(z, "big.example", heavy);
	aw_dns_memory_add_txt1(z, "n1.example", "v=spf1 ip4:192.0.2.1 -all");
	aw_dns_memory_add_txt1(z, "n2.example", "v=spf1 a -all");
	/* The same zone with the draft published: what `check` would see. */
	aw_dns_memory_add_txt1(z2, "d.example", draft);
	aw_dns_memory_add_txt1(z2, "big.example", heavy);
	aw_dns_memory_add_txt1(z2, "n1.example", "v=spf1 ip4:192.0.2.1 -all");
	aw_dns_memory_add_txt1(z2, "n2.example", "v=spf1 a -all");
	src2 = aw_dns_memory_source(z2);

	/* What the wizard read at the domain, and its draft. */
	m->domain = strdup("d.example");
	aw_strv_push(&m->cur_txt, "v=spf1 -all");
	aw_strv_push(&m->cur_txt, "site-verification=abc");
	m->spf_draft = strdup(draft);
	assert_int_equal(aw_tui_model_spf_change(m, &before, &after), AW_OK);
	assert_int_equal(before.values.n, 2);
	assert_int_equal(after.values.n, 2);
	ch.before = &before;
	ch.after = &after;
	memset(&ov, 0, sizeof ov);
	ov.live = &src;
	ov.changes = &ch;
	ov.nchanges = 1;
	os = aw_preflight_overlay_source(&ov);
	assert_int_equal(tree_lookups(loop, &os, "d.example"),
	    tree_lookups(loop, &src2, "d.example"));
	/* a 1, each include 1 + big 3 + n2 1. */
	assert_int_equal(tree_lookups(loop, &os, "d.example"), 11);
	/* The other TXT stays, the old SPF record is gone. */
	ans = aw_dns_query_sync(&os, "d.example", AW_RECORD_TXT);
	assert_non_null(ans);
	assert_int_equal(ans->result, AW_DNS_RECORDS);
	assert_int_equal(ans->nrr, 2);
	{
		char *a = aw_dns_txt_join(&ans->rr[0], NULL);
		char *b = aw_dns_txt_join(&ans->rr[1], NULL);

		assert_string_equal(a, "site-verification=abc");
		assert_string_equal(b, draft);
		free(a);
		free(b);
	}
	aw_dns_answer_free(ans);
	assert_null(ov.inflight);
	aw_record_done(&before);
	aw_record_done(&after);

	/* The TXT lookup at the domain failed (nothing read): the draft
	 * alone; other types go to live DNS unchanged. */
	aw_dns_memory_add_timeout(z, "down.example", 0);
	free(m->domain);
	m->domain = strdup("down.example");
	aw_strv_done(&m->cur_txt);
	free(m->spf_draft);
	m->spf_draft = strdup("v=spf1 a -all");
	assert_int_equal(aw_tui_model_spf_change(m, &before, &after), AW_OK);
	ans = aw_dns_query_sync(&os, "down.example", AW_RECORD_TXT);
	assert_int_equal(ans->result, AW_DNS_RECORDS);
	assert_int_equal(ans->nrr, 1);
	aw_dns_answer_free(ans);
	ans = aw_dns_query_sync(&os, "down.example", AW_RECORD_A);
	assert_int_equal(ans->result, AW_DNS_TIMEOUT);
	aw_dns_answer_free(ans);
	aw_record_done(&before);
	aw_record_done(&after);
	aw_tui_model_free(m);
	aw_dns_memory_free(z2);
	aw_dns_memory_free(z);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(is_record_needs_a_space_after_the_version),
		cmocka_unit_test(term_equality_ignores_case_plus_and_trailing_dot),
		cmocka_unit_test(split_keeps_order_drops_invalid_and_finds_all),
		cmocka_unit_test(strictest_all_of_records),
		cmocka_unit_test(lookups_of_record_and_term),
		cmocka_unit_test(overlay_counts_the_draft_as_check_counts_it_published),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
