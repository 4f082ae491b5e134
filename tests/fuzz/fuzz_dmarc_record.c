/* fuzz_dmarc_record.c: the DMARC record parser and judge (RFC 9989 §4.7),
 * and the policy it gives. */
#include "config.h"

#include <stdlib.h>

#include "checks/dmarc.h"
#include "checks/findings.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_dmarc_record r;
	struct aw_findings f;
	char *text = aw_fuzz_cstr(data, size);

	(void)aw_dmarc_is_record(text, size);
	aw_dmarc_record_init(&r);
	aw_findings_init(&f);
	if (aw_dmarc_parse(text, size, &r, &f) == AW_OK) {
		(void)aw_dmarc_policy_name(aw_dmarc_policy_for(&r, true, true));
		(void)aw_dmarc_policy_tested(aw_dmarc_policy_for(&r, false, false));
		for (size_t i = 0; i < r.nrua; i++)
			if (r.rua[i].uri == NULL)
				abort();
	}
	aw_findings_done(&f);
	aw_dmarc_record_done(&r);
	free(text);
	return 0;
}
