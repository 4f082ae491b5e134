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
	/* Prints item i (whole lines, then aw_cli_bulk_flush) and frees
	 * it; AW_BULK_*. */
	unsigned (*emit)(void *arg, size_t i);
};

struct aw_cli_bulk {
	size_t n;                 /* items */
	size_t parallel;          /* in flight at once */
	struct aw_loop *loop;
	bool meter;               /* show progress on stderr */
	/* A --jobs worker (set by aw_cli_bulk_jobs): only the items first,
	 * first + step, ... (indices into all n); each emitted item is
	 * followed by a record end on standard output, a pipe to the
	 * parent; no meter, no summary; SIGINT is left to the parent. */
	size_t first, step;
	bool worker;
	/* Results: */
	size_t printed;           /* items emitted, in order (a worker: of
	                           * its own) */
	size_t failed;            /* of which AW_BULK_FAILED */
	bool interrupted;
};

/* Flushes standard output after an item, for the results to stream;
 * in a --jobs worker a batch of items goes to the parent at once. */
void aw_cli_bulk_flush(void);
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

/* check --jobs: at most this many worker processes. */
#define AW_CLI_JOBS_MAX 64

/* The value of --parallel (opt 'P') or --jobs (opt 'j') of cmd into *out:
 * -1 when good, else the usage error's exit status (printed). */
int aw_cli_bulk_count_arg(const char *cmd, int opt, const char *arg,
    size_t *out);
/* b for n items, parallel at once, with a meter when several and not
 * quiet (one domain shows no meter: it is over in a moment). */
void aw_cli_bulk_setup(struct aw_cli_bulk *b, size_t n, size_t parallel,
    bool quiet);

struct aw_session;

/* Splits a run over jobs worker processes when jobs > 1 and b->n > 1.
 * Call it with b's n, parallel and meter set, after the items are known
 * and before dns has its resolver or a validator is made: each worker
 * makes its own (libunbound runs a thread: no fork after it). The DNS
 * settings are tried first (an error is printed once, not by each
 * worker). Each worker gets every jobs-th item, its share of --parallel
 * and of the resolver's queries on the wire (dns->inflight_max), so all
 * of them together ask no more at once than one process would.
 * Returns true in a worker (b->worker set; the caller goes on as
 * usual: aw_cli_bulk_run and its exit status) and without a fork. In
 * the parent it relays the workers' results to standard output in
 * input order, each as soon as it and those before are whole, shows the
 * meter, passes a SIGINT or SIGTERM on to the workers, waits for them
 * and returns false with *rc the exit status of the whole run: as one
 * process's, AW_EXIT_INTERRUPTED when stopped, AW_EXIT_INTERNAL after a
 * message naming a worker that died. */
bool aw_cli_bulk_jobs(struct aw_cli_bulk *b, struct aw_session *dns,
    size_t jobs, int *rc);

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
