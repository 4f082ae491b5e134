/* tls-rpt.h: SMTP TLS reporting (RFC 8460): the _smtp._tls TXT record.
 * Plain data: no DNS (check-tls-rpt.c asks). */
#ifndef AW_TLS_RPT_H
#define AW_TLS_RPT_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* RFC 8460 §3: a TXT record that begins with "v=TLSRPTv1" then ';' (or
 * its end); other TXT records at _smtp._tls are discarded. */
bool aw_tls_rpt_is_record(const char *txt, size_t len);

struct aw_tls_rpt_record {
	struct aw_strv rua;        /* the report URIs as written */
	bool valid;                /* a sender would report to it */
};

void aw_tls_rpt_record_init(struct aw_tls_rpt_record *r);
void aw_tls_rpt_record_done(struct aw_tls_rpt_record *r);
/* Parses one record into r (initialised); problems go into f (codes
 * tls_rpt.*). AW_OK unless out of memory. */
enum aw_status aw_tls_rpt_parse(const char *txt, size_t len,
    struct aw_tls_rpt_record *r, struct aw_findings *f);

/* What the tls_rpt area found (section detail of area "tls_rpt"). */
struct aw_tls_rpt_detail {
	size_t nrecords;           /* v=TLSRPTv1 records at _smtp._tls */
	struct aw_tls_rpt_record rec;  /* the first of them */
};

/* The record for the report URIs rua[0..n) (mailto: or https:, RFC 8460
 * §3): "v=TLSRPTv1; rua=URI,URI". A bare address (no scheme, an "@" in
 * it) is taken as mailto:. *out is the caller's to free. AW_ERR_INVALID,
 * err saying which URI and why, when one is not a report URI or there is
 * none. */
enum aw_status aw_tls_rpt_build(const char *const *rua, size_t n,
    char **out, struct aw_error *err);

#endif
