/* rfc2136.h: the RFC 2136 host's pure parts, for its unit tests. */
#ifndef AW_PROVIDER_RFC2136_H
#define AW_PROVIDER_RFC2136_H

#include <stdbool.h>

#include <ldns/ldns.h>

#include "core/error.h"
#include "providers/provider.h"

extern const struct aw_provider_ops aw_rfc2136_ops;

/* "hmac-sha256", "HMAC-SHA512.", "sha384" -> "hmac-sha256." etc. (static);
 * NULL: not one of the three taken; word NULL: the default, hmac-sha256. */
const char *aw_rfc2136_algorithm(const char *word);
/* A BIND key file (tsig-keygen's output): the first key's name, algorithm
 * word and base64 secret (caller frees; wipe the secret). */
enum aw_status aw_rfc2136_parse_keyfile(const char *text, char **name,
    char **alg, char **secret, struct aw_error *err);
/* Base64 as a TSIG secret is written (padding only at the end). */
bool aw_rfc2136_base64_ok(const char *s);
/* Reads the key file at path (a regular file, mode 0600 or stricter):
 * AW_ERR_AUTH when it cannot be read or others may read it. */
enum aw_status aw_rfc2136_read_keyfile(const char *path, char **name,
    char **alg, char **secret, struct aw_error *err);
/* The UPDATE for c in zone, cur being the RRset as read (raw RRs, may be
 * NULL or empty): prerequisite cur exactly (or "no such RRset"), cur
 * deleted, c->new's values added (those in cur as they were read).
 * Unsigned; NULL on no memory or a value that is no RDATA. */
ldns_pkt *aw_rfc2136_update_pkt(const char *zone, const struct aw_change *c,
    const ldns_rr_list *cur, unsigned default_ttl);

#endif
