/* cli-provider.h: what plan, apply and undo share: --provider and each
 * host's options, the wanted-record options, opening the provider, and
 * printing a plan as a diff. */
#ifndef AW_CLI_PROVIDER_H
#define AW_CLI_PROVIDER_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/cli.h"
#include "core/http.h"
#include "providers/plan.h"
#include "providers/provider.h"

/* Option numbers (after AW_OPT_FIRST_FREE). */
enum {
	AW_OPT_PROVIDER = AW_OPT_FIRST_FREE,
	AW_OPT_SPF_INCLUDE,
	AW_OPT_SPF_IP4,
	AW_OPT_SPF_IP6,
	AW_OPT_SPF_ALL,
	AW_OPT_DKIM_CNAME,
	AW_OPT_DKIM_KEY,
	AW_OPT_SELECTOR,
	AW_OPT_DMARC,
	AW_OPT_TXT,
	AW_OPT_OUT,
	AW_OPT_PLAN,
	AW_OPT_YES,
	AW_OPT_A,
	AW_OPT_AAAA,
	AW_OPT_PTR,
	AW_OPT_SPF_REPLACE,
	AW_OPT_SPF_REMOVE,
	AW_OPT_FORCE,
	AW_OPT_HOST_FIRST = 1200,    /* + index into aw_cli_provider_opts */
	AW_OPT_HOST_FILE_FIRST = 1400 /* + index: a secret's --NAME-file */
};

struct aw_cli_provider {
	char *provider;                     /* --provider */
	struct aw_provider_config cfg;      /* host options given */
	struct aw_strv spf_terms;
	char *spf_all;
	struct aw_strv spf_remove;          /* --spf-remove TERM */
	struct aw_strv spf_replace;         /* --spf-replace OLD=NEW */
	struct aw_strv dkim_cnames;         /* SELECTOR=TARGET */
	char *dkim_key_file;
	char *selector;
	char *dmarc;
	struct aw_strv txts;                /* NAME=VALUE */
	struct aw_strv addrs;               /* "A NAME=IP", "AAAA NAME=IP" */
	struct aw_strv ptrs;                /* IP=HOST */
	bool json;
	struct aw_session run;              /* loop and transport of p */
	struct aw_provider *p;
};

void aw_cli_provider_init(struct aw_cli_provider *cp);
void aw_cli_provider_done(struct aw_cli_provider *cp);

/* Long options: the shared ones (with_wants adds the record options),
 * every host's options, the DNS options, --json, --help; terminated. The
 * caller (cli/args.c) frees the array. */
struct option *aw_cli_provider_longopts(bool with_wants);
/* Handles a shared option; 1 handled, 0 not one of ours, -1 bad argument
 * (message printed). */
int aw_cli_provider_option(struct aw_cli_provider *cp, const char *cmd, int opt,
    const char *arg);
/* The --help lines of the shared options: --provider, the record options
 * (with_wants), the DNS host settings. */
void aw_cli_provider_usage(FILE *out, bool with_wants);
/* Only the DNS host settings. */
void aw_cli_provider_usage_hosts(FILE *out);
/* The DNS options, for commands that accept but do not use them. */
void aw_cli_provider_usage_dns(FILE *out);

/* True when any record option (--spf-*, --dkim-*, --dmarc, --txt, --a,
 * --aaaa, --ptr) was given. */
bool aw_cli_provider_has_wants(const struct aw_cli_provider *cp);
/* The wants from the options, for domain. false after a message. */
bool aw_cli_provider_wants(struct aw_cli_provider *cp, const char *cmd,
    const char *domain, struct aw_wants *w);
/* Opens loop, transport and provider (name: cp->provider, or the given
 * one) and verifies the credentials. Returns an exit code (AW_EXIT_OK). */
int aw_cli_provider_open(struct aw_cli_provider *cp, const char *name);

/* Prints the plan as a diff (old -> new). */
void aw_cli_print_plan(FILE *out, const struct aw_plan *plan, bool states);
/* The preflight's findings (plan->preflight), below the diff. */
void aw_cli_print_preflight(FILE *out, const struct aw_plan *plan);
/* Runs the preflight of plan over the DNS of dns (started here) into
 * plan->preflight. Returns an exit code (AW_EXIT_OK; a message is printed
 * otherwise). */
int aw_cli_preflight(struct aw_session *dns, struct aw_plan *plan);
/* apply's gate: runs the preflight; with an error in it and no force,
 * prints the plan (JSON with json) and what stops it and how to fix it,
 * and returns AW_EXIT_PREFLIGHT; else AW_EXIT_OK (with force, after a
 * warning that it publishes anyway). */
int aw_cli_preflight_gate(struct aw_session *dns, struct aw_plan *plan,
    bool force, bool json);
/* Exit code for a provider-layer status. */
int aw_cli_provider_exit(enum aw_status st);
/* SIGINT/SIGTERM/SIGHUP set aw_cli_stop (the signal) while on; a second
 * one exits at once with AW_EXIT_PARTIAL. SIGXFSZ is ignored while on. */
extern volatile sig_atomic_t aw_cli_stop;
void aw_cli_stop_signals(bool on);
/* Prints err as "authwizard: [where: ]msg". */
void aw_cli_provider_error(const struct aw_error *err);

#endif
