/* fuzz_spf_record.c: the SPF record parser (RFC 7208 §4.6, §12), as a
 * TXT record from DNS reaches it, and the macro-string check of every
 * domain-spec it accepts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/spf.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;
	char *text = aw_fuzz_cstr(data, size);

	(void)aw_spf_is_record(text, size);
	aw_error_clear(&err);
	if (aw_spf_parse(text, size, &rec, &err) == AW_OK) {
		if (rec == NULL)
			abort();
		for (size_t i = 0; i < rec->nterms; i++) {
			const struct aw_spf_term *t = &rec->terms[i];

			/* The term as written sits at its position. */
			if (t->text == NULL || t->pos == 0 || t->pos > size ||
			    strncmp(text + t->pos - 1, t->text,
			    strlen(t->text)) != 0)
				abort();
			(void)aw_spf_kind_name(t->kind);
			(void)aw_spf_kind_counts(t->kind);
			if (t->domain_spec != NULL) {
				aw_error_clear(&err);
				(void)aw_spf_macro_check(t->domain_spec,
				    strlen(t->domain_spec), t->kind == AW_SPF_EXP,
				    &err);
				(void)aw_spf_has_macro(t->domain_spec);
			}
		}
	} else if (rec != NULL)
		abort();
	aw_spf_record_free(rec);
	free(text);
	return 0;
}
