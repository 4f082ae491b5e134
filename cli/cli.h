/* cli.h: the command-line front end: commands, shared options, exit codes,
 * output helpers. Only the CLI prints; the libraries return data. */
#ifndef AW_CLI_H
#define AW_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "checks/resolver.h"
#include "core/loop.h"
#include "core/strv.h"
#include "providers/session.h"

/* Exit codes (documented in authwizard(1) and README). */
enum aw_exit {
	AW_EXIT_OK = 0,          /* done; every lookup got an answer */
	AW_EXIT_FINDINGS = 1,    /* the answer is "no": fail, mismatch,
	                          * not propagated, errors found */
	AW_EXIT_USAGE = 2,       /* bad command line */
	AW_EXIT_DNS = 3,         /* a DNS lookup failed (SERVFAIL, timeout) */
	AW_EXIT_PROVIDER = 4,    /* the DNS host's API refused or failed */
	AW_EXIT_PARTIAL = 5,     /* an apply stopped midway (see journal) */
	AW_EXIT_IO = 6,          /* a file (or the output) could not be read
	                          * or written */
	AW_EXIT_PREFLIGHT = 7,   /* apply refused: the zone as it would be
	                          * fails the preflight (--force publishes) */
	AW_EXIT_INTERNAL = 70    /* a bug or out of memory */
};

/* One of a command's own options, declared in its table entry and
 * parsed by aw_cli_args_next (cli/args.h). */
struct aw_cli_opt {
	const char *name;         /* long name, without "--"; NULL ends */
	int shortopt;             /* a letter, or 0 */
	int has_arg;              /* no_argument or required_argument */
	int id;                   /* what the parser returns for it (>= 0) */
	/* Its --help line, generated from here (aw_cli_args_usage). */
	const char *arg;          /* N_(): the value's name ("FILE"), or NULL */
	const char *help;         /* N_(): what it does; NULL: not listed (an
	                           * option taken only to be refused, or a
	                           * form the usage's text describes); "":
	                           * listed with the entry before it ("--sp
	                           * P, --np P") */
};

/* The shared option sets a command takes (struct aw_cli_command .shared). */
enum {
	AW_CLI_SHARED_JSON = 1 << 0,      /* --json */
	AW_CLI_SHARED_DNS = 1 << 1,       /* --dns-server, --dns-timeout,
	                                   * --dns-tries */
	AW_CLI_SHARED_PROVIDER = 1 << 2,  /* --provider, each host's options,
	                                   * --json and the DNS options */
	AW_CLI_SHARED_WANTS = 1 << 3      /* the record options (--spf-*, ...) */
};

struct aw_cli_command {
	const char *name;         /* NULL: the wizard (no command word) */
	const char *summary;      /* N_() */
	int (*run)(int argc, char **argv);
	void (*usage)(FILE *out);
	const struct aw_cli_opt *options;  /* NULL-name terminated */
	unsigned shared;                   /* AW_CLI_SHARED_* */
};

/* The commands (cli/cmd-*.c); each file names its own entry. */
extern const struct aw_cli_command aw_cmd_check, aw_cmd_spf, aw_cmd_dkim,
    aw_cmd_dmarc, aw_cmd_ptr, aw_cmd_plan, aw_cmd_apply, aw_cmd_undo,
    aw_cmd_watch, aw_cmd_catalog;
extern const struct aw_cli_command aw_cmd_verify;
extern const struct aw_cli_command aw_cmd_dnssec, aw_cmd_dane;
extern const struct aw_cli_command aw_cmd_mta_sts, aw_cmd_tls_rpt, aw_cmd_bimi;

/* The table (cli/commands.c), NULL-terminated. */
extern const struct aw_cli_command *const aw_cli_commands[];
const struct aw_cli_command *aw_cli_find(const char *name);

/* The DNS options every DNS-using command takes go into the run context
 * (struct aw_session, providers/session.h), parsed by aw_cli_dns_option. */
/* getopt_long option numbers for the shared DNS options. */
enum {
	AW_OPT_DNS_SERVER = 1000,
	AW_OPT_DNS_TIMEOUT,
	AW_OPT_DNS_TRIES,
	AW_OPT_JSON,
	AW_OPT_FIRST_FREE = 1100
};
#define AW_CLI_DNS_LONGOPTS \
	{ "dns-server", required_argument, NULL, AW_OPT_DNS_SERVER }, \
	{ "dns-timeout", required_argument, NULL, AW_OPT_DNS_TIMEOUT }, \
	{ "dns-tries", required_argument, NULL, AW_OPT_DNS_TRIES }
/* The lines of --help that describe them. */
void aw_cli_dns_usage(FILE *out);

/* Handles one of the AW_OPT_DNS_* options; false (after a message) when
 * its argument is bad. */
bool aw_cli_dns_option(struct aw_session *d, int opt, const char *arg);
/* Creates the loop and resolver (aw_session_start_dns); prints the error
 * and returns false. */
bool aw_cli_dns_start(struct aw_session *d);

/* --ca-file FILE: a PEM file of CAs trusted (besides the system's) for
 * the domain's own web files; false after a message when it cannot be
 * read. */
bool aw_cli_ca_file_option(struct aw_session *d, const char *arg);
/* The session's fetcher of those files (aw_session_fetcher); false after
 * a message. */
bool aw_cli_fetcher(struct aw_session *d, struct aw_fetcher *out);

/* Converts a domain argument (Unicode or A-labels) to A-labels; prints a
 * message naming the argument and returns NULL when it is not a domain. */
char *aw_cli_domain_arg(const char *arg);

/* The sender catalog (aw_catalog_default, checks/catalog.h), loaded on
 * first use. That first call prints every user file that was skipped as a
 * warning on stderr, with its name and line ("FILE:LINE: what"); the rest
 * of the catalog loads. NULL when the installed catalog cannot be read
 * (not printed: aw_catalog_default_error says why). Owned by the catalog
 * module. */
struct aw_catalog;
const struct aw_catalog *aw_cli_catalog(void);

/* The one message for the bad option getopt_long just returned C for ('?'
 * or ':'): unknown, or missing its value. getopt prints nothing (the
 * parser, cli/args.c, sets opterr to 0). Returns AW_EXIT_USAGE, like
 * aw_cli_usage_error. */
int aw_cli_option_error(const char *cmd, char *const argv[], int c);
/* Prints "authwizard: <message>" to stderr. */
/* One option of a --help text: "  LEFT" then TEXT from column 26, wrapped
 * at word boundaries to 80 columns (UTF-8 counted by characters); a LEFT
 * too wide for its column puts TEXT on the next line. */
void aw_cli_usage_item(FILE *out, const char *left, const char *text);
/* The same with TEXT from column indent. */
void aw_cli_usage_wrap(FILE *out, const char *left, const char *text,
    size_t indent);
void aw_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For usage errors: the message, then "Try 'authwizard CMD --help'." */
int aw_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Writes untrusted text escaped and bounded (max 0: default). */
void aw_cli_put_escaped(FILE *out, const char *s, size_t max);
/* Text that is escaped already (a DNS name in presentation form, "\\027",
 * as c-ares gives it; a message built from such names): control bytes and
 * bad UTF-8 are escaped, a backslash is kept, so nothing is escaped twice. */
void aw_cli_put_escaped_once(FILE *out, const char *s, size_t max);

extern const char *aw_cli_progname;
/* The errno of the first flush of standard output that failed during the
 * run (0: none); main reports it at the end (cli/main.c). */
extern int aw_cli_out_errno;

#endif
