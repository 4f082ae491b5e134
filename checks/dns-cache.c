/* dns-cache.c: one question per name and type in front of a DNS source
 * (dns-cache.h). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dns-cache.h"
#include "core/str.h"

struct waiter {
	aw_dns_cb cb;
	void *arg;
	struct waiter *next;
	char asked[];                /* the name as this caller wrote it */
};

struct entry {
	struct aw_dns_cache *c;
	enum aw_record_type type;
	struct aw_dns_answer *ans;   /* NULL while in flight */
	int64_t expires;             /* aw_loop_now_ms; INT64_MAX: never */
	struct waiter *waiters, **tail;
	struct entry *next;          /* in the bucket */
	char key[];                  /* lower case, no trailing dot */
};

/* Names up to this long get their key on the stack (one malloc less
 * for each question); longer ones (not valid DNS names) on the heap. */
#define KEY_STACK 256

/* An answer in hand given again, from the loop. */
struct delivery {
	struct aw_dns_cache *c;
	struct aw_dns_answer *ans;
	aw_dns_cb cb;
	void *arg;
	struct aw_loop_timer *timer;
	struct delivery *next, *prev;
};

struct aw_dns_cache {
	struct aw_loop *loop;
	const struct aw_dns_source *below;
	bool honour_ttl;
	struct entry **buckets;
	size_t nbuckets, nentries;   /* nbuckets: a power of two */
	size_t inflight;
	struct delivery *deliveries;
	unsigned busy;               /* inside a callback of ours */
	bool free_asked;
	struct aw_dns_cache_stats stats;
};

static uint32_t
key_hash(const char *key, enum aw_record_type type)
{
	uint32_t h = 2166136261u ^ (uint32_t)type;   /* FNV-1a */

	for (; *key != '\0'; key++) {
		h ^= (unsigned char)*key;
		h *= 16777619u;
	}
	return h;
}

/* The key of name in buf (KEY_STACK bytes) or, when longer, in
 * *heap (the caller frees it); NULL on no memory. */
static char *
make_key(const char *name, char *buf, char **heap)
{
	size_t n = strlen(name), i;
	char *k = buf;

	*heap = NULL;
	if (n > 1 && name[n - 1] == '.')
		n--;
	if (n >= KEY_STACK && (k = *heap = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		k[i] = (name[i] >= 'A' && name[i] <= 'Z') ?
		    (char)(name[i] - 'A' + 'a') : name[i];
	k[n] = '\0';
	return k;
}

struct aw_dns_cache *
aw_dns_cache_new(struct aw_loop *loop, const struct aw_dns_source *below,
    bool honour_ttl)
{
	struct aw_dns_cache *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->nbuckets = 64;
	if ((c->buckets = calloc(c->nbuckets, sizeof *c->buckets)) == NULL) {
		free(c);
		return NULL;
	}
	c->loop = loop;
	c->below = below;
	c->honour_ttl = honour_ttl;
	return c;
}

static void
waiters_free(struct waiter *w)
{
	struct waiter *next;

	for (; w != NULL; w = next) {
		next = w->next;
		free(w);
	}
}

static void
entry_free(struct entry *e)
{
	waiters_free(e->waiters);
	aw_dns_answer_free(e->ans);
	free(e);
}

static void
cache_destroy(struct aw_dns_cache *c)
{
	struct delivery *d, *dnext;
	size_t i;

	for (d = c->deliveries; d != NULL; d = dnext) {
		dnext = d->next;
		aw_loop_timer_cancel(c->loop, d->timer);
		aw_dns_answer_free(d->ans);
		free(d);
	}
	for (i = 0; i < c->nbuckets; i++) {
		struct entry *e, *enext;

		for (e = c->buckets[i]; e != NULL; e = enext) {
			enext = e->next;
			entry_free(e);
		}
	}
	free(c->buckets);
	free(c);
}

void
aw_dns_cache_free(struct aw_dns_cache *c)
{
	if (c == NULL)
		return;
	if (c->busy > 0) {
		c->free_asked = true;
		return;
	}
	cache_destroy(c);
}

/* Leaves a callback of ours: the cache goes if it was freed inside. */
static bool
unbusy(struct aw_dns_cache *c)
{
	if (--c->busy == 0 && c->free_asked) {
		cache_destroy(c);
		return false;
	}
	return true;
}

static struct entry **
find(struct aw_dns_cache *c, const char *key, enum aw_record_type type)
{
	struct entry **pp =
	    &c->buckets[key_hash(key, type) & (c->nbuckets - 1)];

	for (; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->type == type && strcmp((*pp)->key, key) == 0)
			break;
	return pp;
}

static void
unlink_entry(struct aw_dns_cache *c, struct entry *e)
{
	struct entry **pp = find(c, e->key, e->type);

	if (*pp == e) {
		*pp = e->next;
		c->nentries--;
	}
}

/* Keeps about one entry per bucket. */
static void
grow(struct aw_dns_cache *c)
{
	struct entry **nb;
	size_t n = c->nbuckets * 2, i;

	if (c->nentries < c->nbuckets || (nb = calloc(n, sizeof *nb)) == NULL)
		return;
	for (i = 0; i < c->nbuckets; i++) {
		struct entry *e, *next;

		for (e = c->buckets[i]; e != NULL; e = next) {
			uint32_t h = key_hash(e->key, e->type) & (n - 1);

			next = e->next;
			e->next = nb[h];
			nb[h] = e;
		}
	}
	free(c->buckets);
	c->buckets = nb;
	c->nbuckets = n;
}

/* How long ans may be given again, in ms from now; 0: not at all. */
static int64_t
keep_ms(const struct aw_dns_cache *c, const struct aw_dns_answer *ans)
{
	uint32_t ttl = UINT32_MAX;
	size_t i;

	if (!c->honour_ttl)
		return INT64_MAX;
	switch (ans->result) {
	case AW_DNS_RECORDS:
		/* RFC 2181 §5.2: the least TTL of what was sent. */
		for (i = 0; i < ans->nrr; i++)
			if (ans->rr[i].ttl < ttl)
				ttl = ans->rr[i].ttl;
		if (ans->nrr == 0)
			ttl = 0;
		break;
	case AW_DNS_NXDOMAIN:
	case AW_DNS_NODATA:
		/* RFC 2308 §5: by the SOA's minimum (the answer's
		 * negative_ttl); without an SOA, not kept. */
		ttl = ans->negative_ttl;
		break;
	default:
		ttl = 0;   /* failures: only while in flight */
		break;
	}
	return (int64_t)ttl * 1000;
}

/* ans for one caller: ans itself, one more reference to it, when the
 * caller wrote the name as it was asked below (the usual case); else a
 * copy with the caller's own spelling. */
static struct aw_dns_answer *
share_for(struct aw_dns_answer *ans, const char *asked)
{
	struct aw_dns_answer *d;
	char *q;

	if (asked == NULL || strcmp(ans->qname, asked) == 0)
		return aw_dns_answer_ref(ans);
	if ((d = aw_dns_answer_dup(ans)) == NULL)
		return NULL;
	if ((q = strdup(asked)) == NULL) {
		aw_dns_answer_free(d);
		return NULL;
	}
	free(d->qname);
	d->qname = q;
	return d;
}

static void
below_answer(struct aw_dns_answer *ans, void *arg)
{
	struct entry *e = arg;
	struct aw_dns_cache *c = e->c;
	struct waiter *w = e->waiters, *next;
	int64_t keep;

	c->inflight--;
	e->waiters = NULL;
	e->tail = &e->waiters;
	if (ans == NULL)
		ans = aw_dns_answer_new(e->key, e->type, AW_DNS_ERROR);
	e->ans = ans;
	keep = keep_ms(c, ans);
	e->expires = keep == INT64_MAX ? INT64_MAX : aw_loop_now_ms() + keep;
	c->busy++;
	/* Each waiter gets a reference to the entry's answer (or a copy
	 * when it spelt the name otherwise); the last gets the entry's own
	 * reference when the answer is not kept. */
	if (keep == 0)
		unlink_entry(c, e);
	for (; w != NULL; w = next) {
		struct aw_dns_answer *mine;

		next = w->next;
		if (next == NULL && keep == 0 && e->ans != NULL &&
		    (e->ans->shared == 0 ||
		    strcmp(e->ans->qname, w->asked) == 0)) {
			mine = e->ans;
			e->ans = NULL;
			if (strcmp(mine->qname, w->asked) != 0) {
				char *q = strdup(w->asked);

				if (q != NULL) {
					free(mine->qname);
					mine->qname = q;
				}
			}
		} else if (e->ans == NULL ||
		    (mine = share_for(e->ans, w->asked)) == NULL) {
			mine = aw_dns_answer_new(w->asked, e->type, AW_DNS_ERROR);
		}
		if (!c->free_asked && mine != NULL)
			w->cb(mine, w->arg);
		else
			aw_dns_answer_free(mine);
		free(w);
	}
	if (keep == 0)
		entry_free(e);
	unbusy(c);
}

static void
deliver(void *arg)
{
	struct delivery *d = arg;
	struct aw_dns_cache *c = d->c;

	if (d->prev != NULL)
		d->prev->next = d->next;
	else
		c->deliveries = d->next;
	if (d->next != NULL)
		d->next->prev = d->prev;
	c->busy++;
	d->cb(d->ans, d->arg);
	free(d);
	unbusy(c);
}

static enum aw_status
cache_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct aw_dns_cache *c = impl;
	struct entry **pp, *e;
	struct waiter *w;
	char buf[KEY_STACK], *heap, *key;
	size_t nlen, klen;
	enum aw_status st;

	c->stats.asked++;
	if ((key = make_key(name, buf, &heap)) == NULL)
		return AW_ERR_NOMEM;
	pp = find(c, key, type);
	if ((e = *pp) != NULL && e->ans != NULL &&
	    e->expires != INT64_MAX && e->expires <= aw_loop_now_ms()) {
		*pp = e->next;          /* expired */
		c->nentries--;
		entry_free(e);
		e = NULL;
	}
	if (e != NULL && e->ans != NULL) {
		struct delivery *d = calloc(1, sizeof *d);

		free(heap);
		if (d == NULL || (d->ans = share_for(e->ans, name)) == NULL) {
			free(d);
			return AW_ERR_NOMEM;
		}
		d->c = c;
		d->cb = cb;
		d->arg = arg;
		if ((d->timer = aw_loop_timer_add(c->loop, 0, deliver, d)) ==
		    NULL) {
			aw_dns_answer_free(d->ans);
			free(d);
			return AW_ERR_NOMEM;
		}
		d->next = c->deliveries;
		if (d->next != NULL)
			d->next->prev = d;
		c->deliveries = d;
		c->stats.hits++;
		return AW_OK;
	}
	nlen = strlen(name);
	if ((w = malloc(sizeof *w + nlen + 1)) == NULL) {
		free(heap);
		return AW_ERR_NOMEM;
	}
	memcpy(w->asked, name, nlen + 1);
	w->cb = cb;
	w->arg = arg;
	w->next = NULL;
	if (e != NULL) {              /* in flight: wait for it */
		free(heap);
		*e->tail = w;
		e->tail = &w->next;
		c->stats.joined++;
		return AW_OK;
	}
	klen = strlen(key);
	if ((e = calloc(1, sizeof *e + klen + 1)) == NULL) {
		waiters_free(w);
		free(heap);
		return AW_ERR_NOMEM;
	}
	memcpy(e->key, key, klen + 1);
	free(heap);
	e->c = c;
	e->type = type;
	e->waiters = w;
	e->tail = &w->next;
	if ((st = aw_dns_query(c->below, name, type, below_answer, e)) !=
	    AW_OK) {
		entry_free(e);
		return st;
	}
	c->stats.sent++;
	c->inflight++;
	e->next = *pp;
	*pp = e;
	c->nentries++;
	grow(c);
	return AW_OK;
}

static void
cache_wait(void *impl, const bool *done)
{
	struct aw_dns_cache *c = impl;

	while (!*done && (c->deliveries != NULL || c->inflight > 0))
		if (!aw_loop_run_once(c->loop, -1))
			break;
}

static struct aw_loop *
cache_loop(void *impl)
{
	return ((struct aw_dns_cache *)impl)->loop;
}

static const struct aw_dns_source_ops cache_ops = {
	.query = cache_query,
	.wait = cache_wait,
	.loop = cache_loop,
};

struct aw_dns_source
aw_dns_cache_source(struct aw_dns_cache *c)
{
	struct aw_dns_source s = { &cache_ops, c };

	return s;
}

const struct aw_dns_answer *
aw_dns_cache_peek(struct aw_dns_cache *c, const char *name,
    enum aw_record_type type)
{
	struct entry *e;
	char buf[KEY_STACK], *heap, *key = make_key(name, buf, &heap);

	if (key == NULL)
		return NULL;
	e = *find(c, key, type);
	free(heap);
	if (e == NULL || e->ans == NULL || (e->expires != INT64_MAX &&
	    e->expires <= aw_loop_now_ms()))
		return NULL;
	return e->ans;
}

void
aw_dns_cache_get_stats(const struct aw_dns_cache *c,
    struct aw_dns_cache_stats *out)
{
	*out = c->stats;
}
