/* spf.h: SPF (RFC 7208): the record parser, macro expansion and the
 * check_host() evaluator over a DNS source. Plain data and functions: no
 * printing. The lookup tree and lint are in spf-lint.h, the record builder
 * in spf-build.h. */
#ifndef AW_SPF_H
#define AW_SPF_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "core/buf.h"
#include "core/error.h"

/* RFC 7208 §4.6.4 */
#define AW_SPF_MAX_LOOKUPS 10      /* DNS-querying terms per check_host */
#define AW_SPF_MAX_VOID 2          /* lookups answering NXDOMAIN/no data */
#define AW_SPF_MAX_MX 10           /* MX names looked at by "mx" */
#define AW_SPF_MAX_PTR 10          /* PTR names looked at by "ptr", %{p} */
/* RFC 7208 §3.4: a record longer than this may not fit a UDP answer
 * (the lint warns past it; spf-build.c's RECORD_UDP_ADVICE is the same
 * number and should become this). */
#define AW_SPF_UDP_ADVICE 450
/* Hard cap on the text of one record we are willing to parse. */
#define AW_SPF_RECORD_MAX 8192

/* The seven results of check_host() (RFC 7208 §2.6). The mechanism
 * qualifiers map onto pass/fail/softfail/neutral. */
enum aw_spf_result {
	AW_SPF_NONE = 0,
	AW_SPF_NEUTRAL,
	AW_SPF_PASS,
	AW_SPF_FAIL,
	AW_SPF_SOFTFAIL,
	AW_SPF_TEMPERROR,
	AW_SPF_PERMERROR
};

enum aw_spf_kind {
	AW_SPF_ALL = 0,
	AW_SPF_INCLUDE,
	AW_SPF_A,
	AW_SPF_MX,
	AW_SPF_PTR,
	AW_SPF_IP4,
	AW_SPF_IP6,
	AW_SPF_EXISTS,
	AW_SPF_REDIRECT,      /* modifiers from here on */
	AW_SPF_EXP,
	AW_SPF_UNKNOWN_MOD
};

struct aw_spf_term {
	enum aw_spf_kind kind;
	enum aw_spf_result qualifier; /* mechanisms: pass/fail/softfail/neutral */
	char *text;           /* the term as written (owned) */
	size_t pos;           /* 1-based byte offset of the term in the record */
	char *domain_spec;    /* include/a/mx/ptr/exists/redirect/exp target,
	                       * unexpanded; NULL: the current domain */
	char *mod_name;       /* unknown modifier: name and value, else NULL */
	char *mod_value;
	int cidr4, cidr6;     /* prefix lengths; -1 when not given */
	unsigned char addr[16]; /* ip4 (4 bytes) / ip6 network */
};

struct aw_spf_record {
	struct aw_spf_term *terms;   /* in record order */
	size_t nterms;
	long redirect;               /* index of redirect=, or -1 */
	long exp;                    /* index of exp=, or -1 */
	long all;                    /* index of the first "all", or -1 */
};

/* RFC 7208 §4.5: true when txt is an SPF record: "v=spf1" (any case)
 * followed by a space or the end. */
bool aw_spf_is_record(const char *txt, size_t len);

/* Parses a whole record (RFC 7208 §4.6, §12 ABNF). On a syntax error:
 * AW_ERR_INVALID, *out NULL, and err names the term and its position
 * (err->where "term N 'TEXT' at position P"). *out is freed with
 * aw_spf_record_free. */
enum aw_status aw_spf_parse(const char *text, size_t len,
    struct aw_spf_record **out, struct aw_error *err);
void aw_spf_record_free(struct aw_spf_record *rec);

/* True for the mechanisms and modifiers that cost a DNS-querying term
 * (RFC 7208 §4.6.4): include, a, mx, ptr, exists, redirect. */
bool aw_spf_kind_counts(enum aw_spf_kind kind);
/* "all", "include", ..., "redirect", "exp", "unknown": static. */
const char *aw_spf_kind_name(enum aw_spf_kind kind);
/* "none", "neutral", "pass", "fail", "softfail", "temperror",
 * "permerror": static, stable (JSON). */
const char *aw_spf_result_name(enum aw_spf_result r);
/* The qualifier character of a mechanism result ('+', '-', '~', '?'). */
char aw_spf_qualifier_char(enum aw_spf_result q);

/* Syntax check of a macro-string (RFC 7208 §7.1). explain: an
 * explain-string (spaces and the c, r, t letters allowed). */
enum aw_status aw_spf_macro_check(const char *s, size_t len, bool explain,
    struct aw_error *err);
/* True when s holds a macro-expand other than %%, %_ and %- (a static
 * checker cannot know what it becomes). */
bool aw_spf_has_macro(const char *s);

/* What macros expand to (RFC 7208 §7.3). */
struct aw_spf_macro_env {
	const char *sender;        /* s: "local@domain" */
	const char *local;         /* l */
	const char *sender_domain; /* o */
	const char *domain;        /* d: the domain being evaluated now */
	int family;                /* 4 or 6: i, c, v */
	unsigned char ip[16];
	const char *helo;          /* h */
	const char *receiver;      /* r; NULL: "unknown" */
	long long now;             /* t */
	/* p: the validated name of ip (RFC 7208 §7.3), asked only when the
	 * string uses %{p}; NULL function or NULL result: "unknown". */
	const char *(*ptr_name)(void *arg);
	void *ptr_arg;
};

/* Expands s[0..len) into out (appended). explain: an explain-string
 * (c, r, t allowed, no trailing-dot removal or truncation); otherwise a
 * domain-spec: a trailing dot is removed and a result longer than 253
 * characters loses labels on the left (RFC 7208 §7.3). AW_ERR_INVALID on
 * syntax errors, AW_ERR_NOMEM. */
enum aw_status aw_spf_macro_expand(const char *s, size_t len, bool explain,
    const struct aw_spf_macro_env *env, struct aw_buf *out,
    struct aw_error *err);

/* --- check_host() --------------------------------------------------- */

struct aw_spf_query {
	const char *ip;            /* client address, IPv4 or IPv6 text */
	const char *domain;        /* the domain to check (usually the
	                            * sender's domain, or HELO) */
	const char *sender;        /* MAIL FROM; NULL or "": postmaster@helo
	                            * (RFC 7208 §2.4) */
	const char *helo;          /* HELO/EHLO name, may be NULL */
	const char *receiver;      /* %{r}; NULL: "unknown" */
	/* Explanation used on fail when no exp= applies; NULL: a built-in
	 * translated sentence. */
	const char *default_explanation;
	long long now;             /* %{t}; 0: time(NULL) */
};

struct aw_spf_outcome {
	enum aw_spf_result result;
	char *explanation;         /* on fail: the exp= text or the default;
	                            * else NULL. Untrusted text (escape it) */
	char *term;                /* the term that decided ("-all",
	                            * "include:x", "redirect=y"), the word
	                            * "default" when none matched, or NULL */
	char *term_domain;         /* the domain whose record holds term */
	char *reason;              /* why a none/temperror/permerror
	                            * (translated), else NULL */
	unsigned lookups;          /* DNS-querying terms evaluated */
	unsigned void_lookups;
	unsigned queries;          /* DNS queries asked in all */
};

/* RFC 7208 §4 check_host(): evaluates q over src, synchronously
 * (aw_dns_query_sync; use it in the CLI and tests, never in the TUI).
 * Returns AW_OK with every SPF outcome in *out (errors of the record are
 * results, not failures); AW_ERR_INVALID when q->ip is not an address;
 * AW_ERR_NOMEM. Free *out's contents with aw_spf_outcome_done. */
enum aw_status aw_spf_check_host(const struct aw_dns_source *src,
    const struct aw_spf_query *q, struct aw_spf_outcome *out,
    struct aw_error *err);
void aw_spf_outcome_done(struct aw_spf_outcome *out);

/* The same over answers in hand (struct aw_spf_walk_io, spf-lint.h:
 * get() gives an answer or NULL, want() hears of the one a run stopped
 * for), for many evaluations in flight at once: when *blocked, *out holds
 * nothing useful (free it all the same); fetch what want() was told and
 * run again. Else as aw_spf_check_host. */
struct aw_spf_walk_io;
enum aw_status aw_spf_check_host_io(const struct aw_spf_walk_io *io,
    const struct aw_spf_query *q, struct aw_spf_outcome *out,
    struct aw_error *err, bool *blocked);

#endif
