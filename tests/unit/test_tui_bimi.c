/* test_tui_bimi.c: the wizard's BIMI step (tui/model-bimi.c) and the
 * overview's DNSSEC line (tui/model-dnssec.c), driven by event scripts
 * over the real domain check on an in-memory zone, the BIMI draft judged
 * by the bimi area with a fetcher of the test's own (as tui/main.c does
 * for AW_FX_BIMI_CHECK). */
#include "config.h"

#include <stdio.h>

#include "checks/dnssec.h"
#include "tui-fixture.h"
#include "tui/model-int.h"

#define GOOD_SVG "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.2\" " \
    "baseProfile=\"tiny-ps\"><title>Example</title><rect width=\"1\" " \
    "height=\"1\"/></svg>"

#include "fake-fetch.h"

/* What tui/main.c does for AW_FX_BIMI_CHECK: the bimi area alone over
 * the draft, its section handed to the model. */
static unsigned
run_bimi_check(struct fixture *fx, struct fake_fetch *ff)
{
	struct aw_tui_model *m = fx->m;
	static const char *const areas[] = { "bimi" };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc;
	struct aw_fetcher fetcher = { &fake_ops, ff };
	struct aw_tui_event ev;
	char *draft = strdup(m->bimi_draft);
	unsigned e;

	memset(&opts, 0, sizeof opts);
	opts.areas = areas;
	opts.nareas = 1;
	opts.bimi_draft = draft;
	opts.fetcher = ff != NULL ? &fetcher : NULL;
	assert_int_equal(aw_domain_check_start(&fx->src, m->domain, &opts,
	    NULL, NULL, &dc, NULL), AW_OK);
	while (!aw_domain_check_finished(dc))
		assert_true(aw_loop_run_once(fx->loop, 1000));
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_BIMI_CHECKED;
	ev.sec = aw_domain_check_section(dc, 0);
	ev.text = draft;
	e = aw_tui_model_event(m, &ev);
	aw_domain_check_free(dc);
	free(draft);
	return e;
}

/* The domain checked, then Enter on the PTR row's step and on (MTA-STS
 * left as it is) to BIMI. */
static void
to_bimi(struct fixture *fx, const char *domain)
{
	struct aw_tui_model *m = fx->m;

	aw_tui_model_set_domain(m, domain);
	run_check(fx);
	m->row_cursor = AW_ROW_PTR;
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_PTR);
	aw_tui_model_key(m, AW_EV_NEXT);          /* empty field: next */
	assert_int_equal(m->screen, AW_SCR_MTASTS);
	aw_tui_model_key(m, AW_EV_NEXT);          /* left as it is: BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
}

static const struct aw_change *
bimi_change(const struct aw_tui_model *m, const char *name)
{
	return find_change(m, name, AW_RECORD_TXT);
}

/* DMARC at p=none: the step says why and what DMARC needs; Enter goes
 * on, and the plan has no BIMI record. */
static void
test_not_offered_without_enforcement(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;

	aw_dns_memory_add_txt1(fx->zone, "_dmarc.none.test", "v=DMARC1; p=none");
	to_bimi(fx, "none.test");
	assert_true(m->bimi_known);
	assert_false(aw_tui_model_bimi_offered(m));
	assert_non_null(m->bimi_why);
	assert_non_null(strstr(m->bimi_why, "p=none"));
	assert_int_equal(tm_screen_bimi.nfields(m), 0);
	/* Typing does nothing: there is no field. */
	aw_tui_model_type(m, "https://x.test/l.svg");
	assert_int_equal(m->bimi_logo.len, 0);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_null(bimi_change(m, "default._bimi.none.test"));

	/* Enforced for the domain but not its subdomains: not offered. */
	aw_dns_memory_add_txt1(fx->zone, "_dmarc.sp.test",
	    "v=DMARC1; p=reject; sp=none");
	aw_domain_check_free(fx->dc);
	fx->dc = NULL;
	to_bimi(fx, "sp.test");
	assert_false(aw_tui_model_bimi_offered(m));
	assert_non_null(m->bimi_why);
	/* No DMARC at all. */
	aw_domain_check_free(fx->dc);
	fx->dc = NULL;
	to_bimi(fx, "nodmarc.test");
	assert_false(aw_tui_model_bimi_offered(m));
	assert_non_null(strstr(m->bimi_why, "no DMARC"));
}

/* p=reject: offered; a bad URL keeps the step with the builder's
 * message; a good one is checked (fetched) before it goes into the
 * plan, and the plan's record is the builder's. */
static void
test_offered_checked_then_planned(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct fake_fetch ff;
	const struct aw_change *c;
	unsigned e;

	aw_dns_memory_add_txt1(fx->zone, "_dmarc.brand.test", "v=DMARC1; p=reject");
	aw_dns_memory_add_addr(fx->zone, "logo.brand.test", "192.0.2.7");
	to_bimi(fx, "brand.test");
	assert_true(aw_tui_model_bimi_offered(m));
	assert_null(m->bimi_why);
	assert_int_equal(m->focus, AW_FOCUS_FIELD1);
	assert_string_equal(m->bimi_selector.text, "default");

	aw_tui_model_type(m, "http://logo.brand.test/l.svg");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_false(e & AW_FX_BIMI_CHECK);
	assert_int_equal(m->screen, AW_SCR_BIMI);
	assert_non_null(m->bimi_field_error);
	assert_int_equal(m->focus, AW_FOCUS_FIELD1);
	while (m->bimi_logo.len > 0)
		aw_tui_model_key(m, AW_EV_ERASE);
	aw_tui_model_type(m, "https://logo.brand.test/l.svg");
	assert_null(m->bimi_field_error);
	assert_string_equal(m->bimi_draft, "v=BIMI1; l=https://logo.brand.test/l.svg");
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_BIMI_CHECK);
	assert_true(m->bimi_checking);
	/* Enter again while it runs: nothing new. */
	assert_false(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_BIMI_CHECK);

	memset(&ff, 0, sizeof ff);
	ff.loop = fx->loop;
	ff.body = GOOD_SVG;
	ff.ctype = "image/svg+xml";
	run_bimi_check(fx, &ff);
	assert_int_equal(ff.started, 1);
	assert_false(m->bimi_checking);
	assert_int_equal(m->bimi_findings.errors.n, 0);
	/* No certificate: said, not an error. */
	assert_non_null(aw_findings_find(&m->bimi_findings, "bimi.no-authority"));
	assert_int_equal(m->screen, AW_SCR_BIMI);
	assert_non_null(m->note);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	c = bimi_change(m, "default._bimi.brand.test");
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_CREATE);
	assert_string_equal(aw_tui_change_value(c),
	    "v=BIMI1; l=https://logo.brand.test/l.svg");
}

/* Errors block the record until the user presses "!"; editing after the
 * check asks for a new one; a stale check's answer is dropped. */
static void
test_errors_block_unless_forced(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_tui_event ev;
	const struct aw_change *c;
	unsigned e;

	aw_dns_memory_add_txt1(fx->zone, "_dmarc.bad.test",
	    "v=DMARC1; p=quarantine");
	to_bimi(fx, "bad.test");
	assert_true(aw_tui_model_bimi_offered(m));
	/* The logo host has no address: bimi.host-no-address, an error. */
	aw_tui_model_type(m, "https://nowhere.bad.test/l.svg");
	aw_tui_model_key(m, AW_EV_TAB);
	aw_tui_model_type(m, "https://nowhere.bad.test/c.pem");
	assert_string_equal(m->bimi_draft,
	    "v=BIMI1; l=https://nowhere.bad.test/l.svg; a=https://nowhere.bad.test/c.pem");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_BIMI_CHECK);

	/* An answer for another draft is not this one's. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_BIMI_CHECKED;
	ev.text = "v=BIMI1; l=https://old.bad.test/l.svg";
	assert_int_equal(aw_tui_model_event(m, &ev), AW_FX_NONE);
	assert_true(m->bimi_checking);

	run_bimi_check(fx, NULL);
	assert_true(m->bimi_findings.errors.n > 0);
	assert_non_null(aw_findings_find(&m->bimi_findings, "bimi.host-no-address"));
	assert_non_null(m->error);
	assert_int_equal(m->focus, AW_FOCUS_LIST);
	/* Enter does not add it. */
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_BIMI);
	assert_null(m->bimi_accepted);
	/* "!" does, and says so. */
	e = aw_tui_model_type(m, "!");
	assert_true(e & AW_FX_REDRAW);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_true(m->bimi_forced);
	c = bimi_change(m, "default._bimi.bad.test");
	assert_non_null(c);

	/* Back to the step, an edit: the forced choice and the check go. */
	aw_tui_model_key(m, AW_EV_BACK);
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_TAB);
	aw_tui_model_key(m, AW_EV_ERASE);
	assert_false(m->bimi_forced);
	assert_null(m->bimi_accepted);
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_BIMI_CHECK);
	/* A check that could not run (no section) is an error too. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_BIMI_CHECKED;
	ev.text = m->bimi_draft;
	aw_tui_model_event(m, &ev);
	assert_non_null(aw_findings_find(&m->bimi_findings, "bimi.check-failed"));
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_BIMI);

	/* An empty logo URL: BIMI left out, the step goes on. */
	m->focus = AW_FOCUS_FIELD1;
	while (m->bimi_logo.len > 0)
		aw_tui_model_key(m, AW_EV_ERASE);
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_null(bimi_change(m, "default._bimi.bad.test"));
}

/* The published record is the starting point, and the same record again
 * is no change; another selector names another record. */
static void
test_published_record_prefills(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	static const char rec[] =
	    "v=BIMI1; l=https://logo.pub.test/l.svg; a=https://logo.pub.test/c.pem";

	aw_dns_memory_add_txt1(fx->zone, "_dmarc.pub.test", "v=DMARC1; p=reject");
	aw_dns_memory_add_txt1(fx->zone, "default._bimi.pub.test", rec);
	to_bimi(fx, "pub.test");
	assert_int_equal(m->cur_bimi.n, 1);
	assert_string_equal(m->bimi_logo.text, "https://logo.pub.test/l.svg");
	assert_string_equal(m->bimi_cert.text, "https://logo.pub.test/c.pem");
	assert_string_equal(m->bimi_draft, rec);
	/* The selector must be one label. */
	m->focus = AW_FOCUS_FIELD3;
	aw_tui_model_type(m, ".x");
	aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_BIMI);
	assert_int_equal(m->focus, AW_FOCUS_FIELD3);
	assert_non_null(m->bimi_field_error);
	/* Accepted as it is (forced past the no-address error). */
	aw_tui_model_key(m, AW_EV_ERASE);
	aw_tui_model_key(m, AW_EV_ERASE);
	run_bimi_check(fx, NULL);            /* nothing asked yet: stale */
	assert_null(m->bimi_checked);
	aw_tui_model_key(m, AW_EV_NEXT);
	run_bimi_check(fx, NULL);
	aw_tui_model_type(m, "!");
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_null(bimi_change(m, "default._bimi.pub.test"));
}

/* The DNSSEC line: the zone and each area's worst state; bogus marked. */
static void
test_dnssec_line_per_area(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct aw_dnssec_detail *d = calloc(1, sizeof *d);
	struct aw_dnssec_name names[3];
	struct aw_section sec;
	struct aw_tui_event ev;

	aw_tui_model_set_domain(m, "signed.test");
	assert_null(m->dnssec_line);
	memset(names, 0, sizeof names);
	names[0].name = "mx.signed.test";
	names[0].role = "mx-host";
	names[0].state = AW_DNSSEC_INSECURE;
	names[1].name = "signed.test";
	names[1].role = "mx";
	names[1].state = AW_DNSSEC_SECURE;
	names[2].name = "s1._domainkey.signed.test";
	names[2].role = "dkim";
	names[2].state = AW_DNSSEC_SECURE;
	d->state = AW_DNSSEC_SECURE;
	d->names = names;
	d->n = 3;
	memset(&sec, 0, sizeof sec);
	sec.area = "dnssec";
	sec.detail = d;
	aw_findings_init(&sec.f);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_SECTION;
	ev.sec = &sec;
	assert_true(aw_tui_model_event(m, &ev) & AW_FX_REDRAW);
	assert_non_null(m->dnssec_line);
	assert_non_null(strstr(m->dnssec_line, "zone secure"));
	assert_non_null(strstr(m->dnssec_line, "MX secure"));
	assert_non_null(strstr(m->dnssec_line, "MX hosts insecure"));
	assert_non_null(strstr(m->dnssec_line, "DKIM secure"));
	assert_null(strstr(m->dnssec_line, "TLSA"));
	assert_false(m->dnssec_bogus);
	/* The rows are untouched by it. */
	assert_int_equal(m->rows[AW_ROW_MX].finished, 0);

	names[2].state = AW_DNSSEC_BOGUS;
	aw_tui_model_event(m, &ev);
	assert_non_null(strstr(m->dnssec_line, "DKIM bogus"));
	assert_true(m->dnssec_bogus);
	d->state = AW_DNSSEC_INSECURE;
	d->reason = AW_DNSSEC_R_MISSING_DS;
	names[2].state = AW_DNSSEC_INSECURE;
	aw_tui_model_event(m, &ev);
	assert_non_null(strstr(m->dnssec_line, "zone insecure (missing-ds)"));
	assert_false(m->dnssec_bogus);
	/* A new check forgets it until its run answers. */
	aw_tui_model_set_domain(m, "signed.test");
	assert_null(m->dnssec_line);
	aw_findings_done(&sec.f);
	free(d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_offered_without_enforcement, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offered_checked_then_planned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors_block_unless_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(test_published_record_prefills, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dnssec_line_per_area, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
