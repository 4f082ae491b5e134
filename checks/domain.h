/* domain.h: "check DOMAIN": every area (SPF, DMARC, DKIM, MX, PTR, HELO)
 * checked concurrently over one DNS source, each into its own section.
 * The CLI waits for all; the TUI fills its overview as sections finish. */
#ifndef AW_DOMAIN_H
#define AW_DOMAIN_H

#include "checks/dns.h"
#include "checks/fetch.h"
#include "checks/findings.h"
#include "checks/spf-lint.h"

struct aw_domain_check;
struct aw_validator;

struct aw_section {
	const char *area;           /* static: "spf", "dmarc", "dkim", ... */
	char *name;                 /* the DNS name checked (A-labels) */
	char *key;                  /* selector or IP in multi areas, else NULL */
	struct aw_findings f;
	void *detail;               /* area-specific result, see the area */
	void (*detail_free)(void *detail);
	bool finished;
	struct aw_domain_check *owner;
	/* What an unfinished section holds for its lookups in flight, and
	 * how to free it when the check is dropped unfinished (set by the
	 * job machinery, checks/job.h; NULL once finished). */
	void *inflight;
	void (*abandon)(struct aw_section *sec);
};

struct aw_domain_check_opts {
	const char *const *selectors;   /* DKIM selectors; none: discovery */
	size_t nselectors;
	const char *const *ips;         /* sending IPs for PTR checks */
	size_t nips;
	const char *helo;               /* HELO name to check, or NULL */
	const char *dkim_service;       /* catalog id of the service the DKIM
	                                 * selectors are delegated to, or
	                                 * NULL (checks/catalog.h) */
	const char *const *areas;       /* run only these areas ("dkim", ...);
	                                 * NULL/0: every area */
	size_t nareas;
	aw_spf_lighter_fn spf_lighter;  /* the SPF lint's "lighter include"
	                                 * hint (spf-lint.h), e.g.
	                                 * aw_catalog_spf_lighter with the
	                                 * catalog as spf_lighter_arg; NULL:
	                                 * no hint */
	void *spf_lighter_arg;
	struct aw_validator *validator; /* DNSSEC (checks/dnssec.h); NULL:
	                                 * the dnssec and dane areas do not
	                                 * run */
	const struct aw_fetcher *fetcher;  /* gets the domain's own web
	                                 * files (MTA-STS policy, BIMI
	                                 * logo and certificate); NULL:
	                                 * they are not fetched */
	const char *bimi_selector;      /* NULL: "default" */
	const char *bimi_draft;         /* a BIMI record judged instead of
	                                 * the one published (the wizard's,
	                                 * before it is added), or NULL */
	const char *ca_file;            /* a PEM trust store used besides
	                                 * the system's for the BIMI mark
	                                 * certificate, or NULL */
};

/* What every area's start function gets. */
struct aw_check_env {
	const struct aw_dns_source *src;
	const char *domain;             /* A-labels, no trailing dot */
	const struct aw_domain_check_opts *opts;
};

/* One area: tmux-style table entry. start() begins the lookups for sec
 * and calls aw_section_finish(sec) exactly once, usually from the loop;
 * env is valid only during start. key is the selector/IP for multi areas. */
struct aw_check_area {
	const char *area;
	const char *title;              /* N_() string */
	enum aw_status (*start)(struct aw_section *sec,
	    const struct aw_check_env *env, const char *key);
};

extern const struct aw_check_area aw_area_spf;
extern const struct aw_check_area aw_area_dmarc;
extern const struct aw_check_area aw_area_dkim;
extern const struct aw_check_area aw_area_mx;
extern const struct aw_check_area aw_area_ptr;
extern const struct aw_check_area aw_area_helo;
extern const struct aw_check_area aw_area_dnssec;
extern const struct aw_check_area aw_area_dane;
extern const struct aw_check_area aw_area_mta_sts;
extern const struct aw_check_area aw_area_tls_rpt;
extern const struct aw_check_area aw_area_bimi;

/* Called when a section finishes (sec set) and once more when all have
 * (sec NULL). Sections that finish inside aw_domain_check_start (nothing
 * to ask) are not reported: look at aw_domain_check_finished after it. */
typedef void (*aw_domain_check_cb)(struct aw_domain_check *dc,
    struct aw_section *sec, void *arg);

/* domain must be A-labels (aw_domain_to_ascii). src and opts (with its
 * arrays) must outlive the check. *out is freed with aw_domain_check_free. */
enum aw_status aw_domain_check_start(const struct aw_dns_source *src,
    const char *domain, const struct aw_domain_check_opts *opts,
    aw_domain_check_cb cb, void *arg, struct aw_domain_check **out,
    struct aw_error *err);
bool aw_domain_check_finished(const struct aw_domain_check *dc);
size_t aw_domain_check_count(const struct aw_domain_check *dc);
struct aw_section *aw_domain_check_section(struct aw_domain_check *dc,
    size_t i);
const char *aw_domain_check_domain(const struct aw_domain_check *dc);
/* The source the check's areas ask through: other questions about the
 * domain asked through it share the check's answers. Valid while dc. */
const struct aw_dns_source *aw_domain_check_source(
    const struct aw_domain_check *dc);
/* Frees the check. Unfinished, only once the DNS source has dropped the
 * callbacks of the lookups in flight (after aw_resolver_free or
 * aw_dns_memory_free: they point at the sections) and while the loop
 * lives (answers shared between areas wait on it); what the areas held
 * for them is freed too. NULL: no-op. */
void aw_domain_check_free(struct aw_domain_check *dc);

/* For area implementations. */
void aw_section_finish(struct aw_section *sec);
/* The translated title of an area name ("SPF", "DMARC", ...). */
const char *aw_area_title(const char *area);

#endif
