/* bimi.h: BIMI (draft-brand-indicators-for-message-identification): the
 * assertion record at SELECTOR._bimi.DOMAIN, the logo's SVG Tiny PS
 * basics and the mark certificate (VMC/CMC). Plain data: the record
 * parser is in bimi.c; the SVG (libxml2) and certificate (OpenSSL)
 * checks in bimi-media.c; check-bimi.c asks DNS, walks DMARC and has
 * the files fetched through the front end's fetcher (checks/fetch.h). */
#ifndef AW_BIMI_H
#define AW_BIMI_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* Bounds on what is fetched: SVG Tiny PS logos should stay under 32 KiB;
 * a certificate chain in PEM under 64 KiB. */
#define AW_BIMI_SVG_MAX (32u * 1024)
#define AW_BIMI_PEM_MAX (64u * 1024)
/* The BIMI extended key usage (RFC 3709 family, id-kp-BrandIndicator-
 * forMessageIdentification). */
#define AW_BIMI_EKU_OID "1.3.6.1.5.5.7.3.31"

/* A TXT record that begins with "v=BIMI1" then ';' (or its end). */
bool aw_bimi_is_record(const char *txt, size_t len);

struct aw_bimi_record {
	char *l;                   /* the logo URL, "" when empty, NULL absent */
	char *a;                   /* the authority evidence URL, likewise */
	bool declined;             /* l and a empty: the domain declines */
	bool valid;
};

void aw_bimi_record_init(struct aw_bimi_record *r);
void aw_bimi_record_done(struct aw_bimi_record *r);
/* Parses one record into r (initialised); problems go into f (codes
 * bimi.*). AW_OK unless out of memory. */
enum aw_status aw_bimi_parse(const char *txt, size_t len,
    struct aw_bimi_record *r, struct aw_findings *f);
/* The host of an https URL, lower case, malloc'd; NULL when url is not
 * "https://HOST[/...]" (no user info, no port: the fetcher connects to
 * 443). */
char *aw_bimi_url_host(const char *url);

/* The assertion record for a logo URL l (required) and a mark
 * certificate URL a (NULL or "": none): "v=BIMI1; l=L; a=A" (no a= when
 * none), into *out (malloc'd). AW_ERR_INVALID, with err saying which,
 * when a URL is not https with a host name or holds what would break
 * the record (';', spaces, controls, quotes). */
enum aw_status aw_bimi_build(const char *l, const char *a, char **out,
    struct aw_error *err);

/* What the SVG check found (bimi-media.c). */
struct aw_bimi_svg {
	bool parsed;               /* well-formed XML with an <svg> root */
	bool tiny_ps;              /* baseProfile="tiny-ps" */
	bool has_title;
	bool script;               /* <script> or on* event attributes */
	bool external;             /* a reference outside the document */
	bool ok;                   /* all of the above as BIMI wants */
};

/* Checks body against the SVG Tiny PS basics with libxml2 (no network,
 * no entity expansion, no DTD loading); problems into f (bimi.svg-*). */
void aw_bimi_svg_check(const char *body, size_t len, struct aw_bimi_svg *out,
    struct aw_findings *f);

/* What the mark certificate check found (bimi-media.c). */
struct aw_bimi_cert {
	bool parsed;               /* a PEM certificate was read */
	char *subject;             /* one-line subject, owned, or NULL */
	char *not_before, *not_after;  /* "YYYY-MM-DDTHH:MM:SSZ", owned */
	bool valid_now;            /* within its validity dates */
	bool bimi_eku;             /* has the BIMI extended key usage */
	struct aw_strv names;      /* its DNS subject alternative names */
	bool names_domain;         /* domain (or its org domain) is one */
	bool chain_ok;             /* chains to the trust store */
	char *chain_error;         /* why not (OpenSSL's words), or NULL */
};

void aw_bimi_cert_init(struct aw_bimi_cert *c);
void aw_bimi_cert_done(struct aw_bimi_cert *c);
/* Parses the PEM chain (the mark certificate first, then intermediates)
 * and checks it for domain (and org, may be NULL); ca_file (may be NULL)
 * is a PEM trust store used besides the system's. Problems go into f
 * (bimi.cert-*). AW_OK unless out of memory. */
enum aw_status aw_bimi_cert_check(const char *pem, size_t len,
    const char *domain, const char *org, const char *ca_file,
    struct aw_bimi_cert *out, struct aw_findings *f);

/* What the bimi area found (section detail of area "bimi"). */
struct aw_bimi_detail {
	char *selector;
	size_t nrecords;
	struct aw_bimi_record rec;
	bool dmarc_enforced;
	char *dmarc_policy;        /* the policy applied to the domain, or NULL */
	bool svg_fetched;
	struct aw_bimi_svg svg;
	bool cert_fetched;
	struct aw_bimi_cert cert;
};

#endif
