/* udp-batch.h: c-ares socket functions that send a channel's UDP
 * queries in batches (sendmmsg) instead of one sendto each (issue 16:
 * in a bulk check the kernel's send path, and the DNS server woken for
 * every datagram, were a third of the CPU). A query sent while a batch
 * is open (aw_udp_batch_open) waits in the batch until it is closed;
 * outside one it goes out at once. TCP is written through as before. */
#ifndef AW_CHECKS_UDP_BATCH_H
#define AW_CHECKS_UDP_BATCH_H

#include <sys/types.h>
#include <sys/uio.h>

struct aw_udp_batch;

/* NULL when out of memory (the channel then sends as c-ares does). UDP
 * sockets made through it get a receive buffer of rcvbuf bytes (0: the
 * kernel's default). checks/resolver.c hands the three calls below to
 * c-ares as its socket functions. */
struct aw_udp_batch *aw_udp_batch_new(int rcvbuf);
/* socket(2), non-blocking and close-on-exec (what c-ares does to its own
 * sockets, and leaves to the functions it is given); -1 on error. */
int aw_udp_batch_socket(struct aw_udp_batch *b, int domain, int type,
    int protocol);
/* close(2), after sending what waits for fd. */
int aw_udp_batch_closefd(struct aw_udp_batch *b, int fd);
/* writev(2), or kept for the batch (a UDP datagram while one is open). */
ssize_t aw_udp_batch_sendv(struct aw_udp_batch *b, int fd,
    const struct iovec *iov, int iovcnt);
/* Batches nest; the outermost close sends what waits. */
void aw_udp_batch_open(struct aw_udp_batch *b);
void aw_udp_batch_close(struct aw_udp_batch *b);
/* After ares_destroy of the channel. NULL: no-op. */
void aw_udp_batch_free(struct aw_udp_batch *b);

#endif
