/* commands.c: the command table. Adding a command is one file and one line. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"

extern const struct aw_cli_command aw_cmd_check;
extern const struct aw_cli_command aw_cmd_watch;

const struct aw_cli_command *const aw_cli_commands[] = {
	&aw_cmd_check,
	&aw_cmd_watch,
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
