/* test_tui_review.c: the wizard's review over the preflight engine
 * (checks/preflight.h, the same as `authwizard plan`'s): the plan the
 * DNS host would make from the wizard's wants (the plan builder of
 * providers/plan.h over the records the zone holds), preflighted on the
 * loop by tui/preflight.c as tui/main.c does, the findings matched by
 * code. */
#include "config.h"

#include <stdio.h>

#include "core/str.h"
#include "providers/plan.h"
#include "tui/apply.h"
#include "tui/model-int.h"
#include "tui/preflight.h"
#include "tui-fixture.h"

#define DOM "example.test"

/* A -all record, a verification TXT, DMARC reject; eleven hosts that
 * exist (lookups, not void ones). */
static void
zone_strict(struct fixture *fx)
{
	char host[64];
	int i;

	aw_dns_memory_add_txt1(fx->zone, DOM, "v=spf1 ip4:192.0.2.10 -all");
	aw_dns_memory_add_txt1(fx->zone, DOM, "site-verification=abc");
	aw_dns_memory_add_txt1(fx->zone, "_dmarc." DOM,
	    "v=DMARC1; p=reject; rua=mailto:d@" DOM);
	for (i = 1; i <= 11; i++) {
		snprintf(host, sizeof host, "h%d." DOM, i);
		aw_dns_memory_add_addr(fx->zone, host, "192.0.2.20");
	}
}

/* What the host holds: the zone's TXT sets. */
static void
current_strict(struct aw_record_set *cur)
{
	struct aw_record *r;

	aw_record_set_init(cur);
	r = aw_record_set_push(cur);
	assert_int_equal(aw_record_init(r, DOM, AW_RECORD_TXT, 300), AW_OK);
	aw_record_add(r, "v=spf1 ip4:192.0.2.10 -all");
	aw_record_add(r, "site-verification=abc");
	r = aw_record_set_push(cur);
	assert_int_equal(aw_record_init(r, "_dmarc." DOM, AW_RECORD_TXT, 300), AW_OK);
	aw_record_add(r, "v=DMARC1; p=reject; rua=mailto:d@" DOM);
}

static void
to_model(const struct aw_tui_event *ev, void *arg)
{
	struct fixture *fx = arg;

	aw_tui_model_event(fx->m, ev);
}

/* The overview, then the SPF step with the own terms typed. */
static void
to_spf(struct fixture *fx, int nhosts)
{
	struct aw_tui_model *m = fx->m;
	char term[64];
	int i;

	zone_strict(fx);
	aw_tui_model_type(m, DOM);
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_START_CHECK);
	run_check(fx);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_SPF);
	aw_tui_model_key(m, AW_EV_TAB);           /* the own-term field */
	assert_int_equal(m->focus, AW_FOCUS_FIELD1);
	for (i = 1; i <= nhosts; i++) {
		snprintf(term, sizeof term, "a:h%d." DOM, i);
		aw_tui_model_type(m, term);
		aw_tui_model_key(m, AW_EV_NEXT);
	}
	aw_tui_model_key(m, AW_EV_BACK);
	assert_int_equal(m->screen, AW_SCR_SPF);
	assert_non_null(strstr(m->spf_draft, nhosts > 1 ? "a:h2." DOM : "a:h1." DOM));
}

/* From the SPF step to the review, then PowerDNS chosen: the model asks
 * for the host's plan. */
static void
to_target(struct fixture *fx)
{
	struct aw_tui_model *m = fx->m;
	int guard = 0;

	while (m->screen != AW_SCR_REVIEW && guard++ < 10)
		aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	while (m->target != aw_tui_target_find("powerdns"))
		aw_tui_model_key(m, m->target < aw_tui_target_find("powerdns") ? AW_EV_DOWN : AW_EV_UP);
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 0, "http://127.0.0.1:1");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 1, "key");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_BUILD_PLAN);
	assert_true(m->planning);
}

static void
strict_plan(struct aw_tui_model *m, struct aw_plan *plan)
{
	struct aw_wants w;
	struct aw_record_set cur;
	struct aw_strv names;
	struct aw_zone *zones;
	struct aw_error err;
	size_t i;

	aw_wants_init(&w);
	aw_error_clear(&err);
	assert_int_equal(aw_tui_wants(m, &w, &err), AW_OK);
	current_strict(&cur);
	aw_strv_init(&names);
	assert_int_equal(aw_wants_names(&w, &names), AW_OK);
	zones = calloc(names.n + 1, sizeof *zones);
	assert_non_null(zones);
	for (i = 0; i < names.n; i++) {
		zones[i].id = strdup(DOM ".");
		zones[i].name = strdup(DOM);
	}
	aw_plan_init(plan);
	assert_int_equal(aw_plan_build(&w, &cur, &names, zones, plan, &err), AW_OK);
	if (plan->domain == NULL)
		plan->domain = strdup(DOM);
	for (i = 0; i < names.n; i++)
		aw_zone_done(&zones[i]);
	free(zones);
	aw_strv_done(&names);
	aw_record_set_done(&cur);
	aw_wants_done(&w);
}

/* The host's plan (the plan builder over what it holds) reaches the
 * model; the model asks for its preflight, which runs on the loop over
 * the memory zone (tui/preflight.c, as main runs it). */
static void
plan_and_preflight(struct fixture *fx, struct aw_plan *plan)
{
	struct aw_tui_model *m = fx->m;
	struct aw_tui_preflight *pf;
	struct aw_plan given;
	struct aw_error err;
	struct aw_tui_event ev;
	int guard = 0;

	strict_plan(m, plan);
	strict_plan(m, &given);
	aw_error_clear(&err);

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	ev.ok = true;
	ev.plan = &given;
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_PREFLIGHT);
	aw_plan_done(&given);
	assert_int_equal(m->preflight_state, AW_TUI_PF_RUNNING);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	/* Not blocking: the model is back before any lookup is answered. */
	pf = aw_tui_preflight_new(fx->loop, &fx->src);
	assert_non_null(pf);
	assert_int_equal(aw_tui_preflight_start(pf, plan, to_model, fx, &err), AW_OK);
	assert_int_equal(m->preflight_state, AW_TUI_PF_RUNNING);
	/* Enter on the review, then on the target screen: not the
	 * confirmation while the zone is still being checked. */
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(m->confirming);
	assert_non_null(m->error);
	while (m->preflight_state == AW_TUI_PF_RUNNING && guard++ < 1000)
		aw_loop_run_once(fx->loop, 1000);
	assert_int_equal(m->preflight_state, AW_TUI_PF_DONE);
	assert_null(m->error);                    /* the wait is over */
	aw_tui_preflight_reap(pf);
	aw_tui_preflight_free(pf);
}

/* Issue 13: the SPF as it will be costs 11 lookups: the engine's error
 * is on the review, and y alone does not apply. */
static void
test_preflight_error_needs_a_second_confirmation(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	const struct aw_finding *fi;
	struct aw_plan plan;
	unsigned e;

	to_spf(fx, 11);
	assert_non_null(m->spf_draft);
	assert_string_equal(m->spf_draft + strlen(m->spf_draft) - 5, " -all");
	to_target(fx);
	/* The interim rule is gone: before the preflight, no SPF error. */
	assert_null(aw_findings_find(aw_tui_model_review_findings(m),
	    "spf.lookup-limit"));
	plan_and_preflight(fx, &plan);
	fi = aw_findings_find(aw_tui_model_review_findings(m), "spf.lookup-limit");
	assert_non_null(fi);
	assert_int_equal(fi->severity, AW_SEV_ERROR);
	assert_non_null(strstr(fi->message, "11"));
	assert_int_equal(aw_tui_model_review_findings(m)->status, AW_CHECK_ERROR);
	/* Nothing weakened: -all stays. */
	assert_null(aw_findings_find(aw_tui_model_review_findings(m), "spf.weaken-all"));

	aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(m->confirming);
	e = aw_tui_model_type(m, "y");
	assert_false(e & AW_FX_APPLY);
	assert_true(m->confirm_forced);
	e = aw_tui_model_type(m, "y");           /* y again: back */
	assert_false(e & AW_FX_APPLY);
	assert_false(m->confirming);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_type(m, "y");
	e = aw_tui_model_type(m, "!");
	assert_true(e & AW_FX_APPLY);
	aw_plan_done(&plan);
}

/* Issue 13: the show target has no host, but the records shown are
 * preflighted all the same, over the plan made from what the wizard read
 * (aw_tui_plan_offline): 11 lookups are an error on the review, and the
 * records are shown only after the second question. */
static void
test_show_target_is_preflighted_too(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_preflight *pf;
	const struct aw_finding *fi;
	const struct aw_change *c = NULL;
	struct aw_tui_event ev;
	struct aw_error err;
	struct aw_plan plan;
	size_t i;
	unsigned e;
	int guard = 0;

	to_spf(fx, 11);
	while (m->screen != AW_SCR_REVIEW && guard++ < 10)
		aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_int_equal(m->target, AW_TARGET_SHOW);
	/* main answers the show target's plan request at once: no host. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_PREFLIGHT);
	assert_int_equal(m->preflight_state, AW_TUI_PF_RUNNING);
	assert_int_equal(m->plan_target, (int)AW_TARGET_SHOW);

	/* The plan main preflights: the draft against the TXT read. */
	aw_error_clear(&err);
	aw_plan_init(&plan);
	assert_int_equal(aw_tui_plan_offline(m, &plan, &err), AW_OK);
	assert_string_equal(plan.domain, DOM);
	for (i = 0; i < plan.nchanges; i++)
		if (aw_domain_equal(plan.changes[i].new.name, DOM) &&
		    plan.changes[i].new.type == AW_RECORD_TXT)
			c = &plan.changes[i];
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_UPDATE);
	assert_true(aw_record_find(&c->new, m->spf_draft) >= 0);
	assert_true(aw_record_find(&c->new, "site-verification=abc") >= 0);
	pf = aw_tui_preflight_new(fx->loop, &fx->src);
	assert_non_null(pf);
	assert_int_equal(aw_tui_preflight_start(pf, &plan, to_model, fx, &err), AW_OK);
	guard = 0;
	while (m->preflight_state == AW_TUI_PF_RUNNING && guard++ < 1000)
		aw_loop_run_once(fx->loop, 1000);
	assert_int_equal(m->preflight_state, AW_TUI_PF_DONE);
	aw_tui_preflight_reap(pf);
	aw_tui_preflight_free(pf);
	aw_plan_done(&plan);

	fi = aw_findings_find(aw_tui_model_review_findings(m), "spf.lookup-limit");
	assert_non_null(fi);
	assert_int_equal(fi->severity, AW_SEV_ERROR);
	assert_int_equal(aw_tui_model_review_findings(m)->status, AW_CHECK_ERROR);

	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	assert_int_equal(m->target, AW_TARGET_SHOW);
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(m->confirming);
	assert_true(m->confirm_forced);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	e = aw_tui_model_type(m, "y");           /* not y: back */
	assert_false(m->confirming);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	aw_tui_model_key(m, AW_EV_NEXT);
	e = aw_tui_model_type(m, "!");
	assert_false(e & AW_FX_APPLY);
	assert_false(m->confirming);
	assert_int_equal(m->screen, AW_SCR_APPLY);
	assert_false(aw_tui_model_busy(m));
}

/* A DMARC policy going down is said (a code with "weaken"), a warning:
 * y applies. */
static void
test_weakening_is_on_the_review_and_does_not_block(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	const struct aw_findings *f;
	struct aw_plan plan;
	size_t i;
	bool weaken = false;

	to_spf(fx, 1);
	aw_tui_model_key(m, AW_EV_NEXT);          /* DKIM */
	aw_tui_model_key(m, AW_EV_NEXT);          /* DMARC */
	assert_int_equal(m->screen, AW_SCR_DMARC);
	assert_int_equal(m->dmarc_policy, AW_TUI_DMARC_REJECT);
	aw_tui_model_key(m, AW_EV_UP);
	aw_tui_model_key(m, AW_EV_UP);
	assert_int_equal(m->dmarc_policy, AW_TUI_DMARC_NONE);
	to_target(fx);
	plan_and_preflight(fx, &plan);
	f = aw_tui_model_review_findings(m);
	for (i = 0; i < f->nitems; i++)
		if (strstr(f->items[i].code, "weaken") != NULL) {
			weaken = true;
			assert_int_equal(f->items[i].severity, AW_SEV_WARNING);
		}
	assert_true(weaken);
	assert_non_null(aw_findings_find(f, "dmarc.weaken-policy"));
	assert_true(f->status != AW_CHECK_ERROR);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(m->confirming);
	assert_true(aw_tui_model_type(m, "y") & AW_FX_APPLY);
	aw_plan_done(&plan);
}

/* A preflight that could not run is an error (as apply's exit 7 without
 * --force); one for a plan since replaced is not reported. */
static void
test_preflight_that_could_not_run_is_an_error(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	struct aw_preflight_result none;

	aw_preflight_result_init(&none);
	to_spf(fx, 1);
	to_target(fx);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PREFLIGHT;
	ev.ok = true;
	ev.preflight = &none;
	/* Not asked for: ignored. */
	assert_int_equal(aw_tui_model_event(m, &ev), AW_FX_NONE);
	assert_int_equal(m->preflight_state, AW_TUI_PF_NONE);
	ev.type = AW_EV_PLAN_READY;
	ev.preflight = NULL;
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_PREFLIGHT);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PREFLIGHT;
	ev.ok = false;
	ev.text = "no answer from DNS";
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->preflight_state, AW_TUI_PF_FAILED);
	assert_non_null(aw_findings_find(aw_tui_model_review_findings(m),
	    "preflight.failed"));
	assert_int_equal(aw_tui_model_review_findings(m)->status, AW_CHECK_ERROR);
}

/* Issue 13, unknown is not absent, DKIM too: the lookup at s1 timed out,
 * so SendGrid's s1 CNAME is not proposed (the step and the review say
 * why); s2, read and free, is. */
static void
test_dkim_proposes_nothing_where_the_lookup_failed(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	size_t idx[64], n, i;
	struct aw_strv recs, why;
	const struct aw_finding *fi;

	aw_dns_memory_add_timeout(fx->zone, "s1._domainkey." DOM, 0);
	to_spf(fx, 1);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_DKIM);
	assert_true(aw_strv_find(&m->dkim_unread, "s1._domainkey." DOM) >= 0);
	n = aw_tui_model_dkim_visible(m, idx, 64);
	for (i = 0; i < n; i++)
		if (strcmp(m->senders[idx[i]].id, "sendgrid") == 0)
			break;
	assert_true(i < n);
	while (m->dkim_cursor < i)
		aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_TOGGLE);
	aw_tui_model_type(m, "77");
	aw_tui_model_dkim_records(m, &recs);
	assert_int_equal(recs.n, 1);
	assert_non_null(strstr(recs.v[0], "s2._domainkey." DOM " CNAME "));
	aw_strv_done(&recs);
	aw_tui_model_dkim_unread(m, &why);
	assert_int_equal(why.n, 1);
	assert_non_null(strstr(why.v[0], "s1._domainkey." DOM));
	aw_strv_done(&why);
	while (m->screen != AW_SCR_REVIEW)
		aw_tui_model_key(m, AW_EV_NEXT);
	for (i = 0; i < m->plan.nchanges; i++)
		assert_false(strcmp(m->plan.changes[i].old.name, "s1._domainkey." DOM) == 0);
	for (i = 0; i < m->plan.nchanges; i++)
		if (strcmp(m->plan.changes[i].old.name, "s2._domainkey." DOM) == 0)
			break;
	assert_true(i < m->plan.nchanges);
	fi = aw_findings_find(aw_tui_model_review_findings(m), "dkim.unknown");
	assert_non_null(fi);
	assert_int_equal(fi->severity, AW_SEV_WARNING);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_preflight_error_needs_a_second_confirmation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_weakening_is_on_the_review_and_does_not_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preflight_that_could_not_run_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dkim_proposes_nothing_where_the_lookup_failed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_target_is_preflighted_too, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
