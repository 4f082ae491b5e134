/* test_core.c: buffers, display escaping, domain names, IDN, the loop. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "core/loop.h"
#include "core/str.h"
#include "core/strv.h"

static void
buf_grows_and_stays_terminated(void **state)
{
	struct aw_buf b;
	int i;

	aw_buf_init(&b);
	assert_string_equal(aw_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		assert_int_equal(aw_buf_printf(&b, "%d,", i), AW_OK);
	assert_int_equal(b.len, strlen(b.data));
	assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
	aw_buf_done(&b);
}

static void
buf_refuses_past_its_cap(void **state)
{
	struct aw_buf b;

	aw_buf_init(&b);
	b.max = 8;
	assert_int_equal(aw_buf_puts(&b, "12345678"), AW_OK);
	assert_int_equal(aw_buf_puts(&b, "9"), AW_ERR_INVALID);
	assert_string_equal(aw_buf_str(&b), "12345678");
	aw_buf_done(&b);
}

static void
escape_neutralises_terminal_sequences(void **state)
{
	const char raw[] = "a\x1b[31mred\x07\r\n\x7f\\b";
	char *e = aw_str_escape_dup(raw, sizeof raw - 1, 0);

	assert_string_equal(e, "a\\x1B[31mred\\x07\\x0D\\x0A\\x7F\\\\b");
	free(e);
}

static void
escape_keeps_utf8_and_escapes_invalid_bytes(void **state)
{
	/* "bücher" is kept; a lone 0xff and a C1 control (U+009B, CSI) are
	 * escaped; a bidi override (U+202E) too. */
	const char raw[] = "b\xc3\xbc" "cher \xff \xc2\x9b \xe2\x80\xae";
	char *e = aw_str_escape_dup(raw, sizeof raw - 1, 0);

	assert_string_equal(e, "b\xc3\xbc" "cher \\xFF \\xC2\\x9B \\xE2\\x80\\xAE");
	free(e);
}

static void
escape_bounds_long_text(void **state)
{
	char raw[5000];
	char *e;

	memset(raw, 'x', sizeof raw);
	e = aw_str_escape_dup(raw, sizeof raw, 100);
	assert_int_equal(strlen(e), 103);
	assert_string_equal(e + 100, "...");
	free(e);
}

static void
domain_compare_ignores_case_and_trailing_dot(void **state)
{
	char *n = aw_domain_normalize("Example.COM.");

	assert_string_equal(n, "example.com");
	free(n);
	assert_true(aw_domain_equal("example.com.", "EXAMPLE.com"));
	assert_false(aw_domain_equal("example.com", "example.co"));
	assert_true(aw_domain_is_under("a.b.example.com", "example.com."));
	assert_true(aw_domain_is_under("example.com", "example.com"));
	assert_false(aw_domain_is_under("badexample.com", "example.com"));
}

static void
domain_syntax_rfc1035_2_3_4(void **state)
{
	char label64[70];

	assert_true(aw_domain_valid("s1._domainkey.example.com"));
	assert_false(aw_domain_valid("exa mple.com"));
	assert_false(aw_domain_valid("a..b"));
	assert_false(aw_domain_valid(""));
	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".com");
	assert_false(aw_domain_valid(label64));
}

static void
idn_unicode_becomes_a_labels_and_back(void **state)
{
	char *a = NULL, *u;
	struct aw_error err;

	assert_int_equal(aw_domain_to_ascii("B\xc3\xbc" "cher.Example", &a, &err), AW_OK);
	assert_string_equal(a, "xn--bcher-kva.example");
	u = aw_domain_to_unicode(a);
	assert_string_equal(u, "b\xc3\xbc" "cher.example");
	free(a);
	free(u);
	assert_int_equal(aw_domain_to_ascii("a\xe2\x80\xae" "b.com", &a, &err),
	    AW_ERR_INVALID);
	assert_null(a);
}

static void
strv_push_and_find(void **state)
{
	struct aw_strv sv;
	int i;

	aw_strv_init(&sv);
	for (i = 0; i < 20; i++)
		assert_int_equal(aw_strv_pushf(&sv, "item %d", i), AW_OK);
	assert_int_equal(sv.n, 20);
	assert_int_equal(aw_strv_find(&sv, "item 17"), 17);
	assert_int_equal(aw_strv_find(&sv, "nope"), -1);
	aw_strv_done(&sv);
}

static int fired[4];
static int order;

static void
on_timer(void *arg)
{
	fired[(intptr_t)arg] = ++order;
}

static void
loop_timers_fire_in_deadline_order(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_loop_timer *cancelled;

	memset(fired, 0, sizeof fired);
	order = 0;
	aw_loop_timer_add(loop, 20, on_timer, (void *)(intptr_t)0);
	aw_loop_timer_add(loop, 0, on_timer, (void *)(intptr_t)1);
	cancelled = aw_loop_timer_add(loop, 5, on_timer, (void *)(intptr_t)2);
	aw_loop_timer_add(loop, 10, on_timer, (void *)(intptr_t)3);
	aw_loop_timer_cancel(loop, cancelled);
	while (aw_loop_run_once(loop, -1))
		;
	assert_int_equal(fired[1], 1);
	assert_int_equal(fired[3], 2);
	assert_int_equal(fired[0], 3);
	assert_int_equal(fired[2], 0);
	aw_loop_free(loop);
}

static void
loop_run_until_stops_at_deadline(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	bool done = false;

	memset(fired, 0, sizeof fired);
	aw_loop_timer_add(loop, 60000, on_timer, (void *)(intptr_t)0);
	assert_int_equal(aw_loop_run_until(loop, &done,
	    aw_loop_now_ms() + 20), AW_ERR_TIMEOUT);
	assert_int_equal(fired[0], 0);
	aw_loop_free(loop);     /* frees the pending timer */
}

/* Many timers, equal deadlines among them: they fire by deadline and,
 * at one deadline, in the order added; cancelling the first, the last
 * and ones in the middle (also from a callback, a timer due in the same
 * round) leaves the rest in order, and a timer added from a callback
 * fires after those already due. */
#define MANY 200
static struct aw_loop *many_loop;
static struct aw_loop_timer *many[MANY];
static int many_seen[MANY + 1], many_n;

static void
on_many(void *arg)
{
	intptr_t i = (intptr_t)arg;

	many_seen[many_n++] = (int)i;
	if (i == 10) {
		/* due in this round too: it must not fire */
		aw_loop_timer_cancel(many_loop, many[11]);
		aw_loop_timer_add(many_loop, 0, on_many, (void *)(intptr_t)MANY);
	}
}

static void
loop_timers_cancel_anywhere(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	intptr_t i;
	int k, last = -1, last_zero = -1;
	bool cancelled[MANY + 1] = { false };

	many_loop = loop;
	many_n = 0;
	/* even: at 0 ms; odd: 10..50 ms (apart by more than the clock can
	 * move while adding), interleaved */
	for (i = 0; i < MANY; i++)
		many[i] = aw_loop_timer_add(loop, i % 2 ? 10 * (1 + i % 5) : 0,
		    on_many, (void *)i);
	for (i = 0; i < MANY; i += 37)
		cancelled[i] = true;
	cancelled[MANY - 1] = cancelled[MANY - 2] = cancelled[11] = true;
	for (i = 0; i < MANY; i++)
		if (cancelled[i] && i != 11)
			aw_loop_timer_cancel(loop, many[i]);
	while (aw_loop_run_once(loop, -1))
		;
	/* every even timer not cancelled, then the added one, in order;
	 * the odd ones after the even, by deadline then order added */
	for (k = 0; k < many_n; k++) {
		int t = many_seen[k];

		assert_false(cancelled[t]);
		cancelled[t] = true;   /* once */
		if (t == MANY) {
			assert_true(last_zero >= 10);
			continue;
		}
		if (t % 2 == 0) {
			assert_true(t > last_zero);
			last_zero = t;
		} else {
			assert_true(last < 0 || t % 5 > last % 5 ||
			    (t % 5 == last % 5 && t > last));
			last = t;
		}
	}
	for (i = 0; i <= MANY; i++)
		assert_true(cancelled[i]);
	aw_loop_free(loop);
}

static struct aw_loop *task_loop;
static uintptr_t task_seen[3];

static void
on_task_timer(void *arg)
{
	intptr_t i = (intptr_t)arg;

	task_seen[i] = aw_loop_task(task_loop);
	if (i == 0) {
		/* added while task 7 runs: it runs as task 7 too */
		aw_loop_timer_add(task_loop, 0, on_task_timer, (void *)(intptr_t)2);
	}
}

/* A timer runs with the task that was current when it was added (what
 * the resolver shares the wire by), and the task is back to none after. */
static void
loop_timers_carry_their_task(void **state)
{
	struct aw_loop *loop = aw_loop_new();

	task_loop = loop;
	memset(task_seen, 0xff, sizeof task_seen);
	assert_int_equal(aw_loop_set_task(loop, 7), 0);
	aw_loop_timer_add(loop, 0, on_task_timer, (void *)(intptr_t)0);
	assert_int_equal(aw_loop_set_task(loop, 0), 7);
	aw_loop_timer_add(loop, 0, on_task_timer, (void *)(intptr_t)1);
	while (aw_loop_run_once(loop, -1))
		;
	assert_int_equal(task_seen[0], 7);
	assert_int_equal(task_seen[1], 0);
	assert_int_equal(task_seen[2], 7);
	assert_int_equal(aw_loop_task(loop), 0);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_grows_and_stays_terminated),
		cmocka_unit_test(buf_refuses_past_its_cap),
		cmocka_unit_test(escape_neutralises_terminal_sequences),
		cmocka_unit_test(escape_keeps_utf8_and_escapes_invalid_bytes),
		cmocka_unit_test(escape_bounds_long_text),
		cmocka_unit_test(domain_compare_ignores_case_and_trailing_dot),
		cmocka_unit_test(domain_syntax_rfc1035_2_3_4),
		cmocka_unit_test(idn_unicode_becomes_a_labels_and_back),
		cmocka_unit_test(strv_push_and_find),
		cmocka_unit_test(loop_timers_fire_in_deadline_order),
		cmocka_unit_test(loop_run_until_stops_at_deadline),
		cmocka_unit_test(loop_timers_cancel_anywhere),
		cmocka_unit_test(loop_timers_carry_their_task),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
