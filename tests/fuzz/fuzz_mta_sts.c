/* fuzz_mta_sts.c: the MTA-STS record and policy parsers (RFC 8461 §3.1,
 * §3.2) and the mx pattern match (§4.1): the input as a record, as a
 * policy body (NULs and all), and its first line against its patterns. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/mta-sts.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_mta_sts_txt t;
	struct aw_mta_sts_policy p;
	struct aw_findings f;
	char *text = aw_fuzz_cstr(data, size), *nl;
	size_t i;

	(void)aw_mta_sts_is_record(text, size);
	aw_findings_init(&f);
	aw_mta_sts_txt_init(&t);
	if (aw_mta_sts_txt_parse(text, size, &t, &f) == AW_OK && t.valid &&
	    (t.id == NULL || strlen(t.id) > 32))
		abort();
	aw_mta_sts_txt_done(&t);
	aw_mta_sts_policy_init(&p);
	if (aw_mta_sts_policy_parse(text, size, &p, &f) == AW_OK) {
		if (p.valid && (p.max_age < 0 ||
		    p.max_age > AW_MTA_STS_MAX_AGE_MAX))
			abort();
		nl = strchr(text, '\n');
		if (nl != NULL)
			*nl = '\0';
		for (i = 0; i < p.mx.n; i++)
			(void)aw_mta_sts_mx_match(p.mx.v[i], text);
		(void)aw_mta_sts_mode_name(p.mode);
	}
	aw_mta_sts_policy_done(&p);
	aw_findings_done(&f);
	free(text);
	return 0;
}
