/* json.h: --json output helpers (jansson lives here and in providers/). */
#ifndef AW_CLI_JSON_H
#define AW_CLI_JSON_H

#include <stdio.h>

#include <jansson.h>

#include "checks/domain.h"
#include "checks/spf.h"
#include "core/strv.h"

/* A JSON string of untrusted text: kept exactly when it is valid UTF-8
 * (jansson escapes control characters), escaped like the human output
 * when it is not. Never NULL unless memory runs out. */
json_t *aw_json_text(const char *s);
json_t *aw_json_strv(const struct aw_strv *sv);
/* aw_json_text, or JSON null for NULL. */
json_t *aw_json_text_or_null(const char *s);
/* The fields of `spf --json` (domain, ip, sender, helo, result,
 * explanation, term, term_domain, reason, lookups, lookup_limit,
 * void_lookups) set on root; `spf --batch` adds its "line". */
void aw_json_spf_outcome(json_t *root, const char *domain, const char *ip,
    const char *sender, const char *helo, const struct aw_spf_outcome *o);
/* The "findings" array: {code, severity, message, rfc} per error and
 * warning. New reference. */
json_t *aw_json_findings(const struct aw_findings *f);
/* The common part of a section: area, name, status, record(s), errors,
 * warnings, notes, findings, lookups; then the area's own detail. */
json_t *aw_json_section(const struct aw_section *sec);
/* Prints v (stolen) as one document with a newline; false on failure. */
bool aw_json_print(FILE *out, json_t *v);
/* The same; compact: on one line (JSON Lines). */
bool aw_json_print_line(FILE *out, json_t *v, bool compact);

/* Between these two, the values jansson makes come from one arena that
 * aw_json_doc_end empties (freeing a value costs nothing): for a
 * document that is built, written and freed in between, and of which
 * nothing is kept. They nest; only the outermost end empties. */
void aw_json_doc_begin(void);
void aw_json_doc_end(void);

/* Area-specific output, tmux-style table (cli/render.c). */
struct aw_cli_render {
	const char *area;
	void (*human)(FILE *out, const struct aw_section *sec);
	void (*json)(json_t *obj, const struct aw_section *sec);
};
const struct aw_cli_render *aw_cli_render_find(const char *area);
extern const struct aw_cli_render aw_render_mx;
extern const struct aw_cli_render aw_render_spf;
extern const struct aw_cli_render aw_render_dkim;
extern const struct aw_cli_render aw_render_dmarc;
extern const struct aw_cli_render aw_render_ptr;
extern const struct aw_cli_render aw_render_helo;
extern const struct aw_cli_render aw_render_dnssec;
extern const struct aw_cli_render aw_render_dane;
extern const struct aw_cli_render aw_render_mta_sts;
extern const struct aw_cli_render aw_render_tls_rpt;
extern const struct aw_cli_render aw_render_bimi;
/* The human form of a section (title, status, records, messages). */
void aw_cli_print_section(FILE *out, const struct aw_section *sec);

#endif
