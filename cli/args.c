/* args.c: the one option parser of the commands (see args.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli-provider.h"
#include "core/i18n.h"

/* getopt_long values of the command's own options: OWN + table index, so
 * a command's ids never meet the shared options' numbers. */
#define ARGS_OWN 5000

static const struct option args_help = { "help", no_argument, NULL, 'h' };
static const struct option args_json = { "json", no_argument, NULL,
    AW_OPT_JSON };
static const struct option args_dns[] = { AW_CLI_DNS_LONGOPTS };

static bool
args_own_name(const struct aw_cli_command *cmd, const char *name)
{
	const struct aw_cli_opt *o;

	for (o = cmd->options; o != NULL && o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return true;
	return false;
}

/* Appends the shared options that the command does not declare itself (a
 * command's own entry overrides a shared option of the same name). */
static size_t
args_add_shared(struct aw_cli_args *a, size_t k, const struct option *o,
    size_t n)
{
	size_t i;

	for (i = 0; i < n && o[i].name != NULL; i++)
		if (!args_own_name(a->cmd, o[i].name))
			a->longopts[k++] = o[i];
	return k;
}

bool
aw_cli_args_init(struct aw_cli_args *a, const struct aw_cli_command *cmd,
    int argc, char **argv, struct aw_session *dns, struct aw_cli_provider *cp)
{
	struct option *shared = NULL;
	size_t nshared = 0, k = 0, s = 0, i;
	const struct aw_cli_opt *o;

	memset(a, 0, sizeof *a);
	a->cmd = cmd;
	a->dns = dns;
	a->cp = cp;
	a->argc = argc;
	a->argv = argv;
	a->rc = AW_EXIT_USAGE;
	for (o = cmd->options; o != NULL && o->name != NULL; o++)
		a->nown++;
	if (cmd->shared & AW_CLI_SHARED_PROVIDER) {
		shared = aw_cli_provider_longopts(
		    (cmd->shared & AW_CLI_SHARED_WANTS) != 0);
		if (shared == NULL)
			goto nomem;
		while (shared[nshared].name != NULL)
			nshared++;
	}
	a->longopts = calloc(a->nown + nshared + 6, sizeof *a->longopts);
	if (a->longopts == NULL)
		goto nomem;
	a->shortopts[s++] = 'h';
	for (i = 0; i < a->nown; i++) {
		o = &cmd->options[i];
		a->longopts[k].name = o->name;
		a->longopts[k].has_arg = o->has_arg;
		a->longopts[k].val = ARGS_OWN + (int)i;
		k++;
		if (o->shortopt != 0 && s + 3 < sizeof a->shortopts) {
			a->shortopts[s++] = (char)o->shortopt;
			if (o->has_arg == required_argument)
				a->shortopts[s++] = ':';
		}
	}
	k = args_add_shared(a, k, &args_help, 1);
	if (shared != NULL) {
		/* --provider, --json, the DNS and host options (and --help,
		 * skipped: it is there already). */
		for (i = 0; i < nshared; i++)
			if (strcmp(shared[i].name, "help") != 0)
				k = args_add_shared(a, k, &shared[i], 1);
	} else {
		if (cmd->shared & AW_CLI_SHARED_JSON)
			k = args_add_shared(a, k, &args_json, 1);
		if (cmd->shared & AW_CLI_SHARED_DNS)
			k = args_add_shared(a, k, args_dns,
			    sizeof args_dns / sizeof args_dns[0]);
	}
	free(shared);
	optind = 1;
	opterr = 0;         /* the one message is ours */
	return true;
nomem:
	free(shared);
	aw_cli_error(_("out of memory"));
	a->rc = AW_EXIT_INTERNAL;
	return false;
}

static bool
args_is_dns(int c)
{
	return c == AW_OPT_DNS_SERVER || c == AW_OPT_DNS_TIMEOUT ||
	    c == AW_OPT_DNS_TRIES;
}

int
aw_cli_args_next(struct aw_cli_args *a)
{
	const struct aw_cli_opt *o;
	int c, r;

	if (a->longopts == NULL)
		return AW_CLI_ARGS_STOP;
	while ((c = getopt_long(a->argc, a->argv, a->shortopts, a->longopts,
	    NULL)) != -1) {
		a->arg = optarg;
		if (c >= ARGS_OWN && c < ARGS_OWN + (int)a->nown)
			return a->cmd->options[c - ARGS_OWN].id;
		if (c == 'h') {
			a->cmd->usage(stdout);
			a->rc = AW_EXIT_OK;
			return AW_CLI_ARGS_STOP;
		}
		for (o = a->cmd->options; c != '?' && c != ':' && o != NULL &&
		    o->name != NULL; o++)
			if (o->shortopt != 0 && o->shortopt == c)
				return o->id;
		if (args_is_dns(c)) {
			if (a->dns != NULL && !aw_cli_dns_option(a->dns, c, optarg))
				return AW_CLI_ARGS_STOP;
			continue;
		}
		if (a->cp != NULL && c != '?' && c != ':') {
			if ((r = aw_cli_provider_option(a->cp, a->cmd->name, c,
			    optarg)) < 0)
				return AW_CLI_ARGS_STOP;
			if (r > 0)
				continue;
		} else if (c == AW_OPT_JSON) {
			a->json = true;
			continue;
		}
		a->rc = aw_cli_option_error(a->cmd->name, a->argv, c);
		return AW_CLI_ARGS_STOP;
	}
	return AW_CLI_ARGS_END;
}

static bool
args_in(const struct aw_cli_opt *opts, const char *name)
{
	for (; opts != NULL && opts->name != NULL; opts++)
		if (strcmp(opts->name, name) == 0)
			return true;
	return false;
}

/* "-y, --yes" or "--out FILE", appended to left (", " between). */
static void
args_usage_left(char *left, size_t size, const struct aw_cli_opt *o)
{
	size_t n = strlen(left);
	char letter[8] = "";

	if (o->shortopt != 0)
		snprintf(letter, sizeof letter, "-%c, ", o->shortopt);
	snprintf(left + n, size - n, "%s%s--%s%s%s", n > 0 ? ", " : "",
	    letter, o->name, o->arg != NULL ? " " : "",
	    o->arg != NULL ? _(o->arg) : "");
}

void
aw_cli_args_usage(FILE *out, const struct aw_cli_opt *opts,
    const struct aw_cli_opt *skip)
{
	const struct aw_cli_opt *o, *g;
	char left[160];

	for (o = opts; o != NULL && o->name != NULL; o++) {
		if (o->help == NULL || o->help[0] == '\0' ||
		    args_in(skip, o->name))
			continue;
		left[0] = '\0';
		args_usage_left(left, sizeof left, o);
		/* The entries after it with help "" share its line. */
		for (g = o + 1; g->name != NULL && g->help != NULL &&
		    g->help[0] == '\0'; g++)
			args_usage_left(left, sizeof left, g);
		aw_cli_usage_item(out, left, _(o->help));
	}
}

void
aw_cli_args_done(struct aw_cli_args *a)
{
	free(a->longopts);
	a->longopts = NULL;
}
