/* dns-overlay.h: a DNS source that shows the zone as it will be: the SPF
 * records at one name are replaced by a draft (the other TXT records there
 * stay, as a plan leaves them), every other question goes to the source
 * below. Evaluating a draft over it is evaluating what `check` will see
 * after the change: the lookup tree (spf-lint.h) of the name then counts
 * the draft exactly as `check` counts a published record. */
#ifndef AW_DNS_OVERLAY_H
#define AW_DNS_OVERLAY_H

#include "checks/dns.h"

struct aw_dns_overlay;

/* Over below (which must outlive the overlay), with spf_draft (copied; an
 * SPF record text, or NULL: the name has no SPF record) at name. NULL on
 * no memory. When the TXT lookup of name fails below (timeout, SERVFAIL,
 * NXDOMAIN), the answer holds the draft alone. */
struct aw_dns_overlay *aw_dns_overlay_new(const struct aw_dns_source *below,
    const char *name, const char *spf_draft);
/* Answers in flight still arrive (they hold what they need); the source
 * must no longer be asked. NULL: no-op. */
void aw_dns_overlay_free(struct aw_dns_overlay *o);
struct aw_dns_source aw_dns_overlay_source(struct aw_dns_overlay *o);

#endif
