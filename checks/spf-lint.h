/* spf-lint.h: the SPF lookup tree of a domain and what is wrong with it.
 * Each include/redirect becomes a child node with the DNS lookups it
 * costs (RFC 7208 §4.6.4), fetched asynchronously and concurrently over
 * a DNS source, so the TUI never blocks. Plain data, no printing. */
#ifndef AW_SPF_LINT_H
#define AW_SPF_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/dns.h"
#include "checks/spf.h"
#include "core/strv.h"

/* Hard caps against hostile or broken data. */
#define AW_SPF_TREE_MAX_DEPTH 12
#define AW_SPF_TREE_MAX_NODES 64

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
	unsigned voids;           /* a/mx/exists targets without an answer
	                           * in this branch (IPv4 view) */
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
};

/* The root record's own absence or DNS failure is not among the errors
 * (the caller reports its own lookup: see root->state); everything below
 * the root, and the totals, are. */
struct aw_spf_tree {
	struct aw_spf_node *root;
	unsigned lookups;         /* total DNS-querying terms (root->lookups) */
	unsigned voids;           /* total void lookups found */
	unsigned nodes;
	struct aw_strv errors;    /* what makes receivers return permerror
	                           * (translated sentences) */
	struct aw_strv warnings;  /* risky or deprecated (translated) */
	struct aw_strv notes;     /* hints (lighter variants, macros) */
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

/* "ok", "none", "multiple", "invalid", "dns-error", "loop", "macro",
 * "skipped", "pending": stable words for --json. */
const char *aw_spf_node_state_name(enum aw_spf_node_state s);

#endif
