/* hosts.h: what the host files share (helpers in provider.c) and the pure
 * request builders / response parsers each exposes to its unit tests.
 * Front ends use provider.h, not this. */
#ifndef AW_PROVIDER_HOSTS_H
#define AW_PROVIDER_HOSTS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/error.h"
#include "core/record.h"
#include "providers/provider.h"

/* The hosts (registry.c lists them). */
extern const struct aw_provider_ops aw_cloudflare_ops;
extern const struct aw_provider_ops aw_route53_ops;
extern const struct aw_provider_ops aw_powerdns_ops;
extern const struct aw_provider_ops aw_digitalocean_ops;
extern const struct aw_provider_ops aw_desec_ops;
extern const struct aw_provider_ops aw_hetzner_ops;
extern const struct aw_provider_ops aw_gandi_ops;
extern const struct aw_provider_ops aw_gcloud_ops;
extern const struct aw_provider_ops aw_azure_ops;

/* err = "<host>: <message> (code N)" with the host's untrusted message
 * escaped and bounded; err->code = code. Returns status. */
enum aw_status aw_provider_error_text(struct aw_error *err,
    enum aw_status status, int code, const char *host, const char *msg);

/* The same with the host's own error code before the message:
 * "<host>: <code>: <msg> (code N)"; code NULL: dflt in its place, or the
 * message alone when dflt is NULL too. */
enum aw_status aw_provider_error_code_text(struct aw_error *err,
    enum aw_status status, int code, const char *host, const char *host_code,
    const char *dflt, const char *msg);

/* An OAuth2 token endpoint's answer (RFC 6749 §5.1): *token (caller
 * frees, a secret) and expires_in (seconds, 0 when not given); or
 * AW_ERR_AUTH with "<who>: <error>: <error_description> (code HTTP)"
 * (§5.2), escaped; a 5xx is AW_ERR_PROVIDER. */
enum aw_status aw_provider_oauth_token(const char *body, size_t len,
    long status, const char *who, char **token, long *expires_in,
    struct aw_error *err);

/* CHANGE, one change at a time: the change at op->index, past those
 * skipped; NULL (and op->done) when none is left. */
struct aw_change *aw_provider_next_change(struct aw_provider_op *op);

/* How long a host's OAuth2 access token is kept: expires_in, or lifetime
 * when missing or above max_lifetime, less refresh_early (half the time
 * when that is short). who names the token endpoint in errors. */
struct aw_oauth_life {
	const char *who;
	long lifetime, max_lifetime, refresh_early;
};
/* The token step of a host whose every operation starts with a valid
 * access token (Azure, Google). With *token_out (the request out was the
 * token request) the answer goes into *access (the old one wiped) and
 * *until, and *resp becomes NULL: the operation starts. Else, before the
 * operation has started, with no token or one about to expire, *ask and
 * *token_out are set: the caller sends its token request. */
enum aw_status aw_provider_oauth_step(const struct aw_oauth_life *life,
    char **access, time_t *until, bool *token_out, bool started,
    const struct aw_http_response **resp, bool *ask, struct aw_error *err);

/* PowerDNS */
enum aw_status aw_powerdns_parse_rrsets(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    struct aw_error *err);
/* The PATCH body for changes (SKIPPED ones left out); caller frees. */
char *aw_powerdns_patch_body(const struct aw_change *changes, size_t n,
    unsigned default_ttl);

/* Cloudflare */
/* The envelope's first error: Cloudflare's code and message (AW_ERR_AUTH
 * for 401/403 and the token codes). */
enum aw_status aw_cloudflare_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* Body of a POST/PUT: TXT content in quotes, split at 255 bytes; ttl 0 ->
 * 1 (automatic); A/AAAA/CNAME "proxied": false. Caller frees. */
char *aw_cloudflare_record_body(const char *type_name, enum aw_record_type type,
    const char *name, const char *value, unsigned ttl);
/* One page of dns_records into rrsets (TXT unquoted); recs_priv: NULL
 * (the host's own id list otherwise). *more: another page follows. */
enum aw_status aw_cloudflare_parse_records(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    void *recs_priv, bool *more, struct aw_error *err);

/* Route 53 */
/* ErrorResponse / InvalidChangeBatch -> err with the code and message. */
enum aw_status aw_route53_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* ListHostedZonesByName: the public zone named want (AW_ERR_NOTFOUND). */
enum aw_status aw_route53_parse_zones(const char *body, size_t len,
    const char *want, struct aw_zone *zone, struct aw_error *err);
/* ListResourceRecordSets: the sets of name (type or ANY), stopping at the
 * first other name; next_name, next_type (caller frees) for the next page. */
enum aw_status aw_route53_parse_rrsets(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    char **next_name, char **next_type, struct aw_error *err);
/* ChangeResourceRecordSetsRequest XML: UPSERT new sets, DELETE emptied
 * ones (with their exact old values). Caller frees. */
char *aw_route53_change_body(const struct aw_change *changes, size_t n,
    unsigned default_ttl);
/* ChangeInfo of root_name ("ChangeResourceRecordSetsResponse",
 * "GetChangeResponse"): the id after the last '/' and the status. */
enum aw_status aw_route53_parse_change(const char *body, size_t len,
    const char *root_name, char **id, char **status, struct aw_error *err);

/* The bearer-token hosts' settings (host-config.c). */
/* The token from the first of envs (NULL-terminated; the first is named
 * when none is set) or else from the file named by file_key (mode 0600
 * checked); --file_option is named in the message. Caller wipes, frees. */
enum aw_status aw_host_token(const struct aw_provider_config *cfg,
    const char *host, const char *const *envs, const char *file_key,
    const char *file_option, char **out, struct aw_error *err);
/* key's value, else alt_key's (may be NULL), else def; http(s) only,
 * trailing slashes dropped. Caller frees. */
enum aw_status aw_host_base_url(const struct aw_provider_config *cfg,
    const char *host, const char *key, const char *alt_key, const char *def,
    char **out, struct aw_error *err);
/* req = METHOD base+path with "Authorization: SCHEME token", Accept JSON;
 * body (taken, may be NULL) sent as JSON. */
enum aw_status aw_host_bearer_request(struct aw_http_request *req,
    const char *scheme, const char *token, const char *method,
    const char *base, const char *path, char *body);
/* name relative to zone ("www"; apex: the host's word for it, "@" or ""),
 * NULL when name is outside zone. Caller frees. */
char *aw_host_relative_name(const char *name, const char *zone,
    const char *apex);
/* A host's relative name ("@", "" or NULL: the apex) as a full name. */
char *aw_host_full_name(const char *rel, const char *zone);

/* DigitalOcean */
/* {id, message} -> err (AW_ERR_AUTH for 401/403, NOTFOUND for 404). */
enum aw_status aw_digitalocean_error(const char *body, size_t len,
    long status, struct aw_error *err);
/* POST/PUT body: name relative to zone, TXT data bare (see the file). */
char *aw_digitalocean_record_body(const struct aw_record *r,
    const char *zone, const char *value, unsigned ttl);
/* One page of domain_records of name (type or ANY) into out; recs_priv:
 * NULL or the host's own id list. *more: links.pages.next is there. */
enum aw_status aw_digitalocean_parse_records(const char *body, size_t len,
    const char *zone, const char *name, enum aw_record_type type,
    struct aw_record_set *out, void *recs_priv, bool *more,
    struct aw_error *err);

/* deSEC */
/* {"detail"} / {"field": ["..."]} / a bulk array of those -> err. */
enum aw_status aw_desec_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* The cursor of the Link header's rel="next" URL, or NULL. Caller frees. */
char *aw_desec_next_cursor(const char *link);
/* An array of RRsets {subname, type, ttl, records} into out (name, type or
 * ANY; TXT unquoted). */
enum aw_status aw_desec_parse_rrsets(const char *body, size_t len,
    const char *zone, const char *name, enum aw_record_type type,
    struct aw_record_set *out, struct aw_error *err);
/* The bulk PATCH body (SKIPPED left out; records [] deletes). Caller frees. */
char *aw_desec_patch_body(const struct aw_change *changes, size_t n,
    const char *zone, unsigned default_ttl);

/* Hetzner (Cloud API) */
/* {"error": {code, message}} -> err "Hetzner: code: message". */
enum aw_status aw_hetzner_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* One page of rrsets of name (type or ANY; TXT unquoted); *more:
 * meta.pagination.next_page is set. */
enum aw_status aw_hetzner_parse_rrsets(const char *body, size_t len,
    const char *zone, const char *name, enum aw_record_type type,
    struct aw_record_set *out, bool *more, struct aw_error *err);
/* The body for change c: create {name, type, ttl, records} when nothing
 * was there, else set_records {records}. Caller frees. */
char *aw_hetzner_change_body(const struct aw_change *c, const char *zone,
    unsigned default_ttl);
/* The change_ttl body of an update whose TTL changes: {"ttl": N}, null
 * below 60 (the zone's default). */
char *aw_hetzner_ttl_body(const struct aw_change *c);
/* Gandi LiveDNS */
/* {cause, code, message, object} -> err (AW_ERR_AUTH for 401/403). */
enum aw_status aw_gandi_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* One rrset object or an array of them into out (TXT unquoted). */
enum aw_status aw_gandi_parse_rrsets(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    struct aw_error *err);
/* {"rrset_values": [...], "rrset_ttl": N}: TXT quoted, split at 255;
 * NULL for a value outside printable ASCII or too long. Caller frees. */
char *aw_gandi_rrset_body(const struct aw_record *r, unsigned ttl);

/* Google Cloud DNS */
/* The service-account JWT (RS256, aud the Google token endpoint, exp
 * now + 3600), signed with key_pem; NULL with err filled. Caller frees. */
char *aw_gcloud_jwt(const char *email, const char *key_id,
    const char *key_pem, const char *scope, long long now,
    struct aw_error *err);
/* {"error": {code, message, errors: [{reason}]}} -> err. */
enum aw_status aw_gcloud_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* rrsets of name (type or ANY); *next: nextPageToken or NULL. */
enum aw_status aw_gcloud_parse_rrsets(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    char **next, struct aw_error *err);
/* A ResourceRecordSet (TXT quoted, split at 255). Caller frees. */
char *aw_gcloud_rrset_body(const struct aw_record *r, unsigned ttl);

/* Azure DNS */
/* CloudError {"error": {code, message}} -> err (412: AW_ERR_CONFLICT). */
enum aw_status aw_azure_error(const char *body, size_t len, long status,
    struct aw_error *err);
/* A RecordSet or a RecordSetListResult: the sets whose fqdn is name (TXT
 * strings joined); *etag (may be NULL) the ETag of the last one taken,
 * *next (may be NULL) the nextLink. Callers free. */
enum aw_status aw_azure_parse_sets(const char *body, size_t len,
    const char *name, enum aw_record_type type, struct aw_record_set *out,
    char **etag, char **next, struct aw_error *err);
/* {"properties": {TTL, <TYPE>Records}}: TXT values as 255-byte pieces.
 * NULL for a type not edited here. Caller frees. */
char *aw_azure_set_body(const struct aw_record *r, unsigned ttl);

#endif
