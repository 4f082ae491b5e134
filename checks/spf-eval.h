/* spf-eval.h: private to spf-eval.c and spf-walk.c: the state of one
 * check_host() run and the functions the two share. Not for other
 * files: use spf.h (aw_spf_check_host) and spf-lint.h (the tree). */
#ifndef AW_SPF_EVAL_H
#define AW_SPF_EVAL_H

#include <stdbool.h>

#include "checks/spf-lint.h"
#include "checks/spf.h"
#include "core/strv.h"

/* Recursion guard beyond the lookup limit (which already stops loops). */
#define EVAL_DEPTH_MAX 20

struct eval {
	const struct aw_dns_source *src;
	const struct aw_spf_query *q;
	struct aw_spf_macro_env env;
	char *sender, *local, *sender_domain;
	unsigned lookups, voids, queries;
	/* RFC 7208 §5.5, §7.3: names of the client IP that resolve back to
	 * it; computed once, at most AW_SPF_MAX_PTR names looked at. */
	bool ptr_done;
	enum aw_dns_result ptr_result;
	struct aw_strv validated;
	/* The domains on the include/redirect path from the top to the
	 * record being evaluated (normalised): a target already on it is a
	 * loop (RFC 7208 §4.6.4: it could only end at the limit). */
	struct aw_strv path;
	char *term, *term_domain;
	char *explanation;
	char *reason;
	bool nomem;
	/* Tree mode (aw_spf_walk): answers from io, nodes into tree. */
	const struct aw_spf_walk_io *io;
	struct aw_spf_tree *tree;
	struct aw_spf_node *cur;          /* the record being evaluated */
	const struct aw_spf_term *cur_term;
	bool nomatch;                     /* no client: no address matches,
	                                   * macros are not expanded */
	bool blocked;                     /* an answer is not in hand */
	bool stop;                        /* nomem or blocked: unwind */
	bool verdict_set;
};

/* spf-eval.c */
/* The answer to name/type. NULL: no memory or, in tree mode, an answer
 * not in hand yet (ev->stop: unwind), or past the tree's query cap.
 * Give it back with aw_spf_eval_release. */
struct aw_dns_answer *aw_spf_eval_ask(struct eval *ev, const char *name,
    enum aw_record_type type);
void aw_spf_eval_release(struct eval *ev, struct aw_dns_answer *ans);
/* RFC 7208 §4 check_host() of domain; via: the include or redirect term
 * that led here (NULL at the top). */
enum aw_spf_result aw_spf_eval_check_host(struct eval *ev,
    const char *domain, unsigned depth, bool top,
    const struct aw_spf_term *via);
/* The macro environment of q and the domain to check: AW_ERR_INVALID
 * (not an address), AW_ERR_NOMEM. aw_spf_eval_done frees ev's parts. */
enum aw_status aw_spf_eval_setup(struct eval *ev,
    const struct aw_spf_query *q, const char **domain);
void aw_spf_eval_done(struct eval *ev);
/* The reason of a loop: domain reached again through via. */
void aw_spf_eval_loop_reason(struct eval *ev, const char *domain,
    const struct aw_spf_term *via);

/* spf-walk.c: tree mode. Each is a no-op outside it. */
void aw_spf_eval_want(struct eval *ev, const char *name,
    enum aw_record_type type);
void aw_spf_eval_event(struct eval *ev, enum aw_spf_event_kind kind,
    const char *name, enum aw_record_type type, enum aw_dns_result result,
    size_t count);
enum aw_spf_result aw_spf_eval_produced(struct eval *ev,
    enum aw_spf_result r);
bool aw_spf_eval_macro_skipped(struct eval *ev,
    const struct aw_spf_term *t);
struct aw_spf_node *aw_spf_eval_enter_node(struct eval *ev,
    const char *domain, const struct aw_spf_term *via, unsigned depth,
    bool *cut);
void aw_spf_eval_tree_record(struct eval *ev,
    const struct aw_dns_answer *ans, const struct aw_spf_record *rec,
    const char *txt, size_t len);
void aw_spf_eval_tree_exp(struct eval *ev, const struct aw_spf_record *rec);

#endif
