/* udp-batch.h: c-ares socket functions that send a channel's UDP
 * queries in batches (sendmmsg) instead of one sendto each (issue 16:
 * in a bulk check the kernel's send path, and the DNS server woken for
 * every datagram, were a third of the CPU). A query sent while a batch
 * is open (aw_udp_batch_open) waits in the batch until it is closed;
 * outside one it goes out at once. TCP is written through as before. */
#ifndef AW_CHECKS_UDP_BATCH_H
#define AW_CHECKS_UDP_BATCH_H

#include <ares.h>

struct aw_udp_batch;

/* NULL when out of memory (the channel then sends as c-ares does). */
struct aw_udp_batch *aw_udp_batch_new(void);
/* Makes ch send through b (ares_set_socket_functions); its UDP sockets
 * get a receive buffer of rcvbuf bytes (0: the kernel's default). */
void aw_udp_batch_attach(struct aw_udp_batch *b, ares_channel ch,
    int rcvbuf);
/* Batches nest; the outermost close sends what waits. */
void aw_udp_batch_open(struct aw_udp_batch *b);
void aw_udp_batch_close(struct aw_udp_batch *b);
/* After ares_destroy of the channel. NULL: no-op. */
void aw_udp_batch_free(struct aw_udp_batch *b);

#endif
