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
	assert_int_equal(aw_dns_query(&fx->src, m->domain, AW_RR_TXT, txt_cb, fx),
	    AW_OK);
	/* Progress: nothing finished before the loop runs. */
	for (i = 0; i < AW_ROW_COUNT; i++)
		assert_int_equal(m->rows[i].finished, 0);
	while (!aw_domain_check_finished(fx->dc) || !fx->txt_done)
		assert_true(aw_loop_run_once(fx->loop, 1000));
}

#endif
