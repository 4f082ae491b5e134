/* render-spf.c: the SPF area's own output in `check`: the lookup tree
 * (spf-lint.h), human and JSON. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/spf-lint.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"

/* Deeper branches are summarised, not drawn (hostile data). */
#define TREE_SHOW_DEPTH 8

static const char *
node_state_text(enum aw_spf_node_state s)
{
	switch (s) {
	case AW_SPF_NODE_OK: return "";
	case AW_SPF_NODE_NONE: return _("no SPF record");
	case AW_SPF_NODE_MULTIPLE: return _("more than one SPF record");
	case AW_SPF_NODE_INVALID: return _("invalid record");
	case AW_SPF_NODE_DNS_ERROR: return _("lookup failed");
	case AW_SPF_NODE_LOOP: return _("loop");
	case AW_SPF_NODE_MACRO: return _("uses macros");
	case AW_SPF_NODE_SKIPPED: return _("not looked at");
	case AW_SPF_NODE_PENDING: return _("waiting for DNS");
	}
	return "";
}

/* What a branch costs: its own terms and those below, plus the
 * include/redirect term that leads to it (RFC 7208 §4.6.4). */
static unsigned
node_cost(const struct aw_spf_node *n)
{
	return n->lookups + (n->parent != NULL ? 1 : 0);
}

static void
node_human(FILE *out, const struct aw_spf_node *n, unsigned depth)
{
	size_t i;

	fprintf(out, "    %*s", (int)(depth * 2), "");
	aw_cli_put_escaped(out, n->via ? n->via : n->domain, 300);
	if (n->state == AW_SPF_NODE_OK)
		fprintf(out, P_("  [%u lookup", "  [%u lookups", node_cost(n)),
		    node_cost(n));
	else
		fprintf(out, "  [%s", node_state_text(n->state));
	if (n->voids > 0)
		fprintf(out, P_(", %u void", ", %u void", n->voids), n->voids);
	if (n->lighter != NULL) {
		fputs(_("; lighter: include:"), out);
		aw_cli_put_escaped(out, n->lighter, 300);
	}
	fputs("]\n", out);
	if (depth >= TREE_SHOW_DEPTH) {
		if (n->nchildren > 0)
			fprintf(out, "    %*s...\n", (int)(depth * 2 + 2), "");
		return;
	}
	for (i = 0; i < n->nchildren; i++)
		node_human(out, n->children[i], depth + 1);
}

static void
spf_human(FILE *out, const struct aw_section *sec)
{
	const struct aw_spf_tree *t = sec->detail;

	if (t == NULL || t->root == NULL || t->root->state != AW_SPF_NODE_OK)
		return;
	fputs(_("    lookup tree (DNS lookups each branch costs):\n"), out);
	node_human(out, t->root, 1);
}

static json_t *
node_json(const struct aw_spf_node *n, unsigned depth)
{
	json_t *o = json_object(), *kids = json_array();
	size_t i;

	json_object_set_new_nocheck(o, "domain", aw_json_text(n->domain));
	json_object_set_new_nocheck(o, "via", n->via ? aw_json_text(n->via) :
	    json_null());
	json_object_set_new_nocheck(o, "state",
	    json_string(aw_spf_node_state_name(n->state)));
	json_object_set_new_nocheck(o, "record",
	    n->record ? aw_json_text(n->record) :
	    json_null());
	json_object_set_new_nocheck(o, "problem", n->problem ?
	    aw_json_text(n->problem) : json_null());
	json_object_set_new_nocheck(o, "own_lookups",
	    json_integer(n->own_lookups));
	json_object_set_new_nocheck(o, "lookups", json_integer(n->lookups));
	json_object_set_new_nocheck(o, "cost", json_integer(node_cost(n)));
	json_object_set_new_nocheck(o, "voids", json_integer(n->voids));
	json_object_set_new_nocheck(o, "lighter", aw_json_text(n->lighter));
	for (i = 0; i < n->nchildren && depth < AW_SPF_TREE_MAX_DEPTH + 2; i++)
		json_array_append_new(kids, node_json(n->children[i],
		    depth + 1));
	json_object_set_new_nocheck(o, "children", kids);
	return o;
}

static void
spf_json(json_t *o, const struct aw_section *sec)
{
	const struct aw_spf_tree *t = sec->detail;

	if (t == NULL || t->root == NULL) {
		json_object_set_new_nocheck(o, "tree", json_null());
		return;
	}
	json_object_set_new_nocheck(o, "spf_lookups", json_integer(t->lookups));
	json_object_set_new_nocheck(o, "spf_lookup_limit",
	    json_integer(AW_SPF_MAX_LOOKUPS));
	json_object_set_new_nocheck(o, "spf_voids", json_integer(t->voids));
	/* What check_host() (`spf --ip`) gives a host no term lists: the
	 * same evaluation, so the same result and counts. */
	if (t->finished) {
		json_t *v = json_object();

		json_object_set_new_nocheck(v, "result",
		    json_string(aw_spf_result_name(t->verdict)));
		json_object_set_new_nocheck(v, "lookups",
		    json_integer(t->verdict_lookups));
		json_object_set_new_nocheck(v, "void_lookups",
		    json_integer(t->verdict_voids));
		json_object_set_new_nocheck(v, "reason", t->verdict_reason ?
		    aw_json_text(t->verdict_reason) : json_null());
		json_object_set_new_nocheck(o, "spf_unlisted_host", v);
	}
	json_object_set_new_nocheck(o, "tree", node_json(t->root, 0));
}

const struct aw_cli_render aw_render_spf = { "spf", spf_human, spf_json };
