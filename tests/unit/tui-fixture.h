/* tui-fixture.h: the wizard model's test fixture, shared by
 * test_tui_model.c and test_tui_review.c: a model over a small catalog of
 * its own, an in-memory zone, and the real domain check run over it as
 * tui/main.c runs it. Static inline: each test file takes what it uses. */
#ifndef AW_TEST_TUI_FIXTURE_H
#define AW_TEST_TUI_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "core/loop.h"
#include "tui/apply.h"
#include "tui/catalog.h"
#include "tui/model.h"

struct fixture {
	struct aw_loop *loop;
	struct aw_dns_memory *zone;
	struct aw_dns_source src;
	struct aw_tui_model *m;
	struct aw_catalog *cat;
	struct aw_tui_senders senders;
	struct aw_domain_check *dc;
	struct aw_domain_check_opts opts;
	bool txt_done;
};

static inline int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct aw_error err;

	assert_non_null(fx);
	fx->loop = aw_loop_new();
	fx->zone = aw_dns_memory_new(fx->loop);
	fx->src = aw_dns_memory_source(fx->zone);
	/* A small catalog of its own: the tests do not follow the numbers
	 * of the installed one. */
	fx->cat = aw_catalog_new();
	assert_non_null(fx->cat);
	aw_error_clear(&err);
	assert_int_equal(aw_catalog_load_file(fx->cat,
	    AW_SRCDIR "/tests/unit/data/tui-senders.json", &err), AW_OK);
	assert_int_equal(aw_tui_senders_from(fx->cat, &fx->senders), AW_OK);
	fx->m = aw_tui_model_new(fx->senders.v, fx->senders.n);
	assert_non_null(fx->m);
	*state = fx;
	return 0;
}

static inline int
teardown(void **state)
{
	struct fixture *fx = *state;

	aw_domain_check_free(fx->dc);
	aw_tui_model_free(fx->m);
	aw_tui_senders_done(&fx->senders);
	aw_catalog_free(fx->cat);
	aw_dns_memory_free(fx->zone);
	aw_loop_free(fx->loop);
	free(fx);
	return 0;
}

static inline void
check_cb(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	struct fixture *fx = arg;
	struct aw_tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = sec ? AW_EV_SECTION : AW_EV_CHECK_DONE;
	ev.sec = sec;
	aw_tui_model_event(fx->m, &ev);
}

static inline void
txt_cb(struct aw_dns_answer *ans, void *arg)
{
	struct fixture *fx = arg;
	struct aw_tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_TXT_ANSWER;
	ev.ans = ans;
	aw_tui_model_event(fx->m, &ev);
	aw_dns_answer_free(ans);
	fx->txt_done = true;
}

/* What tui/main.c does for AW_FX_START_CHECK, over the memory zone. */
static inline void
run_check(struct fixture *fx)
{
	struct aw_tui_model *m = fx->m;
	unsigned per_row[AW_ROW_COUNT] = { 0 };
	size_t i;

	memset(&fx->opts, 0, sizeof fx->opts);
	fx->opts.selectors = (const char *const *)m->dkim_selectors.v;
	fx->opts.nselectors = m->dkim_selectors.n;
	assert_int_equal(aw_domain_check_start(&fx->src, m->domain, &fx->opts,
	    check_cb, fx, &fx->dc, NULL), AW_OK);
	per_row[AW_ROW_SPF] = 1;
	per_row[AW_ROW_DKIM] = (unsigned)m->dkim_selectors.n;
	per_row[AW_ROW_DMARC] = 1;
	per_row[AW_ROW_MX] = 1;
	per_row[AW_ROW_VERIFY] = 1;
	aw_tui_model_check_started(m, per_row);
	assert_int_equal(aw_dns_query(&fx->src, m->domain, AW_RECORD_TXT, txt_cb, fx),
	    AW_OK);
	/* Progress: nothing finished before the loop runs. */
	for (i = 0; i < AW_ROW_COUNT; i++)
		assert_int_equal(m->rows[i].finished, 0);
	while (!aw_domain_check_finished(fx->dc) || !fx->txt_done)
		assert_true(aw_loop_run_once(fx->loop, 1000));
}

/* The broken domain of the demo: two SPF records, 11 lookups, no DMARC, a
 * DKIM CNAME to nowhere, a verification TXT. */
static inline void
zone_broken(struct fixture *fx)
{
	aw_dns_memory_add_txt1(fx->zone, "example.test",
	    "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net ~all");
	aw_dns_memory_add_txt1(fx->zone, "example.test",
	    "v=spf1 ip4:192.0.2.10 include:servers.mcsv.net include:mail.zendesk.com include:spf.mailjet.com -all");
	aw_dns_memory_add_txt1(fx->zone, "example.test",
	    "google-site-verification=abc123");
	aw_dns_memory_add_mx(fx->zone, "example.test", 10, "mx.example.test");
	aw_dns_memory_add_addr(fx->zone, "mx.example.test", "192.0.2.25");
	aw_dns_memory_add_addr(fx->zone, "example.test", "192.0.2.80");
	aw_dns_memory_add_target(fx->zone, "k2._domainkey.example.test",
	    AW_RECORD_CNAME, "dkim.gone.example.test");
}

static inline void
start(struct fixture *fx)
{
	unsigned e;

	zone_broken(fx);
	e = aw_tui_model_type(fx->m, "example.test");
	assert_true(e & AW_FX_REDRAW);
	e = aw_tui_model_key(fx->m, AW_EV_NEXT);
	assert_true(e & AW_FX_START_CHECK);
	run_check(fx);
}

static inline bool
has_warning(const struct aw_strv *sv, const char *needle)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], needle) != NULL)
			return true;
	return false;
}

static inline const struct aw_change *
find_change(const struct aw_tui_model *m, const char *name, enum aw_record_type t)
{
	size_t i;

	for (i = 0; i < m->plan.nchanges; i++)
		if (strcmp(m->plan.changes[i].old.name, name) == 0 &&
		    m->plan.changes[i].old.type == t)
			return &m->plan.changes[i];
	return NULL;
}

/* The PTR request at reverse name, or NULL. */
static inline const struct aw_tui_request *
find_request(const struct aw_tui_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nrequests; i++)
		if (strcmp(m->requests[i].name, name) == 0)
			return &m->requests[i];
	return NULL;
}

/* The values of a plan change that come (in new, not in old): the first,
 * or NULL. */
static inline const char *
change_came(const struct aw_change *c)
{
	size_t k;

	for (k = 0; k < c->new.values.n; k++)
		if (aw_record_find(&c->old, c->new.values.v[k]) < 0)
			return c->new.values.v[k];
	return NULL;
}

/* overview → SPF (pick Mailgun off, drop a sender) → DKIM SendGrid →
 * DMARC reject → PTR → review. */
static inline void
goto_dkim(struct fixture *fx)
{
	start(fx);
	aw_tui_model_key(fx->m, AW_EV_DOWN);      /* row DKIM */
	aw_tui_model_key(fx->m, AW_EV_NEXT);
	assert_int_equal(fx->m->screen, AW_SCR_DKIM);
}

static inline void
pick_dkim(struct aw_tui_model *m, const char *id)
{
	size_t idx[64], n = aw_tui_model_dkim_visible(m, idx, 64), i;

	for (i = 0; i < n; i++)
		if (strcmp(m->senders[idx[i]].id, id) == 0)
			break;
	assert_true(i < n);
	while (m->dkim_cursor < i)
		aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_TOGGLE);
}

static inline void
walk_to_review(struct fixture *fx)
{
	struct aw_tui_model *m = fx->m;

	start(fx);
	aw_tui_model_key(m, AW_EV_NEXT);          /* SPF */
	aw_tui_model_type(m, "zendesk");
	aw_tui_model_type(m, " ");                /* unpick Zendesk */
	aw_tui_model_key(m, AW_EV_BACK);          /* clear the filter */
	aw_tui_model_key(m, AW_EV_NEXT);          /* DKIM */
	pick_dkim(m, "sendgrid");
	aw_tui_model_type(m, "77");
	aw_tui_model_key(m, AW_EV_NEXT);          /* DMARC */
	aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_NEXT);          /* PTR */
	assert_int_equal(m->screen, AW_SCR_PTR);
	aw_tui_model_key(m, AW_EV_NEXT);          /* empty field: MTA-STS */
	assert_int_equal(m->screen, AW_SCR_MTASTS);
	aw_tui_model_key(m, AW_EV_NEXT);          /* left as it is: BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);          /* not offered: review */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
}

/* The host answers the plan: here the changes worked out from DNS, as if
 * the host held what DNS answered. Then back on the target screen. */
static inline void
host_plans(struct aw_tui_model *m)
{
	struct aw_tui_event ev;
	struct aw_plan plan;
	struct aw_error err;
	size_t i;

	assert_true(m->planning);
	aw_plan_init(&plan);
	assert_int_equal(aw_tui_plan_offline(m, &plan, &err), AW_OK);
	for (i = 0; i < plan.nchanges; i++)
		aw_strv_push(&plan.changes[i].notes, "from the host");
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	ev.ok = true;
	ev.plan = &plan;
	/* main then runs the preflight over the host's plan (the engine's
	 * own tests: test_preflight.c, the wizard's: test_tui_review.c);
	 * here it finds nothing. */
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_PREFLIGHT);
	assert_int_equal(plan.nchanges, 0);        /* taken */
	aw_plan_done(&plan);
	assert_int_equal(m->preflight_state, AW_TUI_PF_RUNNING);
	{
		struct aw_preflight_result none;

		aw_preflight_result_init(&none);
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PREFLIGHT;
		ev.ok = true;
		ev.preflight = &none;
		aw_tui_model_event(m, &ev);
		assert_int_equal(m->preflight_state, AW_TUI_PF_DONE);
	}
	assert_false(m->planning);
	assert_int_equal(m->plan_target, (int)m->target);
	/* Planned from the target screen: the review shows it first. */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_TARGET);
}

#endif
