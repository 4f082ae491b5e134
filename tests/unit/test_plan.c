/* test_plan.c: the plan (wants against current records), its JSON, and
 * apply / journal / undo through an in-memory DNS host. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/loop.h"
#include "core/record.h"
#include "core/str.h"
#include "providers/apply.h"
#include "providers/journal.h"
#include "providers/plan.h"
#include "providers/provider.h"
#include "tests/unit/helpers/rmtree.h"

/* --- an in-memory host: every step finishes at once, no HTTP --- */
struct memhost {
	struct aw_record_set zone;     /* the zone "example.com" */
	int fail_change_at;            /* 1-based change that fails, 0 none */
	int changes_seen;
	int change_ops;
};

static enum aw_status
mem_open(const struct aw_provider_config *cfg, void **state, struct aw_error *err)
{
	return AW_OK;
}

static void
mem_close(void *state)
{
}

static enum aw_status
mem_step(void *state, struct aw_provider_op *op,
    const struct aw_http_response *resp, struct aw_http_request *req,
    struct aw_error *err)
{
	struct memhost *h = state;
	size_t i, k;

	switch (op->kind) {
	case AW_OP_VERIFY:
		break;
	case AW_OP_CHANGE_STATUS:
		return aw_error_set(err, AW_ERR_INVALID, "no change ids");
	case AW_OP_FIND_ZONE:
		if (!aw_domain_is_under(op->name, "example.com"))
			return aw_error_set(err, AW_ERR_NOTFOUND, "no zone");
		op->zone.id = strdup("Zmem");
		op->zone.name = strdup("example.com");
		break;
	case AW_OP_LIST:
		for (i = 0; i < h->zone.n; i++) {
			struct aw_record *r = &h->zone.v[i], copy;

			if (!aw_domain_equal(r->name, op->name) ||
			    (op->type != AW_RECORD_ANY && r->type != op->type))
				continue;
			aw_record_copy(&copy, r);
			aw_record_set_take(&op->records, &copy);
		}
		break;
	case AW_OP_CHANGE:
		h->change_ops++;
		/* Record by record, like Cloudflare: a failure stops midway. */
		for (i = 0; i < op->nchanges; i++) {
			struct aw_change *c = &op->changes[i];
			struct aw_record copy;

			if (c->state == AW_CHANGE_SKIPPED)
				continue;
			if (++h->changes_seen == h->fail_change_at) {
				c->state = AW_CHANGE_FAILED;
				aw_error_set(err, AW_ERR_PROVIDER, "memhost: refused (code 1004)");
				err->code = 1004;
				return AW_ERR_PROVIDER;
			}
			aw_record_set_remove(&h->zone, c->new.name, c->new.type);
			if (c->new.values.n > 0) {
				aw_record_copy(&copy, &c->new);
				aw_record_set_take(&h->zone, &copy);
			}
			c->state = AW_CHANGE_MADE;
			(void)k;
		}
		break;
	}
	op->done = true;
	return AW_OK;
}

static const struct aw_provider_option mem_options[] = { { NULL, NULL, NULL, false, false, NULL } };
static const struct aw_provider_ops mem_ops = {
	.name = "memhost", .title = "Memory", .options = mem_options,
	.open = mem_open, .close = mem_close, .step = mem_step, .default_ttl = 300,
};

struct fixture {
	struct memhost host;
	struct aw_loop *loop;
	struct aw_provider p;
	char statedir[64];
};

static void
zone_add(struct memhost *h, const char *name, enum aw_record_type type,
    unsigned ttl, const char *const *values)
{
	struct aw_record r;

	assert_int_equal(aw_record_init(&r, name, type, ttl), AW_OK);
	for (; *values != NULL; values++)
		assert_int_equal(aw_record_add(&r, *values), AW_OK);
	assert_int_equal(aw_record_set_take(&h->zone, &r), AW_OK);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	static const char *const apex[] = { "v=spf1 include:_spf.google.com ~all",
	    "google-site-verification=abc123", "v=spf1 ip4:192.0.2.10 -all", NULL };
	static const char *const dmarc[] = { "v=DMARC1; p=none", "note=keep", NULL };
	static const char *const dkim[] = { "v=DKIM1; p=MFkw", NULL };

	aw_record_set_init(&f->host.zone);
	zone_add(&f->host, "example.com", AW_RECORD_TXT, 300, apex);
	zone_add(&f->host, "_dmarc.example.com", AW_RECORD_TXT, 300, dmarc);
	zone_add(&f->host, "s2._domainkey.example.com", AW_RECORD_TXT, 300, dkim);
	f->loop = aw_loop_new();
	f->p.ops = &mem_ops;
	f->p.state = &f->host;
	f->p.loop = f->loop;
	snprintf(f->statedir, sizeof f->statedir, "/tmp/aw-test-plan.XXXXXX");
	assert_non_null(mkdtemp(f->statedir));
	setenv("XDG_STATE_HOME", f->statedir, 1);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	aw_record_set_done(&f->host.zone);
	aw_loop_free(f->loop);
	assert_int_equal(aw_test_rmtree(f->statedir), 0);
	free(f);
	return 0;
}

static const struct aw_change *
plan_find(const struct aw_plan *plan, const char *name)
{
	size_t i;

	for (i = 0; i < plan->nchanges; i++)
		if (strcmp(plan->changes[i].new.name, name) == 0)
			return &plan->changes[i];
	return NULL;
}

static size_t
count_prefix(const struct aw_record *r, const char *prefix)
{
	size_t i, n = 0;

	for (i = 0; i < r->values.n; i++)
		if (strncmp(r->values.v[i], prefix, strlen(prefix)) == 0)
			n++;
	return n;
}

static void
make_plan(struct fixture *f, struct aw_wants *w, struct aw_plan *plan)
{
	struct aw_error err;

	aw_plan_init(plan);
	assert_int_equal(aw_plan_make_sync(&f->p, "example.com", w, plan, &err), AW_OK);
}

static void
plan_two_spf_records_become_one_rfc7208_3_2(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	const struct aw_change *c;
	const char *terms[] = { "include:_spf.vendor.example" };

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, NULL, NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(plan.nchanges, 1);
	c = plan_find(&plan, "example.com");
	assert_non_null(c);
	assert_int_equal(c->kind, AW_CHANGE_UPDATE);
	/* RFC 7208 §3.2: exactly one SPF record remains. */
	assert_int_equal(count_prefix(&c->new, "v=spf1"), 1);
	assert_int_equal(count_prefix(&c->old, "v=spf1"), 2);
	assert_true(aw_record_find(&c->new, "google-site-verification=abc123") >= 0);
	assert_non_null(strstr(c->new.values.v[0], "include:_spf.google.com"));
	assert_non_null(strstr(c->new.values.v[0], "ip4:192.0.2.10"));
	assert_non_null(strstr(c->new.values.v[0], "include:_spf.vendor.example"));
	assert_true(c->notes.n > 0);
	assert_non_null(strstr(c->notes.v[0], "merged"));
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_dmarc_replaces_only_the_v_dmarc1_value_rfc7489_6_6_3(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	const struct aw_change *c;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com",
	    "v=DMARC1; p=reject", NULL), AW_OK);
	make_plan(f, &w, &plan);
	c = plan_find(&plan, "_dmarc.example.com");
	assert_non_null(c);
	assert_int_equal(c->new.values.n, 2);
	assert_true(aw_record_find(&c->new, "note=keep") >= 0);
	assert_true(aw_record_find(&c->new, "v=DMARC1; p=reject") >= 0);
	assert_true(aw_record_find(&c->new, "v=DMARC1; p=none") < 0);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_refuses_cname_beside_other_data_rfc1034_3_6_2(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_dkim_cname(&w, "example.com", "s2",
	    "s2.dkim.vendor.example", NULL), AW_OK);
	assert_int_equal(aw_wants_add_dkim_cname(&w, "example.com", "s3",
	    "s3.dkim.vendor.example", NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(plan.refused.n, 1);
	assert_non_null(strstr(plan.refused.v[0], "s2._domainkey.example.com"));
	assert_non_null(strstr(plan.refused.v[0], "TXT"));
	assert_int_equal(plan.nchanges, 1);
	assert_string_equal(plan.changes[0].new.name, "s3._domainkey.example.com");
	assert_int_equal(plan.changes[0].kind, AW_CHANGE_CREATE);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_txt_add_is_idempotent_and_keeps_others(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_txt(&w, "example.com",
	    "google-site-verification=abc123", NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(plan.nchanges, 0);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_spf_given_as_txt_is_merged_not_added(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	const struct aw_change *c;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_txt(&w, "example.com",
	    "v=spf1 include:x.example -all", NULL), AW_OK);
	make_plan(f, &w, &plan);
	c = plan_find(&plan, "example.com");
	assert_non_null(c);
	assert_int_equal(count_prefix(&c->new, "v=spf1"), 1);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_name_outside_every_zone_is_refused(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_txt(&w, "other.org", "x=1", NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(plan.nchanges, 0);
	assert_int_equal(plan.refused.n, 1);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
plan_json_round_trip(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan, back;
	const char *terms[] = { "ip4:198.51.100.0/24" };
	json_t *j;
	struct aw_error err;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, "-all", NULL), AW_OK);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com", "v=DMARC1; p=none; \"q\"", NULL), AW_OK);
	make_plan(f, &w, &plan);
	j = aw_plan_to_json(&plan);
	assert_int_equal(aw_plan_from_json(j, &back, &err), AW_OK);
	assert_int_equal(back.nchanges, plan.nchanges);
	assert_string_equal(back.domain, "example.com");
	assert_string_equal(back.provider, "memhost");
	assert_true(aw_record_same_values(&back.changes[0].new, &plan.changes[0].new));
	assert_true(aw_record_same_values(&back.changes[0].old, &plan.changes[0].old));
	assert_string_equal(back.changes[0].zone.id, "Zmem");
	json_decref(j);
	aw_plan_done(&back);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

/* plan --out over an existing plan on a full disk (RLIMIT_FSIZE): the
 * error names the file and the real reason (the first write is short, so
 * errno was stale before), the old plan stays whole, no temporary left. */
static void
plan_save_on_a_full_disk_keeps_the_old_plan(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	struct aw_error err;
	struct rlimit old, tiny = { 64, 64 };
	const char *terms[] = { "ip4:198.51.100.0/24" };
	char path[300], tmp[320], good[64];
	FILE *fp;
	size_t n;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, "-all", NULL), AW_OK);
	make_plan(f, &w, &plan);
	snprintf(path, sizeof path, "%s/plan.json", f->statedir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("{\"old\": true}\n", fp);
	assert_int_equal(fclose(fp), 0);

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	aw_error_clear(&err);
	errno = 0;
	assert_int_equal(aw_plan_save(&plan, path, &err), AW_ERR_IO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_string_equal(err.where, path);
	assert_non_null(strstr(err.msg, strerror(EFBIG)));
	assert_non_null(fp = fopen(path, "r"));
	n = fread(good, 1, sizeof good - 1, fp);
	fclose(fp);
	good[n] = '\0';
	assert_string_equal(good, "{\"old\": true}\n");
	snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
	assert_int_equal(access(tmp, F_OK), -1);

	/* With room it replaces the old one, 0600, and never writes through
	 * a link left at the temporary's name. */
	{
		char victim[320];
		struct stat stb;

		snprintf(victim, sizeof victim, "%s/victim", f->statedir);
		assert_non_null(fp = fopen(victim, "w"));
		fputs("keep\n", fp);
		assert_int_equal(fclose(fp), 0);
		assert_int_equal(symlink(victim, tmp), 0);
		assert_int_equal(aw_plan_save(&plan, path, &err), AW_OK);
		assert_int_equal(lstat(path, &stb), 0);
		assert_true(S_ISREG(stb.st_mode));
		assert_int_equal(stb.st_mode & 0777, 0600);
		assert_true(stb.st_size > 64);
		assert_int_equal(stat(victim, &stb), 0);
		assert_int_equal(stb.st_size, 5);
		assert_int_equal(access(tmp, F_OK), -1);
	}
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
apply_then_apply_again_changes_nothing(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	struct aw_error err;
	const char *terms[] = { "include:_spf.vendor.example" };
	char *path;
	struct stat sb;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, NULL, NULL), AW_OK);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com", "v=DMARC1; p=reject", NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_OK);
	assert_int_equal(plan.changes[0].state, AW_CHANGE_MADE);
	assert_true(plan.changes[0].confirmed);
	assert_int_equal(f->host.change_ops, 1);
	/* The journal: 0600 under $XDG_STATE_HOME/authwizard. */
	assert_int_equal(aw_journal_path("example.com", &path, NULL), AW_OK);
	assert_non_null(strstr(path, f->statedir));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(path);
	/* The same plan again: every change already as wanted. */
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_OK);
	assert_int_equal(plan.changes[0].state, AW_CHANGE_SKIPPED);
	assert_int_equal(plan.changes[1].state, AW_CHANGE_SKIPPED);
	assert_int_equal(f->host.change_ops, 1);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
apply_refuses_a_plan_the_zone_moved_away_from(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	struct aw_error err;
	static const char *const other[] = { "v=DMARC1; p=quarantine", NULL };

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com", "v=DMARC1; p=reject", NULL), AW_OK);
	make_plan(f, &w, &plan);
	aw_record_set_remove(&f->host.zone, "_dmarc.example.com", AW_RECORD_TXT);
	zone_add(&f->host, "_dmarc.example.com", AW_RECORD_TXT, 300, other);
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_ERR_CONFLICT);
	assert_int_equal(f->host.change_ops, 0);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
apply_failing_midway_says_what_was_made_and_undo_reverts_it(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan, undo;
	struct aw_error err;
	const char *terms[] = { "include:_spf.vendor.example" };
	const struct aw_record *apex;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, NULL, NULL), AW_OK);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com", "v=DMARC1; p=reject", NULL), AW_OK);
	make_plan(f, &w, &plan);
	f->host.fail_change_at = 2;
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_ERR_PROVIDER);
	assert_int_equal(err.code, 1004);
	assert_int_equal(plan.changes[0].state, AW_CHANGE_MADE);
	assert_int_equal(plan.changes[1].state, AW_CHANGE_FAILED);
	apex = aw_record_set_find(&f->host.zone, "example.com", AW_RECORD_TXT);
	assert_int_equal(count_prefix(apex, "v=spf1"), 1);
	/* Undo puts back what was made, from the journal. */
	f->host.fail_change_at = 0;
	if (aw_undo_sync(&f->p, "example.com", &undo, &err) != AW_OK)
		fail_msg("undo: %s", err.msg);
	/* The refused change is looked at too, and found as before. */
	assert_int_equal(undo.nchanges, 2);
	assert_int_equal(undo.changes[0].state, AW_CHANGE_MADE);
	assert_true(undo.changes[0].confirmed);
	assert_int_equal(undo.changes[1].state, AW_CHANGE_SKIPPED);
	apex = aw_record_set_find(&f->host.zone, "example.com", AW_RECORD_TXT);
	assert_int_equal(count_prefix(apex, "v=spf1"), 2);
	assert_true(aw_record_find(apex, "google-site-verification=abc123") >= 0);
	/* The journal is retired: a second undo finds none. */
	aw_plan_done(&undo);
	assert_int_equal(aw_undo_sync(&f->p, "example.com", &undo, &err), AW_ERR_NOTFOUND);
	aw_plan_done(&undo);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

/* Issue 20: undo works from what the host holds now. A name someone else
 * changed since is left alone (the journal stays); --force takes out only
 * the values the apply added and keeps the others'. */
static void
undo_leaves_a_name_changed_since_alone_unless_forced(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan, undo, j;
	struct aw_error err;
	const char *terms[] = { "include:_spf.vendor.example" };
	struct aw_record *apex;
	const struct aw_record *dm;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, NULL, NULL), AW_OK);
	assert_int_equal(aw_wants_add_dmarc(&w, "example.com", "v=DMARC1; p=reject", NULL), AW_OK);
	make_plan(f, &w, &plan);
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_OK);
	/* Someone else adds a value at the apex. */
	apex = aw_record_set_find_mut(&f->host.zone, "example.com", AW_RECORD_TXT);
	assert_non_null(apex);
	assert_int_equal(aw_record_add(apex, "someone-else=1"), AW_OK);

	assert_int_equal(aw_undo_sync(&f->p, "example.com", &undo, &err), AW_ERR_CONFLICT);
	assert_int_equal(plan_find(&undo, "example.com")->state, AW_CHANGE_KEPT);
	assert_int_equal(plan_find(&undo, "_dmarc.example.com")->state, AW_CHANGE_MADE);
	assert_true(plan_find(&undo, "_dmarc.example.com")->confirmed);
	apex = aw_record_set_find_mut(&f->host.zone, "example.com", AW_RECORD_TXT);
	assert_int_equal(count_prefix(apex, "v=spf1"), 1);          /* left alone */
	dm = aw_record_set_find(&f->host.zone, "_dmarc.example.com", AW_RECORD_TXT);
	assert_true(aw_record_find(dm, "v=DMARC1; p=none") >= 0);    /* restored */
	/* Not everything is back: the journal stays. */
	assert_int_equal(aw_journal_load("example.com", &j, &err), AW_OK);
	aw_plan_done(&j);
	aw_plan_done(&undo);

	/* Forced: the apply's SPF goes, the old two come back, the other
	 * value stays. */
	assert_int_equal(aw_undo_sync_force(&f->p, "example.com", true, NULL, &undo,
	    &err), AW_OK);
	apex = aw_record_set_find_mut(&f->host.zone, "example.com", AW_RECORD_TXT);
	assert_int_equal(count_prefix(apex, "v=spf1"), 2);
	assert_true(aw_record_find(apex, "v=spf1 include:_spf.google.com ~all") >= 0);
	assert_true(aw_record_find(apex, "someone-else=1") >= 0);
	assert_true(aw_record_find(apex, "google-site-verification=abc123") >= 0);
	assert_int_equal(plan_find(&undo, "_dmarc.example.com")->state, AW_CHANGE_SKIPPED);
	/* Now retired: the newest journal not undone is gone. */
	assert_int_equal(aw_journal_load("example.com", &j, &err), AW_ERR_NOTFOUND);
	aw_plan_done(&j);
	aw_plan_done(&undo);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

/* A journal that cannot be written stops the apply before any change. */
static void
apply_stops_when_the_journal_cannot_be_written(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	struct aw_error err;
	struct rlimit old, tiny = { 16, 16 };
	const char *terms[] = { "include:_spf.vendor.example" };

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_spf(&w, "example.com", terms, 1, NULL, NULL), AW_OK);
	make_plan(f, &w, &plan);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	assert_int_equal(aw_apply_sync(&f->p, &plan, NULL, &err), AW_ERR_IO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_non_null(strstr(err.msg, "disk is full"));
	assert_int_equal(f->host.change_ops, 0);
	assert_int_equal(plan.changes[0].state, AW_CHANGE_PENDING);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
record_txt_quote_splits_at_255_rfc1035_3_3_14(void **state)
{
	char value[600];
	struct aw_buf b;
	char *back = NULL;

	memset(value, 'a', sizeof value - 1);
	value[sizeof value - 1] = '\0';
	value[10] = '"';
	value[300] = '\\';
	aw_buf_init(&b);
	assert_int_equal(aw_record_txt_quote(&b, value, 0), AW_OK);
	/* Three strings: 255 + 255 + 89 bytes of data. */
	assert_int_equal(b.data[0], '"');
	assert_non_null(strstr(b.data, "\" \""));
	assert_int_equal(aw_record_txt_unquote(b.data, 0, &back, NULL), AW_OK);
	assert_string_equal(back, value);
	free(back);
	aw_buf_done(&b);
}

static void
record_txt_octal_and_decimal_escapes(void **state)
{
	struct aw_buf b;
	char *back = NULL;

	aw_buf_init(&b);
	assert_int_equal(aw_record_txt_quote(&b, "caf\xc3\xa9", AW_TXT_OCTAL), AW_OK);
	assert_string_equal(b.data, "\"caf\\303\\251\"");
	assert_int_equal(aw_record_txt_unquote(b.data, AW_TXT_OCTAL, &back, NULL), AW_OK);
	assert_string_equal(back, "caf\xc3\xa9");
	free(back);
	/* RFC 1035 §5.1: \DDD is decimal in zone files. */
	assert_int_equal(aw_record_txt_unquote("\"a\\065b\"", 0, &back, NULL), AW_OK);
	assert_string_equal(back, "aAb");
	free(back);
	/* Cloudflare's old records come back bare. */
	assert_int_equal(aw_record_txt_unquote("v=spf1 -all", 0, &back, NULL), AW_OK);
	assert_string_equal(back, "v=spf1 -all");
	free(back);
	assert_int_equal(aw_record_txt_unquote("\"open", 0, &back, NULL), AW_ERR_INVALID);
	aw_buf_done(&b);
}

static void
never_called(struct aw_plan *plan, enum aw_status st, const struct aw_error *err,
    void *arg)
{
	fail_msg("a cancelled job called back");
}

static void
counted(struct aw_plan *plan, enum aw_status st, const struct aw_error *err,
    void *arg)
{
	(*(int *)arg)++;
}

static void
plan_job_calls_back_from_the_loop_and_can_be_cancelled(void **state)
{
	struct fixture *f = *state;
	struct aw_wants w;
	struct aw_plan plan;
	struct aw_plan_job *job;
	int calls = 0, i;

	aw_wants_init(&w);
	aw_plan_init(&plan);
	assert_int_equal(aw_wants_add_txt(&w, "example.com", "x=1", NULL), AW_OK);
	assert_int_equal(aw_plan_make(&f->p, "example.com", &w, &plan, counted,
	    &calls, &job, NULL), AW_OK);
	assert_int_equal(calls, 0);      /* never from inside the call */
	for (i = 0; i < 20 && calls == 0; i++)
		aw_loop_run_once(f->loop, 100);
	assert_int_equal(calls, 1);
	aw_plan_job_free(job);
	aw_plan_done(&plan);
	aw_plan_init(&plan);
	assert_int_equal(aw_plan_make(&f->p, "example.com", &w, &plan, never_called,
	    NULL, &job, NULL), AW_OK);
	aw_plan_job_free(job);           /* cancelled before it began */
	for (i = 0; i < 5; i++)
		aw_loop_run_once(f->loop, 10);
	aw_plan_done(&plan);
	aw_wants_done(&w);
}

static void
ptr_names_rfc1035_3_5_and_rfc3596_2_5(void **state)
{
	struct aw_wants w;

	aw_wants_init(&w);
	assert_int_equal(aw_wants_add_ptr(&w, "192.0.2.25", "mail.example.com", NULL), AW_OK);
	assert_string_equal(w.v[0].name, "25.2.0.192.in-addr.arpa");
	assert_int_equal(w.v[0].type, AW_RECORD_PTR);
	assert_int_equal(aw_wants_add_ptr(&w, "2001:db8::1", "mail.example.com", NULL), AW_OK);
	assert_string_equal(w.v[1].name,
	    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa");
	assert_int_equal(aw_wants_add_ptr(&w, "192.0.2", "mail.example.com", NULL), AW_ERR_INVALID);
	aw_wants_done(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(plan_two_spf_records_become_one_rfc7208_3_2, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_dmarc_replaces_only_the_v_dmarc1_value_rfc7489_6_6_3, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_refuses_cname_beside_other_data_rfc1034_3_6_2, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_txt_add_is_idempotent_and_keeps_others, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_spf_given_as_txt_is_merged_not_added, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_name_outside_every_zone_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_json_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(plan_save_on_a_full_disk_keeps_the_old_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(apply_then_apply_again_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(apply_refuses_a_plan_the_zone_moved_away_from, setup, teardown),
		cmocka_unit_test_setup_teardown(apply_failing_midway_says_what_was_made_and_undo_reverts_it, setup, teardown),
		cmocka_unit_test_setup_teardown(undo_leaves_a_name_changed_since_alone_unless_forced, setup, teardown),
		cmocka_unit_test_setup_teardown(apply_stops_when_the_journal_cannot_be_written, setup, teardown),
		cmocka_unit_test(record_txt_quote_splits_at_255_rfc1035_3_3_14),
		cmocka_unit_test(record_txt_octal_and_decimal_escapes),
		cmocka_unit_test(ptr_names_rfc1035_3_5_and_rfc3596_2_5),
		cmocka_unit_test_setup_teardown(plan_job_calls_back_from_the_loop_and_can_be_cancelled, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
