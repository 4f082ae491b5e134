/* dmarc.h: DMARC records by RFC 9989 (with RFC 7489 receivers in mind):
 * parsing and judging a record, the policy that applies to a name, the
 * record builder with the staged path. Plain data: no DNS (the tree walk
 * and alignment are in orgdomain.h; check-dmarc.c asks). */
#ifndef AW_DMARC_H
#define AW_DMARC_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "checks/findings.h"
#include "checks/orgdomain.h"
#include "core/error.h"
#include "core/strv.h"

enum aw_dmarc_policy {
	AW_DMARC_UNSET = 0,        /* tag absent */
	AW_DMARC_NONE,
	AW_DMARC_QUARANTINE,
	AW_DMARC_REJECT,
	AW_DMARC_INVALID           /* present with another value */
};

struct aw_dmarc_uri {
	char *uri;                 /* as written (without !size) */
	char *address;             /* the mailto: address, or NULL */
	char *domain;              /* its domain (lower-case), or NULL */
	char *size;                /* the obsolete !size suffix, or NULL */
};

/* One parsed record; strings owned. */
struct aw_dmarc_record {
	enum aw_dmarc_policy p, sp, np;
	char adkim, aspf;          /* 'r' or 's' (default 'r') */
	bool testing;              /* t=y */
	char psd;                  /* 'y', 'n' or 'u' (default) */
	struct aw_dmarc_uri *rua, *ruf;
	size_t nrua, nruf;
	char *fo;                  /* as written, or NULL */
	int pct;                   /* obsolete pct=, -1 when absent */
	bool has_rf, has_ri;       /* obsolete tags present */
	bool valid;                /* no duplicate tag (else ignored whole) */
	bool policy_ok;            /* p valid, sp and np absent or valid */
	bool rua_uri_ok;           /* rua holds a syntactically valid URI */
};

void aw_dmarc_record_init(struct aw_dmarc_record *r);
void aw_dmarc_record_done(struct aw_dmarc_record *r);

/* RFC 9989 §4.7: the text starts with the version tag: "v" (either
 * case), optional spaces, '=', optional spaces, "DMARC1" (case-sensitive),
 * optional spaces, then ';' or the end. */
bool aw_dmarc_is_record(const char *txt, size_t len);

/* Parses and judges one record into r (initialised by the caller); every
 * problem goes into f citing its section. AW_OK unless out of memory. */
enum aw_status aw_dmarc_parse(const char *txt, size_t len,
    struct aw_dmarc_record *r, struct aw_findings *f);

/* RFC 9989 §4.10.1: the policy receivers apply under r to the record's
 * own domain (p), an existing name below it (sp, else p), or a name that
 * does not exist (np, else sp, else p; §4.7). A missing or invalid p, or
 * an invalid sp or np, reads as p=none for every name when rua holds a
 * syntactically valid URI; without one there is no DMARC processing:
 * AW_DMARC_UNSET (so also for a record with a duplicated tag). */
enum aw_dmarc_policy aw_dmarc_policy_for(const struct aw_dmarc_record *r,
    bool subdomain, bool nonexistent);
/* What t=y makes of a policy (RFC 9989 §4.7: one step lower). */
enum aw_dmarc_policy aw_dmarc_policy_tested(enum aw_dmarc_policy p);
/* "none", "quarantine", "reject", "" (unset), "invalid". */
const char *aw_dmarc_policy_name(enum aw_dmarc_policy p);
/* AW_DMARC_INVALID when not one of the three (case-insensitive). */
enum aw_dmarc_policy aw_dmarc_policy_from_name(const char *s);

/* The builder. Arrays are borrowed. */
struct aw_dmarc_build {
	enum aw_dmarc_policy p;            /* required */
	enum aw_dmarc_policy sp, np;       /* UNSET: left out */
	char adkim, aspf;                  /* 0 or 'r': left out; 's' */
	bool testing;                      /* t=y */
	const char *const *rua;            /* addresses or mailto: URIs */
	size_t nrua;
	const char *const *ruf;
	size_t nruf;
	const char *fo;                    /* NULL: left out */
};
/* "v=DMARC1; p=...; ..." (caller frees); AW_ERR_INVALID with err naming
 * the bad choice. */
enum aw_status aw_dmarc_build(const struct aw_dmarc_build *b, char **out,
    struct aw_error *err);
/* The staged path none -> quarantine (t=y first) -> reject: one
 * translated line per step into out (initialised by the caller). */
void aw_dmarc_staged_path(struct aw_strv *out);

/* RFC 9990 §3: the name that authorizes dest to receive reports for
 * policy_domain: "<policy_domain>._report._dmarc.<dest>" (wildcard: "*"
 * for policy_domain). Caller frees. */
char *aw_dmarc_report_auth_name(const char *policy_domain, const char *dest);

/* The "dmarc" area's section detail (check-dmarc.c), freed with it. */
struct aw_dmarc_report_auth {
	char *dest;                /* the report address's domain */
	char *name;                /* <policy domain>._report._dmarc.<dest> */
	bool authorized;           /* a v=DMARC1 record found there */
	bool wildcard;             /* found at *._report._dmarc.<dest> */
	bool dns_failure;
	bool done;
};

struct aw_dmarc_detail {
	struct aw_dmarc_walk walk; /* every name asked and what it held */
	char *applied_name;        /* _dmarc.X whose record applies, or NULL */
	char *applied_domain;      /* X */
	bool inherited;            /* X is not the domain checked */
	unsigned walk_queries;     /* names asked (the domain's own included) */
	bool has_record;           /* a policy record applies (§4.10.1) */
	bool processing;           /* receivers do DMARC processing with it */
	struct aw_dmarc_record rec;
	int exists;                /* the domain checked: 1 exists, 0 NXDOMAIN,
	                            * -1 unknown (DNS failure) */
	enum aw_dmarc_policy policy;      /* for the domain checked as it is */
	enum aw_dmarc_policy policy_existing;  /* if it exists */
	enum aw_dmarc_policy policy_nx;   /* for a name that does not exist */
	char *org_domain_psl;      /* RFC 7489 organizational domain (PSL) */
	char *cname_target;        /* _dmarc.<domain> is an alias of this */
	bool cname_and_txt;        /* a CNAME beside TXT at _dmarc.<domain> */
	struct aw_dmarc_report_auth *auth;  /* external report destinations */
	size_t nauth;
};

#endif
