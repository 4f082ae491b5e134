/* spf-terms.h: SPF record text as terms, for the front ends and the plan:
 * "is this an SPF record", term equality, the "all" of a record and which
 * is strictest, splitting a record into its terms and counting its
 * DNS-querying terms. Every rule here is RFC 7208's and lives only here;
 * no front end splits a record itself. Plain functions, no DNS. */
#ifndef AW_SPF_TERMS_H
#define AW_SPF_TERMS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strv.h"

/* RFC 7208 §4.5 on a NUL-terminated text: "v=spf1" (any case) followed
 * by a space or the end ("v=spf10" is not SPF). NULL: false. */
bool aw_spf_is_record_str(const char *txt);

/* RFC 7208 §4.6.1, §4.6.2: two terms as written are the same term when
 * they differ only in case, a "+" qualifier (the default) or a trailing
 * dot of their domain. */
bool aw_spf_term_equal(const char *a, const char *b);
/* True when t equals one of terms[0..n). */
bool aw_spf_terms_have(const char *const *terms, size_t n, const char *t);

/* True when t is the "all" mechanism with any qualifier (RFC 7208 §5.1). */
bool aw_spf_term_is_all(const char *t);
/* How strict the "all" term t is, on aw_spf_all_strictness's scale
 * (spf-build.h: "-all" 3, "~all" 2, "?all" 1, "+all"/"all" 0); -1 when t
 * is not "all". */
int aw_spf_all_term_strictness(const char *t);
/* The strictest "all" of the records (static "-all", "~all", "?all" or
 * "+all"), or NULL when none has one. Records that are not SPF are
 * skipped. */
const char *aw_spf_strictest_all(const char *const *records, size_t n);

/* Splits an SPF record into its terms as written (RFC 7208 §4.6.1: terms
 * are separated by spaces), without the version and without "all": the
 * terms go to terms (appended, each once: aw_spf_term_equal), the record's
 * first "all" to *all (caller frees; may be NULL: not wanted; NULL when
 * the record has none). A term that does not parse on its own (RFC 7208
 * §12 ABNF) is left out and counted in *invalid (may be NULL).
 * AW_ERR_INVALID when record is not an SPF record; AW_ERR_NOMEM. */
enum aw_status aw_spf_split(const char *record, struct aw_strv *terms,
    char **all, size_t *invalid);

/* The DNS-querying terms of the record itself (RFC 7208 §4.6.4: include,
 * a, mx, ptr, exists, redirect), nested includes not followed (the lookup
 * tree, spf-lint.h, counts those); -1 when the record does not parse. */
int aw_spf_record_lookups(const char *record);
/* The same for one term as written: 1 or 0; -1 when it does not parse. */
int aw_spf_term_lookups(const char *term);
/* The target of an include term as written ("~include:x.example" ->
 * "x.example"), or NULL when t is not an include: points into t. */
const char *aw_spf_include_target(const char *t);

#endif
