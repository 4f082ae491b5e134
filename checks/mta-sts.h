/* mta-sts.h: MTA-STS (RFC 8461): the _mta-sts TXT record, the policy
 * file and its mx patterns. Plain data: no DNS, no HTTP (the area in
 * check-mta-sts.c asks DNS and has the policy fetched through the
 * front end's fetcher, checks/fetch.h). */
#ifndef AW_MTA_STS_H
#define AW_MTA_STS_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* RFC 8461 §3.3: policy bodies are bounded (64 KiB here). */
#define AW_MTA_STS_POLICY_MAX (64u * 1024)
/* RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
#define AW_MTA_STS_MAX_AGE_MAX 31557600L

enum aw_mta_sts_mode {
	AW_MTA_STS_MODE_UNSET = 0,
	AW_MTA_STS_MODE_NONE,
	AW_MTA_STS_MODE_TESTING,
	AW_MTA_STS_MODE_ENFORCE,
	AW_MTA_STS_MODE_INVALID
};

/* RFC 8461 §3.1: a TXT record that begins with "v=STSv1" then ';' (or
 * its end); other TXT records at _mta-sts are discarded. */
bool aw_mta_sts_is_record(const char *txt, size_t len);

/* The parsed _mta-sts record; id owned. */
struct aw_mta_sts_txt {
	char *id;                  /* 1-32 letters and digits, or NULL */
	bool valid;                /* syntax and id as RFC 8461 §3.1 asks */
};

void aw_mta_sts_txt_init(struct aw_mta_sts_txt *r);
void aw_mta_sts_txt_done(struct aw_mta_sts_txt *r);
/* Parses one record into r (initialised); problems go into f (codes
 * mta_sts.txt-*). AW_OK unless out of memory. */
enum aw_status aw_mta_sts_txt_parse(const char *txt, size_t len,
    struct aw_mta_sts_txt *r, struct aw_findings *f);

/* The parsed policy file (RFC 8461 §3.2); strings owned. */
struct aw_mta_sts_policy {
	char *version;             /* as written, or NULL */
	enum aw_mta_sts_mode mode;
	long max_age;              /* -1 when absent or invalid */
	struct aw_strv mx;         /* the patterns, lower case, in order */
	bool valid;                /* usable by a sender (§3.2) */
};

void aw_mta_sts_policy_init(struct aw_mta_sts_policy *p);
void aw_mta_sts_policy_done(struct aw_mta_sts_policy *p);
/* Parses a policy body (lines "key: value", CRLF or LF) into p
 * (initialised); problems go into f (codes mta_sts.policy-*). AW_OK
 * unless out of memory. */
enum aw_status aw_mta_sts_policy_parse(const char *body, size_t len,
    struct aw_mta_sts_policy *p, struct aw_findings *f);

/* RFC 8461 §4.1: does pattern ("mx.example.com" or "*.example.com",
 * where "*" stands for exactly one leftmost label) cover host? Case and a
 * trailing dot do not matter. */
bool aw_mta_sts_mx_match(const char *pattern, const char *host);

/* "none", "testing", "enforce", "" (unset), "invalid". */
const char *aw_mta_sts_mode_name(enum aw_mta_sts_mode m);

/* What the mta_sts area found (section detail of area "mta_sts"). */
struct aw_mta_sts_detail {
	struct aw_mta_sts_txt txt;     /* the one record, if exactly one */
	size_t nrecords;               /* v=STSv1 records at _mta-sts */
	char *policy_url;
	bool fetched;                  /* a 200 text/plain body was parsed */
	struct aw_mta_sts_policy policy;
	struct aw_strv mx_hosts;       /* the domain's MX hosts */
	struct aw_strv uncovered;      /* MX hosts no pattern covers */
	bool mx_covered;               /* fetched, and every MX covered */
};

/* ---- building (the wizard's MTA-STS step) ---- */

/* RFC 8461 §3.2: max_age "in the range of weeks or greater"; a week
 * while testing (a mistake ages out soon), four weeks once enforced. */
#define AW_MTA_STS_MAX_AGE_TESTING 604800L
#define AW_MTA_STS_MAX_AGE_ENFORCE 2419200L

/* The policy file for mode, the mx patterns (each a host name or "*."
 * and a domain; at least one unless mode is none) and max_age (0 ..
 * AW_MTA_STS_MAX_AGE_MAX): "version: STSv1", "mode", one "mx" line per
 * pattern, "max_age", each line ending in CRLF (RFC 8461 §3.2). *out is
 * the caller's to free. AW_ERR_INVALID (err says why) on a bad value. */
enum aw_status aw_mta_sts_policy_build(enum aw_mta_sts_mode mode,
    const struct aw_strv *mx, long max_age, char **out,
    struct aw_error *err);
/* The mx patterns that cover the MX hosts: each host itself, lower case,
 * without a trailing dot, once (a "*." pattern is the user's choice, not
 * guessed: it would cover hosts that are not the domain's). Appended to
 * out. */
void aw_mta_sts_mx_patterns(const struct aw_strv *mx_hosts,
    struct aw_strv *out);
/* A fresh policy id (RFC 8461 §3.1: 1-32 letters and digits): the UTC
 * time t as YYYYMMDDhhmmss, into out (at least 15 bytes). A policy
 * changed twice in a second gets the same id: callers that care compare
 * with the id published and add a second. */
void aw_mta_sts_id_make(long long t, char *out, size_t size);
/* True when id is a valid RFC 8461 §3.1 id. */
bool aw_mta_sts_id_valid(const char *id);
/* "v=STSv1; id=ID" (RFC 8461 §3.1). *out is the caller's to free.
 * AW_ERR_INVALID when id is not valid. */
enum aw_status aw_mta_sts_record_build(const char *id, char **out,
    struct aw_error *err);
/* The id of an _mta-sts TXT value, malloc'd; NULL when it is no MTA-STS
 * record or has no valid id. */
char *aw_mta_sts_record_id(const char *txt);
/* RFC 8461 §3.1: senders fetch the policy again only when the id
 * changes. What a change of the _mta-sts record at name (its value before,
 * NULL when there was none, and after, NULL when it goes) does to the id,
 * for `watch`: AW_MTA_STS_ID_NONE when neither value is an MTA-STS
 * record or name is not an _mta-sts name; *old_id and *new_id (malloc'd,
 * NULL when absent) are the caller's to free. */
enum aw_mta_sts_id_change {
	AW_MTA_STS_ID_NONE = 0,
	AW_MTA_STS_ID_NEW,         /* a policy announced where there was none */
	AW_MTA_STS_ID_CHANGED,     /* senders fetch the policy again */
	AW_MTA_STS_ID_SAME,        /* the record changed, the id did not:
	                            * senders keep the cached policy */
	AW_MTA_STS_ID_GONE         /* the record goes */
};
enum aw_mta_sts_id_change aw_mta_sts_id_compare(const char *name,
    const char *old_value, const char *new_value, char **old_id,
    char **new_id);
/* Do two parsed policies say the same (version, mode, max_age, the mx
 * patterns as a set)? */
bool aw_mta_sts_policy_same(const struct aw_mta_sts_policy *a,
    const struct aw_mta_sts_policy *b);
/* RFC 8461 §5: enforce is safe to offer once the testing policy is
 * served (fetched, valid, mode testing) and covers every MX host. */
bool aw_mta_sts_enforce_ready(const struct aw_mta_sts_detail *d);

#endif
