/* spf-lint.c: the SPF lookup tree (every include/redirect and what it
 * costs), fetched asynchronously over a DNS source, and the warnings
 * that come from it. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf-lint.h"
#include "core/i18n.h"
#include "core/str.h"

/* At most this many a/mx/exists targets are probed for void lookups. */
#define PROBE_MAX 128
/* The costliest includes named when the total is over the limit. */
#define COSTLIEST_SHOWN 3

struct lint {
	struct aw_spf_tree pub;       /* first: the public part */
	const struct aw_dns_source *src;
	struct aw_spf_tree_opts opts;
	aw_spf_tree_cb done;
	void *arg;
	unsigned pending;
	struct lq *asked;             /* the queries in flight */
	unsigned probes;
	bool freed;                   /* freed by the owner while pending */
};

enum lq_what { LQ_TXT, LQ_VOID_A, LQ_VOID_MX };

struct lq {
	struct lint *l;
	struct aw_spf_node *node;
	enum lq_what what;
	char *term;                   /* probes: the term, for messages */
	struct lq *next, *prev;       /* in l->asked */
};

static void
lq_unlink(struct lint *l, struct lq *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		l->asked = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
}

const char *
aw_spf_node_state_name(enum aw_spf_node_state s)
{
	switch (s) {
	case AW_SPF_NODE_PENDING: return "pending";
	case AW_SPF_NODE_OK: return "ok";
	case AW_SPF_NODE_NONE: return "none";
	case AW_SPF_NODE_MULTIPLE: return "multiple";
	case AW_SPF_NODE_INVALID: return "invalid";
	case AW_SPF_NODE_DNS_ERROR: return "dns-error";
	case AW_SPF_NODE_LOOP: return "loop";
	case AW_SPF_NODE_MACRO: return "macro";
	case AW_SPF_NODE_SKIPPED: return "skipped";
	}
	return "pending";
}

static void
node_free(struct aw_spf_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nchildren; i++)
		node_free(n->children[i]);
	free(n->children);
	free(n->domain);
	free(n->via);
	free(n->record);
	free(n->problem);
	free(n->lighter);
	free(n);
}

static void
lint_free(struct lint *l)
{
	node_free(l->pub.root);
	aw_strv_done(&l->pub.errors);
	aw_strv_done(&l->pub.warnings);
	aw_strv_done(&l->pub.notes);
	free(l);
}

void
aw_spf_tree_abandon(struct aw_spf_tree *tree)
{
	struct lint *l = (struct lint *)tree;
	struct lq *q, *next;

	if (l == NULL)
		return;
	for (q = l->asked; q != NULL; q = next) {
		next = q->next;
		free(q->term);
		free(q);
	}
	lint_free(l);
}

void
aw_spf_tree_free(struct aw_spf_tree *tree)
{
	struct lint *l = (struct lint *)tree;

	if (l == NULL)
		return;
	if (l->pending > 0) {
		l->freed = true;    /* the last answer frees it */
		return;
	}
	lint_free(l);
}

static struct aw_spf_node *
node_new(struct lint *l, struct aw_spf_node *parent, const char *domain,
    const char *via, enum aw_spf_kind via_kind)
{
	struct aw_spf_node *n = calloc(1, sizeof *n), **grown;

	if (n == NULL)
		return NULL;
	n->domain = strdup(domain);
	n->via = aw_strdup(via);
	n->via_kind = via_kind;
	n->parent = parent;
	if (n->domain == NULL || (via != NULL && n->via == NULL))
		goto fail;
	if (parent != NULL) {
		grown = realloc(parent->children,
		    (parent->nchildren + 1) * sizeof *grown);
		if (grown == NULL)
			goto fail;
		parent->children = grown;
		parent->children[parent->nchildren++] = n;
	}
	l->pub.nodes++;
	return n;
fail:
	node_free(n);
	return NULL;
}

static unsigned
node_depth(const struct aw_spf_node *n)
{
	unsigned d = 0;

	for (; n->parent != NULL; n = n->parent)
		d++;
	return d;
}

static void lint_answer(struct aw_dns_answer *ans, void *arg);

static bool
lint_ask(struct lint *l, struct aw_spf_node *node, const char *name,
    enum aw_rrtype type, enum lq_what what, const char *term)
{
	struct lq *q = calloc(1, sizeof *q);

	if (q == NULL)
		return false;
	q->l = l;
	q->node = node;
	q->what = what;
	if (term != NULL && (q->term = strdup(term)) == NULL) {
		free(q);
		return false;
	}
	l->pending++;
	q->next = l->asked;
	if (l->asked != NULL)
		l->asked->prev = q;
	l->asked = q;
	if (aw_dns_query(l->src, name, type, lint_answer, q) != AW_OK) {
		l->pending--;
		lq_unlink(l, q);
		free(q->term);
		free(q);
		return false;
	}
	return true;
}

static void
set_problem(struct aw_spf_node *n, enum aw_spf_node_state st,
    const char *text)
{
	n->state = st;
	free(n->problem);
	n->problem = aw_strdup(text);
}

/* A child for an include or redirect term of node. */
static void
add_child(struct lint *l, struct aw_spf_node *node,
    const struct aw_spf_term *t)
{
	const struct aw_spf_node *a;
	struct aw_spf_node *c;
	char *target;

	if (aw_spf_has_macro(t->domain_spec)) {
		c = node_new(l, node, t->domain_spec, t->text, t->kind);
		if (c != NULL)
			set_problem(c, AW_SPF_NODE_MACRO,
			    _("the target uses macros: it is known only when a message is checked"));
		return;
	}
	if ((target = aw_domain_normalize(t->domain_spec)) == NULL)
		return;
	c = node_new(l, node, target, t->text, t->kind);
	free(target);
	if (c == NULL)
		return;
	/* RFC 7208 §4.6.4: a loop through include or redirect never ends
	 * before the lookup limit: permerror. */
	for (a = node; a != NULL; a = a->parent) {
		if (aw_domain_equal(a->domain, c->domain)) {
			set_problem(c, AW_SPF_NODE_LOOP,
			    _("this name is already being evaluated higher up: a loop"));
			return;
		}
	}
	if (node_depth(c) > AW_SPF_TREE_MAX_DEPTH ||
	    l->pub.nodes > AW_SPF_TREE_MAX_NODES) {
		set_problem(c, AW_SPF_NODE_SKIPPED,
		    _("not looked at: the tree is too deep or too large"));
		return;
	}
	if (!lint_ask(l, c, c->domain, AW_RR_TXT, LQ_TXT, NULL))
		set_problem(c, AW_SPF_NODE_DNS_ERROR,
		    _("the lookup could not be started"));
}

/* Ask whether an a/mx/exists target answers at all (void lookups). */
static void
probe(struct lint *l, struct aw_spf_node *node, const struct aw_spf_term *t)
{
	const char *name = t->domain_spec ? t->domain_spec : node->domain;
	char *norm;

	if (aw_spf_has_macro(name) || l->probes >= PROBE_MAX)
		return;
	if ((norm = aw_domain_normalize(name)) == NULL)
		return;
	l->probes++;
	lint_ask(l, node, norm, t->kind == AW_SPF_MX ? AW_RR_MX : AW_RR_A,
	    t->kind == AW_SPF_MX ? LQ_VOID_MX : LQ_VOID_A, t->text);
	free(norm);
}

static void
record_terms(struct lint *l, struct aw_spf_node *node,
    const struct aw_spf_record *rec)
{
	struct aw_spf_tree *tr = &l->pub;
	size_t i;

	for (i = 0; i < rec->nterms; i++) {
		const struct aw_spf_term *t = &rec->terms[i];

		/* RFC 7208 §6.1: redirect= is ignored when there is "all". */
		if (t->kind == AW_SPF_REDIRECT && rec->all >= 0) {
			aw_strv_pushf(&tr->warnings,
			    _("%s: \"%s\" is ignored because the record has \"%s\" (RFC 7208 §6.1)"),
			    node->domain, t->text, rec->terms[rec->all].text);
			continue;
		}
		if (aw_spf_kind_counts(t->kind))
			node->own_lookups++;
		if (rec->all >= 0 && (long)i > rec->all &&
		    t->kind < AW_SPF_REDIRECT)
			aw_strv_pushf(&tr->warnings,
			    _("%s: \"%s\" comes after \"%s\" and is never evaluated (RFC 7208 §5.1)"),
			    node->domain, t->text, rec->terms[rec->all].text);
		switch (t->kind) {
		case AW_SPF_INCLUDE:
		case AW_SPF_REDIRECT:
			add_child(l, node, t);
			break;
		case AW_SPF_A:
		case AW_SPF_MX:
		case AW_SPF_EXISTS:
			probe(l, node, t);
			break;
		case AW_SPF_PTR:
			aw_strv_pushf(&tr->warnings,
			    _("%s: \"%s\": the ptr mechanism is slow and unreliable and SHOULD NOT be used (RFC 7208 §5.5)"),
			    node->domain, t->text);
			break;
		case AW_SPF_ALL:
			if ((long)i != rec->all)
				break;
			if (t->qualifier == AW_SPF_PASS)
				aw_strv_pushf(&tr->warnings, node->parent ?
				    _("%s: \"%s\" in an included record lets every host on the Internet pass") :
				    _("%s: \"%s\" lets every host on the Internet send as this domain"),
				    node->domain, t->text);
			else if (t->qualifier == AW_SPF_NEUTRAL &&
			    node->parent == NULL)
				aw_strv_pushf(&tr->warnings,
				    _("%s: \"%s\" says nothing about other hosts: receivers treat their mail as if there were no SPF"),
				    node->domain, t->text);
			break;
		default:
			break;
		}
	}
	if (node->parent == NULL && rec->all < 0 && rec->redirect < 0)
		aw_strv_pushf(&tr->warnings,
		    _("%s: the record has no \"all\" and no redirect=: hosts not listed get \"neutral\"; end it with ~all or -all"),
		    node->domain);
}

static void
txt_answer(struct lint *l, struct aw_spf_node *node, struct aw_dns_answer *ans)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;
	char *txt = NULL;
	size_t i, k, n = 0, len = 0;

	if (aw_dns_result_is_failure(ans->result)) {
		l->pub.dns_failure = true;
		set_problem(node, AW_SPF_NODE_DNS_ERROR,
		    aw_dns_result_text(ans->result));
		return;
	}
	/* RFC 7208 §4.5: the TXT records that start "v=spf1". */
	for (i = 0; i < ans->nrr; i++) {
		char *s;
		size_t sl;

		if (ans->rr[i].type != AW_RR_TXT)
			continue;
		if ((s = aw_dns_txt_join(&ans->rr[i], &sl)) == NULL)
			continue;
		if (!aw_spf_is_record(s, sl)) {
			free(s);
			continue;
		}
		n++;
		/* RFC 7208 §3.3: one character-string holds 255 bytes. */
		for (k = 0; k < ans->rr[i].u.txt.n; k++)
			if (ans->rr[i].u.txt.s[k].len > 255)
				aw_strv_pushf(&l->pub.warnings,
				    _("%s: a string of the SPF record is %zu bytes long; a TXT string holds at most 255 (RFC 7208 §3.3)"),
				    node->domain, ans->rr[i].u.txt.s[k].len);
		free(txt);
		txt = s;
		len = sl;
	}
	if (n == 0) {
		set_problem(node, AW_SPF_NODE_NONE,
		    ans->result == AW_DNS_NXDOMAIN ?
		    _("the name does not exist") : _("no SPF record"));
		free(txt);
		return;
	}
	node->record = strndup(txt, len > AW_SPF_RECORD_MAX ?
	    AW_SPF_RECORD_MAX : len);
	if (n > 1) {
		char buf[128];

		snprintf(buf, sizeof buf, P_("%zu SPF record", "%zu SPF records", n), n);
		set_problem(node, AW_SPF_NODE_MULTIPLE, buf);
		free(txt);
		return;
	}
	aw_error_clear(&err);
	if (aw_spf_parse(txt, len, &rec, &err) != AW_OK) {
		set_problem(node, AW_SPF_NODE_INVALID, err.msg);
		free(txt);
		return;
	}
	free(txt);
	node->state = AW_SPF_NODE_OK;
	record_terms(l, node, rec);
	aw_spf_record_free(rec);
}

static void
void_answer(struct lint *l, struct lq *q, struct aw_dns_answer *ans)
{
	size_t n;

	if (aw_dns_result_is_failure(ans->result)) {
		l->pub.dns_failure = true;
		return;
	}
	n = aw_dns_answer_count(ans, ans->qtype);
	if (ans->result == AW_DNS_NXDOMAIN || n == 0) {
		q->node->voids++;
		aw_strv_pushf(&l->pub.notes,
		    _("%s: \"%s\": %s has no %s record (a void lookup, RFC 7208 §4.6.4)"),
		    q->node->domain, q->term, ans->qname,
		    aw_rrtype_name(ans->qtype));
	}
	/* RFC 7208 §4.6.4: "mx" with more than 10 MX names: permerror. */
	if (q->what == LQ_VOID_MX && n > AW_SPF_MAX_MX)
		aw_strv_pushf(&l->pub.errors,
		    _("%s: \"%s\": %s has %zu MX records; the mx mechanism allows at most %d, receivers return permerror (RFC 7208 §4.6.4)"),
		    q->node->domain, q->term, ans->qname, n, AW_SPF_MAX_MX);
}

static void
totals(struct aw_spf_node *n)
{
	size_t i;

	n->lookups = n->own_lookups;
	for (i = 0; i < n->nchildren; i++) {
		totals(n->children[i]);
		n->lookups += n->children[i]->lookups;
		n->voids += n->children[i]->voids;
	}
}

static void
node_messages(struct aw_spf_tree *tr, const struct aw_spf_node *n)
{
	const char *from = n->parent ? n->parent->domain : NULL;
	bool nx = n->problem != NULL &&
	    strcmp(n->problem, _("the name does not exist")) == 0;
	size_t i;

	switch (n->state) {
	case AW_SPF_NODE_NONE:
		if (n->parent == NULL)
			break;   /* the area reports a missing record itself */
		if (n->via_kind == AW_SPF_INCLUDE)
			aw_strv_pushf(&tr->errors,
			    _("%s: \"%s\": %s has no SPF record%s; receivers return permerror for the whole check (RFC 7208 §5.2)"),
			    from, n->via, n->domain, nx ?
			    _(" (the name does not exist)") : "");
		else
			aw_strv_pushf(&tr->errors,
			    _("%s: \"%s\": %s has no SPF record%s; receivers return permerror for the whole check (RFC 7208 §6.1)"),
			    from, n->via, n->domain, nx ?
			    _(" (the name does not exist)") : "");
		break;
	case AW_SPF_NODE_MULTIPLE:
		aw_strv_pushf(&tr->errors,
		    _("%s publishes %s; more than one is a permanent error (RFC 7208 §4.5): merge them into one"),
		    n->domain, n->problem);
		break;
	case AW_SPF_NODE_INVALID:
		aw_strv_pushf(&tr->errors, _("%s: %s"), n->domain, n->problem);
		break;
	case AW_SPF_NODE_DNS_ERROR:
		if (n->parent == NULL)
			break;   /* the caller reports its own root lookup */
		aw_strv_pushf(&tr->errors,
		    _("the SPF record of %s could not be fetched: %s"),
		    n->domain, n->problem);
		break;
	case AW_SPF_NODE_LOOP:
		aw_strv_pushf(&tr->errors,
		    _("%s: \"%s\" leads back to %s: a loop; receivers return permerror (RFC 7208 §4.6.4)"),
		    from, n->via, n->domain);
		break;
	case AW_SPF_NODE_MACRO:
		aw_strv_pushf(&tr->notes,
		    _("%s: \"%s\" uses macros; what it costs is known only when a message is checked"),
		    from, n->via);
		break;
	case AW_SPF_NODE_SKIPPED:
		aw_strv_pushf(&tr->warnings, _("%s: \"%s\": %s"), from,
		    n->via, n->problem);
		break;
	default:
		break;
	}
	for (i = 0; i < n->nchildren; i++)
		node_messages(tr, n->children[i]);
}

static int
cost_cmp(const void *a, const void *b)
{
	const struct aw_spf_node *x = *(struct aw_spf_node *const *)a,
	    *y = *(struct aw_spf_node *const *)b;

	return (int)y->lookups - (int)x->lookups;
}

/* The branches the domain's owner chose: the root's includes, and through
 * redirect= the includes of the record it hands over to. */
static void
collect_branches(const struct aw_spf_node *n, struct aw_spf_node **v,
    size_t *nv, size_t max)
{
	size_t i;

	for (i = 0; i < n->nchildren && *nv < max; i++) {
		v[(*nv)++] = n->children[i];
		if (n->children[i]->via_kind == AW_SPF_REDIRECT)
			collect_branches(n->children[i], v, nv, max);
	}
}

/* The lighter include the sender catalog knows for n, or NULL. */
static const char *
lighter_of(const struct lint *l, const struct aw_spf_node *n)
{
	const char *lighter;

	if (l->opts.lighter == NULL || n->via_kind != AW_SPF_INCLUDE ||
	    n->state == AW_SPF_NODE_MACRO || n->state == AW_SPF_NODE_LOOP)
		return NULL;
	lighter = l->opts.lighter(l->opts.lighter_arg, n->domain);
	if (lighter == NULL || aw_domain_equal(lighter, n->domain))
		return NULL;
	return lighter;
}

/* Notes the lighter variants of includes deeper in the tree (those the
 * costliest list did not name). */
static void
lighter_notes(struct lint *l, const struct aw_spf_node *n,
    struct aw_spf_node *const *shown, size_t nshown)
{
	const char *lighter;
	size_t i;

	for (i = 0; i < nshown; i++)
		if (shown[i] == n)
			break;
	if (i == nshown && (lighter = lighter_of(l, n)) != NULL)
		aw_strv_pushf(&l->pub.notes,
		    _("%s: include:%s costs %u lookups; the sender also offers the lighter include:%s"),
		    n->parent ? n->parent->domain : n->domain, n->domain,
		    1 + n->lookups, lighter);
	for (i = 0; i < n->nchildren; i++)
		lighter_notes(l, n->children[i], shown, nshown);
}

/* Every include node learns its lighter variant (shown in the tree). */
static void
set_lighter(const struct lint *l, struct aw_spf_node *n)
{
	const char *lighter = lighter_of(l, n);
	size_t i;

	if (lighter != NULL && n->lighter == NULL)
		n->lighter = aw_strdup(lighter);
	for (i = 0; i < n->nchildren; i++)
		set_lighter(l, n->children[i]);
}

static void
lint_finish(struct lint *l)
{
	struct aw_spf_tree *tr = &l->pub;
	struct aw_spf_node *root = tr->root;

	totals(root);
	set_lighter(l, root);
	tr->lookups = root->lookups;
	tr->voids = root->voids;
	node_messages(tr, root);
	/* RFC 7208 §4.6.4: more than 10 DNS-querying terms: permerror. The
	 * message names the costliest branches and, where the sender
	 * catalog knows one, the lighter include of the same sender. */
	if (tr->lookups > AW_SPF_MAX_LOOKUPS) {
		struct aw_spf_node *v[AW_SPF_TREE_MAX_NODES],
		    *shown[COSTLIEST_SHOWN];
		struct aw_buf b;
		size_t i, nv = 0, nshown = 0;

		aw_buf_init(&b);
		collect_branches(root, v, &nv, AW_SPF_TREE_MAX_NODES);
		qsort(v, nv, sizeof *v, cost_cmp);
		for (i = 0; i < nv && nshown < COSTLIEST_SHOWN; i++) {
			const char *lighter;

			/* A redirect is named through its own includes. */
			if (v[i]->via_kind == AW_SPF_REDIRECT &&
			    v[i]->nchildren > 0)
				continue;
			aw_buf_printf(&b, "%s%s (%u", nshown ? ", " : "",
			    v[i]->via, 1 + v[i]->lookups);
			if ((lighter = lighter_of(l, v[i])) != NULL)
				aw_buf_printf(&b,
				    _("; the sender offers the lighter include:%s"),
				    lighter);
			aw_buf_puts(&b, ")");
			shown[nshown++] = v[i];
		}
		aw_strv_pushf(&tr->errors,
		    _("the SPF check of %s costs %u DNS lookups; receivers return permerror past %d (RFC 7208 §4.6.4). Costliest: %s"),
		    root->domain, tr->lookups, AW_SPF_MAX_LOOKUPS,
		    b.len ? aw_buf_str(&b) : "-");
		aw_buf_done(&b);
		lighter_notes(l, root, shown, nshown);
	}
	if (tr->voids > AW_SPF_MAX_VOID)
		aw_strv_pushf(&tr->errors,
		    _("%u names in the SPF tree of %s have no answer (void lookups); receivers may return permerror past %d (RFC 7208 §4.6.4)"),
		    tr->voids, root->domain, AW_SPF_MAX_VOID);
	tr->finished = true;
}

static void
lint_answer(struct aw_dns_answer *ans, void *arg)
{
	struct lq *q = arg;
	struct lint *l = q->l;

	lq_unlink(l, q);
	if (!l->freed) {
		if (q->what == LQ_TXT)
			txt_answer(l, q->node, ans);
		else
			void_answer(l, q, ans);
	}
	aw_dns_answer_free(ans);
	free(q->term);
	free(q);
	if (--l->pending > 0)
		return;
	if (l->freed) {
		lint_free(l);
		return;
	}
	lint_finish(l);
	if (l->done != NULL)
		l->done(&l->pub, l->arg);
}

enum aw_status
aw_spf_tree_start(const struct aw_dns_source *src, const char *domain,
    const struct aw_spf_tree_opts *opts, aw_spf_tree_cb done, void *arg,
    struct aw_spf_tree **out, struct aw_error *err)
{
	struct lint *l = calloc(1, sizeof *l);
	char *norm;

	*out = NULL;
	if (l == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_strv_init(&l->pub.errors);
	aw_strv_init(&l->pub.warnings);
	aw_strv_init(&l->pub.notes);
	l->src = src;
	if (opts != NULL)
		l->opts = *opts;
	l->done = done;
	l->arg = arg;
	if ((norm = aw_domain_normalize(domain)) == NULL ||
	    (l->pub.root = node_new(l, NULL, norm, NULL, AW_SPF_REDIRECT))
	    == NULL) {
		free(norm);
		lint_free(l);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	free(norm);
	if (!lint_ask(l, l->pub.root, l->pub.root->domain, AW_RR_TXT, LQ_TXT,
	    NULL)) {
		lint_free(l);
		return aw_error_set(err, AW_ERR_DNS,
		    _("could not ask DNS for the SPF record of %s"), domain);
	}
	*out = &l->pub;
	return AW_OK;
}
