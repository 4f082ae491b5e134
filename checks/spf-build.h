/* spf-build.h: the SPF record builder: one record from the record(s)
 * published now and the terms a plan wants (includes, ip4/ip6, a, mx).
 * Pure text work, no DNS: it never drops or reorders an existing term,
 * adds only what is missing, and says what it did and what is risky.
 *
 * Example: existing { "v=spf1 include:_spf.google.com ~all" }, want
 * terms { "include:_spf.leaddesk.com" }, all NULL:
 *   record  "v=spf1 include:_spf.google.com include:_spf.leaddesk.com ~all"
 *   changed true; asking again with the new record: changed false. */
#ifndef AW_SPF_BUILD_H
#define AW_SPF_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "checks/spf.h"
#include "core/strv.h"

struct aw_spf_want {
	/* Terms wanted, as written in a record: "include:_spf.example.com",
	 * "ip4:192.0.2.0/24", "ip6:2001:db8::/32", "a", "mx",
	 * "a:mail.example.com". A qualifier is allowed ("~include:x");
	 * none means "+". A term already present (compared without regard
	 * to case, a trailing dot or a "+" qualifier) is not added again. */
	const char *const *terms;
	size_t nterms;
	/* The "all" wanted: "-all", "~all", "?all", "+all"; NULL keeps the
	 * existing one (merging: the strictest), adds none to an existing
	 * record without one, and gives a new record (no existing) "~all"
	 * unless a redirect= is wanted. */
	const char *all;
	/* Terms taken out of the existing record(s) ("include:x"), matched
	 * as terms are (see above); each must be there. */
	const char *const *remove;
	size_t nremove;
	/* Terms swapped in place: replace_old[i] becomes replace_new[i]
	 * (the lighter include of a sender). Each old term must be there;
	 * when the new one is already there the old one is only removed. */
	const char *const *replace_old;
	const char *const *replace_new;
	size_t nreplace;
};

struct aw_spf_build {
	char *record;           /* the one record to publish (owned) */
	bool changed;           /* record differs from the (single)
	                         * existing record */
	struct aw_strv notes;   /* what was done: terms added, where each
	                         * term came from when records were merged
	                         * (translated sentences) */
	struct aw_strv warnings;/* > 10 DNS-querying terms, a string over
	                         * 255 bytes (the record must then be split
	                         * into several strings), +all, ... */
	bool weakened;          /* the all of the record is less strict
	                         * than the (strictest) existing one: a
	                         * warning says so */
	unsigned lookups;       /* DNS-querying terms in the top-level
	                         * record (include, a, mx, ptr, exists,
	                         * redirect); nested includes not counted:
	                         * use the lint tree (spf-lint.h) for that */
};

/* Builds the record. existing: the SPF records published now at the
 * name (0, 1 or more "v=spf1 ..." texts; two or more are merged into
 * one, terms in order, first record first, duplicates dropped, each
 * term's origin noted; the strictest all kept unless want->all says).
 * want may be NULL (merge/normalise only). On AW_OK fill *out, which the
 * caller frees with aw_spf_build_done. AW_ERR_INVALID when an existing
 * record or a wanted term does not parse (err names which and where);
 * AW_ERR_NOMEM. */
enum aw_status aw_spf_build(const char *const *existing, size_t nexisting,
    const struct aw_spf_want *want, struct aw_spf_build *out,
    struct aw_error *err);
void aw_spf_build_done(struct aw_spf_build *b);

/* How strict an "all" qualifier is: fail 3, softfail 2, neutral 1, pass
 * (and anything else) 0. Merging keeps the strictest; going down is a
 * weakening of the domain's policy. */
int aw_spf_all_strictness(enum aw_spf_result q);
/* The qualifier of a record's "all" (AW_SPF_NONE when it has none or does
 * not parse). */
enum aw_spf_result aw_spf_record_all(const char *record);

#endif
