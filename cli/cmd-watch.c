/* cmd-watch.c: `authwizard watch DOMAIN`: is the change live on every
 * authoritative nameserver yet? */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "checks/authority.h"
#include "checks/mta-sts.h"
#include "checks/watch.h"
#include "cli/args.h"
#include "cli/cli-provider.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"
#include "providers/apply.h"
#include "providers/expect.h"
#include "providers/host-poll.h"
#include "providers/journal.h"

enum {
	OPT_NAMESERVER,
	OPT_TIMEOUT,
	OPT_INTERVAL,
	OPT_ABSENT_TXT,
	OPT_NAMESERVER_PORT,
	OPT_PROVIDER
};

static const struct aw_cli_opt watch_options[] = {
	{ "nameserver", 0, required_argument, OPT_NAMESERVER, N_("HOST[:PORT]"),
	    N_("ask this server instead of the discovered ones (repeatable: "
	    "a new DNS host before the delegation moves, a hidden "
	    "primary), for every record") },
	{ "timeout", 0, required_argument, OPT_TIMEOUT, N_("SECONDS"),
	    N_("give up after this long (default 300)") },
	{ "interval", 0, required_argument, OPT_INTERVAL, N_("SECONDS"),
	    N_("between rounds (default 5)") },
	{ "absent-txt", 0, required_argument, OPT_ABSENT_TXT, N_("NAME=VALUE"),
	    N_("NAME no longer has this TXT record") },
	{ "nameserver-port", 0, required_argument, OPT_NAMESERVER_PORT, N_("PORT"),
	    N_("ask the discovered nameservers at PORT (default 53)") },
	/* Refused with a reason: the journal names the host. */
	{ "provider", 0, required_argument, OPT_PROVIDER, NULL,
	    NULL },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
watch_usage(FILE *out)
{
	fprintf(out, _("Usage: %s watch DOMAIN [OPTIONS] [RECORD OPTIONS]\n"
	    "Ask the authoritative nameservers of each record's zone directly, again\n"
	    "and again, until each expected record is served by all of them or the\n"
	    "time is up (a PTR record is asked at the servers of its reverse zone).\n"
	    "Without record options, the records of the last 'apply' to DOMAIN (its\n"
	    "journal) are watched: each value it put in must be served, each value it\n"
	    "took out must be gone (after 'undo': the old values must be back); when\n"
	    "Route 53 made the change, its own state (GetChange PENDING or INSYNC) is\n"
	    "asked for too and must be INSYNC.\n"
	    "The resolvers (--dns-server) are asked as well: the table says how long\n"
	    "their caches may keep serving the previous answer.\n\n"), aw_cli_progname);
	fputs(_("Record options (the same as 'plan'; the record must be served):\n"
	    "  --spf-include X         the one SPF record at DOMAIN has include:X\n"
	    "  --spf-ip4 NET, --spf-ip6 NET, --spf-all -all|~all|?all\n"
	    "                          ... has this term\n"
	    "  --dkim-cname SEL=TARGET SEL._domainkey is a CNAME to TARGET\n"
	    "  --dkim-key FILE --selector S\n"
	    "                          S._domainkey has the DKIM record of FILE\n"
	    "  --dmarc RECORD          _dmarc has this TXT record\n"
	    "  --txt NAME=VALUE        NAME has this TXT record (NAME relative to DOMAIN,\n"
	    "                          '@' for DOMAIN itself, absolute when it ends in '.')\n"
	    "  --a NAME=IPV4, --aaaa NAME=IPV6, --ptr IP=HOST\n"
	    "                          the address of a mail host, a PTR record\n"
	    "\n"
	    "Options:\n"), out);
	aw_cli_args_usage(out, watch_options, NULL);
	fputs(_("  --json                  print one JSON document at the end\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("To ask Route 53 for the state of the last apply's change, its\n"
	    "credentials as for 'apply' (without them the state is not shown).\n"), out);
	aw_cli_provider_usage_hosts(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every record matches on every nameserver (and Route 53 says\n"
	    "INSYNC); 1 not (yet) when the time was up; 2 usage error; 3 no nameserver\n"
	    "could be found; 6 no record options and no journal of an apply to DOMAIN.\n"), out);
}

/* NAME as given to --absent-txt: relative to domain unless '@' or ending
 * in '.'. */
static char *
absolute_name(const char *name, const char *domain)
{
	char *out = NULL, *ascii = NULL;
	size_t len = strlen(name);

	if (strcmp(name, "@") == 0)
		return strdup(domain);
	if (aw_domain_to_ascii(name, &ascii, NULL) != AW_OK)
		return NULL;
	if ((len > 0 && name[len - 1] == '.') || aw_domain_is_under(ascii, domain))
		return ascii;
	if (asprintf(&out, "%s.%s", ascii, domain) < 0)
		out = NULL;
	free(ascii);
	return out;
}

static bool
split_pair(const char *arg, char **left, const char **right)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return false;
	*left = strndup(arg, (size_t)(eq - arg));
	*right = eq + 1;
	return *left != NULL;
}

static void
print_table(struct aw_watch *w, bool final)
{
	size_t i, s;

	printf(final ? _("Propagation after %u rounds:\n") :
	    _("Round %u:\n"), aw_watch_rounds(w));
	for (i = 0; i < aw_watch_nhosts(w); i++) {
		const struct aw_watch_host *h = aw_watch_host(w, i);

		printf("  %s: ", h->label);
		if (h->state != NULL)
			aw_cli_put_escaped(stdout, h->state, 100);
		else
			fputs(_("asking"), stdout);
		putchar('\n');
	}
	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);

		printf("  %s ", aw_record_type_name(it->type));
		aw_cli_put_escaped(stdout, it->name, 300);
		fputs(it->how == AW_WATCH_ABSENT ||
		    it->how == AW_WATCH_SPF_NO_TERM ? _("  without ") : "  ", stdout);
		aw_cli_put_escaped(stdout, it->value, 200);
		putchar('\n');
		if (it->zone != NULL) {
			char *z = aw_str_escape_dup(it->zone, strlen(it->zone),
			    300);

			printf(_("      zone %s, asked at:\n"), z ? z : "?");
			free(z);
		}
		for (s = 0; s < aw_watch_nservers(w); s++) {
			const struct aw_watch_server *sv = aw_watch_server(w, s);
			const struct aw_watch_cell *c = aw_watch_cell(w, i, s);

			if (!aw_watch_asks(w, i, s))
				continue;

			printf("      %-28s %s", sv->label,
			    aw_watch_state_text(c->state));
			if (c->state == AW_WATCH_UNREACHABLE)
				printf(" (%s)", aw_dns_result_name(c->result));
			putchar('\n');
		}
		if (it->cache_ttl >= 0)
			printf(_("      resolvers may keep serving the previous answer for up to %ld s\n"),
			    it->cache_ttl);
	}
	fflush(stdout);
}

static bool
same_text(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Route 53 GetChange (providers/host-poll.h): the host's state of each
 * change goes into the watch, which does not converge before it is
 * synced. */
static void
on_host_state(struct aw_host_poll *hp, const char *state, bool synced,
    void *arg)
{
	aw_watch_set_host_state(arg, hp->label, state, synced);
}

struct watch_run {
	bool json;
	char *last;            /* states of the last round, to print changes */
	struct aw_host_poll *polls;
	size_t npolls;
};

static void
on_round(struct aw_watch *w, void *arg)
{
	struct watch_run *r = arg;
	struct aw_buf b;
	size_t i, s;

	if (!aw_watch_finished(w))
		for (i = 0; i < r->npolls; i++)
			aw_host_poll_ask(&r->polls[i]);
	aw_buf_init(&b);
	for (i = 0; i < aw_watch_nitems(w); i++)
		for (s = 0; s < aw_watch_nservers(w); s++)
			if (aw_watch_asks(w, i, s))
				aw_buf_putc(&b,
				    (char)('0' + aw_watch_cell(w, i, s)->state));
	for (i = 0; i < aw_watch_nhosts(w); i++)
		aw_buf_printf(&b, "|%s", aw_watch_host(w, i)->state ?
		    aw_watch_host(w, i)->state : "");
	if (b.data == NULL)
		return;
	if (!r->json && !aw_watch_finished(w) &&
	    (r->last == NULL || strcmp(r->last, aw_buf_str(&b)) != 0))
		print_table(w, false);
	free(r->last);
	r->last = aw_buf_steal(&b);
}

static json_t *
watch_json(struct aw_watch *w, const char *domain)
{
	json_t *root = json_object(), *items = json_array(), *servers =
	    json_array();
	size_t i, s;

	json_object_set_new(root, "domain", json_string(domain));
	json_object_set_new(root, "converged", json_boolean(aw_watch_converged(w)));
	json_object_set_new(root, "rounds", json_integer(aw_watch_rounds(w)));
	for (s = 0; s < aw_watch_nservers(w); s++) {
		const struct aw_watch_server *sv = aw_watch_server(w, s);
		json_t *o = json_object(), *zones = json_array();
		size_t z;

		json_object_set_new(o, "name", aw_json_text(sv->label));
		json_object_set_new(o, "address", aw_json_text(sv->addr));
		/* [] when given with --nameserver: asked for every record. */
		for (z = 0; z < sv->zones.n; z++)
			json_array_append_new(zones, aw_json_text(sv->zones.v[z]));
		json_object_set_new(o, "zones", zones);
		json_array_append_new(servers, o);
	}
	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);
		json_t *o = json_object(), *st = json_object();

		json_object_set_new(o, "name", aw_json_text(it->name));
		json_object_set_new(o, "type", json_string(aw_record_type_name(it->type)));
		json_object_set_new(o, "expect", json_string(
		    it->how == AW_WATCH_ABSENT ? "absent" :
		    it->how == AW_WATCH_SPF_TERM ? "spf-term" :
		    it->how == AW_WATCH_SPF_NO_TERM ? "no-spf-term" : "present"));
		json_object_set_new(o, "value", aw_json_text(it->value));
		json_object_set_new(o, "zone", it->zone != NULL ?
		    aw_json_text(it->zone) : json_null());
		for (s = 0; s < aw_watch_nservers(w); s++)
			if (aw_watch_asks(w, i, s))
				json_object_set_new(st, aw_watch_server(w, s)->label,
			    json_string(aw_watch_state_name(
			    aw_watch_cell(w, i, s)->state)));
		json_object_set_new(o, "servers", st);
		json_object_set_new(o, "cache_ttl", it->cache_ttl >= 0 ?
		    json_integer(it->cache_ttl) : json_null());
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "nameservers", servers);
	{
		json_t *hosts = json_array();

		for (i = 0; i < aw_watch_nhosts(w); i++) {
			const struct aw_watch_host *h = aw_watch_host(w, i);
			json_t *o = json_object();

			json_object_set_new(o, "label", aw_json_text(h->label));
			json_object_set_new(o, "state", h->state ?
			    aw_json_text(h->state) : json_null());
			json_object_set_new(o, "synced", json_boolean(h->synced));
			json_array_append_new(hosts, o);
		}
		json_object_set_new(root, "host_changes", hosts);
	}
	json_object_set_new(root, "records", items);
	return root;
}

/* RFC 8461 §3.1: senders fetch an MTA-STS policy again only when the
 * id of the _mta-sts record changes. What the watched records do to it
 * (checks/mta-sts.h), said before the watch starts (text), or into arr
 * (--json "mta_sts_ids"). */
static void
mta_sts_ids(struct aw_watch *w, json_t *arr)
{
	static const char *const words[] = { "", "new", "changed", "same",
	    "gone" };
	size_t i, k;

	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);
		enum aw_mta_sts_id_change c;
		char *old_id, *new_id;
		bool replaced = false;

		if (it->type != AW_RECORD_TXT)
			continue;
		if (it->how == AW_WATCH_ABSENT) {
			/* Gone, unless a new record takes its place. */
			for (k = 0; k < aw_watch_nitems(w); k++) {
				const struct aw_watch_item *o = aw_watch_item(w, k);

				if (o->how == AW_WATCH_PRESENT &&
				    o->type == AW_RECORD_TXT &&
				    aw_domain_equal(o->name, it->name) &&
				    aw_mta_sts_is_record(o->value, strlen(o->value)))
					replaced = true;
			}
			if (replaced)
				continue;
			c = aw_mta_sts_id_compare(it->name, it->value, NULL,
			    &old_id, &new_id);
		} else {
			c = aw_mta_sts_id_compare(it->name, it->old_value,
			    it->value, &old_id, &new_id);
		}
		if (c != AW_MTA_STS_ID_NONE && arr != NULL) {
			json_t *o = json_object();

			json_object_set_new(o, "name", aw_json_text(it->name));
			json_object_set_new(o, "change", json_string(words[c]));
			json_object_set_new(o, "old_id", old_id ?
			    aw_json_text(old_id) : json_null());
			json_object_set_new(o, "new_id", new_id ?
			    aw_json_text(new_id) : json_null());
			json_array_append_new(arr, o);
		} else if (c != AW_MTA_STS_ID_NONE) {
			char *n = aw_str_escape_dup(it->name, strlen(it->name), 300);
			char *a = old_id ? aw_str_escape_dup(old_id, strlen(old_id),
			    40) : NULL;
			char *b = new_id ? aw_str_escape_dup(new_id, strlen(new_id),
			    40) : NULL;

			if (c == AW_MTA_STS_ID_CHANGED)
				printf(_("MTA-STS: the id at %s changes from %s to %s: senders fetch the policy again once they see it (RFC 8461 §3.1)\n"),
				    n ? n : "", a ? a : "?", b ? b : "?");
			else if (c == AW_MTA_STS_ID_NEW)
				printf(_("MTA-STS: %s announces a policy, id %s: senders fetch it once they see the record (RFC 8461 §3.1)\n"),
				    n ? n : "", b ? b : "?");
			else if (c == AW_MTA_STS_ID_SAME)
				printf(_("MTA-STS: the id at %s stays %s: senders that cached the policy keep it; change the id whenever the policy changes (RFC 8461 §3.1)\n"),
				    n ? n : "", b ? b : "?");
			else
				printf(_("MTA-STS: the record at %s goes (id %s): senders keep the policy they cached until its max_age runs out (RFC 8461 §8.3: publish mode none first)\n"),
				    n ? n : "", a ? a : "?");
			free(n);
			free(a);
			free(b);
		}
		free(old_id);
		free(new_id);
	}
	if (arr == NULL)
		fflush(stdout);
}

struct found {
	bool done;
	bool json;
};

static void
on_discovered(struct aw_watch *w, const struct aw_strv *problems, void *arg)
{
	struct found *f = arg;
	size_t i;

	(void)w;
	for (i = 0; !f->json && i < problems->n; i++) {
		printf(_("note: "));
		aw_cli_put_escaped(stdout, problems->v[i], 0);
		putchar('\n');
	}
	f->done = true;
}

/* "HOST[:PORT]" to one or more "ip:port" servers. */
static bool
add_nameserver(struct aw_watch *w, struct aw_session *dns, const char *arg)
{
	char host[256], addr[300];
	const char *port = "53", *colon;
	unsigned char raw[16];
	struct aw_dns_source src = aw_resolver_source(dns->res);
	struct aw_dns_answer *ans;
	bool any = false;
	size_t i;
	int t;

	if (arg[0] == '[') {
		const char *end = strchr(arg, ']');

		if (end == NULL || (size_t)(end - arg - 1) >= sizeof host)
			return false;
		memcpy(host, arg + 1, (size_t)(end - arg - 1));
		host[end - arg - 1] = '\0';
		if (end[1] == ':')
			port = end + 2;
	} else if ((colon = strchr(arg, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		if ((size_t)(colon - arg) >= sizeof host)
			return false;
		memcpy(host, arg, (size_t)(colon - arg));
		host[colon - arg] = '\0';
		port = colon + 1;
	} else {
		snprintf(host, sizeof host, "%s", arg);
	}
	if (inet_pton(AF_INET, host, raw) == 1) {
		snprintf(addr, sizeof addr, "%s:%s", host, port);
		return aw_watch_add_server(w, arg, addr) == AW_OK;
	}
	if (inet_pton(AF_INET6, host, raw) == 1) {
		snprintf(addr, sizeof addr, "[%s]:%s", host, port);
		return aw_watch_add_server(w, arg, addr) == AW_OK;
	}
	for (t = 0; t < 2; t++) {
		ans = aw_dns_query_sync(&src, host, t ? AW_RECORD_AAAA : AW_RECORD_A);
		for (i = 0; ans != NULL && i < ans->nrr; i++) {
			if (ans->rr[i].type != ans->qtype)
				continue;
			snprintf(addr, sizeof addr, t ? "[%s]:%s" : "%s:%s",
			    ans->rr[i].u.addr.text, port);
			char label[600];
			snprintf(label, sizeof label, "%s (%s)", host,
			    ans->rr[i].u.addr.text);
			any |= aw_watch_add_server(w, label, addr) == AW_OK;
		}
		aw_dns_answer_free(ans);
	}
	return any;
}

/* The records to expect: from the record options, or from the journal
 * of the last apply (then also its Route 53 change ids). Returns an exit
 * code. */
static int
watch_expect(struct aw_watch *w, struct aw_cli_provider *cp, bool run_json,
    const struct aw_strv *absent, const char *domain, const char *zone,
    struct aw_plan *journal, struct aw_strv *change_ids,
    struct aw_strv *skipped)
{
	struct aw_wants wants;
	struct aw_error err;
	size_t i, n = 0;
	enum aw_status st = AW_OK;

	aw_error_clear(&err);
	if (aw_cli_provider_has_wants(cp)) {
		aw_wants_init(&wants);
		if (!aw_cli_provider_wants(cp, "watch", domain, &wants)) {
			aw_wants_done(&wants);
			return AW_EXIT_USAGE;
		}
		st = aw_expect_wants_under(w, &wants, zone, &n, skipped);
		aw_wants_done(&wants);
	} else if (absent->n == 0) {
		st = aw_journal_load(domain, journal, &err);
		if (st == AW_ERR_NOTFOUND) {
			/* The last apply was undone: watch the old values
			 * come back. */
			struct aw_plan undone;

			aw_plan_done(journal);
			st = aw_journal_load_undone(domain, &undone, &err);
			if (st == AW_OK) {
				st = aw_undo_plan(&undone, journal, &err);
				aw_plan_done(&undone);
				if (st == AW_OK && !run_json)
					printf(_("The last apply to %s was undone: watching its old values come back.\n"),
					    domain);
			} else
				aw_plan_done(&undone);
		}
		if (st == AW_ERR_NOTFOUND) {
			aw_cli_error(_("no journal of an apply to %s: give the records to watch (--txt, --spf-include, --dkim-cname, --dmarc, ...)"),
			    domain);
			return AW_EXIT_IO;
		}
		if (st != AW_OK) {
			aw_cli_provider_error(&err);
			return st == AW_ERR_NOMEM ? AW_EXIT_INTERNAL : AW_EXIT_IO;
		}
		if ((st = aw_expect_plan_under(w, journal, zone, &n,
		    skipped)) == AW_OK)
			st = aw_expect_change_ids(journal, change_ids);
		if (st == AW_OK && n == 0 && change_ids->n == 0 &&
		    skipped->n == 0)
			return -1;      /* nothing the last apply changed */
	}
	for (i = 0; st == AW_OK && i < absent->n; i++) {
		char *left = NULL, *name = NULL;
		const char *right;

		if (!split_pair(absent->v[i], &left, &right) ||
		    (name = absolute_name(left, domain)) == NULL) {
			free(left);
			return aw_cli_usage_error("watch",
			    _("%s: expected NAME=VALUE, got: %s"), "--absent-txt",
			    absent->v[i]);
		}
		st = aw_watch_add(w, name, AW_RECORD_TXT, AW_WATCH_ABSENT, right, NULL);
		free(left);
		free(name);
	}
	if (st != AW_OK) {
		aw_cli_error(_("out of memory"));
		return AW_EXIT_INTERNAL;
	}
	return AW_EXIT_OK;
}

/* Opens the journal's DNS host on the watch's loop, to poll its change
 * states. Without credentials the states are not shown (a note says why). */
static void
watch_hosts(struct watch_run *run, struct aw_cli_provider *cp,
    struct aw_session *dns, struct aw_watch *w, const char *provider,
    const struct aw_strv *ids)
{
	struct aw_error err;
	const struct aw_provider_ops *ops = aw_provider_find(provider);
	size_t i;

	if (ids->n == 0 || ops == NULL)
		return;
	aw_error_clear(&err);
	if (aw_session_open_provider(dns, provider, &cp->cfg, &cp->p,
	    &err) != AW_OK) {
		if (!run->json) {
			printf(_("note: the state of the %s change is not asked for: "),
			    _(ops->title));
			aw_cli_put_escaped(stdout, err.msg, 300);
			putchar('\n');
		}
		return;
	}
	if ((run->polls = calloc(ids->n, sizeof *run->polls)) == NULL)
		return;
	for (i = 0; i < ids->n; i++) {
		struct aw_host_poll *hp = &run->polls[run->npolls];

		if (aw_host_poll_init(hp, cp->p, ids->v[i], on_host_state, w) !=
		    AW_OK)
			continue;
		run->npolls++;
		/* Unsynced until the host says so. */
		aw_watch_set_host_state(w, hp->label, NULL, false);
		aw_host_poll_ask(hp);
	}
}

static int
watch_run(int argc, char **argv)
{
	struct aw_strv nameservers, absent, change_ids, skipped;
	struct aw_cli_provider cp;
	struct aw_session dns;
	struct aw_plan journal;
	struct aw_watch *w = NULL;
	struct watch_run run = { false, NULL, NULL, 0 };
	struct aw_cli_args args;
	char *domain = NULL, *end;
	double timeout = 300, interval = 5;
	unsigned long ns_port = 53;
	int c, rc = AW_EXIT_USAGE;
	size_t i;

	aw_strv_init(&nameservers);
	aw_strv_init(&absent);
	aw_strv_init(&change_ids);
	aw_strv_init(&skipped);
	aw_cli_provider_init(&cp);
	aw_session_init(&dns);
	aw_plan_init(&journal);
	if (!aw_cli_args_init(&args, &aw_cmd_watch, argc, argv, &dns, &cp)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_NAMESERVER:
			aw_strv_push(&nameservers, args.arg);
			continue;
		case OPT_ABSENT_TXT:
			aw_strv_push(&absent, args.arg);
			continue;
		case OPT_NAMESERVER_PORT:
			errno = 0;
			ns_port = strtoul(args.arg, &end, 10);
			if (errno || *end || args.arg[0] < '0' || args.arg[0] > '9' ||
			    ns_port == 0 || ns_port > 65535) {
				rc = aw_cli_usage_error("watch",
				    _("%s: expected a port number, got: %s"),
				    "--nameserver-port", args.arg);
				goto done;
			}
			continue;
		case OPT_TIMEOUT:
		case OPT_INTERVAL: {
			double v;

			errno = 0;
			v = strtod(args.arg, &end);
			if (errno || *end || !(v > 0) || v > 86400) {
				rc = aw_cli_usage_error("watch",
				    _("%s: expected seconds, got: %s"),
				    c == OPT_TIMEOUT ? "--timeout" : "--interval",
				    args.arg);
				goto done;
			}
			if (c == OPT_TIMEOUT)
				timeout = v;
			else
				interval = v;
			continue;
		}
		case OPT_PROVIDER:
			rc = aw_cli_usage_error("watch",
			    _("--provider: not needed, the journal of the last apply names the DNS host"));
			goto done;
		}
	}
	run.json = cp.json;
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("watch", optind >= argc ?
		    _("which domain? Give one DOMAIN") : _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (!aw_cli_dns_start(&dns))
		goto done;
	if ((w = aw_watch_new(dns.res, dns.loop)) == NULL) {
		aw_cli_error(_("out of memory"));
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	/* Every record is watched: at the --nameserver servers, or at the
	 * discovered servers of the zone that holds it. */
	if ((rc = watch_expect(w, &cp, run.json, &absent, domain, NULL,
	    &journal, &change_ids, &skipped)) != AW_EXIT_OK) {
		if (rc == -1) {
			if (run.json) {
				json_t *j = watch_json(w, domain);

				json_object_set_new(j, "converged", json_true());
				aw_json_print(stdout, j);
			} else
				printf(_("The last apply to %s changed nothing: nothing to watch.\n"),
				    domain);
			rc = AW_EXIT_OK;
		}
		goto done;
	}
	rc = AW_EXIT_USAGE;
	for (i = 0; i < nameservers.n; i++) {
		if (!add_nameserver(w, &dns, nameservers.v[i])) {
			rc = aw_cli_usage_error("watch",
			    _("--nameserver: cannot find the address of %s"),
			    nameservers.v[i]);
			goto done;
		}
	}
	if (nameservers.n == 0 && aw_watch_nitems(w) > 0) {
		struct found f = { false, run.json };

		if (aw_watch_discover(w, dns.res, (unsigned)ns_port,
		    on_discovered, &f) == AW_OK)
			while (!f.done && aw_loop_run_once(dns.loop, -1))
				;
		/* A record no server is asked for could never be confirmed. */
		for (i = 0; i < aw_watch_nitems(w); i++)
			if (aw_watch_item_nservers(w, i) == 0 &&
			    aw_strv_find(&skipped, aw_watch_item(w, i)->name) < 0)
				aw_strv_push(&skipped, aw_watch_item(w, i)->name);
		if (aw_watch_nservers(w) == 0 || skipped.n > 0) {
			for (i = 0; i < skipped.n; i++)
				aw_cli_error(_("no authoritative nameserver found for %s; name them with --nameserver"),
				    skipped.v[i]);
			if (skipped.n == 0)
				aw_cli_error(_("no authoritative nameserver found for %s; name them with --nameserver"),
				    domain);
			rc = AW_EXIT_DNS;
			goto done;
		}
	}
	if (journal.provider != NULL)
		watch_hosts(&run, &cp, &dns, w, journal.provider, &change_ids);
	if (!run.json)
		mta_sts_ids(w, NULL);
	if (aw_watch_nitems(w) == 0 ||
	    aw_watch_start(w, (int)(interval * 1000),
	    aw_loop_now_ms() + (int64_t)(timeout * 1000), on_round, &run) !=
	    AW_OK) {
		aw_cli_error(aw_watch_nitems(w) == 0 ?
		    _("the last apply left no record to watch") : _("out of memory"));
		rc = aw_watch_nitems(w) == 0 ? AW_EXIT_OK : AW_EXIT_INTERNAL;
		goto done;
	}
	while (!aw_watch_finished(w) && aw_loop_run_once(dns.loop, -1))
		;
	if (run.json) {
		json_t *j = watch_json(w, domain), *sk = json_array(), *hc;
		size_t k;

		/* Stable keys beside the (translated) label. */
		hc = json_object_get(j, "host_changes");
		for (i = 0; i < json_array_size(hc); i++)
			for (k = 0; k < run.npolls; k++)
				if (same_text(json_string_value(json_object_get(
				    json_array_get(hc, i), "label")),
				    run.polls[k].label)) {
					json_object_set_new(json_array_get(hc, i),
					    "provider", json_string(journal.provider));
					json_object_set_new(json_array_get(hc, i),
					    "change_id", aw_json_text(run.polls[k].id));
				}
		for (i = 0; i < skipped.n; i++)
			json_array_append_new(sk, aw_json_text(skipped.v[i]));
		json_object_set_new(j, "not_watched", sk);
		sk = json_array();
		mta_sts_ids(w, sk);
		json_object_set_new(j, "mta_sts_ids", sk);
		aw_json_print(stdout, j);
	} else {
		print_table(w, true);
		puts(aw_watch_converged(w) ?
		    _("Every nameserver serves the expected records.") :
		    _("Not propagated everywhere before the time was up."));
	}
	rc = aw_watch_converged(w) ? AW_EXIT_OK : AW_EXIT_FINDINGS;
done:
	for (i = 0; i < run.npolls; i++)
		aw_host_poll_done(&run.polls[i]);
	free(run.polls);
	aw_watch_free(w);
	aw_cli_provider_done(&cp);
	aw_session_done(&dns);
	aw_plan_done(&journal);
	aw_strv_done(&nameservers);
	aw_strv_done(&absent);
	aw_strv_done(&change_ids);
	aw_strv_done(&skipped);
	aw_cli_args_done(&args);
	free(run.last);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_watch = {
	.name = "watch",
	.summary = N_("wait until every authoritative nameserver serves a change"),
	.run = watch_run,
	.usage = watch_usage,
	.options = watch_options,
	.shared = AW_CLI_SHARED_PROVIDER | AW_CLI_SHARED_WANTS,
};
