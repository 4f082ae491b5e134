/* tui.h: the wizard's entry point. Its one caller, cli/main.c, gets the
 * run context (providers/session.h) from the launcher cli/cmd-wizard.c,
 * which parsed the options and started the loop and resolver, and hands
 * it over; the wizard includes nothing of cli/ (tests/check-layering.sh
 * checks both). */
#ifndef AW_TUI_H
#define AW_TUI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "providers/session.h"

/* What the wizard runs on. */
struct aw_tui_run {
	struct aw_session *session;    /* the caller's; outlives the run. Its
	                                * loop runs the wizard; its resolver
	                                * is taken: the wizard frees it (its
	                                * lookups still pending answered as
	                                * failed first) and sets it NULL; its
	                                * servers (--dns-server) are asked
	                                * again by the recheck; the DNS host
	                                * is opened on it */
	const char *domain;            /* NULL: the first screen asks */
	const char *provider;          /* --provider id, or NULL */
	const char *trust_anchor;      /* --trust-anchor file, or NULL: the
	                                * root's key */
	bool no_dnssec;                /* --no-dnssec: no validator, the
	                                * overview has no DNSSEC line */
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
