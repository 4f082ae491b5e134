/* drift.h: what changed for the worse since a baseline. A snapshot is
 * what a finished domain check saw, item by item ("spf", "dmarc", "mx",
 * "dkim:SELECTOR", "ptr:IP", "helo"): its verdict, its records and, for
 * a DKIM key, its size. Two snapshots compared give the changes an admin
 * must look at: a record gone or changed, a verdict down, a key rotated
 * to a shorter one. Items not asked this time (no --ip) and items whose
 * lookups failed are not compared. */
#ifndef AW_DRIFT_H
#define AW_DRIFT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "checks/domain.h"
#include "core/error.h"
#include "core/strv.h"

struct aw_snap_item {
	char *id;                   /* "spf", "dkim:s1", "ptr:192.0.2.1" */
	char *area;                 /* "spf", "dkim", "ptr" */
	enum aw_check_status status;
	struct aw_strv records;     /* as published, raw */
	unsigned bits;              /* DKIM key size; 0: none/not a key */
	bool dns_failure;
};

struct aw_snapshot {
	struct aw_snap_item *items;
	size_t n;
};

void aw_snapshot_init(struct aw_snapshot *s);
void aw_snapshot_done(struct aw_snapshot *s);
/* What the finished check dc found. */
enum aw_status aw_snapshot_take(struct aw_domain_check *dc,
    struct aw_snapshot *out);
/* As kept in a baseline file: {"items": [{"id","status","records",
 * "bits"}]}; and back (a clear error naming what is wrong). */
json_t *aw_snapshot_to_json(const struct aw_snapshot *s);
enum aw_status aw_snapshot_from_json(const json_t *j,
    struct aw_snapshot *out, struct aw_error *err);

struct aw_drift {
	char *item;                 /* the snapshot item id */
	const char *code;           /* static: drift.record-gone, ... */
	char *message;              /* translated; quotes records raw */
	char *before, *after;       /* raw; NULL when none */
};

struct aw_drifts {
	struct aw_drift *v;
	size_t n;
	size_t skipped;             /* items not compared (DNS failure) */
};

void aw_drifts_init(struct aw_drifts *d);
void aw_drifts_done(struct aw_drifts *d);
/* The changes for the worse from before to after. */
enum aw_status aw_drift_compare(const struct aw_snapshot *before,
    const struct aw_snapshot *after, struct aw_drifts *out);

#endif
