/* spf-lint.h: the SPF lookup tree of a domain and what is wrong with it.
 * The tree is what check_host() (spf-eval.c) does for a client no term
 * matches: the same code as `spf --ip`, run in a mode that goes on past
 * the first error to count the whole tree and that notes each record,
 * lookup, void lookup and DNS failure on the node of the record that
 * made it. Each include/redirect becomes a child node with the DNS
 * lookups it costs (RFC 7208 §4.6.4). The answers are fetched
 * asynchronously and concurrently over a DNS source (the evaluation is
 * run again over the answers in hand until it needs none it lacks), so
 * the TUI never blocks. Plain data, no printing. */
#ifndef AW_SPF_LINT_H
#define AW_SPF_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "checks/findings.h"
#include "checks/spf.h"
#include "core/strv.h"

/* Hard caps against hostile or broken data (applied only once the
 * evaluation has reached its verdict, so they never change it). */
#define AW_SPF_TREE_MAX_DEPTH 12
#define AW_SPF_TREE_MAX_NODES 64
/* DNS questions one tree may ask in all. */
#define AW_SPF_TREE_MAX_QUERIES 400

enum aw_spf_node_state {
	AW_SPF_NODE_PENDING = 0,  /* the TXT answer has not arrived */
	AW_SPF_NODE_OK,           /* one SPF record, parsed */
	AW_SPF_NODE_NONE,         /* no SPF record at the name (or NXDOMAIN) */
	AW_SPF_NODE_MULTIPLE,     /* more than one SPF record: permerror */
	AW_SPF_NODE_INVALID,      /* the record does not parse: permerror */
	AW_SPF_NODE_DNS_ERROR,    /* the lookup failed (SERVFAIL, timeout) */
	AW_SPF_NODE_LOOP,         /* the name is already an ancestor */
	AW_SPF_NODE_MACRO,        /* the target uses macros: known only when
	                           * a message is evaluated */
	AW_SPF_NODE_SKIPPED       /* past the depth or node caps */
};

/* What happened to one lookup of a term, on the node of its record. */
enum aw_spf_event_kind {
	AW_SPF_EV_VOID = 0,     /* NXDOMAIN or no record of the type: a
	                         * void lookup (RFC 7208 §4.6.4) */
	AW_SPF_EV_DNS_FAILURE,  /* the lookup failed: temperror */
	AW_SPF_EV_MX_TOO_MANY,  /* "mx": more than 10 MX names */
	AW_SPF_EV_MACRO,        /* the target uses macros: not looked up */
	AW_SPF_EV_SKIPPED,      /* past the tree's query cap */
	AW_SPF_EV_EXP_NO_TXT,   /* exp= target: no TXT record */
	AW_SPF_EV_EXP_MANY_TXT  /* exp= target: more than one TXT record */
};

struct aw_spf_event {
	enum aw_spf_event_kind kind;
	enum aw_spf_kind term_kind;  /* the term's kind (mx for an MX host's
	                              * address lookup) */
	char *term;                  /* the term as written */
	char *name;                  /* the name asked, or NULL */
	enum aw_record_type type;
	enum aw_dns_result result;
	size_t count;                /* MX_TOO_MANY, EXP_MANY_TXT */
};

struct aw_spf_node {
	char *domain;             /* the name whose record this is (for
	                           * MACRO: the unexpanded domain-spec) */
	char *via;                /* the term that led here ("include:x",
	                           * "redirect=x"); NULL at the root */
	enum aw_spf_kind via_kind;/* AW_SPF_INCLUDE or AW_SPF_REDIRECT
	                           * (root: AW_SPF_REDIRECT) */
	enum aw_spf_node_state state;
	char *record;             /* the SPF text, or NULL */
	char *problem;            /* why the state is not OK (translated),
	                           * or NULL */
	unsigned own_lookups;     /* DNS-querying terms of this record */
	unsigned lookups;         /* own_lookups + every child's lookups:
	                           * what this branch costs */
	unsigned voids;           /* void lookups in this branch (the
	                           * IPv4 view: A for a and MX hosts) */
	unsigned own_voids;       /* void lookups of this record's terms */
	struct aw_spf_event *events;  /* this record's lookups that went
	                               * wrong, in evaluation order */
	size_t nevents;
	size_t record_bytes;      /* the record's length (before any cut) */
	size_t longest_string;    /* its longest TXT character-string */
	char *lighter;            /* include nodes: the lighter include of
	                           * the same sender (the tree's lighter
	                           * hint), or NULL */
	struct aw_spf_node **children;  /* includes and redirect, in order */
	size_t nchildren;
	struct aw_spf_node *parent;
};

/* The "lighter variant" hint: given an include target, a cheaper include
 * of the same sender, or NULL (the sender catalog answers it). The
 * returned string is borrowed and must live as long as the tree. */
typedef const char *(*aw_spf_lighter_fn)(void *arg, const char *include);

struct aw_spf_tree_opts {
	aw_spf_lighter_fn lighter;   /* may be NULL */
	void *lighter_arg;
	/* NULL (the lint): the client is one no address term matches, and
	 * targets with macros are not looked up. Else the tree follows
	 * check_host() for this query (tests: the tree and `spf --ip`
	 * agree); copied, with its strings, at the start. */
	const struct aw_spf_query *query;
};

/* The root record's own absence or DNS failure is not among the errors
 * (the caller reports its own lookup: see root->state); everything below
 * the root, and the totals, are. */
struct aw_spf_tree {
	struct aw_spf_node *root;
	unsigned lookups;         /* total DNS-querying terms (root->lookups) */
	unsigned voids;           /* total void lookups found */
	unsigned nodes;
	/* check_host()'s result for the client (opts->query, else one no
	 * address term matches): the first permerror/temperror met, else
	 * the record's own result; the lookups and void lookups counted
	 * when it was reached, and why (translated, or NULL). These are
	 * exactly what aw_spf_check_host gives for the same query. */
	enum aw_spf_result verdict;
	unsigned verdict_lookups, verdict_voids;
	char *verdict_reason;
	/* What the tree shows, coded (spf.*): errors make receivers return
	 * permerror or temperror; warnings are risky or deprecated; notes
	 * are hints (lighter variants, macros, the cost). findings.errors,
	 * .warnings and .notes hold the same sentences. */
	struct aw_findings findings;
	bool finished;
	bool dns_failure;         /* some lookup failed: the tree is partial */
};

typedef void (*aw_spf_tree_cb)(struct aw_spf_tree *tree, void *arg);

/* Starts building the tree of domain (A-labels) over src. done runs
 * once, later, from the event loop (never from inside this call), when
 * every lookup has answered; the tree is then finished. opts may be NULL;
 * src and opts must outlive the run. AW_OK and *out, or an error (then
 * done never runs). */
enum aw_status aw_spf_tree_start(const struct aw_dns_source *src,
    const char *domain, const struct aw_spf_tree_opts *opts,
    aw_spf_tree_cb done, void *arg, struct aw_spf_tree **out,
    struct aw_error *err);
/* Frees the tree. Before it finished, the outstanding lookups are let
 * run out and the memory is freed when the last answers (done is not
 * called). NULL: no-op. */
void aw_spf_tree_free(struct aw_spf_tree *tree);
/* Frees an unfinished tree at once, with what it holds for its lookups in
 * flight: only once the DNS source has dropped their callbacks (e.g.
 * after aw_resolver_free or aw_dns_memory_free). NULL: no-op. */
void aw_spf_tree_abandon(struct aw_spf_tree *tree);

/* For spf-lint.c: one run of check_host() in tree mode over the answers
 * get() has (a borrowed answer, or NULL when it is not in hand yet: the
 * run stops, *blocked is set and want() has been told the name; fetch
 * it and run again). want() also hears of names the run will likely ask
 * next (prefetch). tree->root and the verdict are rebuilt each run. */
struct aw_spf_walk_io {
	const struct aw_dns_answer *(*get)(void *arg, const char *name,
	    enum aw_record_type type);
	void (*want)(void *arg, const char *name, enum aw_record_type type,
	    bool needed);             /* needed: the run stopped for it */
	void *arg;
};
enum aw_status aw_spf_walk(const struct aw_spf_walk_io *io,
    const char *domain, const struct aw_spf_query *q,
    struct aw_spf_tree *tree, bool *blocked);
/* For spf-lint.c (spf-findings.c): the node totals, lighter variants
 * and coded findings of a complete tree. */
void aw_spf_tree_findings(struct aw_spf_tree *tree,
    const struct aw_spf_tree_opts *opts);
/* Frees a node and everything below it (NULL: no-op). */
void aw_spf_node_free(struct aw_spf_node *n);
/* For aw_spf_walk: a new node under parent (NULL: the tree's root), a
 * state and its problem text, an event on a node. NULL / false on no
 * memory. */
struct aw_spf_node *aw_spf_node_add(struct aw_spf_tree *tree,
    struct aw_spf_node *parent, const char *domain, const char *via,
    enum aw_spf_kind via_kind);
void aw_spf_node_set(struct aw_spf_node *n, enum aw_spf_node_state st,
    const char *problem);
bool aw_spf_node_event(struct aw_spf_node *n,
    const struct aw_spf_event *ev);

/* "ok", "none", "multiple", "invalid", "dns-error", "loop", "macro",
 * "skipped", "pending": stable words for --json. */
const char *aw_spf_node_state_name(enum aw_spf_node_state s);

#endif
