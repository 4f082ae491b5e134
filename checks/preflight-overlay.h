/* preflight-overlay.h: the zone as it will be, as a DNS source: the
 * record sets a plan changes answer from their "after" side (a planned
 * CNAME stands for every type at its name and is followed through live
 * DNS), every other question goes to the live source. */
#ifndef AW_PREFLIGHT_OVERLAY_H
#define AW_PREFLIGHT_OVERLAY_H

#include "checks/dns.h"
#include "checks/preflight.h"

struct ov_query;

struct aw_preflight_overlay {
	const struct aw_dns_source *live;           /* borrowed */
	const struct aw_preflight_change *changes;  /* borrowed */
	size_t nchanges;
	struct ov_query *inflight;  /* questions the live source still holds */
};

/* The overlay as a source; valid while ov (and what it borrows) lives. */
struct aw_dns_source aw_preflight_overlay_source(struct aw_preflight_overlay *ov);
/* Frees what waits for answers that will never come: only once the live
 * source has dropped its callbacks (as aw_domain_check_free). */
void aw_preflight_overlay_abandon(struct aw_preflight_overlay *ov);

#endif
