/* test_spf_agreement.c: the lookup tree of `check` (aw_spf_tree_start,
 * spf-lint.h) and check_host() of `spf --ip` (aw_spf_check_host) agree
 * on every case of the RFC 7208 conformance suite (openspf.org 2014.04,
 * 203 tests; found as test_spf_conformance.c finds it): the result, the
 * DNS-querying terms and the void lookups counted when it was reached,
 * so permerror and temperror too. Then the tree as `check` builds it (no
 * client: nothing address-based matches) against check_host() for a
 * client no term lists, wherever that client's path is the tree's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "checks/dns-memory.h"
#include "checks/spf-lint.h"
#include "checks/spf.h"
#include "core/loop.h"
#include "core/str.h"
#include "helpers/rfc7208.h"

/* An address no record of the suite lists (RFC 5737 TEST-NET-3). */
#define UNLISTED_IP "203.0.113.77"

static json_t *suite;
static unsigned total, agreed, unlisted_compared;

struct run {
	struct aw_loop *loop;
	struct aw_spf_tree *tree;
	int done;
};

static void
on_done(struct aw_spf_tree *tree, void *arg)
{
	struct run *r = arg;

	assert_ptr_equal(tree, r->tree);
	r->done++;
}

/* The tree of domain over src, for q (NULL: as `check` builds it). */
static struct aw_spf_tree *
tree_of(struct aw_loop *loop, const struct aw_dns_source *src,
    const char *domain, const struct aw_spf_query *q)
{
	struct aw_spf_tree_opts o = { NULL, NULL, q };
	struct run r = { loop, NULL, 0 };
	struct aw_error err;
	unsigned spins = 0;

	assert_int_equal(aw_spf_tree_start(src, domain, &o, on_done, &r,
	    &r.tree, &err), AW_OK);
	while (r.done == 0 && aw_loop_run_once(loop, 1000))
		assert_true(++spins < 100000);
	assert_int_equal(r.done, 1);
	assert_true(r.tree->finished);
	return r.tree;
}

/* The domain check_host() checks for q (RFC 7208 §2.4, §4.3). */
static const char *
query_domain(const struct aw_spf_query *q)
{
	const char *at;

	if (q->sender == NULL || q->sender[0] == '\0')
		return q->helo ? q->helo : "";
	at = strrchr(q->sender, '@');
	return at ? at + 1 : q->sender;
}

static bool
has_ci(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (; *s != '\0'; s++)
		if (aw_strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

/* True when the unlisted client's path can differ from the tree's:
 * macros (not expanded without a client) or ptr (asks the client's
 * name) anywhere in the tree. */
static bool
client_dependent(const struct aw_spf_node *n)
{
	size_t i;

	if (n->state == AW_SPF_NODE_MACRO)
		return true;
	if (n->record != NULL && (strchr(n->record, '%') != NULL ||
	    has_ci(n->record, "ptr")))
		return true;
	for (i = 0; i < n->nevents; i++)
		if (n->events[i].kind == AW_SPF_EV_MACRO)
			return true;
	for (i = 0; i < n->nchildren; i++)
		if (client_dependent(n->children[i]))
			return true;
	return false;
}

/* The unlisted client went the tree's whole way: no term matched before
 * the end (or an error stopped it first). */
static bool
went_the_whole_way(const struct aw_spf_outcome *o)
{
	const char *t = o->term;

	if (o->result == AW_SPF_PERMERROR || o->result == AW_SPF_TEMPERROR ||
	    o->result == AW_SPF_NONE || t == NULL)
		return true;
	if (*t == '+' || *t == '-' || *t == '~' || *t == '?')
		t++;
	return strcmp(t, "default") == 0 || aw_strcasecmp(t, "all") == 0 ||
	    aw_str_has_prefix_ci(t, "redirect=");
}

static void
compare(const char *id, const char *what, const struct aw_spf_tree *tr,
    const struct aw_spf_outcome *o)
{
	if (tr->verdict == o->result && tr->verdict_lookups == o->lookups &&
	    tr->verdict_voids == o->void_lookups)
		return;
	fail_msg("%s (%s): tree %s, %u lookups, %u void; check_host %s, "
	    "%u lookups, %u void; reason %s", id, what,
	    aw_spf_result_name(tr->verdict), tr->verdict_lookups,
	    tr->verdict_voids, aw_spf_result_name(o->result), o->lookups,
	    o->void_lookups, o->reason ? o->reason : "-");
}

static void
run_scenario(void **state)
{
	json_t *sc = *state, *zone = json_object_get(sc, "zonedata"),
	    *tests = json_object_get(sc, "tests"), *t;
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	size_t i;

	assert_non_null(loop);
	m = aw_test_rfc7208_zone(loop, zone);
	src = aw_dns_memory_source(m);

	json_array_foreach(tests, i, t) {
		const char *id = json_string_value(json_object_get(t, "id"));
		struct aw_spf_query q;
		struct aw_spf_outcome out;
		struct aw_spf_tree *tr;
		struct aw_error err;

		memset(&q, 0, sizeof q);
		q.ip = json_string_value(json_object_get(t, "host"));
		q.sender = json_string_value(json_object_get(t, "mailfrom"));
		q.helo = json_string_value(json_object_get(t, "helo"));
		q.now = 1400000000;    /* %{t} the same in both */
		total++;
		/* The tree for this client and check_host() for it. */
		assert_int_equal(aw_spf_check_host(&src, &q, &out, &err), AW_OK);
		tr = tree_of(loop, &src, query_domain(&q), &q);
		compare(id, "same client", tr, &out);
		/* A DNS failure is in both, or in neither. */
		assert_true(!tr->dns_failure || out.result != AW_SPF_NONE);
		if (out.result == AW_SPF_TEMPERROR)
			assert_true(tr->dns_failure);
		aw_spf_tree_free(tr);
		aw_spf_outcome_done(&out);
		agreed++;

		/* The tree `check` builds against a client no term lists. */
		tr = tree_of(loop, &src, query_domain(&q), NULL);
		q.ip = UNLISTED_IP;
		assert_int_equal(aw_spf_check_host(&src, &q, &out, &err), AW_OK);
		if (tr->root != NULL && !client_dependent(tr->root) &&
		    went_the_whole_way(&out)) {
			compare(id, "unlisted client", tr, &out);
			unlisted_compared++;
		}
		aw_spf_tree_free(tr);
		aw_spf_outcome_done(&out);
	}
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static int
teardown_all(void **state)
{
	(void)state;
	printf("tree and check_host agree on %u of %u suite cases; %u "
	    "compared for an unlisted client too\n", agreed, total,
	    unlisted_compared);
	fflush(stdout);
	return 0;
}

int
main(void)
{
	struct CMUnitTest *tests;
	json_error_t jerr;
	json_t *scs;
	char *path = aw_test_rfc7208_path();
	size_t i, n;
	int rc;

	suite = json_load_file(path, JSON_ALLOW_NUL, &jerr);
	if (suite == NULL) {
		fprintf(stderr, "cannot read %s: %s\n", path, jerr.text);
		free(path);
		return 1;
	}
	free(path);
	scs = json_object_get(suite, "scenarios");
	n = json_array_size(scs);
	tests = calloc(n, sizeof *tests);
	if (tests == NULL)
		return 1;
	for (i = 0; i < n; i++) {
		json_t *sc = json_array_get(scs, i);

		tests[i].name = json_string_value(json_object_get(sc,
		    "description"));
		tests[i].test_func = run_scenario;
		tests[i].initial_state = sc;
	}
	rc = _cmocka_run_group_tests("spf_tree_agrees_with_check_host", tests,
	    n, NULL, teardown_all);
	/* Every case of the suite is compared: fewer means some were lost,
	 * and too few unlisted-client comparisons mean that check is idle. */
	if (total != 203 || agreed != 203 || unlisted_compared < 100) {
		fprintf(stderr, "compared %u of %u cases, %u unlisted\n",
		    agreed, total, unlisted_compared);
		rc = 1;
	}
	free(tests);
	json_decref(suite);
	return rc;
}
