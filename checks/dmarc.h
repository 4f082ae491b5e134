/* dmarc.h: DMARC records by RFC 9989 (with RFC 7489 receivers in mind):
 * parsing and judging a record, the policy that applies to a name, the
 * DNS tree walk's list of names, the record builder with the staged path,
 * and identifier alignment. Plain data: no DNS (check-dmarc.c asks). */
#ifndef AW_DMARC_H
#define AW_DMARC_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* RFC 9989 §4.10: the tree walk asks at most this many names. */
#define AW_DMARC_WALK_MAX 8

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
	bool valid;                /* receivers apply it (RFC 9989) */
};

void aw_dmarc_record_init(struct aw_dmarc_record *r);
void aw_dmarc_record_done(struct aw_dmarc_record *r);

/* RFC 9989 §4.7: the text starts with "v=DMARC1" (case-sensitive),
 * followed by ';', whitespace or the end. */
bool aw_dmarc_is_record(const char *txt, size_t len);

/* Parses and judges one record into r (initialised by the caller); every
 * problem goes into f citing its section. AW_OK unless out of memory. */
enum aw_status aw_dmarc_parse(const char *txt, size_t len,
    struct aw_dmarc_record *r, struct aw_findings *f);

/* The policy for a name under r: the record's own name (p), an existing
 * subdomain (sp, else p), or a name that does not exist (np, else sp,
 * else p; RFC 9989 §4.7). UNSET/INVALID p read as none. */
enum aw_dmarc_policy aw_dmarc_policy_for(const struct aw_dmarc_record *r,
    bool subdomain, bool nonexistent);
/* What t=y makes of a policy (RFC 9989 §4.7: one step lower). */
enum aw_dmarc_policy aw_dmarc_policy_tested(enum aw_dmarc_policy p);
/* "none", "quarantine", "reject", "" (unset), "invalid". */
const char *aw_dmarc_policy_name(enum aw_dmarc_policy p);
/* AW_DMARC_INVALID when not one of the three (case-insensitive). */
enum aw_dmarc_policy aw_dmarc_policy_from_name(const char *s);

/* RFC 9989 §4.10: the names the tree walk asks, in order, into out
 * (initialised by the caller): "_dmarc.<domain>", then with labels taken
 * off the left down to the top-level domain; a name of more than 8 labels
 * jumps to its last 7. At most AW_DMARC_WALK_MAX names. */
enum aw_status aw_dmarc_walk_names(const char *domain, struct aw_strv *out);

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

/* Identifier alignment (RFC 9989 §4.4; RFC 7489 §3.1): relaxed compares
 * organizational domains (by the Public Suffix List here), strict the
 * names themselves. mail_from and dkim_d may be NULL (not present). */
struct aw_dmarc_alignment {
	bool spf_relaxed, spf_strict;
	bool dkim_relaxed, dkim_strict;
	char *from_org, *mail_from_org, *dkim_org;   /* owned, may be NULL */
};
enum aw_status aw_dmarc_align(const char *from, const char *mail_from,
    const char *dkim_d, struct aw_dmarc_alignment *out);
void aw_dmarc_alignment_done(struct aw_dmarc_alignment *a);

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
	char *applied_name;        /* _dmarc.X whose record applies, or NULL */
	char *applied_domain;      /* X */
	bool inherited;            /* found by the tree walk above the name */
	unsigned walk_queries;     /* names asked (the domain's own included) */
	bool has_record;           /* exactly one valid record applies */
	struct aw_dmarc_record rec;
	enum aw_dmarc_policy policy;      /* for the domain checked */
	enum aw_dmarc_policy policy_nx;   /* for its names that do not exist */
	char *org_domain;          /* RFC 7489 organizational domain (PSL) */
	char *cname_target;        /* _dmarc.<domain> is an alias of this */
	bool cname_and_txt;        /* a CNAME beside TXT at _dmarc.<domain> */
	struct aw_dmarc_report_auth *auth;  /* external report destinations */
	size_t nauth;
};

#endif
