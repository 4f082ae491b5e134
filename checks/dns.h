/* dns.h: DNS answers as data, and the one interface (a "source") through
 * which every check asks DNS questions. Two sources exist: the c-ares
 * resolver (resolver.h, live DNS) and an in-memory zone (dns-memory.h,
 * tests and the RFC 7208 suite). Callbacks always run from the event
 * loop, never from inside aw_dns_query itself. */
#ifndef AW_DNS_H
#define AW_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/record.h"
#include "core/strv.h"

struct aw_loop;

/* What one query came to. NXDOMAIN and NODATA are answers, not errors. */
enum aw_dns_result {
	AW_DNS_RECORDS = 0,   /* NOERROR with records of the asked type */
	AW_DNS_NXDOMAIN,      /* the name does not exist */
	AW_DNS_NODATA,        /* the name exists, no record of that type */
	AW_DNS_SERVFAIL,
	AW_DNS_REFUSED,
	AW_DNS_TIMEOUT,
	AW_DNS_MALFORMED,     /* the answer could not be parsed */
	AW_DNS_ERROR          /* anything else: no server, connection refused */
};

/* Limits on what is kept from one answer (hostile servers). */
#define AW_DNS_MAX_RRS 512
#define AW_DNS_MAX_TXT_STRINGS 256

struct aw_dns_string {
	size_t len;
	char *data;            /* NUL-terminated too; may hold NUL bytes */
};

struct aw_dns_rr {
	char *name;            /* owner, as received, no trailing dot */
	enum aw_record_type type;   /* may differ from the question (CNAME) */
	uint32_t ttl;
	union {
		struct {
			char text[46];     /* presentation form */
			unsigned char raw[16];
		} addr;                    /* A (raw[0..4)), AAAA */
		struct {
			uint16_t preference;
			char *host;        /* "" for the null MX "." */
		} mx;
		char *target;              /* CNAME, PTR, NS */
		struct {
			size_t n;
			struct aw_dns_string *s;  /* each character-string */
		} txt;                     /* TXT, SPF */
		struct {
			char *mname, *rname;
			uint32_t serial, refresh, retry, expire, minimum;
		} soa;
	} u;
};

struct aw_dns_answer {
	char *qname;                 /* as asked, no trailing dot */
	enum aw_record_type qtype;
	enum aw_dns_result result;
	size_t nrr;
	struct aw_dns_rr *rr;        /* the answer section, CNAMEs included */
	char *soa_zone;              /* owner of the SOA in the authority
	                              * section (negative answers), or NULL */
	uint32_t negative_ttl;       /* from that SOA (RFC 2308), else 0 */
	char *server;                /* "ip:port" that answered, or NULL */
	size_t nauth;
	struct aw_dns_rr *auth;      /* NS records of the authority section
	                              * (a referral from a parent), if any */
	bool truncated_list;         /* more than AW_DNS_MAX_RRS were sent */
	unsigned shared;             /* owners besides the first (see
	                              * aw_dns_answer_ref); 0 from _new */
};

/* The callback owns ans (one reference to it) and frees it with
 * aw_dns_answer_free. An answer may be shared: the DNS cache hands the
 * same answer to every asker of a name and type (who wrote the name the
 * same way), each holding one reference. So an owner treats it as read
 * only, or first makes it its own with aw_dns_answer_own. */
typedef void (*aw_dns_cb)(struct aw_dns_answer *ans, void *arg);

struct aw_dns_source_ops {
	/* Starts a query; cb runs later from the loop, exactly once. */
	enum aw_status (*query)(void *impl, const char *name,
	    enum aw_record_type type, aw_dns_cb cb, void *arg);
	/* Drives the loop until *done is true or nothing is pending. */
	void (*wait)(void *impl, const bool *done);
	/* The event loop the answers come from; may be NULL (unknown). */
	struct aw_loop *(*loop)(void *impl);
};

struct aw_dns_source {
	const struct aw_dns_source_ops *ops;
	void *impl;
};

enum aw_status aw_dns_query(const struct aw_dns_source *src, const char *name,
    enum aw_record_type type, aw_dns_cb cb, void *arg);
/* The loop src's answers come from, or NULL when src does not say. */
struct aw_loop *aw_dns_source_loop(const struct aw_dns_source *src);
/* Asks and waits. Never NULL: on no memory an answer with AW_DNS_ERROR is
 * impossible to build, so NULL then. The caller frees the answer. */
struct aw_dns_answer *aw_dns_query_sync(const struct aw_dns_source *src,
    const char *name, enum aw_record_type type);

/* Building and freeing answers (sources, tests). */
struct aw_dns_answer *aw_dns_answer_new(const char *qname, enum aw_record_type qtype,
    enum aw_dns_result result);
/* Appends a zero-filled record of type with owner name; NULL on no memory
 * or past AW_DNS_MAX_RRS (then truncated_list is set). */
struct aw_dns_rr *aw_dns_answer_add(struct aw_dns_answer *ans, const char *name,
    enum aw_record_type type, uint32_t ttl);
enum aw_status aw_dns_rr_add_string(struct aw_dns_rr *rr, const char *data,
    size_t len);
/* Drops one reference; the last one frees the answer. NULL: no-op. */
void aw_dns_answer_free(struct aw_dns_answer *ans);
/* One more owner of ans (which must not be NULL); it frees its
 * reference with aw_dns_answer_free. Returns ans. Answers live on one
 * loop: the count is not atomic. */
struct aw_dns_answer *aw_dns_answer_ref(struct aw_dns_answer *ans);
/* An answer its owner may change: ans itself when nobody else holds it,
 * else a deep copy (ans's reference dropped). NULL on no memory; ans is
 * then still the caller's. */
struct aw_dns_answer *aw_dns_answer_own(struct aw_dns_answer *ans);
/* A deep copy, owned by the caller alone. */
struct aw_dns_answer *aw_dns_answer_dup(const struct aw_dns_answer *ans);

/* Number of records of the asked type (CNAMEs along the way excluded). */
size_t aw_dns_answer_count(const struct aw_dns_answer *ans, enum aw_record_type type);
/* The TXT strings of rr joined with no separator (RFC 7208 §3.3, RFC 6376
 * §3.6.2.2). The caller frees; *len (may be NULL) gets the length. */
char *aw_dns_txt_join(const struct aw_dns_rr *rr, size_t *len);
/* The TXT records of ans, each joined (aw_dns_txt_join), appended to out;
 * returns how many. */
size_t aw_dns_answer_txts(const struct aw_dns_answer *ans, struct aw_strv *out);

/* "records", "nxdomain", "nodata", "servfail", "refused", "timeout",
 * "malformed", "error": stable words for --json. */
const char *aw_dns_result_name(enum aw_dns_result r);
/* A translated sentence for people ("no such domain", ...). */
const char *aw_dns_result_text(enum aw_dns_result r);
/* True for the results that are DNS failures (not answers). */
bool aw_dns_result_is_failure(enum aw_dns_result r);

#endif
