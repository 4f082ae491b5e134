/* check-extras.h: --requirements and --baseline of `check`. */
#ifndef AW_CLI_CHECK_EXTRAS_H
#define AW_CLI_CHECK_EXTRAS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "checks/domain.h"
#include "cli/cli.h"

/* The providers' requirements judged from dc: into doc as
 * "requirements" (--json), else as text to out. */
void aw_cli_requirements(struct aw_domain_check *dc, json_t *doc, FILE *out);

struct aw_cli_baseline {
	const char *path;
	json_t *root;       /* {"format":1,"about":..,"domains":{...}} */
	bool existed;       /* the file was there */
	bool update;        /* --baseline-update: keep what is seen now */
	bool dirty;         /* to be written */
	size_t worse;       /* domains with changes for the worse */
};

/* Reads path (a missing file starts an empty baseline). False (message
 * printed) when it cannot be read or is not a baseline. */
bool aw_cli_baseline_open(struct aw_cli_baseline *b, const char *path,
    bool update);
/* Compares the finished check of domain with its baseline, or saves it
 * when the domain has none yet: into doc as "drift" (--json; null when
 * just saved), else as text to out. True when something changed for
 * the worse. */
bool aw_cli_baseline_domain(struct aw_cli_baseline *b,
    struct aw_domain_check *dc, const char *domain, bool dns_failure,
    json_t *doc, FILE *out);
/* Writes the file when it changed (atomically); frees. False (message
 * printed) when it could not be written. */
bool aw_cli_baseline_close(struct aw_cli_baseline *b);

#endif
