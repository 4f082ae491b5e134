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

static json_t *suite;
static unsigned total, passed;

/* The suite's README: every query for a name under "error." times out. */
static bool
error_hook(const char *name, enum aw_rrtype type, void *arg)
{
	(void)type;
	(void)arg;
	return aw_str_has_prefix_ci(name, "error.");
}

static void
add_record(struct aw_dns_memory *m, const char *name, json_t *r)
{
	const char *type = json_string_value(json_object_get(r, "type"));
	enum aw_status st = AW_OK;

	assert_non_null(type);
	if (strcmp(type, "TIMEOUT") == 0) {
		st = aw_dns_memory_add_timeout(m, name, 0);
	} else if (json_is_true(json_object_get(r, "timeout"))) {
		st = aw_dns_memory_add_timeout(m, name,
		    aw_rrtype_from_name(type));
	} else if (strcmp(type, "TXT") == 0 || strcmp(type, "SPF") == 0) {
		json_t *strs = json_object_get(r, "strings");
		size_t n = json_array_size(strs), i;
		const char **v = calloc(n + 1, sizeof *v);
		size_t *lens = calloc(n + 1, sizeof *lens);

		assert_non_null(v);
		assert_non_null(lens);
		for (i = 0; i < n; i++) {
			v[i] = json_string_value(json_array_get(strs, i));
			lens[i] = json_string_length(json_array_get(strs, i));
		}
		st = aw_dns_memory_add_txt(m, name, strcmp(type, "TXT") == 0 ?
		    AW_RR_TXT : AW_RR_SPF, v, lens, n);
		free(v);
		free(lens);
	} else if (strcmp(type, "A") == 0 || strcmp(type, "AAAA") == 0) {
		st = aw_dns_memory_add_addr(m, name,
		    json_string_value(json_object_get(r, "value")));
	} else if (strcmp(type, "MX") == 0) {
		st = aw_dns_memory_add_mx(m, name,
		    (unsigned)json_integer_value(json_object_get(r, "priority")),
		    json_string_value(json_object_get(r, "host")));
	} else if (strcmp(type, "PTR") == 0 || strcmp(type, "CNAME") == 0) {
		st = aw_dns_memory_add_target(m, name, aw_rrtype_from_name(type),
		    json_string_value(json_object_get(r, "value")));
	} else {
		fail_msg("unknown record type %s at %s", type, name);
	}
	assert_int_equal(st, AW_OK);
}

static void
run_scenario(void **state)
{
	json_t *sc = *state, *zone = json_object_get(sc, "zonedata"), *recs,
	    *tests = json_object_get(sc, "tests"), *t;
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	const char *name;
	size_t i, k, misses = 0;

	assert_non_null(loop);
	m = aw_dns_memory_new(loop);
	assert_non_null(m);
	aw_dns_memory_set_timeout_hook(m, error_hook, NULL);
	/* The suite's README: a CNAME is followed one level. */
	aw_dns_memory_set_cname_depth(m, 1);
	json_object_foreach(zone, name, recs)
		for (k = 0; k < json_array_size(recs); k++)
			add_record(m, name, json_array_get(recs, k));
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

/* The suite as kept in the repository (source and licence in
 * tests/README.md). */
static char *
suite_path(void)
{
	return strdup(AW_SRCDIR "/tests/conformance/spf/rfc7208-tests.json");
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
	char *path = suite_path();
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
