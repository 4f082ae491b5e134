/* fuzz_txt_quote.c: TXT presentation text as DNS hosts return it
 * (core/record.c): unquoting "a" "b" with \" \\ \DDD in both dialects
 * (decimal, Route 53's octal), and quoting then unquoting gives the value
 * back. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/record.h"
#include "tests/fuzz/fuzz.h"

static void
round_trip(const char *value, unsigned flags)
{
	struct aw_buf q;
	struct aw_error err;
	char *back = NULL;

	aw_buf_init(&q);
	if (aw_record_txt_quote(&q, value, flags) != AW_OK)
		abort();
	aw_error_clear(&err);
	if (aw_record_txt_unquote(aw_buf_str(&q), flags, &back, &err) != AW_OK)
		abort();
	if (strcmp(back, value) != 0)
		abort();
	free(back);
	aw_buf_done(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = aw_fuzz_cstr(data, size);
	struct aw_error err;
	char *out = NULL;

	for (unsigned flags = 0; flags <= AW_TXT_OCTAL; flags += AW_TXT_OCTAL) {
		aw_error_clear(&err);
		if (aw_record_txt_unquote(text, flags, &out, &err) == AW_OK) {
			if (out == NULL)
				abort();
			free(out);
		} else if (out != NULL)
			abort();
		out = NULL;
		/* The round trip holds for text without NUL (C strings). */
		round_trip(text, flags);
	}
	free(text);
	return 0;
}
