/* watch-discover.c: which nameservers to ask for each watched record.
 * The records of one change may live in different zones (a PTR in the
 * reverse zone of the mail host's address, RFC 1035 §3.5): group them by
 * the zone that holds them and ask each zone's own servers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/authority.h"
#include "checks/watch.h"
#include "core/i18n.h"
#include "core/str.h"

struct discover {
	struct aw_watch *w;
	struct aw_resolver *res;
	unsigned port;
	aw_watch_discover_cb cb;
	void *arg;
	struct aw_strv names;        /* distinct item names */
	struct aw_strv zones;        /* distinct zones found */
	struct aw_strv problems;
	unsigned pending;
};

struct lookup {
	struct discover *d;
	size_t index;                /* into names (phase 1) or zones */
};

static void discover_zones(struct discover *d);

static void
discover_done(struct discover *d)
{
	d->cb(d->w, &d->problems, d->arg);
	aw_strv_done(&d->names);
	aw_strv_done(&d->zones);
	aw_strv_done(&d->problems);
	free(d);
}

static void
push_problems(struct discover *d, const struct aw_strv *from)
{
	size_t i;

	for (i = 0; i < from->n; i++)
		if (aw_strv_find(&d->problems, from->v[i]) < 0)
			aw_strv_push(&d->problems, from->v[i]);
}

static bool
ask(struct discover *d, size_t index, bool zone_only, aw_authority_cb cb)
{
	struct lookup *l = calloc(1, sizeof *l);
	const char *name = zone_only ? d->names.v[index] : d->zones.v[index];

	if (l == NULL)
		return false;
	l->d = d;
	l->index = index;
	if ((zone_only ? aw_authority_find_zone(d->res, name, cb, l) :
	    aw_authority_find(d->res, name, cb, l)) != AW_OK) {
		free(l);
		return false;
	}
	d->pending++;
	return true;
}

/* Phase 2: a zone's nameservers and their addresses. */
static void
on_servers(struct aw_authority *auth, void *arg)
{
	struct lookup *l = arg;
	struct discover *d = l->d;
	const char *zone = d->zones.v[l->index];
	size_t i, k, added = 0;

	for (i = 0; i < auth->nns; i++)
		for (k = 0; k < auth->ns[i].addrs.n; k++) {
			const char *a = auth->ns[i].addrs.v[k];
			char addr[80], label[400];

			snprintf(addr, sizeof addr, strchr(a, ':') ?
			    "[%s]:%u" : "%s:%u", a, d->port);
			snprintf(label, sizeof label, "%s (%s)",
			    auth->ns[i].host, a);
			if (aw_watch_add_zone_server(d->w, zone, label, addr) ==
			    AW_OK)
				added++;
		}
	push_problems(d, &auth->problems);
	if (added == 0)
		aw_strv_pushf(&d->problems,
		    _("no authoritative nameserver found for the zone %s"), zone);
	aw_authority_free(auth);
	free(l);
	if (--d->pending == 0)
		discover_done(d);
}

static void
discover_zones(struct discover *d)
{
	size_t i;

	for (i = 0; i < d->zones.n; i++)
		if (!ask(d, i, false, on_servers))
			aw_strv_pushf(&d->problems,
			    _("no authoritative nameserver found for the zone %s"),
			    d->zones.v[i]);
	if (d->pending == 0)
		discover_done(d);
}

/* Phase 1: the zone that holds a name. */
static void
on_zone(struct aw_authority *auth, void *arg)
{
	struct lookup *l = arg;
	struct discover *d = l->d;
	const char *name = d->names.v[l->index];
	size_t i, n = aw_watch_nitems(d->w);

	if (auth->zone != NULL) {
		for (i = 0; i < n; i++)
			if (aw_domain_equal(aw_watch_item(d->w, i)->name, name))
				aw_watch_set_zone(d->w, i, auth->zone);
		if (aw_strv_find(&d->zones, auth->zone) < 0)
			aw_strv_push(&d->zones, auth->zone);
	} else {
		push_problems(d, &auth->problems);
		aw_strv_pushf(&d->problems,
		    _("the zone that holds %s was not found"), name);
	}
	aw_authority_free(auth);
	free(l);
	if (--d->pending == 0)
		discover_zones(d);
}

enum aw_status
aw_watch_discover(struct aw_watch *w, struct aw_resolver *res, unsigned port,
    aw_watch_discover_cb cb, void *arg)
{
	struct discover *d;
	size_t i, n = aw_watch_nitems(w);

	if (n == 0 || port == 0 || port > 65535)
		return AW_ERR_INVALID;
	if ((d = calloc(1, sizeof *d)) == NULL)
		return AW_ERR_NOMEM;
	d->w = w;
	d->res = res;
	d->port = port;
	d->cb = cb;
	d->arg = arg;
	aw_strv_init(&d->names);
	aw_strv_init(&d->zones);
	aw_strv_init(&d->problems);
	for (i = 0; i < n; i++) {
		const char *name = aw_watch_item(w, i)->name;

		if (aw_strv_find(&d->names, name) < 0 &&
		    aw_strv_push(&d->names, name) != AW_OK)
			break;
	}
	for (i = 0; i < d->names.n; i++)
		ask(d, i, true, on_zone);
	if (d->pending == 0) {
		aw_strv_done(&d->names);
		aw_strv_done(&d->zones);
		aw_strv_done(&d->problems);
		free(d);
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}
