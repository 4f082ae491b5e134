/* test_tui_apply.c: the wizard's model from the review on (confirmation,
 * apply, recheck, the PTR request, the records shown, the host's plan), over
 * an in-memory zone and no terminal (fixture: tui-fixture.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "core/loop.h"
#include "core/str.h"
#include "providers/plan.h"
#include "tui/apply.h"
#include "tui/catalog.h"
#include "tui/model.h"
#include "tui/model-int.h"
#include "tui-fixture.h"

static void
test_nothing_is_applied_without_confirmation(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	unsigned e;

	walk_to_review(fx);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_TARGET);
	while (m->target != aw_tui_target_find("powerdns"))
		aw_tui_model_key(m, m->target < aw_tui_target_find("powerdns") ? AW_EV_DOWN : AW_EV_UP);
	/* Credentials missing: it says which and where to type it. */
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(e & AW_FX_APPLY);
	assert_non_null(strstr(m->error, "PDNS_API_URL"));
	assert_int_equal(m->focus, AW_FOCUS_FIELD1);
	aw_tui_model_type(m, "http://127.0.0.1:1");
	aw_tui_model_key(m, AW_EV_TAB);
	aw_tui_model_type(m, "secret-key");
	assert_string_equal(aw_tui_model_cred(m, aw_tui_target_find("powerdns"), 1), "secret-key");
	assert_true(m->cred[aw_tui_target_find("powerdns")][1].secret);
	/* First the host's plan, shown in the review. */
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_BUILD_PLAN);
	assert_false(e & AW_FX_APPLY);
	assert_false(m->confirming);
	host_plans(m);
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(e & AW_FX_APPLY);
	assert_true(m->confirming);
	e = aw_tui_model_type(m, "n");
	assert_false(e & AW_FX_APPLY);
	assert_false(m->confirming);
	aw_tui_model_key(m, AW_EV_NEXT);
	e = aw_tui_model_type(m, "y");
	assert_true(e & AW_FX_APPLY);
	assert_int_equal(m->screen, AW_SCR_APPLY);
	assert_true(aw_tui_model_busy(m));
}

static void
test_quit_while_applying_reports_what_was_applied(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	char *report;
	unsigned e;

	walk_to_review(fx);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(aw_tui_model_set_target(m, "powerdns"));
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 0, "http://127.0.0.1:1");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 1, "k");
	aw_tui_model_key(m, AW_EV_NEXT);
	host_plans(m);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_key(m, AW_EV_CONFIRM);
	assert_true(m->plan.nchanges >= 3);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_APPLY_RECORD;
	ev.index = 0;
	ev.ok = true;
	ev.text = "ok";
	aw_tui_model_event(m, &ev);
	ev.index = 1;
	ev.count = 1;                              /* started, not finished */
	aw_tui_model_event(m, &ev);
	e = aw_tui_model_type(m, "q");
	assert_false(e & AW_FX_QUIT);              /* asked once */
	assert_true(m->quit_asked);
	e = aw_tui_model_type(m, "q");
	assert_true(e & AW_FX_QUIT);
	report = aw_tui_model_apply_report(m);
	assert_non_null(report);
	assert_non_null(strstr(report, "applied"));
	assert_non_null(strstr(report, "interrupted"));
	assert_non_null(strstr(report, "not applied"));
	/* The journal of the apply: undo puts the old values back. */
	assert_non_null(strstr(report, "authwizard undo example.test"));
	free(report);
}

static void
test_apply_results_then_recheck(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	size_t i;
	unsigned e;

	walk_to_review(fx);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_set_target(m, "powerdns");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 0, "u");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 1, "k");
	aw_tui_model_key(m, AW_EV_NEXT);
	host_plans(m);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_key(m, AW_EV_CONFIRM);
	memset(&ev, 0, sizeof ev);
	for (i = 0; i < m->plan.nchanges; i++) {
		ev.type = AW_EV_APPLY_RECORD;
		ev.index = i;
		ev.ok = i != 1;
		ev.text = i != 1 ? "ok" : "422 \x1b[31mbad";
		aw_tui_model_event(m, &ev);
	}
	ev.type = AW_EV_APPLY_DONE;
	ev.text = NULL;
	aw_tui_model_event(m, &ev);
	assert_false(aw_tui_model_busy(m));
	assert_int_equal(m->nfailed, 1);
	assert_int_equal(m->cstate[1].state, AW_TUI_FAILED);
	/* A result told again (sent, then read back) is counted once. */
	i = m->napplied;
	ev.type = AW_EV_APPLY_RECORD;
	ev.index = 0;
	ev.ok = true;
	ev.text = "made and read back";
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->napplied, i);
	assert_string_equal(m->cstate[0].message, "made and read back");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_RECHECK);
	assert_int_equal(m->screen, AW_SCR_RECHECK);
	ev.type = AW_EV_RECHECK;
	ev.index = 0;
	ev.ok = true;
	ev.count = 1;
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->cstate[0].recheck, 1);
	assert_false(m->rechecking);
}

/* issue 5: when Route 53 applied the change, the recheck shows its
 * GetChange state, and every change counts as published only once it
 * says INSYNC (as `authwizard watch` waits for). */
static void
test_recheck_waits_for_host_insync(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	size_t i;

	walk_to_review(fx);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_set_target(m, "powerdns");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 0, "u");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 1, "k");
	aw_tui_model_key(m, AW_EV_NEXT);
	host_plans(m);
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_key(m, AW_EV_CONFIRM);
	memset(&ev, 0, sizeof ev);
	for (i = 0; i < m->plan.nchanges; i++) {
		ev.type = AW_EV_APPLY_RECORD;
		ev.index = i;
		ev.ok = true;
		ev.text = "ok";
		aw_tui_model_event(m, &ev);
	}
	ev.type = AW_EV_APPLY_DONE;
	ev.text = NULL;
	aw_tui_model_event(m, &ev);
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_RECHECK);
	assert_int_equal(m->nhosts, 0);
	assert_false(aw_tui_model_all_published(m));

	/* Being asked, then PENDING. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_HOST_STATE;
	ev.text = "Route 53 change C1";
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_REDRAW);
	assert_int_equal(m->nhosts, 1);
	assert_null(m->hosts[0].state);
	assert_false(m->hosts[0].synced);
	ev.state = "PENDING";
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->nhosts, 1);            /* the same, by label */
	assert_string_equal(m->hosts[0].state, "PENDING");

	/* Every record matches on every server: not yet published. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	for (i = 0; i < m->plan.nchanges; i++) {
		ev.index = i;
		ev.ok = true;
		ev.matched = ev.servers = 2;
		aw_tui_model_event(m, &ev);
	}
	for (i = 0; i < m->plan.nchanges; i++)
		assert_int_equal(m->cstate[i].recheck, 1);
	assert_false(aw_tui_model_all_published(m));

	/* Route 53 says INSYNC: now it is. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_HOST_STATE;
	ev.text = "Route 53 change C1";
	ev.state = "INSYNC";
	ev.ok = true;
	aw_tui_model_event(m, &ev);
	assert_string_equal(m->hosts[0].state, "INSYNC");
	assert_true(m->hosts[0].synced);
	assert_true(aw_tui_model_all_published(m));

	/* A second change of another batch, still pending, holds it back. */
	ev.text = "Route 53 change C2";
	ev.state = "PENDING";
	ev.ok = false;
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->nhosts, 2);
	assert_false(aw_tui_model_all_published(m));

	/* Checking again ('r') forgets the states: the recheck tells them
	 * again. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	ev.index = (size_t)-1;
	ev.count = 1;
	aw_tui_model_event(m, &ev);
	assert_true(aw_tui_model_type(m, "r") & AW_FX_RECHECK);
	assert_int_equal(m->nhosts, 0);
	assert_null(m->hosts);
}

/* Other hosts hand out no change ids: the records alone decide. */
static void
test_recheck_without_host_state(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	size_t i;

	walk_to_review(fx);
	assert_false(aw_tui_model_all_published(m));
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	for (i = 0; i < m->plan.nchanges; i++) {
		ev.index = i;
		ev.ok = true;
		aw_tui_model_event(m, &ev);
	}
	assert_int_equal(m->nhosts, 0);
	assert_true(aw_tui_model_all_published(m));
	/* An event without a label is ignored. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_HOST_STATE;
	ev.state = "PENDING";
	assert_int_equal(aw_tui_model_event(m, &ev), AW_FX_NONE);
	assert_int_equal(m->nhosts, 0);
}

/* Issue 14: when only the PTR name's forward lookup fails, the PTR step
 * says what the overview says (not forward-confirmed, not "DNS failure")
 * and shows the request for the IP's owner. */
static void
test_ptr_forward_failure_is_not_a_dns_failure(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_domain_check *dc = NULL;
	struct aw_domain_check_opts opts;
	const char *ips[] = { "192.0.2.77" };
	struct aw_tui_event ev;
	char *req;
	size_t i;

	aw_dns_memory_add_target(fx->zone, "77.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "mail.slow.test");
	aw_dns_memory_add_timeout(fx->zone, "mail.slow.test", 0);
	start(fx);
	m->row_cursor = AW_ROW_PTR;
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_type(m, "192.0.2.77");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_PTR_CHECK);
	memset(&opts, 0, sizeof opts);
	opts.ips = ips;
	opts.nips = 1;
	assert_int_equal(aw_domain_check_start(&fx->src, m->domain, &opts, NULL,
	    NULL, &dc, NULL), AW_OK);
	while (!aw_domain_check_finished(dc))
		aw_loop_run_once(fx->loop, 1000);
	for (i = 0; i < aw_domain_check_count(dc); i++) {
		struct aw_section *sec = aw_domain_check_section(dc, i);

		if (strcmp(sec->area, "ptr") != 0)
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PTR_SECTION;
		ev.sec = sec;
		aw_tui_model_event(m, &ev);
	}
	aw_domain_check_free(dc);
	assert_true(m->ips[m->nips - 1].checked);
	assert_false(m->ips[m->nips - 1].dns_failure);
	assert_false(m->ips[m->nips - 1].confirmed);
	req = aw_tui_model_ptr_request(m, m->nips - 1);
	assert_non_null(req);
	assert_non_null(strstr(req, "77.2.0.192.in-addr.arpa"));
	free(req);
}

static void
test_ptr_step_builds_request_and_forward_record(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_domain_check *dc = NULL;
	struct aw_domain_check_opts opts;
	const char *ips[] = { "192.0.2.99" };
	const struct aw_change *c;
	struct aw_tui_event ev;
	char *req;
	size_t i;
	unsigned e;

	start(fx);
	m->row_cursor = AW_ROW_PTR;
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_PTR);
	aw_tui_model_type(m, "192.0.2.999");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(e & AW_FX_PTR_CHECK);
	assert_non_null(m->error);
	while (m->ptr_ip.len)
		aw_tui_model_key(m, AW_EV_ERASE);
	aw_tui_model_type(m, "192.0.2.99");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_PTR_CHECK);
	aw_tui_model_key(m, AW_EV_TAB);
	aw_tui_model_type(m, "out.example.test");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_PTR_CHECK);
	/* What main does for AW_FX_PTR_CHECK. */
	memset(&opts, 0, sizeof opts);
	opts.ips = ips;
	opts.nips = 1;
	opts.helo = "out.example.test";
	assert_int_equal(aw_domain_check_start(&fx->src, m->domain, &opts, NULL,
	    NULL, &dc, NULL), AW_OK);
	while (!aw_domain_check_finished(dc))
		aw_loop_run_once(fx->loop, 1000);
	for (i = 0; i < aw_domain_check_count(dc); i++) {
		struct aw_section *sec = aw_domain_check_section(dc, i);

		if (strcmp(sec->area, "ptr") && strcmp(sec->area, "helo"))
			continue;
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PTR_SECTION;
		ev.sec = sec;
		aw_tui_model_event(m, &ev);
	}
	aw_domain_check_free(dc);
	assert_true(m->ips[m->nips - 1].checked);
	assert_false(m->ips[m->nips - 1].confirmed);
	req = aw_tui_model_ptr_request(m, m->nips - 1);
	assert_non_null(req);
	assert_non_null(strstr(req, "192.0.2.99"));
	assert_non_null(strstr(req, "99.2.0.192.in-addr.arpa"));
	assert_non_null(strstr(req, "out.example.test"));
	free(req);
	/* The second Enter in the HELO field goes on (MTA-STS left as it
	 * is; BIMI, not offered without DMARC at enforcement), then to the
	 * review. */
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_MTASTS);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	c = find_change(m, "out.example.test", AW_RECORD_A);
	assert_non_null(c);
	assert_string_equal(aw_tui_change_value(c), "192.0.2.99");
	/* Not the host's to change (the plan worked out from DNS refuses a
	 * reverse zone it did not read): a request to the IP's owner. */
	assert_null(find_change(m, "99.2.0.192.in-addr.arpa", AW_RECORD_PTR));
	assert_non_null(find_request(m, "99.2.0.192.in-addr.arpa"));

	/* The PTR is wanted too (RFC 1035 §3.5): a host that holds the
	 * reverse zone writes it, and the request is then not needed. */
	{
		struct aw_wants w;
		struct aw_error err;
		struct aw_plan plan;
		struct aw_change *pc;
		bool ptr = false;

		aw_wants_init(&w);
		aw_error_clear(&err);
		assert_int_equal(aw_tui_wants(m, &w, &err), AW_OK);
		for (i = 0; i < w.n; i++)
			if (w.v[i].type == AW_RECORD_PTR &&
			    strcmp(w.v[i].name, "99.2.0.192.in-addr.arpa") == 0 &&
			    w.v[i].values.n == 1 &&
			    strcmp(w.v[i].values.v[0], "out.example.test") == 0)
				ptr = true;
		assert_true(ptr);
		aw_wants_done(&w);
		assert_true(aw_tui_is_reverse_name("99.2.0.192.in-addr.arpa"));
		assert_false(aw_tui_is_reverse_name("example.test"));

		m->planning = true;
		aw_plan_init(&plan);
		pc = aw_plan_push(&plan);
		assert_non_null(pc);
		pc->kind = AW_CHANGE_CREATE;
		assert_int_equal(aw_record_init(&pc->old, "99.2.0.192.in-addr.arpa",
		    AW_RECORD_PTR, 0), AW_OK);
		assert_int_equal(aw_record_init(&pc->new, "99.2.0.192.in-addr.arpa",
		    AW_RECORD_PTR, 0), AW_OK);
		assert_int_equal(aw_record_add(&pc->new, "out.example.test"), AW_OK);
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PLAN_READY;
		ev.ok = true;
		ev.plan = &plan;
		aw_tui_model_event(m, &ev);
		aw_plan_done(&plan);
		assert_int_equal(m->plan.nchanges, 1);
		assert_int_equal(m->plan.changes[0].kind, AW_CHANGE_CREATE);
		/* The host holds the reverse zone: no request left. */
		assert_int_equal(m->nrequests, 0);
	}
}

static void
test_zone_line_splits_long_txt_at_255_bytes(void **state)
{
	struct aw_change c;
	char big[600], *line;

	(void)state;
	memset(&c, 0, sizeof c);
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "v=spf1 \"q\"", 10);
	c.kind = AW_CHANGE_CREATE;
	assert_int_equal(aw_record_init(&c.old, "example.test", AW_RECORD_TXT, 0), AW_OK);
	assert_int_equal(aw_record_init(&c.new, "example.test", AW_RECORD_TXT, 300), AW_OK);
	line = aw_tui_change_zone_line(&c, big);
	aw_record_done(&c.old);
	aw_record_done(&c.new);
	/* RFC 7208 §3.3: several strings of at most 255 bytes. */
	assert_non_null(strstr(line, "example.test. 300 IN TXT \"v=spf1 \\\"q\\\""));
	assert_non_null(strstr(line, "\" \""));
	free(line);
}

static void
test_show_records_target_needs_no_credentials(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	unsigned e;

	walk_to_review(fx);
	{
		/* main: no host to ask; the records shown are preflighted
		 * (test_tui_review.c), here finding nothing. */
		struct aw_tui_event ev;
		struct aw_preflight_result none;

		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PLAN_READY;
		assert_true(aw_tui_model_event(m, &ev) & AW_FX_PREFLIGHT);
		aw_preflight_result_init(&none);
		memset(&ev, 0, sizeof ev);
		ev.type = AW_EV_PREFLIGHT;
		ev.ok = true;
		ev.preflight = &none;
		aw_tui_model_event(m, &ev);
		assert_int_equal(m->preflight_state, AW_TUI_PF_DONE);
	}
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->target, AW_TARGET_SHOW);
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(e & AW_FX_APPLY);
	assert_int_equal(m->screen, AW_SCR_APPLY);
	assert_false(aw_tui_model_busy(m));
}

/* The zone as the host would list it: what the broken domain holds. */
static void
current_broken(struct aw_record_set *cur)
{
	struct aw_record *r;

	aw_record_set_init(cur);
	r = aw_record_set_push(cur);
	assert_int_equal(aw_record_init(r, "example.test", AW_RECORD_TXT, 300), AW_OK);
	aw_record_add(r, "v=spf1 a mx include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net ~all");
	aw_record_add(r, "v=spf1 ip4:192.0.2.10 include:servers.mcsv.net include:mail.zendesk.com include:spf.mailjet.com -all");
	aw_record_add(r, "google-site-verification=abc123");
	r = aw_record_set_push(cur);
	assert_int_equal(aw_record_init(r, "k2._domainkey.example.test", AW_RECORD_CNAME, 300), AW_OK);
	aw_record_add(r, "dkim.gone.example.test");
}

/* The plan engine of `authwizard plan` over the model's wants. */
static void
plan_over(const struct aw_tui_model *m, struct aw_plan *plan)
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
	current_broken(&cur);
	aw_strv_init(&names);
	assert_int_equal(aw_wants_names(&w, &names), AW_OK);
	zones = calloc(names.n + 1, sizeof *zones);
	for (i = 0; i < names.n; i++) {
		zones[i].id = strdup("example.test.");
		zones[i].name = strdup("example.test");
	}
	aw_plan_init(plan);
	assert_int_equal(aw_plan_build(&w, &cur, &names, zones, plan, &err), AW_OK);
	for (i = 0; i < names.n; i++)
		aw_zone_done(&zones[i]);
	free(zones);
	aw_strv_done(&names);
	aw_record_set_done(&cur);
	aw_wants_done(&w);
}

static const struct aw_change *
plan_find(const struct aw_plan *plan, const char *name, enum aw_record_type t)
{
	size_t i;

	for (i = 0; i < plan->nchanges; i++)
		if (strcmp(plan->changes[i].old.name, name) == 0 &&
		    plan->changes[i].old.type == t)
			return &plan->changes[i];
	return NULL;
}

static void
test_wants_make_the_plan_the_review_shows(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_plan plan;
	const struct aw_change *c;
	struct aw_strv gone, kept, came;

	walk_to_review(fx);
	plan_over(m, &plan);
	/* RFC 7208 §3.2: one SPF record: Zendesk taken out, so the record
	 * chosen replaces both; the verification TXT of the set stays. */
	c = plan_find(&plan, "example.test", AW_RECORD_TXT);
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_UPDATE);
	assert_int_equal(c->new.values.n, 2);
	assert_true(aw_record_find(&c->new, m->spf_draft) >= 0);
	assert_true(aw_record_find(&c->new, "google-site-verification=abc123") >= 0);
	c = plan_find(&plan, "_dmarc.example.test", AW_RECORD_TXT);
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_CREATE);
	assert_string_equal(c->new.values.v[0], m->dmarc_draft);
	c = plan_find(&plan, "s1._domainkey.example.test", AW_RECORD_CNAME);
	assert_non_null(c);
	assert_string_equal(c->new.values.v[0], "s1.domainkey.u77.wl.sendgrid.net");
	/* RFC 6376 §3.6.2.1: the alias to no key goes. */
	c = plan_find(&plan, "k2._domainkey.example.test", AW_RECORD_CNAME);
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_DELETE);

	/* The review's form: values that go, stay and come. */
	c = plan_find(&plan, "example.test", AW_RECORD_TXT);
	aw_tui_change_split(c, &gone, &kept, &came);
	assert_int_equal(gone.n, 2);
	assert_int_equal(kept.n, 1);
	assert_string_equal(kept.v[0], "google-site-verification=abc123");
	assert_int_equal(came.n, 1);
	assert_string_equal(came.v[0], m->spf_draft);
	assert_string_equal(aw_tui_change_value(c), m->spf_draft);
	aw_strv_done(&gone);
	aw_strv_done(&kept);
	aw_strv_done(&came);
	/* The review holds that plan (worked out from what DNS said). */
	c = find_change(m, "example.test", AW_RECORD_TXT);
	assert_non_null(c);
	assert_true(aw_record_find(&c->new, "google-site-verification=abc123") >= 0);
	aw_plan_done(&plan);
}

static void
test_spf_kept_whole_is_merged_by_the_plan_builder(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_plan plan;
	const struct aw_change *c;
	size_t i;
	bool has_spf = false;

	start(fx);
	aw_tui_model_key(m, AW_EV_NEXT);          /* SPF: nothing taken out */
	aw_tui_model_type(m, "postm");
	aw_tui_model_type(m, " ");
	for (i = 0; i < 4 && m->screen != AW_SCR_REVIEW; i++) {
		if (m->screen == AW_SCR_SPF)
			aw_tui_model_key(m, AW_EV_BACK);
		aw_tui_model_key(m, AW_EV_NEXT);
	}
	while (m->screen != AW_SCR_REVIEW)
		aw_tui_model_key(m, AW_EV_NEXT);
	plan_over(m, &plan);
	c = plan_find(&plan, "example.test", AW_RECORD_TXT);
	assert_non_null(c);
	for (i = 0; i < c->new.values.n; i++)
		if (strncmp(c->new.values.v[i], "v=spf1 ", 7) == 0) {
			assert_false(has_spf);
			has_spf = true;
			/* Both records' terms, and the one added. */
			assert_non_null(strstr(c->new.values.v[i], "include:mail.zendesk.com"));
			assert_non_null(strstr(c->new.values.v[i], "include:spf.mtasv.net"));
			assert_non_null(strstr(c->new.values.v[i], "ip4:192.0.2.10"));
			/* The TUI's draft is the same record. */
			assert_string_equal(c->new.values.v[i], m->spf_draft);
		}
	assert_true(has_spf);
	aw_plan_done(&plan);
}

static void
test_a_failed_plan_keeps_the_dns_diff_and_says_why(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	size_t n;

	walk_to_review(fx);
	n = m->plan.nchanges;
	aw_tui_model_key(m, AW_EV_NEXT);
	aw_tui_model_set_target(m, "powerdns");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 0, "u");
	aw_tui_model_set_cred(m, aw_tui_target_find("powerdns"), 1, "k");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_BUILD_PLAN);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_PLAN_READY;
	ev.text = "PowerDNS: 401 unauthorized";
	aw_tui_model_event(m, &ev);
	assert_false(m->planning);
	assert_int_equal(m->plan_target, -1);
	assert_int_equal(m->plan.nchanges, n);
	assert_non_null(strstr(m->error, "401"));
	assert_int_equal(m->screen, AW_SCR_TARGET);
	assert_false(m->confirming);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ptr_forward_failure_is_not_a_dns_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_is_applied_without_confirmation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quit_while_applying_reports_what_was_applied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_results_then_recheck, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_waits_for_host_insync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recheck_without_host_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptr_step_builds_request_and_forward_record, setup, teardown),
		cmocka_unit_test(test_zone_line_splits_long_txt_at_255_bytes),
		cmocka_unit_test_setup_teardown(test_show_records_target_needs_no_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wants_make_the_plan_the_review_shows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spf_kept_whole_is_merged_by_the_plan_builder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_a_failed_plan_keeps_the_dns_diff_and_says_why, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
