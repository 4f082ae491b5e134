/* test_udp_batch.c: checks/udp-batch.c, which c-ares sends through:
 * datagrams sent while a batch is open reach the server only when it
 * closes, all of them, whole and in order; outside a batch at once; the
 * sockets are non-blocking and close-on-exec. Datagrams lie end to end
 * in one buffer: more than it holds go out in order, each whole. */
#include "config.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "checks/udp-batch.h"

/* Datagrams waiting at fd now (none blocks). */
static int
waiting(int fd)
{
	unsigned char buf[512];
	int n = 0;

	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		n++;
	return n;
}

static void
send_one(struct aw_udp_batch *b, int fd, const char *text)
{
	struct iovec iov[2];

	iov[0].iov_base = (void *)text;
	iov[0].iov_len = 2;
	iov[1].iov_base = (void *)(text + 2);
	iov[1].iov_len = strlen(text) - 2;
	assert_int_equal(aw_udp_batch_sendv(b, fd, iov, 2),
	    (ssize_t)strlen(text));
}

/* A loopback UDP server (*srv) and a batch with a socket connected to it
 * (returned), as c-ares would make it. */
static int
connected_pair(struct aw_udp_batch **b, int *srv)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	int fd, rcv = 1 << 20;

	*srv = socket(AF_INET, SOCK_DGRAM, 0);
	(void)setsockopt(*srv, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(*srv, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(*srv, (struct sockaddr *)&sa, &len), 0);
	assert_non_null(*b = aw_udp_batch_new(1 << 16));
	fd = aw_udp_batch_socket(*b, AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	return fd;
}

static void
batched_then_at_once(void **state)
{
	struct aw_udp_batch *b;
	struct pollfd p;
	unsigned char buf[64];
	int srv, fd, got = 0, i;

	(void)state;
	fd = connected_pair(&b, &srv);
	/* what c-ares would do to its own socket */
	assert_true(fcntl(fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);

	/* in a batch: nothing on the wire until it closes, then all, in
	 * order, each whole (two iovecs joined) */
	aw_udp_batch_open(b);
	for (i = 0; i < 5; i++)
		send_one(b, fd, "query-in-batch");
	aw_udp_batch_open(b);            /* nested */
	send_one(b, fd, "last-of-batch");
	aw_udp_batch_close(b);
	assert_int_equal(waiting(srv), 0);
	aw_udp_batch_close(b);
	p.fd = srv;
	p.events = POLLIN;
	for (got = 0; got < 6 && poll(&p, 1, 2000) == 1; got++) {
		ssize_t n = recv(srv, buf, sizeof buf, 0);

		assert_int_equal(n, got < 5 ? 14 : 13);
		assert_memory_equal(buf, got < 5 ? "query-in-batch" :
		    "last-of-batch", (size_t)n);
	}
	assert_int_equal(got, 6);

	/* outside one: at once */
	send_one(b, fd, "at-once");
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_int_equal(waiting(srv), 1);

	/* what waits goes out when its socket is closed */
	aw_udp_batch_open(b);
	send_one(b, fd, "before-close");
	assert_int_equal(aw_udp_batch_closefd(b, fd), 0);
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_int_equal(waiting(srv), 1);
	aw_udp_batch_close(b);

	aw_udp_batch_free(b);
	close(srv);
}

/* 100 datagrams of 1,000 bytes (more than the buffer's bytes and the
 * batch's count), each with its number: all arrive, whole, in order. */
static void
more_than_the_buffer(void **state)
{
	struct aw_udp_batch *b;
	struct pollfd p;
	unsigned char msg[1000], buf[1200];
	struct iovec iov;
	int srv, fd, got, i;

	(void)state;
	fd = connected_pair(&b, &srv);

	aw_udp_batch_open(b);
	for (i = 0; i < 100; i++) {
		memset(msg, 'a' + i % 26, sizeof msg);
		msg[0] = (unsigned char)i;
		iov.iov_base = msg;
		iov.iov_len = sizeof msg;
		assert_int_equal(aw_udp_batch_sendv(b, fd, &iov, 1),
		    (ssize_t)sizeof msg);
	}
	aw_udp_batch_close(b);
	p.fd = srv;
	p.events = POLLIN;
	for (got = 0; got < 100 && poll(&p, 1, 2000) == 1; got++) {
		ssize_t n = recv(srv, buf, sizeof buf, 0);

		assert_int_equal(n, (ssize_t)sizeof msg);
		assert_int_equal(buf[0], got);
		assert_int_equal(buf[1], 'a' + got % 26);
		assert_int_equal(buf[sizeof msg - 1], 'a' + got % 26);
	}
	assert_int_equal(got, 100);
	aw_udp_batch_free(b);
	close(fd);
	close(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batched_then_at_once),
		cmocka_unit_test(more_than_the_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
