/* dns-delay-proxy.c: a user-space DNS proxy that delays every message by
 * a precise DELAY, for measuring how many round trips a check waits for
 * (this kernel has no netem). The C twin of bench/dns-delay-proxy.py, with
 * the same command line, behaviour and log, but timed to microseconds: a
 * monotonic-clock timer heap and ppoll() with nanosecond timeouts (timer
 * slack 1 ns), where asyncio rounds each wait up to a whole millisecond.
 *
 * Listens on 127.0.0.1 (UDP and TCP, one kernel-chosen port, or --port),
 * forwards to the server given, and holds each query and each answer
 * DELAY ms (a round trip costs 2 x DELAY more). UDP queries go out from
 * one upstream socket, each with an id of its own; TCP is relayed chunk
 * by chunk, each chunk DELAY after it arrived, in order, both ways. Logs
 * every query it forwards, one line each: "<ms since start> <name> <type>"
 * (the type marked "+do" when the query has the EDNS DO bit), buffered and
 * written while the proxy is idle (and at exit).
 *
 *   build/bench/dns-delay-proxy --upstream 127.0.0.1:PORT [--delay 20]
 *       [--port 0] [--log FILE]
 *
 * Prints "PORT" on standard output once it listens; stops on SIGTERM or
 * SIGINT. Loopback only. With DNS_DELAY_PROXY_STATS=1 in the environment
 * it says at exit how late messages went out (standard error).
 *
 * Unlike the Python, a TCP chunk does not wait for the one before it to
 * be delayed first: each is held DELAY from its own arrival, as a network
 * would. On this virtual machine a wait of 20 ms in ppoll() ends 0.1-0.2
 * ms late (the idle CPU wakes slowly), so the loop learns that lateness,
 * wakes that much early and spins the last 50 us at most: measured, half
 * the messages then go out under 10 us late (under 50 us without the spin,
 * under 110 us with neither). */
#define _GNU_SOURCE
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MSG_MAX 65535           /* a DNS message, UDP or TCP */
#define INFLIGHT_MAX 16384      /* UDP messages held at once */
#define CONN_MAX 64             /* TCP client connections */
#define TCP_QUEUE_MAX (256 * 1024) /* bytes held per direction */
#define PENDING_TTL_NS (10 * 1000000000LL) /* an unanswered upstream id */
#define IDLE_FLUSH_NS 2000000LL /* write the log when nothing is due sooner */
#define SPIN_NS 50000LL         /* the last stretch before a due time, spun */
#define WAKE_MARGIN_NS 20000LL

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- the query log (byte for byte the Python proxy's) ---- */

static const struct { uint16_t type; const char *name; } type_names[] = {
	{1, "A"}, {2, "NS"}, {5, "CNAME"}, {6, "SOA"}, {12, "PTR"},
	{15, "MX"}, {43, "DS"}, {48, "DNSKEY"}, {52, "TLSA"}, {16, "TXT"},
	{28, "AAAA"}, {33, "SRV"}, {257, "CAA"},
};

static FILE *log_file;
static bool log_dirty;
static int64_t t_start;

static unsigned get16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Writes "<ms> <name> <type>" for MSG's first question, read exactly as
 * the Python's question() reads it (label lengths taken as they come,
 * truncated at the end; a message it cannot read logs nothing). Bytes
 * outside printable ASCII become U+FFFD, as Python's "replace" decoding
 * gives them (control characters too, so a line stays one line). */
static void log_query(const unsigned char *msg, size_t len)
{
	static char name[3 * MSG_MAX + 2];
	size_t pos = 12, out = 0;

	if (log_file == NULL)
		return;
	while (pos < len && msg[pos] != 0) {
		size_t n = msg[pos], end = pos + 1 + n;
		if (out > 0)
			name[out++] = '.';
		for (size_t i = pos + 1; i < end && i < len; i++) {
			unsigned char c = msg[i];
			if (c >= 0x20 && c < 0x7f) {
				name[out++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : (char)c;
			} else {
				memcpy(name + out, "\xef\xbf\xbd", 3);
				out += 3;
			}
		}
		pos = end;
	}
	if (pos >= len || pos + 3 > len)
		return;                 /* IndexError or struct.error */
	if (out == 0)
		name[out++] = '.';
	name[out] = '\0';
	unsigned qtype = get16(msg + pos + 1);
	char tname[16];
	snprintf(tname, sizeof tname, "%u", qtype);
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (type_names[i].type == qtype)
			snprintf(tname, sizeof tname, "%s", type_names[i].name);
	/* RFC 3225: a validating resolver's question (EDNS DO bit) asks for
	 * the signatures too: "+do", a question of its own. The OPT record
	 * read where the Python reads it: right after the question. */
	size_t rr = pos + 5;
	if (get16(msg + 6) == 0 && get16(msg + 8) == 0 && get16(msg + 10) >= 1) {
		if (rr >= len)
			return;
		if (msg[rr] == 0) {
			if (rr + 3 > len)
				return;
			if (get16(msg + rr + 1) == 41) {
				if (rr + 9 > len)
					return;
				if (get16(msg + rr + 7) & 0x8000)
					strcat(tname, "+do");
			}
		}
	}
	fprintf(log_file, "%.1f %s %s\n", (double)(now_ns() - t_start) / 1e6,
		name, tname);
	log_dirty = true;
}

/* ---- timing ---- */

/* How late a long wait in ppoll() ends, learned (a moving average): the
 * loop wakes that much early, then waits the rest in a short ppoll()
 * (quick: the CPU has not gone idle yet) and spins the last SPIN_NS. */
static int64_t wake_late;

/* How late each message went out after its due time, in 10 us steps
 * (stderr at exit, with DNS_DELAY_PROXY_STATS=1). */
#define LATE_STEPS 1000
static int64_t late_sum, late_max, late_n, late_hist[LATE_STEPS];

static void note_late(int64_t late)
{
	if (late < 0)
		late = 0;
	late_sum += late;
	late_n++;
	if (late > late_max)
		late_max = late;
	late_hist[late / 10000 < LATE_STEPS - 1 ? late / 10000 : LATE_STEPS - 1]++;
}

/* The upper bound of the step holding fraction Q of the messages, in us. */
static double late_quantile(double q)
{
	int64_t seen = 0;
	for (int i = 0; i < LATE_STEPS; i++)
		if ((seen += late_hist[i]) >= q * (double)late_n)
			return (i + 1) * 10.0;
	return LATE_STEPS * 10.0;
}

static void print_stats(void)
{
	const char *stats = getenv("DNS_DELAY_PROXY_STATS");
	if (stats == NULL || strcmp(stats, "1") != 0 || late_n == 0)
		return;
	fprintf(stderr, "dns-delay-proxy: %lld messages sent late by %.1f us on"
		" average, under %.0f us for half, under %.0f us for 90%%, %.1f us"
		" at most; a long wait ends %.1f us late\n", (long long)late_n,
		(double)late_sum / (double)late_n / 1e3, late_quantile(0.5),
		late_quantile(0.9), (double)late_max / 1e3, (double)wake_late / 1e3);
}

/* The ppoll() timeout towards DUE: 0 when due (or spun to it), -1 for
 * no timeout. */
static int64_t wait_for(int64_t due)
{
	int64_t now = now_ns();
	if (due == INT64_MAX)
		return -1;
	if (due - now > wake_late + WAKE_MARGIN_NS + SPIN_NS)
		return due - now - wake_late - WAKE_MARGIN_NS;
	if (due - now > SPIN_NS)
		return due - now - SPIN_NS;
	while (now < due)
		now = now_ns();
	return 0;
}

static void learn_wake(int64_t asked, int64_t took)
{
	if (asked < 1000000LL)
		return;                 /* only a wait long enough to go idle */
	int64_t late = took - asked;
	if (late < 0)
		late = 0;
	if (late > 2000000LL)
		late = 2000000LL;       /* preempted: not the timer's fault */
	wake_late += (late - wake_late) / 8;
}

/* ---- UDP: messages held in a timer heap ---- */

enum ev_kind { EV_FORWARD, EV_ANSWER };

struct ev {
	int64_t due;
	uint64_t seq;           /* first in, first out among equal due times */
	enum ev_kind kind;
	struct sockaddr_in client;
	size_t len;
	unsigned char data[];
};

static struct ev *heap[INFLIGHT_MAX];
static size_t heap_n;
static uint64_t heap_seq;

static bool ev_before(const struct ev *a, const struct ev *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_push(struct ev *e)
{
	size_t i = heap_n++;
	e->seq = heap_seq++;
	while (i > 0 && ev_before(e, heap[(i - 1) / 2])) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = e;
}

static struct ev *heap_pop(void)
{
	struct ev *top = heap[0], *last = heap[--heap_n];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= heap_n)
			break;
		if (c + 1 < heap_n && ev_before(heap[c + 1], heap[c]))
			c++;
		if (!ev_before(heap[c], last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (heap_n > 0)
		heap[i] = last;
	return top;
}

/* Holds a copy of DATA until DUE; a full heap drops it, as a network would. */
static void hold(enum ev_kind kind, int64_t due, const struct sockaddr_in *client,
		 const unsigned char *data, size_t len)
{
	struct ev *e;
	if (heap_n >= INFLIGHT_MAX || (e = malloc(sizeof *e + len)) == NULL)
		return;
	e->due = due;
	e->kind = kind;
	e->client = *client;
	e->len = len;
	memcpy(e->data, data, len);
	heap_push(e);
}

/* One upstream socket for every UDP query: each gets an id of its own
 * (16 bits), mapped back to the client and the client's id. */
struct pending {
	bool used;
	unsigned char their_id[2];
	int64_t sent;
	struct sockaddr_in client;
};

static struct pending pending[65536];
static unsigned next_id;
static int udp_front = -1, udp_up = -1, tcp_listen = -1;
static int64_t delay_ns;

static void udp_forward(struct ev *e, int64_t now)
{
	unsigned id = 0;
	int tries;
	for (tries = 0; tries < 65536; tries++) {
		next_id = (next_id + 1) & 0xffff;
		struct pending *p = &pending[next_id];
		if (!p->used || now - p->sent > PENDING_TTL_NS)
			break;
	}
	if (tries == 65536)
		return;                 /* 65,536 in flight: drop */
	id = next_id;
	pending[id].used = true;
	pending[id].sent = now;
	pending[id].client = e->client;
	memcpy(pending[id].their_id, e->data, 2);
	e->data[0] = (unsigned char)(id >> 8);
	e->data[1] = (unsigned char)id;
	(void)send(udp_up, e->data, e->len, MSG_DONTWAIT);
}

static void udp_run_due(int64_t now)
{
	while (heap_n > 0 && heap[0]->due <= now) {
		struct ev *e = heap_pop();
		note_late(now_ns() - e->due);
		if (e->kind == EV_FORWARD)
			udp_forward(e, now);
		else
			(void)sendto(udp_front, e->data, e->len, MSG_DONTWAIT,
				     (struct sockaddr *)&e->client, sizeof e->client);
		free(e);
	}
}

static unsigned char rxbuf[MSG_MAX + 1];

/* Reads one datagram with the kernel's receive time (SO_TIMESTAMPNS, on
 * the real-time clock), turned into a monotonic time: a message is held
 * DELAY from when it arrived, not from when this process woke up to read
 * it (a wake-up from idle costs 0.1-0.2 ms on a virtual machine). */
static ssize_t recv_stamped(int fd, struct sockaddr_in *from, int64_t *when)
{
	char cbuf[CMSG_SPACE(sizeof(struct timespec))];
	struct iovec iov = { .iov_base = rxbuf, .iov_len = sizeof rxbuf };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = from ? sizeof *from : 0,
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof cbuf,
	};
	ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
	int64_t mono = now_ns();
	*when = mono;
	if (n < 0)
		return n;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_TIMESTAMPNS)
			continue;
		struct timespec rx, real;
		memcpy(&rx, CMSG_DATA(cm), sizeof rx);
		clock_gettime(CLOCK_REALTIME, &real);
		int64_t age = ((int64_t)real.tv_sec - rx.tv_sec) * 1000000000LL +
			      (real.tv_nsec - rx.tv_nsec);
		if (age > 0 && age < 1000000000LL)  /* else the clock jumped */
			*when = mono - age;
	}
	return n;
}

static void udp_read_front(void)
{
	for (int i = 0; i < 256; i++) {
		struct sockaddr_in from;
		int64_t when;
		ssize_t n = recv_stamped(udp_front, &from, &when);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;
		}
		if (n < 12 || n > MSG_MAX || from.sin_family != AF_INET)
			continue;
		log_query(rxbuf, (size_t)n);
		hold(EV_FORWARD, when + delay_ns, &from, rxbuf, (size_t)n);
	}
}

static void udp_read_upstream(void)
{
	for (int i = 0; i < 256; i++) {
		int64_t when;
		ssize_t n = recv_stamped(udp_up, NULL, &when);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue;       /* ECONNREFUSED and the like */
		}
		if (n < 12 || n > MSG_MAX)
			continue;
		struct pending *p = &pending[get16(rxbuf)];
		if (!p->used)
			continue;
		p->used = false;
		memcpy(rxbuf, p->their_id, 2);
		hold(EV_ANSWER, when + delay_ns, &p->client, rxbuf, (size_t)n);
	}
}

/* ---- TCP: a connection upstream per client connection ---- */

struct chunk {
	struct chunk *next;
	int64_t due;
	size_t len, off;
	unsigned char data[];
};

/* dir[i] carries what fd[i] sends to fd[1 - i] (0: client, 1: upstream). */
struct tcp_dir {
	struct chunk *head, *tail;
	size_t queued;
	bool eof;               /* fd[i] sent its FIN */
	bool shut;              /* and it was passed on */
	bool blocked;           /* a due chunk waits for room to write */
};

struct tcp_conn {
	int fd[2];
	bool connecting;
	struct tcp_dir dir[2];
	/* The client's messages (2-byte length, then the message), for the log. */
	unsigned char lenb[2];
	size_t lenhave, need, have;
	unsigned char msg[MSG_MAX];
};

static struct tcp_conn *conns[CONN_MAX];
static struct sockaddr_storage up_addr;
static socklen_t up_len;

static void conn_close(size_t k)
{
	struct tcp_conn *c = conns[k];
	for (int i = 0; i < 2; i++) {
		close(c->fd[i]);
		for (struct chunk *ch = c->dir[i].head, *nx; ch != NULL; ch = nx) {
			nx = ch->next;
			free(ch);
		}
	}
	free(c);
	conns[k] = NULL;
}

static void conn_log(struct tcp_conn *c, const unsigned char *p, size_t n)
{
	while (n > 0) {
		if (c->lenhave < 2) {
			c->lenb[c->lenhave++] = *p++;
			n--;
			if (c->lenhave == 2) {
				c->need = get16(c->lenb);
				c->have = 0;
				if (c->need == 0)
					c->lenhave = 0;
			}
			continue;
		}
		size_t take = c->need - c->have < n ? c->need - c->have : n;
		memcpy(c->msg + c->have, p, take);
		c->have += take;
		p += take;
		n -= take;
		if (c->have == c->need) {
			log_query(c->msg, c->need);
			c->lenhave = 0;
		}
	}
}

static void set_sockopts(int fd)
{
	int one = 1;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void tcp_accept(void)
{
	for (int i = 0; i < 16; i++) {
		int fd = accept4(tcp_listen, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		size_t k;
		for (k = 0; k < CONN_MAX && conns[k] != NULL; k++)
			;
		struct tcp_conn *c = k < CONN_MAX ? calloc(1, sizeof *c) : NULL;
		int up = c != NULL ? socket(up_addr.ss_family,
					    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0) : -1;
		if (up < 0) {
			free(c);
			close(fd);
			continue;
		}
		set_sockopts(fd);
		set_sockopts(up);
		if (connect(up, (struct sockaddr *)&up_addr, up_len) < 0 &&
		    errno != EINPROGRESS) {
			free(c);
			close(fd);
			close(up);
			continue;
		}
		c->fd[0] = fd;
		c->fd[1] = up;
		c->connecting = true;
		conns[k] = c;
	}
}

/* Reads what fd[i] sends; false when the connection is to go. */
static bool conn_read(struct tcp_conn *c, int i)
{
	ssize_t n = recv(c->fd[i], rxbuf, MSG_MAX + 1, MSG_DONTWAIT);
	if (n == 0) {
		c->dir[i].eof = true;
		return true;
	}
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
	int64_t now = now_ns();
	if (i == 0)
		conn_log(c, rxbuf, (size_t)n);
	struct chunk *ch = malloc(sizeof *ch + (size_t)n);
	if (ch == NULL)
		return false;
	ch->next = NULL;
	ch->due = now + delay_ns;
	ch->len = (size_t)n;
	ch->off = 0;
	memcpy(ch->data, rxbuf, (size_t)n);
	struct tcp_dir *d = &c->dir[i];
	if (d->tail != NULL)
		d->tail->next = ch;
	else
		d->head = ch;
	d->tail = ch;
	d->queued += (size_t)n;
	return true;
}

/* Writes the chunks of dir[i] that are due; false when the connection is
 * to go (an error, or both directions finished). */
static bool conn_write(struct tcp_conn *c, int i, int64_t now)
{
	struct tcp_dir *d = &c->dir[i];
	int to = c->fd[1 - i];
	d->blocked = false;
	if (c->connecting)
		return true;
	while (d->head != NULL && d->head->due <= now) {
		struct chunk *ch = d->head;
		if (ch->off == 0)
			note_late(now_ns() - ch->due);
		ssize_t w = send(to, ch->data + ch->off, ch->len - ch->off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				d->blocked = true;
				return true;
			}
			return false;
		}
		ch->off += (size_t)w;
		d->queued -= (size_t)w;
		if (ch->off < ch->len)
			continue;
		d->head = ch->next;
		if (d->head == NULL)
			d->tail = NULL;
		free(ch);
	}
	if (d->head == NULL && d->eof && !d->shut) {
		(void)shutdown(to, SHUT_WR);
		d->shut = true;
	}
	return !(c->dir[0].shut && c->dir[1].shut);
}

static void tcp_run_due(int64_t now)
{
	for (size_t k = 0; k < CONN_MAX; k++)
		if (conns[k] != NULL &&
		    (!conn_write(conns[k], 0, now) || !conn_write(conns[k], 1, now)))
			conn_close(k);
}

/* Handles poll's answer on fd[i]; false when the connection is to go. */
static bool conn_event(struct tcp_conn *c, int i, short ev, short rev)
{
	if (rev & (POLLERR | POLLNVAL))
		return false;
	if (i == 1 && c->connecting && (rev & (POLLOUT | POLLHUP))) {
		int err = 0;
		socklen_t el = sizeof err;
		if (getsockopt(c->fd[1], SOL_SOCKET, SO_ERROR, &err, &el) < 0 || err)
			return false;
		c->connecting = false;
	}
	if (rev & POLLIN)
		return conn_read(c, i);
	/* Hung up both ways while we no longer read it: nothing more to pass. */
	return !((rev & POLLHUP) && !(ev & POLLIN));
}

/* ---- the loop ---- */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

/* The next due time of anything held (INT64_MAX: nothing). */
static int64_t next_due(void)
{
	int64_t t = heap_n > 0 ? heap[0]->due : INT64_MAX;
	for (size_t k = 0; k < CONN_MAX; k++) {
		struct tcp_conn *c = conns[k];
		if (c == NULL || c->connecting)
			continue;
		for (int i = 0; i < 2; i++)
			if (c->dir[i].head != NULL && !c->dir[i].blocked &&
			    c->dir[i].head->due < t)
				t = c->dir[i].head->due;
	}
	return t;
}

static void run(const sigset_t *waitmask)
{
	struct pollfd pfd[3 + 2 * CONN_MAX];
	size_t owner[3 + 2 * CONN_MAX];

	while (!stopping) {
		int64_t now = now_ns();
		udp_run_due(now);
		tcp_run_due(now);
		int64_t due = next_due();
		now = now_ns();
		if (log_dirty && (due == INT64_MAX || due - now > IDLE_FLUSH_NS)) {
			fflush(log_file);
			log_dirty = false;
		}
		nfds_t n = 0;
		pfd[n++] = (struct pollfd){ .fd = udp_front, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = udp_up, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = tcp_listen, .events = POLLIN };
		for (size_t k = 0; k < CONN_MAX; k++) {
			struct tcp_conn *c = conns[k];
			if (c == NULL)
				continue;
			for (int i = 0; i < 2; i++) {
				short ev = 0;
				if (!c->dir[i].eof && c->dir[i].queued < TCP_QUEUE_MAX)
					ev |= POLLIN;
				if (c->dir[1 - i].blocked || (i == 1 && c->connecting))
					ev |= POLLOUT;
				owner[n] = k * 2 + (size_t)i;
				pfd[n++] = (struct pollfd){ .fd = c->fd[i], .events = ev };
			}
		}
		struct timespec ts, *tsp = NULL;
		int64_t wait = wait_for(due);
		if (wait >= 0) {
			ts.tv_sec = (time_t)(wait / 1000000000LL);
			ts.tv_nsec = (long)(wait % 1000000000LL);
			tsp = &ts;
		}
		int64_t before = now_ns();
		int r = ppoll(pfd, n, tsp, waitmask);
		if (r == 0)
			learn_wake(wait, now_ns() - before);
		if (r <= 0)
			continue;       /* a time is due, or a signal */
		if (pfd[0].revents)
			udp_read_front();
		if (pfd[1].revents)
			udp_read_upstream();
		if (pfd[2].revents)
			tcp_accept();
		for (nfds_t j = 3; j < n; j++) {
			size_t k = owner[j] / 2;
			int i = (int)(owner[j] % 2);
			if (pfd[j].revents == 0 || conns[k] == NULL)
				continue;
			if (!conn_event(conns[k], i, pfd[j].events, pfd[j].revents))
				conn_close(k);
		}
	}
}

/* ---- start-up ---- */

static void die(const char *msg)
{
	fprintf(stderr, "dns-delay-proxy: %s\n", msg);
	exit(1);
}

/* HOST:PORT with HOST 127.0.0.1, ::1 (or [::1]) or localhost: loopback only. */
static void parse_upstream(const char *arg)
{
	const char *colon = strrchr(arg, ':');
	char host[64];
	if (colon == NULL || (size_t)(colon - arg) >= sizeof host)
		die("--upstream wants HOST:PORT");
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || port < 1 || port > 65535)
		die("--upstream wants HOST:PORT");
	memset(&up_addr, 0, sizeof up_addr);
	if (strcmp(host, "127.0.0.1") == 0 || strcmp(host, "localhost") == 0) {
		struct sockaddr_in *a = (struct sockaddr_in *)&up_addr;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		up_len = sizeof *a;
	} else if (strcmp(host, "::1") == 0 || strcmp(host, "[::1]") == 0) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&up_addr;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		a->sin6_addr = in6addr_loopback;
		up_len = sizeof *a;
	} else {
		die("the upstream must be on loopback");
	}
}

static int bind_local(int type, unsigned port)
{
	int fd = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		return -1;
	if (type == SOCK_STREAM)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	else
		(void)setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
	    (type == SOCK_STREAM && listen(fd, 128) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* TCP first (on --port, or a kernel-chosen port), then UDP on the same
 * number; a kernel-chosen port taken for UDP is tried again. */
static unsigned listen_both(unsigned want)
{
	for (int tries = 0; tries < 20; tries++) {
		tcp_listen = bind_local(SOCK_STREAM, want);
		if (tcp_listen < 0)
			die("cannot listen on TCP");
		struct sockaddr_in a;
		socklen_t alen = sizeof a;
		if (getsockname(tcp_listen, (struct sockaddr *)&a, &alen) < 0)
			die("getsockname");
		unsigned port = ntohs(a.sin_port);
		udp_front = bind_local(SOCK_DGRAM, port);
		if (udp_front >= 0)
			return port;
		close(tcp_listen);
		if (want != 0)
			die("cannot bind UDP on that port");
	}
	die("no free port for UDP and TCP");
	return 0;
}

static void parse_args(int argc, char **argv, double *delay, unsigned *port,
		       const char **log_path)
{
	static const struct option opts[] = {
		{"upstream", required_argument, NULL, 'u'},
		{"delay", required_argument, NULL, 'd'},
		{"port", required_argument, NULL, 'p'},
		{"log", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	bool have_upstream = false;
	int o;
	char *end;
	long p;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case 'u':
			parse_upstream(optarg);
			have_upstream = true;
			break;
		case 'd':
			*delay = strtod(optarg, &end);
			if (*end != '\0' || end == optarg || !isfinite(*delay) ||
			    *delay < 0 || *delay > 3600000)
				die("--delay wants milliseconds (0 to 3600000)");
			break;
		case 'p':
			p = strtol(optarg, &end, 10);
			if (*end != '\0' || end == optarg || p < 0 || p > 65535)
				die("--port wants 0 to 65535");
			*port = (unsigned)p;
			break;
		case 'l':
			*log_path = optarg;
			break;
		case 'h':
			printf("usage: %s --upstream HOST:PORT [--delay MS] [--port N]"
			       " [--log FILE]\n", argv[0]);
			exit(0);
		default:
			exit(2);
		}
	}
	if (!have_upstream || optind != argc)
		die("usage: --upstream HOST:PORT [--delay MS] [--port N] [--log FILE]");
}

int main(int argc, char **argv)
{
	double delay = 20.0;
	unsigned port = 0;
	const char *log_path = NULL;

	t_start = now_ns();
	parse_args(argc, argv, &delay, &port, &log_path);
	delay_ns = llround(delay * 1e6);
	/* A wait ends when asked, not up to 50 µs later (the default slack). */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	if (log_path != NULL) {
		log_file = fopen(log_path, "a");
		if (log_file == NULL)
			die("cannot open the log");
		setvbuf(log_file, NULL, _IOFBF, 1 << 16);
	}
	udp_up = socket(up_addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (udp_up < 0 || connect(udp_up, (struct sockaddr *)&up_addr, up_len) < 0)
		die("cannot reach the upstream");
	int one = 1;
	(void)setsockopt(udp_up, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
	port = listen_both(port);

	/* SIGTERM and SIGINT arrive only inside ppoll (then it returns EINTR). */
	sigset_t block, waitmask;
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	printf("%u\n", port);
	fflush(stdout);
	run(&waitmask);
	print_stats();
	if (log_file != NULL && fclose(log_file) != 0)
		return 1;
	return 0;
}
