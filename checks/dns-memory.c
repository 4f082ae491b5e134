/* dns-memory.c: an in-memory DNS zone (tests, conformance suite). */
#include "config.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dns-memory.h"
#include "core/str.h"

struct mem_rr {
	char *name;                 /* normalised */
	enum aw_record_type type;        /* 0: timeout marker */
	enum aw_record_type timeout_type;
	struct aw_dns_answer *one;  /* a one-record answer holding the data */
	size_t next;                /* the next record in the same hash
	                             * bucket, as index + 1; 0: none */
};

/* Records are found through a hash of their name (case-insensitive, one
 * trailing dot ignored, as aw_domain_equal compares), each bucket in the
 * order the records were added, so that big zones (bench/) answer in
 * constant time. */
struct mem_bucket {
	size_t head, tail;          /* index + 1; 0: empty */
};

struct mem_pending {
	struct aw_dns_memory *m;
	struct aw_dns_answer *ans;
	aw_dns_cb cb;
	void *arg;
	struct aw_loop_timer *timer;
	struct mem_pending *next, *prev;
};

struct aw_dns_memory {
	struct aw_loop *loop;
	struct mem_rr *rrs;
	size_t nrrs, cap;
	struct mem_bucket *buckets;
	size_t nbuckets;            /* a power of two, or 0 */
	unsigned cname_depth;
	unsigned long queries;
	bool (*hook)(const char *, enum aw_record_type, void *);
	void *hook_arg;
	struct mem_pending *pending;
};

struct aw_dns_memory *
aw_dns_memory_new(struct aw_loop *loop)
{
	struct aw_dns_memory *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->loop = loop;
	m->cname_depth = 8;
	return m;
}

void
aw_dns_memory_free(struct aw_dns_memory *m)
{
	struct mem_pending *p, *next;
	size_t i;

	if (m == NULL)
		return;
	for (p = m->pending; p != NULL; p = next) {
		next = p->next;
		aw_loop_timer_cancel(m->loop, p->timer);
		aw_dns_answer_free(p->ans);
		free(p);
	}
	for (i = 0; i < m->nrrs; i++) {
		free(m->rrs[i].name);
		aw_dns_answer_free(m->rrs[i].one);
	}
	free(m->rrs);
	free(m->buckets);
	free(m);
}

static uint32_t
name_hash(const char *s)
{
	size_t len = strlen(s), i;
	uint32_t h = 2166136261u;   /* FNV-1a */

	if (len > 1 && s[len - 1] == '.')
		len--;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		h ^= c;
		h *= 16777619u;
	}
	return h;
}

static void
bucket_append(struct aw_dns_memory *m, size_t i)
{
	struct mem_bucket *b =
	    &m->buckets[name_hash(m->rrs[i].name) & (m->nbuckets - 1)];

	m->rrs[i].next = 0;
	if (b->tail != 0)
		m->rrs[b->tail - 1].next = i + 1;
	else
		b->head = i + 1;
	b->tail = i + 1;
}

/* Keeps about two records per bucket; rebuilt in insertion order. */
static bool
buckets_grow(struct aw_dns_memory *m)
{
	struct mem_bucket *nb;
	size_t n = m->nbuckets ? m->nbuckets * 2 : 64, i;

	if ((nb = calloc(n, sizeof *nb)) == NULL)
		return false;
	free(m->buckets);
	m->buckets = nb;
	m->nbuckets = n;
	for (i = 0; i < m->nrrs; i++)
		bucket_append(m, i);
	return true;
}

/* Room for one more record (zeroed, not yet counted in nrrs). */
static struct mem_rr *
mem_slot(struct aw_dns_memory *m)
{
	struct mem_rr *grown, *r;

	if (m->nrrs == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		grown = realloc(m->rrs, cap * sizeof *grown);
		if (grown == NULL)
			return NULL;
		m->rrs = grown;
		m->cap = cap;
	}
	if ((m->nrrs + 1) > 2 * m->nbuckets && !buckets_grow(m))
		return NULL;
	r = &m->rrs[m->nrrs];
	memset(r, 0, sizeof *r);
	return r;
}

static struct aw_dns_rr *
mem_add(struct aw_dns_memory *m, const char *name, enum aw_record_type type)
{
	struct mem_rr *r;

	if ((r = mem_slot(m)) == NULL)
		return NULL;
	r->name = aw_domain_normalize(name);
	r->type = type;
	r->one = aw_dns_answer_new(name, type, AW_DNS_RECORDS);
	if (r->name == NULL || r->one == NULL ||
	    aw_dns_answer_add(r->one, name, type, 300) == NULL) {
		free(r->name);
		aw_dns_answer_free(r->one);
		return NULL;
	}
	m->nrrs++;
	bucket_append(m, m->nrrs - 1);
	return &r->one->rr[0];
}

enum aw_status
aw_dns_memory_add_txt(struct aw_dns_memory *m, const char *name,
    enum aw_record_type type, const char *const *strings, const size_t *lens,
    size_t n)
{
	struct aw_dns_rr *rr = mem_add(m, name, type);
	size_t i;
	enum aw_status st;

	if (rr == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		st = aw_dns_rr_add_string(rr, strings[i],
		    lens ? lens[i] : strlen(strings[i]));
		if (st != AW_OK)
			return st;
	}
	return AW_OK;
}

enum aw_status
aw_dns_memory_add_txt1(struct aw_dns_memory *m, const char *name,
    const char *text)
{
	struct aw_dns_rr *rr = mem_add(m, name, AW_RECORD_TXT);
	size_t len = strlen(text), off = 0, chunk;
	enum aw_status st;

	if (rr == NULL)
		return AW_ERR_NOMEM;
	do {
		chunk = len - off > 255 ? 255 : len - off;
		if ((st = aw_dns_rr_add_string(rr, text + off, chunk)) != AW_OK)
			return st;
		off += chunk;
	} while (off < len);
	return AW_OK;
}

enum aw_status
aw_dns_memory_add_addr(struct aw_dns_memory *m, const char *name,
    const char *address)
{
	unsigned char raw[16];
	struct aw_dns_rr *rr;
	enum aw_record_type type;

	if (inet_pton(AF_INET, address, raw) == 1)
		type = AW_RECORD_A;
	else if (inet_pton(AF_INET6, address, raw) == 1)
		type = AW_RECORD_AAAA;
	else
		return AW_ERR_INVALID;
	if ((rr = mem_add(m, name, type)) == NULL)
		return AW_ERR_NOMEM;
	memcpy(rr->u.addr.raw, raw, type == AW_RECORD_A ? 4 : 16);
	inet_ntop(type == AW_RECORD_A ? AF_INET : AF_INET6, raw, rr->u.addr.text,
	    sizeof rr->u.addr.text);
	return AW_OK;
}

static char *
target_dup(const char *t)
{
	size_t n = strlen(t);
	char *p;

	if (n > 0 && t[n - 1] == '.')
		n--;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, t, n);
	p[n] = '\0';
	return p;
}

enum aw_status
aw_dns_memory_add_mx(struct aw_dns_memory *m, const char *name,
    unsigned preference, const char *host)
{
	struct aw_dns_rr *rr = mem_add(m, name, AW_RECORD_MX);

	if (rr == NULL)
		return AW_ERR_NOMEM;
	rr->u.mx.preference = (uint16_t)preference;
	rr->u.mx.host = target_dup(host);
	return rr->u.mx.host ? AW_OK : AW_ERR_NOMEM;
}

enum aw_status
aw_dns_memory_add_target(struct aw_dns_memory *m, const char *name,
    enum aw_record_type type, const char *target)
{
	struct aw_dns_rr *rr;

	if (type != AW_RECORD_CNAME && type != AW_RECORD_PTR && type != AW_RECORD_NS)
		return AW_ERR_INVALID;
	if ((rr = mem_add(m, name, type)) == NULL)
		return AW_ERR_NOMEM;
	rr->u.target = target_dup(target);
	return rr->u.target ? AW_OK : AW_ERR_NOMEM;
}

enum aw_status
aw_dns_memory_add_timeout(struct aw_dns_memory *m, const char *name,
    enum aw_record_type type)
{
	struct mem_rr *r;

	if ((r = mem_slot(m)) == NULL)
		return AW_ERR_NOMEM;
	if ((r->name = aw_domain_normalize(name)) == NULL)
		return AW_ERR_NOMEM;
	r->type = 0;
	r->timeout_type = type;
	m->nrrs++;
	bucket_append(m, m->nrrs - 1);
	return AW_OK;
}

void
aw_dns_memory_set_timeout_hook(struct aw_dns_memory *m,
    bool (*hook)(const char *, enum aw_record_type, void *), void *arg)
{
	m->hook = hook;
	m->hook_arg = arg;
}

void
aw_dns_memory_set_cname_depth(struct aw_dns_memory *m, unsigned depth)
{
	m->cname_depth = depth;
}

unsigned long
aw_dns_memory_queries(const struct aw_dns_memory *m)
{
	return m->queries;
}


/* What the zone holds at name for type: appends matching records to ans.
 * Returns the number appended; *exists tells whether the name has any
 * record at all; *timeout whether the query must time out. */
static size_t
mem_lookup(struct aw_dns_memory *m, const char *name, enum aw_record_type type,
    struct aw_dns_answer *ans, bool *exists, bool *timeout, const char **cname)
{
	size_t i, n = 0;
	bool tmo = false;

	*exists = false;
	*cname = NULL;
	*timeout = false;
	if (m->nbuckets == 0)
		return 0;
	for (i = m->buckets[name_hash(name) & (m->nbuckets - 1)].head;
	    i != 0; i = m->rrs[i - 1].next) {
		struct mem_rr *r = &m->rrs[i - 1];

		if (!aw_domain_equal(r->name, name))
			continue;
		*exists = true;
		if (r->type == 0) {
			if (r->timeout_type == 0 || r->timeout_type == type)
				tmo = true;
			continue;
		}
		if (r->type == AW_RECORD_CNAME && type != AW_RECORD_CNAME)
			*cname = r->one->rr[0].u.target;
		if (r->type != type && !(r->type == AW_RECORD_CNAME &&
		    type != AW_RECORD_CNAME))
			continue;
		{
			struct aw_dns_answer *copy = aw_dns_answer_dup(r->one);
			struct aw_dns_rr *rr;

			if (copy == NULL)
				continue;
			rr = aw_dns_answer_add(ans, copy->rr[0].name,
			    copy->rr[0].type, copy->rr[0].ttl);
			if (rr != NULL) {
				char *owner = rr->name;

				*rr = copy->rr[0];
				/* rr now owns copy's data; keep our name */
				free(copy->rr[0].name);
				rr->name = owner;
				copy->nrr = 0;
				if (r->type == type)
					n++;
			}
			aw_dns_answer_free(copy);
		}
	}
	/* RFC 7208 suite: TIMEOUT applies only where no record of the type
	 * is listed. */
	*timeout = tmo && n == 0;
	return n;
}

static void
mem_deliver(void *arg)
{
	struct mem_pending *p = arg;
	struct aw_dns_memory *m = p->m;

	if (p->prev != NULL)
		p->prev->next = p->next;
	else
		m->pending = p->next;
	if (p->next != NULL)
		p->next->prev = p->prev;
	p->cb(p->ans, p->arg);
	free(p);
}

static enum aw_status
mem_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct aw_dns_memory *m = impl;
	struct mem_pending *p;
	struct aw_dns_answer *ans;
	const char *cur = name, *cname;
	bool exists, timeout;
	unsigned depth = 0;
	size_t n;

	m->queries++;
	ans = aw_dns_answer_new(name, type, AW_DNS_RECORDS);
	p = calloc(1, sizeof *p);
	if (ans == NULL || p == NULL) {
		aw_dns_answer_free(ans);
		free(p);
		return AW_ERR_NOMEM;
	}
	if (m->hook && m->hook(name, type, m->hook_arg)) {
		ans->result = AW_DNS_TIMEOUT;
	} else {
		for (;;) {
			n = mem_lookup(m, cur, type, ans, &exists, &timeout,
			    &cname);
			if (timeout) {
				ans->result = AW_DNS_TIMEOUT;
				break;
			}
			if (n > 0) {
				ans->result = AW_DNS_RECORDS;
				break;
			}
			if (cname == NULL || depth++ >= m->cname_depth) {
				ans->result = exists ? (cname ? AW_DNS_RECORDS
				    : AW_DNS_NODATA) : AW_DNS_NXDOMAIN;
				if (ans->result == AW_DNS_RECORDS &&
				    aw_dns_answer_count(ans, type) == 0)
					ans->result = AW_DNS_NODATA;
				break;
			}
			cur = cname;
			if (m->hook && m->hook(cur, type, m->hook_arg)) {
				ans->result = AW_DNS_TIMEOUT;
				break;
			}
		}
	}
	if (ans->result == AW_DNS_TIMEOUT) {
		/* A timeout carries no records. */
		aw_dns_answer_free(ans);
		ans = aw_dns_answer_new(name, type, AW_DNS_TIMEOUT);
		if (ans == NULL) {
			free(p);
			return AW_ERR_NOMEM;
		}
	}
	p->m = m;
	p->ans = ans;
	p->cb = cb;
	p->arg = arg;
	p->timer = aw_loop_timer_add(m->loop, 0, mem_deliver, p);
	if (p->timer == NULL) {
		aw_dns_answer_free(ans);
		free(p);
		return AW_ERR_NOMEM;
	}
	p->next = m->pending;
	if (m->pending != NULL)
		m->pending->prev = p;
	m->pending = p;
	return AW_OK;
}

static void
mem_wait(void *impl, const bool *done)
{
	struct aw_dns_memory *m = impl;

	while (!*done && m->pending != NULL)
		aw_loop_run_once(m->loop, -1);
}

static struct aw_loop *
mem_loop(void *impl)
{
	return ((struct aw_dns_memory *)impl)->loop;
}

static const struct aw_dns_source_ops memory_source_ops = {
	.query = mem_query,
	.wait = mem_wait,
	.loop = mem_loop,
};

struct aw_dns_source
aw_dns_memory_source(struct aw_dns_memory *m)
{
	struct aw_dns_source s = { &memory_source_ops, m };

	return s;
}
