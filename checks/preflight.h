/* preflight.h: the zone as it will be, checked before anything is
 * published. Given the record sets a plan changes (before -> after), the
 * names they touch are answered from the "after" side and everything else
 * from live DNS (an overlay DNS source), and the same checks as `check`
 * run over it: the SPF lookup tree (spf-lint.h), the DMARC, DKIM and PTR
 * areas (domain.h). What they find comes back as coded findings, plus the
 * preflight's own: record size, weakening of a policy, and what would
 * bring an SPF record back under 10 lookups. Plain data, no printing. */
#ifndef AW_PREFLIGHT_H
#define AW_PREFLIGHT_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "checks/findings.h"
#include "checks/spf-lint.h"
#include "core/error.h"
#include "core/loop.h"
#include "core/record.h"

/* RFC 7208 §3.4: an SPF answer over 512 bytes needs EDNS0 or TCP; keep
 * records under 450 to leave room for the rest of the answer. */
#define AW_PREFLIGHT_SPF_WARN_BYTES 450
#define AW_PREFLIGHT_SPF_MAX_BYTES 512

/* One record set the plan changes. before: as the DNS host holds it now
 * (no values: it is created); after: as it will be (no values: it is
 * deleted). Both name the same owner and type. Borrowed. */
struct aw_preflight_change {
	const struct aw_record *before;
	const struct aw_record *after;
};

/* One finding of the preflight: a coded finding (findings.h) and the DNS
 * name it is about. */
struct aw_preflight_finding {
	const char *code;           /* static, stable ASCII: "spf.lookup-limit" */
	enum aw_severity severity;
	const char *rfc;            /* static, or NULL */
	char *name;                 /* owned: the DNS name */
	char *message;              /* owned, translated */
};

struct aw_preflight_result {
	struct aw_preflight_finding *v;
	size_t n, cap;
};
void aw_preflight_result_init(struct aw_preflight_result *r);
void aw_preflight_result_done(struct aw_preflight_result *r);
/* Appends a copy (name and message copied). */
enum aw_status aw_preflight_result_add(struct aw_preflight_result *r,
    enum aw_severity sev, const char *code, const char *rfc, const char *name,
    const char *message);
/* The first finding with code, or NULL. */
const struct aw_preflight_finding *aw_preflight_result_find(
    const struct aw_preflight_result *r, const char *code);
/* True when some finding is an error: apply stops (unless forced). */
bool aw_preflight_result_blocks(const struct aw_preflight_result *r);

struct aw_preflight_opts {
	aw_spf_lighter_fn spf_lighter;  /* the catalog's lighter include
	                                 * (aw_catalog_spf_lighter), or NULL */
	void *spf_lighter_arg;
};

struct aw_preflight;
/* Runs once, from the loop, when every check has answered; the findings
 * are in *result (owned by the preflight until aw_preflight_free). */
typedef void (*aw_preflight_cb)(struct aw_preflight *pf,
    const struct aw_preflight_result *result, void *arg);

/* Starts the preflight of domain (A-labels) over live (the DNS for every
 * name the changes do not touch), whose answers arrive on loop. changes,
 * live and opts must outlive the run. cb runs later, from the loop, never
 * from inside this call. Free
 * with aw_preflight_free after cb, or before it to cancel (then only once
 * the DNS source has dropped its callbacks, as aw_domain_check_free). */
enum aw_status aw_preflight_start(struct aw_loop *loop,
    const struct aw_dns_source *live, const char *domain, const struct aw_preflight_change *changes,
    size_t nchanges, const struct aw_preflight_opts *opts,
    aw_preflight_cb cb, void *arg, struct aw_preflight **out,
    struct aw_error *err);
void aw_preflight_free(struct aw_preflight *pf);
/* Starts and waits (the CLI, tests): the findings are appended to out. */
enum aw_status aw_preflight_run_sync(struct aw_loop *loop,
    const struct aw_dns_source *live, const char *domain, const struct aw_preflight_change *changes,
    size_t nchanges, const struct aw_preflight_opts *opts,
    struct aw_preflight_result *out, struct aw_error *err);

/* The pure parts, exposed for tests and front ends. */
/* Weakening between two sets of TXT values at one name: the SPF "all"
 * going from -all to ~all/?all/+all (or the SPF record going away), the
 * DMARC p (or sp) going down (or the record going away). Appends
 * warnings coded "spf.weaken-all", "spf.weaken-removed",
 * "dmarc.weaken-policy", "dmarc.weaken-removed". */
enum aw_status aw_preflight_weakening(const char *name,
    const struct aw_record *before, const struct aw_record *after,
    struct aw_preflight_result *out);

#endif
