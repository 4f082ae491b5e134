/* test_validator.c: the deferred start of the DNSSEC validator
 * (checks/dnssec.c, aw_validator_new_deferred): nothing is loaded until
 * the loop's first turn, questions asked before are held and then
 * answered, and a validator freed before it started leaves nothing
 * behind (ASan); aw_validator_unload drops libunbound only when no
 * validator is left, and the next one loads it again. The validation
 * itself runs against a signed tree in tests/integration/dnssec.py. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include <dlfcn.h>

#include "checks/dnssec.h"
#include "core/error.h"
#include "core/loop.h"

struct got {
	int calls;
	enum aw_dnssec_state state;
	char reason[64];
};

static void
on_answer(const struct aw_vanswer *a, void *arg)
{
	struct got *g = arg;

	g->calls++;
	g->state = a->state;
	snprintf(g->reason, sizeof g->reason, "%s",
	    a->reason != NULL ? a->reason : "");
}

/* A loopback UDP port that never answers (bound, never read): the
 * validator's questions to it time out. servers is made to name it. */
static int
silent_server(struct aw_strv *servers)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	char addr[64];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(addr, sizeof addr, "127.0.0.1:%u", ntohs(sa.sin_port));
	aw_strv_init(servers);
	assert_int_equal(aw_strv_push(servers, addr), AW_OK);
	return fd;
}

static void
freed_before_the_start(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_validator *v = NULL;
	struct aw_strv servers;
	struct aw_error err;
	struct got g = { 0 };

	(void)state;
	aw_strv_init(&servers);
	assert_int_equal(aw_strv_push(&servers, "127.0.0.1:9"), AW_OK);
	aw_error_clear(&err);
	assert_int_equal(aw_validator_new_deferred(loop, &servers, 500, &v,
	    &err), AW_OK);
	assert_int_equal(aw_validator_ask(v, &g, "example.test", 1,
	    on_answer, &g), AW_OK);
	assert_int_equal(g.calls, 0);
	/* the start timer and the held question go with it */
	aw_validator_free(v);
	assert_false(aw_loop_run_once(loop, 0));
	assert_int_equal(g.calls, 0);
	aw_strv_done(&servers);
	aw_loop_free(loop);
}

static void
held_questions_are_answered_after_the_start(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_validator *v = NULL;
	struct aw_strv servers;
	struct aw_error err;
	struct got g1 = { 0 }, g2 = { 0 };
	int fd = silent_server(&servers);
	int64_t until;

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_validator_new_deferred(loop, &servers, 400, &v,
	    &err), AW_OK);
	/* asked before the loop ran: held, never answered from here */
	assert_int_equal(aw_validator_ask(v, &g1, "example.test", 1,
	    on_answer, &g1), AW_OK);
	assert_int_equal(g1.calls, 0);
	/* one turn starts it; a question asked after goes out at once */
	aw_loop_run_once(loop, 0);
	assert_null(aw_validator_start_error(v));
	/* the held question made it ask the root's keys first (". DNSKEY",
	 * RFC 4035 §5), before anything else was asked */
	{
		struct pollfd p = { .fd = fd, .events = POLLIN };
		unsigned char buf[512];
		ssize_t n;

		assert_int_equal(poll(&p, 1, 5000), 1);
		n = recv(fd, buf, sizeof buf, 0);
		assert_true(n >= 17);
		assert_int_equal(buf[12], 0);      /* the root */
		assert_int_equal(buf[14], 48);     /* DNSKEY */
	}
	assert_int_equal(aw_validator_ask(v, &g2, "example.test", 28,
	    on_answer, &g2), AW_OK);
	until = aw_loop_now_ms() + 10000;
	while ((g1.calls == 0 || g2.calls == 0) && aw_loop_now_ms() < until)
		aw_loop_run_once(loop, 100);
	/* a server that never answers: each is answered once, not
	 * validated */
	assert_int_equal(g1.calls, 1);
	assert_int_equal(g2.calls, 1);
	assert_int_equal(g1.state, AW_DNSSEC_INDETERMINATE);
	assert_int_equal(g2.state, AW_DNSSEC_INDETERMINATE);
	assert_true(g1.reason[0] != '\0');
	aw_validator_free(v);
	aw_strv_done(&servers);
	aw_loop_free(loop);
	close(fd);
}

static bool
unbound_loaded(void)
{
	void *h = dlopen("libunbound.so.8", RTLD_LAZY | RTLD_NOLOAD);

	if (h != NULL)
		dlclose(h);
	return h != NULL;
}

static void
unloaded_when_none_is_left(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_validator *a = NULL, *b = NULL;
	struct aw_strv servers;
	struct aw_error err;
	struct got g = { 0 };
	int fd = silent_server(&servers);
	int64_t until;

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_validator_new(loop, &servers, NULL, 300, &a,
	    &err), AW_OK);
	assert_int_equal(aw_validator_new(loop, &servers, NULL, 300, &b,
	    &err), AW_OK);
	assert_true(unbound_loaded());
	/* b still uses it: it stays, and b still answers */
	aw_validator_free(a);
	aw_validator_unload();
	assert_true(unbound_loaded());
	assert_int_equal(aw_validator_ask(b, &g, "example.test", 1,
	    on_answer, &g), AW_OK);
	until = aw_loop_now_ms() + 10000;
	while (g.calls == 0 && aw_loop_now_ms() < until)
		aw_loop_run_once(loop, 100);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.state, AW_DNSSEC_INDETERMINATE);
	aw_validator_free(b);
	aw_validator_unload();
	assert_false(unbound_loaded());
	aw_validator_unload();             /* twice: no-op */
	/* the next one loads it again */
	assert_int_equal(aw_validator_new(loop, &servers, NULL, 300, &a,
	    &err), AW_OK);
	assert_true(unbound_loaded());
	aw_validator_free(a);
	aw_validator_unload();
	aw_strv_done(&servers);
	aw_loop_free(loop);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(freed_before_the_start),
		cmocka_unit_test(held_questions_are_answered_after_the_start),
		cmocka_unit_test(unloaded_when_none_is_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
