/* fuzz_tls_rpt.c: the TLS-RPT record parser (RFC 8460 §3). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/tls-rpt.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_tls_rpt_record r;
	struct aw_findings f;
	char *text = aw_fuzz_cstr(data, size);
	size_t i;

	(void)aw_tls_rpt_is_record(text, size);
	aw_tls_rpt_record_init(&r);
	aw_findings_init(&f);
	if (aw_tls_rpt_parse(text, size, &r, &f) == AW_OK) {
		if (r.valid && r.rua.n == 0)
			abort();
		for (i = 0; i < r.rua.n; i++)
			if (r.rua.v[i][0] == '\0')
				abort();
	}
	aw_findings_done(&f);
	aw_tls_rpt_record_done(&r);
	free(text);
	return 0;
}
