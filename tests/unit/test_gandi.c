/* test_gandi.c: Gandi LiveDNS bodies built and answers parsed, from the
 * shapes of tests/specs/gandi-livedns-v5.contract.md. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/record.h"
#include "providers/hosts.h"
#include "providers/provider.h"

static void
rrset_body_quotes_txt_splits_at_255_and_clamps_ttl(void **state)
{
	struct aw_record r;
	char big[301], *body;
	json_t *o, *vals;
	const char *v;

	(void)state;
	memset(big, 'a', 300);
	big[300] = '\0';
	assert_int_equal(aw_record_init(&r, "x.example.com", AW_RECORD_TXT, 0), AW_OK);
	assert_int_equal(aw_record_add(&r, "v=spf1 \"q\" -all"), AW_OK);
	assert_int_equal(aw_record_add(&r, big), AW_OK);
	body = aw_gandi_rrset_body(&r, 60);
	assert_non_null(body);
	o = json_loads(body, 0, NULL);
	vals = json_object_get(o, "rrset_values");
	assert_int_equal(json_array_size(vals), 2);
	assert_string_equal(json_string_value(json_array_get(vals, 0)),
	    "\"v=spf1 \\\"q\\\" -all\"");
	v = json_string_value(json_array_get(vals, 1));
	assert_int_equal(strlen(v), 300 + 5);          /* "255" "45" */
	assert_true(v[256] == '"' && v[257] == ' ' && v[258] == '"');
	/* Gandi's minimum TTL is 300. */
	assert_int_equal(json_integer_value(json_object_get(o, "rrset_ttl")), 300);
	json_decref(o);
	free(body);
	/* Not printable ASCII: refused here. */
	assert_int_equal(aw_record_add(&r, "caf\xc3\xa9"), AW_OK);
	assert_null(aw_gandi_rrset_body(&r, 300));
	aw_record_done(&r);
}

static void
rrsets_are_read_quoted_or_bare(void **state)
{
	const char *one = "{\"rrset_name\": \"@\", \"rrset_type\": \"TXT\", "
	    "\"rrset_ttl\": 300, \"rrset_values\": [\"v=spf1 -all\", "
	    "\"\\\"a\\\" \\\"b\\\"\"], \"rrset_href\": \"x\"}";
	const char *many = "[{\"rrset_name\": \"x\", \"rrset_type\": \"A\", "
	    "\"rrset_ttl\": 300, \"rrset_values\": [\"192.0.2.1\"]}, "
	    "{\"rrset_name\": \"x\", \"rrset_type\": \"CNAME\", \"rrset_ttl\": 600, "
	    "\"rrset_values\": [\"Target.Example.\"]}]";
	struct aw_record_set out;
	const struct aw_record *r;

	(void)state;
	aw_record_set_init(&out);
	assert_int_equal(aw_gandi_parse_rrsets(one, strlen(one), "example.com",
	    AW_RECORD_TXT, &out, NULL), AW_OK);
	r = aw_record_set_find(&out, "example.com", AW_RECORD_TXT);
	assert_non_null(r);
	assert_int_equal(r->values.n, 2);
	assert_true(aw_record_find(r, "v=spf1 -all") >= 0);
	assert_true(aw_record_find(r, "ab") >= 0);
	assert_int_equal(r->ttl, 300);
	aw_record_set_done(&out);

	aw_record_set_init(&out);
	assert_int_equal(aw_gandi_parse_rrsets(many, strlen(many), "x.example.com",
	    AW_RECORD_CNAME, &out, NULL), AW_OK);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].values.v[0], "target.example");
	aw_record_set_done(&out);
	assert_int_equal(aw_gandi_parse_rrsets("{", 1, "x", AW_RECORD_TXT, &out,
	    NULL), AW_ERR_PROVIDER);
}

static void
errors_carry_cause_code_and_escaped_message(void **state)
{
	const char *body = "{\"cause\": \"Unauthorized\", \"code\": 401, "
	    "\"message\": \"bad \\u001b[2J token\", \"object\": \"HTTPUnauthorized\"}";
	struct aw_error err;

	(void)state;
	assert_int_equal(aw_gandi_error(body, strlen(body), 401, &err), AW_ERR_AUTH);
	assert_int_equal(err.code, 401);
	assert_non_null(strstr(err.msg, "Unauthorized: bad"));
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(aw_gandi_error("<html>", 6, 502, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "502"));
	assert_int_equal(aw_gandi_error("{}", 2, 404, &err), AW_ERR_NOTFOUND);
}

static void
token_from_any_of_its_names(void **state)
{
	struct aw_provider_config cfg;
	struct aw_error err;
	void *st = NULL;

	(void)state;
	unsetenv("GANDI_PAT");
	unsetenv("GANDI_PERSONAL_ACCESS_TOKEN");
	unsetenv("GANDIV5_PERSONAL_ACCESS_TOKEN");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_gandi_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "GANDI_PAT"));
	setenv("GANDIV5_PERSONAL_ACCESS_TOKEN", "pat-lego", 1);
	assert_int_equal(aw_gandi_ops.open(&cfg, &st, &err), AW_OK);
	aw_gandi_ops.close(st);
	unsetenv("GANDIV5_PERSONAL_ACCESS_TOKEN");
	aw_provider_config_set(&cfg, "GANDI_PAT", "two words");
	assert_int_equal(aw_gandi_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	aw_provider_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrset_body_quotes_txt_splits_at_255_and_clamps_ttl),
		cmocka_unit_test(rrsets_are_read_quoted_or_bare),
		cmocka_unit_test(errors_carry_cause_code_and_escaped_message),
		cmocka_unit_test(token_from_any_of_its_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
