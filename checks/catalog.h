/* catalog.h: the sender catalog: what each email service asks a domain to
 * publish (SPF includes and their lookup cost, DKIM CNAMEs or TXT keys,
 * the verification TXT), read from data/senders.json and the user's own
 * $XDG_CONFIG_HOME/authwizard/senders.d/NAME.json. jansson is used here only
 * to read those files. Plain data: no DNS, no printing.
 *
 * Templates: DKIM selectors, CNAME targets and verification values may hold
 * {placeholders}. Two are filled by authwizard itself: {domain} (the
 * domain, A-labels) and {domain_dashed} (its dots turned into dashes);
 * every other one is listed in the service's placeholders with a
 * description, and the user supplies it (aw_catalog_expand). */
#ifndef AW_CATALOG_H
#define AW_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strv.h"

/* The catalog file name inside the data directory. */
#define AW_CATALOG_FILE "senders.json"

struct aw_sender_spf {
	char *include;        /* "_spf.google.com", lower-case */
	int lookups;          /* DNS-querying terms (RFC 7208 §4.6.4) the
	                       * include costs, itself counted; -1: unknown */
	char *lighter;        /* an include of the same service costing
	                       * fewer lookups, or NULL */
	char *note;           /* untranslated remark from the file, or NULL */
	char *source;         /* URL the fact comes from, or NULL */
	char *lookups_source; /* where lookups was read, when not source;
	                       * or NULL */
	char *lookups_observed;  /* the day it was read (YYYY-MM-DD), or NULL */
};

enum aw_sender_dkim_method {
	AW_SENDER_DKIM_NONE = 0,  /* the catalog does not say */
	AW_SENDER_DKIM_CNAME,     /* selectors delegated by CNAME */
	AW_SENDER_DKIM_TXT        /* the service gives a key to publish */
};

struct aw_sender_cname {
	char *selector;       /* template: "selector1", "{token1}" */
	char *target;         /* template of the CNAME target */
};

struct aw_sender_placeholder {
	char *name;           /* without braces: "tenant" */
	char *description;    /* untranslated, from the file */
};

struct aw_sender {
	char *id;             /* "google", "microsoft365", ... */
	char *name;           /* "Google Workspace" */
	char *category;       /* "mailbox", "esp", "crm", ... or NULL */
	struct aw_sender_spf *spf;
	size_t nspf;
	char *spf_note;       /* remark on SPF as a whole, or NULL */
	enum aw_sender_dkim_method dkim_method;
	struct aw_sender_cname *cnames;   /* CNAME method */
	size_t ncnames;
	struct aw_strv dkim_selectors;    /* TXT selectors the service uses
	                                   * (templates; legacy ones too) */
	struct aw_strv dkim_target_domains;  /* CNAME targets lie under these */
	char *dkim_note;
	char *dkim_source;
	char *verify_type;    /* "TXT" or "CNAME", or NULL when none */
	char *verify_name;    /* owner, relative: "@" or "_amazonses" */
	char *verify_value;   /* template: "google-site-verification={token}" */
	char *verify_source;
	struct aw_sender_placeholder *placeholders;
	size_t nplaceholders;
	char *origin;         /* the file it was read from */
};

struct aw_catalog;

/* An empty catalog; NULL on no memory. Free with aw_catalog_free. */
struct aw_catalog *aw_catalog_new(void);
/* NULL: no-op. Frees every service and string it handed out. */
void aw_catalog_free(struct aw_catalog *cat);

/* The catalog as installed: <datadir>/senders.json, where datadir is the
 * first directory of core/datadir.h's list that holds one ($AW_DATADIR,
 * the build tree, the install prefix), then every
 * $XDG_CONFIG_HOME/authwizard/senders.d/ *.json in name order (a service
 * with an id already known replaces it). A bad user file is skipped and
 * reported in aw_catalog_problems ("FILE:LINE: what"); the rest loads.
 * Fails (and fills err) only when the installed file cannot be read; when
 * none exists, err's message names every path tried. */
enum aw_status aw_catalog_load(struct aw_catalog **out, struct aw_error *err);
/* Adds the services of one file (the catalog form {"services": [...]} or
 * one service object). On a syntax or shape error nothing of the file is
 * added and err says FILE:LINE in where. */
enum aw_status aw_catalog_load_file(struct aw_catalog *cat, const char *path,
    struct aw_error *err);
/* The same from text in memory; origin names it in messages. */
enum aw_status aw_catalog_load_string(struct aw_catalog *cat, const char *json,
    const char *origin, struct aw_error *err);

/* One process-wide catalog, loaded on first use (for the checks and the
 * TUI). NULL when even the installed file could not be read: then
 * aw_catalog_default_error says why. Owned by the module; freed by
 * aw_catalog_default_free (e.g. at exit). */
const struct aw_catalog *aw_catalog_default(void);
const struct aw_error *aw_catalog_default_error(void);
void aw_catalog_default_free(void);

/* Messages about user files that were skipped ("FILE:LINE: what"). */
const struct aw_strv *aw_catalog_problems(const struct aw_catalog *cat);

/* Iteration, in file order. Pointers stay owned by the catalog. */
size_t aw_catalog_count(const struct aw_catalog *cat);
const struct aw_sender *aw_catalog_get(const struct aw_catalog *cat, size_t i);
/* By id (case-insensitive); NULL when unknown. */
const struct aw_sender *aw_catalog_find(const struct aw_catalog *cat,
    const char *id);
/* The service whose SPF includes list include (case-insensitive, trailing
 * dot ignored); *spf (may be NULL) gets the entry. NULL when none. */
const struct aw_sender *aw_catalog_find_by_include(const struct aw_catalog *cat,
    const char *include, const struct aw_sender_spf **spf);
/* A lighter variant of include (fewer lookups), or NULL when the catalog
 * knows none: "_spf.leaddesk.com" -> "_spf5.leaddesk.com". */
const char *aw_catalog_lighter_include(const struct aw_catalog *cat,
    const char *include);
/* The same in the shape of the SPF lint's hint callback (aw_spf_lighter_fn,
 * spf-lint.h): arg is the const struct aw_catalog * (NULL: no hint). The
 * string stays owned by the catalog. */
const char *aw_catalog_spf_lighter(void *arg, const char *include);
/* The service a DKIM CNAME target belongs to (the target lies under one
 * of its dkim_target_domains), or NULL. */
const struct aw_sender *aw_catalog_find_by_dkim_target(
    const struct aw_catalog *cat, const char *target);
/* Selectors worth probing when none is known (discovery), no templates. */
const struct aw_strv *aw_catalog_common_selectors(const struct aw_catalog *cat);

/* Fills a template: {domain} and {domain_dashed} from domain (may be NULL
 * when the template uses neither), other {name}s from names[i]/values[i].
 * *out (caller frees) gets the text. AW_ERR_INVALID when a placeholder has
 * no value: err names it. */
enum aw_status aw_catalog_expand(const char *tmpl, const char *domain,
    const char *const *names, const char *const *values, size_t n,
    char **out, struct aw_error *err);
/* True when tmpl holds a placeholder other than {domain}/{domain_dashed}. */
bool aw_catalog_template_needs_input(const char *tmpl);

#endif
