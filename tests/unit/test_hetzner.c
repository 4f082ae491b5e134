/* test_hetzner.c: Hetzner Cloud DNS requests built and answers parsed, from
 * recorded bodies (the shapes of Hetzner's Cloud API zones and RRSets). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

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
	aw_provider_config_set(&cfg, "HCLOUD_TOKEN", "hz-t0ken");
	aw_provider_config_set(&cfg, "HCLOUD_ENDPOINT", "http://127.0.0.1:9/v1/");
	assert_int_equal(aw_hetzner_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static const char page1[] = "{\"rrsets\":["
    "{\"id\":\"@/TXT\",\"name\":\"@\",\"type\":\"TXT\",\"ttl\":null,\"labels\":{},"
    "\"protection\":{\"change\":false},\"records\":[{\"value\":\"\\\"v=spf1 -all\\\"\"},"
    "{\"value\":\"\\\"long \\\" \\\"value\\\"\",\"comment\":\"x\"}],\"zone\":42},"
    "{\"id\":\"www/TXT\",\"name\":\"www\",\"type\":\"TXT\",\"ttl\":300,\"labels\":{},"
    "\"protection\":{\"change\":false},\"records\":[{\"value\":\"\\\"no\\\"\"}],\"zone\":42}],"
    "\"meta\":{\"pagination\":{\"page\":1,\"per_page\":2,\"previous_page\":null,"
    "\"next_page\":2,\"last_page\":2,\"total_entries\":3}}}";

static void
rrsets_are_read_unquoted_and_paged(void **state)
{
	struct aw_record_set rs;
	const struct aw_record *r;
	bool more = false;

	(void)state;
	aw_record_set_init(&rs);
	assert_int_equal(aw_hetzner_parse_rrsets(page1, strlen(page1), "example.com",
	    "example.com", AW_RECORD_ANY, &rs, &more, NULL), AW_OK);
	assert_true(more);
	assert_int_equal(rs.n, 1);
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_TXT);
	assert_non_null(r);
	assert_int_equal(r->ttl, 0);
	assert_string_equal(r->values.v[0], "v=spf1 -all");
	assert_string_equal(r->values.v[1], "long value");
	aw_record_set_done(&rs);
}

static void
bodies_create_with_relative_name_or_set_records(void **state)
{
	struct aw_change c;
	char *b;

	(void)state;
	memset(&c, 0, sizeof c);
	aw_record_init(&c.old, "_dmarc.example.com", AW_RECORD_TXT, 0);
	aw_record_init(&c.new, "_dmarc.example.com", AW_RECORD_TXT, 0);
	aw_record_add(&c.new, "v=DMARC1; p=none");
	b = aw_hetzner_change_body(&c, "example.com", 3600);
	assert_string_equal(b, "{\"name\":\"_dmarc\",\"type\":\"TXT\",\"ttl\":3600,"
	    "\"records\":[{\"value\":\"\\\"v=DMARC1; p=none\\\"\"}]}");
	free(b);
	aw_record_add(&c.old, "v=DMARC1; p=reject");
	b = aw_hetzner_change_body(&c, "example.com", 3600);
	assert_string_equal(b, "{\"records\":[{\"value\":\"\\\"v=DMARC1; p=none\\\"\"}]}");
	free(b);
	aw_change_done(&c);
}

/* change_ttl: the new TTL, or null (the zone's default) below 60. */
static void
ttl_body_is_the_new_ttl_or_null(void **state)
{
	struct aw_change c;
	char *b;

	(void)state;
	memset(&c, 0, sizeof c);
	aw_record_init(&c.old, "www.example.com", AW_RECORD_A, 300);
	aw_record_init(&c.new, "www.example.com", AW_RECORD_A, 600);
	aw_record_add(&c.old, "192.0.2.1");
	aw_record_add(&c.new, "192.0.2.1");
	b = aw_hetzner_ttl_body(&c);
	assert_string_equal(b, "{\"ttl\":600}");
	free(b);
	c.new.ttl = 0;
	b = aw_hetzner_ttl_body(&c);
	assert_string_equal(b, "{\"ttl\":null}");
	free(b);
	aw_change_done(&c);
}

static void
errors_show_code_and_message_escaped(void **state)
{
	struct aw_error err;
	const char body[] = "{\"error\":{\"code\":\"token_readonly\",\"message\":"
	    "\"The token is only allowed to perform GET requests.\\u001b\",\"details\":null}}";

	(void)state;
	assert_int_equal(aw_hetzner_error(body, strlen(body), 401, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "Hetzner: token_readonly: The token is only"));
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(err.code, 401);
}

static void
change_waits_for_the_action(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;
	struct aw_change c[2];
	struct aw_error err;

	(void)state;
	memset(c, 0, sizeof c);
	aw_record_init(&c[0].old, "example.com", AW_RECORD_TXT, 300);
	aw_record_add(&c[0].old, "v=spf1 -all");
	aw_record_init(&c[0].new, "example.com", AW_RECORD_TXT, 300);
	aw_record_add(&c[0].new, "v=spf1 include:a.example -all");
	aw_record_init(&c[1].old, "s1._domainkey.example.com", AW_RECORD_CNAME, 300);
	aw_record_add(&c[1].old, "t.example.net");
	aw_record_init(&c[1].new, "s1._domainkey.example.com", AW_RECORD_CNAME, 0);
	aw_provider_op_init(&op, AW_OP_CHANGE);
	op.zone.id = strdup("42");
	op.zone.name = strdup("example.com");
	op.changes = c;
	op.nchanges = 2;
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_hetzner_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.method, "POST");
	assert_string_equal(req.url, "http://127.0.0.1:9/v1/zones/42/rrsets/%40/TXT/actions/set_records");
	assert_true(req.replay_safe);
	aw_http_request_done(&req);
	resp_set(&resp, 201, "{\"action\":{\"id\":7,\"command\":\"set_rrset_records\",\"status\":\"running\","
	    "\"progress\":0,\"started\":\"2026-12-06T10:00:00Z\",\"finished\":null,\"resources\":[],\"error\":null}}");
	assert_int_equal(aw_hetzner_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_string_equal(req.method, "GET");
	assert_string_equal(req.url, "http://127.0.0.1:9/v1/zones/actions/7");
	assert_true(req.delay_ms > 0);
	aw_http_request_done(&req);
	resp_set(&resp, 200, "{\"action\":{\"id\":7,\"status\":\"success\"}}");
	assert_int_equal(aw_hetzner_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_int_equal(c[0].state, AW_CHANGE_MADE);
	assert_string_equal(req.method, "DELETE");
	assert_string_equal(req.url, "http://127.0.0.1:9/v1/zones/42/rrsets/s1._domainkey/CNAME");
	aw_http_request_done(&req);
	resp_set(&resp, 201, "{\"action\":{\"id\":8,\"status\":\"error\",\"error\":"
	    "{\"code\":\"locked\",\"message\":\"zone is locked\"}}}");
	assert_int_equal(aw_hetzner_ops.step(st, &op, &resp, &req, &err), AW_ERR_PROVIDER);
	assert_int_equal(c[1].state, AW_CHANGE_FAILED);
	assert_non_null(strstr(err.msg, "locked: zone is locked"));
	aw_http_response_done(&resp);
	aw_change_done(&c[0]);
	aw_change_done(&c[1]);
	aw_provider_op_done(NULL, &op);
	aw_hetzner_ops.close(st);
}

static void
open_takes_hcloud_or_lego_names(void **state)
{
	struct aw_provider_config cfg;
	struct aw_error err;
	void *st = NULL;

	(void)state;
	unsetenv("HCLOUD_TOKEN");
	unsetenv("HETZNER_API_TOKEN");
	unsetenv("HCLOUD_TOKEN_FILE");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_hetzner_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "HCLOUD_TOKEN"));
	aw_provider_config_set(&cfg, "HETZNER_API_TOKEN", "x");
	assert_int_equal(aw_hetzner_ops.open(&cfg, &st, &err), AW_OK);
	aw_hetzner_ops.close(st);
	aw_provider_config_set(&cfg, "HCLOUD_TOKEN", "has space");
	assert_int_equal(aw_hetzner_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	aw_provider_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrsets_are_read_unquoted_and_paged),
		cmocka_unit_test(bodies_create_with_relative_name_or_set_records),
		cmocka_unit_test(ttl_body_is_the_new_ttl_or_null),
		cmocka_unit_test(errors_show_code_and_message_escaped),
		cmocka_unit_test(change_waits_for_the_action),
		cmocka_unit_test(open_takes_hcloud_or_lego_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
