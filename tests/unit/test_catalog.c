/* test_catalog.c: the sender catalog: the installed file, user files (a bad
 * one is reported with its line and the rest loads), lookups, templates. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "checks/catalog.h"
#include "checks/dns-memory.h"
#include "core/loop.h"
#include "helpers/area.h"
#include "tests/unit/helpers/rmtree.h"

static struct aw_catalog *
installed(void)
{
	struct aw_catalog *cat = aw_catalog_new();
	struct aw_error err;
	char path[4096];

	snprintf(path, sizeof path, "%s/data/senders.json", AW_SRCDIR);
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load_file(cat, path, &err), AW_OK);
	return cat;
}

static void
installed_catalog_lists_the_required_services(void **state)
{
	static const char *const ids[] = { "google", "microsoft365",
	    "amazonses", "sendgrid", "mailgun", "postmark", "brevo",
	    "mailchimp", "mandrill", "zendesk", "hubspot", "salesforce",
	    "zoho", "leaddesk" };
	struct aw_catalog *cat = installed();
	size_t i, k;

	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const struct aw_sender *s = aw_catalog_find(cat, ids[i]);

		assert_non_null(s);
		assert_non_null(s->name);
		/* every fact names its source */
		for (k = 0; k < s->nspf; k++)
			assert_non_null(s->spf[k].source);
		if (s->dkim_method != AW_SENDER_DKIM_NONE)
			assert_non_null(s->dkim_source);
		if (s->verify_value != NULL)
			assert_non_null(s->verify_source);
	}
	assert_true(aw_catalog_common_selectors(cat)->n >= 20);
	aw_catalog_free(cat);
}

static void
leaddesk_has_a_lighter_include_rfc7208_4_6_4(void **state)
{
	struct aw_catalog *cat = installed();
	const struct aw_sender_spf *spf;
	const struct aw_sender *s;

	assert_string_equal(aw_catalog_lighter_include(cat, "_spf.leaddesk.com"),
	    "_spf5.leaddesk.com");
	assert_string_equal(aw_catalog_lighter_include(cat, "_SPF.LeadDesk.com."),
	    "_spf5.leaddesk.com");
	assert_null(aw_catalog_lighter_include(cat, "_spf.google.com"));
	assert_null(aw_catalog_lighter_include(cat, "unknown.example"));
	s = aw_catalog_find_by_include(cat, "_spf5.leaddesk.com", &spf);
	assert_non_null(s);
	assert_string_equal(s->id, "leaddesk");
	s = aw_catalog_find_by_include(cat, "_spf.google.com", &spf);
	assert_string_equal(s->id, "google");
	assert_int_equal(spf->lookups, 4);
	aw_catalog_free(cat);
}

static void
dkim_targets_map_to_their_service(void **state)
{
	struct aw_catalog *cat = installed();
	const struct aw_sender *s;

	s = aw_catalog_find_by_dkim_target(cat,
	    "s1.domainkey.u123.wl.sendgrid.net");
	assert_string_equal(s->id, "sendgrid");
	s = aw_catalog_find_by_dkim_target(cat,
	    "selector1-example-com._domainkey.contoso.onmicrosoft.com");
	assert_string_equal(s->id, "microsoft365");
	s = aw_catalog_find_by_dkim_target(cat, "abc.dkim.amazonses.com");
	assert_string_equal(s->id, "amazonses");
	assert_null(aw_catalog_find_by_dkim_target(cat, "key.example.net"));
	aw_catalog_free(cat);
}

static void
templates_fill_domain_and_user_values(void **state)
{
	const char *names[] = { "tenant" }, *values[] = { "contoso" };
	struct aw_error err;
	char *out;

	aw_error_clear(&err);
	assert_int_equal(aw_catalog_expand(
	    "selector1-{domain_dashed}._domainkey.{tenant}.onmicrosoft.com",
	    "mail.example.com", names, values, 1, &out, &err), AW_OK);
	assert_string_equal(out,
	    "selector1-mail-example-com._domainkey.contoso.onmicrosoft.com");
	free(out);
	assert_int_equal(aw_catalog_expand("{token1}.dkim.amazonses.com",
	    "example.com", NULL, NULL, 0, &out, &err), AW_ERR_INVALID);
	assert_null(out);
	assert_non_null(strstr(err.msg, "token1"));
	assert_true(aw_catalog_template_needs_input("{token1}.dkim.amazonses.com"));
	assert_false(aw_catalog_template_needs_input("b1.{domain_dashed}.dkim.brevo.com"));
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
bad_user_file_is_reported_with_line_and_rest_loads(void **state)
{
	char dir[4096], path[4200], data[4096];
	struct aw_catalog *cat;
	struct aw_error err;
	const struct aw_strv *pr;

	snprintf(dir, sizeof dir, "%s/catalog-test-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/authwizard", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/authwizard/senders.d", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/authwizard/senders.d/a-good.json", dir);
	write_file(path, "{ \"id\": \"acme\", \"name\": \"Acme Mail\",\n"
	    "  \"spf\": [ { \"include\": \"_spf.acme.example\", \"lookups\": 2,\n"
	    "    \"lighter\": \"_spf1.acme.example\" } ] }\n");
	snprintf(path, sizeof path, "%s/authwizard/senders.d/b-bad.json", dir);
	write_file(path, "{ \"services\": [\n  { \"id\": \"x\",\n    \"name\": }\n] }\n");
	snprintf(path, sizeof path, "%s/authwizard/senders.d/c-shape.json", dir);
	write_file(path, "{ \"id\": \"Bad Id\", \"name\": \"n\" }\n");
	snprintf(data, sizeof data, "%s/data", AW_SRCDIR);
	setenv("AW_DATADIR", data, 1);
	setenv("XDG_CONFIG_HOME", dir, 1);
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load(&cat, &err), AW_OK);
	assert_non_null(aw_catalog_find(cat, "acme"));
	assert_non_null(aw_catalog_find(cat, "google"));
	assert_string_equal(aw_catalog_lighter_include(cat, "_spf.acme.example"),
	    "_spf1.acme.example");
	pr = aw_catalog_problems(cat);
	assert_int_equal(pr->n, 2);
	assert_non_null(strstr(pr->v[0], "b-bad.json:3"));
	assert_non_null(strstr(pr->v[1], "c-shape.json:1: service 1"));
	assert_null(aw_catalog_find(cat, "x"));
	aw_catalog_free(cat);
	assert_int_equal(aw_test_rmtree(dir), 0);
}

static void
missing_installed_file_is_an_error(void **state)
{
	struct aw_catalog *cat;
	struct aw_error err;

	setenv("AW_DATADIR", "/nonexistent-aw", 1);
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load(&cat, &err), AW_ERR_IO);
	assert_null(cat);
	assert_non_null(strstr(err.where, "/nonexistent-aw/senders.json"));
}

/* A shape error (valid JSON, wrong content) names the line where the
 * offending service begins, even deep in a list; nothing of the file is
 * added. */
static void
shape_error_names_the_line_of_the_service(void **state)
{
	struct aw_catalog *cat = aw_catalog_new();
	struct aw_error err;

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load_string(cat,
	    "{\n"
	    "  \"note\": \"a [tricky] \\\"string\\\", with {braces}\",\n"
	    "  \"services\": [\n"
	    "    { \"id\": \"one\", \"name\": \"One\",\n"
	    "      \"spf\": [ { \"include\": \"_spf.one.example\" } ] },\n"
	    "\n"
	    "    { \"id\": \"two\",\n"
	    "      \"name\": 42 }\n"
	    "  ]\n"
	    "}\n", "mine.json", &err), AW_ERR_INVALID);
	assert_string_equal(err.where, "mine.json:7");
	assert_non_null(strstr(err.msg, "service 2"));
	assert_int_equal(aw_catalog_count(cat), 0);
	/* The file is not an object at all: its first line. */
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load_string(cat, "\n\n[1, 2]\n",
	    "list.json", &err), AW_ERR_INVALID);
	assert_string_equal(err.where, "list.json:3");
	aw_catalog_free(cat);
}

/* RFC 7208 §4.6.4: `check` passes the catalog's lighter includes to the SPF
 * lint through aw_domain_check_opts: the over-the-limit error names the
 * lighter include of a service the user added in their own file. */
static void
spf_area_names_the_catalogs_lighter_include_rfc7208_4_6_4(void **state)
{
	struct aw_catalog *cat = aw_catalog_new();
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc;
	struct aw_section *sec;
	struct aw_error err;

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load_string(cat,
	    "{ \"id\": \"heavy\", \"name\": \"Heavy Mail\",\n"
	    "  \"spf\": [ { \"include\": \"_spf.heavy.example\", \"lookups\": 9,\n"
	    "    \"lighter\": \"_spf5.heavy.example\" } ] }\n", "heavy.json",
	    &err), AW_OK);
	aw_dns_memory_add_txt1(m, "example.com",
	    "v=spf1 mx include:_spf.heavy.example -all");
	aw_dns_memory_add_mx(m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_txt1(m, "_spf.heavy.example",
	    "v=spf1 a mx a:x1.heavy.example a:x2.heavy.example "
	    "a:x3.heavy.example a:x4.heavy.example a:x5.heavy.example "
	    "a:x6.heavy.example a:x7.heavy.example ~all");
	aw_dns_memory_add_addr(m, "_spf.heavy.example", "192.0.2.1");

	/* Without the hint: the error, but no lighter include. */
	memset(&opts, 0, sizeof opts);
	dc = aw_test_run_area(loop, m, "example.com", "spf", &opts);
	sec = aw_test_section(dc, "spf", NULL);
	assert_non_null(sec);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(aw_test_has(&sec->f.errors,
	    "Costliest: include:_spf.heavy.example (10)"));
	assert_false(aw_test_has(&sec->f.errors, "_spf5.heavy.example"));
	aw_domain_check_free(dc);

	opts.spf_lighter = aw_catalog_spf_lighter;
	opts.spf_lighter_arg = cat;
	dc = aw_test_run_area(loop, m, "example.com", "spf", &opts);
	sec = aw_test_section(dc, "spf", NULL);
	assert_non_null(sec);
	assert_true(aw_test_has(&sec->f.errors,
	    "Costliest: include:_spf.heavy.example (10; the sender offers the lighter include:_spf5.heavy.example)"));
	aw_domain_check_free(dc);

	/* A NULL catalog gives no hint and no crash. */
	assert_null(aw_catalog_spf_lighter(NULL, "_spf.heavy.example"));
	assert_string_equal(aw_catalog_spf_lighter(cat, "_SPF.Heavy.Example."),
	    "_spf5.heavy.example");
	aw_dns_memory_free(m);
	aw_loop_free(loop);
	aw_catalog_free(cat);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(installed_catalog_lists_the_required_services),
		cmocka_unit_test(leaddesk_has_a_lighter_include_rfc7208_4_6_4),
		cmocka_unit_test(dkim_targets_map_to_their_service),
		cmocka_unit_test(templates_fill_domain_and_user_values),
		cmocka_unit_test(bad_user_file_is_reported_with_line_and_rest_loads),
		cmocka_unit_test(missing_installed_file_is_an_error),
		cmocka_unit_test(shape_error_names_the_line_of_the_service),
		cmocka_unit_test(spf_area_names_the_catalogs_lighter_include_rfc7208_4_6_4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
