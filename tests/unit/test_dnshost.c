/* test_dnshost.c: the DNS host table (data/dnshosts.json): every entry is
 * sourced and well-formed, the NS matcher (one host, mixed, unknown) and
 * the host-form presentation of records. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "checks/dnshost.h"

static void
load_installed(struct aw_dnshosts *t)
{
	struct aw_error err;
	char path[4096];

	snprintf(path, sizeof path, "%s/data/dnshosts.json", AW_SRCDIR);
	aw_dnshosts_init(t);
	aw_error_clear(&err);
	if (aw_dnshosts_load_file(t, path, &err) != AW_OK)
		fail_msg("%s: %s", err.where, err.msg);
}

/* The file read as plain JSON, independent of the loader: every host has
 * an id, a name, NS patterns, a provider (id or null), the form fields
 * and an https source; no two ids are equal. */
static void
every_entry_has_a_source_and_its_fields(void **state)
{
	static const char *const need[] = { "id", "name", "ns", "provider",
	    "form", "source" };
	char path[4096];
	json_error_t jerr;
	json_t *root, *hosts, *h;
	size_t i, k;

	(void)state;
	snprintf(path, sizeof path, "%s/data/dnshosts.json", AW_SRCDIR);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	assert_non_null(root);
	hosts = json_object_get(root, "hosts");
	assert_true(json_is_array(hosts));
	assert_true(json_array_size(hosts) >= 8);
	json_array_foreach(hosts, i, h) {
		json_t *form = json_object_get(h, "form");
		const char *src;

		for (k = 0; k < sizeof need / sizeof need[0]; k++)
			if (json_object_get(h, need[k]) == NULL)
				fail_msg("host %zu has no \"%s\"", i + 1, need[k]);
		src = json_string_value(json_object_get(h, "source"));
		assert_non_null(src);
		assert_int_equal(strncmp(src, "https://", 8), 0);
		assert_true(strlen(src) > 12);
		assert_true(json_array_size(json_object_get(h, "ns")) > 0);
		assert_true(json_is_string(json_object_get(form, "names")));
		assert_true(json_is_boolean(json_object_get(form, "txt_quoted")));
		assert_true(json_is_boolean(json_object_get(form, "txt_split")));
		for (k = 0; k < i; k++)
			assert_string_not_equal(json_string_value(json_object_get(
			    json_array_get(hosts, k), "id")),
			    json_string_value(json_object_get(h, "id")));
	}
	json_decref(root);
}

static void
installed_table_loads_with_the_api_hosts(void **state)
{
	static const char *const ids[][2] = {
		{ "cloudflare", "cloudflare" }, { "route53", "route53" },
		{ "digitalocean", "digitalocean" }, { "hetzner", "hetzner" },
		{ "gandi", "gandi" }, { "azure", "azure" },
		{ "namecheap", NULL }, { "ionos", NULL },
		{ "desec", "desec" }, { "ovh", NULL },
	};
	struct aw_dnshosts t;
	size_t i;

	(void)state;
	load_installed(&t);
	for (i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		const struct aw_dnshost *h = aw_dnshosts_find(&t, ids[i][0]);

		assert_non_null(h);
		if (ids[i][1] == NULL)
			assert_null(h->provider);
		else
			assert_string_equal(h->provider, ids[i][1]);
	}
	assert_null(aw_dnshosts_find(&t, "nosuchhost"));
	aw_dnshosts_done(&t);
}

static const char *
match_id(const struct aw_dnshosts *t, enum aw_dnshost_match want,
    const char *a, const char *b)
{
	const char *ns[2] = { a, b };
	const struct aw_dnshost *h = NULL;

	assert_int_equal(aw_dnshost_match(t, ns, b != NULL ? 2 : 1, &h), want);
	return h != NULL ? h->id : NULL;
}

static void
matcher_names_each_host_from_its_ns(void **state)
{
	struct aw_dnshosts t;

	(void)state;
	load_installed(&t);
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ava.ns.cloudflare.com", "Bob.NS.Cloudflare.com."), "cloudflare");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns-2048.awsdns-64.com", "ns-2051.awsdns-67.co.uk"), "route53");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns1.digitalocean.com", "ns3.digitalocean.com"), "digitalocean");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "hydrogen.ns.hetzner.com", "helium.ns.hetzner.de"), "hetzner");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns-191-a.gandi.net", "ns-225-c.gandi.net"), "gandi");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns1-01.azure-dns.com", "ns4-01.azure-dns.info"), "azure");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "dns1.registrar-servers.com", "dns2.registrar-servers.com"),
	    "namecheap");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns1045.ui-dns.de", "ns1045.ui-dns.biz"), "ionos");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "ns1.desec.io", "NS2.deSEC.org."), "desec");
	assert_string_equal(match_id(&t, AW_DNSHOST_FOUND,
	    "dns19.ovh.net", "ns19.ovh.net"), "ovh");
	aw_dnshosts_done(&t);
}

static void
matcher_reports_mixed_and_unknown(void **state)
{
	struct aw_dnshosts t;
	const struct aw_dnshost *h = (const void *)&t;

	(void)state;
	load_installed(&t);
	/* Two hosts, or one host and a server of the owner's own. */
	assert_null(match_id(&t, AW_DNSHOST_MIXED, "ava.ns.cloudflare.com",
	    "ns-1.awsdns-01.org"));
	assert_null(match_id(&t, AW_DNSHOST_MIXED, "ns1.example.net",
	    "dns1.registrar-servers.com"));
	assert_null(match_id(&t, AW_DNSHOST_UNKNOWN, "ns1.example.net",
	    "ns2.example.net"));
	/* Look-alikes are not the host: the pattern is the whole name. */
	assert_null(match_id(&t, AW_DNSHOST_UNKNOWN,
	    "ns.cloudflare.com.evil.example", NULL));
	assert_null(match_id(&t, AW_DNSHOST_UNKNOWN, "ns1.digitalocean.com.x",
	    NULL));
	/* deSEC is its two names, not its domains. */
	assert_null(match_id(&t, AW_DNSHOST_UNKNOWN, "ns3.desec.io", NULL));
	assert_int_equal(aw_dnshost_match(&t, NULL, 0, &h), AW_DNSHOST_UNKNOWN);
	assert_null(h);
	assert_int_equal(aw_dnshost_match(NULL, NULL, 0, &h),
	    AW_DNSHOST_UNKNOWN);
	aw_dnshosts_done(&t);
}

static void
bad_tables_are_refused_with_the_host_named(void **state)
{
	static const char *const bad[][2] = {
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"*.a.example\"], "
		  "\"provider\": null, \"form\": {\"names\": \"relative\", "
		  "\"txt_quoted\": false, \"txt_split\": false}}]}", "\"source\"" },
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"*.a.example\"], "
		  "\"provider\": null, \"source\": \"http://a.example/\", \"form\": "
		  "{\"names\": \"relative\", \"txt_quoted\": false, \"txt_split\": false}}]}",
		  "https" },
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"NS.A.EXAMPLE\"], "
		  "\"provider\": null, \"source\": \"https://a.example/\", \"form\": "
		  "{\"names\": \"relative\", \"txt_quoted\": false, \"txt_split\": false}}]}",
		  "pattern" },
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"*.a.example\"], "
		  "\"provider\": null, \"source\": \"https://a.example/\", \"form\": "
		  "{\"names\": \"short\", \"txt_quoted\": false, \"txt_split\": false}}]}",
		  "relative" },
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"*.a.example\"], "
		  "\"source\": \"https://a.example/\", \"form\": "
		  "{\"names\": \"full\", \"txt_quoted\": false, \"txt_split\": false}}]}",
		  "provider" },
		{ "{\"hosts\": [{\"id\": \"a\", \"name\": \"A\", \"ns\": [\"*.a.example\"], "
		  "\"provider\": null, \"source\": \"https://a.example/\", \"extra\": 1, "
		  "\"form\": {\"names\": \"full\", \"txt_quoted\": false, \"txt_split\": false}}]}",
		  "extra" },
		{ "{\"hosts\": 3}", "hosts" },
		{ "{\"hosts\": [", "t.json:1" },
	};
	struct aw_dnshosts t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct aw_error err;
		char all[1024];

		aw_dnshosts_init(&t);
		aw_error_clear(&err);
		assert_int_equal(aw_dnshosts_load_string(&t, bad[i][0], "t.json",
		    &err), AW_ERR_INVALID);
		assert_int_equal(t.n, 0);
		snprintf(all, sizeof all, "%s %s", err.where, err.msg);
		if (strstr(all, bad[i][1]) == NULL)
			fail_msg("case %zu: \"%s\" lacks %s", i, all, bad[i][1]);
		aw_dnshosts_done(&t);
	}
}

static void
form_shows_records_the_way_each_host_wants(void **state)
{
	struct aw_dnshost rel = { .txt_quoted = false },
	    quoted = { .txt_quoted = true },
	    split = { .txt_quoted = true, .txt_split = true },
	    full = { .names_full = true };
	char *n, *v, long_txt[301];

	(void)state;
	memset(long_txt, 'a', 300);
	long_txt[300] = '\0';
	assert_int_equal(aw_dnshost_form(&rel, "example.com", "example.com",
	    "TXT", "v=spf1 -all", &n, &v), AW_OK);
	assert_string_equal(n, "@");
	assert_string_equal(v, "v=spf1 -all");
	free(n);
	free(v);
	aw_dnshost_form(&quoted, "example.com", "_dmarc.example.com", "TXT",
	    "v=DMARC1; p=none; rua=\"x\"", &n, &v);
	assert_string_equal(n, "_dmarc");
	assert_string_equal(v, "\"v=DMARC1; p=none; rua=\\\"x\\\"\"");
	free(n);
	free(v);
	/* Longer than 255: two strings for the host that splits, one for
	 * the one that quotes only. */
	aw_dnshost_form(&split, "example.com", "s1._domainkey.example.com",
	    "TXT", long_txt, &n, &v);
	assert_string_equal(n, "s1._domainkey");
	assert_int_equal(strlen(v), 300 + 5);
	assert_non_null(strstr(v, "\" \""));
	free(n);
	free(v);
	aw_dnshost_form(&quoted, "example.com", "example.com", "TXT", long_txt,
	    &n, &v);
	assert_int_equal(strlen(v), 302);
	assert_null(strstr(v, "\" \""));
	free(n);
	free(v);
	aw_dnshost_form(&full, "example.com", "_dmarc.example.com", "TXT", "x",
	    &n, &v);
	assert_string_equal(n, "_dmarc.example.com");
	assert_string_equal(v, "x");
	free(n);
	free(v);
	/* A name outside the zone stays whole; other types pass as given. */
	aw_dnshost_form(&rel, "example.com", "s1._domainkey.other.org", "CNAME",
	    "s1.dkim.esp.example", &n, &v);
	assert_string_equal(n, "s1._domainkey.other.org");
	assert_string_equal(v, "s1.dkim.esp.example");
	free(n);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_entry_has_a_source_and_its_fields),
		cmocka_unit_test(installed_table_loads_with_the_api_hosts),
		cmocka_unit_test(matcher_names_each_host_from_its_ns),
		cmocka_unit_test(matcher_reports_mixed_and_unknown),
		cmocka_unit_test(bad_tables_are_refused_with_the_host_named),
		cmocka_unit_test(form_shows_records_the_way_each_host_wants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
