/* test_spf_conformance.c: runs the RFC 7208 conformance suite (openspf.org
 * 2014.04, 203 tests; tests/conformance/spf/) against check_host() on
 * the in-memory zone, following the rules of the suite's README. Every
 * test must give one of the results it allows, and its explanation where
 * one is given. Nothing is skipped or special-cased. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "checks/dns-memory.h"
#include "checks/spf.h"
#include "core/loop.h"
#include "core/str.h"
#include "helpers/rfc7208.h"

static json_t *suite;
static unsigned total, passed;

static void
run_scenario(void **state)
{
	json_t *sc = *state, *zone = json_object_get(sc, "zonedata"),
	    *tests = json_object_get(sc, "tests"), *t;
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	size_t i, k, misses = 0;

	assert_non_null(loop);
	m = aw_test_rfc7208_zone(loop, zone);
	src = aw_dns_memory_source(m);

	json_array_foreach(tests, i, t) {
		struct aw_spf_query q;
		struct aw_spf_outcome out;
		struct aw_error err;
		json_t *want = json_object_get(t, "result"), *w;
		const char *exp = json_string_value(json_object_get(t,
		    "explanation"));
		bool ok = false;

		memset(&q, 0, sizeof q);
		q.ip = json_string_value(json_object_get(t, "host"));
		q.sender = json_string_value(json_object_get(t, "mailfrom"));
		q.helo = json_string_value(json_object_get(t, "helo"));
		q.default_explanation = "DEFAULT";
		total++;
		assert_int_equal(aw_spf_check_host(&src, &q, &out, &err), AW_OK);
		json_array_foreach(want, k, w)
			if (strcmp(json_string_value(w),
			    aw_spf_result_name(out.result)) == 0)
				ok = true;
		if (ok && exp != NULL && (out.explanation == NULL ||
		    strcmp(out.explanation, exp) != 0))
			ok = false;
		if (ok) {
			passed++;
		} else {
			misses++;
			printf("MISS %s (spec %s): got %s", json_string_value(
			    json_object_get(t, "id")), json_string_value(
			    json_object_get(t, "spec")),
			    aw_spf_result_name(out.result));
			if (out.explanation)
				printf(" explanation \"%s\"", out.explanation);
			printf(", want");
			json_array_foreach(want, k, w)
				printf(" %s", json_string_value(w));
			if (exp)
				printf(" explanation \"%s\"", exp);
			printf("; term %s; reason: %s\n", out.term ? out.term :
			    "-", out.reason ? out.reason : "-");
		}
		aw_spf_outcome_done(&out);
	}
	aw_dns_memory_free(m);
	aw_loop_free(loop);
	assert_int_equal(misses, 0);
}

static int
teardown_all(void **state)
{
	(void)state;
	printf("RFC 7208 conformance suite: %u of %u tests passed\n", passed,
	    total);
	fflush(stdout);
	return 0;
}

int
main(void)
{
	struct CMUnitTest *tests;
	json_error_t jerr;
	json_t *scs;
	char *path = aw_test_rfc7208_path();
	size_t i, n;
	int rc;

	suite = json_load_file(path, JSON_ALLOW_NUL, &jerr);
	if (suite == NULL) {
		fprintf(stderr, "cannot read %s: %s\n", path, jerr.text);
		free(path);
		return 1;
	}
	free(path);
	scs = json_object_get(suite, "scenarios");
	n = json_array_size(scs);
	tests = calloc(n, sizeof *tests);
	if (tests == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		json_t *sc = json_array_get(scs, i);

		tests[i].name = json_string_value(json_object_get(sc,
		    "description"));
		tests[i].test_func = run_scenario;
		tests[i].initial_state = sc;
	}
	rc = _cmocka_run_group_tests("rfc7208_conformance", tests, n, NULL,
	    teardown_all);
	/* The suite has 203 tests: fewer run means the driver lost some. */
	if (total != 203) {
		fprintf(stderr, "expected 203 tests, ran %u\n", total);
		rc = 1;
	}
	free(tests);
	json_decref(suite);
	return rc;
}
