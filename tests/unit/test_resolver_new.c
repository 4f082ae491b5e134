/* test_resolver_new.c: aw_resolver_new's server list (checks/resolver.c):
 * a good list makes one channel; a bad entry is named in the error's
 * where, whichever place it has in the list. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "checks/resolver.h"
#include "core/error.h"
#include "core/loop.h"

static enum aw_status
make(const char *const *servers, size_t n, struct aw_error *err)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_config cfg;
	struct aw_resolver *res = NULL;
	enum aw_status st;

	memset(&cfg, 0, sizeof cfg);
	cfg.servers = servers;
	cfg.nservers = n;
	aw_error_clear(err);
	st = aw_resolver_new(loop, &cfg, &res, err);
	aw_resolver_free(res);
	aw_loop_free(loop);
	return st;
}

static void
good_lists_are_taken(void **state)
{
	static const char *const one[] = { "127.0.0.1:5353" };
	static const char *const two[] = { "127.0.0.1", "[::1]:5353" };
	struct aw_error err;

	(void)state;
	assert_int_equal(make(one, 1, &err), AW_OK);
	assert_int_equal(make(two, 2, &err), AW_OK);
}

static void
a_bad_entry_is_named(void **state)
{
	static const char *const first[] = { "bad:addr:x", "127.0.0.1" };
	static const char *const second[] = { "127.0.0.1", "not an address" };
	struct aw_error err;

	(void)state;
	assert_int_not_equal(make(first, 2, &err), AW_OK);
	assert_string_equal(err.where, "--dns-server bad:addr:x");
	assert_true(err.msg[0] != '\0');
	assert_int_not_equal(make(second, 2, &err), AW_OK);
	assert_string_equal(err.where, "--dns-server not an address");
	assert_int_not_equal(make(second + 1, 1, &err), AW_OK);
	assert_string_equal(err.where, "--dns-server not an address");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_lists_are_taken),
		cmocka_unit_test(a_bad_entry_is_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
