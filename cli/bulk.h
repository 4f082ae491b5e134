/* bulk.h: many domains over one resolver, for `check` and `verify`: at
 * most N in flight, results printed in the order given as soon as those
 * before are, a progress meter on a terminal, and Ctrl-C that stops
 * cleanly; and the domains file (one per line, or CSV with a header
 * "domain,VAR,..." giving each domain template variables). */
#ifndef AW_CLI_BULK_H
#define AW_CLI_BULK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strv.h"

struct aw_loop;

/* Exit status of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as
 * shells report it): the results printed are whole, the rest not
 * checked. */
#define AW_EXIT_INTERRUPTED 130

/* What an emitted item came to, for the meter's count. */
#define AW_BULK_FAILED 0x1

struct aw_cli_bulk_ops {
	/* Starts item i; false after printing an error (the run stops). */
	bool (*start)(void *arg, size_t i);
	bool (*finished)(void *arg, size_t i);
	/* Prints item i (whole lines, flushed) and frees it; AW_BULK_*. */
	unsigned (*emit)(void *arg, size_t i);
};

struct aw_cli_bulk {
	size_t n;                 /* items */
	size_t parallel;          /* in flight at once */
	struct aw_loop *loop;
	bool meter;               /* show progress on stderr */
	/* Results: */
	size_t printed;           /* items emitted, in order */
	size_t failed;            /* of which AW_BULK_FAILED */
	bool interrupted;
};

/* True when the progress meter is wanted: standard error is a terminal
 * and not quiet. */
bool aw_cli_bulk_meter_wanted(bool quiet);
/* Runs the items; AW_EXIT_OK when all were emitted, AW_EXIT_INTERRUPTED
 * after a SIGINT/SIGTERM (a summary on stderr says how many were not
 * checked; a second signal ends the process at once), AW_EXIT_INTERNAL
 * when start failed or the loop had nothing to wait for. Items started
 * and not emitted are the caller's to free (after the resolver). */
int aw_cli_bulk_run(struct aw_cli_bulk *b, const struct aw_cli_bulk_ops *ops,
    void *arg);

/* The domains to work on, from arguments and domains files. vars[i]
 * holds "NAME=VALUE" entries of domain i (CSV columns; empty cells left
 * out). */
struct aw_cli_domains {
	struct aw_strv domains;   /* A-labels */
	struct aw_strv *vars;     /* one per domain */
	size_t cap;
};

void aw_cli_domains_init(struct aw_cli_domains *d);
void aw_cli_domains_done(struct aw_cli_domains *d);
/* Adds a domain argument (Unicode or A-labels); false after a message. */
bool aw_cli_domains_arg(struct aw_cli_domains *d, const char *arg);
/* Reads path ("-": standard input): one domain per line ('#' starts a
 * comment), or with a first line "domain,NAME,..." CSV rows whose cells
 * are the template variables NAME of that row's domain ("" quoting as
 * RFC 4180). False after a message naming the file and line. */
bool aw_cli_domains_read(struct aw_cli_domains *d, const char *path);

#endif
