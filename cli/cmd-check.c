/* cmd-check.c: `authwizard check DOMAIN`: what is published now. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "checks/domain.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

static const struct aw_cli_opt check_options[] = {
	{ "selector", 0, required_argument, 's', "S",
	    N_("check the DKIM key at S._domainkey (repeatable); without it, "
	    "probe the catalog's common selectors") },
	{ "ip", 0, required_argument, 'i', "IP",
	    N_("check the PTR and its forward confirmation for a sending IP, "
	    "IPv4 or IPv6 (repeatable)") },
	{ "helo", 0, required_argument, 'H', N_("NAME"),
	    N_("check the HELO/EHLO name a server announces") },
	{ "domains-file", 0, required_argument, 'f', N_("FILE"),
	    N_("read more domains from FILE, one per line ('#' starts a "
	    "comment; '-' is standard input)") },
	{ "parallel", 0, required_argument, 'P', "N",
	    N_("domains checked at once (default 32, 1-1000)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
check_usage(FILE *out)
{
	fprintf(out, _("Usage: %s check DOMAIN... [OPTIONS]\n"
	    "Show the SPF, DKIM, DMARC and MX records of DOMAIN as published now,\n"
	    "with what is wrong in them, and for every lookup that found nothing\n"
	    "whether it was \"no such record\" or a DNS failure. SPF shows its lookup\n"
	    "tree; past 10 lookups it names the costliest includes and the lighter\n"
	    "includes the sender catalog knows. With --ip and --helo it also checks\n"
	    "the reverse DNS (PTR) of sending addresses and the HELO name.\n\n"),
	    aw_cli_progname);
	fputs(_("Several domains (as arguments or from --domains-file) are checked\n"
	    "concurrently and printed in the order given; with --json, one JSON\n"
	    "document per line (JSON Lines).\n\n"), out);
	aw_cli_args_usage(out, check_options, NULL);
	fputs(_("  --json                  print one JSON document: \"status\", \"errors\",\n"
	    "                          \"warnings\" of the whole check and one object per\n"
	    "                          area (see README)\n"), out);
	aw_cli_dns_usage(out);
	fputs(_("  -h, --help              show this help\n\n"
	    "Exit status: 0 every lookup got an answer, 2 usage error, 3 a DNS lookup\n"
	    "failed (SERVFAIL, REFUSED, timeout, malformed answer).\n"), out);
	fputs(_("What was found does not change the exit status: read \"status\".\n"),
	    out);
}

static void
check_progress(struct aw_domain_check *dc, struct aw_section *sec, void *arg)
{
	(void)dc;
	(void)sec;
	(void)arg;
}

/* Prints the result of one domain; true when a lookup failed. compact:
 * JSON on one line (JSON Lines, for several domains). */
static bool
check_print(struct aw_domain_check *dc, const char *domain, bool json,
    bool compact)
{
	bool failure = false;
	size_t i;

	for (i = 0; i < aw_domain_check_count(dc); i++)
		if (aw_domain_check_section(dc, i)->f.dns_failure)
			failure = true;
	if (json) {
		json_t *root = json_object(), *dkim = json_array(),
		    *ptr = json_array();
		char *uni = aw_domain_to_unicode(domain);

		json_object_set_new(root, "domain", json_string(domain));
		json_object_set_new(root, "domain_unicode", aw_json_text(uni));
		free(uni);
		json_object_set_new(root, "dns_failure", json_boolean(failure));
		/* The whole check in the shape of one area: the worst status,
		 * every area's errors and warnings, each prefixed with its
		 * area ("SPF: ..."). */
		{
			struct aw_findings all;
			size_t k;

			aw_findings_init(&all);
			for (i = 0; i < aw_domain_check_count(dc); i++) {
				struct aw_section *sec =
				    aw_domain_check_section(dc, i);
				const char *t = aw_area_title(sec->area);

				aw_findings_raise(&all, sec->f.status);
				for (k = 0; k < sec->f.errors.n; k++)
					aw_strv_pushf(&all.errors, "%s: %s", t,
					    sec->f.errors.v[k]);
				for (k = 0; k < sec->f.warnings.n; k++)
					aw_strv_pushf(&all.warnings, "%s: %s",
					    t, sec->f.warnings.v[k]);
			}
			if (all.status == AW_CHECK_PENDING)
				all.status = AW_CHECK_OK;
			json_object_set_new(root, "status", json_string(
			    aw_check_status_name(all.status)));
			json_object_set_new(root, "errors",
			    aw_json_strv(&all.errors));
			json_object_set_new(root, "warnings",
			    aw_json_strv(&all.warnings));
			aw_findings_done(&all);
		}
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			struct aw_section *sec = aw_domain_check_section(dc, i);
			json_t *sj = aw_json_section(sec);

			if (strcmp(sec->area, "dkim") == 0)
				json_array_append_new(dkim, sj);
			else if (strcmp(sec->area, "ptr") == 0)
				json_array_append_new(ptr, sj);
			else
				json_object_set_new(root, sec->area, sj);
		}
		json_object_set_new(root, "dkim", dkim);
		json_object_set_new(root, "ptr", ptr);
		aw_json_print_line(stdout, root, compact);
	} else {
		char *uni = aw_domain_to_unicode(domain);

		fputs(_("Email authentication of "), stdout);
		aw_cli_put_escaped(stdout, uni ? uni : domain, 300);
		if (uni != NULL && strcmp(uni, domain) != 0)
			printf(" (%s)", domain);
		printf("\n\n");
		free(uni);
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			aw_cli_print_section(stdout, aw_domain_check_section(dc, i));
			putchar('\n');
		}
	}
	return failure;
}

/* Reads domains from path ("-": standard input), one per line; '#'
 * starts a comment. A name that is not a domain is a usage error naming
 * the file and line. */
static bool
read_domains(const char *path, struct aw_strv *out)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	bool ok = true;

	if (fp == NULL) {
		aw_cli_error(_("--domains-file: cannot read %s: %s"), path,
		    strerror(errno));
		return false;
	}
	while (ok && getline(&line, &cap, fp) != -1) {
		char *p = line, *e, *ascii;

		lineno++;
		if ((e = strchr(p, '#')) != NULL)
			*e = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p == '\0')
			continue;
		if ((ascii = aw_cli_domain_arg(p)) == NULL) {
			fprintf(stderr, _("%s: in %s, line %zu\n"),
			    aw_cli_progname, path, lineno);
			ok = false;
			break;
		}
		aw_strv_push(out, ascii);
		free(ascii);
	}
	if (ok && ferror(fp)) {
		aw_cli_error(_("--domains-file: cannot read %s: %s"), path,
		    strerror(errno));
		ok = false;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ok;
}

#define WINDOW(parallel) ((parallel) * 4)

static int
check_run(int argc, char **argv)
{
	struct aw_domain_check_opts opts;
	struct aw_strv selectors, ips, domains;
	struct aw_session dns;
	struct aw_domain_check **dcs = NULL;
	struct aw_dns_source src;
	struct aw_error err;
	char *helo = NULL, *end;
	bool json = false, failure = false;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;
	size_t i, next = 0, printed = 0, running = 0, parallel = 32;
	unsigned long n;

	aw_strv_init(&selectors);
	aw_strv_init(&ips);
	aw_strv_init(&domains);
	aw_session_init(&dns);
	memset(&opts, 0, sizeof opts);
	if (!aw_cli_args_init(&args, &aw_cmd_check, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case 's':
			if (!aw_domain_valid(args.arg) || strchr(args.arg, '.')) {
				rc = aw_cli_usage_error("check",
				    _("--selector: not a selector name: %s"), args.arg);
				goto done;
			}
			aw_strv_push(&selectors, args.arg);
			break;
		case 'i':
			aw_strv_push(&ips, args.arg);
			break;
		case 'H':
			free(helo);
			helo = strdup(args.arg);
			break;
		case 'f':
			if (!read_domains(args.arg, &domains))
				goto done;
			break;
		case 'P':
			errno = 0;
			n = strtoul(args.arg, &end, 10);
			if (errno != 0 || *end != '\0' || n < 1 || n > 1000) {
				rc = aw_cli_usage_error("check",
				    _("--parallel: a number from 1 to 1000, not %s"),
				    args.arg);
				goto done;
			}
			parallel = n;
			break;
		}
	}
	json = args.json;
	for (; optind < argc; optind++) {
		char *ascii = aw_cli_domain_arg(argv[optind]);

		if (ascii == NULL)
			goto done;
		aw_strv_push(&domains, ascii);
		free(ascii);
	}
	if (domains.n == 0) {
		rc = aw_cli_usage_error("check",
		    _("which domain? Give one DOMAIN"));
		goto done;
	}
	if (!aw_cli_dns_start(&dns)) {
		rc = AW_EXIT_USAGE;
		goto done;
	}
	opts.selectors = (const char *const *)selectors.v;
	opts.nselectors = selectors.n;
	opts.ips = (const char *const *)ips.v;
	opts.nips = ips.n;
	opts.helo = helo;
	/* The SPF lint names lighter includes the sender catalog knows. */
	opts.spf_lighter = aw_catalog_spf_lighter;
	opts.spf_lighter_arg = (void *)aw_cli_catalog();
	src = aw_resolver_source(dns.res);
	if ((dcs = calloc(domains.n, sizeof *dcs)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	/* At most `parallel` checks in flight on one resolver; results are
	 * printed in the order given, each as soon as those before it are.
	 * A slow domain holds back the printing of those after it: no more
	 * than WINDOW(parallel) are started past it, which bounds memory. */
	while (printed < domains.n) {
		while (next < domains.n && running < parallel &&
		    next - printed < WINDOW(parallel)) {
			aw_error_clear(&err);
			if (aw_domain_check_start(&src, domains.v[next], &opts,
			    check_progress, NULL, &dcs[next], &err) != AW_OK) {
				aw_cli_error("%s", err.msg);
				rc = AW_EXIT_INTERNAL;
				goto done;
			}
			next++;
			running++;
		}
		while (printed < next && aw_domain_check_finished(dcs[printed])) {
			if (check_print(dcs[printed], domains.v[printed], json,
			    domains.n > 1))
				failure = true;
			if (!json && printed + 1 < domains.n)
				putchar('\n');
			fflush(stdout);
			aw_domain_check_free(dcs[printed]);
			dcs[printed] = NULL;
			printed++;
		}
		if (printed == domains.n)
			break;
		running = 0;
		for (i = printed; i < next; i++)
			if (!aw_domain_check_finished(dcs[i]))
				running++;
		if (next < domains.n && running < parallel &&
		    next - printed < WINDOW(parallel))
			continue;
		if (!aw_loop_run_once(dns.loop, -1)) {
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
	}
	rc = failure ? AW_EXIT_DNS : AW_EXIT_OK;
done:
	aw_cli_args_done(&args);
	/* The resolver first: it drops the callbacks of unfinished checks;
	 * the loop last (aw_session_done): their shared answers wait on it. */
	aw_resolver_free(dns.res);
	dns.res = NULL;
	if (dcs != NULL)
		for (i = 0; i < domains.n; i++)
			aw_domain_check_free(dcs[i]);
	aw_session_done(&dns);
	free(dcs);
	aw_strv_done(&selectors);
	aw_strv_done(&ips);
	aw_strv_done(&domains);
	free(helo);
	return rc;
}

const struct aw_cli_command aw_cmd_check = {
	.name = "check",
	.summary = N_("show what is published now and what is wrong with it"),
	.run = check_run,
	.usage = check_usage,
	.options = check_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
