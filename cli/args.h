/* args.h: one parser for every command's options (tmux's args template).
 * A command declares its own options as a const table in its entry
 * (struct aw_cli_command .options) and which shared sets it takes
 * (.shared); aw_cli_args_next hands back only the command's own options,
 * one at a time, and does the rest itself: --help/-h, the DNS options,
 * --json, --provider with the host and record options, and the one
 * message for a bad option. */
#ifndef AW_CLI_ARGS_H
#define AW_CLI_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"

struct aw_cli_provider;

/* What aw_cli_args_next returns besides a command option's id (>= 0). */
#define AW_CLI_ARGS_END (-1)   /* the options are done; operands from optind */
#define AW_CLI_ARGS_STOP (-2)  /* --help printed or a bad option: return rc */

struct aw_cli_args {
	/* Set by aw_cli_args_init from the caller's arguments. */
	const struct aw_cli_command *cmd;
	struct aw_session *dns;         /* NULL: DNS options taken, ignored */
	struct aw_cli_provider *cp;     /* for AW_CLI_SHARED_PROVIDER */
	/* Out. */
	const char *arg;                /* the value of the option returned */
	bool json;                      /* --json (without cp; cp->json with) */
	int rc;                         /* the exit code after AW_CLI_ARGS_STOP */
	/* Private. */
	int argc;
	char **argv;
	size_t nown;
	struct option *longopts;
	char shortopts[32];
};

/* Builds the option list of cmd (its .options and .shared); dns and cp
 * receive the shared options (either may be NULL; see above). Resets
 * getopt (optind = 1). false (after a message) when out of memory. Call
 * aw_cli_args_done in every case. */
bool aw_cli_args_init(struct aw_cli_args *a, const struct aw_cli_command *cmd,
    int argc, char **argv, struct aw_session *dns, struct aw_cli_provider *cp);
/* The id of the next of the command's own options (its value in a->arg),
 * AW_CLI_ARGS_END, or AW_CLI_ARGS_STOP with a->rc set (AW_EXIT_OK after
 * --help; AW_EXIT_USAGE after the one message for a bad option or value). */
int aw_cli_args_next(struct aw_cli_args *a);
void aw_cli_args_done(struct aw_cli_args *a);

/* The --help lines of the options in opts (a command's .options table):
 * "  -y, --yes, --name VALUE" and the help text (aw_cli_usage_item), in
 * table order; entries whose name is in skip (may be NULL) are left out
 * (a form's options listed already). The one source of a command's
 * option lines, so its help lists every option it takes. */
void aw_cli_args_usage(FILE *out, const struct aw_cli_opt *opts,
    const struct aw_cli_opt *skip);

#endif
