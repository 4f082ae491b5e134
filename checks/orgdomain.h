/* orgdomain.h: the RFC 9989 DNS tree walk (§4.10), the organizational
 * domain it selects (§4.10.2), the record that is the policy (§4.10.1),
 * and identifier alignment by it (§4.4). The Public Suffix List answer
 * (RFC 7489 §3.2) is kept only as a note for RFC 7489 receivers; libpsl is
 * called only here. */
#ifndef AW_ORGDOMAIN_H
#define AW_ORGDOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "core/error.h"
#include "core/strv.h"

/* RFC 9989 §4.10: the tree walk asks at most this many names. */
#define AW_DMARC_WALK_MAX 8

/* RFC 7489 §3.2 (not RFC 9989): the registrable domain of name by the
 * Public Suffix List, lower-case; NULL when name is itself a public suffix
 * or memory runs out. The caller frees. */
char *aw_org_domain(const char *name);
/* True when name is a public suffix ("com", "co.uk"). */
int aw_is_public_suffix(const char *name);

/* RFC 9989 §4.10: the names the tree walk asks, in order, into out
 * (initialised by the caller): "_dmarc.<domain>", then with one label
 * taken off the left at a time down to the top label; a name of 8 or more
 * labels goes on with its last 7 (step 4). At most AW_DMARC_WALK_MAX. */
enum aw_status aw_dmarc_walk_names(const char *domain, struct aw_strv *out);

/* What the walk found at one name (RFC 9989 §4.10 steps 2 and 6). */
enum aw_dmarc_found {
	AW_DMARC_FOUND_NONE = 0,   /* no DMARC record (NXDOMAIN, NODATA,
	                            * only other TXT) */
	AW_DMARC_FOUND_ONE,        /* exactly one: it counts */
	AW_DMARC_FOUND_SEVERAL,    /* several: all discarded, walk goes on */
	AW_DMARC_FOUND_FAILED      /* DNS failure: the walk stops */
};

struct aw_dmarc_walk_step {
	char *domain;              /* the name whose policy is asked */
	char *name;                /* "_dmarc.<domain>" */
	enum aw_dmarc_found found;
	enum aw_dns_result result; /* of the TXT query (after CNAMEs) */
	size_t ndmarc;             /* v=DMARC1 records there */
	size_t nother;             /* TXT records that are not DMARC */
	char *record;              /* FOUND_ONE: its text (owned) */
	char psd;                  /* FOUND_ONE: 'y', 'n' or 'u' */
};

/* How the organizational domain was chosen (RFC 9989 §4.10.2). */
enum aw_dmarc_org_how {
	AW_DMARC_ORG_UNKNOWN = 0,  /* the walk failed before it could say */
	AW_DMARC_ORG_PSD_N,        /* the record with psd=n */
	AW_DMARC_ORG_PSD_Y,        /* one label below the record with psd=y */
	AW_DMARC_ORG_FEWEST,       /* the record with the fewest labels */
	AW_DMARC_ORG_SELF          /* no record: the domain itself */
};

struct aw_dmarc_walk {
	char *domain;              /* where the walk started (normalized) */
	struct aw_strv names;      /* the whole sequence it may ask */
	struct aw_dmarc_walk_step steps[AW_DMARC_WALK_MAX];
	size_t nsteps;             /* names answered */
	bool done;
	bool failed;               /* a DNS failure ended it */
	/* Set when done (aw_dmarc_walk_feed computes them): */
	char *org;                 /* organizational domain, or NULL (UNKNOWN) */
	enum aw_dmarc_org_how org_how;
	int policy_step;           /* RFC 9989 §4.10.1: the step whose record
	                            * is the DMARC policy record, or -1 */
};

/* Starts a walk at domain (A-labels). AW_ERR_INVALID when it is not a
 * domain name, AW_ERR_NOMEM. Free with aw_dmarc_walk_done (also after a
 * failed init). */
enum aw_status aw_dmarc_walk_init(struct aw_dmarc_walk *w, const char *domain);
void aw_dmarc_walk_done(struct aw_dmarc_walk *w);
/* The name to ask next (TXT at "_dmarc.X", owned by w), or NULL when the
 * walk is over. */
const char *aw_dmarc_walk_next(const struct aw_dmarc_walk *w);
/* When ans (to the name asked, or to an alias of it) holds only a CNAME
 * chain and no TXT, the name to ask in its place; else NULL. Points into
 * ans. */
const char *aw_dmarc_walk_alias(const struct aw_dns_answer *ans);
/* Records the answer for the name aw_dmarc_walk_next gave: one record
 * counts; several are discarded (RFC 9989 §4.10 steps 2 and 6); a single
 * record with psd=y or psd=n stops the walk, so does a DNS failure. When
 * the walk is over, selects the organizational domain and policy step. */
enum aw_status aw_dmarc_walk_feed(struct aw_dmarc_walk *w,
    const struct aw_dns_answer *ans);
/* Runs the whole walk over src, waiting for each answer (CNAMEs chased). */
enum aw_status aw_dmarc_walk_run(struct aw_dmarc_walk *w,
    const struct aw_dns_source *src);
/* "psd=n", "psd=y", "fewest labels", "itself", "unknown": stable words for
 * --json. */
const char *aw_dmarc_org_how_name(enum aw_dmarc_org_how how);
/* "one", "several", "none", "failed": stable words for --json. */
const char *aw_dmarc_found_name(enum aw_dmarc_found found);

/* Identifier alignment (RFC 9989 §4.4): relaxed compares organizational
 * domains found by the tree walk (§4.10.2), strict the names themselves.
 * mail_from and dkim_d may be NULL (not present). The *_psl fields are what
 * RFC 7489 receivers, using the Public Suffix List, conclude. */
struct aw_dmarc_alignment {
	bool spf_relaxed, spf_strict;
	bool dkim_relaxed, dkim_strict;
	bool dns_failure;          /* a walk failed: relaxed may be wrong */
	char *from_org, *mail_from_org, *dkim_org;   /* owned, may be NULL */
	enum aw_dmarc_org_how from_how, mail_from_how, dkim_how;
	/* RFC 7489 §3.2 receivers (Public Suffix List): */
	char *from_org_psl, *mail_from_org_psl, *dkim_org_psl;
	bool spf_relaxed_psl, dkim_relaxed_psl;
};
/* Walks from each name over src. AW_ERR_INVALID when from is NULL or not a
 * domain name. */
enum aw_status aw_dmarc_align(const struct aw_dns_source *src,
    const char *from, const char *mail_from, const char *dkim_d,
    struct aw_dmarc_alignment *out);
void aw_dmarc_alignment_done(struct aw_dmarc_alignment *a);

#endif
