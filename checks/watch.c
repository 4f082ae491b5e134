/* watch.c: rounds of direct queries to every authoritative server. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/watch.h"
#include "core/i18n.h"
#include "core/str.h"

struct aw_watch {
	struct aw_resolver *res;
	struct aw_loop *loop;
	struct aw_watch_item *items;
	size_t nitems;
	struct aw_watch_server *servers;
	size_t nservers;
	struct aw_watch_cell *cells;    /* nitems x nservers */
	struct aw_watch_host *hosts;
	size_t nhosts;
	unsigned pending;
	unsigned rounds;
	int interval_ms;
	int64_t deadline;
	struct aw_loop_timer *timer;
	aw_watch_cb cb;
	void *arg;
	bool running, finished, converged;
	bool free_when_idle;            /* freed while answers were out */
};

struct ask {
	struct aw_watch *w;
	size_t item;
	long server;                    /* -1: the configured resolvers */
};

struct aw_watch *
aw_watch_new(struct aw_resolver *res, struct aw_loop *loop)
{
	struct aw_watch *w = calloc(1, sizeof *w);

	if (w != NULL) {
		w->res = res;
		w->loop = loop;
	}
	return w;
}

static void watch_destroy(struct aw_watch *w);

void
aw_watch_free(struct aw_watch *w)
{
	if (w == NULL)
		return;
	aw_watch_stop(w);
	if (w->pending > 0) {
		/* Answers still to come point at w: the last one frees it. */
		w->free_when_idle = true;
		return;
	}
	watch_destroy(w);
}

static void
watch_destroy(struct aw_watch *w)
{
	size_t i;

	for (i = 0; i < w->nitems; i++) {
		free(w->items[i].name);
		free(w->items[i].value);
		free(w->items[i].old_value);
		free(w->items[i].zone);
	}
	for (i = 0; i < w->nservers; i++) {
		free(w->servers[i].label);
		free(w->servers[i].addr);
		aw_strv_done(&w->servers[i].zones);
	}
	for (i = 0; i < w->nhosts; i++) {
		free(w->hosts[i].label);
		free(w->hosts[i].state);
	}
	free(w->hosts);
	free(w->items);
	free(w->servers);
	free(w->cells);
	free(w);
}

enum aw_status
aw_watch_add(struct aw_watch *w, const char *name, enum aw_record_type type,
    enum aw_watch_how how, const char *value, const char *old_value)
{
	struct aw_watch_item *grown, *it;

	if (w->running)
		return AW_ERR_INVALID;
	grown = realloc(w->items, (w->nitems + 1) * sizeof *grown);
	if (grown == NULL)
		return AW_ERR_NOMEM;
	w->items = grown;
	it = &w->items[w->nitems];
	memset(it, 0, sizeof *it);
	it->name = aw_domain_normalize(name);
	it->type = type;
	it->how = how;
	it->value = strdup(value);
	it->old_value = aw_strdup(old_value);
	it->cache_ttl = -1;
	if (it->name == NULL || it->value == NULL ||
	    (old_value != NULL && it->old_value == NULL)) {
		free(it->name);
		free(it->value);
		free(it->old_value);
		return AW_ERR_NOMEM;
	}
	w->nitems++;
	return AW_OK;
}

enum aw_status
aw_watch_add_server(struct aw_watch *w, const char *label, const char *addr)
{
	struct aw_watch_server *grown;

	if (w->running)
		return AW_ERR_INVALID;
	grown = realloc(w->servers, (w->nservers + 1) * sizeof *grown);
	if (grown == NULL)
		return AW_ERR_NOMEM;
	w->servers = grown;
	grown[w->nservers].addr = strdup(addr);
	grown[w->nservers].label = strdup(label ? label : addr);
	aw_strv_init(&grown[w->nservers].zones);
	if (grown[w->nservers].addr == NULL || grown[w->nservers].label == NULL) {
		free(grown[w->nservers].addr);
		free(grown[w->nservers].label);
		return AW_ERR_NOMEM;
	}
	w->nservers++;
	return AW_OK;
}

static bool
zone_listed(const struct aw_strv *zones, const char *zone)
{
	size_t i;

	for (i = 0; i < zones->n; i++)
		if (aw_domain_equal(zones->v[i], zone))
			return true;
	return false;
}

enum aw_status
aw_watch_add_zone_server(struct aw_watch *w, const char *zone,
    const char *label, const char *addr)
{
	struct aw_watch_server *sv = NULL;
	enum aw_status st;
	size_t i;

	if (w->running)
		return AW_ERR_INVALID;
	for (i = 0; i < w->nservers && sv == NULL; i++)
		if (strcmp(w->servers[i].addr, addr) == 0)
			sv = &w->servers[i];
	if (sv == NULL) {
		if ((st = aw_watch_add_server(w, label, addr)) != AW_OK)
			return st;
		sv = &w->servers[w->nservers - 1];
	} else if (sv->zones.n == 0) {
		return AW_OK;       /* already asked for every item */
	}
	if (zone_listed(&sv->zones, zone))
		return AW_OK;
	return aw_strv_take(&sv->zones, aw_domain_normalize(zone));
}

enum aw_status
aw_watch_set_zone(struct aw_watch *w, size_t i, const char *zone)
{
	char *copy;

	if (i >= w->nitems || w->running)
		return AW_ERR_INVALID;
	if ((copy = aw_domain_normalize(zone)) == NULL)
		return AW_ERR_NOMEM;
	free(w->items[i].zone);
	w->items[i].zone = copy;
	return AW_OK;
}

bool
aw_watch_asks(const struct aw_watch *w, size_t item, size_t server)
{
	const struct aw_watch_server *sv;

	if (item >= w->nitems || server >= w->nservers)
		return false;
	sv = &w->servers[server];
	if (sv->zones.n == 0)
		return true;
	return w->items[item].zone != NULL &&
	    zone_listed(&sv->zones, w->items[item].zone);
}

size_t
aw_watch_item_nservers(const struct aw_watch *w, size_t i)
{
	size_t s, n = 0;

	for (s = 0; s < w->nservers; s++)
		if (aw_watch_asks(w, i, s))
			n++;
	return n;
}

enum aw_status
aw_watch_set_host_state(struct aw_watch *w, const char *label,
    const char *state, bool synced)
{
	struct aw_watch_host *h = NULL, *grown;
	char *copy = NULL;
	size_t i;

	if (state != NULL && (copy = strdup(state)) == NULL)
		return AW_ERR_NOMEM;
	for (i = 0; i < w->nhosts; i++)
		if (strcmp(w->hosts[i].label, label) == 0)
			h = &w->hosts[i];
	if (h == NULL) {
		grown = realloc(w->hosts, (w->nhosts + 1) * sizeof *grown);
		if (grown == NULL) {
			free(copy);
			return AW_ERR_NOMEM;
		}
		w->hosts = grown;
		h = &grown[w->nhosts];
		memset(h, 0, sizeof *h);
		if ((h->label = strdup(label)) == NULL) {
			free(copy);
			return AW_ERR_NOMEM;
		}
		w->nhosts++;
	}
	free(h->state);
	h->state = copy;
	h->synced = synced;
	return AW_OK;
}

size_t aw_watch_nhosts(const struct aw_watch *w) { return w->nhosts; }

const struct aw_watch_host *
aw_watch_host(const struct aw_watch *w, size_t i)
{
	return i < w->nhosts ? &w->hosts[i] : NULL;
}

/* The value of rr in the form watch items use. The caller frees. */
static char *
rr_value(const struct aw_dns_rr *rr)
{
	char *s = NULL;

	switch (rr->type) {
	case AW_RECORD_TXT:
		return aw_dns_txt_join(rr, NULL);
	case AW_RECORD_A:
	case AW_RECORD_AAAA:
		return strdup(rr->u.addr.text);
	case AW_RECORD_MX:
		if (asprintf(&s, "%u %s", rr->u.mx.preference, rr->u.mx.host) < 0)
			return NULL;
		return s;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
		return strdup(rr->u.target);
	default:
		return NULL;
	}
}

static bool
value_equal(enum aw_record_type type, const char *a, const char *b)
{
	unsigned char x[16], y[16];

	switch (type) {
	case AW_RECORD_A:
		return inet_pton(AF_INET, a, x) == 1 &&
		    inet_pton(AF_INET, b, y) == 1 && memcmp(x, y, 4) == 0;
	case AW_RECORD_AAAA:
		return inet_pton(AF_INET6, a, x) == 1 &&
		    inet_pton(AF_INET6, b, y) == 1 && memcmp(x, y, 16) == 0;
	case AW_RECORD_CNAME:
	case AW_RECORD_PTR:
	case AW_RECORD_NS:
	case AW_RECORD_MX:
		return aw_domain_equal(a, b);
	default:
		return strcmp(a, b) == 0;
	}
}

/* RFC 7208 §4.6.1: terms are separated by spaces; compare a term without
 * case and without a trailing dot on its domain. */
static bool
spf_has_term(const char *record, const char *term)
{
	size_t tl = strlen(term);
	const char *p = record;

	while (tl > 0 && term[tl - 1] == '.')
		tl--;
	while (*p != '\0') {
		const char *end;
		size_t len;

		while (*p == ' ')
			p++;
		end = p;
		while (*end != '\0' && *end != ' ')
			end++;
		len = (size_t)(end - p);
		while (len > 0 && p[len - 1] == '.')
			len--;
		if (len == tl && aw_strncasecmp(p, term, tl) == 0)
			return true;
		p = end;
	}
	return false;
}

static enum aw_watch_state
judge(const struct aw_watch_item *it, const struct aw_dns_answer *ans)
{
	bool has_new = false, has_old = false;
	size_t i, nspf = 0;

	if (aw_dns_result_is_failure(ans->result))
		return AW_WATCH_UNREACHABLE;
	for (i = 0; i < ans->nrr; i++) {
		char *v;

		if (ans->rr[i].type != it->type)
			continue;
		if ((v = rr_value(&ans->rr[i])) == NULL)
			continue;
		if (it->how == AW_WATCH_SPF_TERM ||
		    it->how == AW_WATCH_SPF_NO_TERM) {
			if (aw_str_has_prefix_ci(v, "v=spf1") &&
			    (v[6] == '\0' || v[6] == ' ')) {
				nspf++;
				if (spf_has_term(v, it->value))
					has_new = true;
				if (it->old_value && strcmp(v, it->old_value) == 0)
					has_old = true;
			}
		} else {
			if (value_equal(it->type, v, it->value))
				has_new = true;
			if (it->old_value &&
			    value_equal(it->type, v, it->old_value))
				has_old = true;
		}
		free(v);
	}
	switch (it->how) {
	case AW_WATCH_ABSENT:
		return has_new ? AW_WATCH_OLD : AW_WATCH_MATCH;
	case AW_WATCH_SPF_NO_TERM:
		/* The term is out of every SPF record served (with two, the
		 * old one may still hold it). */
		return has_new ? AW_WATCH_OLD : AW_WATCH_MATCH;
	case AW_WATCH_SPF_TERM:
		/* RFC 7208 §4.5: with two SPF records nothing matches. */
		if (has_new && nspf == 1)
			return AW_WATCH_MATCH;
		return has_old ? AW_WATCH_OLD : AW_WATCH_MISSING;
	case AW_WATCH_PRESENT:
	default:
		if (has_new)
			return AW_WATCH_MATCH;
		return has_old ? AW_WATCH_OLD : AW_WATCH_MISSING;
	}
}

static void round_start(struct aw_watch *w);

static void
on_interval(void *arg)
{
	struct aw_watch *w = arg;

	w->timer = NULL;
	round_start(w);
}

static void
round_end(struct aw_watch *w)
{
	size_t i, s;
	bool all = w->nitems > 0 && w->nservers > 0;

	for (i = 0; i < w->nitems; i++) {
		if (aw_watch_item_nservers(w, i) == 0)
			all = false;    /* nobody to ask: not known to be live */
		for (s = 0; s < w->nservers; s++)
			if (aw_watch_asks(w, i, s) &&
			    w->cells[i * w->nservers + s].state != AW_WATCH_MATCH)
				all = false;
	}
	for (i = 0; i < w->nhosts; i++)
		if (!w->hosts[i].synced)
			all = false;
	w->converged = all;
	w->rounds++;
	if (all || aw_loop_now_ms() + w->interval_ms >= w->deadline) {
		w->finished = true;
		w->running = false;
	} else {
		w->timer = aw_loop_timer_add(w->loop, w->interval_ms,
		    on_interval, w);
		if (w->timer == NULL) {
			w->finished = true;
			w->running = false;
		}
	}
	if (w->cb != NULL)
		w->cb(w, w->arg);
}

static void
on_answer(struct aw_dns_answer *ans, void *arg)
{
	struct ask *a = arg;
	struct aw_watch *w = a->w;
	struct aw_watch_item *it = &w->items[a->item];

	if (w->free_when_idle) {
		/* nothing to record */
	} else if (a->server >= 0) {
		struct aw_watch_cell *c =
		    &w->cells[a->item * w->nservers + (size_t)a->server];

		c->result = ans->result;
		c->state = judge(it, ans);
	} else {
		/* The resolvers: a cached answer that is not yet what we
		 * expect may live for its TTL (RFC 1035 §3.2.1; negative
		 * answers for the SOA minimum, RFC 2308 §5). */
		enum aw_watch_state s = judge(it, ans);
		size_t i;

		it->cache_ttl = -1;
		if (s == AW_WATCH_OLD || s == AW_WATCH_MISSING) {
			for (i = 0; i < ans->nrr; i++)
				if (ans->rr[i].type == it->type &&
				    (long)ans->rr[i].ttl > it->cache_ttl)
					it->cache_ttl = (long)ans->rr[i].ttl;
			if (it->cache_ttl < 0 && (ans->result ==
			    AW_DNS_NXDOMAIN || ans->result == AW_DNS_NODATA))
				it->cache_ttl = (long)ans->negative_ttl;
		}
	}
	aw_dns_answer_free(ans);
	free(a);
	if (--w->pending == 0) {
		if (w->free_when_idle)
			watch_destroy(w);
		else if (w->running)
			round_end(w);
	}
}

static void
ask(struct aw_watch *w, size_t item, long server)
{
	struct ask *a = calloc(1, sizeof *a);
	const struct aw_watch_item *it = &w->items[item];
	enum aw_status st;

	if (a == NULL)
		return;
	a->w = w;
	a->item = item;
	a->server = server;
	w->pending++;
	st = server >= 0 ?
	    aw_resolver_query_at(w->res, w->servers[server].addr, it->name,
	    it->type, on_answer, a) :
	    aw_resolver_query(w->res, it->name, it->type, on_answer, a);
	if (st != AW_OK) {
		w->pending--;
		free(a);
		if (server >= 0)
			w->cells[item * w->nservers + (size_t)server].state =
			    AW_WATCH_UNREACHABLE;
	}
}

static void
round_start(struct aw_watch *w)
{
	size_t i, s;

	for (i = 0; i < w->nitems; i++) {
		for (s = 0; s < w->nservers; s++)
			if (aw_watch_asks(w, i, s))
				ask(w, i, (long)s);
		ask(w, i, -1);
	}
	if (w->pending == 0)
		round_end(w);
}

enum aw_status
aw_watch_start(struct aw_watch *w, int interval_ms, int64_t deadline_ms,
    aw_watch_cb cb, void *arg)
{
	if (w->running || w->nitems == 0 || w->nservers == 0)
		return AW_ERR_INVALID;
	w->cells = calloc(w->nitems * w->nservers, sizeof *w->cells);
	if (w->cells == NULL)
		return AW_ERR_NOMEM;
	w->interval_ms = interval_ms > 0 ? interval_ms : 2000;
	w->deadline = deadline_ms;
	w->cb = cb;
	w->arg = arg;
	w->running = true;
	round_start(w);
	return AW_OK;
}

void
aw_watch_stop(struct aw_watch *w)
{
	if (w->timer != NULL) {
		aw_loop_timer_cancel(w->loop, w->timer);
		w->timer = NULL;
	}
	/* Answers still in flight find running false and only count down. */
	if (w->running) {
		w->running = false;
		w->finished = true;
	}
}

bool aw_watch_finished(const struct aw_watch *w) { return w->finished; }
bool aw_watch_converged(const struct aw_watch *w) { return w->converged; }
unsigned aw_watch_rounds(const struct aw_watch *w) { return w->rounds; }
size_t aw_watch_nitems(const struct aw_watch *w) { return w->nitems; }
size_t aw_watch_nservers(const struct aw_watch *w) { return w->nservers; }

const struct aw_watch_item *
aw_watch_item(const struct aw_watch *w, size_t i)
{
	return i < w->nitems ? &w->items[i] : NULL;
}

const struct aw_watch_server *
aw_watch_server(const struct aw_watch *w, size_t i)
{
	return i < w->nservers ? &w->servers[i] : NULL;
}

const struct aw_watch_cell *
aw_watch_cell(const struct aw_watch *w, size_t item, size_t server)
{
	if (item >= w->nitems || server >= w->nservers || w->cells == NULL)
		return NULL;
	return &w->cells[item * w->nservers + server];
}

const char *
aw_watch_state_name(enum aw_watch_state s)
{
	switch (s) {
	case AW_WATCH_WAITING: return "waiting";
	case AW_WATCH_MATCH: return "match";
	case AW_WATCH_OLD: return "old";
	case AW_WATCH_MISSING: return "missing";
	case AW_WATCH_UNREACHABLE: return "unreachable";
	}
	return "waiting";
}

const char *
aw_watch_state_text(enum aw_watch_state s)
{
	switch (s) {
	case AW_WATCH_WAITING: return _("waiting");
	case AW_WATCH_MATCH: return _("matches");
	case AW_WATCH_OLD: return _("still the old value");
	case AW_WATCH_MISSING: return _("missing");
	case AW_WATCH_UNREACHABLE: return _("unreachable");
	}
	return "";
}
