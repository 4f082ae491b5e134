/* dns-memory.h: an in-memory zone behind the DNS source interface, for
 * unit tests and the RFC 7208 conformance suite. Answers are delivered
 * from the event loop (a 0 ms timer), as live answers would be. */
#ifndef AW_DNS_MEMORY_H
#define AW_DNS_MEMORY_H

#include "checks/dns.h"
#include "core/loop.h"

struct aw_dns_memory;

/* NULL on no memory. The loop must outlive the zone. */
struct aw_dns_memory *aw_dns_memory_new(struct aw_loop *loop);
/* Pending answers are dropped without their callbacks. NULL: no-op. */
void aw_dns_memory_free(struct aw_dns_memory *m);
struct aw_dns_source aw_dns_memory_source(struct aw_dns_memory *m);

/* Records. Names are matched case-insensitively, trailing dot ignored. */
enum aw_status aw_dns_memory_add_txt(struct aw_dns_memory *m, const char *name,
    enum aw_record_type type /* AW_RECORD_TXT or AW_RECORD_SPF */,
    const char *const *strings, const size_t *lens, size_t n);
/* One TXT record from one string (NUL-terminated; split at 255 bytes). */
enum aw_status aw_dns_memory_add_txt1(struct aw_dns_memory *m,
    const char *name, const char *text);
enum aw_status aw_dns_memory_add_addr(struct aw_dns_memory *m, const char *name,
    const char *address /* IPv4 or IPv6 text; type follows */);
enum aw_status aw_dns_memory_add_mx(struct aw_dns_memory *m, const char *name,
    unsigned preference, const char *host);
/* CNAME, PTR or NS. */
enum aw_status aw_dns_memory_add_target(struct aw_dns_memory *m,
    const char *name, enum aw_record_type type, const char *target);
/* Queries of type at name time out when the name lists no record of that
 * type; type 0: every type without records. The name need not have
 * records (then it times out instead of NXDOMAIN). */
enum aw_status aw_dns_memory_add_timeout(struct aw_dns_memory *m,
    const char *name, enum aw_record_type type);
/* A hook asked before anything else: return true to make the query time
 * out (for rules like "every name under error. times out"). */
void aw_dns_memory_set_timeout_hook(struct aw_dns_memory *m,
    bool (*hook)(const char *name, enum aw_record_type type, void *arg), void *arg);
/* How many CNAMEs are followed in one answer (default 8). */
void aw_dns_memory_set_cname_depth(struct aw_dns_memory *m, unsigned depth);
/* Queries asked so far. */
unsigned long aw_dns_memory_queries(const struct aw_dns_memory *m);

#endif
