/* verify.h: "is this customer domain set up for this service?" (the
 * vendor's question, issue 19). One domain against one catalog service
 * (checks/catalog.h):
 *   - SPF: one of the service's includes is reached from the domain's
 *     record by evaluation (the lint tree of spf-lint.h: includes and
 *     redirects, nesting; targets with macros are expanded for a message
 *     from postmaster@domain when the plain tree does not reach it), and
 *     the record as a whole is valid (no permerror: at most 10 lookups);
 *   - DKIM: the service's selectors as it publishes them (CNAMEs to its
 *     targets, templates filled from the variables given; or a TXT key),
 *     the final key usable and at least 1024 bits (dkim.h);
 *   - DMARC: a policy record applies (the RFC 9989 tree walk), and the
 *     service's mail can align: through DKIM with d= the domain (SPF
 *     passes only on the service's own bounce domain, which never aligns);
 *   - the service's verification record, when it has one.
 * What fails is a coded finding (verify.*, error severity); remarks are
 * warnings and notes. Each failure that a record fixes brings the zone
 * line to add. Asynchronous over one DNS source, like the domain check it
 * runs (checks/domain.h). No printing. */
#ifndef AW_VERIFY_H
#define AW_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/catalog.h"
#include "checks/dns.h"
#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* TTL of the zone lines suggested. */
#define AW_VERIFY_TTL 3600

enum aw_verify_status {
	AW_VERIFY_PENDING = 0,
	AW_VERIFY_PASS,         /* every requirement met */
	AW_VERIFY_FAIL,         /* something is missing or wrong */
	AW_VERIFY_DNS_FAILURE   /* a lookup failed: no verdict */
};

struct aw_verify_opts {
	const struct aw_sender *service;   /* required */
	/* Template variables ({token}, {tenant}, ...): names[i] = values[i]
	 * (names without braces). A placeholder without a value: a selector
	 * that needs it cannot be asked (a failure naming it); a CNAME target
	 * or verification value that needs it matches anything in its place;
	 * the zone lines keep "{name}" for the user to fill. */
	const char *const *names;
	const char *const *values;
	size_t nvars;
};

struct aw_verify_result {
	enum aw_verify_status status;
	/* Coded findings: errors are what is missing (the status is fail
	 * when there is one), warnings and notes are remarks. */
	struct aw_findings f;
	/* Zone-file lines to add ("name. 3600 IN TXT \"...\""), in the order
	 * of the failures; raw (the texts of the domain's own records may be
	 * in them: escape to show). */
	struct aw_strv records;
};

struct aw_verify;

typedef void (*aw_verify_cb)(struct aw_verify *v, void *arg);

/* Starts verifying domain (A-labels) against opts->service over src.
 * done (may be NULL) runs once from the loop when the verdict is in
 * (never from inside this call: look at aw_verify_finished after it). src, opts and what it points to must
 * outlive the run. *out is freed with aw_verify_free. */
enum aw_status aw_verify_start(const struct aw_dns_source *src,
    const char *domain, const struct aw_verify_opts *opts, aw_verify_cb done,
    void *arg, struct aw_verify **out, struct aw_error *err);
bool aw_verify_finished(const struct aw_verify *v);
/* The verdict; valid once finished, owned by v. */
const struct aw_verify_result *aw_verify_result(const struct aw_verify *v);
const char *aw_verify_domain(const struct aw_verify *v);
/* Frees v. Unfinished, only once the DNS source has dropped the callbacks
 * of the lookups in flight (after aw_resolver_free or
 * aw_dns_memory_free), while the loop lives. NULL: no-op. */
void aw_verify_free(struct aw_verify *v);

/* "pass", "fail", "dns-failure", "pending": stable words for --json. */
const char *aw_verify_status_name(enum aw_verify_status s);
/* The area of a verify.* code: "spf", "dkim", "dmarc", "verification",
 * "dns" or "service" (template variables); static. */
const char *aw_verify_code_area(const char *code);
/* True when text matches the template pattern pat, where '*' stands for
 * any run of characters (a placeholder without a value); case-insensitive
 * when ci (DNS names). */
bool aw_verify_glob(const char *pat, const char *text, bool ci);

#endif
