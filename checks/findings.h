/* findings.h: what one check concluded: a status, the records it looked
 * at, errors, warnings, and every lookup with what DNS said. Checks fill
 * it; the CLI and the TUI show it. Plain data, no I/O. */
#ifndef AW_FINDINGS_H
#define AW_FINDINGS_H

#include "checks/dns.h"
#include "core/strv.h"

enum aw_check_status {
	AW_CHECK_PENDING = 0,   /* answers still arriving */
	AW_CHECK_OK,
	AW_CHECK_WARNING,
	AW_CHECK_ERROR,
	AW_CHECK_MISSING        /* nothing published */
};

struct aw_lookup_note {
	char *name;
	enum aw_record_type type;
	enum aw_dns_result result;
	size_t count;           /* records of the type found */
};

/* One finding with a stable code: what the wizard and scripts match on
 * (never the message text, which is translated). */
enum aw_severity {
	AW_SEV_NOTE = 0,
	AW_SEV_WARNING,
	AW_SEV_ERROR
};

struct aw_finding {
	const char *code;           /* stable ASCII id, "spf.lookup-limit"; static */
	enum aw_severity severity;
	const char *rfc;            /* "RFC 7208 §4.6.4", or NULL; static */
	char *message;              /* rendered in the user's language */
};

struct aw_findings {
	enum aw_check_status status;
	struct aw_strv records;     /* the texts checked, raw (escape to show) */
	struct aw_strv errors;      /* translated sentences */
	struct aw_strv warnings;
	struct aw_strv notes;       /* informational lines */
	struct aw_lookup_note *lookups;
	size_t nlookups;
	bool dns_failure;           /* some lookup failed (not NX/NODATA) */
	struct aw_finding *items;   /* every error, warning and note, coded */
	size_t nitems;
};

void aw_findings_init(struct aw_findings *f);
void aw_findings_done(struct aw_findings *f);
/* Add a coded finding: the message goes to items[] and to errors,
 * warnings or notes by its severity; an error raises the status to error,
 * a warning to at least warning. code and rfc must be static strings
 * (rfc may be NULL). This is the one way checks report. */
void aw_findings_add(struct aw_findings *f, enum aw_severity sev,
    const char *code, const char *rfc, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* The first finding with this code, or NULL. */
const struct aw_finding *aw_findings_find(const struct aw_findings *f,
    const char *code);
/* "error", "warning", "note". */
const char *aw_severity_name(enum aw_severity s);

/* Records the lookup behind ans (name, type, result, count); a DNS
 * failure sets dns_failure and adds an error naming it. */
void aw_findings_lookup(struct aw_findings *f, const struct aw_dns_answer *ans);
/* Raise the status to s if s is worse (pending < ok < missing < warning <
 * error in severity). */
void aw_findings_raise(struct aw_findings *f, enum aw_check_status s);

/* How bad a status is: pending 0 < ok < missing < warning < error 4. */
int aw_check_status_rank(enum aw_check_status s);
/* "ok", "warning", "error", "missing", "pending". */
const char *aw_check_status_name(enum aw_check_status s);
const char *aw_check_status_text(enum aw_check_status s);  /* translated */

#endif
