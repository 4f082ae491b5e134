/* rfc7208.c: the RFC 7208 test suite's zones as an in-memory DNS source
 * (test_spf_conformance, test_spf_agreement). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/str.h"
#include "rfc7208.h"

/* The suite's README: every query for a name under "error." times out. */
static bool
error_hook(const char *name, enum aw_record_type type, void *arg)
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
		    aw_record_type_parse(type));
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
		    AW_RECORD_TXT : AW_RECORD_SPF, v, lens, n);
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
		st = aw_dns_memory_add_target(m, name, aw_record_type_parse(type),
		    json_string_value(json_object_get(r, "value")));
	} else {
		fail_msg("unknown record type %s at %s", type, name);
	}
	assert_int_equal(st, AW_OK);
}

struct aw_dns_memory *
aw_test_rfc7208_zone(struct aw_loop *loop, json_t *zone)
{
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	const char *name;
	json_t *recs;
	size_t k;

	assert_non_null(m);
	aw_dns_memory_set_timeout_hook(m, error_hook, NULL);
	/* The suite's README: a CNAME is followed one level. */
	aw_dns_memory_set_cname_depth(m, 1);
	json_object_foreach(zone, name, recs)
		for (k = 0; k < json_array_size(recs); k++)
			add_record(m, name, json_array_get(recs, k));
	return m;
}
