/* spf-findings.c: what the SPF lookup tree (spf-lint.h) shows, as coded
 * findings: the state of each record, what its lookups came to (noted
 * by check_host() in tree mode), the limits of RFC 7208 §4.6.4 and the
 * record's own risky or obsolete terms. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf-lint.h"
#include "core/i18n.h"
#include "core/str.h"

/* The costliest includes named when the total is over the limit. */
#define COSTLIEST_SHOWN 3

static void
totals(struct aw_spf_node *n)
{
	size_t i;

	n->lookups = n->own_lookups;
	n->voids = n->own_voids;
	for (i = 0; i < n->nchildren; i++) {
		totals(n->children[i]);
		n->lookups += n->children[i]->lookups;
		n->voids += n->children[i]->voids;
	}
}

/* The record's own terms: what is ignored, risky or obsolete. */
static void
record_terms(struct aw_findings *f, const struct aw_spf_node *node)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;
	size_t i;

	if (node->record == NULL || aw_spf_parse(node->record,
	    strlen(node->record), &rec, &err) != AW_OK)
		return;
	for (i = 0; i < rec->nterms; i++) {
		const struct aw_spf_term *t = &rec->terms[i];
		bool after = rec->all >= 0 && (long)i > rec->all;

		/* RFC 7208 §6.1: redirect= is ignored when there is "all". */
		if (t->kind == AW_SPF_REDIRECT && rec->all >= 0) {
			aw_findings_add(f, AW_SEV_WARNING, "spf.redirect-ignored",
			    "RFC 7208 §6.1",
			    _("%s: \"%s\" is ignored because the record has \"%s\" (RFC 7208 §6.1)"),
			    node->domain, t->text, rec->terms[rec->all].text);
			continue;
		}
		/* RFC 7208 §5.1: receivers never look past "all"; §6:
		 * unknown modifiers are ignored wherever they are. */
		if (after && (t->kind < AW_SPF_REDIRECT ||
		    t->kind == AW_SPF_UNKNOWN_MOD))
			aw_findings_add(f, AW_SEV_NOTE, "spf.after-all",
			    "RFC 7208 §5.1",
			    _("%s: \"%s\" comes after \"%s\": receivers ignore it"),
			    node->domain, t->text, rec->terms[rec->all].text);
		switch (t->kind) {
		case AW_SPF_PTR:
			aw_findings_add(f, AW_SEV_WARNING, "spf.ptr",
			    "RFC 7208 §5.5",
			    _("%s: \"%s\": the ptr mechanism is slow and unreliable and SHOULD NOT be used (RFC 7208 §5.5)"),
			    node->domain, t->text);
			break;
		case AW_SPF_ALL:
			if ((long)i != rec->all)
				break;
			if (t->qualifier == AW_SPF_PASS)
				aw_findings_add(f, AW_SEV_WARNING, "spf.pass-all",
				    NULL, node->parent ?
				    _("%s: \"%s\" in an included record lets every host on the Internet pass") :
				    _("%s: \"%s\" lets every host on the Internet send as this domain"),
				    node->domain, t->text);
			else if (t->qualifier == AW_SPF_NEUTRAL &&
			    node->parent == NULL)
				aw_findings_add(f, AW_SEV_WARNING,
				    "spf.neutral-all", "RFC 7208 §8.2",
				    _("%s: \"%s\" says nothing about other hosts: receivers treat their mail as if there were no SPF"),
				    node->domain, t->text);
			break;
		default:
			break;
		}
	}
	if (node->parent == NULL && rec->all < 0 && rec->redirect < 0)
		aw_findings_add(f, AW_SEV_WARNING, "spf.no-all", "RFC 7208 §4.7",
		    _("%s: the record has no \"all\" and no redirect=: hosts not listed get \"neutral\"; end it with ~all or -all"),
		    node->domain);
	aw_spf_record_free(rec);
}

/* What one lookup of the record's terms came to. */
static void
event_finding(struct aw_findings *f, const struct aw_spf_node *n,
    const struct aw_spf_event *e)
{
	const char *term = e->term ? e->term : "", *name = e->name ?
	    e->name : "";

	switch (e->kind) {
	case AW_SPF_EV_VOID:
		/* An a or mx term that finds nothing is almost always a
		 * typo; exists and ptr are made to find nothing at times. */
		if (e->term_kind == AW_SPF_MX && e->type != AW_RECORD_MX)
			aw_findings_add(f, AW_SEV_WARNING, "spf.void-mx-host",
			    "RFC 7208 §4.6.4",
			    _("%s: \"%s\": the MX host %s has no %s record: a void lookup (RFC 7208 §4.6.4)"),
			    n->domain, term, name, aw_record_type_name(e->type));
		else if (e->term_kind == AW_SPF_A || e->term_kind == AW_SPF_MX)
			aw_findings_add(f, AW_SEV_WARNING, "spf.void-term",
			    "RFC 7208 §4.6.4",
			    _("%s: \"%s\": %s has no %s record: a void lookup (RFC 7208 §4.6.4); is the name mistyped?"),
			    n->domain, term, name, aw_record_type_name(e->type));
		else
			aw_findings_add(f, AW_SEV_NOTE, "spf.void-lookup",
			    "RFC 7208 §4.6.4",
			    _("%s: \"%s\": %s has no %s record (a void lookup, RFC 7208 §4.6.4)"),
			    n->domain, term, name, aw_record_type_name(e->type));
		break;
	case AW_SPF_EV_DNS_FAILURE:
		/* RFC 7208 §6.2: a failed exp= lookup only loses the
		 * explanation (still a DNS failure of the check). */
		if (e->term_kind == AW_SPF_EXP) {
			aw_findings_add(f, AW_SEV_WARNING, "spf.exp-dns-failure",
			    "RFC 7208 §6.2",
			    _("%s: \"%s\": the DNS lookup of %s %s failed (%s); receivers then give no explanation (RFC 7208 §6.2)"),
			    n->domain, term, aw_record_type_name(e->type), name,
			    aw_dns_result_text(e->result));
			break;
		}
		aw_findings_add(f, AW_SEV_ERROR, "spf.dns-failure",
		    "RFC 7208 §2.6.6",
		    _("%s: \"%s\": the DNS lookup of %s %s failed (%s); receivers return temperror (RFC 7208 §2.6.6)"),
		    n->domain, term, aw_record_type_name(e->type), name,
		    aw_dns_result_text(e->result));
		break;
	case AW_SPF_EV_MX_TOO_MANY:
		aw_findings_add(f, AW_SEV_ERROR, "spf.mx-limit", "RFC 7208 §4.6.4",
		    _("%s: \"%s\": %s has %zu MX records; the mx mechanism allows at most %d, receivers return permerror (RFC 7208 §4.6.4)"),
		    n->domain, term, name, e->count, AW_SPF_MAX_MX);
		break;
	case AW_SPF_EV_MACRO:
		aw_findings_add(f, AW_SEV_NOTE, "spf.macro", "RFC 7208 §7",
		    _("%s: \"%s\" uses macros; what it costs is known only when a message is checked"),
		    n->domain, term);
		break;
	case AW_SPF_EV_SKIPPED:
		aw_findings_add(f, AW_SEV_WARNING, "spf.not-looked-at", NULL,
		    _("%s: \"%s\": not looked at: the tree is too deep or too large"),
		    n->domain, term);
		break;
	case AW_SPF_EV_EXP_NO_TXT:
		aw_findings_add(f, AW_SEV_WARNING, "spf.exp-no-txt", "RFC 7208 §6.2",
		    _("%s: \"%s\": %s has no TXT record, so receivers give no explanation (RFC 7208 §6.2)"),
		    n->domain, term, name);
		break;
	case AW_SPF_EV_EXP_MANY_TXT:
		aw_findings_add(f, AW_SEV_WARNING, "spf.exp-many-txt",
		    "RFC 7208 §6.2",
		    _("%s: \"%s\": %s has %zu TXT records; with more than one, receivers give no explanation (RFC 7208 §6.2)"),
		    n->domain, term, name, e->count);
		break;
	}
}

static void
node_findings(struct aw_findings *f, const struct aw_spf_node *n)
{
	const char *from = n->parent ? n->parent->domain : NULL;
	bool nx = n->problem != NULL &&
	    strcmp(n->problem, _("the name does not exist")) == 0;
	size_t i;

	switch (n->state) {
	case AW_SPF_NODE_OK:
		record_terms(f, n);
		/* RFC 7208 §3.3: one character-string holds 255 bytes. */
		if (n->longest_string > 255)
			aw_findings_add(f, AW_SEV_WARNING, "spf.string-too-long",
			    "RFC 7208 §3.3",
			    _("%s: a string of the SPF record is %zu bytes long; a TXT string holds at most 255 (RFC 7208 §3.3)"),
			    n->domain, n->longest_string);
		if (n->record_bytes > AW_SPF_UDP_ADVICE)
			aw_findings_add(f, AW_SEV_WARNING, "spf.record-size",
			    "RFC 7208 §3.4",
			    _("%s: the SPF record is %zu bytes long; over %d bytes DNS answers may need TCP, which some receivers do not use (RFC 7208 §3.4)"),
			    n->domain, n->record_bytes, AW_SPF_UDP_ADVICE);
		break;
	case AW_SPF_NODE_NONE:
		if (n->parent == NULL)
			break;   /* the area reports a missing record itself */
		if (n->via_kind == AW_SPF_INCLUDE)
			aw_findings_add(f, AW_SEV_ERROR, "spf.include-no-record",
			    "RFC 7208 §5.2",
			    _("%s: \"%s\": %s has no SPF record%s; receivers return permerror for the whole check (RFC 7208 §5.2)"),
			    from, n->via, n->domain, nx ?
			    _(" (the name does not exist)") : "");
		else
			aw_findings_add(f, AW_SEV_ERROR, "spf.redirect-no-record",
			    "RFC 7208 §6.1",
			    _("%s: \"%s\": %s has no SPF record%s; receivers return permerror for the whole check (RFC 7208 §6.1)"),
			    from, n->via, n->domain, nx ?
			    _(" (the name does not exist)") : "");
		break;
	case AW_SPF_NODE_MULTIPLE:
		aw_findings_add(f, AW_SEV_ERROR, "spf.multiple-records",
		    "RFC 7208 §4.5",
		    _("%s publishes %s; more than one is a permanent error (RFC 7208 §4.5): merge them into one"),
		    n->domain, n->problem);
		break;
	case AW_SPF_NODE_INVALID:
		aw_findings_add(f, AW_SEV_ERROR, "spf.syntax", "RFC 7208 §4.6",
		    _("%s: %s"), n->domain, n->problem);
		break;
	case AW_SPF_NODE_DNS_ERROR:
		if (n->parent == NULL)
			break;   /* the caller reports its own root lookup */
		aw_findings_add(f, AW_SEV_ERROR, "spf.dns-failure",
		    "RFC 7208 §4.4",
		    _("the SPF record of %s could not be fetched (%s); receivers return temperror (RFC 7208 §4.4)"),
		    n->domain, n->problem);
		break;
	case AW_SPF_NODE_LOOP:
		aw_findings_add(f, AW_SEV_ERROR, "spf.loop", "RFC 7208 §4.6.4",
		    _("%s: \"%s\" leads back to %s: a loop; receivers return permerror (RFC 7208 §4.6.4)"),
		    from, n->via, n->domain);
		break;
	case AW_SPF_NODE_MACRO:
		aw_findings_add(f, AW_SEV_NOTE, "spf.macro", "RFC 7208 §7",
		    _("%s: \"%s\" uses macros; what it costs is known only when a message is checked"),
		    from, n->via);
		break;
	case AW_SPF_NODE_SKIPPED:
		aw_findings_add(f, AW_SEV_WARNING, "spf.not-looked-at", NULL,
		    _("%s: \"%s\": %s"), from ? from : n->domain,
		    n->via ? n->via : n->domain, n->problem);
		break;
	default:
		break;
	}
	for (i = 0; i < n->nevents; i++)
		event_finding(f, n, &n->events[i]);
	for (i = 0; i < n->nchildren; i++)
		node_findings(f, n->children[i]);
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
lighter_of(const struct aw_spf_tree_opts *o, const struct aw_spf_node *n)
{
	const char *lighter;

	if (o == NULL || o->lighter == NULL || n->via_kind != AW_SPF_INCLUDE ||
	    n->state == AW_SPF_NODE_MACRO || n->state == AW_SPF_NODE_LOOP)
		return NULL;
	lighter = o->lighter(o->lighter_arg, n->domain);
	if (lighter == NULL || aw_domain_equal(lighter, n->domain))
		return NULL;
	return lighter;
}

/* Notes the lighter variants of includes deeper in the tree (those the
 * costliest list did not name). */
static void
lighter_notes(struct aw_spf_tree *tr, const struct aw_spf_tree_opts *o,
    const struct aw_spf_node *n, struct aw_spf_node *const *shown,
    size_t nshown)
{
	const char *lighter;
	size_t i;

	for (i = 0; i < nshown; i++)
		if (shown[i] == n)
			break;
	if (i == nshown && (lighter = lighter_of(o, n)) != NULL)
		aw_findings_add(&tr->findings, AW_SEV_NOTE, "spf.lighter-include",
		    NULL,
		    _("%s: include:%s costs %u lookups; the sender also offers the lighter include:%s"),
		    n->parent ? n->parent->domain : n->domain, n->domain,
		    1 + n->lookups, lighter);
	for (i = 0; i < n->nchildren; i++)
		lighter_notes(tr, o, n->children[i], shown, nshown);
}

/* Every include node learns its lighter variant (shown in the tree). */
static void
set_lighter(const struct aw_spf_tree_opts *o, struct aw_spf_node *n)
{
	const char *lighter = lighter_of(o, n);
	size_t i;

	if (lighter != NULL && n->lighter == NULL)
		n->lighter = aw_strdup(lighter);
	for (i = 0; i < n->nchildren; i++)
		set_lighter(o, n->children[i]);
}

/* RFC 7208 §4.6.4: more than 10 DNS-querying terms: permerror. The
 * message names the costliest branches and, where the sender catalog
 * knows one, the lighter include of the same sender. */
static void
lookup_limit(struct aw_spf_tree *tr, const struct aw_spf_tree_opts *o)
{
	struct aw_spf_node *root = tr->root;
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
		if (v[i]->via_kind == AW_SPF_REDIRECT && v[i]->nchildren > 0)
			continue;
		aw_buf_printf(&b, "%s%s (%u", nshown ? ", " : "", v[i]->via,
		    1 + v[i]->lookups);
		if ((lighter = lighter_of(o, v[i])) != NULL)
			aw_buf_printf(&b,
			    _("; the sender offers the lighter include:%s"),
			    lighter);
		aw_buf_puts(&b, ")");
		shown[nshown++] = v[i];
	}
	aw_findings_add(&tr->findings, AW_SEV_ERROR, "spf.lookup-limit",
	    "RFC 7208 §4.6.4",
	    _("the SPF check of %s costs %u DNS lookups; receivers return permerror past %d (RFC 7208 §4.6.4). Costliest: %s"),
	    root->domain, tr->lookups, AW_SPF_MAX_LOOKUPS,
	    b.len ? aw_buf_str(&b) : "-");
	aw_buf_done(&b);
	lighter_notes(tr, o, root, shown, nshown);
}

void
aw_spf_tree_findings(struct aw_spf_tree *tr,
    const struct aw_spf_tree_opts *o)
{
	struct aw_spf_node *root = tr->root;

	if (root == NULL)
		return;
	totals(root);
	set_lighter(o, root);
	node_findings(&tr->findings, root);
	if (tr->lookups > AW_SPF_MAX_LOOKUPS)
		lookup_limit(tr, o);
	if (tr->voids > AW_SPF_MAX_VOID)
		aw_findings_add(&tr->findings, AW_SEV_ERROR, "spf.void-limit",
		    "RFC 7208 §4.6.4",
		    _("%u names in the SPF tree of %s have no answer (void lookups); receivers may return permerror past %d (RFC 7208 §4.6.4)"),
		    tr->voids, root->domain, AW_SPF_MAX_VOID);
}
