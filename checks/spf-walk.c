/* spf-walk.c: check_host() in tree mode (spf-lint.h): the run goes on
 * past its first error to count the whole tree, notes on each record's
 * node what its lookups came to, and keeps the first error as the
 * verdict, with the counts check_host() has when it stops there. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf-eval.h"
#include "core/i18n.h"
#include "core/str.h"

/* Tree mode: tell the fetcher about a name the run will likely ask. */
void
aw_spf_eval_want(struct eval *ev, const char *name, enum aw_record_type type)
{
	if (ev->io != NULL && ev->io->want != NULL && name != NULL &&
	    !aw_spf_has_macro(name))
		ev->io->want(ev->io->arg, name, type, false);
}

/* Tree mode: note what a lookup of the current term came to. */
void
aw_spf_eval_event(struct eval *ev, enum aw_spf_event_kind kind, const char *name,
    enum aw_record_type type, enum aw_dns_result result, size_t count)
{
	struct aw_spf_event e;

	if (ev->tree == NULL || ev->cur == NULL || ev->stop)
		return;
	memset(&e, 0, sizeof e);
	e.kind = kind;
	e.term_kind = ev->cur_term ? ev->cur_term->kind : AW_SPF_UNKNOWN_MOD;
	e.term = ev->cur_term ? ev->cur_term->text : NULL;
	e.name = (char *)name;
	e.type = type;
	e.result = result;
	e.count = count;
	if (!aw_spf_node_event(ev->cur, &e))
		ev->nomem = ev->stop = true;
}

/* An error result made here, not passed up from below. In tree mode the
 * first one is the verdict: where aw_spf_eval_check_host() stops, with its counts
 * at that point. */
enum aw_spf_result
aw_spf_eval_produced(struct eval *ev, enum aw_spf_result r)
{
	struct aw_spf_tree *t = ev->tree;

	if (t == NULL || ev->verdict_set || ev->stop)
		return r;
	ev->verdict_set = true;
	t->verdict = r;
	t->verdict_lookups = ev->lookups;
	t->verdict_voids = ev->voids;
	free(t->verdict_reason);
	t->verdict_reason = aw_strdup(ev->reason);
	return r;
}

/* Tree mode, no client: an include or redirect whose target uses macros
 * is known only when a message is checked: a node that says so. */
static void
macro_node(struct eval *ev, const struct aw_spf_term *t)
{
	struct aw_spf_node *n;

	if (ev->tree == NULL)
		return;
	n = aw_spf_node_add(ev->tree, ev->cur, t->domain_spec, t->text,
	    t->kind);
	if (n == NULL) {
		ev->nomem = ev->stop = true;
		return;
	}
	aw_spf_node_set(n, AW_SPF_NODE_MACRO,
	    _("the target uses macros: it is known only when a message is checked"));
}

/* Tree mode, no client: a target with macros is not looked up. */
bool
aw_spf_eval_macro_skipped(struct eval *ev, const struct aw_spf_term *t)
{
	if (!ev->nomatch || t->domain_spec == NULL ||
	    !aw_spf_has_macro(t->domain_spec))
		return false;
	if (t->kind == AW_SPF_INCLUDE || t->kind == AW_SPF_REDIRECT)
		macro_node(ev, t);
	else
		aw_spf_eval_event(ev, AW_SPF_EV_MACRO, t->domain_spec, 0,
		    AW_DNS_RECORDS, 0);
	return true;
}

/* Tree mode: the node of the record aw_spf_eval_check_host() is about to fetch;
 * after the verdict, a loop or a tree past its caps is cut here (the
 * caps never change the verdict: before it, the lookup limit does). */
struct aw_spf_node *
aw_spf_eval_enter_node(struct eval *ev, const char *domain,
    const struct aw_spf_term *via, unsigned depth, bool *cut)
{
	const struct aw_spf_node *a;
	struct aw_spf_node *n;

	*cut = false;
	n = aw_spf_node_add(ev->tree, ev->cur, domain, via ? via->text : NULL,
	    via ? via->kind : AW_SPF_REDIRECT);
	if (n == NULL) {
		ev->nomem = ev->stop = true;
		return NULL;
	}
	/* RFC 7208 §4.6.4: a loop through include or redirect never ends
	 * before the lookup limit: permerror at once, as check_host() has
	 * it (spf-eval.c). */
	for (a = ev->cur; a != NULL; a = a->parent) {
		if (aw_domain_equal(a->domain, domain)) {
			aw_spf_node_set(n, AW_SPF_NODE_LOOP,
			    _("this name is already being evaluated higher up: a loop"));
			if (!ev->verdict_set) {
				aw_spf_eval_loop_reason(ev, domain, via);
				aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
			}
			*cut = true;
			return n;
		}
	}
	if (!ev->verdict_set)
		return n;
	if (depth > AW_SPF_TREE_MAX_DEPTH ||
	    ev->tree->nodes > AW_SPF_TREE_MAX_NODES) {
		aw_spf_node_set(n, AW_SPF_NODE_SKIPPED,
		    _("not looked at: the tree is too deep or too large"));
		*cut = true;
	}
	return n;
}

/* Tree mode: the TXT record(s) of a record's node, and hints to fetch
 * what its terms will ask. */
void
aw_spf_eval_tree_record(struct eval *ev, const struct aw_dns_answer *ans,
    const struct aw_spf_record *rec, const char *txt, size_t len)
{
	struct aw_spf_node *n = ev->cur;
	size_t i, k;

	if (n == NULL)
		return;
	n->record_bytes = len;
	free(n->record);
	n->record = strndup(txt, len > AW_SPF_RECORD_MAX ?
	    AW_SPF_RECORD_MAX : len);
	if (n->record == NULL) {
		ev->nomem = ev->stop = true;
		return;
	}
	for (i = 0; ans != NULL && i < ans->nrr; i++)
		for (k = 0; ans->rr[i].type == AW_RECORD_TXT &&
		    k < ans->rr[i].u.txt.n; k++)
			if (ans->rr[i].u.txt.s[k].len > n->longest_string)
				n->longest_string = ans->rr[i].u.txt.s[k].len;
	for (i = 0; rec != NULL && i < rec->nterms; i++) {
		const struct aw_spf_term *t = &rec->terms[i];
		const char *name = t->domain_spec ? t->domain_spec : n->domain;

		if (rec->all >= 0 && (long)i > rec->all)
			break;
		switch (t->kind) {
		case AW_SPF_INCLUDE: case AW_SPF_REDIRECT:
			aw_spf_eval_want(ev, name, AW_RECORD_TXT);
			break;
		case AW_SPF_A:
			aw_spf_eval_want(ev, name, ev->env.family == 6 ? AW_RECORD_AAAA : AW_RECORD_A);
			break;
		case AW_SPF_EXISTS:
			aw_spf_eval_want(ev, name, AW_RECORD_A);
			break;
		case AW_SPF_MX:
			aw_spf_eval_want(ev, name, AW_RECORD_MX);
			break;
		default:
			break;
		}
	}
}

/* Tree mode: RFC 7208 §6.2: the exp= target must hold exactly one TXT
 * record, else no explanation is given. Not a lookup that counts. */
void
aw_spf_eval_tree_exp(struct eval *ev, const struct aw_spf_record *rec)
{
	const struct aw_spf_term *t;
	struct aw_dns_answer *ans;
	const char *spec;
	char *name;
	size_t n;

	if (rec->exp < 0)
		return;
	t = &rec->terms[rec->exp];
	spec = t->domain_spec;
	if (spec == NULL || aw_spf_has_macro(spec) ||
	    (name = aw_domain_normalize(spec)) == NULL)
		return;
	ev->cur_term = t;
	if ((ans = aw_spf_eval_ask(ev, name, AW_RECORD_TXT)) != NULL) {
		if (aw_dns_result_is_failure(ans->result)) {
			aw_spf_eval_event(ev, AW_SPF_EV_DNS_FAILURE, name, AW_RECORD_TXT,
			    ans->result, 0);
			ev->tree->dns_failure = true;
		} else if ((n = aw_dns_answer_count(ans, AW_RECORD_TXT)) == 0) {
			aw_spf_eval_event(ev, AW_SPF_EV_EXP_NO_TXT, name, AW_RECORD_TXT,
			    ans->result, 0);
		} else if (n > 1) {
			aw_spf_eval_event(ev, AW_SPF_EV_EXP_MANY_TXT, name, AW_RECORD_TXT,
			    ans->result, n);
		}
		aw_spf_eval_release(ev, ans);
	}
	ev->cur_term = NULL;
	free(name);
}

enum aw_status
aw_spf_walk(const struct aw_spf_walk_io *io, const char *domain,
    const struct aw_spf_query *q, struct aw_spf_tree *tree, bool *blocked)
{
	struct eval ev;
	const char *qdomain = NULL;
	enum aw_spf_result r;
	enum aw_status st = AW_OK;

	*blocked = false;
	memset(&ev, 0, sizeof ev);
	ev.io = io;
	ev.tree = tree;
	aw_strv_init(&ev.validated);
	aw_strv_init(&ev.path);
	aw_spf_node_free(tree->root);
	tree->root = NULL;
	tree->nodes = 0;
	tree->lookups = tree->voids = 0;
	tree->verdict = AW_SPF_NONE;
	tree->verdict_lookups = tree->verdict_voids = 0;
	free(tree->verdict_reason);
	tree->verdict_reason = NULL;
	tree->dns_failure = false;
	if (q == NULL) {
		/* The client no address term matches (IPv4 view). */
		ev.nomatch = true;
		ev.env.family = 4;
	} else if ((st = aw_spf_eval_setup(&ev, q, &qdomain)) != AW_OK) {
		aw_spf_eval_done(&ev);
		return st;
	}
	r = aw_spf_eval_check_host(&ev, domain, 0, true, NULL);
	*blocked = ev.blocked;
	if (ev.nomem) {
		st = AW_ERR_NOMEM;
	} else if (!ev.blocked) {
		tree->lookups = ev.lookups;
		tree->voids = ev.voids;
		if (!ev.verdict_set) {
			tree->verdict = r;
			tree->verdict_lookups = ev.lookups;
			tree->verdict_voids = ev.voids;
			tree->verdict_reason = r == AW_SPF_NONE ?
			    aw_strdup(ev.reason) : NULL;
		}
	}
	aw_spf_eval_done(&ev);
	return st;
}
