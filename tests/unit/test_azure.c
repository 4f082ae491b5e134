/* test_azure.c: Azure DNS record sets parsed and built (TXT as 255-byte
 * pieces), CloudError shown, from the shapes of
 * tests/specs/azure-dns-2018-05-01.openapi.json. */
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

static void
sets_are_joined_and_carry_their_etag(void **state)
{
	const char *one = "{\"name\": \"@\", \"type\": \"Microsoft.Network/dnszones/TXT\", "
	    "\"etag\": \"e-1\", \"properties\": {\"TTL\": 300, \"fqdn\": \"example.com.\", "
	    "\"TXTRecords\": [{\"value\": [\"v=spf1 \", \"-all\"]}, {\"value\": [\"x\"]}]}}";
	const char *list = "{\"value\": [{\"name\": \"www\", \"type\": "
	    "\"Microsoft.Network/dnszones/CNAME\", \"etag\": \"e-2\", \"properties\": "
	    "{\"TTL\": 60, \"fqdn\": \"www.example.com.\", \"CNAMERecord\": {\"cname\": "
	    "\"Target.Example.\"}}}, {\"name\": \"mx\", \"type\": \"Microsoft.Network/dnszones/MX\", "
	    "\"properties\": {\"fqdn\": \"www.example.com.\", \"MXRecords\": [{\"preference\": 10, "
	    "\"exchange\": \"mail.example.com\"}]}}], \"nextLink\": \"https://m/next\"}";
	struct aw_record_set out;
	struct aw_error err;
	char *etag = NULL, *next = NULL;

	(void)state;
	aw_record_set_init(&out);
	assert_int_equal(aw_azure_parse_sets(one, strlen(one), "example.com", AW_RECORD_TXT,
	    &out, &etag, &next, &err), AW_OK);
	assert_string_equal(etag, "e-1");
	assert_null(next);
	assert_int_equal(out.n, 1);
	assert_true(aw_record_find(&out.v[0], "v=spf1 -all") >= 0);
	assert_true(aw_record_find(&out.v[0], "x") >= 0);
	aw_record_set_done(&out);
	free(etag);

	aw_record_set_init(&out);
	assert_int_equal(aw_azure_parse_sets(list, strlen(list), "www.example.com",
	    AW_RECORD_ANY, &out, NULL, &next, &err), AW_OK);
	assert_string_equal(next, "https://m/next");
	assert_int_equal(out.n, 2);
	assert_non_null(aw_record_set_find(&out, "www.example.com", AW_RECORD_CNAME));
	assert_string_equal(aw_record_set_find(&out, "www.example.com",
	    AW_RECORD_CNAME)->values.v[0], "target.example");
	assert_string_equal(aw_record_set_find(&out, "www.example.com",
	    AW_RECORD_MX)->values.v[0], "10 mail.example.com");
	aw_record_set_done(&out);
	free(next);
}

static void
txt_body_in_pieces_of_255(void **state)
{
	struct aw_record r;
	char big[600], *body;
	json_t *o, *v;

	(void)state;
	memset(big, 'b', 599);
	big[599] = '\0';
	assert_int_equal(aw_record_init(&r, "example.com", AW_RECORD_TXT, 0), AW_OK);
	assert_int_equal(aw_record_add(&r, big), AW_OK);
	body = aw_azure_set_body(&r, 0);
	o = json_loads(body, 0, NULL);
	v = json_object_get(json_array_get(json_object_get(json_object_get(o, "properties"),
	    "TXTRecords"), 0), "value");
	assert_int_equal(json_array_size(v), 3);
	assert_int_equal(strlen(json_string_value(json_array_get(v, 0))), 255);
	assert_int_equal(strlen(json_string_value(json_array_get(v, 2))), 89);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "properties"),
	    "TTL")), 3600);
	json_decref(o);
	free(body);
	aw_record_done(&r);
}

static void
cloud_error_code_and_message(void **state)
{
	const char *e = "{\"error\": {\"code\": \"PreconditionFailed\", \"message\": "
	    "\"The Record set @ has been modified (etag mismatch).\"}}";
	struct aw_error err;

	(void)state;
	assert_int_equal(aw_azure_error(e, strlen(e), 412, &err), AW_ERR_CONFLICT);
	assert_non_null(strstr(err.msg, "PreconditionFailed: The Record set"));
	assert_int_equal(aw_azure_error("{}", 2, 401, &err), AW_ERR_AUTH);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sets_are_joined_and_carry_their_etag),
		cmocka_unit_test(txt_body_in_pieces_of_255),
		cmocka_unit_test(cloud_error_code_and_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
