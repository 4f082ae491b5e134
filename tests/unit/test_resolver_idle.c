/* test_resolver_idle.c: what the resolver (checks/resolver.c) keeps open
 * once every question is answered. By default nothing: c-ares closes its
 * socket after the last answer, so a long-lived user (the wizard, watch)
 * makes a new one for its next questions (a new source port; a socket
 * connected from an address a network change took away is not kept).
 * With keep_sockets (a short run: check) the socket stays until
 * aw_resolver_free. The server is a UDP socket of this test, answered
 * from the same loop. */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "checks/dns.h"
#include "checks/resolver.h"
#include "core/error.h"
#include "core/loop.h"

static size_t
open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the directory's own */
}

/* Answers each query with NXDOMAIN (the question echoed, no records). */
static void
on_query(int fd, int revents, void *arg)
{
	unsigned char buf[512];
	struct sockaddr_storage from;
	socklen_t len = sizeof from;
	ssize_t n;

	(void)revents;
	(void)arg;
	n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
	if (n < 12)
		return;
	buf[2] = 0x80 | (buf[2] & 0x79);   /* QR, RD kept */
	buf[3] = 0x80 | 3;                 /* RA, NXDOMAIN */
	memset(buf + 6, 0, 6);             /* no answer, authority, extra */
	(void)sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
}

static void
on_answer(struct aw_dns_answer *ans, void *arg)
{
	*(int *)arg = ans->result == AW_DNS_NXDOMAIN ? 1 : 2;
	aw_dns_answer_free(ans);
}

/* Asks one question and returns the descriptors open, beyond those
 * before the resolver, once the loop has had up to 1.5 s with nothing
 * asked. */
static size_t
left_open_when_idle(bool keep)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_config cfg;
	struct aw_resolver *res = NULL;
	struct aw_error err;
	struct sockaddr_in sa;
	socklen_t salen = sizeof sa;
	char server[64];
	const char *servers[1] = { server };
	size_t before, extra;
	int64_t until;
	int srv, got = 0;

	srv = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(srv, (struct sockaddr *)&sa, &salen), 0);
	snprintf(server, sizeof server, "127.0.0.1:%u",
	    (unsigned)ntohs(sa.sin_port));
	assert_int_equal(aw_loop_watch(loop, srv, AW_LOOP_READ, on_query,
	    NULL), AW_OK);
	before = open_fds();
	memset(&cfg, 0, sizeof cfg);
	cfg.servers = servers;
	cfg.nservers = 1;
	cfg.timeout_ms = 300;
	cfg.keep_sockets = keep;
	aw_error_clear(&err);
	assert_int_equal(aw_resolver_new(loop, &cfg, &res, &err), AW_OK);
	assert_int_equal(aw_resolver_query(res, "idle.example", AW_RECORD_TXT,
	    on_answer, &got), AW_OK);
	until = aw_loop_now_ms() + 5000;
	while (got == 0 && aw_loop_now_ms() < until)
		aw_loop_run_once(loop, 100);
	assert_int_equal(got, 1);
	/* bounded: the descriptors closed, or the time is over */
	until = aw_loop_now_ms() + 1500;
	while (open_fds() > before && aw_loop_now_ms() < until)
		aw_loop_run_once(loop, 50);
	extra = open_fds() - before;
	aw_resolver_free(res);
	assert_int_equal(open_fds(), before);
	aw_loop_watch(loop, srv, 0, NULL, NULL);
	aw_loop_free(loop);
	close(srv);
	return extra;
}

static void
an_idle_resolver_holds_no_socket(void **state)
{
	(void)state;
	assert_int_equal(left_open_when_idle(false), 0);
}

static void
keep_sockets_keeps_the_socket_until_the_free(void **state)
{
	(void)state;
	assert_int_equal(left_open_when_idle(true), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(an_idle_resolver_holds_no_socket),
		cmocka_unit_test(keep_sockets_keeps_the_socket_until_the_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
