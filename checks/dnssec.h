/* dnssec.h: the validating resolver (libunbound, the one file that uses
 * it) and DNSSEC states as data. Queries are asynchronous on the event
 * loop, like the c-ares resolver's; answers carry the validation state
 * of the RRset (or of the denial) and, when bogus, why.
 *
 * Where queries go: the servers given (--dns-server, "IP" or "IP:PORT"),
 * as forwarders that must pass DNSSEC records through; none: the
 * system's resolvers (/etc/resolv.conf). The trust anchor is the root's
 * (KSK-2017 and KSK-2024, built in) unless a file of DS or DNSKEY
 * records in zone-file form replaces it (--trust-anchor). */
#ifndef AW_DNSSEC_H
#define AW_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strv.h"

struct aw_loop;
struct aw_validator;

enum aw_dnssec_state {
	AW_DNSSEC_INDETERMINATE = 0,   /* no usable answer (failure, timeout) */
	AW_DNSSEC_SECURE,              /* the chain validates from the anchor */
	AW_DNSSEC_INSECURE,            /* provably unsigned (no DS on the way) */
	AW_DNSSEC_BOGUS                /* signed, and validation fails */
};

/* "secure", "insecure", "bogus", "indeterminate" (--json tokens). */
const char *aw_dnssec_state_name(enum aw_dnssec_state s);

/* Why a name is not secure, as a stable token ("expired-signature", ...;
 * see aw_dnssec_reason_of). */
#define AW_DNSSEC_R_EXPIRED "expired-signature"
#define AW_DNSSEC_R_NOT_YET "signature-not-yet-valid"
#define AW_DNSSEC_R_NO_SIG "missing-signature"
#define AW_DNSSEC_R_BAD_SIG "bad-signature"
#define AW_DNSSEC_R_DS_MISMATCH "no-dnskey-matches-ds"
#define AW_DNSSEC_R_ALGORITHM "unsupported-algorithm"
#define AW_DNSSEC_R_MISSING_DS "missing-ds"
#define AW_DNSSEC_R_UNSIGNED "unsigned"
#define AW_DNSSEC_R_INSECURE_PARENT "insecure-parent"
#define AW_DNSSEC_R_FAILED "lookup-failed"
#define AW_DNSSEC_R_TIMEOUT "timeout"
#define AW_DNSSEC_R_OTHER "validation-failed"
/* the anchor's own keys could not be validated: nothing can be judged */
#define AW_DNSSEC_R_ANCHOR "trust-anchor-failed"

/* The stable reason token for a validator's bogus text (unbound's
 * why_bogus), AW_DNSSEC_R_OTHER when it is not recognised. Pure. */
const char *aw_dnssec_reason_of(const char *why_bogus);

/* One validated answer. Only during the callback. */
struct aw_vanswer {
	const char *qname;
	int qtype;
	enum aw_dnssec_state state;
	const char *reason;          /* a token above, NULL when secure or
	                              * insecure (the caller finds out why) */
	const char *why;             /* the validator's words, raw, or NULL */
	int rcode;                   /* DNS rcode; -1: no answer at all */
	bool nxdomain;
	size_t n;                    /* records of qtype (after CNAMEs) */
	const unsigned char *const *data;   /* their rdata (wire form, names
	                                     * uncompressed) */
	const size_t *len;
};

typedef void (*aw_validator_cb)(const struct aw_vanswer *ans, void *arg);

/* A validator on loop. servers: NULL or empty for the system's; anchor
 * file: NULL for the root's. timeout_ms bounds each query (0: 15 s). */
enum aw_status aw_validator_new(struct aw_loop *loop,
    const struct aw_strv *servers, const char *anchor_file, int timeout_ms,
    struct aw_validator **out, struct aw_error *err);
/* The same with the root's anchors, started on the loop's first turn:
 * unbound's libraries and context cost some milliseconds, which then
 * overlap the other checks' first round trip. Questions asked before
 * are held. When the start fails, every question is answered
 * AW_DNSSEC_R_FAILED with the reason as why, and
 * aw_validator_start_error says it. */
enum aw_status aw_validator_new_deferred(struct aw_loop *loop,
    const struct aw_strv *servers, int timeout_ms,
    struct aw_validator **out, struct aw_error *err);
/* Why a deferred start failed, or NULL. */
const char *aw_validator_start_error(const struct aw_validator *v);
/* Pending callbacks are dropped. NULL: no-op. */
void aw_validator_free(struct aw_validator *v);
/* Unloads libunbound (and the libraries it brought) when no validator
 * is left: its destructors and its pages then go while other answers
 * are awaited, not at the exit after the output. The next validator
 * loads it again. */
void aw_validator_unload(void);

/* Asks name (A-labels, no trailing dot) / type (a number, e.g. 52 for
 * TLSA). cb runs from the loop, never from here. tag groups queries for
 * aw_validator_cancel. */
enum aw_status aw_validator_ask(struct aw_validator *v, const void *tag,
    const char *name, int type, aw_validator_cb cb, void *arg);
/* Drops every query asked with tag: their callbacks are not called. */
void aw_validator_cancel(struct aw_validator *v, const void *tag);

/* The owner name in rdata at *off (wire form, uncompressed) as text with
 * dots, no trailing dot, bytes outside [-_a-zA-Z0-9] escaped as \DDD; the
 * root is "". Advances *off. false when malformed. */
bool aw_dnssec_rdata_name(const unsigned char *rd, size_t len, size_t *off,
    char *out, size_t outsz);

/* The "dnssec" area's detail (checks/check-dnssec.c): the domain's state
 * and that of each name the other checks read. */
struct aw_dnssec_name {
	char *name;                  /* A-labels, no trailing dot */
	int type;                    /* the record type asked */
	const char *role;            /* "mx", "mx-host", "dkim", "mta-sts",
	                              * "tlsa" (static) */
	enum aw_dnssec_state state;
	const char *reason;          /* static token, or NULL */
	char *why;                   /* the validator's words, raw, or NULL */
	bool exists;                 /* records of the type were found */
};

struct aw_dnssec_detail {
	enum aw_dnssec_state state;  /* the domain's (its DNSKEY answer) */
	const char *reason;          /* static token, or NULL when secure */
	char *why;                   /* raw, or NULL */
	bool signed_zone;            /* DNSKEY records at the domain */
	bool has_ds;                 /* DS records at the parent */
	struct aw_dnssec_name *names;
	size_t n;
};

void aw_dnssec_detail_free(void *detail);

#endif
