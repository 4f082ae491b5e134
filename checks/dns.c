/* dns.c: answers as data; the source interface's synchronous helper. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dns.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/strv.h"

enum aw_status
aw_dns_query(const struct aw_dns_source *src, const char *name,
    enum aw_record_type type, aw_dns_cb cb, void *arg)
{
	return src->ops->query(src->impl, name, type, cb, arg);
}

struct aw_loop *
aw_dns_source_loop(const struct aw_dns_source *src)
{
	if (src == NULL || src->ops->loop == NULL)
		return NULL;
	return src->ops->loop(src->impl);
}

struct sync_wait {
	bool done;
	struct aw_dns_answer *ans;
};

static void
sync_cb(struct aw_dns_answer *ans, void *arg)
{
	struct sync_wait *w = arg;

	w->ans = ans;
	w->done = true;
}

struct aw_dns_answer *
aw_dns_query_sync(const struct aw_dns_source *src, const char *name,
    enum aw_record_type type)
{
	struct sync_wait w = { false, NULL };

	if (aw_dns_query(src, name, type, sync_cb, &w) != AW_OK)
		return aw_dns_answer_new(name, type, AW_DNS_ERROR);
	src->ops->wait(src->impl, &w.done);
	if (!w.done)
		return aw_dns_answer_new(name, type, AW_DNS_ERROR);
	return w.ans;
}

static char *
strip_dot_dup(const char *s)
{
	size_t n = strlen(s);
	char *p;

	if (n > 1 && s[n - 1] == '.')
		n--;
	p = malloc(n + 1);
	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

struct aw_dns_answer *
aw_dns_answer_new(const char *qname, enum aw_record_type qtype,
    enum aw_dns_result result)
{
	struct aw_dns_answer *a = calloc(1, sizeof *a);

	if (a == NULL)
		return NULL;
	a->qname = strip_dot_dup(qname ? qname : "");
	if (a->qname == NULL) {
		free(a);
		return NULL;
	}
	a->qtype = qtype;
	a->result = result;
	return a;
}

struct aw_dns_rr *
aw_dns_answer_add(struct aw_dns_answer *ans, const char *name,
    enum aw_record_type type, uint32_t ttl)
{
	struct aw_dns_rr *rr, *grown;

	if (ans->nrr >= AW_DNS_MAX_RRS) {
		ans->truncated_list = true;
		return NULL;
	}
	grown = realloc(ans->rr, (ans->nrr + 1) * sizeof *grown);
	if (grown == NULL)
		return NULL;
	ans->rr = grown;
	rr = &ans->rr[ans->nrr];
	memset(rr, 0, sizeof *rr);
	rr->name = strip_dot_dup(name ? name : "");
	if (rr->name == NULL)
		return NULL;
	rr->type = type;
	rr->ttl = ttl;
	ans->nrr++;
	return rr;
}

enum aw_status
aw_dns_rr_add_string(struct aw_dns_rr *rr, const char *data, size_t len)
{
	struct aw_dns_string *grown;
	char *copy;

	if (rr->u.txt.n >= AW_DNS_MAX_TXT_STRINGS)
		return AW_ERR_INVALID;
	copy = malloc(len + 1);
	if (copy == NULL)
		return AW_ERR_NOMEM;
	grown = realloc(rr->u.txt.s, (rr->u.txt.n + 1) * sizeof *grown);
	if (grown == NULL) {
		free(copy);
		return AW_ERR_NOMEM;
	}
	memcpy(copy, data, len);
	copy[len] = '\0';
	rr->u.txt.s = grown;
	rr->u.txt.s[rr->u.txt.n].data = copy;
	rr->u.txt.s[rr->u.txt.n].len = len;
	rr->u.txt.n++;
	return AW_OK;
}

static void
rr_done(struct aw_dns_rr *rr)
{
	size_t i;

	free(rr->name);
	switch (rr->type) {
	case AW_RECORD_MX:
		free(rr->u.mx.host);
		break;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
		free(rr->u.target);
		break;
	case AW_RECORD_TXT:
	case AW_RECORD_SPF:
		for (i = 0; i < rr->u.txt.n; i++)
			free(rr->u.txt.s[i].data);
		free(rr->u.txt.s);
		break;
	case AW_RECORD_SOA:
		free(rr->u.soa.mname);
		free(rr->u.soa.rname);
		break;
	default:
		break;
	}
}

void
aw_dns_answer_free(struct aw_dns_answer *ans)
{
	size_t i;

	if (ans == NULL)
		return;
	if (ans->shared > 0) {
		ans->shared--;
		return;
	}
	for (i = 0; i < ans->nrr; i++)
		rr_done(&ans->rr[i]);
	free(ans->rr);
	for (i = 0; i < ans->nauth; i++)
		rr_done(&ans->auth[i]);
	free(ans->auth);
	free(ans->qname);
	free(ans->soa_zone);
	free(ans->server);
	free(ans);
}

struct aw_dns_answer *
aw_dns_answer_ref(struct aw_dns_answer *ans)
{
	ans->shared++;
	return ans;
}

struct aw_dns_answer *
aw_dns_answer_own(struct aw_dns_answer *ans)
{
	struct aw_dns_answer *d;

	if (ans == NULL || ans->shared == 0)
		return ans;
	if ((d = aw_dns_answer_dup(ans)) == NULL)
		return NULL;
	aw_dns_answer_free(ans);
	return d;
}

static int
rr_copy(struct aw_dns_rr *dst, const struct aw_dns_rr *src)
{
	size_t i;

	switch (src->type) {
	case AW_RECORD_MX:
		dst->u.mx.preference = src->u.mx.preference;
		dst->u.mx.host = aw_strdup(src->u.mx.host);
		return dst->u.mx.host || !src->u.mx.host ? 0 : -1;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
		dst->u.target = aw_strdup(src->u.target);
		return dst->u.target || !src->u.target ? 0 : -1;
	case AW_RECORD_TXT:
	case AW_RECORD_SPF:
		for (i = 0; i < src->u.txt.n; i++)
			if (aw_dns_rr_add_string(dst, src->u.txt.s[i].data,
			    src->u.txt.s[i].len) != AW_OK)
				return -1;
		return 0;
	case AW_RECORD_SOA:
		dst->u.soa = src->u.soa;
		dst->u.soa.mname = aw_strdup(src->u.soa.mname);
		dst->u.soa.rname = aw_strdup(src->u.soa.rname);
		return dst->u.soa.mname && dst->u.soa.rname ? 0 : -1;
	default:
		dst->u = src->u;
		return 0;
	}
}

struct aw_dns_answer *
aw_dns_answer_dup(const struct aw_dns_answer *ans)
{
	struct aw_dns_answer *d;
	size_t i;

	d = aw_dns_answer_new(ans->qname, ans->qtype, ans->result);
	if (d == NULL)
		return NULL;
	d->negative_ttl = ans->negative_ttl;
	d->truncated_list = ans->truncated_list;
	if ((ans->soa_zone && !(d->soa_zone = strdup(ans->soa_zone))) ||
	    (ans->server && !(d->server = strdup(ans->server))))
		goto fail;
	for (i = 0; i < ans->nrr; i++) {
		struct aw_dns_rr *rr = aw_dns_answer_add(d, ans->rr[i].name,
		    ans->rr[i].type, ans->rr[i].ttl);

		if (rr == NULL || rr_copy(rr, &ans->rr[i]) != 0)
			goto fail;
	}
	/* The authority section's NS records too: a copy is the answer. */
	if (ans->nauth > 0 &&
	    (d->auth = calloc(ans->nauth, sizeof *d->auth)) == NULL)
		goto fail;
	for (i = 0; i < ans->nauth; i++) {
		struct aw_dns_rr *rr = &d->auth[i];

		rr->type = ans->auth[i].type;
		rr->ttl = ans->auth[i].ttl;
		d->nauth++;
		if ((rr->name = strdup(ans->auth[i].name)) == NULL ||
		    rr_copy(rr, &ans->auth[i]) != 0)
			goto fail;
	}
	return d;
fail:
	aw_dns_answer_free(d);
	return NULL;
}

size_t
aw_dns_answer_count(const struct aw_dns_answer *ans, enum aw_record_type type)
{
	size_t i, n = 0;

	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == type)
			n++;
	return n;
}

size_t
aw_dns_answer_txts(const struct aw_dns_answer *ans, struct aw_strv *out)
{
	size_t i, n = 0;

	for (i = 0; i < ans->nrr; i++) {
		char *txt;

		if (ans->rr[i].type != AW_RECORD_TXT)
			continue;
		if ((txt = aw_dns_txt_join(&ans->rr[i], NULL)) == NULL)
			continue;
		if (aw_strv_take(out, txt) == AW_OK)
			n++;
	}
	return n;
}

char *
aw_dns_txt_join(const struct aw_dns_rr *rr, size_t *len)
{
	size_t total = 0, i, off = 0;
	char *out;

	for (i = 0; i < rr->u.txt.n; i++)
		total += rr->u.txt.s[i].len;
	out = malloc(total + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < rr->u.txt.n; i++) {
		memcpy(out + off, rr->u.txt.s[i].data, rr->u.txt.s[i].len);
		off += rr->u.txt.s[i].len;
	}
	out[off] = '\0';
	if (len != NULL)
		*len = total;
	return out;
}

const char *
aw_dns_result_name(enum aw_dns_result r)
{
	switch (r) {
	case AW_DNS_RECORDS: return "records";
	case AW_DNS_NXDOMAIN: return "nxdomain";
	case AW_DNS_NODATA: return "nodata";
	case AW_DNS_SERVFAIL: return "servfail";
	case AW_DNS_REFUSED: return "refused";
	case AW_DNS_TIMEOUT: return "timeout";
	case AW_DNS_MALFORMED: return "malformed";
	case AW_DNS_ERROR: return "error";
	}
	return "error";
}

const char *
aw_dns_result_text(enum aw_dns_result r)
{
	switch (r) {
	case AW_DNS_RECORDS: return _("records found");
	case AW_DNS_NXDOMAIN: return _("no such domain (NXDOMAIN)");
	case AW_DNS_NODATA: return _("no record of this type (NODATA)");
	case AW_DNS_SERVFAIL: return _("DNS failure: server failure (SERVFAIL)");
	case AW_DNS_REFUSED: return _("DNS failure: query refused (REFUSED)");
	case AW_DNS_TIMEOUT: return _("DNS failure: no answer in time (timeout)");
	case AW_DNS_MALFORMED: return _("DNS failure: malformed answer");
	case AW_DNS_ERROR: return _("DNS failure: could not ask (network error)");
	}
	return _("DNS failure");
}

bool
aw_dns_result_is_failure(enum aw_dns_result r)
{
	return r != AW_DNS_RECORDS && r != AW_DNS_NXDOMAIN && r != AW_DNS_NODATA;
}
