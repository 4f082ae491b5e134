/* test_verify.c: checks/verify.h over the in-memory DNS source: each rule
 * of "is this customer set up for the service" with its code and the zone
 * lines it suggests, against a catalog of the test's own services. */
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
#include "checks/dkim.h"
#include "checks/dns-memory.h"
#include "checks/verify.h"
#include "core/loop.h"

static const char catalog_json[] =
    "{\"services\": ["
    "{\"id\": \"acme\", \"name\": \"Acme\","
    " \"spf\": [{\"include\": \"_spf.acme.example\", \"lookups\": 2,"
    "   \"lighter\": \"_spf1.acme.example\"}],"
    " \"dkim\": {\"method\": \"cname\", \"cnames\": ["
    "   {\"selector\": \"ac1\", \"target\": \"ac1.{domain_dashed}.dkim.acme.example\"},"
    "   {\"selector\": \"ac2\", \"target\": \"ac2.{tenant}.dkim.acme.example\"}],"
    "  \"target_domains\": [\"dkim.acme.example\"]},"
    " \"verification\": {\"type\": \"TXT\", \"name\": \"@\","
    "   \"value\": \"acme-code={code}\"},"
    " \"placeholders\": [{\"name\": \"code\", \"description\": \"c\"},"
    "   {\"name\": \"tenant\", \"description\": \"t\"}]},"
    "{\"id\": \"txtsvc\", \"name\": \"Txt Service\","
    " \"spf\": [{\"include\": \"spf.txtsvc.example\", \"lookups\": 1}],"
    " \"dkim\": {\"method\": \"txt\", \"selectors\": [\"{sel}\", \"tx\"]},"
    " \"placeholders\": [{\"name\": \"sel\", \"description\": \"s\"}]},"
    "{\"id\": \"nodkim\", \"name\": \"No DKIM\","
    " \"spf\": [{\"include\": \"spf.nodkim.example\", \"lookups\": 1}],"
    " \"dkim\": {\"method\": \"none\"}}"
    "]}";

static const char weak_key[] =
    "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAMCY6rVugyrT8yDK10q4Due3eLKVAG69zVFjvEm4Of0hw2F1pODxoybNCaNNe7M96YLhcPX/h4QkmW5ekRzAyg0CAwEAAQ==";

static struct aw_catalog *cat;
static char *good_key;

struct fixture {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	struct aw_verify *v;
	struct aw_verify_opts opts;
};

/* The vendor's side and a customer c.example set up for acme. */
static void
vendor(struct aw_dns_memory *m)
{
	aw_dns_memory_add_txt1(m, "_spf.acme.example",
	    "v=spf1 include:_a.acme.example include:_b.acme.example ~all");
	aw_dns_memory_add_txt1(m, "_a.acme.example", "v=spf1 ip4:198.51.100.0/25 ~all");
	aw_dns_memory_add_txt1(m, "_b.acme.example", "v=spf1 ip4:198.51.100.128/25 ~all");
	aw_dns_memory_add_txt1(m, "_spf1.acme.example", "v=spf1 ip4:198.51.100.0/24 ~all");
	aw_dns_memory_add_txt1(m, "ac1.c-example.dkim.acme.example", good_key);
	aw_dns_memory_add_txt1(m, "ac2.t1.dkim.acme.example", good_key);
	aw_dns_memory_add_txt1(m, "spf.txtsvc.example", "v=spf1 ip4:203.0.113.0/24 ~all");
	aw_dns_memory_add_txt1(m, "spf.nodkim.example", "v=spf1 ip4:203.0.113.0/24 ~all");
}

static void
customer(struct aw_dns_memory *m, const char *spf)
{
	if (spf != NULL)
		aw_dns_memory_add_txt1(m, "c.example", spf);
	aw_dns_memory_add_txt1(m, "c.example", "acme-code=XYZ");
	aw_dns_memory_add_target(m, "ac1._domainkey.c.example", AW_RECORD_CNAME,
	    "ac1.c-example.dkim.acme.example");
	aw_dns_memory_add_target(m, "ac2._domainkey.c.example", AW_RECORD_CNAME,
	    "ac2.t1.dkim.acme.example");
	aw_dns_memory_add_txt1(m, "_dmarc.c.example", "v=DMARC1; p=none");
}

static void
fx_init(struct fixture *fx)
{
	memset(fx, 0, sizeof *fx);
	fx->loop = aw_loop_new();
	fx->m = aw_dns_memory_new(fx->loop);
	fx->src = aw_dns_memory_source(fx->m);
	vendor(fx->m);
}

static void
fx_done(struct fixture *fx)
{
	aw_verify_free(fx->v);
	aw_dns_memory_free(fx->m);
	aw_loop_free(fx->loop);
}

static void
on_done(struct aw_verify *v, void *arg)
{
	(void)v;
	*(bool *)arg = true;
}

static const struct aw_verify_result *
run(struct fixture *fx, const char *service, const char *domain,
    const char *const *names, const char *const *values, size_t n)
{
	struct aw_error err;
	bool done = false;

	fx->opts.service = aw_catalog_find(cat, service);
	assert_non_null(fx->opts.service);
	fx->opts.names = names;
	fx->opts.values = values;
	fx->opts.nvars = n;
	aw_error_clear(&err);
	assert_int_equal(aw_verify_start(&fx->src, domain, &fx->opts, on_done,
	    &done, &fx->v, &err), AW_OK);
	assert_false(done);   /* never from inside start */
	assert_int_equal(aw_loop_run_until(fx->loop, &done, 0), AW_OK);
	assert_true(done);
	assert_true(aw_verify_finished(fx->v));
	return aw_verify_result(fx->v);
}

/* The codes of the errors, in order, joined by spaces. */
static const char *
missing(const struct aw_verify_result *r)
{
	static char buf[1024];
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < r->f.nitems; i++)
		if (r->f.items[i].severity == AW_SEV_ERROR) {
			if (buf[0] != '\0')
				strcat(buf, " ");
			strncat(buf, r->f.items[i].code, 100);
		}
	return buf;
}

static const char *const tenant_n[] = { "tenant", "code" };
static const char *const tenant_v[] = { "t1", "XYZ" };

static void
glob_matches_placeholders_only(void **state)
{
	(void)state;
	assert_true(aw_verify_glob("ac2.*.dkim.acme.example", "AC2.t1.dkim.acme.example", true));
	assert_false(aw_verify_glob("ac2.*.dkim.acme.example", "ac2.t1.dkim.other.example", true));
	assert_true(aw_verify_glob("code=*", "code=", false));
	assert_false(aw_verify_glob("Code=*", "code=1", false));
	assert_true(aw_verify_glob("a*b*c", "axxbyyc", false));
	assert_false(aw_verify_glob("a*b*c", "axxbyy", false));
	assert_string_equal(aw_verify_code_area("verify.spf-broken"), "spf");
	assert_string_equal(aw_verify_code_area("verify.verification-missing"), "verification");
	assert_string_equal(aw_verify_code_area("verify.service-var-missing"), "service");
	assert_string_equal(aw_verify_code_area("verify.dns-failure"), "dns");
}

static void
set_up_passes_with_nothing_to_add(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	customer(fx.m, "v=spf1 mx include:_spf.acme.example -all");
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r), "");
	assert_int_equal(r->status, AW_VERIFY_PASS);
	assert_int_equal(r->records.n, 0);
	fx_done(&fx);
}

static void
spf_nested_and_redirect_reach_the_include(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	customer(fx.m, "v=spf1 redirect=_spf.c.example");
	aw_dns_memory_add_txt1(fx.m, "_spf.c.example",
	    "v=spf1 include:_inner.c.example -all");
	aw_dns_memory_add_txt1(fx.m, "_inner.c.example",
	    "v=spf1 include:_spf.acme.example ~all");
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r), "");
	assert_int_equal(r->status, AW_VERIFY_PASS);
	fx_done(&fx);
}

static void
spf_missing_gives_a_new_record(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	customer(fx.m, NULL);
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r), "verify.spf-missing");
	assert_int_equal(r->status, AW_VERIFY_FAIL);
	assert_int_equal(r->records.n, 1);
	assert_string_equal(r->records.v[0],
	    "c.example. 3600 IN TXT \"v=spf1 include:_spf.acme.example ~all\"");
	fx_done(&fx);
}

static void
spf_include_named_but_not_reached_fails(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	/* Text that holds the include, never evaluated: after "all", and
	 * in a record of another name. */
	customer(fx.m, "v=spf1 -all include:_spf.acme.example");
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r), "verify.spf-include-missing");
	assert_string_equal(r->records.v[0],
	    "c.example. 3600 IN TXT \"v=spf1 include:_spf.acme.example -all\"");
	fx_done(&fx);
}

static void
spf_past_ten_lookups_is_broken_and_the_lighter_include_fixes_it(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;
	char rec[512];
	size_t i;

	(void)state;
	fx_init(&fx);
	/* 1 + 7 + 1 + 2 = 11 lookups. */
	customer(fx.m, "v=spf1 include:_h.c.example include:_spf.acme.example -all");
	strcpy(rec, "v=spf1");
	for (i = 1; i <= 7; i++) {
		char name[64];

		snprintf(name, sizeof name, "_h%zu.c.example", i);
		aw_dns_memory_add_txt1(fx.m, name, "v=spf1 ip4:192.0.2.1 ~all");
		snprintf(rec + strlen(rec), sizeof rec - strlen(rec),
		    " include:%s", name);
	}
	strcat(rec, " ~all");
	aw_dns_memory_add_txt1(fx.m, "_h.c.example", rec);
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r), "verify.spf-broken");
	assert_non_null(aw_findings_find(&r->f, "verify.spf-lighter"));
	assert_int_equal(r->records.n, 1);
	assert_string_equal(r->records.v[0],
	    "c.example. 3600 IN TXT \"v=spf1 include:_h.c.example include:_spf1.acme.example -all\"");
	fx_done(&fx);
}

static void
dkim_cname_wrong_missing_and_direct_key(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:_spf.acme.example -all");
	aw_dns_memory_add_txt1(fx.m, "c.example", "acme-code=XYZ");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=reject");
	/* ac1 to somewhere else, ac2 a key of its own. */
	aw_dns_memory_add_target(fx.m, "ac1._domainkey.c.example", AW_RECORD_CNAME,
	    "ac1.elsewhere.example");
	aw_dns_memory_add_txt1(fx.m, "ac1.elsewhere.example", good_key);
	aw_dns_memory_add_txt1(fx.m, "ac2._domainkey.c.example", good_key);
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_string_equal(missing(r),
	    "verify.dkim-cname-wrong verify.dkim-not-delegated");
	assert_non_null(aw_findings_find(&r->f, "verify.dmarc-no-alignment"));
	assert_int_equal(r->records.n, 2);
	assert_string_equal(r->records.v[0],
	    "ac1._domainkey.c.example. 3600 IN CNAME ac1.c-example.dkim.acme.example.");
	assert_string_equal(r->records.v[1],
	    "ac2._domainkey.c.example. 3600 IN CNAME ac2.t1.dkim.acme.example.");
	fx_done(&fx);
}

static void
dkim_target_placeholder_without_value_matches_any(void **state)
{
	static const char *const n[] = { "code" };
	static const char *const v[] = { "XYZ" };
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	customer(fx.m, "v=spf1 include:_spf.acme.example -all");
	r = run(&fx, "acme", "c.example", n, v, 1);
	assert_int_equal(r->status, AW_VERIFY_PASS);
	fx_done(&fx);
	/* The same without the CNAME: the line keeps {tenant} to fill. */
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:_spf.acme.example -all");
	aw_dns_memory_add_txt1(fx.m, "c.example", "acme-code=XYZ");
	aw_dns_memory_add_target(fx.m, "ac1._domainkey.c.example", AW_RECORD_CNAME,
	    "ac1.c-example.dkim.acme.example");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=none");
	r = run(&fx, "acme", "c.example", n, v, 1);
	assert_string_equal(missing(r), "verify.dkim-cname-missing");
	assert_string_equal(r->records.v[0],
	    "ac2._domainkey.c.example. 3600 IN CNAME ac2.{tenant}.dkim.acme.example.");
	fx_done(&fx);
}

static void
dkim_txt_service_needs_a_usable_strong_key(void **state)
{
	static const char *const n[] = { "sel" };
	static const char *const v[] = { "mine" };
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:spf.txtsvc.example -all");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=none");
	aw_dns_memory_add_txt1(fx.m, "tx._domainkey.c.example", good_key);
	r = run(&fx, "txtsvc", "c.example", n, v, 1);
	assert_int_equal(r->status, AW_VERIFY_PASS);
	fx_done(&fx);

	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:spf.txtsvc.example -all");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=none");
	aw_dns_memory_add_txt1(fx.m, "mine._domainkey.c.example", weak_key);
	r = run(&fx, "txtsvc", "c.example", n, v, 1);
	assert_string_equal(missing(r), "verify.dkim-key-weak");
	assert_string_equal(r->records.v[0],
	    "mine._domainkey.c.example. 3600 IN TXT \"v=DKIM1; k=rsa; p={public key}\"");
	fx_done(&fx);

	/* Without {sel}: that selector cannot be asked, and says why. */
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:spf.txtsvc.example -all");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=none");
	r = run(&fx, "txtsvc", "c.example", NULL, NULL, 0);
	assert_string_equal(missing(r),
	    "verify.service-var-missing verify.dkim-key-missing");
	assert_non_null(strstr(r->f.items[0].message, "{sel}"));
	fx_done(&fx);
}

static void
dmarc_missing_or_inherited(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:spf.nodkim.example -all");
	r = run(&fx, "nodkim", "c.example", NULL, NULL, 0);
	assert_string_equal(missing(r), "verify.dmarc-missing");
	assert_non_null(aw_findings_find(&r->f, "verify.dkim-not-in-catalog"));
	assert_non_null(aw_findings_find(&r->f, "verify.dmarc-no-alignment"));
	assert_string_equal(r->records.v[0],
	    "_dmarc.c.example. 3600 IN TXT \"v=DMARC1; p=none\"");
	fx_done(&fx);
	/* A policy of the organizational domain applies to a subdomain. */
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "mail.c.example", "v=spf1 include:spf.nodkim.example -all");
	aw_dns_memory_add_txt1(fx.m, "_dmarc.c.example", "v=DMARC1; p=quarantine");
	r = run(&fx, "nodkim", "mail.c.example", NULL, NULL, 0);
	assert_string_equal(missing(r), "");
	assert_int_equal(r->status, AW_VERIFY_PASS);
	fx_done(&fx);
}

static void
verification_record_exact_or_by_pattern(void **state)
{
	static const char *const n[] = { "tenant", "code" };
	static const char *const v[] = { "t1", "a\"b\\c" };
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	customer(fx.m, "v=spf1 include:_spf.acme.example -all");
	r = run(&fx, "acme", "c.example", n, v, 2);
	assert_string_equal(missing(r), "verify.verification-missing");
	/* RFC 1035 §5.1: '"' and '\' escaped in the zone line. */
	assert_string_equal(r->records.v[0],
	    "c.example. 3600 IN TXT \"acme-code=a\\\"b\\\\c\"");
	fx_done(&fx);
	/* Without {code}, any acme-code= value is the record. */
	fx_init(&fx);
	customer(fx.m, "v=spf1 include:_spf.acme.example -all");
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 1);
	assert_int_equal(r->status, AW_VERIFY_PASS);
	fx_done(&fx);
}

static void
a_lookup_that_fails_is_a_dns_failure(void **state)
{
	struct fixture fx;
	const struct aw_verify_result *r;

	(void)state;
	fx_init(&fx);
	aw_dns_memory_add_txt1(fx.m, "c.example", "v=spf1 include:_spf.acme.example -all");
	aw_dns_memory_add_timeout(fx.m, "_dmarc.c.example", AW_RECORD_TXT);
	r = run(&fx, "acme", "c.example", tenant_n, tenant_v, 2);
	assert_int_equal(r->status, AW_VERIFY_DNS_FAILURE);
	assert_non_null(aw_findings_find(&r->f, "verify.dns-failure"));
	assert_string_equal(aw_verify_status_name(r->status), "dns-failure");
	fx_done(&fx);
}

static void
long_records_are_split_into_strings(void **state)
{
	static const char *const n[] = { "tenant", "code" };
	char code[400];
	const char *v[2] = { "t1", code };
	struct fixture fx;
	const struct aw_verify_result *r;
	const char *line;

	(void)state;
	memset(code, 'k', sizeof code - 1);
	code[sizeof code - 1] = '\0';
	fx_init(&fx);
	customer(fx.m, "v=spf1 include:_spf.acme.example -all");
	r = run(&fx, "acme", "c.example", n, v, 2);
	assert_int_equal(r->records.n, 1);
	line = r->records.v[0];
	/* RFC 1035 §3.3.14: at most 255 bytes a string. */
	assert_non_null(strstr(line, "IN TXT ( \"acme-code=kkk"));
	assert_non_null(strstr(line, "\" \"kkk"));
	assert_non_null(strstr(line, "\" )"));
	fx_done(&fx);
}

static int
setup(void **state)
{
	struct aw_error err;
	char *pem = NULL;

	(void)state;
	cat = aw_catalog_new();
	aw_error_clear(&err);
	if (aw_catalog_load_string(cat, catalog_json, "test", &err) != AW_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return -1;
	}
	setenv("AW_DATADIR", AW_SRCDIR "/data", 0);
	if (aw_dkim_keygen(AW_DKIM_KEY_RSA, 1024, &pem, &good_key, &err) != AW_OK)
		return -1;
	aw_dkim_secret_free(pem);
	pem = good_key;
	good_key = aw_dkim_record(AW_DKIM_KEY_RSA, pem);
	free(pem);
	return good_key != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	aw_catalog_free(cat);
	free(good_key);
	aw_catalog_default_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(glob_matches_placeholders_only),
		cmocka_unit_test(set_up_passes_with_nothing_to_add),
		cmocka_unit_test(spf_nested_and_redirect_reach_the_include),
		cmocka_unit_test(spf_missing_gives_a_new_record),
		cmocka_unit_test(spf_include_named_but_not_reached_fails),
		cmocka_unit_test(spf_past_ten_lookups_is_broken_and_the_lighter_include_fixes_it),
		cmocka_unit_test(dkim_cname_wrong_missing_and_direct_key),
		cmocka_unit_test(dkim_target_placeholder_without_value_matches_any),
		cmocka_unit_test(dkim_txt_service_needs_a_usable_strong_key),
		cmocka_unit_test(dmarc_missing_or_inherited),
		cmocka_unit_test(verification_record_exact_or_by_pattern),
		cmocka_unit_test(a_lookup_that_fails_is_a_dns_failure),
		cmocka_unit_test(long_records_are_split_into_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
