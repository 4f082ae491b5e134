/* fuzz_dkim_key.c: the DKIM key record parser and judge (RFC 6376
 * §3.6.1), including the base64 key and its DER (OpenSSL). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dkim.h"
#include "checks/findings.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_dkim_key key;
	struct aw_findings f;
	struct aw_strv parts;
	char *text = aw_fuzz_cstr(data, size);

	aw_dkim_key_init(&key);
	aw_findings_init(&f);
	(void)aw_dkim_key_parse(text, size, &key, &f);
	/* A record longer than one character-string is split and joins back
	 * to itself (RFC 6376 §3.6.2.2). */
	aw_strv_init(&parts);
	if (aw_dkim_txt_split(text, 0, &parts) == AW_OK) {
		size_t total = 0;

		for (size_t i = 0; i < parts.n; i++) {
			size_t n = strlen(parts.v[i]);

			if (n > AW_DKIM_TXT_STRING_MAX ||
			    strncmp(parts.v[i], text + total, n) != 0)
				abort();
			total += n;
		}
		if (total != strlen(text))
			abort();
	}
	aw_strv_done(&parts);
	aw_findings_done(&f);
	aw_dkim_key_done(&key);
	free(text);
	return 0;
}
