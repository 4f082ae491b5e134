/* plan.h: from the records the user wants and what the zone holds now, the
 * list of rrset changes (old -> new) that apply will make. It touches only
 * what was chosen: other TXT values at a name stay, exactly one SPF record
 * remains, a CNAME never lands beside other data. */
#ifndef AW_PLAN_H
#define AW_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/preflight.h"
#include "core/error.h"
#include "core/record.h"
#include "core/strv.h"
#include "providers/provider.h"

enum aw_want_kind {
	AW_WANT_SPF,         /* merge terms into the one SPF record at name */
	AW_WANT_TXT_ADD,     /* add one TXT value, keep the others (verification) */
	AW_WANT_TXT_PREFIX,  /* replace the TXT values that start with prefix
	                      * (DMARC: "v=DMARC1"), keep the others */
	AW_WANT_RRSET        /* the whole set of name+type becomes values
	                      * (DKIM TXT or CNAME, A/AAAA of a mail host, PTR) */
};

struct aw_want {
	enum aw_want_kind kind;
	char *name;                 /* owned, normalised */
	enum aw_record_type type;   /* TXT for SPF/TXT_ADD/TXT_PREFIX */
	unsigned ttl;               /* 0: keep the current / host default */
	struct aw_strv values;      /* TXT_ADD: one; TXT_PREFIX: one; RRSET: all */
	char *prefix;               /* TXT_PREFIX, owned */
	struct aw_strv spf_terms;   /* SPF: "include:x", "ip4:192.0.2.0/24" */
	char *spf_all;              /* SPF: "-all", "~all" or NULL (keep) */
	struct aw_strv spf_remove;  /* SPF: terms taken out ("include:x") */
	struct aw_strv spf_replace_old;  /* SPF: terms swapped in place ... */
	struct aw_strv spf_replace_new;  /* ... for these (same index) */
};

struct aw_wants {
	struct aw_want *v;
	size_t n, cap;
	struct aw_strv unknown;     /* names whose current records could not
	                             * be read (DNS timeout, SERVFAIL) ... */
	struct aw_strv unknown_why; /* ... and why (same index) */
};
void aw_wants_init(struct aw_wants *w);
void aw_wants_done(struct aw_wants *w);
/* Each adds one want (copies its arguments). AW_ERR_INVALID on a bad
 * name or value. */
enum aw_status aw_wants_add_spf(struct aw_wants *w, const char *name,
    const char *const *terms, size_t nterms, const char *all,
    struct aw_error *err);
enum aw_status aw_wants_add_txt(struct aw_wants *w, const char *name,
    const char *value, struct aw_error *err);
enum aw_status aw_wants_add_dmarc(struct aw_wants *w, const char *domain,
    const char *record, struct aw_error *err);
enum aw_status aw_wants_add_dkim_txt(struct aw_wants *w, const char *domain,
    const char *selector, const char *record, struct aw_error *err);
enum aw_status aw_wants_add_dkim_cname(struct aw_wants *w, const char *domain,
    const char *selector, const char *target, struct aw_error *err);
/* The SPF record at name loses term (--spf-remove) / has old swapped for
 * new in place (--spf-replace OLD=NEW): added to the SPF want at name,
 * which is made when there is none. The term must be in the record when
 * the plan is built, else the plan fails naming it. */
enum aw_status aw_wants_spf_remove(struct aw_wants *w, const char *name,
    const char *term, struct aw_error *err);
enum aw_status aw_wants_spf_replace(struct aw_wants *w, const char *name,
    const char *old_term, const char *new_term, struct aw_error *err);
/* Unknown is not absent: the current records at name could not be read
 * (why: "timeout", a sentence). A want at that name that would create a
 * record set the host does not list is refused, saying why, rather than
 * planned as if the name held nothing. */
enum aw_status aw_wants_mark_unknown(struct aw_wants *w, const char *name,
    const char *why);

/* Every TXT value at name that starts with prefix (case-insensitive) is
 * replaced by value, which must start with it too; the other TXT values
 * stay (e.g. prefix "v=spf1": a chosen SPF record replaces all of them). */
enum aw_status aw_wants_add_txt_replace(struct aw_wants *w, const char *name,
    const char *prefix, const char *value, struct aw_error *err);
/* The whole set of name and type goes (the user chose to delete it). */
enum aw_status aw_wants_add_delete(struct aw_wants *w, const char *name,
    enum aw_record_type type, struct aw_error *err);
/* A/AAAA of a mail host, PTR in a reverse zone (name "4.2.0.192.in-addr.arpa"). */
enum aw_status aw_wants_add_rrset(struct aw_wants *w, const char *name,
    enum aw_record_type type, const char *const *values, size_t nvalues,
    unsigned ttl, struct aw_error *err);

/* PTR for an address (IPv4 or IPv6 text) in its reverse zone:
 * d.c.b.a.in-addr.arpa (RFC 1035 §3.5) or the nibbles under ip6.arpa
 * (RFC 3596 §2.5). */
enum aw_status aw_wants_add_ptr(struct aw_wants *w, const char *ip,
    const char *host, struct aw_error *err);

struct aw_plan {
	char *domain;               /* owned */
	char *provider;             /* owned: the host's ops->name */
	struct aw_change *changes;  /* owned; grouped by zone */
	size_t nchanges, cap;
	struct aw_strv notes;       /* for the whole plan */
	struct aw_strv warnings;
	struct aw_strv refused;     /* wants not planned, with the reason */
	struct aw_preflight_result preflight;  /* the zone as it will be,
	                                        * checked (aw_plan_preflight) */
};
void aw_plan_init(struct aw_plan *plan);
void aw_plan_done(struct aw_plan *plan);
/* Appends a zero-filled change (then fill it); NULL on no memory. */
struct aw_change *aw_plan_push(struct aw_plan *plan);

/* The pure part: wants against current (every record set at each wanted
 * name, as listed) and the zone of each name (zones[i] for names[i] of
 * aw_wants_names). Appends changes, notes and refusals to plan. */
enum aw_status aw_plan_build(const struct aw_wants *wants,
    const struct aw_record_set *current, const struct aw_strv *names,
    const struct aw_zone *zones, struct aw_plan *plan, struct aw_error *err);
/* The distinct names the wants touch, in order. */
enum aw_status aw_wants_names(const struct aw_wants *wants, struct aw_strv *out);

/* The whole thing through a provider: find each name's zone, list what is
 * there, build. cb runs once from the loop; plan is filled then. */
typedef void (*aw_plan_cb)(struct aw_plan *plan, enum aw_status status,
    const struct aw_error *err, void *arg);
struct aw_plan_job;
/* wants and plan are borrowed until cb ran. Free the job with
 * aw_plan_job_free after cb, or before to cancel it (the request under way
 * is dropped, no callback). */
enum aw_status aw_plan_make(struct aw_provider *p, const char *domain,
    const struct aw_wants *wants, struct aw_plan *plan, aw_plan_cb cb,
    void *arg, struct aw_plan_job **out, struct aw_error *err);
void aw_plan_job_free(struct aw_plan_job *job);
enum aw_status aw_plan_make_sync(struct aw_provider *p, const char *domain,
    const struct aw_wants *wants, struct aw_plan *plan, struct aw_error *err);

/* The changes as the preflight takes them (before: old, after: new), in
 * plan order. *out is freed by the caller (free); NULL when there are
 * none. */
enum aw_status aw_plan_preflight_changes(const struct aw_plan *plan,
    struct aw_preflight_change **out, size_t *n);
/* Runs the preflight of the plan's changes over live DNS (src on loop)
 * and puts the findings in plan->preflight (replacing what was there). */
enum aw_status aw_plan_preflight(struct aw_plan *plan, struct aw_loop *loop,
    const struct aw_dns_source *src, const struct aw_preflight_opts *opts,
    struct aw_error *err);

/* JSON form (--json, plan files, the journal). New reference / filled plan. */
struct json_t;   /* jansson's json_t, kept out of this header */
struct json_t *aw_plan_to_json(const struct aw_plan *plan);
enum aw_status aw_plan_from_json(const struct json_t *j, struct aw_plan *plan,
    struct aw_error *err);
/* Files written 0600, atomically (temporary + rename). */
enum aw_status aw_plan_save(const struct aw_plan *plan, const char *path,
    struct aw_error *err);
enum aw_status aw_plan_load(const char *path, struct aw_plan *plan,
    struct aw_error *err);
/* Number of changes that are not SKIPPED. */
size_t aw_plan_count_pending(const struct aw_plan *plan);

#endif
