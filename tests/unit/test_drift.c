/* test_drift.c: what changed for the worse between two snapshots of a
 * domain check (check --baseline), and a baseline file's entry read
 * back with its bounds. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/drift.h"

static void
snap(const char *json, struct aw_snapshot *out)
{
	json_error_t jerr;
	json_t *j = json_loads(json, 0, &jerr);
	struct aw_error err;

	assert_non_null(j);
	aw_error_clear(&err);
	aw_snapshot_init(out);
	assert_int_equal(aw_snapshot_from_json(j, out, &err), AW_OK);
	json_decref(j);
}

static size_t
count(const struct aw_drifts *d, const char *item, const char *code)
{
	size_t i, n = 0;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].item, item) == 0 &&
		    strcmp(d->v[i].code, code) == 0)
			n++;
	return n;
}

static void
compare(const char *before, const char *after, struct aw_drifts *d)
{
	struct aw_snapshot b, a;

	snap(before, &b);
	snap(after, &a);
	aw_drifts_init(d);
	assert_int_equal(aw_drift_compare(&b, &a, d), AW_OK);
	aw_snapshot_done(&b);
	aw_snapshot_done(&a);
}

#define BASE "{\"items\":[" \
	"{\"id\":\"spf\",\"status\":\"ok\",\"records\":[\"v=spf1 -all\"]}," \
	"{\"id\":\"mx\",\"status\":\"ok\",\"records\":[\"10 a.example\",\"20 b.example\"]}," \
	"{\"id\":\"dkim:s1\",\"status\":\"ok\",\"records\":[\"v=DKIM1; p=AAAA\"],\"bits\":2048}," \
	"{\"id\":\"ptr:192.0.2.1\",\"status\":\"ok\",\"records\":[\"out.example\"]}]}"

static void
nothing_changed_in_another_order_is_no_drift(void **state)
{
	struct aw_drifts d;

	(void)state;
	compare(BASE, "{\"items\":["
	    "{\"id\":\"mx\",\"status\":\"ok\",\"records\":[\"20 b.example\",\"10 a.example\"]},"
	    "{\"id\":\"spf\",\"status\":\"ok\",\"records\":[\"v=spf1 -all\"]},"
	    "{\"id\":\"dkim:s1\",\"status\":\"ok\",\"records\":[\"v=DKIM1; p=AAAA\"],\"bits\":2048}]}",
	    &d);
	/* ptr:192.0.2.1 not asked this time (no --ip): not compared. */
	assert_int_equal(d.n, 0);
	aw_drifts_done(&d);
}

static void
gone_changed_down_and_shorter_are_each_found(void **state)
{
	struct aw_drifts d;

	(void)state;
	compare(BASE, "{\"items\":["
	    "{\"id\":\"spf\",\"status\":\"missing\",\"records\":[]},"
	    "{\"id\":\"mx\",\"status\":\"warning\",\"records\":[\"10 a.example\",\"20 b.example\"]},"
	    "{\"id\":\"dkim:s1\",\"status\":\"ok\",\"records\":[\"v=DKIM1; p=BBBB\"],\"bits\":1024},"
	    "{\"id\":\"ptr:192.0.2.1\",\"status\":\"ok\",\"records\":[\"out.example\"]}]}",
	    &d);
	assert_int_equal(count(&d, "spf", "drift.record-gone"), 1);
	assert_int_equal(count(&d, "mx", "drift.verdict-down"), 1);
	assert_int_equal(count(&d, "mx", "drift.record-changed"), 0);
	assert_int_equal(count(&d, "dkim:s1", "drift.record-changed"), 1);
	assert_int_equal(count(&d, "dkim:s1", "drift.key-shorter"), 1);
	assert_int_equal(count(&d, "ptr:192.0.2.1", "drift.record-changed"), 0);
	assert_string_equal(d.v[0].before, "v=spf1 -all");
	assert_null(d.v[0].after);
	aw_drifts_done(&d);
}

static void
a_failed_lookup_is_not_compared(void **state)
{
	struct aw_drifts d;

	(void)state;
	/* The SPF lookup failed; the DKIM discovery failed, so the
	 * selector's absence says nothing. */
	compare(BASE, "{\"items\":["
	    "{\"id\":\"spf\",\"status\":\"error\",\"records\":[],\"dns_failure\":true},"
	    "{\"id\":\"mx\",\"status\":\"ok\",\"records\":[\"10 a.example\",\"20 b.example\"]},"
	    "{\"id\":\"dkim\",\"status\":\"error\",\"records\":[],\"dns_failure\":true}]}",
	    &d);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.skipped, 2);
	aw_drifts_done(&d);
}

static void
a_selector_no_longer_found_is_gone(void **state)
{
	struct aw_drifts d;

	(void)state;
	compare(BASE, "{\"items\":["
	    "{\"id\":\"spf\",\"status\":\"ok\",\"records\":[\"v=spf1 -all\"]},"
	    "{\"id\":\"dkim:s2\",\"status\":\"ok\",\"records\":[\"v=DKIM1; p=CCCC\"],\"bits\":2048}]}",
	    &d);
	assert_int_equal(count(&d, "dkim:s1", "drift.record-gone"), 1);
	assert_int_equal(d.n, 1);
	aw_drifts_done(&d);
}

static void
bad_entries_are_refused_with_what_is_wrong(void **state)
{
	static const char *const bad[] = {
		"{}",
		"{\"items\":[{\"id\":\"spf\",\"records\":[]}]}",
		"{\"items\":[{\"id\":\"spf\",\"status\":\"great\",\"records\":[]}]}",
		"{\"items\":[{\"id\":\"spf\",\"status\":\"ok\",\"records\":[1]}]}",
		"{\"items\":[{\"id\":\"\",\"status\":\"ok\",\"records\":[]}]}",
	};
	struct aw_snapshot s;
	struct aw_error err;
	json_error_t jerr;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		json_t *j = json_loads(bad[i], 0, &jerr);

		assert_non_null(j);
		aw_snapshot_init(&s);
		aw_error_clear(&err);
		assert_int_equal(aw_snapshot_from_json(j, &s, &err),
		    AW_ERR_INVALID);
		assert_true(err.msg[0] != '\0');
		aw_snapshot_done(&s);
		json_decref(j);
	}
}

static void
a_snapshot_survives_the_file(void **state)
{
	struct aw_snapshot a, b;
	struct aw_drifts d;
	struct aw_error err;
	json_t *j;

	(void)state;
	snap(BASE, &a);
	j = aw_snapshot_to_json(&a);
	aw_snapshot_init(&b);
	aw_error_clear(&err);
	assert_int_equal(aw_snapshot_from_json(j, &b, &err), AW_OK);
	assert_int_equal(b.n, a.n);
	assert_int_equal(b.items[2].bits, 2048);
	aw_drifts_init(&d);
	assert_int_equal(aw_drift_compare(&a, &b, &d), AW_OK);
	assert_int_equal(d.n, 0);
	json_decref(j);
	aw_snapshot_done(&a);
	aw_snapshot_done(&b);
	aw_drifts_done(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_changed_in_another_order_is_no_drift),
		cmocka_unit_test(gone_changed_down_and_shorter_are_each_found),
		cmocka_unit_test(a_failed_lookup_is_not_compared),
		cmocka_unit_test(a_selector_no_longer_found_is_gone),
		cmocka_unit_test(bad_entries_are_refused_with_what_is_wrong),
		cmocka_unit_test(a_snapshot_survives_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
