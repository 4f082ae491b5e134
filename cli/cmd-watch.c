/* cmd-watch.c: `authwizard watch DOMAIN`: is the change live on every
 * authoritative nameserver yet? */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "checks/authority.h"
#include "checks/watch.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_NAMESERVER = AW_OPT_FIRST_FREE,
	OPT_TIMEOUT,
	OPT_INTERVAL,
	OPT_SPF_INCLUDE,
	OPT_SPF_IP4,
	OPT_SPF_IP6,
	OPT_DKIM_CNAME,
	OPT_DMARC,
	OPT_TXT,
	OPT_ABSENT_TXT
};

static void
watch_usage(FILE *out)
{
	fprintf(out, _("Usage: %s watch DOMAIN [OPTIONS] [RECORDS]\n"
	    "Ask every authoritative nameserver of DOMAIN directly, again and again,\n"
	    "until each expected record is served by all of them or the time is up.\n\n"),
	    aw_cli_progname);
	fputs(_("Records to expect (the same arguments as 'plan'):\n"
	    "  --spf-include X         the SPF record at DOMAIN has include:X\n"
	    "  --spf-ip4 NET           ... has ip4:NET\n"
	    "  --spf-ip6 NET           ... has ip6:NET\n"
	    "  --dkim-cname SEL=TARGET SEL._domainkey.DOMAIN is a CNAME to TARGET\n"
	    "  --dmarc RECORD          _dmarc.DOMAIN has this TXT record\n"
	    "  --txt NAME=VALUE        NAME has this TXT record (NAME relative to DOMAIN,\n"
	    "                          '@' for DOMAIN itself, or ending in '.')\n"
	    "  --absent-txt NAME=VALUE NAME no longer has this TXT record\n"
	    "With none of them, the records of the last apply to DOMAIN are watched.\n\n"
	    "Options:\n"
	    "  --nameserver HOST[:PORT]  ask this server instead of the discovered ones\n"
	    "                          (repeatable: a new DNS host before the delegation\n"
	    "                          moves, a hidden primary)\n"
	    "  --timeout SECONDS       give up after this long (default 300)\n"
	    "  --interval SECONDS      between rounds (default 5)\n"
	    "  --json                  print one JSON document at the end\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every record matches on every nameserver; 1 not (yet) when\n"
	    "the time was up; 2 usage error; 3 no nameserver could be found.\n"), out);
}

/* NAME as given to --txt: relative to domain unless '@' or ending in '.'. */
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
	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);

		printf("  %s ", aw_rrtype_name(it->type));
		aw_cli_put_escaped(stdout, it->name, 300);
		fputs(it->how == AW_WATCH_ABSENT ? _("  without ") : "  ", stdout);
		aw_cli_put_escaped(stdout, it->value, 200);
		putchar('\n');
		for (s = 0; s < aw_watch_nservers(w); s++) {
			const struct aw_watch_server *sv = aw_watch_server(w, s);
			const struct aw_watch_cell *c = aw_watch_cell(w, i, s);

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

struct watch_run {
	bool json;
	char *last;            /* states of the last round, to print changes */
};

static void
on_round(struct aw_watch *w, void *arg)
{
	struct watch_run *r = arg;
	size_t i, s, n = aw_watch_nitems(w) * aw_watch_nservers(w), k = 0;
	char *states = malloc(n + 1);

	if (states == NULL)
		return;
	for (i = 0; i < aw_watch_nitems(w); i++)
		for (s = 0; s < aw_watch_nservers(w); s++)
			states[k++] = (char)('0' + aw_watch_cell(w, i, s)->state);
	states[n] = '\0';
	if (!r->json && !aw_watch_finished(w) &&
	    (r->last == NULL || strcmp(r->last, states) != 0))
		print_table(w, false);
	free(r->last);
	r->last = states;
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
		json_t *o = json_object();

		json_object_set_new(o, "name", aw_json_text(aw_watch_server(w, s)->label));
		json_object_set_new(o, "address", aw_json_text(aw_watch_server(w, s)->addr));
		json_array_append_new(servers, o);
	}
	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);
		json_t *o = json_object(), *st = json_object();

		json_object_set_new(o, "name", aw_json_text(it->name));
		json_object_set_new(o, "type", json_string(aw_rrtype_name(it->type)));
		json_object_set_new(o, "expect", json_string(
		    it->how == AW_WATCH_ABSENT ? "absent" :
		    it->how == AW_WATCH_SPF_TERM ? "spf-term" : "present"));
		json_object_set_new(o, "value", aw_json_text(it->value));
		for (s = 0; s < aw_watch_nservers(w); s++)
			json_object_set_new(st, aw_watch_server(w, s)->label,
			    json_string(aw_watch_state_name(
			    aw_watch_cell(w, i, s)->state)));
		json_object_set_new(o, "servers", st);
		json_object_set_new(o, "cache_ttl", it->cache_ttl >= 0 ?
		    json_integer(it->cache_ttl) : json_null());
		json_array_append_new(items, o);
	}
	json_object_set_new(root, "nameservers", servers);
	json_object_set_new(root, "records", items);
	return root;
}

struct found {
	bool done;
	struct aw_authority *auth;
};

static void
on_authority(struct aw_authority *auth, void *arg)
{
	struct found *f = arg;

	f->auth = auth;
	f->done = true;
}

/* "HOST[:PORT]" to one or more "ip:port" servers. */
static bool
add_nameserver(struct aw_watch *w, struct aw_cli_dns *dns, const char *arg)
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
		ans = aw_dns_query_sync(&src, host, t ? AW_RR_AAAA : AW_RR_A);
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

static int
watch_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "nameserver", required_argument, NULL, OPT_NAMESERVER },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ "spf-include", required_argument, NULL, OPT_SPF_INCLUDE },
		{ "spf-ip4", required_argument, NULL, OPT_SPF_IP4 },
		{ "spf-ip6", required_argument, NULL, OPT_SPF_IP6 },
		{ "dkim-cname", required_argument, NULL, OPT_DKIM_CNAME },
		{ "dmarc", required_argument, NULL, OPT_DMARC },
		{ "txt", required_argument, NULL, OPT_TXT },
		{ "absent-txt", required_argument, NULL, OPT_ABSENT_TXT },
		{ "json", no_argument, NULL, AW_OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		AW_CLI_DNS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct aw_strv nameservers, specs;
	struct aw_cli_dns dns;
	struct aw_watch *w = NULL;
	struct watch_run run = { false, NULL };
	char *domain = NULL, *end;
	double timeout = 300, interval = 5;
	int c, rc = AW_EXIT_USAGE;
	size_t i;

	aw_strv_init(&nameservers);
	aw_strv_init(&specs);
	aw_cli_dns_init(&dns);
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_NAMESERVER:
			aw_strv_push(&nameservers, optarg);
			break;
		case OPT_TIMEOUT:
		case OPT_INTERVAL: {
			double v;

			errno = 0;
			v = strtod(optarg, &end);
			if (errno || *end || !(v > 0) || v > 86400) {
				rc = aw_cli_usage_error("watch",
				    _("%s: expected seconds, got: %s"),
				    c == OPT_TIMEOUT ? "--timeout" : "--interval",
				    optarg);
				goto done;
			}
			if (c == OPT_TIMEOUT)
				timeout = v;
			else
				interval = v;
			break;
		}
		case OPT_SPF_INCLUDE:
		case OPT_SPF_IP4:
		case OPT_SPF_IP6:
		case OPT_DKIM_CNAME:
		case OPT_DMARC:
		case OPT_TXT:
		case OPT_ABSENT_TXT:
			/* kept as "OPT\tARG" until the domain is known */
			aw_strv_pushf(&specs, "%d\t%s", c, optarg);
			break;
		case AW_OPT_JSON:
			run.json = true;
			break;
		case 'h':
			watch_usage(stdout);
			rc = AW_EXIT_OK;
			goto done;
		case AW_OPT_DNS_SERVER:
		case AW_OPT_DNS_TIMEOUT:
		case AW_OPT_DNS_TRIES:
			if (!aw_cli_dns_option(&dns, c, optarg))
				goto done;
			break;
		default:
			rc = aw_cli_usage_error("watch", _("unknown option"));
			goto done;
		}
	}
	if (optind != argc - 1) {
		rc = aw_cli_usage_error("watch", _("give exactly one DOMAIN"));
		goto done;
	}
	if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
		goto done;
	if (specs.n == 0) {
		rc = aw_cli_usage_error("watch",
		    _("which records? Give --txt, --spf-include, --dkim-cname or --dmarc (watching the last apply needs its journal)"));
		goto done;
	}
	if (!aw_cli_dns_start(&dns))
		goto done;
	w = aw_watch_new(dns.res, dns.loop);
	for (i = 0; w != NULL && i < specs.n; i++) {
		int opt = atoi(specs.v[i]);
		const char *arg = strchr(specs.v[i], '\t') + 1, *right;
		char *left = NULL, *name = NULL, *value = NULL;
		enum aw_status st = AW_OK;

		switch (opt) {
		case OPT_SPF_INCLUDE:
		case OPT_SPF_IP4:
		case OPT_SPF_IP6:
			if (asprintf(&value, "%s:%s", opt == OPT_SPF_INCLUDE ?
			    "include" : opt == OPT_SPF_IP4 ? "ip4" : "ip6",
			    arg) < 0)
				value = NULL;
			st = aw_watch_add(w, domain, AW_RR_TXT,
			    AW_WATCH_SPF_TERM, value ? value : "", NULL);
			break;
		case OPT_DKIM_CNAME:
			if (!split_pair(arg, &left, &right)) {
				rc = aw_cli_usage_error("watch",
				    _("--dkim-cname: expected SELECTOR=TARGET, got: %s"),
				    arg);
				goto done;
			}
			if (asprintf(&name, "%s._domainkey.%s", left, domain) < 0)
				name = NULL;
			st = aw_watch_add(w, name ? name : "", AW_RR_CNAME,
			    AW_WATCH_PRESENT, right, NULL);
			break;
		case OPT_DMARC:
			if (asprintf(&name, "_dmarc.%s", domain) < 0)
				name = NULL;
			st = aw_watch_add(w, name ? name : "", AW_RR_TXT,
			    AW_WATCH_PRESENT, arg, NULL);
			break;
		case OPT_TXT:
		case OPT_ABSENT_TXT:
			if (!split_pair(arg, &left, &right) ||
			    (name = absolute_name(left, domain)) == NULL) {
				free(left);
				rc = aw_cli_usage_error("watch",
				    _("%s: expected NAME=VALUE, got: %s"),
				    opt == OPT_TXT ? "--txt" : "--absent-txt", arg);
				goto done;
			}
			st = aw_watch_add(w, name, AW_RR_TXT, opt == OPT_TXT ?
			    AW_WATCH_PRESENT : AW_WATCH_ABSENT, right, NULL);
			break;
		}
		free(left);
		free(name);
		free(value);
		if (st != AW_OK) {
			aw_cli_error(_("out of memory"));
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
	}
	for (i = 0; i < nameservers.n; i++) {
		if (!add_nameserver(w, &dns, nameservers.v[i])) {
			rc = aw_cli_usage_error("watch",
			    _("--nameserver: cannot find the address of %s"),
			    nameservers.v[i]);
			goto done;
		}
	}
	if (nameservers.n == 0) {
		struct found f = { false, NULL };
		size_t k;

		if (aw_authority_find(dns.res, domain, on_authority, &f) == AW_OK)
			while (!f.done && aw_loop_run_once(dns.loop, -1))
				;
		for (i = 0; f.auth != NULL && i < f.auth->nns; i++)
			for (k = 0; k < f.auth->ns[i].addrs.n; k++) {
				const char *a = f.auth->ns[i].addrs.v[k];
				char addr[80], label[400];

				snprintf(addr, sizeof addr,
				    strchr(a, ':') ? "[%s]:53" : "%s:53", a);
				snprintf(label, sizeof label, "%s (%s)",
				    f.auth->ns[i].host, a);
				aw_watch_add_server(w, label, addr);
			}
		if (f.auth != NULL && !run.json)
			for (i = 0; i < f.auth->problems.n; i++) {
				printf(_("note: "));
				aw_cli_put_escaped(stdout, f.auth->problems.v[i], 0);
				putchar('\n');
			}
		aw_authority_free(f.auth);
		if (aw_watch_nservers(w) == 0) {
			aw_cli_error(_("no authoritative nameserver found for %s; name them with --nameserver"),
			    domain);
			rc = AW_EXIT_DNS;
			goto done;
		}
	}
	if (aw_watch_start(w, (int)(interval * 1000),
	    aw_loop_now_ms() + (int64_t)(timeout * 1000), on_round, &run) !=
	    AW_OK) {
		aw_cli_error(_("out of memory"));
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	while (!aw_watch_finished(w) && aw_loop_run_once(dns.loop, -1))
		;
	if (run.json) {
		aw_json_print(stdout, watch_json(w, domain));
	} else {
		print_table(w, true);
		puts(aw_watch_converged(w) ?
		    _("Every nameserver serves the expected records.") :
		    _("Not propagated everywhere before the time was up."));
	}
	rc = aw_watch_converged(w) ? AW_EXIT_OK : AW_EXIT_FINDINGS;
done:
	aw_watch_free(w);
	aw_cli_dns_done(&dns);
	aw_strv_done(&nameservers);
	aw_strv_done(&specs);
	free(run.last);
	free(domain);
	return rc;
}

const struct aw_cli_command aw_cmd_watch = {
	.name = "watch",
	.summary = N_("wait until every authoritative nameserver serves a change"),
	.run = watch_run,
	.usage = watch_usage,
};
