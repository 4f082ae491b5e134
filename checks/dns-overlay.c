/* dns-overlay.c: the zone as it will be, one SPF draft over a source (see
 * dns-overlay.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dns-overlay.h"
#include "checks/spf-terms.h"
#include "core/str.h"

struct aw_dns_overlay {
	struct aw_dns_source below;
	char *name;
	char *draft;
};

/* One TXT question at the name, in flight: holds its own copies. */
struct ov_query {
	char *name;
	char *draft;
	aw_dns_cb cb;
	void *arg;
};

/* TXT strings of at most 255 bytes (RFC 1035 §3.3.14). */
static void
add_text(struct aw_dns_answer *ans, const char *name, uint32_t ttl,
    const char *text)
{
	struct aw_dns_rr *rr = aw_dns_answer_add(ans, name, AW_RR_TXT, ttl);
	size_t len = strlen(text), off = 0;

	if (rr == NULL)
		return;
	do {
		size_t n = len - off > 255 ? 255 : len - off;

		if (aw_dns_rr_add_string(rr, text + off, n) != AW_OK)
			return;
		off += n;
	} while (off < len);
}

static void
ov_answer(struct aw_dns_answer *below, void *arg)
{
	struct ov_query *q = arg;
	struct aw_dns_answer *ans;
	bool have = below != NULL && below->result == AW_DNS_RECORDS;
	size_t i;

	/* Without the draft the name keeps what it answered (its failure
	 * too); with it, the draft is there whatever happened below. */
	ans = aw_dns_answer_new(q->name, AW_RR_TXT, AW_DNS_RECORDS);
	if (ans != NULL) {
		for (i = 0; have && i < below->nrr; i++) {
			char *txt;

			if (below->rr[i].type != AW_RR_TXT)
				continue;
			txt = aw_dns_txt_join(&below->rr[i], NULL);
			if (txt != NULL && !aw_spf_is_record_str(txt))
				add_text(ans, below->rr[i].name, below->rr[i].ttl, txt);
			free(txt);
		}
		if (q->draft != NULL)
			add_text(ans, q->name, 300, q->draft);
		if (ans->nrr == 0)
			ans->result = below == NULL ? AW_DNS_ERROR :
			    have ? AW_DNS_NODATA : below->result;
	}
	aw_dns_answer_free(below);
	q->cb(ans, q->arg);
	free(q->name);
	free(q->draft);
	free(q);
}

static enum aw_status
ov_query(void *impl, const char *name, enum aw_rrtype type, aw_dns_cb cb,
    void *arg)
{
	struct aw_dns_overlay *o = impl;
	struct ov_query *q;
	enum aw_status st;

	if (type != AW_RR_TXT || !aw_domain_equal(name, o->name))
		return aw_dns_query(&o->below, name, type, cb, arg);
	if ((q = calloc(1, sizeof *q)) == NULL)
		return AW_ERR_NOMEM;
	q->cb = cb;
	q->arg = arg;
	if ((q->name = strdup(name)) == NULL ||
	    (o->draft != NULL && (q->draft = strdup(o->draft)) == NULL)) {
		free(q->name);
		free(q);
		return AW_ERR_NOMEM;
	}
	if ((st = aw_dns_query(&o->below, name, type, ov_answer, q)) != AW_OK) {
		free(q->name);
		free(q->draft);
		free(q);
	}
	return st;
}

static void
ov_wait(void *impl, const bool *done)
{
	struct aw_dns_overlay *o = impl;

	if (o->below.ops->wait != NULL)
		o->below.ops->wait(o->below.impl, done);
}

static struct aw_loop *
ov_loop(void *impl)
{
	return aw_dns_source_loop(&((struct aw_dns_overlay *)impl)->below);
}

static const struct aw_dns_source_ops ov_ops = { ov_query, ov_wait, ov_loop };

struct aw_dns_overlay *
aw_dns_overlay_new(const struct aw_dns_source *below, const char *name,
    const char *spf_draft)
{
	struct aw_dns_overlay *o = calloc(1, sizeof *o);

	if (o == NULL)
		return NULL;
	o->below = *below;
	if ((o->name = strdup(name)) == NULL ||
	    (spf_draft != NULL && (o->draft = strdup(spf_draft)) == NULL)) {
		aw_dns_overlay_free(o);
		return NULL;
	}
	return o;
}

void
aw_dns_overlay_free(struct aw_dns_overlay *o)
{
	if (o == NULL)
		return;
	free(o->name);
	free(o->draft);
	free(o);
}

struct aw_dns_source
aw_dns_overlay_source(struct aw_dns_overlay *o)
{
	struct aw_dns_source s = { &ov_ops, o };

	return s;
}
