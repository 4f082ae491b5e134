/* test_powerdns.c: PowerDNS requests built and answers parsed, from
 * recorded bodies (the 4.7 API's shapes). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/http.h"
#include "providers/hosts.h"
#include "providers/provider.h"

static void
resp_set(struct aw_http_response *r, long status, const char *body)
{
	aw_http_response_done(r);
	aw_http_response_init(r);
	r->status = status;
	aw_buf_puts(&r->body, body);
}

static void *
open_host(void)
{
	struct aw_provider_config cfg;
	void *st = NULL;

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "PDNS_API_URL", "http://127.0.0.1:8081/");
	aw_provider_config_set(&cfg, "PDNS_API_KEY", "k3y");
	assert_int_equal(aw_powerdns_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static const char zone_body[] =
    "{\"id\":\"example.com.\",\"name\":\"example.com.\",\"rrsets\":["
    "{\"name\":\"example.com.\",\"type\":\"TXT\",\"ttl\":300,\"records\":["
    "{\"content\":\"\\\"v=spf1 \\\" \\\"-all\\\"\",\"disabled\":false},"
    "{\"content\":\"\\\"google-site-verification=x\\\"\",\"disabled\":false},"
    "{\"content\":\"\\\"old\\\"\",\"disabled\":true}]},"
    "{\"name\":\"example.com.\",\"type\":\"MX\",\"ttl\":300,\"records\":["
    "{\"content\":\"10 mx.example.com.\",\"disabled\":false}]},"
    "{\"name\":\"www.example.com.\",\"type\":\"CNAME\",\"ttl\":300,\"records\":["
    "{\"content\":\"Host.Example.NET.\",\"disabled\":false}]}]}";

static void
rrsets_are_parsed_for_one_name_with_txt_strings_joined(void **state)
{
	struct aw_record_set rs;
	const struct aw_record *r;

	aw_record_set_init(&rs);
	assert_int_equal(aw_powerdns_parse_rrsets(zone_body, strlen(zone_body),
	    "example.com", AW_RECORD_ANY, &rs, NULL), AW_OK);
	assert_int_equal(rs.n, 2);
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_TXT);
	assert_non_null(r);
	/* RFC 7208 §3.3: the strings of one TXT record are joined. */
	assert_int_equal(r->values.n, 2);
	assert_string_equal(r->values.v[0], "v=spf1 -all");
	assert_int_equal(r->ttl, 300);
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_MX);
	assert_string_equal(r->values.v[0], "10 mx.example.com");
	aw_record_set_done(&rs);
	aw_record_set_init(&rs);
	assert_int_equal(aw_powerdns_parse_rrsets(zone_body, strlen(zone_body),
	    "www.example.com", AW_RECORD_CNAME, &rs, NULL), AW_OK);
	assert_string_equal(rs.v[0].values.v[0], "host.example.net");
	aw_record_set_done(&rs);
}

static void
patch_body_replaces_and_deletes_whole_rrsets(void **state)
{
	struct aw_change c[3];
	char longv[400];
	char *body;
	json_t *j, *rr;

	memset(c, 0, sizeof c);
	memset(longv, 'k', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	aw_record_init(&c[0].old, "example.com", AW_RECORD_TXT, 300);
	aw_record_init(&c[0].new, "example.com", AW_RECORD_TXT, 0);
	aw_record_add(&c[0].new, "v=spf1 \"q\" -all");
	aw_record_add(&c[0].new, longv);
	aw_record_init(&c[1].old, "_dmarc.example.com", AW_RECORD_TXT, 60);
	aw_record_add(&c[1].old, "v=DMARC1; p=none");
	aw_record_init(&c[1].new, "_dmarc.example.com", AW_RECORD_TXT, 0);
	aw_record_init(&c[2].old, "s.example.com", AW_RECORD_CNAME, 0);
	aw_record_init(&c[2].new, "s.example.com", AW_RECORD_CNAME, 0);
	aw_record_add(&c[2].new, "t.example.net");
	c[2].state = AW_CHANGE_SKIPPED;
	body = aw_powerdns_patch_body(c, 3, 3600);
	j = json_loads(body, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "rrsets")), 2);
	rr = json_array_get(json_object_get(j, "rrsets"), 0);
	assert_string_equal(json_string_value(json_object_get(rr, "name")), "example.com.");
	assert_string_equal(json_string_value(json_object_get(rr, "changetype")), "REPLACE");
	assert_int_equal(json_integer_value(json_object_get(rr, "ttl")), 300);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(rr, "records"), 0), "content")), "\"v=spf1 \\\"q\\\" -all\"");
	/* Quoted, split by us at 255 (PowerDNS would split silently). */
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(
	    json_object_get(rr, "records"), 1), "content")), "\" \""));
	rr = json_array_get(json_object_get(j, "rrsets"), 1);
	assert_string_equal(json_string_value(json_object_get(rr, "changetype")), "DELETE");
	json_decref(j);
	free(body);
	for (int i = 0; i < 3; i++)
		aw_change_done(&c[i]);
}

static void
find_zone_tries_suffixes_longest_first(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;

	aw_provider_op_init(&op, AW_OP_FIND_ZONE);
	op.name = "mail.sub.example.com";
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_powerdns_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url,
	    "http://127.0.0.1:8081/api/v1/servers/localhost/zones?zone=mail.sub.example.com.");
	assert_int_equal(aw_strv_find(&req.headers, "X-API-Key: k3y"), 0);
	aw_http_request_done(&req);
	resp_set(&resp, 200, "[]");
	assert_int_equal(aw_powerdns_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_non_null(strstr(req.url, "zone=sub.example.com."));
	aw_http_request_done(&req);
	resp_set(&resp, 200, "[{\"id\":\"sub.example.com.\",\"name\":\"sub.example.com.\"}]");
	assert_int_equal(aw_powerdns_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_true(op.done);
	assert_string_equal(op.zone.id, "sub.example.com.");
	assert_string_equal(op.zone.name, "sub.example.com");
	aw_http_response_done(&resp);
	aw_provider_op_done(NULL, &op);
	aw_powerdns_ops.close(st);
}

static void
a_422_comes_back_with_powerdns_message_and_nothing_made(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;
	struct aw_change c;
	struct aw_error err;

	memset(&c, 0, sizeof c);
	aw_record_init(&c.old, "example.com", AW_RECORD_TXT, 300);
	aw_record_init(&c.new, "example.com", AW_RECORD_TXT, 300);
	aw_record_add(&c.new, "x");
	aw_provider_op_init(&op, AW_OP_CHANGE);
	op.zone.id = strdup("example.com.");
	op.zone.name = strdup("example.com");
	op.changes = &c;
	op.nchanges = 1;
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_powerdns_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.method, "PATCH");
	assert_string_equal(req.url,
	    "http://127.0.0.1:8081/api/v1/servers/localhost/zones/example.com.");
	aw_http_request_done(&req);
	resp_set(&resp, 422, "{\"error\": \"Record example.com./TXT 'x': Data field in DNS should start with quote\"}");
	assert_int_equal(aw_powerdns_ops.step(st, &op, &resp, &req, &err), AW_ERR_PROVIDER);
	assert_int_equal(err.code, 422);
	assert_non_null(strstr(err.msg, "should start with quote"));
	assert_int_equal(c.state, AW_CHANGE_FAILED);
	resp_set(&resp, 401, "Unauthorized");
	assert_int_equal(aw_powerdns_ops.step(st, &op, &resp, &req, &err), AW_ERR_AUTH);
	assert_null(strstr(err.msg, "k3y"));
	aw_http_response_done(&resp);
	aw_change_done(&c);
	aw_provider_op_done(NULL, &op);
	aw_powerdns_ops.close(st);
}

static void
open_needs_url_and_key(void **state)
{
	struct aw_provider_config cfg;
	void *st = NULL;

	unsetenv("PDNS_API_URL");
	unsetenv("PDNS_API_KEY");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_powerdns_ops.open(&cfg, &st, NULL), AW_ERR_AUTH);
	aw_provider_config_set(&cfg, "PDNS_API_URL", "ftp://x");
	aw_provider_config_set(&cfg, "PDNS_API_KEY", "k");
	assert_int_equal(aw_powerdns_ops.open(&cfg, &st, NULL), AW_ERR_INVALID);
	aw_provider_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrsets_are_parsed_for_one_name_with_txt_strings_joined),
		cmocka_unit_test(patch_body_replaces_and_deletes_whole_rrsets),
		cmocka_unit_test(find_zone_tries_suffixes_longest_first),
		cmocka_unit_test(a_422_comes_back_with_powerdns_message_and_nothing_made),
		cmocka_unit_test(open_needs_url_and_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
