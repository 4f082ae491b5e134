/* test_bimi.c: BIMI (checks/bimi.c, bimi-media.c, check-bimi.c): the
 * record, https URLs, the SVG Tiny PS basics, the mark certificate from
 * the test CA (tests/keys/web/, make-web-keys.sh), and DMARC enforcement
 * in the area over the in-memory DNS. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/bimi.h"
#include "core/loop.h"
#include "helpers/area.h"

static bool
parse(const char *s, struct aw_bimi_record *r, struct aw_findings *f)
{
	aw_bimi_record_init(r);
	aw_findings_init(f);
	assert_int_equal(aw_bimi_parse(s, strlen(s), r, f), AW_OK);
	return r->valid;
}

static void
record_tags_and_urls(void **state)
{
	struct aw_bimi_record r;
	struct aw_findings f;

	(void)state;
	assert_true(aw_bimi_is_record("v=BIMI1;", 8));
	assert_false(aw_bimi_is_record("v=BIMI10;", 9));
	assert_true(parse("v=BIMI1; l=https://x.example/l.svg; a=https://x.example/a.pem; s=ext",
	    &r, &f));
	assert_string_equal(r.l, "https://x.example/l.svg");
	assert_string_equal(r.a, "https://x.example/a.pem");
	assert_int_equal(f.nitems, 0);
	aw_findings_done(&f);
	aw_bimi_record_done(&r);

	assert_true(parse("v=BIMI1; l=https://x.example/l.svg", &r, &f));
	assert_non_null(aw_findings_find(&f, "bimi.no-authority"));
	aw_findings_done(&f);
	aw_bimi_record_done(&r);

	assert_true(parse("v=BIMI1; l=; a=;", &r, &f));
	assert_true(r.declined);
	assert_non_null(aw_findings_find(&f, "bimi.declined"));
	aw_findings_done(&f);
	aw_bimi_record_done(&r);

	assert_false(parse("v=BIMI1; l=http://x.example/l.svg; a=ftp://x", &r, &f));
	assert_non_null(aw_findings_find(&f, "bimi.location-not-https"));
	assert_non_null(aw_findings_find(&f, "bimi.authority-not-https"));
	aw_findings_done(&f);
	aw_bimi_record_done(&r);

	assert_false(parse("v=BIMI1; a=https://x.example/a.pem; a=https://y.example/", &r, &f));
	assert_non_null(aw_findings_find(&f, "bimi.no-location"));
	assert_non_null(aw_findings_find(&f, "bimi.duplicate-tag"));
	aw_findings_done(&f);
	aw_bimi_record_done(&r);

	assert_false(parse("v=BIMI1; junk", &r, &f));
	assert_non_null(aw_findings_find(&f, "bimi.syntax"));
	aw_findings_done(&f);
	aw_bimi_record_done(&r);
}

static void
url_host_only_https_with_a_host_name(void **state)
{
	char *h;

	(void)state;
	h = aw_bimi_url_host("https://Logo.Example.COM/x.svg?a=b");
	assert_string_equal(h, "logo.example.com");
	free(h);
	assert_null(aw_bimi_url_host("http://logo.example.com/x.svg"));
	assert_null(aw_bimi_url_host("https://user@logo.example.com/"));
	assert_null(aw_bimi_url_host("https://logo.example.com:8443/"));
	assert_null(aw_bimi_url_host("https:///x"));
	assert_null(aw_bimi_url_host("https://localhost/x"));
	assert_null(aw_bimi_url_host("https://a b.example/x"));
}

static void
svg(const char *body, struct aw_bimi_svg *out, struct aw_findings *f)
{
	aw_findings_init(f);
	aw_bimi_svg_check(body, strlen(body), out, f);
}

#define SVG_OPEN "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" baseProfile=\"tiny-ps\">"

static void
svg_tiny_ps_basics(void **state)
{
	struct aw_bimi_svg s;
	struct aw_findings f;

	(void)state;
	svg(SVG_OPEN "<title>T</title><rect width=\"1\" height=\"1\" fill=\"url(#g)\"/></svg>",
	    &s, &f);
	assert_true(s.ok);
	assert_int_equal(f.nitems, 0);
	aw_findings_done(&f);

	svg("<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>", &s, &f);
	assert_false(s.ok);
	assert_non_null(aw_findings_find(&f, "bimi.svg-not-tiny-ps"));
	assert_non_null(aw_findings_find(&f, "bimi.svg-no-title"));
	assert_non_null(aw_findings_find(&f, "bimi.svg-version"));
	aw_findings_done(&f);

	svg(SVG_OPEN "<title>T</title><g onload=\"x()\"/></svg>", &s, &f);
	assert_true(s.script);
	assert_non_null(aw_findings_find(&f, "bimi.svg-script"));
	aw_findings_done(&f);

	svg(SVG_OPEN "<title>T</title><use href=\"https://e.example/x#a\"/></svg>",
	    &s, &f);
	assert_true(s.external);
	aw_findings_done(&f);
	svg(SVG_OPEN "<title>T</title><rect style=\"fill:url(https://e.example/p)\"/></svg>",
	    &s, &f);
	assert_true(s.external);
	aw_findings_done(&f);

	/* Entities are neither expanded nor allowed; no DTD is fetched. */
	svg("<!DOCTYPE svg SYSTEM \"http://e.example/x.dtd\" [<!ENTITY a \"aaaa\">]>"
	    SVG_OPEN "<title>&a;</title></svg>", &s, &f);
	assert_true(s.external);
	assert_non_null(aw_findings_find(&f, "bimi.svg-external"));
	aw_findings_done(&f);

	svg("<html/>", &s, &f);
	assert_false(s.parsed);
	assert_non_null(aw_findings_find(&f, "bimi.svg-not-svg"));
	aw_findings_done(&f);
	svg("not xml at all", &s, &f);
	assert_non_null(aw_findings_find(&f, "bimi.svg-not-svg"));
	aw_findings_done(&f);
}

static char *
read_key(const char *name, size_t *len)
{
	char path[512], *buf;
	FILE *fp;

	snprintf(path, sizeof path, "%s/tests/keys/web/%s", AW_SRCDIR, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	buf = calloc(1, 70000);
	assert_non_null(buf);
	*len = fread(buf, 1, 69999, fp);
	fclose(fp);
	return buf;
}

static void
cert(const char *name, const char *domain, bool trust,
    struct aw_bimi_cert *c, struct aw_findings *f)
{
	char ca[512];
	size_t len;
	char *pem = read_key(name, &len);

	snprintf(ca, sizeof ca, "%s/tests/keys/web/ca.pem", AW_SRCDIR);
	aw_bimi_cert_init(c);
	aw_findings_init(f);
	assert_int_equal(aw_bimi_cert_check(pem, len, domain, NULL,
	    trust ? ca : NULL, c, f), AW_OK);
	free(pem);
}

static void
mark_certificate_checks(void **state)
{
	struct aw_bimi_cert c;
	struct aw_findings f;

	(void)state;
	cert("mark-good.pem", "good.posture.test", true, &c, &f);
	assert_true(c.parsed && c.valid_now && c.bimi_eku && c.names_domain &&
	    c.chain_ok);
	assert_int_equal(f.nitems, 0);
	assert_int_equal(c.names.n, 1);
	assert_non_null(strstr(c.subject, "good.posture.test"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);

	cert("mark-good.pem", "good.posture.test", false, &c, &f);
	assert_false(c.chain_ok);
	assert_non_null(c.chain_error);
	assert_non_null(aw_findings_find(&f, "bimi.cert-untrusted"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);

	cert("mark-expired.pem", "good.posture.test", true, &c, &f);
	assert_false(c.valid_now);
	assert_non_null(aw_findings_find(&f, "bimi.cert-expired"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);

	cert("mark-noeku.pem", "good.posture.test", true, &c, &f);
	assert_false(c.bimi_eku);
	assert_non_null(aw_findings_find(&f, "bimi.cert-no-bimi-eku"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);

	cert("mark-othername.pem", "good.posture.test", true, &c, &f);
	assert_false(c.names_domain);
	assert_non_null(aw_findings_find(&f, "bimi.cert-wrong-domain"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);

	aw_bimi_cert_init(&c);
	aw_findings_init(&f);
	aw_bimi_cert_check("-----BEGIN CERTIFICATE-----\nAAAA\n", 32,
	    "x.example", NULL, NULL, &c, &f);
	assert_false(c.parsed);
	assert_non_null(aw_findings_find(&f, "bimi.cert-unreadable"));
	aw_findings_done(&f);
	aw_bimi_cert_done(&c);
}

/* DMARC as BIMI's prerequisite: p and sp at quarantine or reject. */
static void
area_needs_dmarc_at_enforcement(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;
	const struct aw_bimi_detail *d;
	static const char rec[] =
	    "v=BIMI1; l=https://logo.example.com/l.svg; a=https://logo.example.com/a.pem";

	(void)state;
	aw_dns_memory_add_txt1(m, "default._bimi.example.com", rec);
	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_txt1(m, "default._bimi.example.net", rec);
	aw_dns_memory_add_txt1(m, "_dmarc.example.net",
	    "v=DMARC1; p=reject; sp=none");
	aw_dns_memory_add_txt1(m, "default._bimi.sub.example.org", rec);
	aw_dns_memory_add_txt1(m, "_dmarc.example.org",
	    "v=DMARC1; p=quarantine; t=y");
	aw_dns_memory_add_txt1(m, "brand._bimi.example.com", "v=BIMI1; l=; a=");

	dc = aw_test_run_area(loop, m, "example.com", "bimi", NULL);
	sec = aw_test_section(dc, "bimi", NULL);
	d = sec->detail;
	assert_true(d->dmarc_enforced);
	assert_string_equal(d->dmarc_policy, "reject");
	assert_null(aw_findings_find(&sec->f, "bimi.dmarc-not-enforced"));
	/* No fetcher: nothing fetched, no address asked is missing. */
	assert_false(d->svg_fetched);
	aw_domain_check_free(dc);

	dc = aw_test_run_area(loop, m, "example.net", "bimi", NULL);
	sec = aw_test_section(dc, "bimi", NULL);
	assert_false(((struct aw_bimi_detail *)sec->detail)->dmarc_enforced);
	assert_non_null(aw_findings_find(&sec->f, "bimi.dmarc-not-enforced"));
	aw_domain_check_free(dc);

	/* t=y lowers quarantine to none (RFC 9989 §4.7). */
	dc = aw_test_run_area(loop, m, "sub.example.org", "bimi", NULL);
	sec = aw_test_section(dc, "bimi", NULL);
	assert_false(((struct aw_bimi_detail *)sec->detail)->dmarc_enforced);
	assert_non_null(aw_findings_find(&sec->f, "bimi.dmarc-not-enforced"));
	aw_domain_check_free(dc);

	{
		struct aw_domain_check_opts opts;

		memset(&opts, 0, sizeof opts);
		opts.bimi_selector = "brand";
		dc = aw_test_run_area(loop, m, "example.com", "bimi", &opts);
		sec = aw_test_section(dc, "bimi", NULL);
		assert_string_equal(sec->name, "brand._bimi.example.com");
		assert_true(((struct aw_bimi_detail *)sec->detail)->rec.declined);
		aw_domain_check_free(dc);
	}
	/* No record of its own: the organizational domain's applies. */
	dc = aw_test_run_area(loop, m, "mail.example.com", "bimi", NULL);
	sec = aw_test_section(dc, "bimi", NULL);
	d = sec->detail;
	assert_int_equal(d->nrecords, 1);
	assert_non_null(d->rec.l);
	assert_true(d->dmarc_enforced);
	assert_non_null(aw_findings_find(&sec->f, "bimi.org-record"));
	assert_null(aw_findings_find(&sec->f, "bimi.none"));
	aw_domain_check_free(dc);

	dc = aw_test_run_area(loop, m, "example.info", "bimi", NULL);
	sec = aw_test_section(dc, "bimi", NULL);
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_null(aw_findings_find(&sec->f, "bimi.no-dmarc"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

/* The wizard's record: built in checks/ (one rule, one place), and the
 * area judges a draft instead of what is published. */
static void
build_record_and_check_draft(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc;
	struct aw_section *sec;
	struct aw_bimi_record r;
	struct aw_findings f;
	struct aw_error err;
	char *rec = NULL;

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_bimi_build("https://logo.example.com/l.svg",
	    "https://logo.example.com/a.pem", &rec, &err), AW_OK);
	assert_string_equal(rec,
	    "v=BIMI1; l=https://logo.example.com/l.svg; a=https://logo.example.com/a.pem");
	/* What it builds, the parser takes. */
	assert_true(parse(rec, &r, &f));
	aw_bimi_record_done(&r);
	aw_findings_done(&f);
	free(rec);
	assert_int_equal(aw_bimi_build("https://logo.example.com/l.svg", "",
	    &rec, &err), AW_OK);
	assert_string_equal(rec, "v=BIMI1; l=https://logo.example.com/l.svg");
	free(rec);
	assert_int_equal(aw_bimi_build("http://logo.example.com/l.svg", NULL,
	    &rec, &err), AW_ERR_INVALID);
	assert_null(rec);
	assert_non_null(strstr(err.msg, "http://logo.example.com/l.svg"));
	assert_int_equal(aw_bimi_build("https://logo.example.com/l.svg; a=x",
	    NULL, &rec, &err), AW_ERR_INVALID);
	assert_int_equal(aw_bimi_build("https://logo.example.com/l.svg",
	    "https://x.example/a b.pem", &rec, &err), AW_ERR_INVALID);
	assert_int_equal(aw_bimi_build("", NULL, &rec, &err), AW_ERR_INVALID);

	/* A draft: nothing published at default._bimi, DMARC at reject. */
	aw_dns_memory_add_txt1(m, "_dmarc.example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_txt1(m, "default._bimi.example.com",
	    "v=BIMI1; l=https://old.example.com/o.svg");
	memset(&opts, 0, sizeof opts);
	opts.bimi_draft = "v=BIMI1; l=https://logo.example.com/new.svg";
	dc = aw_test_run_area(loop, m, "example.com", "bimi", &opts);
	sec = aw_test_section(dc, "bimi", NULL);
	assert_int_equal(((struct aw_bimi_detail *)sec->detail)->nrecords, 1);
	assert_string_equal(((struct aw_bimi_detail *)sec->detail)->rec.l,
	    "https://logo.example.com/new.svg");
	assert_true(((struct aw_bimi_detail *)sec->detail)->dmarc_enforced);
	assert_non_null(aw_findings_find(&sec->f, "bimi.no-authority"));
	/* logo.example.com has no address in this DNS */
	assert_non_null(aw_findings_find(&sec->f, "bimi.host-no-address"));
	assert_null(aw_findings_find(&sec->f, "bimi.org-record"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(record_tags_and_urls),
		cmocka_unit_test(url_host_only_https_with_a_host_name),
		cmocka_unit_test(svg_tiny_ps_basics),
		cmocka_unit_test(mark_certificate_checks),
		cmocka_unit_test(area_needs_dmarc_at_enforcement),
		cmocka_unit_test(build_record_and_check_draft),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
