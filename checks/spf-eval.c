/* spf-eval.c: aw_spf_eval_check_host() (RFC 7208 §4-§6) over a DNS source, run
 * synchronously: the CLI command and the tests use it. The same code, in
 * tree mode (aw_spf_walk), builds the lookup tree of `check` and the TUI
 * over the answers spf-lint.c fetches asynchronously: it goes on past
 * the first error to count the whole tree, and notes on each record's
 * node what its lookups came to. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/ptr.h"
#include "checks/spf-eval.h"
#include "checks/spf-lint.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "core/strv.h"


static void
set_reason(struct eval *ev, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_reason(struct eval *ev, const char *fmt, ...)
{
	struct aw_buf b;
	va_list ap;

	/* The last reason wins: an outer term only sets one when it turns
	 * an inner result into its own (include of a record-less name). */
	free(ev->reason);
	aw_buf_init(&b);
	va_start(ap, fmt);
	aw_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	ev->reason = aw_buf_steal(&b);
}

/* The answer to name/type. NULL: no memory or, in tree mode, an answer
 * not in hand yet (ev->stop: unwind), or past the tree's query cap (the
 * lookup is skipped: see no_answer). Give it back with release. */
struct aw_dns_answer *
aw_spf_eval_ask(struct eval *ev, const char *name, enum aw_record_type type)
{
	const struct aw_dns_answer *a;
	struct aw_dns_answer *ans;

	if (ev->io == NULL) {
		ev->queries++;
		if ((ans = aw_dns_query_sync(ev->src, name, type)) == NULL)
			ev->nomem = ev->stop = true;
		return ans;
	}
	if (ev->queries >= AW_SPF_TREE_MAX_QUERIES)
		return NULL;
	ev->queries++;
	if ((a = ev->io->get(ev->io->arg, name, type)) == NULL) {
		if (ev->io->want != NULL)
			ev->io->want(ev->io->arg, name, type, true);
		ev->blocked = ev->stop = true;
	}
	/* Borrowed from the tree's cache, which nothing here changes. */
	return (struct aw_dns_answer *)a;
}

void
aw_spf_eval_release(struct eval *ev, struct aw_dns_answer *ans)
{
	if (ev->io == NULL)
		aw_dns_answer_free(ans);
}

/* aw_spf_eval_ask() gave nothing: unwind, or (past the tree's query cap) skip the
 * lookup as no match. */
static enum aw_spf_result
no_answer(struct eval *ev, const char *name, enum aw_record_type type)
{
	if (ev->stop)
		return AW_SPF_TEMPERROR;
	aw_spf_eval_event(ev, AW_SPF_EV_SKIPPED, name, type, AW_DNS_RECORDS, 0);
	return AW_SPF_NONE;
}

/* RFC 7208 §4.3: a malformed name (empty or >63-octet label, >253
 * octets, a single label, a domain literal) gives "none". */
static bool
name_ok(const char *name, bool need_dots)
{
	size_t len = strlen(name), label = 0, i, dots = 0;

	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > 253 || name[0] == '[')
		return false;
	for (i = 0; i < len; i++) {
		if (name[i] == '.') {
			if (label == 0)
				return false;
			label = 0;
			dots++;
		} else if (++label > 63) {
			return false;
		}
	}
	return label > 0 && (!need_dots || dots > 0);
}

static bool
cidr_match(const unsigned char *a, const unsigned char *b, int bits)
{
	int full = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* Counts a void lookup (RFC 7208 §4.6.4); false past the limit. */
static bool
count_void(struct eval *ev, const struct aw_dns_answer *ans,
    enum aw_record_type type)
{
	if (ans->result != AW_DNS_NXDOMAIN &&
	    aw_dns_answer_count(ans, type) > 0)
		return true;
	aw_spf_eval_event(ev, AW_SPF_EV_VOID, ans->qname, type, ans->result, 0);
	if (ev->cur != NULL)
		ev->cur->own_voids++;
	if (++ev->voids > AW_SPF_MAX_VOID) {
		set_reason(ev,
		    _("more than %d void lookups (names without an answer, RFC 7208 §4.6.4); the last was %s"),
		    AW_SPF_MAX_VOID, ans->qname);
		aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		/* Tree mode goes on, to count the whole tree. */
		return ev->tree != NULL;
	}
	return true;
}

static enum aw_spf_result
dns_failure(struct eval *ev, const struct aw_dns_answer *ans)
{
	set_reason(ev, _("DNS lookup of %s %s failed: %s"),
	    aw_record_type_name(ans->qtype), ans->qname,
	    aw_dns_result_text(ans->result));
	/* A record's own TXT lookup shows as its node's state instead. */
	if (ev->cur_term != NULL)
		aw_spf_eval_event(ev, AW_SPF_EV_DNS_FAILURE, ans->qname, ans->qtype,
		    ans->result, 0);
	if (ev->tree != NULL)
		ev->tree->dns_failure = true;
	return aw_spf_eval_produced(ev, AW_SPF_TEMPERROR);
}

/* Does any address of type at name match the client within bits?
 * Returns PASS (match), NONE (no match), TEMPERROR or PERMERROR. */
static enum aw_spf_result
addr_match(struct eval *ev, const char *name, int bits, bool void_counts)
{
	enum aw_record_type type = ev->env.family == 6 ? AW_RECORD_AAAA : AW_RECORD_A;
	struct aw_dns_answer *ans;
	enum aw_spf_result r = AW_SPF_NONE;
	size_t i;

	if (!name_ok(name, false))
		return AW_SPF_NONE;   /* not a name DNS can hold: no match */
	if ((ans = aw_spf_eval_ask(ev, name, type)) == NULL)
		return no_answer(ev, name, type);
	if (aw_dns_result_is_failure(ans->result)) {
		r = dns_failure(ev, ans);
		goto done;
	}
	if (void_counts && !count_void(ev, ans, type)) {
		r = AW_SPF_PERMERROR;
		goto done;
	}
	for (i = 0; i < ans->nrr && !ev->nomatch; i++)
		if (ans->rr[i].type == type && cidr_match(ans->rr[i].u.addr.raw,
		    ev->env.ip, bits))
			r = AW_SPF_PASS;
done:
	aw_spf_eval_release(ev, ans);
	return r;
}

/* RFC 7208 §5.5: the validated names of the client IP: PTR names (at
 * most 10) whose A/AAAA records hold the IP. DNS errors skip a name. */
static void
validate_ptrs(struct eval *ev)
{
	struct aw_dns_answer *ans;
	char *rev;
	size_t i, n = 0;

	if (ev->ptr_done)
		return;
	ev->ptr_done = true;
	if ((rev = aw_reverse_name_raw(ev->env.ip,
	    ev->env.family == 6 ? 6 : 4)) == NULL) {
		ev->nomem = true;
		return;
	}
	ans = aw_spf_eval_ask(ev, rev, AW_RECORD_PTR);
	free(rev);
	if (ans == NULL) {
		/* Unwinding, or past the tree's cap: no names. */
		ev->ptr_result = AW_DNS_ERROR;
		return;
	}
	ev->ptr_result = ans->result;
	if (ans->result == AW_DNS_RECORDS &&
	    aw_dns_answer_count(ans, AW_RECORD_PTR) == 0)
		ev->ptr_result = AW_DNS_NODATA;
	for (i = 0; i < ans->nrr && n < AW_SPF_MAX_PTR; i++) {
		struct aw_dns_answer *fw;
		enum aw_record_type type = ev->env.family == 6 ? AW_RECORD_AAAA :
		    AW_RECORD_A;
		const char *name = ans->rr[i].u.target;
		size_t k;

		if (ans->rr[i].type != AW_RECORD_PTR)
			continue;
		n++;   /* RFC 7208 §4.6.4: at most 10 PTR names looked at */
		if (name == NULL || !name_ok(name, false))
			continue;
		if ((fw = aw_spf_eval_ask(ev, name, type)) == NULL)
			break;
		for (k = 0; k < fw->nrr; k++) {
			if (fw->rr[k].type == type && memcmp(fw->rr[k].u.addr.raw,
			    ev->env.ip, type == AW_RECORD_A ? 4 : 16) == 0) {
				char *norm = aw_domain_normalize(name);

				if (norm == NULL || aw_strv_take(&ev->validated,
				    norm) != AW_OK)
					ev->nomem = true;
				break;
			}
		}
		aw_spf_eval_release(ev, fw);
	}
	aw_spf_eval_release(ev, ans);
}

/* RFC 7208 §7.3 %{p}: a validated name equal to <domain>, else one
 * below it, else any; "unknown" when none. */
static const char *
p_macro(void *arg)
{
	struct eval *ev = arg;
	const char *d = ev->env.domain, *pick = NULL;
	size_t i;

	validate_ptrs(ev);
	for (i = 0; i < ev->validated.n && pick == NULL; i++)
		if (aw_domain_equal(ev->validated.v[i], d))
			pick = ev->validated.v[i];
	for (i = 0; i < ev->validated.n && pick == NULL; i++)
		if (aw_domain_is_under(ev->validated.v[i], d))
			pick = ev->validated.v[i];
	if (pick == NULL && ev->validated.n > 0)
		pick = ev->validated.v[0];
	return pick ? pick : "unknown";
}

/* Expands a domain-spec (NULL: the current domain) into a new string. */
static char *
expand_domain(struct eval *ev, const char *spec, const struct aw_spf_term *t)
{
	struct aw_buf b;
	struct aw_error err;

	aw_buf_init(&b);
	if (spec == NULL)
		return aw_strdup(ev->env.domain);
	aw_error_clear(&err);
	if (aw_spf_macro_expand(spec, strlen(spec), false, &ev->env, &b,
	    &err) != AW_OK) {
		set_reason(ev, _("term \"%s\": %s"), t->text, err.msg);
		aw_buf_done(&b);
		return NULL;
	}
	return aw_buf_steal(&b);
}

/* The explanation of a fail (RFC 7208 §6.2); default on any problem. */
static void
explain(struct eval *ev, const struct aw_spf_record *rec)
{
	const struct aw_spf_term *t;
	struct aw_dns_answer *ans = NULL;
	struct aw_buf b;
	struct aw_error err;
	char *target = NULL, *txt = NULL;
	size_t len, i, ntxt = 0;
	long pick = -1;

	free(ev->explanation);
	ev->explanation = NULL;
	if (rec->exp < 0)
		return;
	t = &rec->terms[rec->exp];
	aw_buf_init(&b);
	aw_error_clear(&err);
	if (aw_spf_macro_expand(t->domain_spec, strlen(t->domain_spec), false,
	    &ev->env, &b, &err) != AW_OK)
		goto done;
	target = aw_buf_steal(&b);
	if (target == NULL || !name_ok(target, false))
		goto done;
	/* RFC 7208 §4.6.4: the exp= lookup is not a term that counts, nor
	 * a void lookup. */
	if ((ans = aw_spf_eval_ask(ev, target, AW_RECORD_TXT)) == NULL ||
	    ans->result != AW_DNS_RECORDS)
		goto done;
	if (ev->stop)
		goto done;
	for (i = 0; i < ans->nrr; i++) {
		if (ans->rr[i].type == AW_RECORD_TXT) {
			ntxt++;
			pick = (long)i;
		}
	}
	/* RFC 7208 §6.2: exactly one TXT record, else no exp= */
	if (ntxt != 1)
		goto done;
	if ((txt = aw_dns_txt_join(&ans->rr[pick], &len)) == NULL)
		goto done;
	aw_buf_init(&b);
	if (aw_spf_macro_expand(txt, len, true, &ev->env, &b, &err) == AW_OK)
		ev->explanation = aw_buf_steal(&b);
	else
		aw_buf_done(&b);
done:
	if (ans != NULL)
		aw_spf_eval_release(ev, ans);
	free(target);
	free(txt);
}

static enum aw_spf_result
eval_mx(struct eval *ev, const char *name, int bits)
{
	struct aw_dns_answer *ans;
	enum aw_spf_result r = AW_SPF_NONE;
	size_t i, n;

	if (!name_ok(name, false))
		return AW_SPF_NONE;
	if ((ans = aw_spf_eval_ask(ev, name, AW_RECORD_MX)) == NULL)
		return no_answer(ev, name, AW_RECORD_MX);
	if (aw_dns_result_is_failure(ans->result)) {
		r = dns_failure(ev, ans);
		goto done;
	}
	if (!count_void(ev, ans, AW_RECORD_MX)) {
		r = AW_SPF_PERMERROR;
		goto done;
	}
	/* RFC 7208 §4.6.4: more than 10 MX names is a permerror. */
	if ((n = aw_dns_answer_count(ans, AW_RECORD_MX)) > AW_SPF_MAX_MX) {
		set_reason(ev,
		    _("%s has %zu MX records; the \"mx\" mechanism allows at most %d (RFC 7208 §4.6.4)"),
		    name, n, AW_SPF_MAX_MX);
		aw_spf_eval_event(ev, AW_SPF_EV_MX_TOO_MANY, name, AW_RECORD_MX,
		    ans->result, n);
		r = aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		goto done;
	}
	for (i = 0; i < ans->nrr; i++)
		if (ans->rr[i].type == AW_RECORD_MX && ans->rr[i].u.mx.host)
			aw_spf_eval_want(ev, ans->rr[i].u.mx.host, ev->env.family == 6 ?
			    AW_RECORD_AAAA : AW_RECORD_A);
	for (i = 0; i < ans->nrr && r == AW_SPF_NONE && !ev->stop; i++) {
		if (ans->rr[i].type != AW_RECORD_MX || ans->rr[i].u.mx.host == NULL ||
		    ans->rr[i].u.mx.host[0] == '\0')
			continue;    /* the null MX "." (RFC 7505) */
		/* Address lookups of MX hosts count as void lookups when
		 * empty, as pyspf and Mail::SPF do. */
		r = addr_match(ev, ans->rr[i].u.mx.host, bits, true);
	}
done:
	aw_spf_eval_release(ev, ans);
	return r;
}

static enum aw_spf_result
eval_exists(struct eval *ev, const char *name)
{
	struct aw_dns_answer *ans;
	enum aw_spf_result r = AW_SPF_NONE;

	if (!name_ok(name, false))
		return AW_SPF_NONE;
	/* RFC 7208 §5.7: always an A query, whatever the client's family. */
	if ((ans = aw_spf_eval_ask(ev, name, AW_RECORD_A)) == NULL)
		return no_answer(ev, name, AW_RECORD_A);
	if (aw_dns_result_is_failure(ans->result))
		r = dns_failure(ev, ans);
	else if (!count_void(ev, ans, AW_RECORD_A))
		r = AW_SPF_PERMERROR;
	else if (aw_dns_answer_count(ans, AW_RECORD_A) > 0)
		r = AW_SPF_PASS;
	aw_spf_eval_release(ev, ans);
	return r;
}

static bool
count_lookup(struct eval *ev, const struct aw_spf_term *t)
{
	if (ev->cur != NULL)
		ev->cur->own_lookups++;
	/* RFC 7208 §4.6.4: at most 10 DNS-querying terms. */
	if (++ev->lookups > AW_SPF_MAX_LOOKUPS) {
		set_reason(ev,
		    _("more than %d DNS-querying terms (include, a, mx, ptr, exists, redirect; RFC 7208 §4.6.4), at \"%s\" in %s"),
		    AW_SPF_MAX_LOOKUPS, t->text, ev->env.domain);
		aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		/* Tree mode goes on, to count the whole tree. */
		return ev->tree != NULL;
	}
	return true;
}

static enum aw_spf_result
eval_ptr(struct eval *ev, const char *target)
{
	enum aw_spf_result r = AW_SPF_NONE;
	size_t i;

	if (ev->nomatch)
		return AW_SPF_NONE;   /* no client: nothing to look up */
	validate_ptrs(ev);
	/* RFC 7208 §5.5: a failed PTR lookup is no match. An empty one is
	 * a void lookup. */
	if (ev->ptr_result == AW_DNS_NXDOMAIN ||
	    ev->ptr_result == AW_DNS_NODATA) {
		if (ev->cur != NULL)
			ev->cur->own_voids++;
		if (++ev->voids > AW_SPF_MAX_VOID) {
			set_reason(ev,
			    _("more than %d void lookups (names without an answer, RFC 7208 §4.6.4)"),
			    AW_SPF_MAX_VOID);
			return aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		}
	}
	for (i = 0; i < ev->validated.n; i++)
		if (aw_domain_is_under(ev->validated.v[i], target))
			r = AW_SPF_PASS;
	return r;
}

static enum aw_spf_result
eval_include(struct eval *ev, const struct aw_spf_term *t,
    const char *target, unsigned depth)
{
	const char *saved = ev->env.domain;
	enum aw_spf_result ir;

	ir = aw_spf_eval_check_host(ev, target, depth + 1, false, t);
	ev->env.domain = saved;
	if (ev->stop)
		return AW_SPF_TEMPERROR;
	/* RFC 7208 §5.2: the include result table. */
	switch (ir) {
	case AW_SPF_PASS:
		return AW_SPF_PASS;
	case AW_SPF_FAIL: case AW_SPF_SOFTFAIL: case AW_SPF_NEUTRAL:
		return AW_SPF_NONE;
	case AW_SPF_NONE:
		set_reason(ev,
		    _("\"%s\" in %s: %s has no SPF record, which makes the include a permanent error (RFC 7208 §5.2)"),
		    t->text, saved, target);
		return aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
	case AW_SPF_TEMPERROR:
	case AW_SPF_PERMERROR:
		break;
	}
	return ir;
}

/* Evaluates one mechanism: PASS = matched, NONE = no match, or an
 * error result. */
static enum aw_spf_result
eval_mechanism(struct eval *ev, const struct aw_spf_term *t, unsigned depth)
{
	enum aw_spf_result r = AW_SPF_NONE;
	char *target = NULL;
	int bits;

	ev->cur_term = t;
	if (aw_spf_kind_counts(t->kind) && !count_lookup(ev, t))
		return AW_SPF_PERMERROR;
	if (aw_spf_eval_macro_skipped(ev, t))
		return AW_SPF_NONE;
	if (t->kind != AW_SPF_ALL && t->kind != AW_SPF_IP4 &&
	    t->kind != AW_SPF_IP6) {
		if ((target = expand_domain(ev, t->domain_spec, t)) == NULL)
			return ev->nomem ? AW_SPF_TEMPERROR :
			    aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
	}
	bits = ev->env.family == 6 ? (t->cidr6 >= 0 ? t->cidr6 : 128) :
	    (t->cidr4 >= 0 ? t->cidr4 : 32);
	switch (t->kind) {
	case AW_SPF_ALL:
		r = AW_SPF_PASS;
		break;
	case AW_SPF_IP4:
		if (!ev->nomatch && ev->env.family == 4 && cidr_match(t->addr,
		    ev->env.ip, t->cidr4 >= 0 ? t->cidr4 : 32))
			r = AW_SPF_PASS;
		break;
	case AW_SPF_IP6:
		if (!ev->nomatch && ev->env.family == 6 && cidr_match(t->addr,
		    ev->env.ip, t->cidr6 >= 0 ? t->cidr6 : 128))
			r = AW_SPF_PASS;
		break;
	case AW_SPF_A:
		r = addr_match(ev, target, bits, true);
		break;
	case AW_SPF_MX:
		r = eval_mx(ev, target, bits);
		break;
	case AW_SPF_EXISTS:
		r = eval_exists(ev, target);
		break;
	case AW_SPF_PTR:
		r = eval_ptr(ev, target);
		break;
	case AW_SPF_INCLUDE:
		r = eval_include(ev, t, target, depth);
		break;
	default:
		break;
	}
	free(target);
	return r;
}

static void
set_term(struct eval *ev, const char *term, const char *domain)
{
	free(ev->term);
	free(ev->term_domain);
	ev->term = aw_strdup(term);
	ev->term_domain = aw_strdup(domain);
}

static enum aw_spf_result
eval_redirect(struct eval *ev, const struct aw_spf_record *rec,
    const char *dom, unsigned depth, bool top)
{
	const struct aw_spf_term *t = &rec->terms[rec->redirect];
	enum aw_spf_result r;
	char *target;

	ev->cur_term = t;
	if (!count_lookup(ev, t))
		return AW_SPF_PERMERROR;
	if (aw_spf_eval_macro_skipped(ev, t))
		return AW_SPF_NEUTRAL;
	if ((target = expand_domain(ev, t->domain_spec, t)) == NULL)
		return ev->nomem ? AW_SPF_TEMPERROR :
		    aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
	r = aw_spf_eval_check_host(ev, target, depth + 1, top, t);
	ev->env.domain = dom;
	/* RFC 7208 §6.1: a target without SPF is a permerror. */
	if (r == AW_SPF_NONE && !ev->stop) {
		set_reason(ev,
		    _("\"%s\" in %s: %s has no SPF record, which makes the redirect a permanent error (RFC 7208 §6.1)"),
		    t->text, dom, target);
		r = aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		if (top && ev->term == NULL)
			set_term(ev, t->text, dom);
	}
	free(target);
	return r;
}

/* RFC 7208 §4.4, §4.5: the one SPF record among the TXT records of dom:
 * its text in *txt, or a result (none, permerror, temperror). */
static enum aw_spf_result
fetch_record(struct eval *ev, const char *dom, char **txt, size_t *len,
    struct aw_dns_answer **keep)
{
	struct aw_dns_answer *ans;
	enum aw_dns_result res;
	size_t i, n = 0;

	*txt = NULL;
	if ((ans = aw_spf_eval_ask(ev, dom, AW_RECORD_TXT)) == NULL) {
		if (ev->stop)
			return AW_SPF_TEMPERROR;
		if (ev->cur != NULL)
			aw_spf_node_set(ev->cur, AW_SPF_NODE_SKIPPED,
			    _("not looked at: the tree is too deep or too large"));
		return AW_SPF_NEUTRAL;
	}
	if (aw_dns_result_is_failure(ans->result)) {
		if (ev->cur != NULL)
			aw_spf_node_set(ev->cur, AW_SPF_NODE_DNS_ERROR,
			    aw_dns_result_text(ans->result));
		ev->cur_term = NULL;
		dns_failure(ev, ans);
		aw_spf_eval_release(ev, ans);
		return AW_SPF_TEMPERROR;
	}
	/* RFC 7208 §4.5: exactly one "v=spf1" TXT record; type 99 and
	 * other TXT records are ignored. */
	for (i = 0; i < ans->nrr; i++) {
		char *s;
		size_t sl;

		if (ans->rr[i].type != AW_RECORD_TXT)
			continue;
		if ((s = aw_dns_txt_join(&ans->rr[i], &sl)) == NULL) {
			ev->nomem = ev->stop = true;
			break;
		}
		if (aw_spf_is_record(s, sl)) {
			n++;
			free(*txt);
			*txt = s;
			*len = sl;
		} else {
			free(s);
		}
	}
	res = ans->result;
	if (ev->stop) {
		aw_spf_eval_release(ev, ans);
		return AW_SPF_TEMPERROR;
	}
	*keep = ans;
	if (n == 0) {
		if (ev->cur != NULL)
			aw_spf_node_set(ev->cur, AW_SPF_NODE_NONE,
			    res == AW_DNS_NXDOMAIN ? _("the name does not exist") :
			    _("no SPF record"));
		set_reason(ev, _("%s publishes no SPF record"), dom);
		return AW_SPF_NONE;
	}
	if (n > 1) {
		if (ev->cur != NULL) {
			char buf[128];

			snprintf(buf, sizeof buf, P_("%zu SPF record",
			    "%zu SPF records", n), n);
			aw_spf_eval_tree_record(ev, ans, NULL, *txt, *len);
			aw_spf_node_set(ev->cur, AW_SPF_NODE_MULTIPLE, buf);
		}
		set_reason(ev,
		    _("%s publishes %zu SPF records; more than one is a permanent error (RFC 7208 §4.5)"),
		    dom, n);
		return aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
	}
	return AW_SPF_PASS;   /* one record, in *txt */
}

void
aw_spf_eval_loop_reason(struct eval *ev, const char *domain,
    const struct aw_spf_term *via)
{
	set_reason(ev,
	    _("%s includes or redirects to itself through \"%s\" (a loop: RFC 7208 §4.6.4)"),
	    domain, via != NULL ? via->text : domain);
}

static bool
on_path(const struct eval *ev, const char *dom)
{
	size_t i;

	for (i = 0; i < ev->path.n; i++)
		if (strcmp(ev->path.v[i], dom) == 0)
			return true;
	return false;
}

/* RFC 7208 §4: aw_spf_eval_check_host(<ip>, <domain>, <sender>). top: the record's
 * own result is the final one (top level or a redirect chain), so its
 * deciding term and explanation are kept. via: the include or redirect
 * term that led here (NULL at the top). */
enum aw_spf_result
aw_spf_eval_check_host(struct eval *ev, const char *domain, unsigned depth, bool top,
    const struct aw_spf_term *via)
{
	struct aw_dns_answer *ans = NULL;
	struct aw_spf_record *rec = NULL;
	struct aw_spf_node *saved_cur = ev->cur, *node = NULL;
	const struct aw_spf_term *saved_term = ev->cur_term;
	struct aw_error err;
	char *txt = NULL, *dom = NULL;
	size_t i, len = 0;
	enum aw_spf_result r = AW_SPF_NEUTRAL;
	bool cut = false, pushed = false;

	if (ev->tree != NULL) {
		char *norm = aw_domain_normalize(domain);

		node = aw_spf_eval_enter_node(ev, norm ? norm : domain, via, depth, &cut);
		free(norm);
		if (node == NULL)
			return AW_SPF_TEMPERROR;
		if (cut)
			return AW_SPF_NEUTRAL;
		ev->cur = node;
	}
	if (depth > EVAL_DEPTH_MAX) {
		set_reason(ev, _("include or redirect nesting too deep at %s"),
		    domain);
		if (node != NULL)
			aw_spf_node_set(node, AW_SPF_NODE_SKIPPED,
			    _("not looked at: the tree is too deep or too large"));
		r = aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		goto done;
	}
	/* RFC 7208 §4.3: malformed or single-label domain: none. */
	if (!name_ok(domain, true)) {
		set_reason(ev, _("%s is not a valid multi-label domain name (RFC 7208 §4.3)"),
		    domain);
		if (node != NULL)
			aw_spf_node_set(node, AW_SPF_NODE_NONE,
			    _("not a valid domain name"));
		r = AW_SPF_NONE;
		goto done;
	}
	if ((dom = aw_domain_normalize(domain)) == NULL) {
		ev->nomem = ev->stop = true;
		r = AW_SPF_TEMPERROR;
		goto done;
	}
	ev->env.domain = dom;
	/* An include or redirect back to a record already on the path
	 * would only end at the lookup limit: a permerror at once, without
	 * asking for the record again. Tree mode cuts loops itself. */
	if (ev->tree == NULL && on_path(ev, dom)) {
		aw_spf_eval_loop_reason(ev, dom, via);
		r = aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		goto done;
	}
	if (ev->tree == NULL && aw_strv_push(&ev->path, dom) != AW_OK) {
		ev->nomem = ev->stop = true;
		r = AW_SPF_TEMPERROR;
		goto done;
	}
	pushed = ev->tree == NULL;
	if ((r = fetch_record(ev, dom, &txt, &len, &ans)) != AW_SPF_PASS)
		goto done;
	r = AW_SPF_NEUTRAL;
	/* RFC 7208 §4.6: a syntax error anywhere makes the whole record a
	 * permerror before anything is evaluated. */
	aw_error_clear(&err);
	if (aw_spf_parse(txt, len, &rec, &err) != AW_OK) {
		set_reason(ev, _("the SPF record of %s: %s"), dom, err.msg);
		if (node != NULL) {
			aw_spf_eval_tree_record(ev, ans, NULL, txt, len);
			aw_spf_node_set(node, AW_SPF_NODE_INVALID, err.msg);
		}
		r = aw_spf_eval_produced(ev, AW_SPF_PERMERROR);
		goto done;
	}
	if (node != NULL) {
		node->state = AW_SPF_NODE_OK;
		aw_spf_eval_tree_record(ev, ans, rec, txt, len);
		if (top)
			aw_spf_eval_tree_exp(ev, rec);
		if (ev->stop)
			goto done;
	}
	/* RFC 7208 §4.6.2: mechanisms in order; the first match decides. */
	for (i = 0; i < rec->nterms; i++) {
		const struct aw_spf_term *t = &rec->terms[i];
		enum aw_spf_result mr;

		if (t->kind >= AW_SPF_REDIRECT)
			continue;
		mr = eval_mechanism(ev, t, depth);
		ev->env.domain = dom;
		ev->cur_term = NULL;
		if (ev->stop)
			goto done;
		if (mr == AW_SPF_PASS) {
			r = t->qualifier;
			if (top)
				set_term(ev, t->text, dom);
			goto decided;
		}
		/* Tree mode: an error (the verdict, or one after it) is no
		 * match; the evaluation goes on to count the whole tree. */
		if (mr != AW_SPF_NONE && ev->tree == NULL) {
			r = mr;
			if (top && ev->term == NULL)
				set_term(ev, t->text, dom);
			goto done;
		}
	}
	/* RFC 7208 §6.1: redirect= applies when nothing matched and the
	 * record has no "all" mechanism. */
	if (rec->redirect >= 0 && rec->all < 0) {
		r = eval_redirect(ev, rec, dom, depth, top);
		goto done;
	}
	/* RFC 7208 §4.7: nothing matched: neutral. */
	r = AW_SPF_NEUTRAL;
	if (top)
		set_term(ev, "default", dom);
decided:
	if (top && r == AW_SPF_FAIL && ev->tree == NULL)
		explain(ev, rec);
done:
	if (pushed)
		free(ev->path.v[--ev->path.n]);
	if (ans != NULL)
		aw_spf_eval_release(ev, ans);
	aw_spf_record_free(rec);
	free(txt);
	free(dom);
	ev->env.domain = NULL;
	ev->cur = saved_cur;
	ev->cur_term = saved_term;
	return r;
}

void
aw_spf_outcome_done(struct aw_spf_outcome *out)
{
	if (out == NULL)
		return;
	free(out->explanation);
	free(out->term);
	free(out->term_domain);
	free(out->reason);
	memset(out, 0, sizeof *out);
}

void
aw_spf_eval_done(struct eval *ev)
{
	free(ev->sender);
	free(ev->local);
	free(ev->sender_domain);
	free(ev->explanation);
	free(ev->reason);
	free(ev->term);
	free(ev->term_domain);
	aw_strv_done(&ev->validated);
	aw_strv_done(&ev->path);
}

/* The macro environment of q (RFC 7208 §7.3) and the domain to check:
 * AW_ERR_INVALID when q->ip is not an address, AW_ERR_NOMEM. */
enum aw_status
aw_spf_eval_setup(struct eval *ev, const struct aw_spf_query *q, const char **domain)
{
	const char *at;
	unsigned char raw[16];

	if (q->ip != NULL && inet_pton(AF_INET, q->ip, raw) == 1) {
		ev->env.family = 4;
		memcpy(ev->env.ip, raw, 4);
	} else if (q->ip != NULL && inet_pton(AF_INET6, q->ip, raw) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0xff, 0xff };

		/* An IPv4-mapped IPv6 address is the IPv4 client it maps. */
		if (memcmp(raw, mapped, 12) == 0) {
			ev->env.family = 4;
			memcpy(ev->env.ip, raw + 12, 4);
		} else {
			ev->env.family = 6;
			memcpy(ev->env.ip, raw, 16);
		}
	} else {
		return AW_ERR_INVALID;
	}
	/* RFC 7208 §2.4, §4.3: an empty MAIL FROM is postmaster@HELO; a
	 * sender without local-part gets "postmaster". */
	if (q->sender != NULL && q->sender[0] != '\0') {
		at = strrchr(q->sender, '@');
		if (at == NULL) {
			ev->local = strdup("postmaster");
			ev->sender_domain = strdup(q->sender);
		} else {
			ev->local = at == q->sender ? strdup("postmaster") :
			    strndup(q->sender, (size_t)(at - q->sender));
			ev->sender_domain = strdup(at + 1);
		}
	} else {
		ev->local = strdup("postmaster");
		ev->sender_domain = strdup(q->helo ? q->helo : "");
	}
	if (ev->local == NULL || ev->sender_domain == NULL ||
	    (ev->sender = malloc(strlen(ev->local) +
	    strlen(ev->sender_domain) + 2)) == NULL)
		return AW_ERR_NOMEM;
	sprintf(ev->sender, "%s@%s", ev->local, ev->sender_domain);
	ev->env.sender = ev->sender;
	ev->env.local = ev->local;
	ev->env.sender_domain = ev->sender_domain;
	ev->env.helo = q->helo;
	ev->env.receiver = q->receiver;
	ev->env.now = q->now ? q->now : (long long)time(NULL);
	ev->env.ptr_name = p_macro;
	ev->env.ptr_arg = ev;
	*domain = q->domain && q->domain[0] ? q->domain : ev->sender_domain;
	return AW_OK;
}

/* check_host() over src, or over io's answers in hand (blocked: one is
 * not; io->want was told). */
static enum aw_status
check_host_run(const struct aw_dns_source *src,
    const struct aw_spf_walk_io *io, const struct aw_spf_query *q,
    struct aw_spf_outcome *out, struct aw_error *err, bool *blocked)
{
	struct eval ev;
	const char *domain = NULL;
	enum aw_status st = AW_OK;

	memset(out, 0, sizeof *out);
	memset(&ev, 0, sizeof ev);
	ev.src = src;
	ev.io = io;
	ev.q = q;
	aw_strv_init(&ev.validated);
	aw_strv_init(&ev.path);
	aw_error_clear(err);
	switch (aw_spf_eval_setup(&ev, q, &domain)) {
	case AW_OK:
		break;
	case AW_ERR_INVALID:
		aw_spf_eval_done(&ev);
		return aw_error_set(err, AW_ERR_INVALID,
		    _("not an IP address: %s"), q->ip ? q->ip : "");
	default:
		goto nomem;
	}
	out->result = aw_spf_eval_check_host(&ev, domain, 0, true, NULL);
	if (ev.nomem)
		goto nomem;
	if (blocked != NULL && (*blocked = ev.blocked))
		goto done;
	if (out->result == AW_SPF_FAIL) {
		out->explanation = ev.explanation;
		ev.explanation = NULL;
		if (out->explanation == NULL && (out->explanation = strdup(
		    q->default_explanation ? q->default_explanation :
		    _("the domain does not designate this host as a permitted sender")))
		    == NULL)
			goto nomem;
	}
	if (out->result == AW_SPF_NONE || out->result == AW_SPF_TEMPERROR ||
	    out->result == AW_SPF_PERMERROR) {
		out->reason = ev.reason;
		ev.reason = NULL;
	}
	out->term = ev.term;
	out->term_domain = ev.term_domain;
	ev.term = ev.term_domain = NULL;
	out->lookups = ev.lookups;
	out->void_lookups = ev.voids;
	out->queries = ev.queries;
	goto done;
nomem:
	aw_spf_outcome_done(out);
	st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
done:
	aw_spf_eval_done(&ev);
	return st;
}

enum aw_status
aw_spf_check_host(const struct aw_dns_source *src,
    const struct aw_spf_query *q, struct aw_spf_outcome *out,
    struct aw_error *err)
{
	return check_host_run(src, NULL, q, out, err, NULL);
}

enum aw_status
aw_spf_check_host_io(const struct aw_spf_walk_io *io,
    const struct aw_spf_query *q, struct aw_spf_outcome *out,
    struct aw_error *err, bool *blocked)
{
	*blocked = false;
	return check_host_run(NULL, io, q, out, err, blocked);
}
