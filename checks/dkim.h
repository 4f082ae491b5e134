/* dkim.h: DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463): parsing
 * and judging a record, building the record for a new key, and (in
 * dkim-key.c, the one OpenSSL user) key generation, base64 and comparing
 * a published key with a private key file. Plain data: no DNS. */
#ifndef AW_DKIM_H
#define AW_DKIM_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/findings.h"
#include "core/error.h"
#include "core/strv.h"

/* RFC 8301 §3.2 key sizes. */
#define AW_DKIM_RSA_MIN_BITS 1024      /* below: error */
#define AW_DKIM_RSA_GOOD_BITS 2048     /* below: warning */
#define AW_DKIM_ED25519_KEY_LEN 32     /* RFC 8463 §4.2: raw key bytes */
/* RFC 1035 §3.3.14: one character-string holds at most 255 bytes. */
#define AW_DKIM_TXT_STRING_MAX 255

enum aw_dkim_key_type {
	AW_DKIM_KEY_UNKNOWN = 0,
	AW_DKIM_KEY_RSA,
	AW_DKIM_KEY_ED25519
};

/* One parsed key record. Strings and key bytes are owned by it. */
struct aw_dkim_key {
	bool v_present;             /* v=DKIM1 given */
	bool k_present;
	enum aw_dkim_key_type type; /* k= (default rsa); UNKNOWN for others */
	char *k;                    /* k= as written, or NULL */
	char *p;                    /* p= with whitespace removed, or NULL */
	unsigned char *key;         /* p= decoded, or NULL */
	size_t keylen;
	bool revoked;               /* p= present and empty */
	unsigned bits;              /* RSA modulus bits; 256 for Ed25519 */
	struct aw_strv hashes;      /* h= */
	struct aw_strv services;    /* s= */
	struct aw_strv flags;       /* t= */
	bool testing;               /* t=y */
	bool same_domain;           /* t=s */
	char *notes;                /* n=, or NULL */
	bool usable;                /* a verifier could check signatures */
};

void aw_dkim_key_init(struct aw_dkim_key *key);
void aw_dkim_key_done(struct aw_dkim_key *key);

/* Parses one key record (the TXT strings already joined, RFC 6376
 * §3.6.2.2) into key (initialised by the caller) and judges it: every
 * problem goes into f as an error or warning naming the RFC section.
 * AW_OK unless memory runs out; key->usable says whether it is valid. */
enum aw_status aw_dkim_key_parse(const char *txt, size_t len,
    struct aw_dkim_key *key, struct aw_findings *f);

/* "rsa", "ed25519", "unknown". */
const char *aw_dkim_key_type_name(enum aw_dkim_key_type t);
/* 0 when not one of the two. */
enum aw_dkim_key_type aw_dkim_key_type_from_name(const char *s);

/* The record for a public key: "v=DKIM1; k=rsa; p=<b64>". Caller frees. */
char *aw_dkim_record(enum aw_dkim_key_type type, const char *p_b64);
/* Splits text into character-strings of at most max bytes (0: 255) into
 * out (initialised by the caller). */
enum aw_status aw_dkim_txt_split(const char *text, size_t max,
    struct aw_strv *out);
/* A zone-file line: `S._domainkey.D. TTL IN TXT ( "..." "..." )`, the
 * strings split at 255 bytes. Caller frees. */
char *aw_dkim_zone_line(const char *selector, const char *domain,
    unsigned ttl, const char *record);

/* The "dkim" area's section detail (checks/check-dkim.c). One section per
 * selector; with no selector one discovery section. Freed with the
 * section. */
struct aw_dkim_found {
	char *selector;
	char *record;               /* the key record (joined TXT) */
	struct aw_strv chain;       /* CNAME targets followed, in order */
	char *service_id;           /* catalog service of the CNAME target */
	enum aw_dkim_key_type type;
	unsigned bits;
	bool usable, revoked, testing;
};

struct aw_dkim_detail {
	bool discovery;             /* no selector given: selectors probed */
	size_t probed;              /* discovery: how many were asked */
	struct aw_dkim_found *found;   /* discovery: the selectors found */
	size_t nfound;

	char *selector;             /* the selector checked, else NULL */
	struct aw_strv chain;       /* CNAME targets from
	                             * <selector>._domainkey.<domain>, in order */
	char *final_name;           /* where the key was looked for */
	bool cname_dangling;        /* the chain ends at no key: NXDOMAIN or
	                             * no TXT at the target */
	bool cname_loop;
	char *service_id;           /* catalog service of the target, or NULL */
	char *service_name;
	char *expected_service;     /* the service chosen, or NULL */
	bool wrong_service;         /* the target belongs elsewhere */
	bool has_key;               /* exactly one record: key is parsed */
	struct aw_dkim_key key;
};

/* dkim-key.c (OpenSSL). */

/* RFC 4648 §4 base64 (no whitespace) through OpenSSL's EVP coder.
 * *out (caller frees) gets the bytes; AW_ERR_INVALID on bad input. */
enum aw_status aw_dkim_base64_decode(const char *b64, unsigned char **out,
    size_t *outlen);
/* Caller frees; NULL on no memory. */
char *aw_dkim_base64_encode(const unsigned char *data, size_t len);

/* What the published key bytes are: for RSA a DER SubjectPublicKeyInfo (or
 * a bare RSAPublicKey, RFC 6376 §3.3.1), giving the modulus size; for
 * Ed25519 the raw 32 bytes. AW_ERR_INVALID (err says why) when they are
 * not a key of that type. */
enum aw_status aw_dkim_pubkey_bits(enum aw_dkim_key_type type,
    const unsigned char *der, size_t len, unsigned *bits,
    struct aw_error *err);

/* A new key pair. *pem (private key, PEM: PKCS#1 for RSA as opendkim
 * writes it, PKCS#8 for Ed25519) and *p_b64 (the p= value) are freed by
 * the caller (the PEM is a secret: wipe it with aw_dkim_secret_free).
 * bits: RSA 1024, 2048 (0: default), 3072 or 4096; ignored for Ed25519. */
enum aw_status aw_dkim_keygen(enum aw_dkim_key_type type, unsigned bits,
    char **pem, char **p_b64, struct aw_error *err);
/* Zeroes and frees a secret string. NULL: no-op. */
void aw_dkim_secret_free(char *secret);

/* RSASSA-PKCS1-v1_5 with SHA-256 (DKIM's rsa-sha256; also the RS256 of a
 * JWT, RFC 7518 §3.3, which Google's service-account flow signs) of data
 * with the RSA private key in pem (PEM text, len bytes). *sig (caller
 * frees) gets the signature. AW_ERR_INVALID (err says why) when pem is not
 * an RSA private key. */
enum aw_status aw_rsa_sha256_sign(const char *pem, size_t pem_len,
    const void *data, size_t len, unsigned char **sig, size_t *siglen,
    struct aw_error *err);

/* Writes the private key to path with mode 0600. An existing file is an
 * error (AW_ERR_CONFLICT) unless overwrite; with overwrite it is replaced
 * by a new 0600 file. */
enum aw_status aw_dkim_write_private(const char *path, const char *pem,
    bool overwrite, struct aw_error *err);

/* Reads a private key file (PEM, RSA or Ed25519) and gives its public
 * half as the p= value and type. Caller frees *p_b64. */
enum aw_status aw_dkim_private_public(const char *path,
    enum aw_dkim_key_type *type, char **p_b64, struct aw_error *err);

/* Whether the published key (type and decoded p= bytes) is the public half
 * of the private key in path. */
enum aw_status aw_dkim_key_matches(const char *path,
    enum aw_dkim_key_type type, const unsigned char *der, size_t len,
    bool *match, struct aw_error *err);

#endif
