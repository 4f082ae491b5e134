/* expect.h: what the propagation watch (checks/watch.h) should see after
 * an apply: the records a plan or the journal of the last apply made
 * (deletions: the value must be gone), or the records wanted (the same
 * wants as a plan). Shared by `authwizard watch` and the TUI. */
#ifndef AW_EXPECT_H
#define AW_EXPECT_H

#include <stddef.h>

#include "checks/watch.h"
#include "core/error.h"
#include "providers/plan.h"

/* Adds one watch item per value that the changes of plan put in (present,
 * with the value it replaces as the old one) and per value they took out
 * (absent). Only changes that were made (MADE, PARTIAL) or found already
 * as wanted (SKIPPED) when plan is a journal; every change of a plan not
 * applied yet (all PENDING). *added (may be NULL) gets the number of
 * items. */
enum aw_status aw_expect_plan(struct aw_watch *w, const struct aw_plan *plan,
    size_t *added);

/* Only the items whose names are under zone (names outside it, such as a
 * PTR in a reverse zone, live on other nameservers): the same as the
 * above, with the names left out appended to skipped (each once). */
enum aw_status aw_expect_plan_under(struct aw_watch *w,
    const struct aw_plan *plan, const char *zone, size_t *added,
    struct aw_strv *skipped);

/* Adds the items for wants: each SPF term (and the all) as a term of the
 * one SPF record, each TXT, DMARC, DKIM, address or PTR value present. */
enum aw_status aw_expect_wants(struct aw_watch *w, const struct aw_wants *wants,
    size_t *added);
enum aw_status aw_expect_wants_under(struct aw_watch *w,
    const struct aw_wants *wants, const char *zone, size_t *added,
    struct aw_strv *skipped);

/* The host change ids (Route 53 "C...") of plan's made changes, each
 * once, appended to out. */
enum aw_status aw_expect_change_ids(const struct aw_plan *plan,
    struct aw_strv *out);

#endif
