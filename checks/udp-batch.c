/* udp-batch.c: see udp-batch.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "checks/udp-batch.h"

#define BATCH_MAX 64            /* datagrams per sendmmsg */
#define DGRAM_MAX 1232          /* our EDNS size; queries are far smaller */
#define DATA_MAX (8 * 1024)     /* bytes waiting: 64 queries of ~60 bytes */
#define UDP_FDS 1024            /* descriptors remembered as UDP */

/* The datagrams waiting lie end to end in data: a query is some 60
 * bytes, and a page touched for the first time is a page fault (on a
 * virtual machine some 10 us, before a check's first query). */
struct aw_udp_batch {
	int rcvbuf;                 /* SO_RCVBUF of a UDP socket, or 0 */
	int depth;                  /* batches open */
	size_t n;                   /* datagrams waiting */
	size_t used;                /* bytes of data they take */
	int fd[BATCH_MAX];
	size_t off[BATCH_MAX], len[BATCH_MAX];
	unsigned char udp[UDP_FDS / 8];   /* bit per descriptor */
	unsigned char data[DATA_MAX];
};

static bool
is_udp(const struct aw_udp_batch *b, int fd)
{
	return fd >= 0 && fd < UDP_FDS && (b->udp[fd / 8] & (1u << (fd % 8)));
}

static void
set_udp(struct aw_udp_batch *b, int fd, bool on)
{
	if (fd < 0 || fd >= UDP_FDS)
		return;
	if (on)
		b->udp[fd / 8] |= (unsigned char)(1u << (fd % 8));
	else
		b->udp[fd / 8] &= (unsigned char)~(1u << (fd % 8));
}

/* Sends what waits, each run of one descriptor with one sendmmsg. A
 * datagram the kernel refuses is dropped, as on the wire: c-ares asks
 * again when its try times out. */
static void
flush(struct aw_udp_batch *b)
{
	struct mmsghdr msg[BATCH_MAX];
	struct iovec iov[BATCH_MAX];
	size_t i = 0;

	while (i < b->n) {
		size_t k = 0;
		int fd = b->fd[i], rc;

		while (i + k < b->n && b->fd[i + k] == fd) {
			iov[k].iov_base = b->data + b->off[i + k];
			iov[k].iov_len = b->len[i + k];
			memset(&msg[k], 0, sizeof msg[k]);
			msg[k].msg_hdr.msg_iov = &iov[k];
			msg[k].msg_hdr.msg_iovlen = 1;
			k++;
		}
		for (size_t sent = 0; sent < k; ) {
			rc = sendmmsg(fd, msg + sent, (unsigned)(k - sent),
			    MSG_NOSIGNAL);
			if (rc < 0 && errno == EINTR)
				continue;
			/* the first one refused is dropped; the rest go on */
			sent += rc > 0 ? (size_t)rc : 1;
		}
		i += k;
	}
	b->n = 0;
	b->used = 0;
}

int
aw_udp_batch_socket(struct aw_udp_batch *b, int domain, int type,
    int protocol)
{
	int fd = socket(domain, type, protocol), fl;
	bool udp = (type & SOCK_DGRAM) == SOCK_DGRAM &&
	    (type & SOCK_STREAM) != SOCK_STREAM;

	if (fd < 0)
		return -1;
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
		close(fd);
		return -1;
	}
	if (udp && b->rcvbuf > 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &b->rcvbuf,
		    sizeof b->rcvbuf);
	set_udp(b, fd, udp);
	return fd;
}

int
aw_udp_batch_closefd(struct aw_udp_batch *b, int fd)
{
	if (is_udp(b, fd) && b->n > 0)
		flush(b);
	set_udp(b, fd, false);
	return close(fd);
}

ssize_t
aw_udp_batch_sendv(struct aw_udp_batch *b, int fd, const struct iovec *iov,
    int iovcnt)
{
	size_t total = 0, off = 0;
	int i;

	for (i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	if (b->depth == 0 || !is_udp(b, fd) || total > DGRAM_MAX)
		return writev(fd, iov, iovcnt);
	if (b->n == BATCH_MAX || total > DATA_MAX - b->used)
		flush(b);
	for (i = 0; i < iovcnt; i++) {
		memcpy(b->data + b->used + off, iov[i].iov_base,
		    iov[i].iov_len);
		off += iov[i].iov_len;
	}
	b->fd[b->n] = fd;
	b->off[b->n] = b->used;
	b->len[b->n] = total;
	b->used += total;
	b->n++;
	return (ssize_t)total;
}

struct aw_udp_batch *
aw_udp_batch_new(int rcvbuf)
{
	/* Not calloc: data is written before it is read, and its pages
	 * are touched only as queries fill it. */
	struct aw_udp_batch *b = malloc(sizeof *b);

	if (b != NULL) {
		b->rcvbuf = rcvbuf;
		b->depth = 0;
		b->n = b->used = 0;
		memset(b->udp, 0, sizeof b->udp);
	}
	return b;
}

void
aw_udp_batch_open(struct aw_udp_batch *b)
{
	if (b != NULL)
		b->depth++;
}

void
aw_udp_batch_close(struct aw_udp_batch *b)
{
	if (b != NULL && --b->depth == 0 && b->n > 0)
		flush(b);
}

void
aw_udp_batch_free(struct aw_udp_batch *b)
{
	if (b != NULL && b->n > 0)
		flush(b);
	free(b);
}
