/* test_digitalocean.c: DigitalOcean requests built and answers parsed, from
 * recorded bodies (API v2 domain records, as the vendor's OpenAPI shows
 * them). */
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
	aw_provider_config_set(&cfg, "DIGITALOCEAN_ACCESS_TOKEN", "dop_v1_t0ken");
	aw_provider_config_set(&cfg, "DIGITALOCEAN_BASE_URL", "http://127.0.0.1:9/");
	assert_int_equal(aw_digitalocean_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static const char list_body[] =
    "{\"domain_records\":["
    "{\"id\":11,\"type\":\"TXT\",\"name\":\"@\",\"data\":\"v=spf1 include:a.example ~all\",\"priority\":null,\"port\":null,\"ttl\":1800,\"weight\":null,\"flags\":null,\"tag\":null},"
    "{\"id\":12,\"type\":\"TXT\",\"name\":\"@\",\"data\":\"\\\"v=spf1 ip4:192.0.2.1 -all\\\"\",\"priority\":null,\"port\":null,\"ttl\":1800,\"weight\":null,\"flags\":null,\"tag\":null},"
    "{\"id\":13,\"type\":\"TXT\",\"name\":\"@\",\"data\":\"google-site-verification=x\",\"priority\":null,\"port\":null,\"ttl\":1800,\"weight\":null,\"flags\":null,\"tag\":null},"
    "{\"id\":14,\"type\":\"TXT\",\"name\":\"www\",\"data\":\"other\",\"ttl\":1800}],"
    "\"links\":{\"pages\":{\"next\":\"https://api.digitalocean.com/v2/domains/example.com/records?page=2\",\"last\":\"https://api.digitalocean.com/v2/domains/example.com/records?page=2\"}},"
    "\"meta\":{\"total\":5}}";

static void
records_are_read_with_relative_names_quoted_or_bare(void **state)
{
	struct aw_record_set rs;
	const struct aw_record *r;
	bool more = false;
	const char last[] = "{\"domain_records\":[],\"links\":{\"pages\":{\"first\":\"x\",\"prev\":\"y\"}},\"meta\":{\"total\":5}}";

	(void)state;
	aw_record_set_init(&rs);
	assert_int_equal(aw_digitalocean_parse_records(list_body, strlen(list_body),
	    "example.com", "example.com", AW_RECORD_TXT, &rs, NULL, &more, NULL), AW_OK);
	assert_true(more);
	r = aw_record_set_find(&rs, "example.com", AW_RECORD_TXT);
	assert_non_null(r);
	assert_int_equal(r->values.n, 3);
	assert_string_equal(r->values.v[1], "v=spf1 ip4:192.0.2.1 -all");
	/* www.example.com is not the name asked for. */
	assert_null(aw_record_set_find(&rs, "www.example.com", AW_RECORD_TXT));
	assert_int_equal(aw_digitalocean_parse_records(last, strlen(last),
	    "example.com", "example.com", AW_RECORD_TXT, &rs, NULL, &more, NULL), AW_OK);
	assert_false(more);
	aw_record_set_done(&rs);
}

static void
record_body_is_relative_bare_txt_and_dotted_cname(void **state)
{
	struct aw_record r;
	char *b;

	(void)state;
	aw_record_init(&r, "_dmarc.example.com", AW_RECORD_TXT, 0);
	b = aw_digitalocean_record_body(&r, "example.com", "v=DMARC1; p=none", 1800);
	assert_string_equal(b, "{\"type\":\"TXT\",\"name\":\"_dmarc\",\"data\":\"v=DMARC1; p=none\",\"ttl\":1800}");
	free(b);
	aw_record_done(&r);
	aw_record_init(&r, "example.com", AW_RECORD_CNAME, 0);
	b = aw_digitalocean_record_body(&r, "example.com", "t.example.net", 300);
	assert_string_equal(b, "{\"type\":\"CNAME\",\"name\":\"@\",\"data\":\"t.example.net.\",\"ttl\":300}");
	free(b);
	/* A name outside the zone is never sent. */
	assert_null(aw_digitalocean_record_body(&r, "example.org", "x", 300));
	aw_record_done(&r);
}

static void
errors_show_the_id_and_message_escaped(void **state)
{
	struct aw_error err;
	const char body[] = "{\"id\":\"unauthorized\",\"message\":\"Unable to authenticate you.\\u001b[0m\"}";

	(void)state;
	assert_int_equal(aw_digitalocean_error(body, strlen(body), 401, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "unauthorized: Unable to authenticate you."));
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(err.code, 401);
	assert_int_equal(aw_digitalocean_error("<html>", 6, 502, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "502"));
}

static void
zone_is_found_by_trying_suffixes(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;

	(void)state;
	aw_provider_op_init(&op, AW_OP_FIND_ZONE);
	op.name = "_dmarc.Example.com";
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_digitalocean_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/v2/domains/_dmarc.example.com");
	aw_http_request_done(&req);
	resp_set(&resp, 404, "{\"id\":\"not_found\",\"message\":\"The resource you were accessing could not be found.\"}");
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/v2/domains/example.com");
	aw_http_request_done(&req);
	resp_set(&resp, 200, "{\"domain\":{\"name\":\"example.com\",\"ttl\":1800,\"zone_file\":\"\"}}");
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_true(op.done);
	assert_string_equal(op.zone.name, "example.com");
	aw_http_response_done(&resp);
	aw_provider_op_done(NULL, &op);
	aw_digitalocean_ops.close(st);
}

static void
change_pages_then_updates_in_place_and_deletes_the_extra(void **state)
{
	void *st = open_host();
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;
	struct aw_change c;
	struct aw_error err;
	const char page2[] = "{\"domain_records\":[],\"links\":{\"pages\":{\"first\":\"a\",\"prev\":\"b\"}},\"meta\":{\"total\":4}}";

	(void)state;
	memset(&c, 0, sizeof c);
	aw_record_init(&c.old, "example.com", AW_RECORD_TXT, 1800);
	aw_record_init(&c.new, "example.com", AW_RECORD_TXT, 1800);
	aw_record_add(&c.new, "v=spf1 include:a.example ip4:192.0.2.1 -all");
	aw_record_add(&c.new, "google-site-verification=x");
	aw_provider_op_init(&op, AW_OP_CHANGE);
	op.zone.id = strdup("example.com");
	op.zone.name = strdup("example.com");
	op.changes = &c;
	op.nchanges = 1;
	aw_http_request_init(&req);
	aw_http_response_init(&resp);
	assert_int_equal(aw_digitalocean_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/v2/domains/example.com/records"
	    "?name=example.com&type=TXT&per_page=100&page=1");
	assert_non_null(req.headers.v);
	aw_http_request_done(&req);
	resp_set(&resp, 200, list_body);
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_non_null(strstr(req.url, "&page=2"));
	aw_http_request_done(&req);
	resp_set(&resp, 200, page2);
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_string_equal(req.method, "PUT");
	assert_string_equal(req.url, "http://127.0.0.1:9/v2/domains/example.com/records/11");
	assert_non_null(strstr(req.body, "\"data\":\"v=spf1 include:a.example ip4:192.0.2.1 -all\""));
	aw_http_request_done(&req);
	resp_set(&resp, 200, "{\"domain_record\":{\"id\":11,\"type\":\"TXT\"}}");
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_string_equal(req.method, "DELETE");
	assert_string_equal(req.url, "http://127.0.0.1:9/v2/domains/example.com/records/12");
	aw_http_request_done(&req);
	resp_set(&resp, 422, "{\"id\":\"unprocessable_entity\",\"message\":\"nope\"}");
	assert_int_equal(aw_digitalocean_ops.step(st, &op, &resp, &req, &err), AW_ERR_PROVIDER);
	assert_int_equal(err.code, 422);
	assert_int_equal(c.state, AW_CHANGE_PARTIAL);
	aw_http_response_done(&resp);
	aw_change_done(&c);
	aw_provider_op_done(&(struct aw_provider){ .ops = &aw_digitalocean_ops }, &op);
	aw_digitalocean_ops.close(st);
}

static void
open_without_token_names_the_variable(void **state)
{
	struct aw_provider_config cfg;
	struct aw_error err;
	void *st = NULL;

	(void)state;
	unsetenv("DIGITALOCEAN_ACCESS_TOKEN");
	unsetenv("DO_AUTH_TOKEN");
	unsetenv("DIGITALOCEAN_ACCESS_TOKEN_FILE");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_digitalocean_ops.open(&cfg, &st, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "DIGITALOCEAN_ACCESS_TOKEN"));
	/* lego's name is taken too. */
	aw_provider_config_set(&cfg, "DO_AUTH_TOKEN", "dop_v1_x");
	assert_int_equal(aw_digitalocean_ops.open(&cfg, &st, &err), AW_OK);
	aw_digitalocean_ops.close(st);
	aw_provider_config_done(&cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_are_read_with_relative_names_quoted_or_bare),
		cmocka_unit_test(record_body_is_relative_bare_txt_and_dotted_cname),
		cmocka_unit_test(errors_show_the_id_and_message_escaped),
		cmocka_unit_test(zone_is_found_by_trying_suffixes),
		cmocka_unit_test(change_pages_then_updates_in_place_and_deletes_the_extra),
		cmocka_unit_test(open_without_token_names_the_variable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
