/* dane.h: DANE for SMTP (RFC 7672): TLSA records at _25._tcp.MXHOST,
 * parsed and judged as SMTP expects them, and the "dane" area's detail
 * (checks/check-dane.c). Pure data; the TLSA answers come through the
 * DNSSEC validator (checks/dnssec.h), whose state decides whether they
 * may be used at all. */
#ifndef AW_DANE_H
#define AW_DANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/dnssec.h"
#include "checks/findings.h"

#define AW_TLSA_DATA_MAX 2048

struct aw_tlsa {
	uint8_t usage;       /* 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE */
	uint8_t selector;    /* 0 the certificate, 1 its public key (SPKI) */
	uint8_t mtype;       /* 0 full, 1 SHA2-256, 2 SHA2-512 */
	size_t len;
	unsigned char data[AW_TLSA_DATA_MAX];
};

/* Parses TLSA rdata (RFC 6698 §2.1); false when shorter than 4 bytes or
 * longer than the bound. Pure. */
bool aw_tlsa_parse(const unsigned char *rd, size_t len, struct aw_tlsa *out);

/* Judges one host's TLSA RRset as RFC 7672 §3.1 asks, adding findings
 * about host to f; returns how many records SMTP can use (DANE-TA or
 * DANE-EE with a known selector and a digest of the right length). */
size_t aw_tlsa_judge(struct aw_findings *f, const char *host,
    const struct aw_tlsa *t, size_t n);

struct aw_dane_host {
	char *host;                  /* the MX host, A-labels */
	char *tlsa_name;             /* _25._tcp.HOST */
	enum aw_dnssec_state state;  /* of the TLSA answer */
	const char *reason;          /* static token, or NULL */
	struct aw_tlsa *tlsa;
	size_t ntlsa;
	size_t usable;               /* records aw_tlsa_judge accepts */
	char addr[46];               /* its first IPv4 address, or "" */
	const char *smtp;            /* the --smtp probe: NULL not tried,
	                              * "match", "no-match", "no-starttls",
	                              * "tls-failed", "smtp-failed",
	                              * "connect-failed" (static) */
};

struct aw_dane_detail {
	enum aw_dnssec_state mx_state;   /* of the MX RRset */
	struct aw_dane_host *hosts;
	size_t n;
};

void aw_dane_detail_free(void *detail);

/* The opt-in probe (checks/dane-smtp.c): connects to h->addr on port,
 * EHLO, STARTTLS, and matches the presented chain against h's TLSA
 * records (RFC 7672 §3); sets h->smtp and adds findings to f. Blocking,
 * each step bounded by timeout_ms. */
void aw_dane_smtp_probe(struct aw_findings *f, struct aw_dane_host *h,
    int port, int timeout_ms);

#endif
