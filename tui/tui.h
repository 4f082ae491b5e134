/* tui.h: the wizard's entry point. The caller (the command line's
 * launcher, cli/cmd-wizard.c) parses the options, starts the loop and the
 * resolver and hands them over; the wizard includes nothing of cli/. */
#ifndef AW_TUI_H
#define AW_TUI_H

#include <stddef.h>

#include "checks/resolver.h"
#include "core/error.h"
#include "core/loop.h"

/* What the wizard runs on. */
struct aw_tui_run {
	struct aw_loop *loop;          /* the caller's; outlives the run */
	struct aw_resolver *res;       /* taken: the wizard frees it (its
	                                * lookups still pending answered as
	                                * failed first) and sets it NULL */
	const char *const *servers;    /* --dns-server values, asked again
	                                * by the recheck; may be 0 */
	size_t nservers;
	const char *domain;            /* NULL: the first screen asks */
	const char *provider;          /* --provider id, or NULL */
};

enum aw_tui_outcome {
	AW_TUI_RUN_DONE = 0,        /* left; every change asked for was applied */
	AW_TUI_RUN_PARTIAL,         /* left while applying, or some failed */
	AW_TUI_RUN_HOST_FAILED,     /* every change sent failed */
	AW_TUI_RUN_USAGE,           /* an unknown --provider, no usable terminal:
	                         * err says which */
	AW_TUI_RUN_NOMEM        /* out of memory */
};

/* Runs the wizard on the terminal (stdin and stdout must be one). The
 * apply report is printed when it ends. */
enum aw_tui_outcome aw_tui_run(struct aw_tui_run *run, struct aw_error *err);

#endif
