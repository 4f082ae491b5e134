/* spf-batch.h: `authwizard spf --batch FILE` (cli/spf-batch.c). */
#ifndef AW_CLI_SPF_BATCH_H
#define AW_CLI_SPF_BATCH_H

#include <stdbool.h>

#include "cli/cli.h"

/* Evaluates each line "IP SENDER [HELO]" of path ("-": standard input)
 * over dns (started here; its resolver is freed here too, the caller
 * still calls aw_session_done). Returns the exit status: 0 every line
 * evaluated, 1 some lines were bad (each reported with its number),
 * 6 the file could not be read. */
int aw_cli_spf_batch(const char *path, bool json, struct aw_session *dns);

#endif
