/* tui/main.c: the wizard's entry. Until the ncurses wizard lands it asks
 * for a domain on the terminal and shows the check. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "tui/tui.h"

int
aw_tui_main(int argc, char **argv)
{
	const struct aw_cli_command *check = aw_cli_find("check");
	char line[512], **args;
	int i, n = 0, rc;
	bool have_domain = false;

	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-' && (i == 1 || argv[i - 1][0] != '-' ||
		    strchr(argv[i - 1], '=') != NULL))
			have_domain = true;
	args = calloc((size_t)argc + 3, sizeof *args);
	if (args == NULL)
		return AW_EXIT_INTERNAL;
	args[n++] = "check";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	if (!have_domain) {
		char *nl;

		printf(_("Domain to set up: "));
		fflush(stdout);
		if (fgets(line, sizeof line, stdin) == NULL) {
			free(args);
			putchar('\n');
			return aw_cli_usage_error(NULL, _("no domain given"));
		}
		if ((nl = strchr(line, '\n')) != NULL)
			*nl = '\0';
		args[n++] = line;
	}
	args[n] = NULL;
	rc = check->run(n, args);
	free(args);
	return rc;
}
