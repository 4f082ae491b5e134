/* test_dns_cache.c: one question per name and type (checks/dns-cache.h):
 * a whole `check` asks no name and type twice, answers in flight are
 * shared, and the TTL-honouring cache keeps positive answers for their
 * TTL and negative ones only with an SOA minimum (RFC 2308 §5); askers
 * share one answer, each owning a reference (checks/dns.h). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/catalog.h"
#include "checks/dns-cache.h"
#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "core/loop.h"

/* A source that logs each question before passing it on. with_loop
 * false: it does not say its loop (then a check asks it directly). */
struct logger {
	struct aw_dns_source below;
	struct aw_loop *loop;
	char names[512][80];
	enum aw_record_type types[512];
	size_t n;
	bool silent_slow;          /* never answer names under slow.example */
};

static enum aw_status
log_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct logger *l = impl;
	size_t len = strlen(name);

	if (l->n < 512) {
		snprintf(l->names[l->n], sizeof l->names[0], "%s", name);
		l->types[l->n++] = type;
	}
	if (l->silent_slow && len >= 12 &&
	    strcmp(name + len - 12, "slow.example") == 0)
		return AW_OK;
	return aw_dns_query(&l->below, name, type, cb, arg);
}

static void
log_wait(void *impl, const bool *done)
{
	struct logger *l = impl;

	l->below.ops->wait(l->below.impl, done);
}

static struct aw_loop *
log_loop(void *impl)
{
	return ((struct logger *)impl)->loop;
}

static const struct aw_dns_source_ops log_ops = {
	.query = log_query, .wait = log_wait, .loop = log_loop,
};
static const struct aw_dns_source_ops log_ops_no_loop = {
	.query = log_query, .wait = log_wait,
};

static size_t
times_asked(const struct logger *l, const char *name, enum aw_record_type type)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++)
		if (l->types[i] == type && strcasecmp(l->names[i], name) == 0)
			n++;
	return n;
}

static void
zone(struct aw_dns_memory *m)
{
	/* SPF's mx and the MX area ask the same MX and host addresses; the
	 * apex TXT holds SPF and a verification record. */
	aw_dns_memory_add_txt1(m, "example.org",
	    "v=spf1 mx a include:_spf.esp.example -all");
	aw_dns_memory_add_txt1(m, "example.org", "esp-verification=1234");
	aw_dns_memory_add_txt1(m, "_spf.esp.example",
	    "v=spf1 a:out.esp.example ~all");
	aw_dns_memory_add_addr(m, "out.esp.example", "198.51.100.7");
	aw_dns_memory_add_addr(m, "example.org", "192.0.2.80");
	aw_dns_memory_add_mx(m, "example.org", 10, "mx.example.org");
	aw_dns_memory_add_addr(m, "mx.example.org", "192.0.2.25");
	aw_dns_memory_add_addr(m, "mx.example.org", "2001:db8::25");
	aw_dns_memory_add_target(m, "s1._domainkey.example.org", AW_RECORD_CNAME,
	    "s1.dkim.esp.example");
	aw_dns_memory_add_txt1(m, "s1.dkim.esp.example", "v=DKIM1; p=");
	aw_dns_memory_add_txt1(m, "_dmarc.example.org",
	    "v=DMARC1; p=none; rua=mailto:d@reports.example.net");
	aw_dns_memory_add_target(m, "25.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "mx.example.org");
}

/* Runs a whole check over the logger; returns the questions it asked. */
static size_t
full_check(struct logger *l, const struct aw_dns_source_ops *ops)
{
	struct aw_dns_memory *m;
	struct aw_dns_source src = { ops, l };
	struct aw_domain_check *dc = NULL;
	const char *sel[] = { "s1" }, *ips[] = { "192.0.2.25" };
	struct aw_domain_check_opts opts;
	size_t k;

	l->loop = aw_loop_new();
	m = aw_dns_memory_new(l->loop);
	l->below = aw_dns_memory_source(m);
	l->n = 0;
	zone(m);
	memset(&opts, 0, sizeof opts);
	opts.selectors = sel;
	opts.nselectors = 1;
	opts.ips = ips;
	opts.nips = 1;
	opts.helo = "mx.example.org";
	assert_int_equal(aw_domain_check_start(&src, "example.org", &opts,
	    NULL, NULL, &dc, NULL), AW_OK);
	/* The verification records' TXT, asked through the check. */
	while (!aw_domain_check_finished(dc))
		assert_true(aw_loop_run_once(l->loop, 1000));
	for (k = 0; k < aw_domain_check_count(dc); k++) {
		struct aw_section *s = aw_domain_check_section(dc, k);

		assert_true(s->finished);
		assert_false(s->f.dns_failure);
	}
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(l->loop);
	return l->n;
}

static void
a_whole_check_asks_no_name_and_type_twice(void **state)
{
	static struct logger l;   /* big: not on the stack */
	size_t i, k, with, without;

	(void)state;
	with = full_check(&l, &log_ops);
	for (i = 0; i < l.n; i++)
		for (k = i + 1; k < l.n; k++)
			if (l.types[i] == l.types[k] &&
			    strcasecmp(l.names[i], l.names[k]) == 0)
				fail_msg("%s %s asked twice",
				    aw_record_type_name(l.types[i]), l.names[i]);
	assert_int_equal(times_asked(&l, "example.org", AW_RECORD_TXT), 1);
	assert_int_equal(times_asked(&l, "example.org", AW_RECORD_MX), 1);
	assert_int_equal(times_asked(&l, "mx.example.org", AW_RECORD_A), 1);
	/* Without the shared answers (a source that names no loop), the
	 * same check asks the apex TXT and the MX more than once. */
	without = full_check(&l, &log_ops_no_loop);
	assert_true(times_asked(&l, "example.org", AW_RECORD_MX) > 1);
	assert_true(without > with);
}

/* A check dropped unfinished after its source dropped the callbacks:
 * the cache's questions in flight and answers not yet given go with it
 * (ASan: nothing leaks or is touched after). */
static void
unfinished_check_with_shared_answers_is_freed(void **state)
{
	static struct logger l;
	unsigned rounds;

	(void)state;
	for (rounds = 0; rounds < 6; rounds++) {
		struct aw_dns_memory *m;
		struct aw_dns_source src = { &log_ops, &l };
		struct aw_domain_check *dc = NULL;
		struct aw_domain_check_opts opts;
		const char *ips[] = { "192.0.2.25" };
		unsigned i;

		l.loop = aw_loop_new();
		m = aw_dns_memory_new(l.loop);
		l.below = aw_dns_memory_source(m);
		l.n = 0;
		l.silent_slow = true;
		zone(m);
		aw_dns_memory_add_txt1(m, "example.net",
		    "v=spf1 mx include:slow.example -all");
		aw_dns_memory_add_mx(m, "example.net", 10, "mx.example.org");
		memset(&opts, 0, sizeof opts);
		opts.ips = ips;
		opts.nips = 1;
		opts.helo = "mail.slow.example";
		assert_int_equal(aw_domain_check_start(&src, "example.net",
		    &opts, NULL, NULL, &dc, NULL), AW_OK);
		for (i = 0; i < rounds; i++)
			aw_loop_run_once(l.loop, 0);
		assert_false(aw_domain_check_finished(dc));
		aw_dns_memory_free(m);
		aw_domain_check_free(dc);
		aw_loop_free(l.loop);
		l.silent_slow = false;
	}
}

/* A source that answers every question with records of a given TTL, or
 * NXDOMAIN with a given SOA minimum, from the loop. */
struct fixed {
	struct aw_loop *loop;
	uint32_t ttl, negative_ttl;
	bool nx;
	unsigned asked;
};

struct fixed_pending {
	struct aw_dns_answer *ans;
	aw_dns_cb cb;
	void *arg;
};

static void
fixed_deliver(void *arg)
{
	struct fixed_pending *p = arg;

	p->cb(p->ans, p->arg);
	free(p);
}

static enum aw_status
fixed_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct fixed *f = impl;
	struct fixed_pending *p = calloc(1, sizeof *p);
	struct aw_dns_rr *rr;

	assert_non_null(p);
	f->asked++;
	p->ans = aw_dns_answer_new(name, type, f->nx ? AW_DNS_NXDOMAIN :
	    AW_DNS_RECORDS);
	if (f->nx) {
		p->ans->negative_ttl = f->negative_ttl;
	} else {
		rr = aw_dns_answer_add(p->ans, name, AW_RECORD_A, f->ttl);
		memcpy(rr->u.addr.raw, "\xc0\x00\x02\x01", 4);
		strcpy(rr->u.addr.text, "192.0.2.1");
	}
	p->cb = cb;
	p->arg = arg;
	assert_non_null(aw_loop_timer_add(f->loop, 0, fixed_deliver, p));
	return AW_OK;
}

static void
fixed_wait(void *impl, const bool *done)
{
	struct fixed *f = impl;

	while (!*done)
		aw_loop_run_once(f->loop, 100);
}

static const struct aw_dns_source_ops fixed_ops = {
	.query = fixed_query, .wait = fixed_wait,
};

struct got {
	unsigned n;
	char qname[64];
	enum aw_dns_result result;
};

static void
got_cb(struct aw_dns_answer *ans, void *arg)
{
	struct got *g = arg;

	g->n++;
	g->result = ans->result;
	snprintf(g->qname, sizeof g->qname, "%s", ans->qname);
	aw_dns_answer_free(ans);
}

/* Asks name twice at once and once more after both answered; returns
 * how many questions reached the source. */
static unsigned
ask_three_times(struct fixed *f, bool honour_ttl)
{
	struct aw_dns_source below = { &fixed_ops, f };
	struct aw_dns_cache *c;
	struct aw_dns_source src;
	struct got g1 = { 0 }, g2 = { 0 }, g3 = { 0 };
	struct aw_dns_cache_stats st;
	unsigned asked;

	f->loop = aw_loop_new();
	f->asked = 0;
	c = aw_dns_cache_new(f->loop, &below, honour_ttl);
	assert_non_null(c);
	src = aw_dns_cache_source(c);
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    got_cb, &g1), AW_OK);
	assert_int_equal(aw_dns_query(&src, "WWW.Example.com.", AW_RECORD_A,
	    got_cb, &g2), AW_OK);
	assert_int_equal(g1.n + g2.n, 0);   /* never from inside query */
	while (g1.n + g2.n < 2)
		assert_true(aw_loop_run_once(f->loop, 1000));
	assert_int_equal(f->asked, 1);      /* the second waited */
	assert_string_equal(g2.qname, "WWW.Example.com.");
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    got_cb, &g3), AW_OK);
	assert_int_equal(g3.n, 0);
	while (g3.n < 1)
		assert_true(aw_loop_run_once(f->loop, 1000));
	assert_int_equal(g3.result, g1.result);
	aw_dns_cache_get_stats(c, &st);
	assert_int_equal(st.asked, 3);
	assert_int_equal(st.joined, 1);
	assert_int_equal(st.sent, f->asked);
	asked = f->asked;
	aw_dns_cache_free(c);
	aw_loop_free(f->loop);
	return asked;
}

static void
ttl_cache_keeps_answers_for_their_ttl_only(void **state)
{
	struct fixed f;

	(void)state;
	memset(&f, 0, sizeof f);
	f.ttl = 300;
	assert_int_equal(ask_three_times(&f, true), 1);
	f.ttl = 0;                      /* TTL 0: used once, not kept */
	assert_int_equal(ask_three_times(&f, true), 2);
	assert_int_equal(ask_three_times(&f, false), 1);
}

/* RFC 2308 §5: a negative answer is kept for the SOA minimum; without
 * an SOA in the answer, not at all. */
static void
ttl_cache_keeps_negative_answers_by_soa_minimum(void **state)
{
	struct fixed f;

	(void)state;
	memset(&f, 0, sizeof f);
	f.nx = true;
	f.negative_ttl = 60;
	assert_int_equal(ask_three_times(&f, true), 1);
	f.negative_ttl = 0;
	assert_int_equal(ask_three_times(&f, true), 2);
}

/* Callbacks that keep the answer they are given (shared answers). */
struct kept {
	unsigned n;
	struct aw_dns_answer *ans[4];
};

static void
keep_cb(struct aw_dns_answer *ans, void *arg)
{
	struct kept *k = arg;

	assert_true(k->n < 4);
	k->ans[k->n++] = ans;
}

static void
check_a(const struct aw_dns_answer *ans, const char *qname)
{
	assert_string_equal(ans->qname, qname);
	assert_int_equal(ans->result, AW_DNS_RECORDS);
	assert_int_equal(ans->nrr, 1);
	assert_string_equal(ans->rr[0].name, "www.example.com");
	assert_string_equal(ans->rr[0].u.addr.text, "192.0.2.1");
}

/* Askers who write the name the same way get one answer, each holding a
 * reference: freed once, after the last owner let go (ASan: no double
 * free, no leak); another spelling gets its own copy. */
static void
shared_answer_is_freed_once(void **state)
{
	struct fixed f;
	struct aw_dns_source below = { &fixed_ops, &f }, src;
	struct aw_dns_cache *c;
	struct kept k = { 0 }, other = { 0 };
	const struct aw_dns_answer *held;

	(void)state;
	memset(&f, 0, sizeof f);
	f.ttl = 300;
	f.loop = aw_loop_new();
	c = aw_dns_cache_new(f.loop, &below, false);
	src = aw_dns_cache_source(c);
	/* Two in flight, one the other spelling, then one from the hand. */
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    keep_cb, &k), AW_OK);
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    keep_cb, &k), AW_OK);
	assert_int_equal(aw_dns_query(&src, "WWW.example.com", AW_RECORD_A,
	    keep_cb, &other), AW_OK);
	while (k.n < 2 || other.n < 1)
		assert_true(aw_loop_run_once(f.loop, 1000));
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    keep_cb, &k), AW_OK);
	while (k.n < 3)
		assert_true(aw_loop_run_once(f.loop, 1000));
	assert_int_equal(f.asked, 1);
	held = aw_dns_cache_peek(c, "www.example.com", AW_RECORD_A);
	assert_non_null(held);
	/* The same answer three times, plus the cache's own reference. */
	assert_ptr_equal(k.ans[0], held);
	assert_ptr_equal(k.ans[1], held);
	assert_ptr_equal(k.ans[2], held);
	assert_int_equal(held->shared, 3);
	/* The other spelling: a copy of its own, with its qname. */
	assert_ptr_not_equal(other.ans[0], held);
	assert_int_equal(other.ans[0]->shared, 0);
	check_a(other.ans[0], "WWW.example.com");
	aw_dns_answer_free(other.ans[0]);
	/* Owners let go one by one; the cache's answer stays whole. */
	aw_dns_answer_free(k.ans[1]);
	aw_dns_answer_free(k.ans[0]);
	assert_int_equal(held->shared, 1);
	check_a(k.ans[2], "www.example.com");
	/* The cache goes first: the last asker still holds the answer. */
	aw_dns_cache_free(c);
	assert_int_equal(k.ans[2]->shared, 0);
	check_a(k.ans[2], "www.example.com");
	aw_dns_answer_free(k.ans[2]);
	aw_loop_free(f.loop);
}

struct freer {
	unsigned n;
};

static void
free_at_once_cb(struct aw_dns_answer *ans, void *arg)
{
	struct freer *fr = arg;

	fr->n++;
	aw_dns_answer_free(ans);
}

/* One asker frees its answer in its callback before the next asker's
 * callback runs (TTL 0: the answer is not kept, the last asker gets the
 * cache's own reference). */
static void
asker_frees_before_another_uses_it(void **state)
{
	struct fixed f;
	struct aw_dns_source below = { &fixed_ops, &f }, src;
	struct aw_dns_cache *c;
	struct kept k = { 0 };
	struct freer fr = { 0 };
	struct aw_dns_answer *mine;

	(void)state;
	memset(&f, 0, sizeof f);
	f.ttl = 0;
	f.loop = aw_loop_new();
	c = aw_dns_cache_new(f.loop, &below, true);
	src = aw_dns_cache_source(c);
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    free_at_once_cb, &fr), AW_OK);
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    free_at_once_cb, &fr), AW_OK);
	assert_int_equal(aw_dns_query(&src, "www.example.com", AW_RECORD_A,
	    keep_cb, &k), AW_OK);
	while (k.n < 1)
		assert_true(aw_loop_run_once(f.loop, 1000));
	assert_int_equal(fr.n, 2);
	assert_int_equal(f.asked, 1);
	/* Not kept: nothing in hand, the last asker alone holds it. */
	assert_null(aw_dns_cache_peek(c, "www.example.com", AW_RECORD_A));
	assert_int_equal(k.ans[0]->shared, 0);
	check_a(k.ans[0], "www.example.com");
	aw_dns_cache_free(c);
	check_a(k.ans[0], "www.example.com");
	/* Made its own to change: no copy needed when nobody shares it. */
	mine = aw_dns_answer_own(k.ans[0]);
	assert_ptr_equal(mine, k.ans[0]);
	aw_dns_answer_free(mine);
	aw_loop_free(f.loop);
}

/* aw_dns_answer_own on a shared answer: a copy, equal and whole (the
 * authority section too), and the shared one loses one owner. */
static void
own_copies_a_shared_answer(void **state)
{
	struct aw_dns_answer *a = aw_dns_answer_new("x.example", AW_RECORD_NS,
	    AW_DNS_NODATA), *b, *mine;
	struct aw_dns_rr *rr;

	(void)state;
	assert_non_null(a);
	a->auth = calloc(1, sizeof *a->auth);
	assert_non_null(a->auth);
	a->nauth = 1;
	a->auth[0].name = strdup("example");
	a->auth[0].type = AW_RECORD_NS;
	a->auth[0].ttl = 60;
	a->auth[0].u.target = strdup("ns1.example");
	rr = aw_dns_answer_add(a, "x.example", AW_RECORD_TXT, 30);
	assert_int_equal(aw_dns_rr_add_string(rr, "hi", 2), AW_OK);
	b = aw_dns_answer_ref(a);
	assert_ptr_equal(b, a);
	assert_int_equal(a->shared, 1);
	mine = aw_dns_answer_own(b);
	assert_non_null(mine);
	assert_ptr_not_equal(mine, a);
	assert_int_equal(a->shared, 0);
	assert_int_equal(mine->shared, 0);
	mine->qname[0] = 'y';         /* changing it leaves a alone */
	assert_string_equal(a->qname, "x.example");
	assert_int_equal(mine->nrr, 1);
	assert_string_equal(mine->rr[0].u.txt.s[0].data, "hi");
	assert_int_equal(mine->nauth, 1);
	assert_string_equal(mine->auth[0].name, "example");
	assert_string_equal(mine->auth[0].u.target, "ns1.example");
	assert_int_equal(mine->auth[0].ttl, 60);
	aw_dns_answer_free(mine);
	aw_dns_answer_free(a);
}

static int
setup(void **state)
{
	char data[4096];

	(void)state;
	snprintf(data, sizeof data, "%s/data", AW_SRCDIR);
	setenv("AW_DATADIR", data, 1);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	aw_catalog_default_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_whole_check_asks_no_name_and_type_twice),
		cmocka_unit_test(unfinished_check_with_shared_answers_is_freed),
		cmocka_unit_test(ttl_cache_keeps_answers_for_their_ttl_only),
		cmocka_unit_test(ttl_cache_keeps_negative_answers_by_soa_minimum),
		cmocka_unit_test(shared_answer_is_freed_once),
		cmocka_unit_test(asker_frees_before_another_uses_it),
		cmocka_unit_test(own_copies_a_shared_answer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
