/* dns-cache.h: a DNS source in front of another that asks each name and
 * type once: a question already in flight waits for the same answer, an
 * answer in hand is given again (a copy) from the loop. One per `check`
 * (answers kept for its life: the areas share them), or one per batch of
 * SPF evaluations (answers kept for their TTL; NXDOMAIN and NODATA for
 * the SOA minimum, RFC 2308 §5; failures only while in flight). */
#ifndef AW_DNS_CACHE_H
#define AW_DNS_CACHE_H

#include <stdbool.h>

#include "checks/dns.h"
#include "core/loop.h"

struct aw_dns_cache;

struct aw_dns_cache_stats {
	unsigned long asked;     /* questions put to the cache */
	unsigned long sent;      /* questions passed on to the source below */
	unsigned long joined;    /* waited for an answer already in flight */
	unsigned long hits;      /* answered from an answer in hand */
};

/* below (borrowed) must outlive the cache; loop is the one below runs
 * on. honour_ttl: answers expire (see above); false: kept until freed.
 * NULL on no memory. */
struct aw_dns_cache *aw_dns_cache_new(struct aw_loop *loop,
    const struct aw_dns_source *below, bool honour_ttl);
/* Answers not yet delivered are dropped without their callbacks: free
 * it only once the source below has dropped its own (as
 * aw_domain_check_free), and while the loop lives. Freed from inside
 * one of its callbacks, it goes when that returns. NULL: no-op. */
void aw_dns_cache_free(struct aw_dns_cache *c);
/* The cache as a source; valid while c lives. */
struct aw_dns_source aw_dns_cache_source(struct aw_dns_cache *c);
/* The answer to name/type in hand and not expired, or NULL; borrowed:
 * valid until the next call into the cache or the loop. */
const struct aw_dns_answer *aw_dns_cache_peek(struct aw_dns_cache *c,
    const char *name, enum aw_record_type type);
void aw_dns_cache_get_stats(const struct aw_dns_cache *c,
    struct aw_dns_cache_stats *out);

#endif
