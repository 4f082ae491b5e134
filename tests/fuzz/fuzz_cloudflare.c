/* fuzz_cloudflare.c: Cloudflare API answers (providers/cloudflare.c): the
 * record list and error envelope parsers on the raw input, then one
 * operation driven through the host's step function with the input as its
 * answers (host.c). */
#include "config.h"

#include <stdlib.h>

#include "providers/hosts.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_provider_config cfg;
	struct aw_record_set rs;
	struct aw_error err;
	bool more;

	aw_record_set_init(&rs);
	aw_error_clear(&err);
	(void)aw_cloudflare_parse_records((const char *)data, size,
	    "example.com", AW_RECORD_ANY, &rs, NULL, &more, &err);
	aw_record_set_done(&rs);
	aw_error_clear(&err);
	(void)aw_cloudflare_error((const char *)data, size, 400, &err);

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "CLOUDFLARE_API_TOKEN", "t0ken");
	aw_provider_config_set(&cfg, "CLOUDFLARE_BASE_URL",
	    "http://127.0.0.1:9/client/v4/");
	aw_fuzz_host_run(&aw_cloudflare_ops, &cfg, data, size);
	aw_provider_config_done(&cfg);
	return 0;
}
