/* test_udp_batch.c: c-ares sending through checks/udp-batch.c: queries
 * asked while a batch is open reach the server only when it closes, all
 * of them; outside a batch at once; the sockets are non-blocking. */
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

#include <ares.h>

#include "checks/udp-batch.h"

static int socks[8], nsocks;

static void
on_sock(void *data, ares_socket_t fd, int readable, int writable)
{
	(void)data;
	(void)writable;
	if (readable && nsocks < 8)
		socks[nsocks++] = fd;
}

static void
ignore(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	(void)arg;
	(void)status;
	(void)timeouts;
	(void)abuf;
	(void)alen;
}

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
batched_then_at_once(void **state)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	struct ares_options opts;
	struct aw_udp_batch *b;
	struct pollfd p;
	ares_channel ch;
	char server[64];
	int srv, got = 0, i;

	(void)state;
	srv = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(srv, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(srv, (struct sockaddr *)&sa, &len), 0);
	snprintf(server, sizeof server, "127.0.0.1:%u", ntohs(sa.sin_port));

	assert_int_equal(ares_library_init(ARES_LIB_INIT_ALL), ARES_SUCCESS);
	memset(&opts, 0, sizeof opts);
	opts.sock_state_cb = on_sock;
	assert_int_equal(ares_init_options(&ch, &opts, ARES_OPT_SOCK_STATE_CB),
	    ARES_SUCCESS);
	assert_int_equal(ares_set_servers_ports_csv(ch, server), ARES_SUCCESS);
	assert_non_null(b = aw_udp_batch_new());
	aw_udp_batch_attach(b, ch, 1 << 16);

	/* in a batch: nothing on the wire until it closes, then all */
	aw_udp_batch_open(b);
	for (i = 0; i < 5; i++)
		ares_query(ch, "example.test", 1, 16, ignore, NULL);
	aw_udp_batch_open(b);            /* nested */
	ares_query(ch, "example.test", 1, 1, ignore, NULL);
	aw_udp_batch_close(b);
	assert_int_equal(waiting(srv), 0);
	aw_udp_batch_close(b);
	p.fd = srv;
	p.events = POLLIN;
	while (got < 6 && poll(&p, 1, 2000) == 1)
		got += waiting(srv);
	assert_int_equal(got, 6);

	/* outside one: at once */
	ares_query(ch, "example.test", 1, 28, ignore, NULL);
	assert_int_equal(poll(&p, 1, 2000), 1);
	assert_int_equal(waiting(srv), 1);

	/* the socket c-ares made through us is non-blocking */
	assert_true(nsocks > 0);
	assert_true(fcntl(socks[0], F_GETFL) & O_NONBLOCK);

	ares_destroy(ch);
	aw_udp_batch_free(b);
	ares_library_cleanup();
	close(srv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(batched_then_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
