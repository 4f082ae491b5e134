/* wizard.h: the wizard's launcher on the command line (cmd-wizard.c):
 * its options, the run context it gets and the plain check without a
 * terminal. The wizard itself is started by cli/main.c only (the one
 * file of cli/ that includes tui/tui.h). */
#ifndef AW_CLI_WIZARD_H
#define AW_CLI_WIZARD_H

#include <stdbool.h>

#include "providers/session.h"

/* What `authwizard [OPTIONS] [DOMAIN]` asked for. */
struct aw_cli_wizard {
	struct aw_session session;  /* loop and resolver started */
	const char *domain;         /* argv's, or NULL: the wizard asks */
	const char *provider;       /* --provider (argv's), or NULL */
	const char *trust_anchor;   /* --trust-anchor (argv's), or NULL */
	bool no_dnssec;             /* --no-dnssec */
};

/* Parses the wizard's options into w and starts the run context's loop
 * and resolver. Returns -1 when the wizard is to run on w (then
 * aw_cli_wizard_done it); else the exit status of what was done instead
 * (--help, a bad option, the plain `check` without a terminal, a
 * resolver that could not start), w left with nothing to free. */
int aw_cli_wizard_start(struct aw_cli_wizard *w, int argc, char **argv);
void aw_cli_wizard_done(struct aw_cli_wizard *w);

#endif
