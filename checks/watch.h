/* watch.h: the propagation watch. For a set of expected records, asks
 * each authoritative nameserver directly, round after round, until every
 * record matches on every server or a deadline passes. Also asks the
 * configured resolvers, to tell how long caches may keep an old value.
 * Asynchronous: the TUI shows it as a live table, the CLI waits. */
#ifndef AW_WATCH_H
#define AW_WATCH_H

#include "checks/resolver.h"
#include "core/loop.h"
#include "core/strv.h"

enum aw_watch_how {
	AW_WATCH_PRESENT,     /* value must be among the records served */
	AW_WATCH_ABSENT,      /* value must no longer be served */
	AW_WATCH_SPF_TERM,    /* value ("include:x") must be a term of the
	                       * one v=spf1 TXT record at the name */
	AW_WATCH_SPF_NO_TERM  /* value must no longer be a term of the
	                       * v=spf1 record at the name (--spf-remove,
	                       * the old side of --spf-replace) */
};

enum aw_watch_state {
	AW_WATCH_WAITING = 0, /* not asked yet */
	AW_WATCH_MATCH,       /* what is expected */
	AW_WATCH_OLD,         /* still the old value */
	AW_WATCH_MISSING,     /* neither the new nor the old value */
	AW_WATCH_UNREACHABLE  /* no usable answer: timeout, SERVFAIL, ... */
};

struct aw_watch_item {
	char *name;                 /* A-labels, no trailing dot */
	enum aw_record_type type;
	enum aw_watch_how how;
	char *value;                /* TXT joined text, CNAME target, address,
	                             * "PREF HOST" for MX, SPF term */
	char *old_value;            /* the value it replaces, or NULL */
	long cache_ttl;             /* seconds the resolvers may still serve a
	                             * value other than the expected one; -1
	                             * when they already serve it or unknown */
	char *zone;                 /* the zone that holds name (set by
	                             * aw_watch_set_zone / aw_watch_discover),
	                             * or NULL */
};

struct aw_watch_server {
	char *label;                /* "ns1.example.com" or the address */
	char *addr;                 /* "ip:port" or "[ip6]:port" */
	struct aw_strv zones;       /* asked for the items of these zones
	                             * only; empty: asked for every item */
};

struct aw_watch_cell {
	enum aw_watch_state state;
	enum aw_dns_result result;  /* what the server answered */
};

/* The DNS host's own view of a change (Route 53 GetChange), fed by the
 * caller: checks/ does not speak HTTP. */
struct aw_watch_host {
	char *label;                /* "Route 53 change C123" */
	char *state;                /* the host's word: "PENDING", "INSYNC";
	                             * NULL until known */
	bool synced;                /* the host says every server has it */
};

struct aw_watch;

/* Called after each round and once more when the watch ends (then
 * aw_watch_finished is true). */
typedef void (*aw_watch_cb)(struct aw_watch *w, void *arg);

/* res and loop must outlive the watch. Free with aw_watch_free, at any
 * time: with answers still in flight it stops and frees itself when the
 * last one arrives (or when the resolver is freed, which drops them). */
struct aw_watch *aw_watch_new(struct aw_resolver *res, struct aw_loop *loop);
void aw_watch_free(struct aw_watch *w);
enum aw_status aw_watch_add(struct aw_watch *w, const char *name,
    enum aw_record_type type, enum aw_watch_how how, const char *value,
    const char *old_value);
/* addr: "ip", "ip:port" or "[ip6]:port"; label may be NULL. The server
 * is asked for every item. */
enum aw_status aw_watch_add_server(struct aw_watch *w, const char *label,
    const char *addr);
/* The server at addr is authoritative for zone: it is asked for the items
 * whose zone that is (aw_watch_set_zone). A server already added for
 * another zone (same addr) gets this zone too: one column per server. */
enum aw_status aw_watch_add_zone_server(struct aw_watch *w, const char *zone,
    const char *label, const char *addr);
/* Item i's name is held by zone (the zone cut, RFC 1034 §4.2). */
enum aw_status aw_watch_set_zone(struct aw_watch *w, size_t i,
    const char *zone);
/* Whether server s is asked for item i: it serves every item, or the
 * item's zone. Cells not asked stay AW_WATCH_WAITING and do not count
 * for convergence; an item no server asks never converges. */
bool aw_watch_asks(const struct aw_watch *w, size_t item, size_t server);

/* Discovery: for each item, the zone that holds its name (its SOA, asked
 * up the tree) and that zone's authoritative nameservers with their
 * addresses (checks/authority.h), each zone once; each server is added
 * with aw_watch_add_zone_server, asked at port (53 normally). cb runs
 * once, later, from the loop; problems (translated: lookups that failed,
 * NS sets that disagree, zones without a nameserver) are valid during the
 * call only. Items whose zone or nameservers were not found are asked by
 * no server (aw_watch_item_nservers is 0). w and res must outlive the
 * discovery; do not start the watch before cb ran. */
typedef void (*aw_watch_discover_cb)(struct aw_watch *w,
    const struct aw_strv *problems, void *arg);
enum aw_status aw_watch_discover(struct aw_watch *w, struct aw_resolver *res,
    unsigned port, aw_watch_discover_cb cb, void *arg);
/* How many servers are asked for item i. */
size_t aw_watch_item_nservers(const struct aw_watch *w, size_t i);
/* Starts the rounds: one now, then every interval_ms, until all match or
 * deadline_ms (aw_loop_now_ms clock) passes. */
enum aw_status aw_watch_start(struct aw_watch *w, int interval_ms,
    int64_t deadline_ms, aw_watch_cb cb, void *arg);
void aw_watch_stop(struct aw_watch *w);

/* Sets (or adds, by label) a host state. While a host state is not
 * synced the watch does not converge: it keeps going until the host says
 * the change is everywhere, or the deadline. May be called any time. */
enum aw_status aw_watch_set_host_state(struct aw_watch *w, const char *label,
    const char *state, bool synced);
size_t aw_watch_nhosts(const struct aw_watch *w);
const struct aw_watch_host *aw_watch_host(const struct aw_watch *w, size_t i);

bool aw_watch_finished(const struct aw_watch *w);
bool aw_watch_converged(const struct aw_watch *w);
unsigned aw_watch_rounds(const struct aw_watch *w);
size_t aw_watch_nitems(const struct aw_watch *w);
size_t aw_watch_nservers(const struct aw_watch *w);
const struct aw_watch_item *aw_watch_item(const struct aw_watch *w, size_t i);
const struct aw_watch_server *aw_watch_server(const struct aw_watch *w,
    size_t i);
const struct aw_watch_cell *aw_watch_cell(const struct aw_watch *w,
    size_t item, size_t server);

/* "match", "old", "missing", "unreachable", "waiting" (for --json). */
const char *aw_watch_state_name(enum aw_watch_state s);
const char *aw_watch_state_text(enum aw_watch_state s);   /* translated */

#endif
