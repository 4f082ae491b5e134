/* resolver.c: the c-ares engine (the only file that calls c-ares). */
#include "config.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ares.h>

#include "checks/resolver.h"
#include "checks/udp-batch.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* Queries on the wire at once per channel; more wait in a queue: many UDP
 * answers at once overflow a socket's receive buffer, each lost answer a
 * whole timeout (500 domains at once: 0.3 s became 6 s, DNS failures). */
#define CHAN_INFLIGHT_DEFAULT AW_RESOLVER_INFLIGHT
#define GROUP_BUCKETS 64

struct query;

/* The queries of one task (aw_loop_task: a bulk run's domain) on one
 * channel. The wire is shared fairly between tasks: one that asks many
 * questions which are never answered (a domain whose server drops them,
 * with ~60 DKIM discovery probes) cannot hold the slots that the others'
 * next questions need until its own time out. */
struct group {
	uintptr_t task;
	size_t inflight;
	struct query *wait_head, *wait_tail;   /* not yet sent, in order */
	struct group *hnext;                   /* in the channel's buckets */
	struct group *rnext;                   /* in the ring of waiting */
	bool in_ring;
};

struct channel {
	struct aw_resolver *res;
	ares_channel ch;
	struct group *buckets[GROUP_BUCKETS];
	size_t ngroups;                /* with queries in flight or waiting */
	struct group *ring_head, *ring_tail;   /* groups with queries waiting */
	size_t inflight;
	char *server;                  /* NULL for the main channel */
	struct aw_loop_timer *timer;
	int64_t timer_at;              /* when it fires (aw_loop_now_ms) */
	struct aw_loop_timer *pump;    /* sends what waits, from the loop */
	struct aw_udp_batch *batch;    /* queries sent together (sendmmsg) */
	struct channel *next;
};

struct aw_resolver {
	struct aw_loop *loop;
	struct aw_dns_config cfg;
	struct channel *main;
	struct channel *direct;        /* per-server channels */
	size_t pending, max_pending;
	bool freeing;
	bool answer_on_free;           /* see aw_resolver_answer_on_free */
	bool starting;                 /* inside ares_query */
};

struct query {
	struct aw_resolver *res;
	struct aw_dns_answer *ans;     /* kept when c-ares answers inline */
	struct channel *chan;
	struct group *group;
	enum aw_record_type type;
	aw_dns_cb cb;
	void *arg;
	struct query *next;            /* in the channel's wait queue */
	char name[];                   /* as asked (one allocation) */
};

static int library_users;

static void chan_reschedule(struct channel *c);

static void
chan_on_timer(void *arg)
{
	struct channel *c = arg;

	c->timer = NULL;
	aw_udp_batch_open(c->batch);
	ares_process_fd(c->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	chan_reschedule(c);
	aw_udp_batch_close(c->batch);
}

/* After every call into c-ares: one timer armed for its next timeout.
 * One already armed is left alone unless a query sent now could be due
 * before it (a query is first due the per-try timeout after it is sent;
 * a retry later); one armed for a query since answered only fires early
 * and is armed again. That spares a walk over every query in flight
 * (ares_timeout) and a timer each time a query is sent or answered. */
static void
chan_reschedule(struct channel *c)
{
	struct timeval tv, *tvp;
	int64_t ms, now;

	if (c->res->freeing)
		return;
	now = aw_loop_now_ms();
	if (c->timer != NULL) {
		if (now + c->res->cfg.timeout_ms >= c->timer_at)
			return;
		aw_loop_timer_cancel(c->res->loop, c->timer);
		c->timer = NULL;
	}
	tvp = ares_timeout(c->ch, NULL, &tv);
	if (tvp == NULL)
		return;
	ms = (int64_t)tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000;
	c->timer = aw_loop_timer_add(c->res->loop, ms, chan_on_timer, c);
	c->timer_at = now + ms;
}

static void
chan_on_fd(int fd, int revents, void *arg)
{
	struct channel *c = arg;
	ares_socket_t r = ARES_SOCKET_BAD, w = ARES_SOCKET_BAD;

	if (revents & (AW_LOOP_READ | AW_LOOP_ERROR))
		r = fd;
	if (revents & AW_LOOP_WRITE)
		w = fd;
	/* the questions the answers lead to go out together */
	aw_udp_batch_open(c->batch);
	ares_process_fd(c->ch, r, w);
	chan_reschedule(c);
	aw_udp_batch_close(c->batch);
}

/* c-ares's sockets go through checks/udp-batch.c (sendmmsg). */
static ares_socket_t
batch_socket(int domain, int type, int protocol, void *b)
{
	return aw_udp_batch_socket(b, domain, type, protocol);
}

static int
batch_close(ares_socket_t fd, void *b)
{
	return aw_udp_batch_closefd(b, fd);
}

static int
batch_connect(ares_socket_t fd, const struct sockaddr *sa,
    ares_socklen_t len, void *b)
{
	(void)b;
	return connect(fd, sa, len);
}

static ares_ssize_t
batch_recvfrom(ares_socket_t fd, void *buf, size_t len, int flags,
    struct sockaddr *from, ares_socklen_t *fromlen, void *b)
{
	(void)b;
	return recvfrom(fd, buf, len, flags, from, fromlen);
}

static ares_ssize_t
batch_sendv(ares_socket_t fd, const struct iovec *iov, int n, void *b)
{
	return aw_udp_batch_sendv(b, fd, iov, n);
}

static const struct ares_socket_functions batch_funcs = {
	batch_socket, batch_close, batch_connect, batch_recvfrom, batch_sendv,
};

static void
chan_sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct channel *c = data;
	int ev = (readable ? AW_LOOP_READ : 0) | (writable ? AW_LOOP_WRITE : 0);

	aw_loop_watch(c->res->loop, fd, ev, chan_on_fd, c);
}

static enum aw_status
chan_new(struct aw_resolver *res, const char *server, struct channel **out,
    struct aw_error *err)
{
	struct ares_options opts;
	struct in_addr loopback;
	struct channel *c;
	int mask, rc;

	*out = NULL;
	c = calloc(1, sizeof *c);
	if (c == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	c->res = res;
	memset(&opts, 0, sizeof opts);
	/* EDNS with 1232 bytes keeps 2048/4096-bit DKIM keys on UDP.
	 * NOCHECKRESP: c-ares 1.18 turns SERVFAIL/REFUSED from the last
	 * server into ECONNREFUSED; we want to say what the server said.
	 * STAYOPEN: keep_sockets (resolver.h). */
	opts.flags = ARES_FLAG_EDNS | ARES_FLAG_NOSEARCH | ARES_FLAG_NOCHECKRESP |
	    (res->cfg.keep_sockets ? ARES_FLAG_STAYOPEN : 0) |
	    (server ? ARES_FLAG_NORECURSE : 0);
	opts.ednspsz = 1232;
	opts.timeout = res->cfg.timeout_ms;
	opts.tries = res->cfg.tries;
	opts.sock_state_cb = chan_sock_state;
	opts.sock_state_cb_data = c;
	/* Hundreds of answers in flight on one UDP socket (a bulk check)
	 * overflow the kernel's default receive buffer (about 200 KiB): the
	 * lost answers would cost a whole timeout each. The kernel caps this
	 * at net.core.rmem_max. */
	opts.socket_receive_buffer_size = 1 << 20;
	mask = ARES_OPT_FLAGS | ARES_OPT_EDNSPSZ | ARES_OPT_TIMEOUTMS |
	    ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB | ARES_OPT_SOCK_RCVBUF;
	if (server != NULL || res->cfg.nservers > 0) {
		/* Servers of our own: every setting c-ares would read from
		 * resolv.conf and nsswitch.conf is given, so it reads
		 * neither (its ARES_CONFIG_CHECK); the loopback placeholder
		 * is replaced below. No search list, no sort list; "b": DNS
		 * only (it concerns ares_gethostbyname, not used). */
		static char lookups[] = "b";

		loopback.s_addr = htonl(INADDR_LOOPBACK);
		opts.servers = &loopback;
		opts.nservers = 1;
		opts.ndomains = 0;
		opts.ndots = 1;
		opts.nsort = 0;
		opts.lookups = lookups;
		mask |= ARES_OPT_SERVERS | ARES_OPT_DOMAINS | ARES_OPT_NDOTS |
		    ARES_OPT_SORTLIST | ARES_OPT_LOOKUPS;
	}
	rc = ares_init_options(&c->ch, &opts, mask);
	if (rc != ARES_SUCCESS) {
		free(c);
		return aw_error_set(err, AW_ERR_DNS,
		    _("cannot start the DNS resolver: %s"), ares_strerror(rc));
	}
	if ((c->batch = aw_udp_batch_new(opts.socket_receive_buffer_size)) !=
	    NULL)
		ares_set_socket_functions(c->ch, &batch_funcs, c->batch);
	if (server != NULL) {
		c->server = strdup(server);
		rc = c->server ? ares_set_servers_ports_csv(c->ch, server)
		    : ARES_ENOMEM;
	} else if (res->cfg.nservers > 0) {
		struct aw_buf csv;
		size_t i;

		aw_buf_init(&csv);
		for (i = 0; i < res->cfg.nservers; i++)
			aw_buf_printf(&csv, "%s%s", i ? "," : "",
			    res->cfg.servers[i]);
		rc = ares_set_servers_ports_csv(c->ch, aw_buf_str(&csv));
		aw_buf_done(&csv);
		server = NULL;
	} else {
		rc = ARES_SUCCESS;
	}
	if (rc != ARES_SUCCESS) {
		ares_destroy(c->ch);
		aw_udp_batch_free(c->batch);
		free(c->server);
		free(c);
		return aw_error_set(err, AW_ERR_INVALID,
		    _("bad DNS server address (expected IP or IP:PORT, IPv6 as [IP]:PORT): %s"),
		    ares_strerror(rc));
	}
	*out = c;
	return AW_OK;
}

static void
chan_free(struct channel *c)
{
	if (c == NULL)
		return;
	if (c->timer != NULL)
		aw_loop_timer_cancel(c->res->loop, c->timer);
	if (c->pump != NULL)
		aw_loop_timer_cancel(c->res->loop, c->pump);
	ares_destroy(c->ch);    /* callbacks get ARES_EDESTRUCTION */
	aw_udp_batch_free(c->batch);
	/* Queries still waiting were never sent: dropped without a call
	 * back, like those c-ares drops (or answered as failed, see
	 * aw_resolver_answer_on_free). */
	while (c->ring_head != NULL) {
		struct group *g = c->ring_head;

		while (g->wait_head != NULL) {
			struct query *q = g->wait_head;
			struct aw_dns_answer *ans;

			g->wait_head = q->next;
			c->res->pending--;
			if (c->res->answer_on_free &&
			    (ans = aw_dns_answer_new(q->name, q->type,
			    AW_DNS_ERROR)) != NULL)
				q->cb(ans, q->arg);
			free(q);
		}
		g->wait_tail = NULL;
		c->ring_head = g->rnext;
		g->in_ring = false;
	}
	for (size_t i = 0; i < GROUP_BUCKETS; i++)
		while (c->buckets[i] != NULL) {
			struct group *g = c->buckets[i];

			c->buckets[i] = g->hnext;
			free(g);
		}
	free(c->server);
	free(c);
}

enum aw_status
aw_resolver_new(struct aw_loop *loop, const struct aw_dns_config *cfg,
    struct aw_resolver **out, struct aw_error *err)
{
	struct aw_resolver *res;
	enum aw_status st;
	size_t i;

	*out = NULL;
	if (library_users++ == 0 && ares_library_init(ARES_LIB_INIT_ALL) !=
	    ARES_SUCCESS) {
		library_users--;
		return aw_error_set(err, AW_ERR_DNS,
		    _("cannot start the DNS resolver library"));
	}
	res = calloc(1, sizeof *res);
	if (res == NULL) {
		st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		goto fail;
	}
	res->loop = loop;
	if (cfg != NULL)
		res->cfg = *cfg;
	if (res->cfg.timeout_ms <= 0)
		res->cfg.timeout_ms = 2000;
	if (res->cfg.tries <= 0)
		res->cfg.tries = 2;
	if (res->cfg.inflight_max == 0)
		res->cfg.inflight_max = CHAN_INFLIGHT_DEFAULT;
	st = chan_new(res, NULL, &res->main, err);
	/* A bad --dns-server list: each entry alone (a channel each, only
	 * on this path), so the error can name it. */
	for (i = 0; st != AW_OK && st != AW_ERR_NOMEM && i < res->cfg.nservers;
	    i++) {
		struct channel *probe;
		struct aw_error perr;

		aw_error_clear(&perr);
		if (chan_new(res, res->cfg.servers[i], &probe, &perr) ==
		    AW_OK) {
			chan_free(probe);
			continue;
		}
		if (err != NULL) {
			char *shown = aw_str_escape_dup(res->cfg.servers[i],
			    strlen(res->cfg.servers[i]), 100);

			*err = perr;
			snprintf(err->where, sizeof err->where,
			    "--dns-server %s", shown ? shown : "");
			free(shown);
		}
		break;
	}
	if (st != AW_OK)
		goto fail;
	*out = res;
	return AW_OK;
fail:
	free(res);
	if (--library_users == 0)
		ares_library_cleanup();
	return st;
}

void
aw_resolver_free(struct aw_resolver *res)
{
	struct channel *c, *next;

	if (res == NULL)
		return;
	res->freeing = true;
	chan_free(res->main);
	for (c = res->direct; c != NULL; c = next) {
		next = c->next;
		chan_free(c);
	}
	free(res);
	if (--library_users == 0)
		ares_library_cleanup();
}

void
aw_resolver_answer_on_free(struct aw_resolver *res, bool on)
{
	res->answer_on_free = on;
}

size_t
aw_resolver_pending(const struct aw_resolver *res)
{
	return res->pending;
}

size_t
aw_resolver_max_pending(const struct aw_resolver *res)
{
	return res->max_pending;
}

/* --- parsing ------------------------------------------------------------ */

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* Expands the name at p; NULL when malformed. *used gets its wire length. */
static char *
expand(const unsigned char *p, const unsigned char *msg, size_t len,
    long *used)
{
	char *name = NULL;

	if (ares_expand_name(p, msg, (int)len, &name, used) != ARES_SUCCESS)
		return NULL;
	return name;
}

static int
parse_rdata(struct aw_dns_rr *rr, const unsigned char *rd, size_t rdlen,
    const unsigned char *msg, size_t len)
{
	long used;
	size_t off;

	switch (rr->type) {
	case AW_RECORD_A:
		if (rdlen != 4)
			return -1;
		memcpy(rr->u.addr.raw, rd, 4);
		inet_ntop(AF_INET, rd, rr->u.addr.text, sizeof rr->u.addr.text);
		return 0;
	case AW_RECORD_AAAA:
		if (rdlen != 16)
			return -1;
		memcpy(rr->u.addr.raw, rd, 16);
		inet_ntop(AF_INET6, rd, rr->u.addr.text, sizeof rr->u.addr.text);
		return 0;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
		rr->u.target = expand(rd, msg, len, &used);
		return rr->u.target && (size_t)used <= rdlen ? 0 : -1;
	case AW_RECORD_MX:
		if (rdlen < 3)
			return -1;
		rr->u.mx.preference = get16(rd);
		rr->u.mx.host = expand(rd + 2, msg, len, &used);
		return rr->u.mx.host && (size_t)used + 2 <= rdlen ? 0 : -1;
	case AW_RECORD_TXT:
	case AW_RECORD_SPF:
		/* RFC 1035 §3.3.14: one or more <character-string>s. */
		for (off = 0; off < rdlen;) {
			size_t sl = rd[off];

			if (off + 1 + sl > rdlen)
				return -1;
			if (aw_dns_rr_add_string(rr, (const char *)rd + off + 1,
			    sl) != AW_OK)
				return -1;
			off += 1 + sl;
		}
		return 0;
	case AW_RECORD_SOA:
		rr->u.soa.mname = expand(rd, msg, len, &used);
		if (rr->u.soa.mname == NULL || (size_t)used > rdlen)
			return -1;
		off = (size_t)used;
		rr->u.soa.rname = expand(rd + off, msg, len, &used);
		if (rr->u.soa.rname == NULL || off + (size_t)used + 20 > rdlen)
			return -1;
		off += (size_t)used;
		rr->u.soa.serial = get32(rd + off);
		rr->u.soa.refresh = get32(rd + off + 4);
		rr->u.soa.retry = get32(rd + off + 8);
		rr->u.soa.expire = get32(rd + off + 12);
		rr->u.soa.minimum = get32(rd + off + 16);
		return 0;
	default:
		return 0;
	}
}

static bool
known_type(unsigned t)
{
	return t == AW_RECORD_A || t == AW_RECORD_AAAA || t == AW_RECORD_CNAME ||
	    t == AW_RECORD_PTR || t == AW_RECORD_NS || t == AW_RECORD_MX ||
	    t == AW_RECORD_TXT || t == AW_RECORD_SPF || t == AW_RECORD_SOA;
}

struct aw_dns_answer *
aw_resolver_parse(const char *qname, enum aw_record_type qtype,
    const unsigned char *msg, size_t len)
{
	struct aw_dns_answer *ans;
	const unsigned char *p, *end = msg + len;
	unsigned qd, an, ns, i, rcode;
	long used;

	ans = aw_dns_answer_new(qname, qtype, AW_DNS_MALFORMED);
	if (ans == NULL)
		return NULL;
	if (len < 12)
		return ans;
	rcode = msg[3] & 0x0f;
	qd = get16(msg + 4);
	an = get16(msg + 6);
	ns = get16(msg + 8);
	p = msg + 12;
	for (i = 0; i < qd; i++) {
		char *n = expand(p, msg, len, &used);

		if (n == NULL)
			return ans;
		ares_free_string(n);
		if ((size_t)(end - p) < (size_t)used + 4)
			return ans;
		p += used + 4;
	}
	for (i = 0; i < an + ns; i++) {
		unsigned type, rdlen;
		uint32_t ttl;
		char *owner = expand(p, msg, len, &used);

		if (owner == NULL)
			goto malformed;
		if ((size_t)(end - p) < (size_t)used + 10) {
			ares_free_string(owner);
			goto malformed;
		}
		p += used;
		type = get16(p);
		ttl = get32(p + 4);
		rdlen = get16(p + 8);
		p += 10;
		if ((size_t)(end - p) < rdlen) {
			ares_free_string(owner);
			goto malformed;
		}
		if (ttl > 0x7fffffff)   /* RFC 2181 §8 */
			ttl = 0;
		if (i < an && known_type(type)) {
			struct aw_dns_rr *rr = aw_dns_answer_add(ans, owner,
			    (enum aw_record_type)type, ttl);

			if (rr != NULL && parse_rdata(rr, p, rdlen, msg, len)) {
				ares_free_string(owner);
				goto malformed;
			}
		} else if (i >= an && type == AW_RECORD_NS && ans->nauth < 32) {
			struct aw_dns_rr *grown = realloc(ans->auth,
			    (ans->nauth + 1) * sizeof *grown);

			if (grown != NULL) {
				struct aw_dns_rr *rr = &grown[ans->nauth];

				ans->auth = grown;
				memset(rr, 0, sizeof *rr);
				rr->type = AW_RECORD_NS;
				rr->ttl = ttl;
				rr->name = strdup(owner);
				ans->nauth++;
				if (rr->name == NULL ||
				    parse_rdata(rr, p, rdlen, msg, len)) {
					ares_free_string(owner);
					goto malformed;
				}
			}
		} else if (i >= an && type == AW_RECORD_SOA && !ans->soa_zone) {
			struct aw_dns_rr tmp;

			memset(&tmp, 0, sizeof tmp);
			tmp.type = AW_RECORD_SOA;
			if (parse_rdata(&tmp, p, rdlen, msg, len) == 0) {
				/* RFC 2308 §5: the lesser of SOA TTL and MINIMUM */
				ans->negative_ttl = ttl < tmp.u.soa.minimum ?
				    ttl : tmp.u.soa.minimum;
				ans->soa_zone = strdup(owner);
			}
			free(tmp.u.soa.mname);
			free(tmp.u.soa.rname);
		}
		ares_free_string(owner);
		p += rdlen;
	}
	switch (rcode) {
	case 0:
		ans->result = aw_dns_answer_count(ans, qtype) > 0 ?
		    AW_DNS_RECORDS : AW_DNS_NODATA;
		break;
	case 3:
		ans->result = AW_DNS_NXDOMAIN;
		break;
	case 2:
		ans->result = AW_DNS_SERVFAIL;
		break;
	case 5:
		ans->result = AW_DNS_REFUSED;
		break;
	case 1:
		ans->result = AW_DNS_MALFORMED;
		break;
	default:
		ans->result = AW_DNS_ERROR;
		break;
	}
	return ans;
malformed:
	{
		/* Keep nothing from a message that lies about its lengths. */
		struct aw_dns_answer *bad = aw_dns_answer_new(qname, qtype,
		    AW_DNS_MALFORMED);

		aw_dns_answer_free(ans);
		return bad;
	}
}

/* --- queries ------------------------------------------------------------- */

static void query_done(void *arg, int status, int timeouts,
    unsigned char *abuf, int alen);

static struct group **
group_slot(struct channel *c, uintptr_t task)
{
	struct group **gp = &c->buckets[(task ^ task >> 7) % GROUP_BUCKETS];

	while (*gp != NULL && (*gp)->task != task)
		gp = &(*gp)->hnext;
	return gp;
}

/* The task's group; NULL on no memory. */
static struct group *
group_get(struct channel *c, uintptr_t task)
{
	struct group **gp = group_slot(c, task);

	if (*gp == NULL) {
		if ((*gp = calloc(1, sizeof **gp)) == NULL)
			return NULL;
		(*gp)->task = task;
		c->ngroups++;
	}
	return *gp;
}

/* Frees a group with nothing in flight or waiting. */
static void
group_release(struct channel *c, struct group *g)
{
	struct group **gp;

	if (g->inflight > 0 || g->wait_head != NULL || g->in_ring)
		return;
	gp = group_slot(c, g->task);
	*gp = g->hnext;
	c->ngroups--;
	free(g);
}

static void
chan_send(struct channel *c, struct query *q)
{
	struct aw_resolver *res = c->res;
	bool starting = res->starting;

	c->inflight++;
	q->group->inflight++;
	res->starting = true;
	ares_query(c->ch, q->name, 1 /* C_IN */, (int)q->type, query_done, q);
	res->starting = starting;
}

/* Sends waiting queries while there is room on the wire, one from each
 * waiting task in turn. A task holds at most its share of the wire
 * (cfg.inflight_max over the tasks with queries in flight or waiting)
 * while others wait; beyond it, only while the wire is less than half
 * full, so half stays for the others' next questions. */
static void
chan_pump(struct channel *c)
{
	size_t share, stalled = 0;

	share = c->ngroups > 0 ? c->res->cfg.inflight_max / c->ngroups : 0;
	if (share == 0)
		share = 1;
	aw_udp_batch_open(c->batch);
	while (c->ring_head != NULL && c->inflight < c->res->cfg.inflight_max &&
	    !c->res->freeing) {
		struct group *g = c->ring_head;
		struct query *q;

		c->ring_head = g->rnext;
		if (c->ring_head == NULL)
			c->ring_tail = NULL;
		g->rnext = NULL;
		if (g->inflight >= share &&
		    c->inflight >= c->res->cfg.inflight_max / 2) {
			/* over its share: back to the end of the ring */
			if (c->ring_tail != NULL)
				c->ring_tail->rnext = g;
			else
				c->ring_head = g;
			c->ring_tail = g;
			/* a whole turn of the ring without a send */
			if (++stalled > c->ngroups)
				break;
			continue;
		}
		stalled = 0;
		q = g->wait_head;
		if ((g->wait_head = q->next) == NULL)
			g->wait_tail = NULL;
		q->next = NULL;
		if (g->wait_head != NULL) {
			if (c->ring_tail != NULL)
				c->ring_tail->rnext = g;
			else
				c->ring_head = g;
			c->ring_tail = g;
		} else {
			g->in_ring = false;
		}
		chan_send(c, q);
	}
	aw_udp_batch_close(c->batch);
	chan_reschedule(c);
}

static void
chan_on_pump(void *arg)
{
	struct channel *c = arg;

	c->pump = NULL;
	chan_pump(c);
}

/* Hands an answer to its asker as the query's task, so what it asks next
 * belongs to the same task. */
static void
query_hand_on(struct query *q, struct aw_dns_answer *ans)
{
	uintptr_t prev = aw_loop_set_task(q->res->loop, q->group->task);

	q->cb(ans, q->arg);
	aw_loop_set_task(q->res->loop, prev);
}

/* Frees a query; its group goes too once it is empty. */
static void
query_free(struct query *q)
{
	struct channel *c = q->chan;
	struct group *g = q->group;

	free(q);
	group_release(c, g);
}

static void
query_deliver_later(void *arg)
{
	struct query *q = arg;

	q->res->pending--;
	chan_pump(q->chan);
	query_hand_on(q, q->ans);
	query_free(q);
}

static void
query_done(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct aw_resolver *res = q->res;
	struct aw_dns_answer *ans = NULL;
	enum aw_dns_result r;

	(void)timeouts;
	q->chan->inflight--;
	q->group->inflight--;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
		res->pending--;
		if (res->freeing && res->answer_on_free &&
		    (ans = aw_dns_answer_new(q->name, q->type, AW_DNS_ERROR)) != NULL)
			q->cb(ans, q->arg);
		query_free(q);
		return;
	}
	switch (status) {
	case ARES_SUCCESS: r = AW_DNS_RECORDS; break;
	case ARES_ENODATA: r = AW_DNS_NODATA; break;
	case ARES_ENOTFOUND: r = AW_DNS_NXDOMAIN; break;
	case ARES_ESERVFAIL: r = AW_DNS_SERVFAIL; break;
	case ARES_EREFUSED: r = AW_DNS_REFUSED; break;
	case ARES_ETIMEOUT: r = AW_DNS_TIMEOUT; break;
	case ARES_EBADRESP:
	case ARES_EFORMERR: r = AW_DNS_MALFORMED; break;
	default: r = AW_DNS_ERROR; break;
	}
	if (abuf != NULL && alen > 0 && (r == AW_DNS_RECORDS ||
	    r == AW_DNS_NODATA || r == AW_DNS_NXDOMAIN)) {
		ans = aw_resolver_parse(q->name, q->type, abuf, (size_t)alen);
		/* c-ares has already judged the rcode; a parse that found
		 * nothing of the type turns "records" into NODATA. */
		if (ans != NULL && ans->result != AW_DNS_MALFORMED &&
		    r != AW_DNS_RECORDS)
			ans->result = r;
	} else {
		ans = aw_dns_answer_new(q->name, q->type, r);
	}
	if (ans != NULL && q->chan->server != NULL && ans->server == NULL)
		ans->server = strdup(q->chan->server);
	if (ans == NULL) {
		res->pending--;
		query_free(q);
		return;
	}
	if (res->starting) {
		/* c-ares answered from inside ares_query (a bad name): deliver
		 * from the loop, as the interface promises. */
		q->ans = ans;
		if (aw_loop_timer_add(res->loop, 0, query_deliver_later, q))
			return;
		q->ans = NULL;
		res->pending--;
		aw_dns_answer_free(ans);
		query_free(q);
		return;
	}
	res->pending--;
	/* Room on the wire: send what waits before handing the answer on
	 * (the callback may free the resolver). */
	chan_pump(q->chan);
	query_hand_on(q, ans);
	query_free(q);
}

/* Sends the query, or queues it in its task's group when the wire is
 * busy; queued ones are sent from the loop (all the tasks that start
 * together are known by then, see chan_pump). */
static enum aw_status
chan_query(struct aw_resolver *res, struct channel *c, const char *name,
    enum aw_record_type type, aw_dns_cb cb, void *arg)
{
	struct query *q;
	struct group *g;
	size_t nlen = strlen(name);

	/* Asked from a callback while the resolver is being freed: no
	 * answer would ever come. */
	if (res->freeing)
		return AW_ERR_DNS;
	if ((g = group_get(c, aw_loop_task(res->loop))) == NULL)
		return AW_ERR_NOMEM;
	if ((q = calloc(1, sizeof *q + nlen + 1)) == NULL) {
		group_release(c, g);
		return AW_ERR_NOMEM;
	}
	memcpy(q->name, name, nlen + 1);
	q->res = res;
	q->chan = c;
	q->group = g;
	q->type = type;
	q->cb = cb;
	q->arg = arg;
	/* Nothing waits and the wire is under half full: chan_pump would
	 * send it whatever its task's share, so at once (a round trip
	 * through the loop less for each question of a lone check). */
	if (c->ring_head == NULL &&
	    c->inflight < c->res->cfg.inflight_max / 2) {
		if (++res->pending > res->max_pending)
			res->max_pending = res->pending;
		chan_send(c, q);
		chan_reschedule(c);
		return AW_OK;
	}
	if (c->pump == NULL &&
	    (c->pump = aw_loop_timer_add(res->loop, 0, chan_on_pump, c)) == NULL) {
		free(q);
		group_release(c, g);
		return AW_ERR_NOMEM;
	}
	if (++res->pending > res->max_pending)
		res->max_pending = res->pending;
	if (g->wait_tail != NULL)
		g->wait_tail->next = q;
	else
		g->wait_head = q;
	g->wait_tail = q;
	if (!g->in_ring) {
		g->in_ring = true;
		if (c->ring_tail != NULL)
			c->ring_tail->rnext = g;
		else
			c->ring_head = g;
		c->ring_tail = g;
	}
	return AW_OK;
}

enum aw_status
aw_resolver_query(struct aw_resolver *res, const char *name,
    enum aw_record_type type, aw_dns_cb cb, void *arg)
{
	return chan_query(res, res->main, name, type, cb, arg);
}

enum aw_status
aw_resolver_query_at(struct aw_resolver *res, const char *server,
    const char *name, enum aw_record_type type, aw_dns_cb cb, void *arg)
{
	struct channel *c;
	enum aw_status st;

	for (c = res->direct; c != NULL; c = c->next)
		if (strcmp(c->server, server) == 0)
			break;
	if (c == NULL) {
		st = chan_new(res, server, &c, NULL);
		if (st != AW_OK)
			return st;
		c->next = res->direct;
		res->direct = c;
	}
	return chan_query(res, c, name, type, cb, arg);
}

static enum aw_status
source_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	return aw_resolver_query(impl, name, type, cb, arg);
}

static void
source_wait(void *impl, const bool *done)
{
	struct aw_resolver *res = impl;

	while (!*done && res->pending > 0)
		aw_loop_run_once(res->loop, -1);
}

static struct aw_loop *
source_loop(void *impl)
{
	return ((struct aw_resolver *)impl)->loop;
}

static const struct aw_dns_source_ops resolver_source_ops = {
	.query = source_query,
	.wait = source_wait,
	.loop = source_loop,
};

struct aw_dns_source
aw_resolver_source(struct aw_resolver *res)
{
	struct aw_dns_source s = { &resolver_source_ops, res };

	return s;
}
