/* resolver.h: the c-ares engine. One channel for the configured resolvers
 * (or the system's), plus one channel per nameserver asked directly; all
 * queries asynchronous, many in flight, driven by the shared event loop.
 * At most 128 queries per channel (cfg.inflight_max) are on the wire;
 * when more wait, the
 * wire is shared fairly between the loop's tasks (aw_loop_task: a bulk
 * run's domains), each query counted to the task it was asked in.
 * This is the only place c-ares is called. */
#ifndef AW_RESOLVER_H
#define AW_RESOLVER_H

#include <stddef.h>

#include "checks/dns.h"
#include "core/loop.h"

/* Queries on the wire at once per channel unless set (inflight_max). */
#define AW_RESOLVER_INFLIGHT 128

struct aw_dns_config {
	/* "ip[:port]" entries, IPv6 as "[addr]:port"; NULL/0: the system's
	 * resolvers from /etc/resolv.conf. Not owned. */
	const char *const *servers;
	size_t nservers;
	int timeout_ms;      /* per try; 0: 2000 */
	int tries;           /* 0: 2 */
	/* Queries on the wire at once per channel; 0: 128. Processes that
	 * share one server split it (check --jobs). */
	size_t inflight_max;
	/* Sockets kept open while no query is in flight, until
	 * aw_resolver_free (c-ares's STAYOPEN): for a short run (check),
	 * where the close came between the last answer and the output.
	 * false: closed after the last answer, so a long-lived user (the
	 * wizard, watch) makes new ones for its next questions (a new
	 * source port; no socket left connected from an address a network
	 * change took away). */
	bool keep_sockets;
};

struct aw_resolver;

/* *out is freed with aw_resolver_free. Errors name what went wrong (a bad
 * server address, no resolver configured). */
enum aw_status aw_resolver_new(struct aw_loop *loop,
    const struct aw_dns_config *cfg, struct aw_resolver **out,
    struct aw_error *err);
/* Pending queries are dropped: their callbacks are not called. NULL: no-op */
void aw_resolver_free(struct aw_resolver *res);
/* Opt-in for a front end that frees the resolver with lookups still
 * pending (the wizard quitting): aw_resolver_free then answers each of
 * them with AW_DNS_ERROR, from inside aw_resolver_free (the callers'
 * state must still be alive), and refuses questions asked meanwhile, so
 * whatever waits on them finishes and frees itself. */
void aw_resolver_answer_on_free(struct aw_resolver *res, bool on);

/* The resolver as a DNS source (valid while res lives). */
struct aw_dns_source aw_resolver_source(struct aw_resolver *res);

/* Asks the configured resolvers. */
enum aw_status aw_resolver_query(struct aw_resolver *res, const char *name,
    enum aw_record_type type, aw_dns_cb cb, void *arg);
/* Asks one nameserver directly ("ip", "ip:port", "[ip6]:port"), without
 * recursion: for authoritative servers. */
enum aw_status aw_resolver_query_at(struct aw_resolver *res, const char *server,
    const char *name, enum aw_record_type type, aw_dns_cb cb, void *arg);

/* Queries not yet answered, and the most ever in flight at once. */
size_t aw_resolver_pending(const struct aw_resolver *res);
size_t aw_resolver_max_pending(const struct aw_resolver *res);

/* Parses a raw DNS message (exposed for tests of hostile answers). The
 * answer's result is set from the header's rcode and section counts. */
struct aw_dns_answer *aw_resolver_parse(const char *qname, enum aw_record_type qtype,
    const unsigned char *msg, size_t len);

#endif
