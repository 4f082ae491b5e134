/* test_mta_sts.c: MTA-STS (checks/mta-sts.c, check-mta-sts.c) and
 * TLS-RPT (checks/tls-rpt.c): the record syntax, the policy file, the
 * RFC 8461 §4.1 wildcard rule, and the area over the in-memory DNS with
 * a fetcher of the test's own (no HTTP). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/mta-sts.h"
#include "checks/tls-rpt.h"
#include "core/loop.h"
#include "helpers/area.h"

static bool
txt_ok(const char *s, struct aw_findings *f, char **id)
{
	struct aw_mta_sts_txt r;
	bool valid;

	aw_mta_sts_txt_init(&r);
	assert_int_equal(aw_mta_sts_txt_parse(s, strlen(s), &r, f), AW_OK);
	valid = r.valid;
	if (id != NULL)
		*id = r.id ? strdup(r.id) : NULL;
	aw_mta_sts_txt_done(&r);
	return valid;
}

/* RFC 8461 §3.1: v=STSv1 first, id of 1-32 letters and digits. */
static void
txt_record_syntax_rfc8461_3_1(void **state)
{
	struct aw_findings f;
	char *id = NULL;

	(void)state;
	assert_true(aw_mta_sts_is_record("v=STSv1; id=1", 13));
	assert_true(aw_mta_sts_is_record("v=STSv1", 7));
	assert_false(aw_mta_sts_is_record("v=STSv10; id=1", 14));
	assert_false(aw_mta_sts_is_record("id=1; v=STSv1", 13));
	aw_findings_init(&f);
	assert_true(txt_ok("v=STSv1; id=20260101T000000;", &f, &id));
	assert_string_equal(id, "20260101T000000");
	free(id);
	assert_true(txt_ok("v=STSv1 ;id=abc; ext=value", &f, NULL));
	assert_int_equal(f.nitems, 0);
	assert_false(txt_ok("v=STSv1;", &f, NULL));
	assert_non_null(aw_findings_find(&f, "mta_sts.txt-no-id"));
	aw_findings_done(&f);
	aw_findings_init(&f);
	assert_false(txt_ok("v=STSv1; id=a-b", &f, NULL));
	assert_non_null(aw_findings_find(&f, "mta_sts.txt-bad-id"));
	assert_false(txt_ok("v=STSv1; id=123456789012345678901234567890123",
	    &f, NULL));
	assert_false(txt_ok("v=STSv1; id=1; id=2", &f, NULL));
	assert_non_null(aw_findings_find(&f, "mta_sts.txt-duplicate-id"));
	assert_false(txt_ok("v=STSv1; id", &f, NULL));
	assert_non_null(aw_findings_find(&f, "mta_sts.txt-syntax"));
	assert_false(txt_ok("v=STSv1 id=1", &f, NULL));
	aw_findings_done(&f);
}

static bool
policy(const char *body, struct aw_mta_sts_policy *p, struct aw_findings *f)
{
	aw_mta_sts_policy_init(p);
	aw_findings_init(f);
	assert_int_equal(aw_mta_sts_policy_parse(body, strlen(body), p, f),
	    AW_OK);
	return p->valid;
}

/* RFC 8461 §3.2: key: value lines, CRLF or LF; extensions ignored. */
static void
policy_fields_parsed_rfc8461_3_2(void **state)
{
	struct aw_mta_sts_policy p;
	struct aw_findings f;

	(void)state;
	assert_true(policy("version: STSv1\r\nmode: enforce\r\n"
	    "mx: MX1.Example.com.\r\nmx:*.example.net\r\nmax_age:604800\r\n"
	    "x_ext: whatever\r\n", &p, &f));
	assert_string_equal(p.version, "STSv1");
	assert_int_equal(p.mode, AW_MTA_STS_MODE_ENFORCE);
	assert_int_equal(p.max_age, 604800);
	assert_int_equal(p.mx.n, 2);
	assert_string_equal(p.mx.v[0], "mx1.example.com");
	assert_string_equal(p.mx.v[1], "*.example.net");
	assert_int_equal(f.errors.n + f.warnings.n, 0);
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	/* LF only, mode testing: valid, noted. */
	assert_true(policy("version: STSv1\nmode: testing\nmx: mx.example.com\n"
	    "max_age: 86400", &p, &f));
	assert_non_null(aw_findings_find(&f, "mta_sts.mode-testing"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	/* mode none needs no mx. */
	assert_true(policy("version: STSv1\nmode: none\nmax_age: 86400\n",
	    &p, &f));
	assert_non_null(aw_findings_find(&f, "mta_sts.mode-none"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);
}

static void
policy_errors_rfc8461_3_2(void **state)
{
	struct aw_mta_sts_policy p;
	struct aw_findings f;

	(void)state;
	assert_false(policy("mode: enforce\nmx: a.example\nmax_age: 1\n",
	    &p, &f));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-version"));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-short-max-age"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	assert_false(policy("version: STSv1\nmode: strict\nmx: a.example\n"
	    "max_age: 31557601\n", &p, &f));
	assert_int_equal(p.mode, AW_MTA_STS_MODE_INVALID);
	assert_int_equal(p.max_age, -1);
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-mode"));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-max-age"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	assert_false(policy("version: STSv1\nmode: enforce\nmax_age: +5\n"
	    "mx: *.*.example\nmx: a*.example\ngarbage line\n", &p, &f));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-bad-mx"));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-no-mx"));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-line"));
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-max-age"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	assert_true(policy("version: STSv1\nmode: enforce\nmode: none\n"
	    "mx: a.example\nmax_age: 86400\n", &p, &f));
	assert_int_equal(p.mode, AW_MTA_STS_MODE_ENFORCE);
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-duplicate"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);

	assert_int_equal(aw_mta_sts_policy_parse("version: STSv1\0x", 16,
	    (aw_mta_sts_policy_init(&p), &p), (aw_findings_init(&f), &f)),
	    AW_OK);
	assert_false(p.valid);
	assert_non_null(aw_findings_find(&f, "mta_sts.policy-binary"));
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);
}

/* RFC 8461 §4.1: "*." matches exactly one leftmost label. */
static void
mx_wildcard_matches_one_label_rfc8461_4_1(void **state)
{
	(void)state;
	assert_true(aw_mta_sts_mx_match("mail.example.com", "MAIL.example.com."));
	assert_true(aw_mta_sts_mx_match("*.example.com", "mx1.example.com"));
	assert_false(aw_mta_sts_mx_match("*.example.com", "a.b.example.com"));
	assert_false(aw_mta_sts_mx_match("*.example.com", "example.com"));
	assert_false(aw_mta_sts_mx_match("*.example.com", "mx.example.net"));
	assert_false(aw_mta_sts_mx_match("mail.example.com", "x.mail.example.com"));
}

static bool
tls_rpt(const char *s, struct aw_tls_rpt_record *r, struct aw_findings *f)
{
	aw_tls_rpt_record_init(r);
	aw_findings_init(f);
	assert_int_equal(aw_tls_rpt_parse(s, strlen(s), r, f), AW_OK);
	return r->valid;
}

/* RFC 8460 §3: v=TLSRPTv1 first; rua of mailto: and https: URIs. */
static void
tls_rpt_record_rfc8460_3(void **state)
{
	struct aw_tls_rpt_record r;
	struct aw_findings f;

	(void)state;
	assert_true(aw_tls_rpt_is_record("v=TLSRPTv1;rua=mailto:a@b", 25));
	assert_false(aw_tls_rpt_is_record("v=TLSRPTv10; rua=x", 18));
	assert_true(tls_rpt("v=TLSRPTv1; rua=mailto:tls@example.com, "
	    "https://r.example.com/tls ;", &r, &f));
	assert_int_equal(r.rua.n, 2);
	assert_string_equal(r.rua.v[1], "https://r.example.com/tls");
	assert_int_equal(f.nitems, 0);
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);

	assert_false(tls_rpt("v=TLSRPTv1;", &r, &f));
	assert_non_null(aw_findings_find(&f, "tls_rpt.no-rua"));
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);

	assert_false(tls_rpt("v=TLSRPTv1; rua=ftp://x.example/", &r, &f));
	assert_non_null(aw_findings_find(&f, "tls_rpt.rua-scheme"));
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);

	assert_false(tls_rpt("v=TLSRPTv1; rua=mailto:nobody; rua=mailto:a@b",
	    &r, &f));
	assert_non_null(aw_findings_find(&f, "tls_rpt.rua-bad-uri"));
	assert_non_null(aw_findings_find(&f, "tls_rpt.duplicate-rua"));
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);

	assert_false(tls_rpt("v=TLSRPTv1; =x", &r, &f));
	assert_non_null(aw_findings_find(&f, "tls_rpt.syntax"));
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);
}

#include "fake-fetch.h"

static void
area_fetches_policy_and_checks_mx_rfc8461_3_3(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct fake_fetch ff = { .loop = loop, .status = 200,
	    .ctype = "text/plain; charset=utf-8",
	    .body = "version: STSv1\nmode: enforce\nmx: *.example.com\n"
	    "max_age: 604800\n" };
	struct aw_fetcher fetcher = { &fake_ops, &ff };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc;
	struct aw_section *sec;
	const struct aw_mta_sts_detail *d;

	(void)state;
	aw_dns_memory_add_txt1(m, "_mta-sts.example.com", "v=STSv1; id=7");
	aw_dns_memory_add_addr(m, "mta-sts.example.com", "192.0.2.80");
	aw_dns_memory_add_mx(m, "example.com", 10, "mx1.example.com");
	aw_dns_memory_add_mx(m, "example.com", 20, "mx.other.example.com");
	memset(&opts, 0, sizeof opts);
	opts.fetcher = &fetcher;
	dc = aw_test_run_area(loop, m, "example.com", "mta_sts", &opts);
	sec = aw_test_section(dc, "mta_sts", NULL);
	assert_non_null(sec);
	d = sec->detail;
	assert_int_equal(ff.started, 1);
	assert_string_equal(ff.url,
	    "https://mta-sts.example.com/.well-known/mta-sts.txt");
	assert_string_equal(ff.host, "mta-sts.example.com");
	assert_string_equal(ff.addrs, "192.0.2.80");
	assert_int_equal(ff.max, AW_MTA_STS_POLICY_MAX);
	assert_true(d->fetched);
	assert_string_equal(d->txt.id, "7");
	assert_false(d->mx_covered);
	assert_int_equal(d->uncovered.n, 1);
	assert_string_equal(d->uncovered.v[0], "mx.other.example.com");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_non_null(aw_findings_find(&sec->f, "mta_sts.mx-not-covered"));
	aw_domain_check_free(dc);

	/* A redirect and a wrong type are errors; the body is not read. */
	ff.status = 302;
	dc = aw_test_run_area(loop, m, "example.com", "mta_sts", &opts);
	sec = aw_test_section(dc, "mta_sts", NULL);
	assert_non_null(aw_findings_find(&sec->f, "mta_sts.policy-redirect"));
	assert_false(((struct aw_mta_sts_detail *)sec->detail)->fetched);
	aw_domain_check_free(dc);
	ff.status = 200;
	ff.ctype = "application/octet-stream";
	dc = aw_test_run_area(loop, m, "example.com", "mta_sts", &opts);
	sec = aw_test_section(dc, "mta_sts", NULL);
	assert_non_null(aw_findings_find(&sec->f, "mta_sts.policy-content-type"));
	aw_domain_check_free(dc);

	/* No fetcher: noted, not fetched. */
	opts.fetcher = NULL;
	dc = aw_test_run_area(loop, m, "example.com", "mta_sts", &opts);
	sec = aw_test_section(dc, "mta_sts", NULL);
	assert_non_null(aw_findings_find(&sec->f, "mta_sts.policy-not-fetched"));
	assert_int_equal(ff.started, 3);
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
tls_rpt_area_one_record_rfc8460_3(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;

	(void)state;
	aw_dns_memory_add_txt1(m, "_smtp._tls.example.com",
	    "v=TLSRPTv1; rua=mailto:a@example.com");
	aw_dns_memory_add_txt1(m, "_smtp._tls.example.com",
	    "v=TLSRPTv1; rua=mailto:b@example.com");
	aw_dns_memory_add_txt1(m, "_smtp._tls.example.org", "unrelated");
	dc = aw_test_run_area(loop, m, "example.com", "tls_rpt", NULL);
	sec = aw_test_section(dc, "tls_rpt", NULL);
	assert_non_null(aw_findings_find(&sec->f, "tls_rpt.multiple-records"));
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	aw_domain_check_free(dc);
	dc = aw_test_run_area(loop, m, "example.org", "tls_rpt", NULL);
	sec = aw_test_section(dc, "tls_rpt", NULL);
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_non_null(aw_findings_find(&sec->f, "tls_rpt.none"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(txt_record_syntax_rfc8461_3_1),
		cmocka_unit_test(policy_fields_parsed_rfc8461_3_2),
		cmocka_unit_test(policy_errors_rfc8461_3_2),
		cmocka_unit_test(mx_wildcard_matches_one_label_rfc8461_4_1),
		cmocka_unit_test(tls_rpt_record_rfc8460_3),
		cmocka_unit_test(area_fetches_policy_and_checks_mx_rfc8461_3_3),
		cmocka_unit_test(tls_rpt_area_one_record_rfc8460_3),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
