/* area-run.h: running some areas of a domain check from a command and
 * printing them (the dkim, dmarc and ptr commands share this). */
#ifndef AW_CLI_AREA_RUN_H
#define AW_CLI_AREA_RUN_H

#include <stdbool.h>

#include "checks/domain.h"
#include "cli/cli.h"

/* Runs the check over the resolver in dns (started) and waits for it.
 * NULL after printing a message when it could not run. The caller frees
 * it with aw_domain_check_free. */
struct aw_domain_check *aw_cli_run_areas(struct aw_session *dns,
    const char *domain, const struct aw_domain_check_opts *opts);
/* Prints every section (human), or with json the section's object (as in
 * `check --json`) when there is one, else an array of them. Returns the
 * exit code: 3 when a lookup failed, 1 when a section has errors or is
 * missing and findings_fail, else 0. */
int aw_cli_print_areas(struct aw_domain_check *dc, bool json,
    bool findings_fail);

/* The DNSSEC validator on the session's loop, asking the session's
 * servers, with the trust anchor file anchor (NULL: the root's). NULL
 * after printing why. deferred: with the root's anchors, started on the
 * loop's first turn (aw_validator_new_deferred; the caller reports
 * aw_validator_start_error after the run). Free with aw_validator_free
 * before the session. */
struct aw_validator *aw_cli_validator(struct aw_session *dns,
    const char *anchor, bool deferred);

#endif
