/* test_provider_worker.c: a host whose step blocks (blocking_step: RFC
 * 2136's DNS exchanges) does not hold the loop: while its step waits, the
 * loop runs timers (the wizard's keys and screen), the result comes back
 * on the loop; cancel waits for the step and reports nothing. */
#include "config.h"

#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/loop.h"
#include "providers/provider.h"

/* The fake host: its step waits (bounded) until a byte arrives on gate. */
struct fake {
	int gate[2];
	int steps;
	bool waited_out;     /* the gate never opened: the loop was held */
};

static enum aw_status
fake_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct fake *f = state;
	struct pollfd pfd = { .fd = f->gate[0], .events = POLLIN };
	char c;

	(void)resp;
	(void)req;
	f->steps++;
	if (poll(&pfd, 1, 5000) != 1 || read(f->gate[0], &c, 1) != 1) {
		f->waited_out = true;
		return aw_error_set(err, AW_ERR_TIMEOUT, "the gate never opened");
	}
	op->done = true;
	return AW_OK;
}

static const struct aw_provider_option no_options[] = {
	{ NULL, NULL, NULL, false, false, NULL }
};

static const struct aw_provider_ops fake_ops = {
	.name = "fakeblock",
	.title = "Fake blocking host",
	.options = no_options,
	.step = fake_step,
	.blocking_step = true,
};

struct result {
	bool called;
	enum aw_status st;
	bool timer_first;   /* the timer ran before the result came */
	bool timer_ran;
};

static void
on_result(struct aw_provider_op *op, enum aw_status st,
    const struct aw_error *err, void *arg)
{
	struct result *r = arg;

	(void)op;
	(void)err;
	r->called = true;
	r->st = st;
	r->timer_first = r->timer_ran;
}

struct opener {
	struct fake *f;
	struct result *r;
};

/* A timer on the loop: it can only run while the step is blocked if the
 * step is not on the loop's thread. It opens the gate. */
static void
open_gate(void *arg)
{
	struct opener *o = arg;

	o->r->timer_ran = true;
	if (write(o->f->gate[1], "x", 1) != 1)
		fail();
}

static void
blocking_step_leaves_the_loop_running(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct fake f = { .steps = 0 };
	struct aw_provider p = { .ops = &fake_ops, .state = &f, .loop = loop };
	struct aw_provider_op op;
	struct result r = { .called = false };
	struct opener o = { &f, &r };
	struct aw_error err;
	int64_t end = aw_loop_now_ms() + 10000;

	(void)state;
	assert_int_equal(pipe(f.gate), 0);
	aw_provider_op_init(&op, AW_OP_VERIFY);
	aw_error_clear(&err);
	assert_int_equal(aw_provider_run(&p, &op, on_result, &r, NULL, &err),
	    AW_OK);
	/* aw_provider_run came back while the step waits. */
	assert_false(r.called);
	assert_non_null(aw_loop_timer_add(loop, 0, open_gate, &o));
	while (!r.called && aw_loop_now_ms() < end)
		aw_loop_run_once(loop, 100);
	assert_true(r.called);
	assert_int_equal(r.st, AW_OK);
	assert_true(r.timer_first);
	assert_false(f.waited_out);
	assert_true(op.done);
	assert_int_equal(f.steps, 1);
	aw_provider_op_done(&p, &op);
	close(f.gate[0]);
	close(f.gate[1]);
	aw_loop_free(loop);
}

static void
cancel_waits_for_the_step_and_reports_nothing(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct fake f = { .steps = 0 };
	struct aw_provider p = { .ops = &fake_ops, .state = &f, .loop = loop };
	struct aw_provider_op op;
	struct aw_provider_run *run = NULL;
	struct result r = { .called = false };
	struct aw_error err;

	(void)state;
	assert_int_equal(pipe(f.gate), 0);
	aw_provider_op_init(&op, AW_OP_VERIFY);
	aw_error_clear(&err);
	assert_int_equal(aw_provider_run(&p, &op, on_result, &r, &run, &err),
	    AW_OK);
	assert_non_null(run);
	/* The step gets its answer; cancel then joins it. */
	assert_int_equal(write(f.gate[1], "x", 1), 1);
	aw_provider_cancel(&p, run);
	aw_loop_run_once(loop, 50);
	assert_false(r.called);
	assert_int_equal(f.steps, 1);
	aw_provider_op_done(&p, &op);
	close(f.gate[0]);
	close(f.gate[1]);
	aw_loop_free(loop);
}

/* The CLI's synchronous run goes through the same worker. */
static void
run_sync_waits_for_the_worker(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct fake f = { .steps = 0 };
	struct aw_provider p = { .ops = &fake_ops, .state = &f, .loop = loop };
	struct aw_provider_op op;
	struct aw_error err;

	(void)state;
	assert_int_equal(pipe(f.gate), 0);
	assert_int_equal(write(f.gate[1], "x", 1), 1);
	aw_provider_op_init(&op, AW_OP_VERIFY);
	aw_error_clear(&err);
	assert_int_equal(aw_provider_run_sync(&p, &op, &err), AW_OK);
	assert_true(op.done);
	aw_provider_op_done(&p, &op);
	close(f.gate[0]);
	close(f.gate[1]);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(blocking_step_leaves_the_loop_running),
		cmocka_unit_test(cancel_waits_for_the_step_and_reports_nothing),
		cmocka_unit_test(run_sync_waits_for_the_worker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
