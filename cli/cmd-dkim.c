/* cmd-dkim.c: `authwizard dkim`: check a selector (or discover them),
 * generate a key (keygen), and say whether a published key is a private
 * key's (verify). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/catalog.h"
#include "checks/dkim.h"
#include "cli/area-run.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

enum {
	OPT_DOMAIN = AW_OPT_FIRST_FREE,
	OPT_SELECTOR,
	OPT_TYPE,
	OPT_BITS,
	OPT_OUT,
	OPT_FORCE,
	OPT_KEY,
	OPT_SERVICE,
	OPT_TTL
};

static const struct aw_cli_opt dkim_options[] = {
	{ "domain", 0, required_argument, OPT_DOMAIN, "D",
	    N_("the domain (keygen, verify; checking takes DOMAIN)") },
	{ "selector", 0, required_argument, OPT_SELECTOR, "S",
	    N_("the selector (repeatable when checking)") },
	{ "key", 0, required_argument, OPT_KEY, N_("FILE"),
	    N_("verify: the private key (PEM)") },
	{ "service", 0, required_argument, OPT_SERVICE, "ID",
	    N_("the catalog service the selector should be delegated to "
	    "(e.g. sendgrid)") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static const struct aw_cli_opt dkim_keygen_options[] = {
	{ "domain", 0, required_argument, OPT_DOMAIN, "D",
	    N_("the domain (keygen, verify; checking takes DOMAIN)") },
	{ "selector", 0, required_argument, OPT_SELECTOR, "S",
	    N_("the selector (repeatable when checking)") },
	{ "type", 0, required_argument, OPT_TYPE, "rsa|ed25519",
	    N_("keygen: the key type (default rsa)") },
	{ "bits", 0, required_argument, OPT_BITS, "N",
	    N_("keygen: RSA size, 1024, 2048, 3072 or 4096") },
	{ "out", 0, required_argument, OPT_OUT, N_("FILE"),
	    N_("keygen: where the private key goes") },
	{ "force", 0, no_argument, OPT_FORCE, NULL,
	    N_("keygen: replace an existing FILE") },
	{ "ttl", 0, required_argument, OPT_TTL, "N",
	    N_("keygen: the TTL of the zone-file line") },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static void
dkim_usage(FILE *out)
{
	fprintf(out, _("Usage: %s dkim DOMAIN [--selector S]... [--service ID] [--json]\n"
	    "       %s dkim keygen --domain D --selector S [--type rsa|ed25519]\n"
	    "              [--bits N] [--out FILE] [--force] [--ttl N] [--json]\n"
	    "       %s dkim verify --domain D --selector S --key FILE [--json]\n\n"),
	    aw_cli_progname, aw_cli_progname, aw_cli_progname);
	fputs(_("DOMAIN: check the key at S._domainkey.DOMAIN, following CNAME delegation\n"
	    "  (the chain, a CNAME to nowhere, loops, another service than --service);\n"
	    "  without --selector, probe the common selectors of the sender catalog.\n"
	    "keygen: make a key pair (RSA 2048 by default; 1024, 3072, 4096; or Ed25519),\n"
	    "  write the private key (mode 0600; FILE defaults to S.private and is never\n"
	    "  replaced without --force) and print the TXT record to publish: whole,\n"
	    "  split into strings of at most 255 bytes, and as a zone-file line.\n"
	    "verify: say whether the key published at S._domainkey.D is the public half\n"
	    "  of the private key in FILE.\n\n"), out);
	aw_cli_args_usage(out, dkim_options, NULL);
	aw_cli_args_usage(out, dkim_keygen_options, dkim_options);
	aw_cli_dns_usage(out);
	fputs(_("  --json                  print one JSON document (see README); verify\n"
	    "                          adds \"match\": true or false\n"
	    "  -h, --help              show this help\n\n"
	    "Exit status: checking: 0 every key found and without errors, 1 a key is\n"
	    "missing or has errors; keygen: 0 written; verify: 0 match, 1 mismatch.\n"
	    "All: 2 usage error, 3 a DNS lookup failed, 6 a key file could not be\n"
	    "read or written (keygen: it exists and --force was not given).\n"), out);
}

/* keygen's form: its own options; the DNS options are taken like every
 * other dkim form's (scripts pass the same options to all) and keygen asks
 * no DNS. */
static const struct aw_cli_command dkim_keygen_form = {
	.name = "dkim",
	.usage = dkim_usage,
	.options = dkim_keygen_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};

static bool
selector_ok(const char *s)
{
	/* RFC 6376 §3.1: a selector is one or more labels. */
	return s != NULL && aw_domain_valid(s) && s[0] != '.';
}

static int
dkim_keygen(int argc, char **argv)
{
	struct aw_session dns;
	enum aw_dkim_key_type type = AW_DKIM_KEY_RSA;
	char *domain = NULL, *pem = NULL, *p = NULL, *record = NULL,
	    *line = NULL, *out = NULL;
	const char *selector = NULL, *outarg = NULL;
	unsigned bits = 0, ttl = 3600;
	bool force = false, json = false;
	struct aw_strv parts;
	struct aw_error err;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;
	size_t i;

	aw_strv_init(&parts);
	aw_session_init(&dns);
	if (!aw_cli_args_init(&args, &dkim_keygen_form, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_DOMAIN:
			free(domain);
			if ((domain = aw_cli_domain_arg(args.arg)) == NULL)
				goto done;
			break;
		case OPT_SELECTOR:
			selector = args.arg;
			break;
		case OPT_TYPE:
			type = aw_dkim_key_type_from_name(args.arg);
			if (type == AW_DKIM_KEY_UNKNOWN) {
				rc = aw_cli_usage_error("dkim",
				    _("--type: rsa or ed25519, not %s"), args.arg);
				goto done;
			}
			break;
		case OPT_BITS:
			bits = (unsigned)strtoul(args.arg, NULL, 10);
			if (bits != 1024 && bits != 2048 && bits != 3072 &&
			    bits != 4096) {
				rc = aw_cli_usage_error("dkim",
				    _("--bits: 1024, 2048, 3072 or 4096, not %s"),
				    args.arg);
				goto done;
			}
			break;
		case OPT_OUT:
			outarg = args.arg;
			break;
		case OPT_FORCE:
			force = true;
			break;
		case OPT_TTL:
			ttl = (unsigned)strtoul(args.arg, NULL, 10);
			if (ttl == 0 || ttl > 604800) {
				rc = aw_cli_usage_error("dkim",
				    _("--ttl: seconds from 1 to 604800"));
				goto done;
			}
			break;
		}
	}
	json = args.json;
	if (optind != argc || domain == NULL || !selector_ok(selector)) {
		rc = aw_cli_usage_error("dkim",
		    _("keygen needs --domain D and --selector S"));
		goto done;
	}
	if (type == AW_DKIM_KEY_ED25519 && bits != 0) {
		rc = aw_cli_usage_error("dkim",
		    _("--bits is for RSA keys; Ed25519 keys have one size"));
		goto done;
	}
	if (outarg == NULL) {
		if (asprintf(&out, "%s.private", selector) < 0) {
			out = NULL;
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
	} else if ((out = strdup(outarg)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	aw_error_clear(&err);
	if (aw_dkim_keygen(type, bits, &pem, &p, &err) != AW_OK) {
		aw_cli_error("%s", err.msg);
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	if (aw_dkim_write_private(out, pem, force, &err) != AW_OK) {
		aw_cli_error("%s: %s", err.where, err.msg);
		rc = AW_EXIT_IO;
		goto done;
	}
	if (bits == 0 && type == AW_DKIM_KEY_RSA)
		bits = AW_DKIM_RSA_GOOD_BITS;
	record = aw_dkim_record(type, p);
	line = record ? aw_dkim_zone_line(selector, domain, ttl, record) : NULL;
	if (record == NULL || line == NULL ||
	    aw_dkim_txt_split(record, 0, &parts) != AW_OK) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	if (json) {
		json_t *o = json_object(), *name;
		char *n = NULL;

		if (asprintf(&n, "%s._domainkey.%s", selector, domain) < 0)
			n = NULL;
		name = aw_json_text(n);
		free(n);
		json_object_set_new(o, "domain", json_string(domain));
		json_object_set_new(o, "selector", aw_json_text(selector));
		json_object_set_new(o, "name", name);
		json_object_set_new(o, "type",
		    json_string(aw_dkim_key_type_name(type)));
		json_object_set_new(o, "bits", type == AW_DKIM_KEY_RSA ?
		    json_integer(bits) : json_integer(256));
		json_object_set_new(o, "private_key_file", aw_json_text(out));
		json_object_set_new(o, "record", json_string(record));
		json_object_set_new(o, "strings", aw_json_strv(&parts));
		json_object_set_new(o, "zone_line", json_string(line));
		aw_json_print(stdout, o);
	} else {
		fputs(_("Private key written to "), stdout);
		aw_cli_put_escaped(stdout, out, 1024);
		fputs(_(" (mode 0600). Keep it secret; give it to the mail server.\n\n"), stdout);
		printf(_("Publish this TXT record at %s._domainkey.%s:\n\n"),
		    selector, domain);
		printf("%s\n\n", record);
		printf(P_("As %zu string (for DNS hosts that want it split):\n",
		    "As %zu strings of at most 255 bytes (for DNS hosts that want it split):\n",
		    parts.n), parts.n);
		for (i = 0; i < parts.n; i++)
			printf("  \"%s\"\n", parts.v[i]);
		printf(_("\nZone-file line:\n\n%s\n"), line);
	}
	rc = AW_EXIT_OK;
done:
	aw_cli_args_done(&args);
	aw_session_done(&dns);
	aw_dkim_secret_free(pem);
	aw_strv_done(&parts);
	free(domain);
	free(p);
	free(record);
	free(line);
	free(out);
	return rc;
}

/* Shared by verify and the check: DNS options and --json. */
static int
dkim_check_or_verify(int argc, char **argv, bool verify)
{
	struct aw_domain_check_opts opts;
	struct aw_domain_check *dc = NULL;
	struct aw_strv selectors;
	struct aw_session dns;
	const char *keyfile = NULL, *service = NULL;
	const char *areas[] = { "dkim" };
	char *domain = NULL;
	bool json = false;
	struct aw_cli_args args;
	int c, rc = AW_EXIT_USAGE;

	aw_strv_init(&selectors);
	aw_session_init(&dns);
	memset(&opts, 0, sizeof opts);
	if (!aw_cli_args_init(&args, &aw_cmd_dkim, argc, argv, &dns, NULL)) {
		rc = args.rc;
		goto done;
	}
	while ((c = aw_cli_args_next(&args)) != AW_CLI_ARGS_END) {
		switch (c) {
		case AW_CLI_ARGS_STOP:
			rc = args.rc;
			goto done;
		case OPT_DOMAIN:
			free(domain);
			if ((domain = aw_cli_domain_arg(args.arg)) == NULL)
				goto done;
			break;
		case OPT_SELECTOR:
			if (!selector_ok(args.arg)) {
				rc = aw_cli_usage_error("dkim",
				    _("--selector: not a selector name: %s"),
				    args.arg);
				goto done;
			}
			aw_strv_push(&selectors, args.arg);
			break;
		case OPT_KEY:
			keyfile = args.arg;
			break;
		case OPT_SERVICE:
			service = args.arg;
			break;
		}
	}
	json = args.json;
	if (!verify && domain == NULL && optind == argc - 1) {
		if ((domain = aw_cli_domain_arg(argv[optind])) == NULL)
			goto done;
	} else if (optind != argc) {
		rc = aw_cli_usage_error("dkim", _("unexpected argument: %s"),
		    argv[optind]);
		goto done;
	}
	if (domain == NULL) {
		rc = aw_cli_usage_error("dkim", _("which domain? Give DOMAIN"));
		goto done;
	}
	if (verify && (selectors.n != 1 || keyfile == NULL)) {
		rc = aw_cli_usage_error("dkim",
		    _("verify needs --domain D, one --selector S and --key FILE"));
		goto done;
	}
	/* Loaded now so that skipped user files are reported first. */
	(void)aw_cli_catalog();
	if (service != NULL) {
		const struct aw_catalog *cat = aw_cli_catalog();

		if (cat != NULL && aw_catalog_find(cat, service) == NULL) {
			rc = aw_cli_usage_error("dkim",
			    _("--service: no service \"%s\" in the sender catalog"),
			    service);
			goto done;
		}
	}
	if (!aw_cli_dns_start(&dns))
		goto done;
	opts.selectors = (const char *const *)selectors.v;
	opts.nselectors = selectors.n;
	opts.dkim_service = service;
	opts.areas = areas;
	opts.nareas = 1;
	if ((dc = aw_cli_run_areas(&dns, domain, &opts)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	if (!verify) {
		rc = aw_cli_print_areas(dc, json, true);
	} else {
		struct aw_section *sec = aw_domain_check_section(dc, 0);
		struct aw_dkim_detail *d = sec->detail;
		struct aw_error err;
		bool match = false, known = false;

		aw_error_clear(&err);
		if (d != NULL && d->has_key && d->key.key != NULL) {
			if (aw_dkim_key_matches(keyfile, d->key.type, d->key.key,
			    d->key.keylen, &match, &err) == AW_OK) {
				known = true;
			} else if (err.status == AW_ERR_IO ||
			    strcmp(err.where, keyfile) == 0) {
				aw_cli_error("%s: %s", keyfile, err.msg);
				rc = AW_EXIT_IO;
				goto done;
			}
		}
		if (json) {
			json_t *o = aw_json_section(sec);

			json_object_set_new(o, "match", json_boolean(match));
			json_object_set_new(o, "key_file", aw_json_text(keyfile));
			aw_json_print(stdout, o);
		} else {
			aw_cli_print_section(stdout, sec);
			if (known && match)
				printf(_("\nmatch: the published key is the public half of %s\n"),
				    keyfile);
			else if (known)
				printf(_("\nmismatch: the published key is not the key in %s\n"),
				    keyfile);
			else
				printf(_("\nmismatch: no usable key is published to compare with %s\n"),
				    keyfile);
		}
		if (sec->f.dns_failure)
			rc = AW_EXIT_DNS;
		else
			rc = match ? AW_EXIT_OK : AW_EXIT_FINDINGS;
	}
done:
	aw_cli_args_done(&args);
	aw_domain_check_free(dc);
	aw_session_done(&dns);
	aw_strv_done(&selectors);
	free(domain);
	return rc;
}

static int
dkim_run(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
		return dkim_keygen(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return dkim_check_or_verify(argc - 1, argv + 1, true);
	return dkim_check_or_verify(argc, argv, false);
}

const struct aw_cli_command aw_cmd_dkim = {
	.name = "dkim",
	.summary = N_("check DKIM selectors, generate a key, verify a published key"),
	.run = dkim_run,
	.usage = dkim_usage,
	.options = dkim_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};
