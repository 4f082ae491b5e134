/* registry.c: the DNS hosts authwizard can edit. Adding one is a file
 * (providers/NAME.c exporting aw_NAME_ops) and a line here. */
#include "config.h"

#include <stddef.h>

#include "providers/hosts.h"
#include "providers/rfc2136.h"

const struct aw_provider_ops *const aw_providers[] = {
	&aw_cloudflare_ops,
	&aw_route53_ops,
	&aw_powerdns_ops,
	&aw_rfc2136_ops,
	&aw_digitalocean_ops,
	&aw_desec_ops,
	&aw_hetzner_ops,
	&aw_gandi_ops,
	&aw_gcloud_ops,
	&aw_azure_ops,
	NULL
};
