/* test_tui_mtasts.c: the wizard's MTA-STS step (tui/model-mtasts.c) and
 * the builders it calls (checks/mta-sts.c, checks/tls-rpt.c): testing
 * first, enforce only once the testing policy is served and covers every
 * MX host, the policy file written before the records go to the plan
 * (never over a file without asking), a fresh id, the TLS-RPT address
 * from the DMARC step, and the recheck's fetch of the policy. The model
 * over the in-memory zone and the real domain check, a fetcher of the
 * test's own (no HTTP). */
#include "config.h"

#include "tui-fixture.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/mta-sts.h"
#include "checks/tls-rpt.h"
#include "tui/policy.h"
#include "helpers/area.h"

#include "fake-fetch.h"
#include "tests/unit/helpers/rmtree.h"

/* 2026-12-06 12:00:00 UTC */
static long long
clock_fixed(void)
{
	return 1796558400LL;
}

/* 2026-01-01 00:00:00 UTC, the id published in zone_testing */
static long long
clock_published(void)
{
	return 1767225600LL;
}

/* The overview's check as tui/main.c runs it, with the fetcher. */
static void
run_check_fetching(struct fixture *fx, const struct aw_fetcher *fetcher)
{
	struct aw_tui_model *m = fx->m;
	unsigned per_row[AW_ROW_COUNT] = { 0 };

	memset(&fx->opts, 0, sizeof fx->opts);
	fx->opts.fetcher = fetcher;
	assert_int_equal(aw_domain_check_start(&fx->src, m->domain, &fx->opts,
	    check_cb, fx, &fx->dc, NULL), AW_OK);
	per_row[AW_ROW_SPF] = per_row[AW_ROW_DMARC] = per_row[AW_ROW_MX] = 1;
	aw_tui_model_check_started(m, per_row);
	assert_int_equal(aw_dns_query(&fx->src, m->domain, AW_RECORD_TXT, txt_cb,
	    fx), AW_OK);
	while (!aw_domain_check_finished(fx->dc) || !fx->txt_done)
		assert_true(aw_loop_run_once(fx->loop, 1000));
}

/* On through the steps (Enter) until the MTA-STS step. */
static void
walk_to_step(struct aw_tui_model *m)
{
	int i;

	for (i = 0; i < 12 && m->screen != AW_SCR_MTASTS; i++)
		aw_tui_model_key(m, AW_EV_NEXT);
	assert_int_equal(m->screen, AW_SCR_MTASTS);
}

static unsigned
post_written(struct aw_tui_model *m, bool ok, int exists)
{
	struct aw_tui_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_POLICY_WRITTEN;
	ev.ok = ok;
	ev.count = exists;
	ev.text = ok || exists ? NULL : "Permission denied";
	return aw_tui_model_event(m, &ev);
}

static unsigned
type_char(struct aw_tui_model *m, char c)
{
	char s[2] = { c, '\0' };

	return aw_tui_model_type(m, s);
}

/* The builders: one rule, one place (checks/). */
static void
builders_make_what_the_parsers_accept(void **state)
{
	struct aw_strv mx, hosts;
	struct aw_mta_sts_policy p;
	struct aw_findings f;
	char *text = NULL, id[40];
	const char *rua[2] = { "tls@example.com", "https://r.example.net/tls" };
	struct aw_error err;

	(void)state;
	aw_strv_init(&mx);
	aw_strv_init(&hosts);
	aw_strv_push(&hosts, "MX1.Example.com.");
	aw_strv_push(&hosts, "mx1.example.com");
	aw_strv_push(&hosts, "mx2.example.com");
	aw_mta_sts_mx_patterns(&hosts, &mx);
	assert_int_equal(mx.n, 2);
	assert_string_equal(mx.v[0], "mx1.example.com");
	assert_int_equal(aw_mta_sts_policy_build(AW_MTA_STS_MODE_TESTING, &mx,
	    AW_MTA_STS_MAX_AGE_TESTING, &text, &err), AW_OK);
	assert_string_equal(text, "version: STSv1\r\nmode: testing\r\n"
	    "mx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n");
	aw_mta_sts_policy_init(&p);
	aw_findings_init(&f);
	assert_int_equal(aw_mta_sts_policy_parse(text, strlen(text), &p, &f),
	    AW_OK);
	assert_true(p.valid);
	free(text);
	aw_findings_done(&f);
	aw_mta_sts_policy_done(&p);
	/* RFC 8461 §3.2: no mx pattern, a bad pattern, max_age too long. */
	aw_strv_done(&hosts);
	assert_int_equal(aw_mta_sts_policy_build(AW_MTA_STS_MODE_ENFORCE, &hosts,
	    604800, &text, &err), AW_ERR_INVALID);
	assert_null(text);
	aw_strv_push(&hosts, "mx_1.example.com");
	assert_int_equal(aw_mta_sts_policy_build(AW_MTA_STS_MODE_ENFORCE, &hosts,
	    604800, &text, &err), AW_ERR_INVALID);
	assert_int_equal(aw_mta_sts_policy_build(AW_MTA_STS_MODE_ENFORCE, &mx,
	    AW_MTA_STS_MAX_AGE_MAX + 1, &text, &err), AW_ERR_INVALID);
	/* RFC 8461 §3.1: the id is 1-32 letters and digits. */
	aw_mta_sts_id_make(clock_fixed(), id, sizeof id);
	assert_string_equal(id, "20261206120000");
	assert_true(aw_mta_sts_id_valid(id));
	assert_false(aw_mta_sts_id_valid("2026-12-06"));
	assert_false(aw_mta_sts_id_valid("123456789012345678901234567890123"));
	assert_int_equal(aw_mta_sts_record_build(id, &text, &err), AW_OK);
	assert_string_equal(text, "v=STSv1; id=20261206120000");
	free(text);
	text = aw_mta_sts_record_id("v=STSv1; id=abc9");
	assert_string_equal(text, "abc9");
	free(text);
	assert_null(aw_mta_sts_record_id("v=STSv1; id=a-b"));
	assert_null(aw_mta_sts_record_id("v=spf1 -all"));
	assert_int_equal(aw_mta_sts_record_build("a;b", &text, &err),
	    AW_ERR_INVALID);
	/* RFC 8460 §3: mailto: or https:, a bare mailbox taken as mailto:. */
	assert_int_equal(aw_tls_rpt_build(rua, 2, &text, &err), AW_OK);
	assert_string_equal(text,
	    "v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.net/tls");
	free(text);
	rua[1] = "ftp://r.example.net/";
	assert_int_equal(aw_tls_rpt_build(rua, 2, &text, &err), AW_ERR_INVALID);
	assert_non_null(strstr(err.msg, "ftp://"));
	assert_int_equal(aw_tls_rpt_build(rua, 0, &text, &err), AW_ERR_INVALID);
	aw_strv_done(&hosts);
	aw_strv_done(&mx);
}

/* Nothing published: leave it is the default (Enter goes on, nothing
 * planned); Down builds testing from the MX hosts; enforce is refused;
 * Enter writes the file first, asks before replacing one, and only then
 * are the two records planned. */
static void
testing_first_file_then_records(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	const struct aw_change *c;
	unsigned e;

	m->mtasts.now = clock_fixed;
	start(fx);
	assert_true(m->mtasts.seen && m->mtasts.tls_seen);
	assert_int_equal(m->mtasts.cur.n, 0);
	assert_int_equal(m->mtasts.mx_hosts.n, 1);
	walk_to_step(m);
	assert_int_equal(m->mtasts.choice, AW_TUI_STS_KEEP);
	assert_null(m->mtasts.policy);
	assert_string_equal(m->mtasts.path.text, "mta-sts.example.test.txt");
	/* The DMARC step's report address is offered for TLS reports. */
	assert_string_equal(m->mtasts.rua.text, "dmarc-reports@example.test");

	aw_tui_model_key(m, AW_EV_DOWN);
	assert_int_equal(m->mtasts.choice, AW_TUI_STS_TESTING);
	assert_string_equal(m->mtasts.policy, "version: STSv1\r\nmode: testing\r\n"
	    "mx: mx.example.test\r\nmax_age: 604800\r\n");
	assert_string_equal(m->mtasts.policy_url,
	    "https://mta-sts.example.test/.well-known/mta-sts.txt");
	assert_string_equal(m->mtasts.record, "v=STSv1; id=20261206120000");
	assert_string_equal(m->mtasts.tls_record,
	    "v=TLSRPTv1; rua=mailto:dmarc-reports@example.test");
	/* RFC 8461 §5: no enforce before testing is served. */
	aw_tui_model_key(m, AW_EV_DOWN);
	assert_int_equal(m->mtasts.choice, AW_TUI_STS_TESTING);
	assert_non_null(m->error);

	/* Enter writes; the file exists: asked, n keeps it. */
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_WRITE_POLICY);
	assert_false(m->mtasts.overwrite);
	assert_int_equal(m->screen, AW_SCR_MTASTS);
	post_written(m, false, 1);
	assert_true(m->mtasts.overwrite_asked);
	e = type_char(m, 'n');
	assert_false(e & AW_FX_WRITE_POLICY);
	assert_false(m->mtasts.overwrite);
	assert_int_equal(m->focus, AW_FOCUS_FIELD1);
	/* Asked again, y replaces it. */
	aw_tui_model_key(m, AW_EV_BACK);
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_WRITE_POLICY);
	post_written(m, false, 1);
	e = type_char(m, 'y');
	assert_true(e & AW_FX_WRITE_POLICY);
	assert_true(m->mtasts.overwrite);
	/* A failure says why and keeps the step. */
	post_written(m, false, 0);
	assert_non_null(strstr(m->error, "Permission denied"));
	assert_null(m->mtasts.written);
	e = aw_tui_model_key(m, AW_EV_NEXT);
	assert_true(e & AW_FX_WRITE_POLICY);
	post_written(m, true, 0);
	assert_string_equal(m->mtasts.written, m->mtasts.policy);
	assert_non_null(strstr(m->note, m->mtasts.policy_url));

	/* Written: Enter goes on, the review plans both records. */
	aw_tui_model_key(m, AW_EV_NEXT);          /* on to BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);          /* no BIMI record: review */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	c = find_change(m, "_mta-sts.example.test", AW_RECORD_TXT);
	assert_non_null(c);
	assert_string_equal(aw_tui_change_value(c), "v=STSv1; id=20261206120000");
	c = find_change(m, "_smtp._tls.example.test", AW_RECORD_TXT);
	assert_non_null(c);
	assert_string_equal(aw_tui_change_value(c),
	    "v=TLSRPTv1; rua=mailto:dmarc-reports@example.test");
}

/* Left as it is: no record, whatever was typed. */
static void
leave_it_plans_nothing(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;

	start(fx);
	walk_to_step(m);
	aw_tui_model_key(m, AW_EV_NEXT);          /* on to BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);          /* no BIMI record: review */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	assert_null(find_change(m, "_mta-sts.example.test", AW_RECORD_TXT));
	assert_null(find_change(m, "_smtp._tls.example.test", AW_RECORD_TXT));
}

/* A testing policy served and covering every MX: enforce is offered, with
 * a longer max_age and a new id (never the published one); the record
 * replaces the published one; the TLS-RPT record already there stays. */
static void
enforce_once_testing_is_served(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct fake_fetch ff = { .loop = fx->loop, .body =
	    "version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 86400\n" };
	struct aw_fetcher fetcher = { &fake_ops, &ff };
	const struct aw_change *c;
	struct aw_strv gone, kept, came;

	m->mtasts.now = clock_published;
	aw_dns_memory_add_mx(fx->zone, "example.test", 10, "mx.example.test");
	aw_dns_memory_add_addr(fx->zone, "mx.example.test", "192.0.2.25");
	aw_dns_memory_add_txt1(fx->zone, "_mta-sts.example.test",
	    "v=STSv1; id=20260101000000");
	aw_dns_memory_add_addr(fx->zone, "mta-sts.example.test", "192.0.2.80");
	aw_dns_memory_add_txt1(fx->zone, "_smtp._tls.example.test",
	    "v=TLSRPTv1; rua=mailto:tls@example.test");
	aw_tui_model_type(m, "example.test");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_START_CHECK);
	run_check_fetching(fx, &fetcher);
	assert_int_equal(ff.started, 1);
	assert_true(m->mtasts.enforce_ready);
	assert_string_equal(m->mtasts.cur_id, "20260101000000");
	walk_to_step(m);
	/* The published TLS-RPT address is kept. */
	assert_string_equal(m->mtasts.rua.text, "mailto:tls@example.test");
	aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_DOWN);
	assert_int_equal(m->mtasts.choice, AW_TUI_STS_ENFORCE);
	assert_non_null(strstr(m->mtasts.policy, "mode: enforce\r\n"));
	assert_non_null(strstr(m->mtasts.policy, "max_age: 2419200\r\n"));
	/* The clock says the published id's second: one later. */
	assert_string_equal(m->mtasts.record, "v=STSv1; id=20260101000001");
	/* Back to testing: another policy, another id. */
	m->mtasts.now = clock_fixed;
	aw_tui_model_key(m, AW_EV_UP);
	assert_string_equal(m->mtasts.record, "v=STSv1; id=20261206120000");
	aw_tui_model_key(m, AW_EV_DOWN);
	assert_string_equal(m->mtasts.record, "v=STSv1; id=20261206120000");
	assert_true(aw_tui_model_key(m, AW_EV_NEXT) & AW_FX_WRITE_POLICY);
	post_written(m, true, 0);
	aw_tui_model_key(m, AW_EV_NEXT);          /* on to BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);          /* no BIMI record: review */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	c = find_change(m, "_mta-sts.example.test", AW_RECORD_TXT);
	assert_non_null(c);
	aw_tui_change_split(c, &gone, &kept, &came);
	assert_int_equal(gone.n, 1);
	assert_string_equal(gone.v[0], "v=STSv1; id=20260101000000");
	assert_int_equal(came.n, 1);
	assert_string_equal(came.v[0], "v=STSv1; id=20261206120000");
	aw_strv_done(&gone);
	aw_strv_done(&kept);
	aw_strv_done(&came);
	assert_null(find_change(m, "_smtp._tls.example.test", AW_RECORD_TXT));
}

/* Once the recheck sees _mta-sts published, the policy is fetched as a
 * sender would; served as written, or not the same. */
static void
recheck_fetches_the_policy(void **state)
{
	struct fixture *fx = *state;
	struct aw_tui_model *m = fx->m;
	struct fake_fetch ff = { .loop = fx->loop };
	struct aw_fetcher fetcher = { &fake_ops, &ff };
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc;
	struct aw_tui_event ev;
	size_t i;
	unsigned e;

	m->mtasts.now = clock_fixed;
	start(fx);
	walk_to_step(m);
	aw_tui_model_key(m, AW_EV_DOWN);
	aw_tui_model_key(m, AW_EV_NEXT);
	post_written(m, true, 0);
	aw_tui_model_key(m, AW_EV_NEXT);          /* on to BIMI */
	assert_int_equal(m->screen, AW_SCR_BIMI);
	aw_tui_model_key(m, AW_EV_NEXT);          /* no BIMI record: review */
	assert_int_equal(m->screen, AW_SCR_REVIEW);
	/* The recheck ends with the record not seen: nothing fetched. */
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_RECHECK;
	ev.index = m->plan.nchanges;
	ev.count = 1;
	assert_false(aw_tui_model_event(m, &ev) & AW_FX_FETCH_POLICY);
	for (i = 0; i < m->plan.nchanges; i++)
		if (strcmp(m->plan.changes[i].old.name, "_mta-sts.example.test") == 0)
			break;
	assert_true(i < m->plan.nchanges);
	ev.index = i;
	ev.ok = true;
	e = aw_tui_model_event(m, &ev);
	assert_true(e & AW_FX_FETCH_POLICY);
	assert_true(m->mtasts.fetching);

	/* Published: the record and the policy host. */
	aw_dns_memory_add_txt1(fx->zone, "_mta-sts.example.test",
	    m->mtasts.record);
	aw_dns_memory_add_addr(fx->zone, "mta-sts.example.test", "192.0.2.80");
	ff.body = m->mtasts.written;
	memset(&opts, 0, sizeof opts);
	opts.fetcher = &fetcher;
	dc = aw_test_run_area(fx->loop, fx->zone, "example.test", "mta_sts", &opts);
	memset(&ev, 0, sizeof ev);
	ev.type = AW_EV_POLICY_FETCHED;
	ev.sec = aw_test_section(dc, "mta_sts", NULL);
	aw_tui_model_event(m, &ev);
	aw_domain_check_free(dc);
	assert_false(m->mtasts.fetching);
	assert_int_equal(m->mtasts.served, 1);
	assert_true(m->mtasts.served_same);

	/* Another policy served there: not the one written. */
	ff.body = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\n"
	    "max_age: 604800\r\n";
	dc = aw_test_run_area(fx->loop, fx->zone, "example.test", "mta_sts", &opts);
	ev.sec = aw_test_section(dc, "mta_sts", NULL);
	aw_tui_model_event(m, &ev);
	aw_domain_check_free(dc);
	assert_int_equal(m->mtasts.served, 1);
	assert_false(m->mtasts.served_same);

	/* Nothing served (no fetch possible): not served. */
	ev.sec = NULL;
	aw_tui_model_event(m, &ev);
	assert_int_equal(m->mtasts.served, 0);
}

/* The policy file on a full disk (RLIMIT_FSIZE): replacing it fails with
 * the path and the reason and the served policy stays whole (it was
 * truncated in place before); no temporary is left; a symbolic link is
 * still refused; without replace an existing file is a conflict. */
static void
policy_file_replace_on_a_full_disk_keeps_the_old(void **state)
{
	char dir[] = "/tmp/aw-policy-test-XXXXXX", path[256], link_[256], cmd[300];
	char back[128], big[512];
	struct aw_error err;
	struct rlimit old, tiny = { 64, 64 };
	const char *good = "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n";
	struct stat stb;
	FILE *fp;
	size_t n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mta-sts.txt", dir);
	snprintf(link_, sizeof link_, "%s/link.txt", dir);
	aw_error_clear(&err);
	assert_int_equal(aw_tui_policy_write(path, good, false, &err), AW_OK);
	assert_int_equal(aw_tui_policy_write(path, good, false, &err), AW_ERR_CONFLICT);
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	aw_error_clear(&err);
	assert_int_equal(aw_tui_policy_write(path, big, true, &err), AW_ERR_IO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, strerror(EFBIG)));
	assert_null(strstr(err.msg, ".tmp."));
	assert_non_null(fp = fopen(path, "r"));
	n = fread(back, 1, sizeof back - 1, fp);
	fclose(fp);
	back[n] = '\0';
	assert_string_equal(back, good);
	snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s')\" = mta-sts.txt", dir);
	assert_int_equal(system(cmd), 0);

	/* With room: replaced, 0644 for the web server. */
	assert_int_equal(aw_tui_policy_write(path, big, true, &err), AW_OK);
	assert_int_equal(stat(path, &stb), 0);
	assert_int_equal(stb.st_mode & 0777, 0644);
	assert_int_equal((size_t)stb.st_size, strlen(big));

	/* Never through a symbolic link. */
	assert_int_equal(symlink(path, link_), 0);
	assert_int_equal(aw_tui_policy_write(link_, good, true, &err), AW_ERR_IO);
	assert_int_equal(lstat(link_, &stb), 0);
	assert_true(S_ISLNK(stb.st_mode));
	assert_int_equal(aw_test_rmtree(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builders_make_what_the_parsers_accept),
		cmocka_unit_test_setup_teardown(testing_first_file_then_records,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(leave_it_plans_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(enforce_once_testing_is_served,
		    setup, teardown),
		cmocka_unit_test(policy_file_replace_on_a_full_disk_keeps_the_old),
		cmocka_unit_test_setup_teardown(recheck_fetches_the_policy, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
