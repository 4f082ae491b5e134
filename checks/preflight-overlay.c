/* preflight-overlay.c: a DNS source that answers the record sets a plan
 * changes from their "after" side and everything else from live DNS, so
 * the checks see the zone as it will be. Every answer still comes from
 * the live source's callback (the overlay asks live DNS too, for the
 * name's existence and a CNAME's target), so answers arrive from the
 * loop as the DNS source interface promises. */
#include "config.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "checks/preflight-overlay.h"
#include "core/str.h"

struct ov_query {
	struct aw_preflight_overlay *ov;
	struct ov_query *next, *prev;    /* in ov->inflight */
	char *name;
	enum aw_record_type type;
	const struct aw_record *after;   /* answer from this, or NULL */
	const struct aw_record *cname;   /* a planned CNAME at name, or NULL */
	aw_dns_cb cb;
	void *arg;
};

/* The change of name and type, or NULL. */
static const struct aw_preflight_change *
ov_change(const struct aw_preflight_overlay *ov, const char *name,
    enum aw_record_type type)
{
	size_t i;

	for (i = 0; i < ov->nchanges; i++) {
		const struct aw_record *a = ov->changes[i].after;

		if (a != NULL && a->type == type && aw_domain_equal(a->name, name))
			return &ov->changes[i];
	}
	return NULL;
}

/* One record of type from a value in the host-neutral form (record.h). */
static enum aw_status
ov_add_rr(struct aw_dns_answer *ans, const char *name, enum aw_record_type type,
    unsigned ttl, const char *value)
{
	struct aw_dns_rr *rr = aw_dns_answer_add(ans, name, type, ttl);
	size_t len, off;

	if (rr == NULL)
		return AW_ERR_NOMEM;
	switch (type) {
	case AW_RECORD_TXT:
		/* RFC 1035 §3.3.14: character-strings of at most 255 bytes. */
		len = strlen(value);
		off = 0;
		do {
			size_t n = len - off > 255 ? 255 : len - off;

			if (aw_dns_rr_add_string(rr, value + off, n) != AW_OK)
				return AW_ERR_NOMEM;
			off += n;
		} while (off < len);
		return AW_OK;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
		return (rr->u.target = aw_domain_normalize(value)) != NULL ?
		    AW_OK : AW_ERR_NOMEM;
	case AW_RECORD_A:
	case AW_RECORD_AAAA:
		if (inet_pton(type == AW_RECORD_A ? AF_INET : AF_INET6, value,
		    rr->u.addr.raw) != 1)
			return AW_ERR_INVALID;
		inet_ntop(type == AW_RECORD_A ? AF_INET : AF_INET6, rr->u.addr.raw,
		    rr->u.addr.text, sizeof rr->u.addr.text);
		return AW_OK;
	case AW_RECORD_MX: {
		char *end;
		unsigned long pref = strtoul(value, &end, 10);

		if (end == value || *end != ' ' || pref > 65535)
			return AW_ERR_INVALID;
		rr->u.mx.preference = (uint16_t)pref;
		while (*end == ' ')
			end++;
		return (rr->u.mx.host = aw_domain_normalize(end)) != NULL ?
		    AW_OK : AW_ERR_NOMEM;
	}
	default:
		return AW_ERR_INVALID;
	}
}

/* The answer from the planned record set; live says whether the name
 * exists when the set will be empty. */
static struct aw_dns_answer *
ov_planned(const struct ov_query *q, const struct aw_dns_answer *live)
{
	const struct aw_record *a = q->after;
	enum aw_dns_result res = AW_DNS_NODATA;
	struct aw_dns_answer *ans;
	size_t i;

	if (a->values.n > 0)
		res = AW_DNS_RECORDS;
	else if (live != NULL && live->result == AW_DNS_NXDOMAIN)
		res = AW_DNS_NXDOMAIN;
	if ((ans = aw_dns_answer_new(q->name, q->type, res)) == NULL)
		return NULL;
	for (i = 0; i < a->values.n; i++)
		/* A value the type cannot hold is left out: the host would
		 * refuse it, and the plan's own checks say so. */
		(void)ov_add_rr(ans, a->name, q->type, a->ttl ? a->ttl : 300,
		    a->values.v[i]);
	if (ans->nrr == 0 && res == AW_DNS_RECORDS)
		ans->result = AW_DNS_NODATA;
	return ans;
}

/* The target's live answer with the planned CNAME put in front. */
static struct aw_dns_answer *
ov_chased(const struct ov_query *q, struct aw_dns_answer *live)
{
	struct aw_dns_rr cname;
	char *qname;
	struct aw_dns_answer *own;

	if (live == NULL || (qname = strdup(q->name)) == NULL)
		return live;
	/* Changed below: the answer must be ours alone (dns.h). */
	if ((own = aw_dns_answer_own(live)) == NULL) {
		free(qname);
		return live;
	}
	live = own;
	if (ov_add_rr(live, q->cname->name, AW_RECORD_CNAME,
	    q->cname->ttl ? q->cname->ttl : 300, q->cname->values.v[0])
	    != AW_OK) {
		free(qname);
		return live;
	}
	cname = live->rr[live->nrr - 1];
	memmove(&live->rr[1], &live->rr[0], (live->nrr - 1) * sizeof cname);
	live->rr[0] = cname;
	free(live->qname);
	live->qname = qname;
	return live;
}

static void
ov_unlink(struct ov_query *q)
{
	if (q->prev != NULL)
		q->prev->next = q->next;
	else
		q->ov->inflight = q->next;
	if (q->next != NULL)
		q->next->prev = q->prev;
}

void
aw_preflight_overlay_abandon(struct aw_preflight_overlay *ov)
{
	struct ov_query *q, *next;

	for (q = ov->inflight; q != NULL; q = next) {
		next = q->next;
		free(q->name);
		free(q);
	}
	ov->inflight = NULL;
}

static void
ov_answer(struct aw_dns_answer *live, void *arg)
{
	struct ov_query *q = arg;
	struct aw_dns_answer *ans;

	ov_unlink(q);
	if (q->cname != NULL) {
		ans = ov_chased(q, live);
	} else {
		ans = ov_planned(q, live);
		aw_dns_answer_free(live);
	}
	if (ans == NULL)
		ans = aw_dns_answer_new(q->name, q->type, AW_DNS_ERROR);
	q->cb(ans, q->arg);
	free(q->name);
	free(q);
}

static enum aw_status
ov_query(void *impl, const char *name, enum aw_record_type type, aw_dns_cb cb,
    void *arg)
{
	struct aw_preflight_overlay *ov = impl;
	const struct aw_preflight_change *c, *cn;
	struct ov_query *q;
	const char *ask = name;
	enum aw_status st;

	c = ov_change(ov, name, type);
	cn = type == AW_RECORD_CNAME ? NULL : ov_change(ov, name, AW_RECORD_CNAME);
	if (cn != NULL && cn->after->values.n == 0)
		cn = NULL;
	if (c == NULL && cn == NULL)
		return aw_dns_query(ov->live, name, type, cb, arg);
	if ((q = calloc(1, sizeof *q)) == NULL)
		return AW_ERR_NOMEM;
	if ((q->name = strdup(name)) == NULL) {
		free(q);
		return AW_ERR_NOMEM;
	}
	q->ov = ov;
	q->type = type;
	q->cb = cb;
	q->arg = arg;
	if (cn != NULL) {
		/* RFC 1034 §3.6.2: a CNAME stands for every type at its name. */
		q->cname = cn->after;
		ask = cn->after->values.v[0];
	} else {
		q->after = c->after;
	}
	q->next = ov->inflight;
	if (ov->inflight != NULL)
		ov->inflight->prev = q;
	ov->inflight = q;
	if ((st = aw_dns_query(ov->live, ask, type, ov_answer, q)) != AW_OK) {
		ov_unlink(q);
		free(q->name);
		free(q);
	}
	return st;
}

static void
ov_wait(void *impl, const bool *done)
{
	const struct aw_preflight_overlay *ov = impl;

	ov->live->ops->wait(ov->live->impl, done);
}

static struct aw_loop *
ov_loop(void *impl)
{
	return aw_dns_source_loop(((const struct aw_preflight_overlay *)impl)->live);
}

static const struct aw_dns_source_ops ov_ops = {
	.query = ov_query,
	.wait = ov_wait,
	.loop = ov_loop,
};

struct aw_dns_source
aw_preflight_overlay_source(struct aw_preflight_overlay *ov)
{
	struct aw_dns_source s = { &ov_ops, ov };

	return s;
}
