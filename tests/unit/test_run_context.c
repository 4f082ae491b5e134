/* test_run_context.c: the one option parser of the commands (cli/args.c),
 * the run context both front ends share (providers/session.c), and the
 * wizard's DNS hosts taken from the provider table (issue 14). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/args.h"
#include "providers/session.h"
#include "tui/model.h"

enum { OPT_FOO, OPT_YES, OPT_OWN_JSON };

static int usage_calls;

static void
fake_usage(FILE *out)
{
	(void)out;
	usage_calls++;
}

static const struct aw_cli_opt fake_options[] = {
	{ "foo", 0, required_argument, OPT_FOO, "X", "the foo" },
	{ "yes", 'y', no_argument, OPT_YES, NULL, "say yes" },
	{ NULL, 0, 0, 0, NULL, NULL }
};

static const struct aw_cli_command fake_cmd = {
	.name = "fake",
	.usage = fake_usage,
	.options = fake_options,
	.shared = AW_CLI_SHARED_JSON | AW_CLI_SHARED_DNS,
};

/* Parses argv (NULL-terminated) with cmd; returns the ids seen until END
 * or STOP (the last one) into ids. */
static size_t
parse(const struct aw_cli_command *cmd, char **argv, struct aw_session *s,
    struct aw_cli_args *a, int *ids, size_t max)
{
	int argc = 0, c;
	size_t n = 0;

	while (argv[argc] != NULL)
		argc++;
	assert_true(aw_cli_args_init(a, cmd, argc, argv, s, NULL));
	do {
		c = aw_cli_args_next(a);
		if (n < max)
			ids[n++] = c;
	} while (c != AW_CLI_ARGS_END && c != AW_CLI_ARGS_STOP);
	return n;
}

static void
own_options_come_back_shared_ones_are_done_by_the_parser(void **state)
{
	char *argv[] = { "fake", "--foo", "x", "--json", "-y", "--dns-tries", "3",
	    "--dns-server", "127.0.0.1:5300", "example.org", NULL };
	struct aw_session s;
	struct aw_cli_args a;
	int ids[8];
	size_t n;

	(void)state;
	aw_session_init(&s);
	n = parse(&fake_cmd, argv, &s, &a, ids, 8);
	assert_int_equal(n, 3);
	assert_int_equal(ids[0], OPT_FOO);
	assert_int_equal(ids[1], OPT_YES);
	assert_int_equal(ids[2], AW_CLI_ARGS_END);
	assert_true(a.json);
	assert_int_equal(s.tries, 3);
	assert_int_equal(s.servers.n, 1);
	assert_string_equal(s.servers.v[0], "127.0.0.1:5300");
	assert_string_equal(argv[optind], "example.org");
	aw_cli_args_done(&a);
	aw_session_done(&s);
}

static void
help_prints_the_usage_and_stops_with_status_0(void **state)
{
	char *argv[] = { "fake", "--foo", "x", "-h", "--nope", NULL };
	struct aw_session s;
	struct aw_cli_args a;
	int ids[4];
	size_t n;

	(void)state;
	aw_session_init(&s);
	usage_calls = 0;
	n = parse(&fake_cmd, argv, &s, &a, ids, 4);
	assert_int_equal(n, 2);
	assert_int_equal(ids[1], AW_CLI_ARGS_STOP);
	assert_int_equal(a.rc, AW_EXIT_OK);
	assert_int_equal(usage_calls, 1);
	aw_cli_args_done(&a);
	aw_session_done(&s);
}

static void
bad_option_or_value_stops_with_usage_status(void **state)
{
	char *unknown[] = { "fake", "--nope", NULL };
	char *novalue[] = { "fake", "--foo", NULL };
	char *badtries[] = { "fake", "--dns-tries", "99", NULL };
	char **cases[] = { unknown, novalue, badtries };
	struct aw_session s;
	struct aw_cli_args a;
	int ids[4];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		aw_session_init(&s);
		n = parse(&fake_cmd, cases[i], &s, &a, ids, 4);
		assert_int_equal(n, 1);
		assert_int_equal(ids[0], AW_CLI_ARGS_STOP);
		assert_int_equal(a.rc, AW_EXIT_USAGE);
		aw_cli_args_done(&a);
		aw_session_done(&s);
	}
}

static void
shared_options_only_when_declared_and_own_entry_wins(void **state)
{
	static const struct aw_cli_opt own_json[] = {
		{ "json", 0, no_argument, OPT_OWN_JSON, NULL, "its own" },
		{ NULL, 0, 0, 0, NULL, NULL }
	};
	const struct aw_cli_command bare = { .name = "bare", .usage = fake_usage,
	    .options = own_json, .shared = 0 };
	char *dns[] = { "bare", "--dns-tries", "3", NULL };
	char *json[] = { "bare", "--json", NULL };
	struct aw_cli_args a;
	int ids[4];
	size_t n;

	(void)state;
	/* No DNS set declared: --dns-tries is an unknown option. */
	n = parse(&bare, dns, NULL, &a, ids, 4);
	assert_int_equal(ids[n - 1], AW_CLI_ARGS_STOP);
	assert_int_equal(a.rc, AW_EXIT_USAGE);
	aw_cli_args_done(&a);
	/* The command's own "json" comes back as its own id. */
	n = parse(&bare, json, NULL, &a, ids, 4);
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], OPT_OWN_JSON);
	assert_false(a.json);
	aw_cli_args_done(&a);
}

static void
providers_open_on_the_sessions_one_loop_and_transport(void **state)
{
	struct aw_provider_config cfg;
	struct aw_provider *p1 = NULL, *p2 = NULL, *p3 = NULL;
	struct aw_session s;
	struct aw_error err;
	struct aw_http *http;

	(void)state;
	aw_session_init(&s);
	aw_provider_config_init(&cfg);
	aw_error_clear(&err);
	assert_int_equal(aw_provider_config_set(&cfg, "PDNS_API_URL",
	    "http://127.0.0.1:9"), AW_OK);
	assert_int_equal(aw_provider_config_set(&cfg, "PDNS_API_KEY", "k"), AW_OK);
	assert_int_equal(aw_session_open_provider(&s, "powerdns", &cfg, &p1, &err),
	    AW_OK);
	assert_non_null(s.loop);
	assert_non_null(s.http);
	assert_ptr_equal(p1->http, s.http);
	assert_ptr_equal(p1->loop, s.loop);
	http = s.http;
	assert_int_equal(aw_session_open_provider(&s, "powerdns", &cfg, &p2, &err),
	    AW_OK);
	assert_ptr_equal(p2->http, http);
	assert_int_not_equal(aw_session_open_provider(&s, "no-such-host", &cfg,
	    &p3, &err), AW_OK);
	assert_null(p3);
	/* The DNS side starts on the same loop. */
	assert_int_equal(aw_session_start_dns(&s, &err), AW_OK);
	assert_non_null(s.res);
	aw_provider_free(p1);
	aw_provider_free(p2);
	aw_provider_config_done(&cfg);
	aw_session_done(&s);
	assert_null(s.loop);
}

static void
wizard_hosts_and_credential_fields_come_from_the_provider_table(void **state)
{
	const struct aw_tui_target_info *t = aw_tui_targets;
	const struct aw_provider_option *o;
	size_t i, k;

	(void)state;
	for (i = 0; i < (size_t)AW_TARGET_SHOW; i++) {
		assert_non_null(aw_providers[i]);
		assert_string_equal(t[i].id, aw_providers[i]->name);
		for (o = aw_providers[i]->options, k = 0; o->option != NULL; o++) {
			if (!o->ask)
				continue;
			assert_true(k < t[i].ncred);
			assert_string_equal(t[i].cred[k].env, o->env);
			assert_int_equal(t[i].cred[k].secret, o->secret);
			assert_non_null(t[i].cred[k].label);
			k++;
		}
		assert_int_equal(k, t[i].ncred);
	}
	/* Every host of the table is offered (rfc2136 too), then show. */
	assert_null(aw_providers[AW_TARGET_SHOW]);
	assert_true(aw_tui_target_find("rfc2136") >= 0 &&
	    aw_tui_target_find("rfc2136") < AW_TARGET_SHOW);
	assert_int_equal(aw_tui_target_find("show"), AW_TARGET_SHOW);
	assert_int_equal(aw_tui_target_find("nosuchhost"), -1);
	assert_string_equal(t[AW_TARGET_SHOW].id, "show");
	assert_int_equal(t[AW_TARGET_SHOW].ncred, 0);
	/* The wizard keeps the names it showed. */
	assert_string_equal(t[aw_tui_target_find("route53")].name, "Amazon Route 53");
	assert_string_equal(t[aw_tui_target_find("cloudflare")].cred[0].label, "API token");
	assert_string_equal(t[aw_tui_target_find("powerdns")].cred[0].env, "PDNS_API_URL");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_options_come_back_shared_ones_are_done_by_the_parser),
		cmocka_unit_test(help_prints_the_usage_and_stops_with_status_0),
		cmocka_unit_test(bad_option_or_value_stops_with_usage_status),
		cmocka_unit_test(shared_options_only_when_declared_and_own_entry_wins),
		cmocka_unit_test(providers_open_on_the_sessions_one_loop_and_transport),
		cmocka_unit_test(wizard_hosts_and_credential_fields_come_from_the_provider_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
