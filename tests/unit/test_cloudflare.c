/* test_cloudflare.c: Cloudflare requests built and answers parsed, from
 * recorded bodies (API v4 envelopes). */
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
	aw_provider_config_set(&cfg, "CLOUDFLARE_API_TOKEN", "t0ken");
	aw_provider_config_set(&cfg, "CLOUDFLARE_BASE_URL", "http://127.0.0.1:9/client/v4/");
	assert_int_equal(aw_cloudflare_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static const char list_body[] =
    "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":["
    "{\"id\":\"id1\",\"type\":\"TXT\",\"name\":\"example.com\",\"content\":\"v=spf1 include:a.example ~all\",\"ttl\":1,\"proxied\":false},"
    "{\"id\":\"id2\",\"type\":\"TXT\",\"name\":\"example.com\",\"content\":\"\\\"v=spf1 ip4:192.0.2.1 -all\\\"\",\"ttl\":1,\"proxied\":false},"
    "{\"id\":\"id3\",\"type\":\"TXT\",\"name\":\"example.com\",\"content\":\"google-site-verification=x\",\"ttl\":1,\"proxied\":false}],"
    "\"result_info\":{\"page\":1,\"per_page\":100,\"count\":3,\"total_count\":3,\"total_pages\":1}}";

static void
records_are_read_quoted_or_bare(void **state)
{
	struct aw_record_set rs;
	bool more = true;
	const char paged[] = "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":[],"
	    "\"result_info\":{\"page\":1,\"per_page\":5,\"count\":5,\"total_count\":9,\"total_pages\":2}}";

	aw_record_set_init(&rs);
	assert_int_equal(aw_cloudflare_parse_records(list_body, strlen(list_body),
	    "example.com", AW_RECORD_TXT, &rs, NULL, &more, NULL), AW_OK);
	assert_false(more);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.v[0].values.n, 3);
	assert_string_equal(rs.v[0].values.v[0], "v=spf1 include:a.example ~all");
	assert_string_equal(rs.v[0].values.v[1], "v=spf1 ip4:192.0.2.1 -all");
	assert_int_equal(rs.v[0].ttl, 1);
	assert_int_equal(aw_cloudflare_parse_records(paged, strlen(paged),
	    "example.com", AW_RECORD_TXT, &rs, NULL, &more, NULL), AW_OK);
	assert_true(more);
	aw_record_set_done(&rs);
}

static void
record_body_quotes_txt_and_never_proxies(void **state)
{
	char *b = aw_cloudflare_record_body("TXT", AW_RECORD_TXT, "example.com",
	    "v=spf1 -all", 0);
	json_t *j = json_loads(b, 0, NULL);

	assert_string_equal(json_string_value(json_object_get(j, "content")), "\"v=spf1 -all\"");
	/* ttl 1 is automatic. */
	assert_int_equal(json_integer_value(json_object_get(j, "ttl")), 1);
	json_decref(j);
	free(b);
	b = aw_cloudflare_record_body("CNAME", AW_RECORD_CNAME, "s._domainkey.example.com",
	    "s.dkim.example.net", 300);
	j = json_loads(b, 0, NULL);
	assert_true(json_is_false(json_object_get(j, "proxied")));
	assert_int_equal(json_integer_value(json_object_get(j, "ttl")), 300);
	json_decref(j);
	free(b);
}

static void
errors_carry_cloudflare_code_and_message(void **state)
{
	struct aw_error err;
	const char auth[] = "{\"success\":false,\"errors\":[{\"code\":10000,\"message\":\"Authentication error\"}],\"messages\":[],\"result\":null}";
	const char dup[] = "{\"success\":false,\"errors\":[{\"code\":81058,\"message\":\"An identical record already exists.\"}],\"messages\":[],\"result\":null}";

	assert_int_equal(aw_cloudflare_error(auth, strlen(auth), 403, &err), AW_ERR_AUTH);
	assert_int_equal(err.code, 10000);
	assert_non_null(strstr(err.msg, "Authentication error"));
	assert_int_equal(aw_cloudflare_error(dup, strlen(dup), 400, &err), AW_ERR_PROVIDER);
	assert_int_equal(err.code, 81058);
}

static void
verify_success_with_code_10000_in_messages_is_not_an_error(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;

	aw_provider_op_init(&op, AW_OP_VERIFY);
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_cloudflare_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/client/v4/user/tokens/verify");
	assert_int_equal(aw_strv_find(&req.headers, "Authorization: Bearer t0ken"), 0);
	aw_http_request_done(&req);
	resp_set(&resp, 200, "{\"success\":true,\"errors\":[],\"messages\":[{\"code\":10000,"
	    "\"message\":\"This API Token is valid and active\"}],\"result\":{\"id\":\"x\",\"status\":\"active\"}}");
	assert_int_equal(aw_cloudflare_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_true(op.done);
	op.done = false;
	resp_set(&resp, 200, "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"x\",\"status\":\"disabled\"}}");
	assert_int_equal(aw_cloudflare_ops.step(st, &op, &resp, &req, NULL), AW_ERR_AUTH);
	aw_http_response_done(&resp);
	aw_provider_op_done(NULL, &op);
	aw_cloudflare_ops.close(st);
}

static void
change_updates_in_place_deletes_the_extra_and_leaves_others(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;
	struct aw_change c;
	struct aw_error err;
	const char ok[] = "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"idX\"}}";

	memset(&c, 0, sizeof c);
	aw_record_init(&c.old, "example.com", AW_RECORD_TXT, 1);
	aw_record_init(&c.new, "example.com", AW_RECORD_TXT, 1);
	aw_record_add(&c.new, "v=spf1 include:a.example ip4:192.0.2.1 -all");
	aw_record_add(&c.new, "google-site-verification=x");
	aw_provider_op_init(&op, AW_OP_CHANGE);
	op.zone.id = strdup("zone1");
	op.zone.name = strdup("example.com");
	op.changes = &c;
	op.nchanges = 1;
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_cloudflare_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/client/v4/zones/zone1/dns_records"
	    "?name=example.com&page=1&per_page=100&type=TXT");
	aw_http_request_done(&req);
	resp_set(&resp, 200, list_body);
	assert_int_equal(aw_cloudflare_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	/* The first SPF record is replaced in place... */
	assert_string_equal(req.method, "PUT");
	assert_string_equal(req.url, "http://127.0.0.1:9/client/v4/zones/zone1/dns_records/id1");
	assert_non_null(strstr(req.body, "\\\"v=spf1 include:a.example ip4:192.0.2.1 -all\\\""));
	aw_http_request_done(&req);
	resp_set(&resp, 200, ok);
	assert_int_equal(aw_cloudflare_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	/* ...the second deleted; the verification record never touched. */
	assert_string_equal(req.method, "DELETE");
	assert_string_equal(req.url, "http://127.0.0.1:9/client/v4/zones/zone1/dns_records/id2");
	aw_http_request_done(&req);
	resp_set(&resp, 400, "{\"success\":false,\"errors\":[{\"code\":1004,\"message\":\"DNS Validation Error\"}],\"messages\":[],\"result\":null}");
	assert_int_equal(aw_cloudflare_ops.step(st, &op, &resp, &req, &err), AW_ERR_PROVIDER);
	assert_int_equal(err.code, 1004);
	/* One of its two requests went through: partly made. */
	assert_int_equal(c.state, AW_CHANGE_PARTIAL);
	aw_http_response_done(&resp);
	aw_change_done(&c);
	aw_provider_op_done(&(struct aw_provider){ .ops = &aw_cloudflare_ops }, &op);
	aw_cloudflare_ops.close(st);
}

static void
open_without_token_names_the_variable(void **state)
{
	struct aw_provider_config cfg;
	struct aw_error err;
	void *st = NULL;

	unsetenv("CLOUDFLARE_API_TOKEN");
	unsetenv("CLOUDFLARE_API_TOKEN_FILE");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_cloudflare_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "CLOUDFLARE_API_TOKEN"));
	aw_provider_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_are_read_quoted_or_bare),
		cmocka_unit_test(record_body_quotes_txt_and_never_proxies),
		cmocka_unit_test(errors_carry_cloudflare_code_and_message),
		cmocka_unit_test(verify_success_with_code_10000_in_messages_is_not_an_error),
		cmocka_unit_test(change_updates_in_place_deletes_the_extra_and_leaves_others),
		cmocka_unit_test(open_without_token_names_the_variable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
