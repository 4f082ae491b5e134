/* test_watch.c: which server the propagation watch asks for which record:
 * the servers of the zone that holds the record (RFC 1034 §4.2: a zone is
 * served by its own NS set), or every record for a server given without a
 * zone (--nameserver). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/watch.h"

#define REV "2.0.192.in-addr.arpa"

/* Items: 0 TXT at example.test, 1 PTR in the reverse zone, 2 a name whose
 * zone was not found. */
static struct aw_watch *
two_zones(void)
{
	struct aw_watch *w = aw_watch_new(NULL, NULL);

	assert_non_null(w);
	assert_int_equal(aw_watch_add(w, "example.test", AW_RECORD_TXT,
	    AW_WATCH_PRESENT, "hello", NULL), AW_OK);
	assert_int_equal(aw_watch_add(w, "50." REV, AW_RECORD_PTR,
	    AW_WATCH_PRESENT, "out1.example.test", NULL), AW_OK);
	assert_int_equal(aw_watch_add(w, "lost.invalid", AW_RECORD_TXT,
	    AW_WATCH_PRESENT, "x", NULL), AW_OK);
	assert_int_equal(aw_watch_set_zone(w, 0, "Example.Test."), AW_OK);
	assert_int_equal(aw_watch_set_zone(w, 1, REV), AW_OK);
	return w;
}

static void
ptr_is_asked_at_the_reverse_zones_servers_only(void **state)
{
	struct aw_watch *w = two_zones();

	(void)state;
	assert_int_equal(aw_watch_add_zone_server(w, "example.test",
	    "ns1.example.test (192.0.2.1)", "192.0.2.1:53"), AW_OK);
	assert_int_equal(aw_watch_add_zone_server(w, REV,
	    "ns.isp.example (198.51.100.1)", "198.51.100.1:53"), AW_OK);
	assert_int_equal(aw_watch_nservers(w), 2);
	assert_true(aw_watch_asks(w, 0, 0));
	assert_false(aw_watch_asks(w, 0, 1));
	assert_false(aw_watch_asks(w, 1, 0));
	assert_true(aw_watch_asks(w, 1, 1));
	assert_int_equal(aw_watch_item_nservers(w, 0), 1);
	assert_int_equal(aw_watch_item_nservers(w, 1), 1);
	assert_string_equal(aw_watch_item(w, 0)->zone, "example.test");
	aw_watch_free(w);
}

static void
one_server_for_two_zones_is_one_column(void **state)
{
	struct aw_watch *w = two_zones();
	const struct aw_watch_server *sv;

	(void)state;
	assert_int_equal(aw_watch_add_zone_server(w, "example.test",
	    "ns1.example.test (127.0.0.1)", "127.0.0.1:53"), AW_OK);
	assert_int_equal(aw_watch_add_zone_server(w, REV,
	    "ns1.example.test (127.0.0.1)", "127.0.0.1:53"), AW_OK);
	assert_int_equal(aw_watch_add_zone_server(w, REV,
	    "ns1.example.test (127.0.0.1)", "127.0.0.1:53"), AW_OK);
	assert_int_equal(aw_watch_nservers(w), 1);
	sv = aw_watch_server(w, 0);
	assert_int_equal(sv->zones.n, 2);
	assert_true(aw_watch_asks(w, 0, 0));
	assert_true(aw_watch_asks(w, 1, 0));
	aw_watch_free(w);
}

static void
record_without_a_zone_is_asked_by_no_zone_server(void **state)
{
	struct aw_watch *w = two_zones();

	(void)state;
	assert_int_equal(aw_watch_add_zone_server(w, "example.test", NULL,
	    "192.0.2.1:53"), AW_OK);
	assert_false(aw_watch_asks(w, 2, 0));
	assert_int_equal(aw_watch_item_nservers(w, 2), 0);
	assert_null(aw_watch_item(w, 2)->zone);
	aw_watch_free(w);
}

static void
a_given_server_is_asked_for_every_record(void **state)
{
	struct aw_watch *w = two_zones();
	size_t i;

	(void)state;
	assert_int_equal(aw_watch_add_server(w, NULL, "192.0.2.9:5353"),
	    AW_OK);
	/* Added for a zone later: it stays a server for every record. */
	assert_int_equal(aw_watch_add_zone_server(w, REV, NULL,
	    "192.0.2.9:5353"), AW_OK);
	assert_int_equal(aw_watch_nservers(w), 1);
	assert_int_equal(aw_watch_server(w, 0)->zones.n, 0);
	for (i = 0; i < aw_watch_nitems(w); i++) {
		assert_true(aw_watch_asks(w, i, 0));
		assert_int_equal(aw_watch_item_nservers(w, i), 1);
	}
	aw_watch_free(w);
}

static void
bad_indexes_are_refused(void **state)
{
	struct aw_watch *w = two_zones();

	(void)state;
	assert_int_equal(aw_watch_set_zone(w, 3, "x.test"), AW_ERR_INVALID);
	assert_false(aw_watch_asks(w, 0, 0));      /* no server yet */
	assert_false(aw_watch_asks(w, 9, 0));
	assert_int_equal(aw_watch_discover(w, NULL, 0, NULL, NULL),
	    AW_ERR_INVALID);                        /* port 0 */
	aw_watch_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ptr_is_asked_at_the_reverse_zones_servers_only),
		cmocka_unit_test(one_server_for_two_zones_is_one_column),
		cmocka_unit_test(record_without_a_zone_is_asked_by_no_zone_server),
		cmocka_unit_test(a_given_server_is_asked_for_every_record),
		cmocka_unit_test(bad_indexes_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
