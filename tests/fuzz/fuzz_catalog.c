/* fuzz_catalog.c: the sender catalog reader (checks/catalog.c): a user's
 * senders.d/NAME.json is not trusted. The templates it accepts are
 * expanded too. */
#include "config.h"

#include <stdlib.h>

#include "checks/catalog.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_catalog *cat = aw_catalog_new();
	char *text = aw_fuzz_cstr(data, size);
	struct aw_error err;

	if (cat == NULL)
		abort();
	aw_error_clear(&err);
	if (aw_catalog_load_string(cat, text, "fuzz.json", &err) == AW_OK) {
		for (size_t i = 0; i < aw_catalog_count(cat); i++) {
			const struct aw_sender *s = aw_catalog_get(cat, i);
			const char *names[] = { "token", "tenant" };
			const char *values[] = { "t0k", "ten" };
			char *exp = NULL;

			if (s == NULL || s->id == NULL)
				abort();
			(void)aw_catalog_find(cat, s->id);
			for (size_t k = 0; k < s->nspf; k++)
				(void)aw_catalog_find_by_include(cat,
				    s->spf[k].include, NULL);
			for (size_t k = 0; k < s->ncnames; k++) {
				aw_error_clear(&err);
				if (aw_catalog_expand(s->cnames[k].target,
				    "example.com", names, values, 2, &exp,
				    &err) == AW_OK)
					free(exp);
				exp = NULL;
				(void)aw_catalog_find_by_dkim_target(cat,
				    s->cnames[k].target);
			}
			if (s->verify_value != NULL) {
				aw_error_clear(&err);
				if (aw_catalog_expand(s->verify_value,
				    "example.com", names, values, 2, &exp,
				    &err) == AW_OK)
					free(exp);
				(void)aw_catalog_template_needs_input(
				    s->verify_value);
			}
		}
		(void)aw_catalog_common_selectors(cat);
	}
	aw_catalog_free(cat);
	free(text);
	return 0;
}
