/* test_desec.c: deSEC requests built and answers parsed, from recorded
 * bodies (the shapes of tests/specs/desec-api-v1.contract.md). */
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

static void *
open_host(void)
{
	struct aw_provider_config cfg;
	void *st = NULL;

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "DESEC_TOKEN", "i-T3b1h_OI-H9ab8tRS98stGtURe");
	aw_provider_config_set(&cfg, "DESEC_BASE_URL", "http://127.0.0.1:9/api/v1/");
	assert_int_equal(aw_desec_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static void
rrsets_are_read_unquoted_for_the_name_asked(void **state)
{
	const char body[] = "["
	    "{\"domain\":\"example.com\",\"subname\":\"\",\"name\":\"example.com.\",\"type\":\"TXT\","
	    "\"records\":[\"\\\"v=spf1 -all\\\"\",\"\\\"part one \\\" \\\"part two\\\"\"],\"ttl\":3600},"
	    "{\"domain\":\"example.com\",\"subname\":\"\",\"name\":\"example.com.\",\"type\":\"MX\","
	    "\"records\":[\"10 mx.example.com.\"],\"ttl\":3600},"
	    "{\"domain\":\"example.com\",\"subname\":\"www\",\"name\":\"www.example.com.\",\"type\":\"TXT\","
	    "\"records\":[\"\\\"other\\\"\"],\"ttl\":3600}]";
	struct aw_record_set rs;
	const struct aw_record *r;

	(void)state;
	aw_record_set_init(&rs);
	assert_int_equal(aw_desec_parse_rrsets(body, strlen(body), "example.com",
	    "example.com", AW_RECORD_ANY, &rs, NULL), AW_OK);
	assert_int_equal(rs.n, 2);
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_TXT);
	assert_non_null(r);
	assert_string_equal(r->values.v[0], "v=spf1 -all");
	assert_string_equal(r->values.v[1], "part one part two");
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_MX);
	assert_string_equal(r->values.v[0], "10 mx.example.com");
	aw_record_set_done(&rs);
}

static void
patch_body_quotes_txt_uses_empty_apex_and_empties_deleted_sets(void **state)
{
	struct aw_change c[2];
	char *b;

	(void)state;
	memset(c, 0, sizeof c);
	aw_record_init(&c[0].old, "example.com", AW_RECORD_TXT, 3600);
	aw_record_init(&c[0].new, "example.com", AW_RECORD_TXT, 3600);
	aw_record_add(&c[0].new, "v=spf1 include:a.example -all");
	aw_record_init(&c[1].old, "s1._domainkey.example.com", AW_RECORD_CNAME, 3600);
	aw_record_add(&c[1].old, "t.example.net");
	aw_record_init(&c[1].new, "s1._domainkey.example.com", AW_RECORD_CNAME, 0);
	b = aw_desec_patch_body(c, 2, "example.com", 3600);
	assert_string_equal(b, "[{\"subname\":\"\",\"type\":\"TXT\",\"ttl\":3600,"
	    "\"records\":[\"\\\"v=spf1 include:a.example -all\\\"\"]},"
	    "{\"subname\":\"s1._domainkey\",\"type\":\"CNAME\",\"ttl\":3600,\"records\":[]}]");
	free(b);
	aw_change_done(&c[0]);
	aw_change_done(&c[1]);
}

static void
next_cursor_comes_from_the_link_header(void **state)
{
	char *c;

	(void)state;
	c = aw_desec_next_cursor("<https://desec.io/api/v1/domains/x/rrsets/?cursor=>; rel=\"first\", "
	    "<https://desec.io/api/v1/domains/x/rrsets/?cursor=:prev>; rel=\"prev\", "
	    "<https://desec.io/api/v1/domains/x/rrsets/?subname=a&cursor=abc123>; rel=\"next\"");
	assert_string_equal(c, "abc123");
	free(c);
	assert_null(aw_desec_next_cursor("<https://desec.io/api/v1/domains/?cursor=>; rel=\"first\""));
}

static void
errors_name_the_field_and_escape_the_message(void **state)
{
	struct aw_error err;
	const char bulk[] = "[{},{\"records\":[\"bad \\u001b[31m\"]}]";
	const char auth[] = "{\"detail\":\"Invalid token.\"}";

	(void)state;
	assert_int_equal(aw_desec_error(bulk, strlen(bulk), 400, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "deSEC: records: bad"));
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(err.code, 400);
	assert_int_equal(aw_desec_error(auth, strlen(auth), 401, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "Invalid token."));
}

static void
list_follows_the_cursor(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;

	(void)state;
	aw_provider_op_init(&op, AW_OP_LIST);
	op.name = "_dmarc.example.com";
	op.type = AW_RECORD_ANY;
	op.zone.id = strdup("example.com");
	op.zone.name = strdup("example.com");
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_desec_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/api/v1/domains/example.com/rrsets/"
	    "?subname=_dmarc&cursor=");
	aw_http_request_done(&req);
	resp.status = 200;
	aw_buf_puts(&resp.body, "[]");
	resp.link = strdup("<http://x/?subname=_dmarc&cursor=>; rel=\"first\", "
	    "<http://x/?subname=_dmarc&cursor=c1>; rel=\"next\"");
	assert_int_equal(aw_desec_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_false(op.done);
	assert_string_equal(req.url, "http://127.0.0.1:9/api/v1/domains/example.com/rrsets/"
	    "?subname=_dmarc&cursor=c1");
	aw_http_request_done(&req);
	free(resp.link);
	resp.link = NULL;
	assert_int_equal(aw_desec_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_true(op.done);
	aw_http_response_done(&resp);
	aw_provider_op_done(NULL, &op);
	aw_desec_ops.close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rrsets_are_read_unquoted_for_the_name_asked),
		cmocka_unit_test(patch_body_quotes_txt_uses_empty_apex_and_empties_deleted_sets),
		cmocka_unit_test(next_cursor_comes_from_the_link_header),
		cmocka_unit_test(errors_name_the_field_and_escape_the_message),
		cmocka_unit_test(list_follows_the_cursor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
