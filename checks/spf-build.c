/* spf-build.c: one SPF record from the published record(s) and the terms
 * a plan wants: keep every term in order, add only what is missing, keep
 * "all" last, and say what is risky (RFC 7208 §3.3, §4.6.4). */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf-build.h"
#include "checks/spf.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* RFC 7208 §3.4: keep the whole answer small enough for UDP. */
#define RECORD_UDP_ADVICE 450

struct bterm {
	char *text;      /* as it will be written (borrowed from a record) */
	char *key;       /* identity without qualifier, case, trailing dot */
	enum aw_spf_kind kind;
	enum aw_spf_result qualifier;
	size_t origin;   /* 1-based existing record, 0: wanted */
};

struct builder {
	struct bterm *v;
	size_t n;
	struct aw_spf_record **recs;
	size_t nrecs;
};

/* The identity of a term for duplicate detection: kind, target without
 * case or trailing dot, prefix lengths; ip4/ip6 in canonical form. */
static char *
term_key(const struct aw_spf_term *t)
{
	struct aw_buf b;
	char addr[64];

	aw_buf_init(&b);
	switch (t->kind) {
	case AW_SPF_IP4:
	case AW_SPF_IP6:
		inet_ntop(t->kind == AW_SPF_IP4 ? AF_INET : AF_INET6, t->addr,
		    addr, sizeof addr);
		aw_buf_printf(&b, "%s:%s/%d", aw_spf_kind_name(t->kind), addr,
		    t->kind == AW_SPF_IP4 ? (t->cidr4 < 0 ? 32 : t->cidr4) :
		    (t->cidr6 < 0 ? 128 : t->cidr6));
		break;
	case AW_SPF_UNKNOWN_MOD: {
		char *n = aw_domain_normalize(t->mod_name);

		aw_buf_printf(&b, "%s=%s", n ? n : "", t->mod_value);
		free(n);
		break;
	}
	default: {
		char *d = NULL;

		if (t->domain_spec != NULL) {
			/* Macros keep their case: %{D} is not %{d}. */
			if (aw_spf_has_macro(t->domain_spec)) {
				size_t l = strlen(t->domain_spec);

				d = strdup(t->domain_spec);
				if (d != NULL && l > 1 && d[l - 1] == '.')
					d[l - 1] = '\0';
			} else {
				d = aw_domain_normalize(t->domain_spec);
			}
		}
		aw_buf_printf(&b, "%s%s%s", aw_spf_kind_name(t->kind),
		    t->kind >= AW_SPF_REDIRECT ? "=" : ":", d ? d : "");
		if (t->cidr4 >= 0)
			aw_buf_printf(&b, "/%d", t->cidr4);
		if (t->cidr6 >= 0)
			aw_buf_printf(&b, "//%d", t->cidr6);
		free(d);
		break;
	}
	}
	return aw_buf_steal(&b);
}

static long
find_key(const struct builder *bd, const char *key)
{
	size_t i;

	for (i = 0; i < bd->n; i++)
		if (strcmp(bd->v[i].key, key) == 0)
			return (long)i;
	return -1;
}

static enum aw_status
push(struct builder *bd, const struct aw_spf_term *t, size_t origin,
    size_t at)
{
	struct bterm *grown, nt;

	memset(&nt, 0, sizeof nt);
	if ((nt.key = term_key(t)) == NULL)
		return AW_ERR_NOMEM;
	if ((nt.text = strdup(t->text)) == NULL) {
		free(nt.key);
		return AW_ERR_NOMEM;
	}
	nt.kind = t->kind;
	nt.qualifier = t->qualifier;
	nt.origin = origin;
	grown = realloc(bd->v, (bd->n + 1) * sizeof *grown);
	if (grown == NULL) {
		free(nt.key);
		free(nt.text);
		return AW_ERR_NOMEM;
	}
	bd->v = grown;
	if (at > bd->n)
		at = bd->n;
	memmove(&bd->v[at + 1], &bd->v[at], (bd->n - at) * sizeof *bd->v);
	bd->v[at] = nt;
	bd->n++;
	return AW_OK;
}

/* Strictness of an all qualifier for merging: - > ~ > ? > +. */
int
aw_spf_all_strictness(enum aw_spf_result q)
{
	switch (q) {
	case AW_SPF_FAIL: return 3;
	case AW_SPF_SOFTFAIL: return 2;
	case AW_SPF_NEUTRAL: return 1;
	default: return 0;
	}
}

/* Where new mechanisms go: before the first "all", else after the last
 * mechanism (before redirect=/exp=). */
static size_t
insert_point(const struct builder *bd)
{
	size_t i, at = 0;

	for (i = 0; i < bd->n; i++) {
		if (bd->v[i].kind == AW_SPF_ALL)
			return i;
		if (bd->v[i].kind < AW_SPF_REDIRECT)
			at = i + 1;
	}
	return at;
}

/* Parses "v=spf1 TERM" for one wanted term. */
static enum aw_status
parse_wanted(const char *term, struct aw_spf_record **rec,
    struct aw_error *err)
{
	struct aw_buf b;
	struct aw_error perr;
	enum aw_status st;

	if (term == NULL || term[0] == '\0' || strchr(term, ' ') != NULL)
		return aw_error_setw(err, AW_ERR_INVALID, term ? term : "",
		    _("not one SPF term: \"%s\""), term ? term : "");
	aw_buf_init(&b);
	if (aw_buf_printf(&b, "v=spf1 %s", term) != AW_OK) {
		aw_buf_done(&b);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	aw_error_clear(&perr);
	st = aw_spf_parse(aw_buf_str(&b), b.len, rec, &perr);
	aw_buf_done(&b);
	if (st != AW_OK)
		return aw_error_setw(err, st, term,
		    _("the term \"%s\" is not valid SPF: %s"), term, perr.msg);
	return AW_OK;
}

enum aw_spf_result
aw_spf_record_all(const char *record)
{
	struct aw_spf_record *rec = NULL;
	enum aw_spf_result q = AW_SPF_NONE;

	if (record == NULL || aw_spf_parse(record, strlen(record), &rec, NULL)
	    != AW_OK)
		return AW_SPF_NONE;
	if (rec->all >= 0)
		q = rec->terms[rec->all].qualifier;
	aw_spf_record_free(rec);
	return q;
}

/* The key of one wanted term ("include:x"), or NULL after err is set. */
static char *
wanted_key(const char *term, struct aw_spf_record **rec, struct aw_error *err)
{
	char *key;

	if (parse_wanted(term, rec, err) != AW_OK)
		return NULL;
	if ((*rec)->nterms != 1) {
		aw_spf_record_free(*rec);
		*rec = NULL;
		aw_error_setw(err, AW_ERR_INVALID, term,
		    _("not one SPF term: \"%s\""), term);
		return NULL;
	}
	if ((key = term_key(&(*rec)->terms[0])) == NULL) {
		aw_spf_record_free(*rec);
		*rec = NULL;
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	return key;
}

static void
builder_remove(struct builder *bd, size_t i)
{
	free(bd->v[i].text);
	free(bd->v[i].key);
	memmove(&bd->v[i], &bd->v[i + 1], (bd->n - i - 1) * sizeof *bd->v);
	bd->n--;
}

/* --spf-remove and --spf-replace on the merged existing terms. */
static enum aw_status
builder_edit(struct builder *bd, const struct aw_spf_want *want,
    struct aw_spf_build *out, struct aw_error *err)
{
	struct aw_spf_record *rec = NULL, *nrec = NULL;
	char *key, *nkey;
	size_t i;
	long at;

	for (i = 0; want != NULL && i < want->nremove; i++) {
		if ((key = wanted_key(want->remove[i], &rec, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_INVALID;
		at = find_key(bd, key);
		free(key);
		aw_spf_record_free(rec);
		if (at < 0)
			return aw_error_setw(err, AW_ERR_INVALID, want->remove[i],
			    _("\"%s\" is not in the SPF record: nothing to remove"),
			    want->remove[i]);
		aw_strv_pushf(&out->notes, _("removed \"%s\""), bd->v[at].text);
		builder_remove(bd, (size_t)at);
	}
	for (i = 0; want != NULL && i < want->nreplace; i++) {
		if ((key = wanted_key(want->replace_old[i], &rec, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_INVALID;
		aw_spf_record_free(rec);
		at = find_key(bd, key);
		free(key);
		if (at < 0)
			return aw_error_setw(err, AW_ERR_INVALID,
			    want->replace_old[i],
			    _("\"%s\" is not in the SPF record: nothing to replace"),
			    want->replace_old[i]);
		if ((nkey = wanted_key(want->replace_new[i], &nrec, err)) == NULL)
			return err != NULL ? err->status : AW_ERR_INVALID;
		aw_strv_pushf(&out->notes, _("\"%s\" replaced by \"%s\""),
		    bd->v[at].text, nrec->terms[0].text);
		if (find_key(bd, nkey) >= 0) {
			free(nkey);
			builder_remove(bd, (size_t)at);
		} else {
			char *text = strdup(nrec->terms[0].text);

			if (text == NULL) {
				free(nkey);
				aw_spf_record_free(nrec);
				return aw_error_set(err, AW_ERR_NOMEM,
				    _("out of memory"));
			}
			free(bd->v[at].text);
			free(bd->v[at].key);
			bd->v[at].text = text;
			bd->v[at].key = nkey;
			bd->v[at].kind = nrec->terms[0].kind;
			bd->v[at].qualifier = nrec->terms[0].qualifier;
		}
		aw_spf_record_free(nrec);
		nrec = NULL;
	}
	return AW_OK;
}

void
aw_spf_build_done(struct aw_spf_build *b)
{
	if (b == NULL)
		return;
	free(b->record);
	b->record = NULL;
	aw_strv_done(&b->notes);
	aw_strv_done(&b->warnings);
}

static void
builder_done(struct builder *bd)
{
	size_t i;

	for (i = 0; i < bd->n; i++) {
		free(bd->v[i].text);
		free(bd->v[i].key);
	}
	free(bd->v);
	for (i = 0; i < bd->nrecs; i++)
		aw_spf_record_free(bd->recs[i]);
	free(bd->recs);
}

enum aw_status
aw_spf_build(const char *const *existing, size_t nexisting,
    const struct aw_spf_want *want, struct aw_spf_build *out,
    struct aw_error *err)
{
	struct builder bd;
	struct aw_buf rb;
	long all_idx = -1, redirect_idx = -1, exp_idx = -1;
	enum aw_status st = AW_OK;
	size_t i, k;
	bool want_all = want != NULL && want->all != NULL;
	struct aw_spf_record *all_rec = NULL;

	memset(out, 0, sizeof *out);
	aw_strv_init(&out->notes);
	aw_strv_init(&out->warnings);
	memset(&bd, 0, sizeof bd);
	aw_buf_init(&rb);
	if (nexisting > 0 && (bd.recs = calloc(nexisting, sizeof *bd.recs))
	    == NULL) {
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto fail;
	}
	/* The existing record(s), term by term, in order. */
	for (i = 0; i < nexisting; i++) {
		struct aw_error perr;
		struct aw_spf_record *rec;

		aw_error_clear(&perr);
		if (aw_spf_parse(existing[i], strlen(existing[i]), &bd.recs[i],
		    &perr) != AW_OK) {
			st = aw_error_setw(err, AW_ERR_INVALID, perr.where,
			    _("existing SPF record %zu cannot be kept as it is: %s"),
			    i + 1, perr.msg);
			goto fail;
		}
		bd.nrecs++;
		rec = bd.recs[i];
		for (k = 0; k < rec->nterms; k++) {
			const struct aw_spf_term *t = &rec->terms[k];
			char *key;
			long dup;

			if (t->kind == AW_SPF_ALL) {
				if (all_idx >= 0) {
					/* Merge: keep the strictest all. */
					if (aw_spf_all_strictness(t->qualifier) >
					    aw_spf_all_strictness(bd.v[all_idx].qualifier)) {
						free(bd.v[all_idx].text);
						if ((bd.v[all_idx].text =
						    strdup(t->text)) == NULL)
							goto nomem;
						bd.v[all_idx].qualifier =
						    t->qualifier;
						bd.v[all_idx].origin = i + 1;
					}
					continue;
				}
				if (k + 1 < rec->nterms) {
					size_t j;

					for (j = k + 1; j < rec->nterms; j++)
						if (rec->terms[j].kind <
						    AW_SPF_REDIRECT)
							aw_strv_pushf(&out->warnings,
							    _("\"%s\" comes after \"%s\" and is never evaluated (RFC 7208 §5.1)"),
							    rec->terms[j].text,
							    t->text);
				}
			}
			if (t->kind == AW_SPF_REDIRECT && redirect_idx >= 0) {
				aw_strv_pushf(&out->warnings,
				    _("two redirect= modifiers cannot be merged; \"%s\" from SPF record %zu was left out"),
				    t->text, i + 1);
				continue;
			}
			if (t->kind == AW_SPF_EXP && exp_idx >= 0) {
				aw_strv_pushf(&out->warnings,
				    _("two exp= modifiers cannot be merged; \"%s\" from SPF record %zu was left out"),
				    t->text, i + 1);
				continue;
			}
			if ((key = term_key(t)) == NULL)
				goto nomem;
			dup = t->kind == AW_SPF_ALL ? -1 : find_key(&bd, key);
			free(key);
			if (dup >= 0) {
				if (bd.v[dup].origin != i + 1)
					aw_strv_pushf(&out->notes,
					    _("\"%s\" is in SPF records %zu and %zu; kept once"),
					    bd.v[dup].text,
					    (size_t)bd.v[dup].origin, i + 1);
				else
					aw_strv_pushf(&out->notes,
					    _("\"%s\" was listed twice; kept once"),
					    t->text);
				continue;
			}
			/* Mechanisms of a later record go before the all
			 * (and modifiers) collected so far. */
			if ((st = push(&bd, t, i + 1, t->kind < AW_SPF_REDIRECT &&
			    t->kind != AW_SPF_ALL ? insert_point(&bd) : bd.n))
			    != AW_OK)
				goto nomem;
			all_idx = redirect_idx = exp_idx = -1;
			for (size_t j = 0; j < bd.n; j++) {
				if (bd.v[j].kind == AW_SPF_ALL)
					all_idx = (long)j;
				else if (bd.v[j].kind == AW_SPF_REDIRECT)
					redirect_idx = (long)j;
				else if (bd.v[j].kind == AW_SPF_EXP)
					exp_idx = (long)j;
			}
		}
	}
	if (nexisting > 1) {
		for (i = 0; i < bd.n; i++)
			aw_strv_pushf(&out->notes,
			    _("\"%s\" comes from SPF record %zu"), bd.v[i].text,
			    (size_t)bd.v[i].origin);
		aw_strv_pushf(&out->notes,
		    _("%zu SPF records were merged into one: receivers treat more than one as a permanent error (RFC 7208 §4.5)"),
		    nexisting);
	}
	/* The wanted terms, each once. */
	for (i = 0; want != NULL && i < want->nterms; i++) {
		struct aw_spf_record *wr = NULL;
		const struct aw_spf_term *t;
		char *key;
		long dup;

		if ((st = parse_wanted(want->terms[i], &wr, err)) != AW_OK)
			goto fail;
		if (wr->nterms != 1) {
			aw_spf_record_free(wr);
			st = aw_error_setw(err, AW_ERR_INVALID, want->terms[i],
			    _("not one SPF term: \"%s\""), want->terms[i]);
			goto fail;
		}
		t = &wr->terms[0];
		if (t->kind == AW_SPF_ALL) {
			/* An "all" among the terms is the wanted all. */
			if (!want_all) {
				aw_spf_record_free(all_rec);
				all_rec = wr;
			} else {
				aw_spf_record_free(wr);
			}
			continue;
		}
		if ((key = term_key(t)) == NULL) {
			aw_spf_record_free(wr);
			goto nomem;
		}
		dup = find_key(&bd, key);
		free(key);
		if (dup >= 0) {
			if (bd.v[dup].qualifier != t->qualifier)
				aw_strv_pushf(&out->warnings,
				    _("\"%s\" is already published as \"%s\" with another qualifier; left as it is"),
				    t->text, bd.v[dup].text);
			aw_spf_record_free(wr);
			continue;
		}
		if (t->kind == AW_SPF_REDIRECT && redirect_idx >= 0) {
			aw_strv_pushf(&out->warnings,
			    _("the record already has \"%s\"; \"%s\" was not added"),
			    bd.v[redirect_idx].text, t->text);
			aw_spf_record_free(wr);
			continue;
		}
		st = push(&bd, t, 0, t->kind < AW_SPF_REDIRECT ?
		    insert_point(&bd) : bd.n);
		if (st == AW_OK)
			st = aw_strv_pushf(&out->notes, _("added \"%s\""),
			    t->text);
		aw_spf_record_free(wr);
		if (st != AW_OK)
			goto nomem;
		all_idx = redirect_idx = -1;
		for (k = 0; k < bd.n; k++) {
			if (bd.v[k].kind == AW_SPF_ALL)
				all_idx = (long)k;
			else if (bd.v[k].kind == AW_SPF_REDIRECT)
				redirect_idx = (long)k;
		}
	}
	/* Removals and swaps apply to the terms published and wanted. */
	if ((st = builder_edit(&bd, want, out, err)) != AW_OK)
		goto fail;
	all_idx = redirect_idx = exp_idx = -1;
	for (k = 0; k < bd.n; k++) {
		if (bd.v[k].kind == AW_SPF_ALL)
			all_idx = (long)k;
		else if (bd.v[k].kind == AW_SPF_REDIRECT)
			redirect_idx = (long)k;
		else if (bd.v[k].kind == AW_SPF_EXP)
			exp_idx = (long)k;
	}
	/* The all: as asked, else kept; a new record gets "~all". */
	{
		const char *wall = want_all ? want->all : NULL;
		struct aw_spf_record *ar = NULL;

		if (wall == NULL && all_rec != NULL)
			wall = all_rec->terms[0].text;
		if (wall == NULL && nexisting == 0 && redirect_idx < 0)
			wall = "~all";
		if (wall != NULL) {
			if ((st = parse_wanted(wall, &ar, err)) != AW_OK)
				goto fail;
			if (ar->nterms != 1 || ar->terms[0].kind != AW_SPF_ALL) {
				aw_spf_record_free(ar);
				st = aw_error_setw(err, AW_ERR_INVALID, wall,
				    _("not an \"all\" term: \"%s\""), wall);
				goto fail;
			}
			if (all_idx >= 0) {
				if (aw_spf_all_strictness(ar->terms[0].qualifier) <
				    aw_spf_all_strictness(bd.v[all_idx].qualifier)) {
					out->weakened = true;
					aw_strv_pushf(&out->warnings,
					    _("\"%s\" instead of \"%s\" weakens the domain's SPF policy: mail from hosts not listed is no longer refused as firmly"),
					    ar->terms[0].text, bd.v[all_idx].text);
				}
				if (strcmp(bd.v[all_idx].text,
				    ar->terms[0].text) != 0) {
					aw_strv_pushf(&out->notes,
					    _("\"%s\" replaced by \"%s\""),
					    bd.v[all_idx].text,
					    ar->terms[0].text);
					free(bd.v[all_idx].text);
					bd.v[all_idx].text =
					    strdup(ar->terms[0].text);
					bd.v[all_idx].qualifier =
					    ar->terms[0].qualifier;
				}
			} else {
				st = push(&bd, &ar->terms[0], 0,
				    insert_point(&bd));
				if (st == AW_OK && nexisting > 0)
					aw_strv_pushf(&out->notes,
					    _("added \"%s\""),
					    ar->terms[0].text);
			}
			aw_spf_record_free(ar);
			if (st != AW_OK || (all_idx >= 0 &&
			    bd.v[all_idx].text == NULL))
				goto nomem;
		}
	}
	/* The text, and what it costs. */
	all_idx = -1;
	if (aw_buf_puts(&rb, "v=spf1") != AW_OK)
		goto nomem;
	for (i = 0; i < bd.n; i++) {
		if (aw_buf_printf(&rb, " %s", bd.v[i].text) != AW_OK)
			goto nomem;
		if (bd.v[i].kind == AW_SPF_ALL) {
			all_idx = (long)i;
			if (bd.v[i].qualifier == AW_SPF_PASS)
				aw_strv_pushf(&out->warnings,
				    _("\"%s\" lets every host on the Internet send as this domain"),
				    bd.v[i].text);
		}
		if (bd.v[i].kind == AW_SPF_PTR)
			aw_strv_pushf(&out->warnings,
			    _("\"%s\": the ptr mechanism is slow and unreliable and SHOULD NOT be used (RFC 7208 §5.5)"),
			    bd.v[i].text);
	}
	for (i = 0; i < bd.n; i++)
		if (bd.v[i].kind == AW_SPF_REDIRECT && all_idx >= 0)
			aw_strv_pushf(&out->warnings,
			    _("\"%s\" is ignored because the record has \"%s\" (RFC 7208 §6.1)"),
			    bd.v[i].text, bd.v[all_idx].text);
	for (i = 0; i < bd.n; i++)
		if (aw_spf_kind_counts(bd.v[i].kind) &&
		    !(bd.v[i].kind == AW_SPF_REDIRECT && all_idx >= 0))
			out->lookups++;
	if (out->lookups > AW_SPF_MAX_LOOKUPS)
		aw_strv_pushf(&out->warnings,
		    _("the record has %u DNS-querying terms (include, a, mx, ptr, exists, redirect); receivers give a permanent error past %d (RFC 7208 §4.6.4)"),
		    out->lookups, AW_SPF_MAX_LOOKUPS);
	if (rb.len > 255)
		aw_strv_pushf(&out->warnings,
		    _("the record is %zu bytes long: it must be published as several strings of at most 255 bytes each, which some DNS hosts do not do for you (RFC 7208 §3.3)"),
		    rb.len);
	if (rb.len > RECORD_UDP_ADVICE)
		aw_strv_pushf(&out->warnings,
		    _("the record is over %d bytes; DNS answers that large may need TCP (RFC 7208 §3.4)"),
		    RECORD_UDP_ADVICE);
	if ((out->record = aw_buf_steal(&rb)) == NULL)
		goto nomem;
	out->changed = nexisting != 1 || strcmp(out->record, existing[0]) != 0;
	aw_spf_record_free(all_rec);
	builder_done(&bd);
	return AW_OK;
nomem:
	st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
fail:
	aw_spf_record_free(all_rec);
	aw_buf_done(&rb);
	builder_done(&bd);
	aw_spf_build_done(out);
	return st;
}
