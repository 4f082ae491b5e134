/* wizard.h: the wizard's launcher on the command line (cmd-wizard.c). */
#ifndef AW_CLI_WIZARD_H
#define AW_CLI_WIZARD_H

/* `authwizard [OPTIONS] [DOMAIN]`: parses the wizard's options, starts
 * the loop and resolver and runs the wizard (tui/tui.h) on them; without
 * a terminal runs `check` instead. Returns the exit status. */
int aw_cli_wizard(int argc, char **argv);

#endif
