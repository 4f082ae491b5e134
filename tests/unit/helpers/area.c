/* area.c: run one check area over the in-memory DNS source (unit tests). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tests/unit/helpers/area.h"

struct aw_domain_check *
aw_test_run_area(struct aw_loop *loop, struct aw_dns_memory *m,
    const char *domain, const char *area, struct aw_domain_check_opts *opts)
{
	static struct aw_domain_check_opts none;
	struct aw_dns_source src = aw_dns_memory_source(m);
	struct aw_domain_check *dc = NULL;
	const char *one[1];

	if (opts == NULL) {
		memset(&none, 0, sizeof none);
		opts = &none;
	}
	if (opts->nareas == 0 && area != NULL) {
		one[0] = area;
		opts->areas = one;
		opts->nareas = 1;
	}
	if (aw_domain_check_start(&src, domain, opts, NULL, NULL, &dc,
	    NULL) != AW_OK && dc == NULL)
		return NULL;
	while (!aw_domain_check_finished(dc))
		if (!aw_loop_run_once(loop, 1000))
			break;
	if (opts->areas == one) {
		opts->areas = NULL;
		opts->nareas = 0;
	}
	return dc;
}

struct aw_section *
aw_test_section(struct aw_domain_check *dc, const char *area,
    const char *key)
{
	size_t i;

	for (i = 0; dc != NULL && i < aw_domain_check_count(dc); i++) {
		struct aw_section *s = aw_domain_check_section(dc, i);

		if (strcmp(s->area, area) == 0 && (key == NULL ||
		    (s->key != NULL && strcmp(s->key, key) == 0)))
			return s;
	}
	return NULL;
}

bool
aw_test_has(const struct aw_strv *sv, const char *needle)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], needle) != NULL)
			return true;
	return false;
}
