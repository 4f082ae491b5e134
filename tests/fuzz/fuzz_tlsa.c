/* fuzz_tlsa.c: what the DNSSEC and DANE areas read from validated answers
 * (checks/dane.c, checks/dnssec.c): TLSA rdata parsed and judged, an MX
 * rdata's host name (wire form) turned into text, and the validator's
 * bogus text into a reason token. Properties: a parsed record keeps its
 * bytes; a name is NUL-terminated within its buffer and printable; the
 * judge never counts more usable records than there are. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dane.h"
#include "checks/dnssec.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_tlsa *t = malloc(sizeof *t);
	struct aw_findings f;
	char name[256], *text;
	size_t off = 2, i;

	if (t == NULL)
		abort();
	if (aw_tlsa_parse(data, size, t)) {
		if (t->len != size - 3 || memcmp(t->data, data + 3, t->len) != 0)
			abort();
		aw_findings_init(&f);
		if (aw_tlsa_judge(&f, "mx.fuzz.test", t, 1) > 1)
			abort();
		aw_findings_done(&f);
	}
	free(t);
	if (size >= 2 && aw_dnssec_rdata_name(data, size, &off, name,
	    sizeof name)) {
		if (off > size || strlen(name) >= sizeof name)
			abort();
		for (i = 0; name[i] != '\0'; i++)
			if ((unsigned char)name[i] < 0x20 ||
			    (unsigned char)name[i] > 0x7e)
				abort();
	}
	text = aw_fuzz_cstr(data, size);
	if (aw_dnssec_reason_of(text) == NULL)
		abort();
	free(text);
	return 0;
}
