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
	assert_non_null(strstr(pr->v[1], "c-shape.json"));
	assert_null(aw_catalog_find(cat, "x"));
	aw_catalog_free(cat);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
