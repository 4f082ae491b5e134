/* spf-terms.c: SPF record text as terms (see spf-terms.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/spf-terms.h"
#include "checks/spf-build.h"
#include "checks/spf.h"
#include "core/buf.h"
#include "core/str.h"

bool
aw_spf_is_record_str(const char *txt)
{
	return txt != NULL && aw_spf_is_record(txt, strlen(txt));
}

static const char *
skip_qualifier(const char *t)
{
	return *t == '+' || *t == '-' || *t == '~' || *t == '?' ? t + 1 : t;
}

bool
aw_spf_term_equal(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return false;
	if (*a == '+')
		a++;
	if (*b == '+')
		b++;
	la = strlen(a);
	lb = strlen(b);
	if (la > 0 && a[la - 1] == '.')
		la--;
	if (lb > 0 && b[lb - 1] == '.')
		lb--;
	return la == lb && aw_strncasecmp(a, b, la) == 0;
}

bool
aw_spf_terms_have(const char *const *terms, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (aw_spf_term_equal(terms[i], t))
			return true;
	return false;
}

bool
aw_spf_term_is_all(const char *t)
{
	return t != NULL && aw_strcasecmp(skip_qualifier(t), "all") == 0;
}

int
aw_spf_all_term_strictness(const char *t)
{
	if (!aw_spf_term_is_all(t))
		return -1;
	switch (*t) {
	case '-': return aw_spf_all_strictness(AW_SPF_FAIL);
	case '~': return aw_spf_all_strictness(AW_SPF_SOFTFAIL);
	case '?': return aw_spf_all_strictness(AW_SPF_NEUTRAL);
	default: return aw_spf_all_strictness(AW_SPF_PASS);
	}
}

const char *
aw_spf_strictest_all(const char *const *records, size_t n)
{
	static const char *const words[] = { "+all", "?all", "~all", "-all" };
	int best = -1;
	size_t r;

	for (r = 0; r < n; r++) {
		struct aw_strv terms;
		char *all = NULL;
		int s;

		aw_strv_init(&terms);
		if (aw_spf_split(records[r], &terms, &all, NULL) == AW_OK &&
		    (s = aw_spf_all_term_strictness(all)) > best)
			best = s;
		free(all);
		aw_strv_done(&terms);
	}
	return best < 0 ? NULL : words[best];
}

/* A term parses on its own (RFC 7208 §12). */
static bool
term_parses(const char *t, size_t len)
{
	struct aw_spf_record *rec = NULL;
	struct aw_buf b;
	bool ok;

	aw_buf_init(&b);
	aw_buf_puts(&b, "v=spf1 ");
	aw_buf_append(&b, t, len);
	ok = aw_buf_str(&b) != NULL &&
	    aw_spf_parse(aw_buf_str(&b), b.len, &rec, NULL) == AW_OK &&
	    rec->nterms == 1;
	aw_spf_record_free(rec);
	aw_buf_done(&b);
	return ok;
}

enum aw_status
aw_spf_split(const char *record, struct aw_strv *terms, char **all,
    size_t *invalid)
{
	const char *p, *e;
	size_t bad = 0;

	if (all != NULL)
		*all = NULL;
	if (invalid != NULL)
		*invalid = 0;
	if (!aw_spf_is_record_str(record))
		return AW_ERR_INVALID;
	for (p = record + 6; *p != '\0'; p = e) {
		char *t;

		while (*p == ' ')
			p++;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		if (e == p)
			break;
		if (!term_parses(p, (size_t)(e - p))) {
			bad++;
			continue;
		}
		if ((t = strndup(p, (size_t)(e - p))) == NULL)
			return AW_ERR_NOMEM;
		if (aw_spf_term_is_all(t)) {
			if (all != NULL && *all == NULL)
				*all = t;
			else
				free(t);
			continue;
		}
		if (!aw_spf_terms_have((const char *const *)terms->v, terms->n, t) &&
		    aw_strv_push(terms, t) != AW_OK) {
			free(t);
			return AW_ERR_NOMEM;
		}
		free(t);
	}
	if (invalid != NULL)
		*invalid = bad;
	return AW_OK;
}

int
aw_spf_record_lookups(const char *record)
{
	struct aw_spf_record *rec = NULL;
	size_t i;
	int n = 0;

	if (record == NULL ||
	    aw_spf_parse(record, strlen(record), &rec, NULL) != AW_OK)
		return -1;
	for (i = 0; i < rec->nterms; i++)
		if (aw_spf_kind_counts(rec->terms[i].kind))
			n++;
	aw_spf_record_free(rec);
	return n;
}

int
aw_spf_term_lookups(const char *term)
{
	struct aw_buf b;
	int n;

	aw_buf_init(&b);
	aw_buf_puts(&b, "v=spf1 ");
	aw_buf_puts(&b, term);
	n = aw_spf_record_lookups(aw_buf_str(&b));
	aw_buf_done(&b);
	return n;
}

const char *
aw_spf_include_target(const char *t)
{
	t = skip_qualifier(t);
	return aw_str_has_prefix_ci(t, "include:") ? t + 8 : NULL;
}
