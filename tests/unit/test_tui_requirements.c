/* test_tui_requirements.c: the wizard overview's line of the mailbox
 * providers' sender rules (issue 19): the real check over an in-memory
 * zone, the rules judged as tui/main.c judges them once it finished, the
 * summary event in, the overview's state out. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/requirements.h"
#include "tui-fixture.h"

/* An RSA 1024-bit public key (made with openssl genrsa for this test;
 * RFC 8301 §3.2: at least 1024 bits). */
#define KEY_1024 "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDli25qVE1hn3Pje0/20CL45yJVxH2stBZvuBs3DwsHZRaGut+VfeQoelETTBgwKYngD1tP+gavJp8nIqWjMN7y3AigMlgyw99pEY56sns0Fh7o8yOIKbtQYAzzxBDUN9V/BDiAQSM038tPv7Hbn+pU9RWikqO/kOaFsO6q7Rxp4QIDAQAB"

/* What tui/main.c does when the overview's check finished. */
static unsigned
post_requirements(struct fixture *fx)
{
	struct aw_requirements req;
	struct aw_tui_req_summary sum;
	struct aw_tui_event ev;
	unsigned fx_bits;

	aw_requirements_init(&req);
	assert_int_equal(aw_requirements_judge(fx->dc, &req), AW_OK);
	aw_tui_req_summarize(&req, &sum);
	aw_requirements_done(&req);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_REQUIREMENTS;
	ev.req = &sum;
	fx_bits = aw_tui_model_event(fx->m, &ev);
	memset(&sum, 0xa5, sizeof sum);     /* the model kept its own copy */
	return fx_bits;
}

static bool
failing(const struct aw_tui_model *m, const char *rule)
{
	size_t i;

	for (i = 0; i < m->req.nfailing; i++)
		if (strcmp(m->req.failing[i], rule) == 0)
			return true;
	return false;
}

static void
test_broken_zone_fails_and_names_the_rules(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;

	start(fx);
	assert_false(m->req_known);
	assert_null(m->req_line);
	assert_true(post_requirements(fx) & AW_FX_REDRAW);
	assert_true(m->req_known);
	/* Two SPF records (RFC 7208 §4.5), no DKIM key, no DMARC: the four
	 * rules DNS shows fail; PTR and HELO (no --ip, --helo here), TLS,
	 * unsubscribe and spam rate are not checked and not counted. */
	assert_int_equal(m->req.total, 4);
	assert_int_equal(m->req.pass, 0);
	assert_int_equal(m->req.nfailing, 4);
	assert_true(failing(m, "spf"));
	assert_true(failing(m, "dkim"));
	assert_true(failing(m, "dmarc"));
	assert_true(failing(m, "alignment"));
	assert_false(failing(m, "ptr"));
	assert_false(failing(m, "unsubscribe"));
	assert_non_null(m->req_line);
	assert_non_null(strstr(m->req_line, "0 of 4 DNS rules pass"));
	assert_non_null(strstr(m->req_line, "failing: spf, dkim, dmarc, alignment"));
	assert_null(strstr(m->req_line, "ptr"));
	assert_null(strstr(m->req_line, "tls"));
}

static void
test_good_zone_passes_every_rule_dns_shows(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;

	aw_dns_memory_add_txt1(fx->zone, "good.test", "v=spf1 ip4:192.0.2.10 -all");
	aw_dns_memory_add_txt1(fx->zone, "mail._domainkey.good.test",
	    "v=DKIM1; k=rsa; p=" KEY_1024);
	aw_dns_memory_add_txt1(fx->zone, "_dmarc.good.test",
	    "v=DMARC1; p=reject; rua=mailto:dmarc@good.test");
	aw_dns_memory_add_mx(fx->zone, "good.test", 10, "mx.good.test");
	aw_dns_memory_add_addr(fx->zone, "mx.good.test", "192.0.2.25");
	assert_true(aw_tui_model_set_domain(m, "good.test") & AW_FX_START_CHECK);
	run_check(fx);
	post_requirements(fx);
	assert_true(m->req_known);
	assert_int_equal(m->req.total, 4);
	assert_int_equal(m->req.pass, 4);
	assert_int_equal(m->req.nfailing, 0);
	assert_string_equal(m->req_line, "4 of 4 DNS rules pass");
}

/* A rule counts once over the providers: failing when any provider's
 * verdict fails; rules no provider could judge are left out. */
static void
test_summary_counts_a_rule_once(void **state)
{
	struct aw_requirement v[] = {
		{ "gmail", "Gmail", "spf", AW_REQ_PASS, NULL, "g" },
		{ "yahoo", "Yahoo", "spf", AW_REQ_FAIL, NULL, "y" },
		{ "gmail", "Gmail", "dkim", AW_REQ_NOT_CHECKED, NULL, "g" },
		{ "yahoo", "Yahoo", "dkim", AW_REQ_PASS, NULL, "y" },
		{ "gmail", "Gmail", "ptr", AW_REQ_NOT_CHECKED, NULL, "g" },
		{ "yahoo", "Yahoo", "ptr", AW_REQ_NOT_CHECKED, NULL, "y" },
		{ "gmail", "Gmail", "dmarc", AW_REQ_FAIL, NULL, "g" },
	};
	struct aw_requirements r = { v, sizeof v / sizeof v[0] };
	struct aw_tui_req_summary s;

	(void)state;
	aw_tui_req_summarize(&r, &s);
	assert_int_equal(s.total, 3);
	assert_int_equal(s.pass, 1);
	assert_int_equal(s.nfailing, 2);
	assert_string_equal(s.failing[0], "spf");
	assert_string_equal(s.failing[1], "dmarc");
}

static void
test_checking_again_clears_the_line(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;

	start(fx);
	post_requirements(fx);
	assert_true(m->req_known);
	aw_tui_model_set_domain(m, "example.test");
	assert_false(m->req_known);
	assert_null(m->req_line);
	assert_int_equal(m->req.total, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_broken_zone_fails_and_names_the_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_zone_passes_every_rule_dns_shows, setup, teardown),
		cmocka_unit_test(test_summary_counts_a_rule_once),
		cmocka_unit_test_setup_teardown(test_checking_again_clears_the_line, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
