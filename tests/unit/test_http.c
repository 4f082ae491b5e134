/* test_http.c: the pure parts of the HTTP transport: SigV4-safe escaping,
 * header checks, backoff. (Sending is covered by the fakes' tests.) */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/http.h"

static void
escape_is_uppercase_and_keeps_unreserved_rfc3986_2_3(void **state)
{
	struct aw_buf b;

	aw_buf_init(&b);
	assert_int_equal(aw_http_escape(&b, "a-b_c.d~e f/g:h*\xc3\xa9"), AW_OK);
	assert_string_equal(b.data, "a-b_c.d~e%20f%2Fg%3Ah%2A%C3%A9");
	aw_buf_done(&b);
}

static void
headers_are_never_empty_nor_split(void **state)
{
	struct aw_http_request req;

	aw_http_request_init(&req);
	/* curl 7.88 signs an empty header ("Expect:") wrongly. */
	assert_int_equal(aw_http_request_header(&req, "Expect", ""), AW_ERR_INVALID);
	assert_int_equal(aw_http_request_header(&req, "X", "a\r\nInjected: 1"), AW_ERR_INVALID);
	assert_int_equal(aw_http_request_header(&req, "X-API-Key", "k"), AW_OK);
	assert_int_equal(req.headers.n, 1);
	assert_string_equal(req.headers.v[0], "X-API-Key: k");
	aw_http_request_done(&req);
	assert_int_equal(req.headers.n, 0);
}

static void
backoff_doubles_from_a_configurable_base_and_is_capped(void **state)
{
	setenv("AW_HTTP_BACKOFF_MS", "10", 1);
	assert_int_equal(aw_http_backoff_ms(1), 10);
	assert_int_equal(aw_http_backoff_ms(2), 20);
	assert_int_equal(aw_http_backoff_ms(4), 80);
	setenv("AW_HTTP_BACKOFF_MS", "20000", 1);
	assert_int_equal(aw_http_backoff_ms(5), 30000);
	unsetenv("AW_HTTP_BACKOFF_MS");
	assert_int_equal(aw_http_backoff_ms(1), 500);
}

static void
a_refused_connection_is_reported_from_the_loop(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_http *http = aw_http_new(loop, NULL);
	struct aw_http_request req;
	struct aw_http_response resp;
	struct aw_error err;

	aw_http_request_init(&req);
	/* Port 9 (discard) on loopback: nothing listens in the test VM. */
	assert_int_equal(aw_http_request_set(&req, "GET", "http://127.0.0.1:9/x?secret=1"), AW_OK);
	aw_error_clear(&err);
	assert_int_not_equal(aw_http_send_sync(http, loop, &req, &resp, &err), AW_OK);
	assert_int_equal(err.status, AW_ERR_HTTP);
	/* No query string (could hold secrets) in the message. */
	assert_null(strstr(err.where, "secret"));
	assert_non_null(strstr(err.where, "http://127.0.0.1:9/x"));
	aw_http_response_done(&resp);
	aw_http_request_done(&req);
	aw_http_free(http);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escape_is_uppercase_and_keeps_unreserved_rfc3986_2_3),
		cmocka_unit_test(headers_are_never_empty_nor_split),
		cmocka_unit_test(backoff_doubles_from_a_configurable_base_and_is_capped),
		cmocka_unit_test(a_refused_connection_is_reported_from_the_loop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
