/* commands.c: the command table. Adding a command is one file and one line. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

const struct aw_cli_command *const aw_cli_commands[] = {
	&aw_cmd_check,
	&aw_cmd_verify,
	&aw_cmd_spf,
	&aw_cmd_dkim,
	&aw_cmd_dmarc,
	&aw_cmd_ptr,
	&aw_cmd_dnssec,
	&aw_cmd_dane,
	&aw_cmd_mta_sts,
	&aw_cmd_tls_rpt,
	&aw_cmd_bimi,
	&aw_cmd_plan,
	&aw_cmd_apply,
	&aw_cmd_undo,
	&aw_cmd_watch,
	&aw_cmd_catalog,
	NULL
};

const struct aw_cli_command *
aw_cli_find(const char *name)
{
	size_t i;

	for (i = 0; aw_cli_commands[i] != NULL; i++)
		if (strcmp(aw_cli_commands[i]->name, name) == 0)
			return aw_cli_commands[i];
	return NULL;
}
