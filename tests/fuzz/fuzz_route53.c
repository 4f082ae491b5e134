/* fuzz_route53.c: Route 53 API answers (providers/route53.c, XML through
 * libxml2): the error, zone list, rrset list and ChangeInfo parsers on the
 * raw input, then one operation driven through the host's step function
 * with the input as its answers (host.c). */
#include "config.h"

#include <stdlib.h>

#include "providers/hosts.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct aw_provider_config cfg;
	struct aw_record_set rs;
	struct aw_zone zone = { 0 };
	struct aw_error err;
	char *a = NULL, *b = NULL;

	aw_error_clear(&err);
	(void)aw_route53_error(body, size, 400, &err);
	aw_error_clear(&err);
	if (aw_route53_parse_zones(body, size, "example.com", &zone, &err) ==
	    AW_OK)
		aw_zone_done(&zone);
	aw_record_set_init(&rs);
	aw_error_clear(&err);
	(void)aw_route53_parse_rrsets(body, size, "example.com", AW_RECORD_ANY,
	    &rs, &a, &b, &err);
	aw_record_set_done(&rs);
	free(a);
	free(b);
	a = b = NULL;
	aw_error_clear(&err);
	(void)aw_route53_parse_change(body, size, "GetChangeResponse", &a, &b,
	    &err);
	free(a);
	free(b);

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
	aw_provider_config_set(&cfg, "AWS_SECRET_ACCESS_KEY", "s3cr3t");
	aw_provider_config_set(&cfg, "AWS_ENDPOINT_URL_ROUTE_53",
	    "http://127.0.0.1:9");
	aw_fuzz_host_run(&aw_route53_ops, &cfg, data, size);
	aw_provider_config_done(&cfg);
	return 0;
}
