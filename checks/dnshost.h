/* dnshost.h: the DNS host a zone is at, recognised from its NS set, and
 * how that host's web form wants a record typed. The table is data:
 * data/dnshosts.json (found like the sender catalog, core/datadir.h), each
 * host with its name server patterns, its authwizard provider id (or none)
 * and the source of its names. Plain data: no DNS, no printing. */
#ifndef AW_DNSHOST_H
#define AW_DNSHOST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strv.h"

#define AW_DNSHOSTS_FILE "dnshosts.json"

struct aw_dnshost {
	char *id;            /* "cloudflare" */
	char *name;          /* "Cloudflare" (untranslated, from the file) */
	struct aw_strv ns;   /* patterns, lower-case: "*.ns.cloudflare.com" */
	char *provider;      /* --provider id of an API path, or NULL; the
	                      * front end checks the build has it */
	bool names_full;     /* the form wants full names (else relative to
	                      * the zone, "@" for the apex) */
	bool txt_quoted;     /* TXT typed with its quotes */
	bool txt_split;      /* a TXT longer than 255 bytes typed as several
	                      * quoted strings of at most 255 */
	char *source;        /* the host's page naming its name servers */
};

struct aw_dnshosts {
	struct aw_dnshost *v;
	size_t n;
};

void aw_dnshosts_init(struct aw_dnshosts *t);
void aw_dnshosts_done(struct aw_dnshosts *t);
/* Reads the table from JSON text; origin names it in messages. On a
 * syntax or shape error nothing is added and err says ORIGIN:LINE or
 * "host N: what". */
enum aw_status aw_dnshosts_load_string(struct aw_dnshosts *t, const char *json,
    const char *origin, struct aw_error *err);
enum aw_status aw_dnshosts_load_file(struct aw_dnshosts *t, const char *path,
    struct aw_error *err);
/* One process-wide table, read on first use from the first data directory
 * (core/datadir.h) holding dnshosts.json. NULL when it could not be read
 * (nothing is then recognised). Freed by aw_dnshosts_default_free. */
const struct aw_dnshosts *aw_dnshosts_default(void);
void aw_dnshosts_default_free(void);
/* By id; NULL when unknown. */
const struct aw_dnshost *aw_dnshosts_find(const struct aw_dnshosts *t,
    const char *id);

enum aw_dnshost_match {
	AW_DNSHOST_UNKNOWN = 0,   /* no NS, or none of them is a known host's */
	AW_DNSHOST_FOUND,         /* every NS is the one host's */
	AW_DNSHOST_MIXED          /* NS of several hosts, or known and unknown */
};
/* The host of a zone from its NS names (trailing dot and case ignored).
 * *out gets the host when FOUND, else NULL. t NULL: UNKNOWN. */
enum aw_dnshost_match aw_dnshost_match(const struct aw_dnshosts *t,
    const char *const *ns, size_t nns, const struct aw_dnshost **out);
struct aw_authority;
/* The same over the zone's own NS set (at_zone) of an authority result
 * (checks/authority.h, aw_authority_find_ns). */
enum aw_dnshost_match aw_dnshost_match_authority(const struct aw_dnshosts *t,
    const struct aw_authority *auth, const struct aw_dnshost **out);
/* True when name (no trailing dot, any case) matches pattern. */
bool aw_dnshost_pattern_match(const char *pattern, const char *name);

/* The record as the host's form wants it typed: *name_out the name field
 * (relative to zone, "@" for the apex, or the full name), *value_out the
 * value (a TXT quoted and split into 255-byte strings as the host wants;
 * other types as given). name and zone are A-labels without trailing dot;
 * value is the record's text (a TXT unquoted, joined). Caller frees. */
enum aw_status aw_dnshost_form(const struct aw_dnshost *h, const char *zone,
    const char *name, const char *type, const char *value, char **name_out,
    char **value_out);
#endif
