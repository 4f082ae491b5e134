/* authority.h: find a zone's authoritative nameservers and their
 * addresses: the zone that holds a name (its SOA), its NS set as the zone
 * publishes it and as its parent delegates it, and each server's A/AAAA. */
#ifndef AW_AUTHORITY_H
#define AW_AUTHORITY_H

#include "checks/resolver.h"
#include "core/strv.h"

struct aw_nameserver {
	char *host;
	bool at_zone;               /* listed by the zone's own NS set */
	bool at_parent;             /* listed in the parent's delegation */
	struct aw_strv addrs;       /* IPv4 and IPv6, presentation form */
};

struct aw_authority {
	char *zone;                 /* NULL when no zone was found */
	struct aw_nameserver *ns;
	size_t nns;
	struct aw_strv problems;    /* translated: lookups that failed, NS
	                             * sets that disagree, ... */
};

/* Called once with the result, which the callee owns (free it with
 * aw_authority_free). */
typedef void (*aw_authority_cb)(struct aw_authority *auth, void *arg);

/* Starts the discovery for name over res (the configured resolvers, and
 * the parent's servers asked directly). cb runs later from the loop. */
enum aw_status aw_authority_find(struct aw_resolver *res, const char *name,
    aw_authority_cb cb, void *arg);
/* Only the zone that holds name: its SOA, asked at name and then up the
 * tree one label at a time until an answer names the zone (RFC 1034 §4.2:
 * the SOA marks the top of a zone; RFC 2308 §3: a negative answer carries
 * the zone's SOA). The result has zone (or NULL) and problems, no ns. */
enum aw_status aw_authority_find_zone(struct aw_resolver *res,
    const char *name, aw_authority_cb cb, void *arg);
/* The zone that holds name and its own NS set (at_zone), as the zone
 * publishes it: the SOA walk of aw_authority_find_zone and one NS query;
 * no delegation from the parent, no addresses (the DNS host is recognised
 * from these names, checks/dnshost.h). */
enum aw_status aw_authority_find_ns(struct aw_resolver *res, const char *name,
    aw_authority_cb cb, void *arg);
void aw_authority_free(struct aw_authority *auth);

#endif
