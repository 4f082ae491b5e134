/* test_preflight.c: the zone as a plan will leave it, checked before
 * publishing (checks/preflight.h): every preflight finding, weakening and
 * fix suggestion over the in-memory DNS source; the SPF edits of the
 * builder (--spf-replace, --spf-remove) and the plan's "unknown is not
 * absent" refusal. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/preflight.h"
#include "checks/spf-build.h"
#include "core/loop.h"
#include "providers/plan.h"

/* RSA public keys (SubjectPublicKeyInfo, base64) made with
 * `openssl genrsa N | openssl rsa -pubout -outform DER | base64`. */
#define KEY512 "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAKfeEq2b0BpEXr5Ke1WeakMsOA24+Kheqe7whsKsHoumlOH/h0cFsk4MBIsp4qbWrWSLPvDq/lPmVAtw8zeGJG0CAwEAAQ=="
#define KEY1024 "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDItXoaZ3A8oSgjbiThA9xWrfWDMdrQCAld5gyxsfLRcjvMC4BNaNCYclvHlw+N+JUJvkZZUddJY5WrmLZJDno2ds8RWyjBUTT99zwKK9s8Pra/WYO4v5usBhZwbNwvd03avgSivOqoG/AvMsLJqdsB6+6XHifqgUyUHw7dQ2hcSwIDAQAB"

struct fx {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	struct aw_record before[4], after[4];
	struct aw_preflight_change ch[4];
	size_t n;
	struct aw_preflight_result res;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->loop = aw_loop_new();
	f->m = aw_dns_memory_new(f->loop);
	f->src = aw_dns_memory_source(f->m);
	aw_preflight_result_init(&f->res);
	/* The senders: 1 + 4 lookups (LeadDesk-like) with a lighter variant,
	 * and some cheaper ones: 6 lookups for the four below. */
	aw_dns_memory_add_txt1(f->m, "_spf.heavy.example",
	    "v=spf1 include:_n1.heavy.example include:_n2.heavy.example include:_n3.heavy.example include:_n4.heavy.example ~all");
	aw_dns_memory_add_txt1(f->m, "_n1.heavy.example", "v=spf1 ip4:198.51.100.0/28 ~all");
	aw_dns_memory_add_txt1(f->m, "_n2.heavy.example", "v=spf1 ip4:198.51.100.16/28 ~all");
	aw_dns_memory_add_txt1(f->m, "_n3.heavy.example", "v=spf1 ip4:198.51.100.32/28 ~all");
	aw_dns_memory_add_txt1(f->m, "_n4.heavy.example", "v=spf1 ip4:198.51.100.48/28 ~all");
	aw_dns_memory_add_txt1(f->m, "_spf5.heavy.example", "v=spf1 ip4:198.51.100.0/26 ~all");
	aw_dns_memory_add_txt1(f->m, "crm.example", "v=spf1 include:crm2.example -all");
	aw_dns_memory_add_txt1(f->m, "crm2.example", "v=spf1 ip4:203.0.113.0/24 -all");
	aw_dns_memory_add_txt1(f->m, "big.example", "v=spf1 a:h1.big.example a:h2.big.example -all");
	aw_dns_memory_add_addr(f->m, "h1.big.example", "192.0.2.1");
	aw_dns_memory_add_addr(f->m, "h2.big.example", "192.0.2.2");
	aw_dns_memory_add_txt1(f->m, "esp.example", "v=spf1 ip4:192.0.2.128/25 -all");
	aw_dns_memory_add_txt1(f->m, "nospf.example", "just a verification string");
	aw_dns_memory_add_txt1(f->m, "loop.example", "v=spf1 include:example.org -all");
	/* The domain as published now. */
	aw_dns_memory_add_txt1(f->m, "example.org",
	    "v=spf1 include:crm.example include:big.example include:esp.example -all");
	aw_dns_memory_add_txt1(f->m, "example.org", "site-verification=abc");
	aw_dns_memory_add_txt1(f->m, "s2.dkim.esp.example", "v=DKIM1; k=rsa; p=" KEY1024);
	aw_dns_memory_add_addr(f->m, "out.example.org", "192.0.2.50");
	aw_dns_memory_add_addr(f->m, "other.example.org", "192.0.2.99");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;
	size_t i;

	for (i = 0; i < f->n; i++) {
		aw_record_done(&f->before[i]);
		aw_record_done(&f->after[i]);
	}
	aw_preflight_result_done(&f->res);
	aw_dns_memory_free(f->m);
	aw_loop_free(f->loop);
	free(f);
	return 0;
}

/* One change: name/type from the values in before (NULL-terminated) to
 * those in after. */
static void
change(struct fx *f, const char *name, enum aw_record_type type,
    const char *const *before, const char *const *after)
{
	size_t i = f->n++;

	assert_true(i < 4);
	assert_int_equal(aw_record_init(&f->before[i], name, type, 300), AW_OK);
	assert_int_equal(aw_record_init(&f->after[i], name, type, 300), AW_OK);
	while (before != NULL && *before != NULL)
		assert_int_equal(aw_record_add(&f->before[i], *before++), AW_OK);
	while (after != NULL && *after != NULL)
		assert_int_equal(aw_record_add(&f->after[i], *after++), AW_OK);
	f->ch[i].before = &f->before[i];
	f->ch[i].after = &f->after[i];
}

static const char *
lighter(void *arg, const char *include)
{
	(void)arg;
	return strcmp(include, "_spf.heavy.example") == 0 ?
	    "_spf5.heavy.example" : NULL;
}

static void
run(struct fx *f)
{
	struct aw_preflight_opts opts = { lighter, NULL };

	assert_int_equal(aw_preflight_run_sync(f->loop, &f->src, "example.org",
	    f->ch, f->n, &opts, &f->res, NULL), AW_OK);
}

static const struct aw_preflight_finding *
need(struct fx *f, const char *code, enum aw_severity sev)
{
	const struct aw_preflight_finding *x =
	    aw_preflight_result_find(&f->res, code);

	if (x == NULL) {
		size_t i;

		for (i = 0; i < f->res.n; i++)
			fprintf(stderr, "have %s: %s\n", f->res.v[i].code,
			    f->res.v[i].message);
		fail_msg("no finding %s", code);
	}
	assert_int_equal(x->severity, sev);
	return x;
}

#define NOW_SPF "v=spf1 include:crm.example include:big.example include:esp.example -all"

static void
rfc7208_4_6_4_six_plus_five_lookups_is_an_error_naming_the_lighter_include(
    void **state)
{
	struct fx *f = *state;
	const char *b[] = { NOW_SPF, "site-verification=abc", NULL };
	const char *a[] = { "v=spf1 include:crm.example include:big.example include:esp.example include:_spf.heavy.example -all",
	    "site-verification=abc", NULL };
	const struct aw_preflight_finding *x;

	change(f, "example.org", AW_RECORD_TXT, b, a);
	run(f);
	x = need(f, "spf.lookup-limit", AW_SEV_ERROR);
	assert_string_equal(x->name, "example.org");
	assert_string_equal(x->rfc, "RFC 7208 §4.6.4");
	assert_non_null(strstr(x->message, "11"));
	assert_non_null(strstr(x->message, "_spf5.heavy.example"));
	x = need(f, "spf.fix-lighter-include", AW_SEV_NOTE);
	assert_non_null(strstr(x->message,
	    "--spf-replace include:_spf.heavy.example=include:_spf5.heavy.example"));
	assert_true(aw_preflight_result_blocks(&f->res));
}

static void
rfc7208_4_6_4_under_the_limit_no_finding(void **state)
{
	struct fx *f = *state;
	const char *b[] = { NOW_SPF, NULL };
	const char *a[] = { "v=spf1 include:crm.example include:big.example include:esp.example include:_spf5.heavy.example -all", NULL };

	change(f, "example.org", AW_RECORD_TXT, b, a);
	run(f);
	assert_int_equal(f->res.n, 0);
	assert_false(aw_preflight_result_blocks(&f->res));
}

static void
rfc7208_4_6_4_an_include_already_in_another_tree_is_named(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 include:_spf.heavy.example include:big.example include:crm.example include:_n1.heavy.example include:crm2.example -all", NULL };
	const struct aw_preflight_finding *x;

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	need(f, "spf.lookup-limit", AW_SEV_ERROR);
	x = need(f, "spf.fix-duplicate-include", AW_SEV_NOTE);
	assert_non_null(strstr(x->message, "--spf-remove include:"));
}

static void
rfc7208_4_6_4_void_lookups_over_two(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 a:v1.example.org a:v2.example.org a:v3.example.org -all", NULL };

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	need(f, "spf.void-limit", AW_SEV_ERROR);
}

static void
rfc7208_3_2_two_spf_records_after_the_change(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 -all", "v=spf1 include:esp.example -all", NULL };

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	need(f, "spf.multiple-records", AW_SEV_ERROR);
}

static void
rfc7208_5_2_include_and_redirect_targets_without_spf(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 include:nospf.example -all", NULL };
	const char *a2[] = { "v=spf1 redirect=nothing.example", NULL };
	const struct aw_preflight_finding *x;

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	change(f, "sub.example.org", AW_RECORD_TXT, NULL, a2);
	run(f);
	x = need(f, "spf.target-without-spf", AW_SEV_ERROR);
	assert_string_equal(x->name, "example.org");
	assert_string_equal(f->res.v[1].code, "spf.target-without-spf");
	assert_string_equal(f->res.v[1].name, "sub.example.org");
	assert_string_equal(f->res.v[1].rfc, "RFC 7208 §6.1");
}

static void
rfc7208_4_6_4_include_loop(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 include:loop.example -all", NULL };

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	need(f, "spf.loop", AW_SEV_ERROR);
}

static void
rfc7208_4_6_syntax_error(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 include -all", NULL };

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	need(f, "spf.syntax", AW_SEV_ERROR);
}

static void
rfc7208_3_4_size_warning_over_450_error_over_512(void **state)
{
	struct fx *f = *state;
	char big[600], huge[700];
	const char *a[] = { big, NULL }, *a2[] = { huge, NULL };
	size_t i;

	strcpy(big, "v=spf1");
	for (i = 0; strlen(big) < 460; i++)
		snprintf(big + strlen(big), sizeof big - strlen(big),
		    " ip4:192.0.2.%zu", i);
	strcat(big, " -all");
	strcpy(huge, big);
	for (; strlen(huge) < 530; i++)
		snprintf(huge + strlen(huge), sizeof huge - strlen(huge),
		    " ip4:198.51.100.%zu", i);
	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	change(f, "sub.example.org", AW_RECORD_TXT, NULL, a2);
	run(f);
	need(f, "spf.size-large", AW_SEV_WARNING);
	assert_string_equal(need(f, "spf.size-limit", AW_SEV_ERROR)->name,
	    "sub.example.org");
}

static void
weakening_spf_all_and_removal(void **state)
{
	struct fx *f = *state;
	const char *b[] = { "v=spf1 ip4:192.0.2.10 -all", NULL };
	const char *a[] = { "v=spf1 ip4:192.0.2.10 include:esp.example ~all", NULL };
	const char *b2[] = { "v=spf1 -all", "keep", NULL };
	const char *a2[] = { "keep", NULL };
	const struct aw_preflight_finding *x;

	change(f, "example.org", AW_RECORD_TXT, b, a);
	change(f, "sub.example.org", AW_RECORD_TXT, b2, a2);
	run(f);
	x = need(f, "spf.weaken-all", AW_SEV_WARNING);
	assert_non_null(strstr(x->message, "-all"));
	assert_non_null(strstr(x->message, "~all"));
	assert_string_equal(need(f, "spf.weaken-removed", AW_SEV_WARNING)->name,
	    "sub.example.org");
	/* A weakening is said, not blocked. */
	assert_false(aw_preflight_result_blocks(&f->res));
}

static void
weakening_not_when_stricter(void **state)
{
	struct fx *f = *state;
	const char *b[] = { "v=spf1 ip4:192.0.2.10 ~all", "v=DMARC1; p=none", NULL };
	const char *a[] = { "v=spf1 ip4:192.0.2.10 -all", NULL };
	struct aw_preflight_result r;

	change(f, "x.example.org", AW_RECORD_TXT, b, a);
	aw_preflight_result_init(&r);
	assert_int_equal(aw_preflight_weakening("x.example.org", &f->before[0],
	    &f->after[0], &r), AW_OK);
	/* Stricter SPF: nothing; the DMARC record going away: said. */
	assert_null(aw_preflight_result_find(&r, "spf.weaken-all"));
	assert_non_null(aw_preflight_result_find(&r, "dmarc.weaken-removed"));
	aw_preflight_result_done(&r);
}

static void
rfc9989_weakening_dmarc_policy_down(void **state)
{
	struct fx *f = *state;
	const char *b[] = { "v=DMARC1; p=reject", NULL };
	const char *a[] = { "v=DMARC1; p=none", NULL };
	const struct aw_preflight_finding *x;

	change(f, "_dmarc.example.org", AW_RECORD_TXT, b, a);
	run(f);
	x = need(f, "dmarc.weaken-policy", AW_SEV_WARNING);
	assert_non_null(strstr(x->code, "weaken"));
	assert_non_null(strstr(x->message, "reject"));
}

/* The DMARC area's own findings (RFC 9989 parse, RFC 9990 report
 * authorization) come through for the record as it will be. */
static void
rfc9989_rfc9990_dmarc_as_it_will_be(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=DMARC1; p=bogus", NULL };
	const char *a2[] = { "v=DMARC1; p=none; rua=mailto:d@reports.example.net", NULL };
	size_t i;
	bool bad = false, auth = false;

	change(f, "_dmarc.example.org", AW_RECORD_TXT, NULL, a);
	change(f, "_dmarc.sub.example.org", AW_RECORD_TXT, NULL, a2);
	run(f);
	for (i = 0; i < f->res.n; i++) {
		if (strcmp(f->res.v[i].name, "_dmarc.example.org") == 0 &&
		    f->res.v[i].severity == AW_SEV_ERROR)
			bad = true;
		if (strstr(f->res.v[i].message, "reports.example.net") != NULL &&
		    f->res.v[i].severity == AW_SEV_WARNING)
			auth = true;
	}
	assert_true(bad);
	assert_true(auth);
}

static void
rfc8301_dkim_key_under_1024_bits_blocks(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=DKIM1; k=rsa; p=" KEY512, NULL };
	const struct aw_preflight_finding *x;

	change(f, "s1._domainkey.example.org", AW_RECORD_TXT, NULL, a);
	run(f);
	x = need(f, "dkim.key-too-short", AW_SEV_ERROR);
	assert_string_equal(x->rfc, "RFC 8301 §3.2");
	assert_true(aw_preflight_result_blocks(&f->res));
}

static void
dkim_cname_target_not_there_yet_is_a_warning(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "s1.dkim.esp.example", NULL };
	const char *a2[] = { "s2.dkim.esp.example", NULL };
	size_t i;

	change(f, "s1._domainkey.example.org", AW_RECORD_CNAME, NULL, a);
	change(f, "s2._domainkey.example.org", AW_RECORD_CNAME, NULL, a2);
	run(f);
	assert_string_equal(need(f, "dkim.cname-target-missing",
	    AW_SEV_WARNING)->name, "s1._domainkey.example.org");
	/* The CNAME to a published 1024-bit key is followed: no error. */
	for (i = 0; i < f->res.n; i++)
		assert_false(strcmp(f->res.v[i].name,
		    "s2._domainkey.example.org") == 0 &&
		    f->res.v[i].severity == AW_SEV_ERROR);
	assert_false(aw_preflight_result_blocks(&f->res));
}

static void
ptr_forward_record_must_match(void **state)
{
	struct fx *f = *state;
	const char *good[] = { "out.example.org", NULL };
	const char *bad[] = { "other.example.org", NULL };
	const char *addr[] = { "192.0.2.51", NULL };
	const char *aaaa[] = { "mail6.example.org", NULL };
	const char *addr6[] = { "2001:db8::25", NULL };
	const struct aw_preflight_finding *x;

	change(f, "50.2.0.192.in-addr.arpa", AW_RECORD_PTR, NULL, good);
	change(f, "51.2.0.192.in-addr.arpa", AW_RECORD_PTR, NULL, bad);
	/* A forward record the same plan makes counts (the overlay). */
	change(f, "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
	    AW_RECORD_PTR, NULL, aaaa);
	change(f, "mail6.example.org", AW_RECORD_AAAA, NULL, addr6);
	(void)addr;
	run(f);
	x = need(f, "ptr.forward-mismatch", AW_SEV_ERROR);
	assert_non_null(strstr(x->message, "192.0.2.51"));
	assert_int_equal(f->res.n, 1);
}

static void
never_called(struct aw_preflight *pf, const struct aw_preflight_result *r,
    void *arg)
{
	(void)pf;
	(void)r;
	(void)arg;
	fail_msg("the preflight finished although DNS stayed silent");
}

/* A source over the zone that never answers for names under
 * "slow.example" (a server dropping packets). */
static enum aw_status
silent_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	const struct aw_dns_source *mem = impl;
	size_t n = strlen(name);

	if (n >= 12 && strcmp(name + n - 12, "slow.example") == 0)
		return AW_OK;
	return aw_dns_query(mem, name, type, cb, arg);
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

/* The wizard quits while DNS is silent: the source drops the callbacks,
 * then the preflight is freed with its SPF tree, area checks and overlay
 * questions in flight (make check-asan proves nothing leaks). */
static void
dropping_the_preflight_while_dns_is_silent_is_safe(void **state)
{
	struct fx *f = *state;
	const char *a[] = { "v=spf1 include:_spf.heavy.example include:slow.example -all", NULL };
	const char *d[] = { "v=DMARC1; p=none; rua=mailto:d@slow.example", NULL };
	const char *k[] = { "s1.slow.example", NULL };
	struct aw_dns_source silent = { &silent_ops, &f->src };
	struct aw_preflight *pf = NULL;
	bool never = false;

	change(f, "example.org", AW_RECORD_TXT, NULL, a);
	change(f, "_dmarc.example.org", AW_RECORD_TXT, NULL, d);
	change(f, "s1._domainkey.example.org", AW_RECORD_CNAME, NULL, k);
	assert_int_equal(aw_preflight_start(f->loop, &silent, "example.org",
	    f->ch, f->n, NULL, never_called, NULL, &pf, NULL), AW_OK);
	/* Every answer that comes, comes: then only silence is left. */
	assert_int_equal(aw_loop_run_until(f->loop, &never, 0), AW_OK);
	assert_true(aw_dns_memory_queries(f->m) > 3);
	aw_dns_memory_free(f->m);
	f->m = NULL;
	aw_preflight_free(pf);
}

static void
spf_build_replace_and_remove_terms(void **state)
{
	const char *existing[] = { "v=spf1 include:a.example include:_spf.heavy.example include:b.example -all" };
	const char *terms[] = { "include:c.example" };
	const char *rm[] = { "include:a.example" };
	const char *ro[] = { "include:_spf.heavy.example" };
	const char *rn[] = { "include:_spf5.heavy.example" };
	struct aw_spf_want w;
	struct aw_spf_build b;
	struct aw_error err;

	(void)state;
	memset(&w, 0, sizeof w);
	w.terms = terms;
	w.nterms = 1;
	w.remove = rm;
	w.nremove = 1;
	w.replace_old = ro;
	w.replace_new = rn;
	w.nreplace = 1;
	assert_int_equal(aw_spf_build(existing, 1, &w, &b, NULL), AW_OK);
	assert_string_equal(b.record,
	    "v=spf1 include:_spf5.heavy.example include:b.example include:c.example -all");
	aw_spf_build_done(&b);
	/* A swap of a term the record does not have fails, naming it. */
	ro[0] = "include:nothere.example";
	aw_error_clear(&err);
	assert_int_equal(aw_spf_build(existing, 1, &w, &b, &err), AW_ERR_INVALID);
	assert_non_null(strstr(err.msg, "nothere.example"));
	/* A modifier is swapped the same way. */
	{
		const char *red[] = { "v=spf1 redirect=_spf.a.example" };
		const char *o2[] = { "redirect=_spf.a.example" };
		const char *n2[] = { "redirect=_spf.b.example" };
		struct aw_spf_want w2 = { .replace_old = o2, .replace_new = n2,
		    .nreplace = 1 };

		assert_int_equal(aw_spf_build(red, 1, &w2, &b, NULL), AW_OK);
		assert_string_equal(b.record, "v=spf1 redirect=_spf.b.example");
		aw_spf_build_done(&b);
	}
}

static void
spf_build_merging_keeps_strictest_all_and_weakening_is_said(void **state)
{
	const char *existing[] = { "v=spf1 ip4:192.0.2.10 -all", "v=spf1 include:x.example ~all" };
	const char *terms[] = { "include:y.example" };
	struct aw_spf_want w = { .terms = terms, .nterms = 1 };
	struct aw_spf_build b;

	(void)state;
	assert_int_equal(aw_spf_build(existing, 2, &w, &b, NULL), AW_OK);
	assert_non_null(strstr(b.record, " -all"));
	assert_false(b.weakened);
	aw_spf_build_done(&b);
	w.all = "~all";
	assert_int_equal(aw_spf_build(existing, 1, &w, &b, NULL), AW_OK);
	assert_true(b.weakened);
	assert_non_null(strstr(b.record, " ~all"));
	aw_spf_build_done(&b);
}

static void
plan_unknown_name_is_not_planned_as_empty(void **state)
{
	struct aw_wants w;
	struct aw_record_set cur;
	struct aw_strv names;
	struct aw_zone zone = { "example.org.", "example.org" };
	struct aw_plan plan;
	const char *terms[] = { "-all" };

	(void)state;
	aw_wants_init(&w);
	aw_record_set_init(&cur);
	aw_strv_init(&names);
	aw_plan_init(&plan);
	assert_int_equal(aw_wants_add_spf(&w, "example.org", terms, 1, NULL,
	    NULL), AW_OK);
	assert_int_equal(aw_wants_add_txt(&w, "_v.example.org", "token=1", NULL),
	    AW_OK);
	assert_int_equal(aw_wants_mark_unknown(&w, "example.org", "timeout"),
	    AW_OK);
	assert_int_equal(aw_wants_names(&w, &names), AW_OK);
	{
		struct aw_zone zones[2] = { zone, zone };

		assert_int_equal(aw_plan_build(&w, &cur, &names, zones, &plan,
		    NULL), AW_OK);
	}
	/* The unknown name is refused with the reason; the other is planned. */
	assert_int_equal(plan.refused.n, 1);
	assert_non_null(strstr(plan.refused.v[0], "timeout"));
	assert_int_equal(plan.nchanges, 1);
	assert_string_equal(plan.changes[0].new.name, "_v.example.org");
	aw_plan_done(&plan);
	aw_strv_done(&names);
	aw_record_set_done(&cur);
	aw_wants_done(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(rfc7208_4_6_4_six_plus_five_lookups_is_an_error_naming_the_lighter_include),
		T(rfc7208_4_6_4_under_the_limit_no_finding),
		T(rfc7208_4_6_4_an_include_already_in_another_tree_is_named),
		T(rfc7208_4_6_4_void_lookups_over_two),
		T(rfc7208_3_2_two_spf_records_after_the_change),
		T(rfc7208_5_2_include_and_redirect_targets_without_spf),
		T(rfc7208_4_6_4_include_loop),
		T(rfc7208_4_6_syntax_error),
		T(rfc7208_3_4_size_warning_over_450_error_over_512),
		T(weakening_spf_all_and_removal),
		T(weakening_not_when_stricter),
		T(rfc9989_weakening_dmarc_policy_down),
		T(rfc9989_rfc9990_dmarc_as_it_will_be),
		T(rfc8301_dkim_key_under_1024_bits_blocks),
		T(dkim_cname_target_not_there_yet_is_a_warning),
		T(ptr_forward_record_must_match),
		T(dropping_the_preflight_while_dns_is_silent_is_safe),
		cmocka_unit_test(spf_build_replace_and_remove_terms),
		cmocka_unit_test(spf_build_merging_keeps_strictest_all_and_weakening_is_said),
		cmocka_unit_test(plan_unknown_name_is_not_planned_as_empty),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
