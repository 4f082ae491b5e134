/* spf-lint.c: the SPF lookup tree of `check` and the TUI: check_host()
 * in tree mode (aw_spf_walk, spf-eval.c) run over answers fetched here
 * asynchronously and concurrently, and the coded findings that come
 * from the tree it builds. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf-lint.h"
#include "core/i18n.h"
#include "core/str.h"

/* Names the cache holds at most (hints past it are dropped). */
#define CACHE_MAX (2 * AW_SPF_TREE_MAX_QUERIES)
/* Runs of the evaluation at most (each waits for answers). */
#define RUNS_MAX 200

/* One name/type: its answer, or NULL while it is asked. */
struct cached {
	char *name;                   /* normalized */
	enum aw_record_type type;
	struct aw_dns_answer *ans;
	struct cached *next;
};

struct lint {
	struct aw_spf_tree pub;       /* first: the public part */
	const struct aw_dns_source *src;
	struct aw_spf_tree_opts opts;
	struct aw_spf_query query;    /* a copy of *opts.query */
	char *qip, *qsender, *qhelo, *qdomain;
	char *domain;
	aw_spf_tree_cb done;
	void *arg;
	unsigned pending;
	struct lq *asked;             /* the queries in flight */
	struct cached *cache;
	unsigned ncache, runs;
	bool freed;                   /* freed by the owner while pending */
};

struct lq {
	struct lint *l;
	struct cached *c;
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

void
aw_spf_node_free(struct aw_spf_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nchildren; i++)
		aw_spf_node_free(n->children[i]);
	for (i = 0; i < n->nevents; i++) {
		free(n->events[i].term);
		free(n->events[i].name);
	}
	free(n->events);
	free(n->children);
	free(n->domain);
	free(n->via);
	free(n->record);
	free(n->problem);
	free(n->lighter);
	free(n);
}

struct aw_spf_node *
aw_spf_node_add(struct aw_spf_tree *tree, struct aw_spf_node *parent,
    const char *domain, const char *via, enum aw_spf_kind via_kind)
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
	} else {
		aw_spf_node_free(tree->root);
		tree->root = n;
	}
	tree->nodes++;
	return n;
fail:
	aw_spf_node_free(n);
	return NULL;
}

void
aw_spf_node_set(struct aw_spf_node *n, enum aw_spf_node_state st,
    const char *problem)
{
	n->state = st;
	free(n->problem);
	n->problem = aw_strdup(problem);
}

bool
aw_spf_node_event(struct aw_spf_node *n, const struct aw_spf_event *ev)
{
	struct aw_spf_event *grown, *e;

	grown = realloc(n->events, (n->nevents + 1) * sizeof *grown);
	if (grown == NULL)
		return false;
	n->events = grown;
	e = &n->events[n->nevents];
	*e = *ev;
	e->term = aw_strdup(ev->term);
	e->name = aw_strdup(ev->name);
	if ((ev->term != NULL && e->term == NULL) ||
	    (ev->name != NULL && e->name == NULL)) {
		free(e->term);
		free(e->name);
		return false;
	}
	n->nevents++;
	return true;
}

static void
lint_free(struct lint *l)
{
	struct cached *c, *next;

	aw_spf_node_free(l->pub.root);
	free(l->pub.verdict_reason);
	aw_findings_done(&l->pub.findings);
	for (c = l->cache; c != NULL; c = next) {
		next = c->next;
		aw_dns_answer_free(c->ans);
		free(c->name);
		free(c);
	}
	free(l->qip);
	free(l->qsender);
	free(l->qhelo);
	free(l->qdomain);
	free(l->domain);
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

/* ---- the answers in hand ---- */

static struct cached *
cache_find(struct lint *l, const char *name, enum aw_record_type type)
{
	struct cached *c;

	for (c = l->cache; c != NULL; c = c->next)
		if (c->type == type && strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const struct aw_dns_answer *
io_get(void *arg, const char *name, enum aw_record_type type)
{
	struct lint *l = arg;
	struct cached *c;
	char *norm = aw_domain_normalize(name);

	if (norm == NULL)
		return NULL;
	c = cache_find(l, norm, type);
	free(norm);
	return c != NULL ? c->ans : NULL;
}

static void lint_answer(struct aw_dns_answer *ans, void *arg);

static void
io_want(void *arg, const char *name, enum aw_record_type type, bool needed)
{
	struct lint *l = arg;
	struct cached *c;
	struct lq *q;
	char *norm = aw_domain_normalize(name);

	if (norm == NULL)
		return;
	if (cache_find(l, norm, type) != NULL ||
	    (!needed && l->ncache >= CACHE_MAX)) {
		free(norm);
		return;
	}
	if ((c = calloc(1, sizeof *c)) == NULL) {
		free(norm);
		return;
	}
	c->name = norm;
	c->type = type;
	c->next = l->cache;
	l->cache = c;
	l->ncache++;
	if ((q = calloc(1, sizeof *q)) != NULL) {
		q->l = l;
		q->c = c;
		q->next = l->asked;
		if (l->asked != NULL)
			l->asked->prev = q;
		l->asked = q;
		l->pending++;
		if (aw_dns_query(l->src, c->name, type, lint_answer, q) == AW_OK)
			return;
		l->pending--;
		lq_unlink(l, q);
		free(q);
	}
	/* Not asked: the run sees a failed lookup. */
	c->ans = aw_dns_answer_new(c->name, type, AW_DNS_ERROR);
}

static void lint_finish(struct lint *l);

/* Runs the evaluation over the answers in hand until it needs one that
 * is asked (then the last answer runs it again) or it is complete. */
static void
lint_step(struct lint *l)
{
	const struct aw_spf_walk_io io = { io_get, io_want, l };
	bool blocked;

	while (l->pending == 0) {
		if (++l->runs > RUNS_MAX ||
		    aw_spf_walk(&io, l->domain, l->opts.query ? &l->query :
		    NULL, &l->pub, &blocked) != AW_OK) {
			aw_findings_add(&l->pub.findings, AW_SEV_ERROR,
			    "spf.incomplete", NULL,
			    _("the SPF tree of %s could not be worked out in full"),
			    l->domain);
			l->pub.dns_failure = true;
			break;
		}
		if (!blocked)
			break;
	}
	if (l->pending > 0)
		return;
	lint_finish(l);
	if (l->done != NULL)
		l->done(&l->pub, l->arg);
}

static void
lint_answer(struct aw_dns_answer *ans, void *arg)
{
	struct lq *q = arg;
	struct lint *l = q->l;

	lq_unlink(l, q);
	if (q->c->ans == NULL)
		q->c->ans = ans;
	else
		aw_dns_answer_free(ans);
	free(q);
	if (--l->pending > 0)
		return;
	if (l->freed) {
		lint_free(l);
		return;
	}
	lint_step(l);
}

static char *
dup_or_null(const char *s, bool *nomem)
{
	char *d = aw_strdup(s);

	if (s != NULL && d == NULL)
		*nomem = true;
	return d;
}

enum aw_status
aw_spf_tree_start(const struct aw_dns_source *src, const char *domain,
    const struct aw_spf_tree_opts *opts, aw_spf_tree_cb done, void *arg,
    struct aw_spf_tree **out, struct aw_error *err)
{
	struct lint *l = calloc(1, sizeof *l);
	bool nomem = false;

	*out = NULL;
	if (l == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	aw_findings_init(&l->pub.findings);
	l->src = src;
	if (opts != NULL)
		l->opts = *opts;
	if (l->opts.query != NULL) {
		l->query = *l->opts.query;
		l->query.ip = l->qip = dup_or_null(l->query.ip, &nomem);
		l->query.sender = l->qsender = dup_or_null(l->query.sender,
		    &nomem);
		l->query.helo = l->qhelo = dup_or_null(l->query.helo, &nomem);
		l->query.domain = l->qdomain = dup_or_null(l->query.domain,
		    &nomem);
		l->query.receiver = NULL;
		l->query.default_explanation = NULL;
	}
	l->done = done;
	l->arg = arg;
	if (nomem || (l->domain = strdup(domain)) == NULL) {
		lint_free(l);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	/* The first run waits for the record at the top (so done never
	 * runs from inside this call). */
	io_want(l, l->domain, AW_RECORD_TXT, true);
	if (l->pending == 0) {
		lint_free(l);
		return aw_error_set(err, AW_ERR_DNS,
		    _("could not ask DNS for the SPF record of %s"), domain);
	}
	*out = &l->pub;
	return AW_OK;
}

static void
lint_finish(struct lint *l)
{
	aw_spf_tree_findings(&l->pub, &l->opts);
	l->pub.finished = true;
}
