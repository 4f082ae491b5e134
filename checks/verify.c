/* verify.c: one customer domain against one service of the sender catalog
 * (verify.h). The lookups are the domain check's (checks/domain.h: SPF
 * with its lint tree, DMARC with its tree walk, DKIM at the service's
 * selectors) plus the verification record through the same source; the
 * verdict is judged here once all are in. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <strings.h>

#include "checks/dkim.h"
#include "checks/dmarc.h"
#include "checks/domain.h"
#include "checks/spf-build.h"
#include "checks/spf-lint.h"
#include "checks/verify.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* A client no sender uses (RFC 1112 §4: class E, reserved): the macro
 * pass asks for a message from it so that no address term matches and
 * the evaluation goes through the whole record, as the lint does. */
#define VERIFY_MACRO_IP "240.0.0.1"

/* How a template is filled: EXACT needs every value; GLOB puts '*' for a
 * missing one (to match against), LITERAL keeps "{name}" (to show). */
enum fill { FILL_EXACT, FILL_GLOB, FILL_LITERAL };

struct aw_verify {
	char *domain;
	const struct aw_verify_opts *opts;
	struct aw_domain_check *dc;
	struct aw_domain_check_opts dopts;
	const char *areas[3];
	struct aw_strv selectors;        /* the selectors asked */
	/* Names and values for aw_catalog_expand, per fill. */
	const char **names, **vals[3];
	struct aw_strv literal;          /* "{name}" strings (owned) */
	size_t nnames;
	struct aw_strv reported;         /* missing variables reported */
	char *vname;                     /* verification record's owner */
	enum aw_record_type vtype;
	struct aw_dns_answer *vans;
	struct aw_spf_tree *mtree;       /* the macro pass, or NULL */
	struct aw_spf_query mquery;
	char *msender;
	unsigned pending;
	bool starting, finished, mtree_done;
	aw_verify_cb done;
	void *arg;
	struct aw_verify_result res;
};

const char *
aw_verify_status_name(enum aw_verify_status s)
{
	switch (s) {
	case AW_VERIFY_PASS: return "pass";
	case AW_VERIFY_FAIL: return "fail";
	case AW_VERIFY_DNS_FAILURE: return "dns-failure";
	default: return "pending";
	}
}

const char *
aw_verify_code_area(const char *code)
{
	static const char *const areas[] = { "spf", "dkim", "dmarc",
	    "verification", "dns" };
	size_t i, n;

	if (strncmp(code, "verify.", 7) == 0)
		code += 7;
	for (i = 0; i < sizeof areas / sizeof areas[0]; i++) {
		n = strlen(areas[i]);
		if (strncmp(code, areas[i], n) == 0 && code[n] == '-')
			return areas[i];
	}
	return "service";
}

bool
aw_verify_glob(const char *pat, const char *text, bool ci)
{
	const char *star = NULL, *resume = NULL;

	while (*text != '\0') {
		if (*pat == '*') {
			star = pat++;
			resume = text;
		} else if (*pat != '\0' && (ci ? tolower((unsigned char)*pat) ==
		    tolower((unsigned char)*text) : *pat == *text)) {
			pat++;
			text++;
		} else if (star != NULL) {
			pat = star + 1;
			text = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

/* The template variables: the ones given, then every placeholder of the
 * service without a value (NULL / "*" / "{name}" by fill). */
static enum aw_status
vars_setup(struct aw_verify *v)
{
	const struct aw_sender *svc = v->opts->service;
	size_t i, k, max = v->opts->nvars + svc->nplaceholders, n = 0;

	v->names = calloc(max + 1, sizeof *v->names);
	for (k = 0; k < 3; k++)
		v->vals[k] = calloc(max + 1, sizeof *v->vals[k]);
	if (v->names == NULL || v->vals[0] == NULL || v->vals[1] == NULL ||
	    v->vals[2] == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < v->opts->nvars; i++, n++) {
		v->names[n] = v->opts->names[i];
		for (k = 0; k < 3; k++)
			v->vals[k][n] = v->opts->values[i];
	}
	for (i = 0; i < svc->nplaceholders; i++) {
		const char *name = svc->placeholders[i].name;

		for (k = 0; k < v->opts->nvars; k++)
			if (strcmp(v->opts->names[k], name) == 0)
				break;
		if (k < v->opts->nvars)
			continue;
		if (aw_strv_pushf(&v->literal, "{%s}", name) != AW_OK)
			return AW_ERR_NOMEM;
		v->names[n] = name;
		v->vals[FILL_EXACT][n] = NULL;
		v->vals[FILL_GLOB][n] = "*";
		v->vals[FILL_LITERAL][n] = v->literal.v[v->literal.n - 1];
		n++;
	}
	v->nnames = n;
	return AW_OK;
}

/* The template filled (caller frees), or NULL; for FILL_EXACT with what
 * (what needs it) a missing variable is reported once
 * (verify.service-var-missing). */
static char *
fill(struct aw_verify *v, const char *tmpl, enum fill how, const char *what)
{
	struct aw_error err;
	char *out = NULL;

	aw_error_clear(&err);
	if (aw_catalog_expand(tmpl, v->domain, v->names, v->vals[how],
	    v->nnames, &out, &err) == AW_OK)
		return out;
	if (how == FILL_EXACT && what != NULL && err.status == AW_ERR_INVALID &&
	    aw_strv_find(&v->reported, err.where) < 0) {
		aw_strv_push(&v->reported, err.where);
		aw_findings_add(&v->res.f, AW_SEV_ERROR,
		    "verify.service-var-missing", NULL,
		    _("%s cannot be checked: it needs {%s} (give it with --var %s=VALUE or a column of the domains file)"),
		    what, err.where, err.where);
	}
	return NULL;
}

/* A zone-file line for a TXT record: quoted character-strings of at most
 * 255 bytes, '"' and '\' escaped, other bytes outside printable ASCII as
 * \DDD (RFC 1035 §5.1). Caller frees. */
static char *
txt_line(const char *owner, const char *text)
{
	struct aw_buf b;
	size_t i, len = strlen(text);

	aw_buf_init(&b);
	aw_buf_printf(&b, "%s. %d IN TXT", owner, AW_VERIFY_TTL);
	if (len > AW_DKIM_TXT_STRING_MAX)
		aw_buf_puts(&b, " (");
	for (i = 0; i < len || i == 0; i++) {
		unsigned char c = (unsigned char)text[i];

		if (i % AW_DKIM_TXT_STRING_MAX == 0)
			aw_buf_puts(&b, i == 0 ? " \"" : "\" \"");
		if (i == len)
			break;
		if (c == '"' || c == '\\')
			aw_buf_printf(&b, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			aw_buf_printf(&b, "\\%03u", c);
		else
			aw_buf_putc(&b, (char)c);
	}
	aw_buf_putc(&b, '"');
	if (len > AW_DKIM_TXT_STRING_MAX)
		aw_buf_puts(&b, " )");
	return aw_buf_steal(&b);
}

static void
add_record(struct aw_verify *v, char *line)
{
	if (line != NULL && aw_strv_find(&v->res.records, line) < 0)
		aw_strv_push(&v->res.records, line);
	free(line);
}

static struct aw_section *
find_section(struct aw_verify *v, const char *area, const char *key)
{
	size_t i;

	for (i = 0; i < aw_domain_check_count(v->dc); i++) {
		struct aw_section *sec = aw_domain_check_section(v->dc, i);

		if (strcmp(sec->area, area) == 0 && (key == NULL ||
		    (sec->key != NULL && strcmp(sec->key, key) == 0)))
			return sec;
	}
	return NULL;
}

/* ---- SPF ---- */

/* The service include this node or one below it reaches, or NULL. */
static const char *
tree_reaches(const struct aw_spf_node *n, const struct aw_sender *svc)
{
	const char *found = NULL;
	size_t i;

	if (n == NULL)
		return NULL;
	if (n->parent != NULL && n->state != AW_SPF_NODE_MACRO)
		for (i = 0; i < svc->nspf; i++)
			if (aw_domain_equal(n->domain, svc->spf[i].include))
				return svc->spf[i].include;
	for (i = 0; i < n->nchildren && found == NULL; i++)
		found = tree_reaches(n->children[i], svc);
	return found;
}

static bool
tree_has_macro(const struct aw_spf_node *n)
{
	size_t i;

	if (n == NULL)
		return false;
	if (n->state == AW_SPF_NODE_MACRO)
		return true;
	for (i = 0; i < n->nchildren; i++)
		if (tree_has_macro(n->children[i]))
			return true;
	return false;
}

/* The include to suggest: the service's first, or its lighter variant
 * when the first would take the record past the lookup limit. */
static const char *
spf_suggest(const struct aw_sender *svc, const struct aw_spf_tree *tree)
{
	const struct aw_sender_spf *s = &svc->spf[0];
	unsigned cost = s->lookups > 0 ? (unsigned)s->lookups : 1;

	if (s->lighter != NULL && tree != NULL &&
	    tree->lookups + cost > AW_SPF_MAX_LOOKUPS)
		return s->lighter;
	return s->include;
}

/* The SPF record with want applied to what is published, as a zone line. */
static void
spf_record(struct aw_verify *v, const struct aw_strv *existing,
    const struct aw_spf_want *want)
{
	struct aw_spf_build b;
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_spf_build((const char *const *)existing->v, existing->n, want,
	    &b, &err) != AW_OK)
		return;
	add_record(v, txt_line(v->domain, b.record));
	aw_spf_build_done(&b);
}

/* The heavy include in the record swapped for its lighter variant, when
 * that is what breaks it; else false. */
static bool
spf_lighter_fix(struct aw_verify *v, const struct aw_section *sec,
    const struct aw_spf_tree *tree)
{
	const struct aw_sender *svc = v->opts->service;
	char *old = NULL, *new = NULL;
	struct aw_spf_want want;
	size_t i, k;
	bool done = false;

	for (i = 0; i < svc->nspf && !done; i++) {
		if (svc->spf[i].lighter == NULL || tree->root == NULL)
			continue;
		for (k = 0; k < tree->root->nchildren && !done; k++) {
			const struct aw_spf_node *c = tree->root->children[k];

			if (c->via_kind != AW_SPF_INCLUDE ||
			    !aw_domain_equal(c->domain, svc->spf[i].include))
				continue;
			if (asprintf(&old, "include:%s", svc->spf[i].include) < 0 ||
			    asprintf(&new, "include:%s", svc->spf[i].lighter) < 0)
				break;
			memset(&want, 0, sizeof want);
			want.replace_old = (const char *const *)&old;
			want.replace_new = (const char *const *)&new;
			want.nreplace = 1;
			spf_record(v, &sec->f.records, &want);
			aw_findings_add(&v->res.f, AW_SEV_NOTE,
			    "verify.spf-lighter", NULL,
			    _("%s offers the lighter include %s: using it instead of %s saves lookups"),
			    svc->name, svc->spf[i].lighter, svc->spf[i].include);
			done = true;
		}
	}
	free(old);
	free(new);
	return done;
}

static void
judge_spf(struct aw_verify *v)
{
	const struct aw_sender *svc = v->opts->service;
	struct aw_section *sec = find_section(v, "spf", NULL);
	const struct aw_spf_tree *tree = sec ? sec->detail : NULL;
	struct aw_findings *f = &v->res.f;
	const char *reached;
	char *term = NULL;

	if (svc->nspf == 0) {
		aw_findings_add(f, AW_SEV_NOTE, "verify.spf-not-needed", NULL,
		    _("%s asks for no SPF include: it sends with its own bounce address"),
		    svc->name);
		return;
	}
	if (sec == NULL || tree == NULL || tree->root == NULL ||
	    sec->f.dns_failure)
		return;
	reached = tree_reaches(tree->root, svc);
	if (reached == NULL && v->mtree != NULL)
		reached = tree_reaches(v->mtree->root, svc);
	if (tree->root->state == AW_SPF_NODE_NONE) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.spf-missing",
		    "RFC 7208 §4.5",
		    _("%s publishes no SPF record: %s is not authorized to send as it"),
		    v->domain, svc->name);
	} else if (reached == NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.spf-include-missing",
		    "RFC 7208 §5.2",
		    _("the SPF record of %s does not reach %s (%s's include) by evaluation: %s is not authorized"),
		    v->domain, svc->spf[0].include, svc->name, svc->name);
	} else if (v->mtree != NULL && tree_reaches(tree->root, svc) == NULL) {
		aw_findings_add(f, AW_SEV_NOTE, "verify.spf-via-macro", NULL,
		    _("%s is reached only through a macro, for a message from postmaster@%s"),
		    reached, v->domain);
	}
	if (reached == NULL) {
		struct aw_spf_want want;
		const char *inc = spf_suggest(svc, tree);

		memset(&want, 0, sizeof want);
		if (asprintf(&term, "include:%s", inc) >= 0) {
			want.terms = (const char *const *)&term;
			want.nterms = 1;
			spf_record(v, &sec->f.records, &want);
			free(term);
		}
	}
	/* RFC 7208 §4.6.4, §2.6.7: a record receivers reject as a whole
	 * authorizes nobody: the service is not set up either. */
	if (tree->root->state != AW_SPF_NODE_NONE &&
	    tree->verdict == AW_SPF_PERMERROR) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.spf-broken",
		    "RFC 7208 §4.6.4",
		    _("the SPF record of %s is not valid (%u DNS lookups, at most %d): %s; receivers return permerror for all its mail"),
		    v->domain, tree->lookups, AW_SPF_MAX_LOOKUPS,
		    tree->verdict_reason ? tree->verdict_reason : "permerror");
		if (reached != NULL)
			spf_lighter_fix(v, sec, tree);
	}
}

/* ---- DKIM ---- */

/* The key at a selector's section usable and strong enough; else the
 * problem is reported into f (an error) and false. */
static bool
key_ok(struct aw_verify *v, const struct aw_dkim_detail *d,
    const char *selector, struct aw_findings *f)
{
	if (!d->has_key) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-key-missing",
		    "RFC 6376 §3.6.2.2",
		    _("no DKIM key is published at %s._domainkey.%s%s%s"),
		    selector, v->domain, d->chain.n ? " -> " : "",
		    d->chain.n ? d->chain.v[d->chain.n - 1] : "");
		return false;
	}
	if (d->key.type == AW_DKIM_KEY_RSA && d->key.bits > 0 &&
	    d->key.bits < AW_DKIM_RSA_MIN_BITS) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-key-weak",
		    "RFC 8301 §3.2",
		    _("the DKIM key at %s._domainkey.%s has %u bits; verifiers need at least %d"),
		    selector, v->domain, d->key.bits, AW_DKIM_RSA_MIN_BITS);
		return false;
	}
	if (!d->key.usable || d->key.revoked) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-key-unusable",
		    "RFC 6376 §3.6.1",
		    _("the DKIM key at %s._domainkey.%s cannot verify signatures (revoked or invalid)"),
		    selector, v->domain);
		return false;
	}
return true;
}

/* One CNAME selector of the service; false (problems in f, records in
 * recs) when it is not as the service publishes it. */
static bool
judge_cname(struct aw_verify *v, const struct aw_sender_cname *c,
    struct aw_findings *f, struct aw_strv *recs)
{
	char *sel, *exact, *glob, *lit, *line = NULL;
	struct aw_section *sec;
	const struct aw_dkim_detail *d;
	bool good = false;

	if ((sel = fill(v, c->selector, FILL_EXACT, _("a DKIM selector"))) == NULL)
		return false;
	exact = fill(v, c->target, FILL_EXACT, NULL);
	glob = fill(v, c->target, FILL_GLOB, NULL);
	lit = fill(v, c->target, FILL_LITERAL, NULL);
	sec = find_section(v, "dkim", sel);
	d = sec ? sec->detail : NULL;
	if (d == NULL || glob == NULL || lit == NULL ||
	    asprintf(&line, "%s._domainkey.%s. %d IN CNAME %s.", sel, v->domain,
	    AW_VERIFY_TTL, lit) < 0)
		goto done;
	if (d->chain.n == 0 && d->has_key) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-not-delegated", NULL,
		    _("a key is published at %s._domainkey.%s itself; %s publishes it by CNAME to %s (replace the TXT record)"),
		    sel, v->domain, v->opts->service->name, lit);
	} else if (d->chain.n == 0) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-cname-missing", NULL,
		    _("%s._domainkey.%s is not delegated to %s: the CNAME to %s is missing"),
		    sel, v->domain, v->opts->service->name, lit);
	} else if (exact != NULL ? !aw_domain_equal(d->chain.v[0], exact) :
	    !aw_verify_glob(glob, d->chain.v[0], true)) {
		aw_findings_add(f, AW_SEV_ERROR, "verify.dkim-cname-wrong", NULL,
		    _("%s._domainkey.%s points to %s%s%s%s, not to %s"),
		    sel, v->domain, d->chain.v[0], d->service_name ? " (" : "",
		    d->service_name ? d->service_name : "",
		    d->service_name ? ")" : "", lit);
	} else {
		good = key_ok(v, d, sel, f);
		goto done;   /* a missing key there is the service's to fix */
	}
	aw_strv_push(recs, line);
done:
	free(line);
	free(sel);
	free(exact);
	free(glob);
	free(lit);
	return good;
}

/* A TXT selector of the service with a usable key (quietly: any one
 * will do), or else the problem of the first into f. */
static bool
judge_txt_selectors(struct aw_verify *v, struct aw_findings *f,
    struct aw_strv *recs)
{
	const struct aw_sender *svc = v->opts->service;
	struct aw_findings first;
	char *first_sel = NULL;
	bool good = false;
	size_t i;

	aw_findings_init(&first);
	for (i = 0; i < svc->dkim_selectors.n && !good; i++) {
		char *sel = fill(v, svc->dkim_selectors.v[i], FILL_EXACT,
		    _("a DKIM selector"));
		struct aw_section *sec = sel ? find_section(v, "dkim", sel) : NULL;
		struct aw_findings tmp;

		aw_findings_init(&tmp);
		if (sec != NULL && sec->detail != NULL)
			good = key_ok(v, sec->detail, sel, &tmp);
		if (!good && first_sel == NULL && sec != NULL) {
			first_sel = aw_strdup(sel);
			aw_findings_done(&first);
			first = tmp;
		} else {
			aw_findings_done(&tmp);
		}
		free(sel);
	}
	if (!good && first_sel != NULL) {
		char *owner = NULL;

		for (i = 0; i < first.nitems; i++)
			aw_findings_add(f, first.items[i].severity,
			    first.items[i].code, first.items[i].rfc, "%s",
			    first.items[i].message);
		if (asprintf(&owner, "%s._domainkey.%s", first_sel, v->domain) >= 0) {
			char *line = txt_line(owner,
			    "v=DKIM1; k=rsa; p={public key}");

			if (line != NULL)
				aw_strv_take(recs, line);
		}
		free(owner);
	}
	aw_findings_done(&first);
	free(first_sel);
	return good;
}

/* True when the service signs as the domain (its DKIM is set up). */
static bool
judge_dkim(struct aw_verify *v)
{
	const struct aw_sender *svc = v->opts->service;
	struct aw_findings tmp;
	struct aw_strv recs;
	bool good = true;
	size_t i;

	if (svc->dkim_method == AW_SENDER_DKIM_NONE) {
		aw_findings_add(&v->res.f, AW_SEV_WARNING,
		    "verify.dkim-not-in-catalog", NULL,
		    _("the sender catalog does not say how %s signs with DKIM: not checked (%s)"),
		    svc->name, svc->dkim_note ? svc->dkim_note : "");
		return false;
	}
	aw_findings_init(&tmp);
	aw_strv_init(&recs);
	if (svc->dkim_method == AW_SENDER_DKIM_CNAME) {
		for (i = 0; i < svc->ncnames; i++)
			if (!judge_cname(v, &svc->cnames[i], &tmp, &recs))
				good = false;
		/* Keys published earlier as TXT records at the service's
		 * older selectors still sign as the domain. */
		if (!good && svc->dkim_selectors.n > 0 &&
		    judge_txt_selectors(v, &v->res.f, &v->res.records)) {
			aw_findings_add(&v->res.f, AW_SEV_NOTE,
			    "verify.dkim-legacy-key", NULL,
			    _("%s signs with a key published earlier as a TXT record; its CNAMEs are not set up"),
			    svc->name);
			good = true;
		}
	} else {
		good = judge_txt_selectors(v, &tmp, &recs);
	}
	if (!good) {
		for (i = 0; i < tmp.nitems; i++)
			aw_findings_add(&v->res.f, tmp.items[i].severity,
			    tmp.items[i].code, tmp.items[i].rfc, "%s",
			    tmp.items[i].message);
		for (i = 0; i < recs.n; i++)
			add_record(v, aw_strdup(recs.v[i]));
	}
	aw_findings_done(&tmp);
	aw_strv_done(&recs);
	return good;
}

/* ---- DMARC ---- */

static void
judge_dmarc(struct aw_verify *v, bool dkim_good)
{
	const struct aw_sender *svc = v->opts->service;
	struct aw_section *sec = find_section(v, "dmarc", NULL);
	const struct aw_dmarc_detail *d = sec ? sec->detail : NULL;

	if (d == NULL || sec->f.dns_failure)
		return;
	if (!d->has_record || !d->processing) {
		/* At the domain itself: the first name the RFC 9989 walk
		 * asks, whatever the organizational domain holds. */
		const char *org = v->domain;
		char *owner = NULL;

		aw_findings_add(&v->res.f, AW_SEV_ERROR, "verify.dmarc-missing",
		    "RFC 9989 §4.10",
		    _("no DMARC policy applies to %s: publish at least p=none at _dmarc.%s"),
		    v->domain, org);
		if (asprintf(&owner, "_dmarc.%s", org) >= 0)
			add_record(v, txt_line(owner, "v=DMARC1; p=none"));
		free(owner);
	}
	/* RFC 9989 §4.4: the service's own bounce domain passes SPF, but
	 * it is not the From domain: only DKIM with d= the domain aligns. */
	if (!dkim_good)
		aw_findings_add(&v->res.f, AW_SEV_WARNING,
		    "verify.dmarc-no-alignment", "RFC 9989 §4.4",
		    _("mail %s sends as %s cannot pass DMARC until it signs with DKIM as %s: SPF passes only for %s's own bounce domain, which does not align"),
		    svc->name, v->domain, v->domain, svc->name);
}

/* ---- the verification record ---- */

static void
judge_verification(struct aw_verify *v)
{
	const struct aw_sender *svc = v->opts->service;
	char *glob, *lit;
	bool found = false;
	size_t i;

	if (v->vname == NULL || v->vans == NULL ||
	    aw_dns_result_is_failure(v->vans->result))
		return;
	glob = fill(v, svc->verify_value, FILL_GLOB, NULL);
	lit = fill(v, svc->verify_value, FILL_LITERAL, NULL);
	if (glob == NULL || lit == NULL)
		goto done;
	for (i = 0; i < v->vans->nrr && !found; i++) {
		const struct aw_dns_rr *rr = &v->vans->rr[i];
		char *txt;

		if (rr->type != v->vtype)
			continue;
		if (rr->type == AW_RECORD_CNAME) {
			found = aw_verify_glob(glob, rr->u.target, true);
		} else if ((txt = aw_dns_txt_join(rr, NULL)) != NULL) {
			found = aw_verify_glob(glob, txt, false);
			free(txt);
		}
	}
	if (!found) {
		char *line = NULL;

		aw_findings_add(&v->res.f, AW_SEV_ERROR,
		    "verify.verification-missing", NULL,
		    _("%s's verification record is missing: %s %s \"%s\""),
		    svc->name, v->vname, aw_record_type_name(v->vtype), lit);
		if (v->vtype == AW_RECORD_CNAME) {
			if (asprintf(&line, "%s. %d IN CNAME %s.", v->vname,
			    AW_VERIFY_TTL, lit) < 0)
				line = NULL;
		} else {
			line = txt_line(v->vname, lit);
		}
		add_record(v, line);
	}
done:
	free(glob);
	free(lit);
}

/* ---- the run ---- */

static bool
any_dns_failure(struct aw_verify *v)
{
	size_t i;

	for (i = 0; i < aw_domain_check_count(v->dc); i++)
		if (aw_domain_check_section(v->dc, i)->f.dns_failure)
			return true;
	if (v->vans != NULL && aw_dns_result_is_failure(v->vans->result))
		return true;
	return v->mtree != NULL && v->mtree->dns_failure;
}

static void
judge(struct aw_verify *v)
{
	struct aw_findings *f = &v->res.f;
	size_t i;

	judge_spf(v);
	judge_dmarc(v, judge_dkim(v));
	judge_verification(v);
	if (any_dns_failure(v)) {
		v->res.status = AW_VERIFY_DNS_FAILURE;
		aw_findings_add(f, AW_SEV_ERROR, "verify.dns-failure", NULL,
		    _("a DNS lookup failed: %s could not be verified"), v->domain);
		return;
	}
	v->res.status = AW_VERIFY_PASS;
	for (i = 0; i < f->nitems; i++)
		if (f->items[i].severity == AW_SEV_ERROR)
			v->res.status = AW_VERIFY_FAIL;
}

static void mtree_done(struct aw_spf_tree *tree, void *arg);

/* The plain tree does not reach the service but holds macros: evaluate
 * them for a message from postmaster@domain. True when started. */
static bool
start_macro_pass(struct aw_verify *v)
{
	struct aw_section *sec = find_section(v, "spf", NULL);
	const struct aw_spf_tree *tree = sec ? sec->detail : NULL;
	struct aw_spf_tree_opts topts;
	struct aw_error err;

	if (v->mtree_done || tree == NULL || v->opts->service->nspf == 0 ||
	    tree_reaches(tree->root, v->opts->service) != NULL ||
	    !tree_has_macro(tree->root))
		return false;
	v->mtree_done = true;
	if (asprintf(&v->msender, "postmaster@%s", v->domain) < 0)
		return false;
	memset(&topts, 0, sizeof topts);
	v->mquery.ip = VERIFY_MACRO_IP;
	v->mquery.domain = v->domain;
	v->mquery.sender = v->msender;
	v->mquery.helo = v->domain;
	topts.query = &v->mquery;
	aw_error_clear(&err);
	if (aw_spf_tree_start(aw_domain_check_source(v->dc), v->domain, &topts,
	    mtree_done, v, &v->mtree, &err) != AW_OK) {
		v->mtree = NULL;
		return false;
	}
	v->pending++;
	return true;
}

static void
step(struct aw_verify *v)
{
	if (v->finished || v->pending > 0 || !aw_domain_check_finished(v->dc))
		return;
	if (start_macro_pass(v))
		return;
	judge(v);
	v->finished = true;
	if (v->done != NULL && !v->starting)
		v->done(v, v->arg);
}

static void
mtree_done(struct aw_spf_tree *tree, void *arg)
{
	struct aw_verify *v = arg;

	(void)tree;
	v->pending--;
	step(v);
}

static void
dc_done(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	(void)dc;
	if (sec == NULL)
		step(arg);
}

static void
verification_answer(struct aw_dns_answer *ans, void *arg)
{
	struct aw_verify *v = arg;

	aw_dns_answer_free(v->vans);
	v->vans = ans;
	v->pending--;
	step(v);
}

/* The selectors to ask: the CNAME ones and the TXT ones of the service,
 * each that can be filled. */
static void
collect_selectors(struct aw_verify *v)
{
	const struct aw_sender *svc = v->opts->service;
	size_t i;
	char *s;

	if (svc->dkim_method == AW_SENDER_DKIM_NONE)
		return;
	for (i = 0; i < svc->ncnames; i++)
		if ((s = fill(v, svc->cnames[i].selector, FILL_EXACT,
		    _("a DKIM selector"))) != NULL) {
			if (aw_strv_find(&v->selectors, s) < 0)
				aw_strv_push(&v->selectors, s);
			free(s);
		}
	for (i = 0; i < svc->dkim_selectors.n; i++)
		if ((s = fill(v, svc->dkim_selectors.v[i], FILL_EXACT,
		    _("a DKIM selector"))) != NULL) {
			if (aw_strv_find(&v->selectors, s) < 0)
				aw_strv_push(&v->selectors, s);
			free(s);
		}
	/* Reported again when judged. */
	aw_strv_done(&v->reported);
	aw_findings_done(&v->res.f);
	aw_findings_init(&v->res.f);
}

enum aw_status
aw_verify_start(const struct aw_dns_source *src, const char *domain,
    const struct aw_verify_opts *opts, aw_verify_cb done, void *arg,
    struct aw_verify **out, struct aw_error *err)
{
	const struct aw_sender *svc = opts->service;
	struct aw_verify *v;
	enum aw_status st;
	size_t na = 0;

	*out = NULL;
	if ((v = calloc(1, sizeof *v)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	aw_strv_init(&v->selectors);
	aw_strv_init(&v->literal);
	aw_strv_init(&v->reported);
	aw_strv_init(&v->res.records);
	aw_findings_init(&v->res.f);
	v->opts = opts;
	v->done = done;
	v->arg = arg;
	v->starting = true;
	if ((v->domain = aw_domain_normalize(domain)) == NULL ||
	    vars_setup(v) != AW_OK) {
		aw_verify_free(v);
		return aw_error_set(err, AW_ERR_NOMEM, "%s", _("out of memory"));
	}
	collect_selectors(v);
	v->areas[na++] = "spf";
	v->areas[na++] = "dmarc";
	if (v->selectors.n > 0)
		v->areas[na++] = "dkim";
	v->dopts.areas = v->areas;
	v->dopts.nareas = na;
	v->dopts.selectors = (const char *const *)v->selectors.v;
	v->dopts.nselectors = v->selectors.n;
	st = aw_domain_check_start(src, v->domain, &v->dopts, dc_done, v,
	    &v->dc, err);
	if (st != AW_OK && v->dc == NULL) {
		aw_verify_free(v);
		return st;
	}
	if (st == AW_OK && svc->verify_type != NULL && svc->verify_value != NULL &&
	    (v->vtype = aw_record_type_parse(svc->verify_type)) != 0) {
		const char *n = svc->verify_name;

		if (n == NULL || strcmp(n, "@") == 0)
			v->vname = aw_strdup(v->domain);
		else if (asprintf(&v->vname, "%s.%s", n, v->domain) < 0)
			v->vname = NULL;
		if (v->vname != NULL && aw_dns_query(aw_domain_check_source(v->dc),
		    v->vname, v->vtype, verification_answer, v) == AW_OK)
			v->pending++;
	}
	/* Done at once (nothing asked): no callback from inside start. */
	step(v);
	v->starting = false;
	*out = v;
	return st;
}

bool
aw_verify_finished(const struct aw_verify *v)
{
	return v->finished;
}

const struct aw_verify_result *
aw_verify_result(const struct aw_verify *v)
{
	return &v->res;
}

const char *
aw_verify_domain(const struct aw_verify *v)
{
	return v->domain;
}

void
aw_verify_free(struct aw_verify *v)
{
	size_t k;

	if (v == NULL)
		return;
	if (v->mtree != NULL) {
		if (v->mtree->finished)
			aw_spf_tree_free(v->mtree);
		else
			aw_spf_tree_abandon(v->mtree);
	}
	aw_domain_check_free(v->dc);
	aw_dns_answer_free(v->vans);
	free(v->vname);
	free(v->msender);
	free(v->domain);
	free(v->names);
	for (k = 0; k < 3; k++)
		free(v->vals[k]);
	aw_strv_done(&v->literal);
	aw_strv_done(&v->reported);
	aw_strv_done(&v->selectors);
	aw_strv_done(&v->res.records);
	aw_findings_done(&v->res.f);
	free(v);
}
