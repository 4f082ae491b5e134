/* fuzz_powerdns.c: PowerDNS API answers (providers/powerdns.c): the rrset
 * parser on the raw input, then one operation driven through the host's
 * step function with the input as its answers (host.c). */
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

	aw_record_set_init(&rs);
	aw_error_clear(&err);
	(void)aw_powerdns_parse_rrsets((const char *)data, size,
	    "example.com", AW_RECORD_ANY, &rs, &err);
	aw_record_set_done(&rs);

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "PDNS_API_URL", "http://127.0.0.1:9/");
	aw_provider_config_set(&cfg, "PDNS_API_KEY", "k3y");
	aw_fuzz_host_run(&aw_powerdns_ops, &cfg, data, size);
	aw_provider_config_done(&cfg);
	return 0;
}
