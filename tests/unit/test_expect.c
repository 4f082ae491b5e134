/* test_expect.c: what the propagation watch expects after an apply: the
 * values a journal's changes put in and took out, and the values wanted. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "providers/expect.h"

static const struct aw_watch_item *
find(const struct aw_watch *w, enum aw_record_type t, enum aw_watch_how how,
    const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < aw_watch_nitems(w); i++) {
		const struct aw_watch_item *it = aw_watch_item(w, i);

		if (it->type == t && it->how == how &&
		    strcmp(it->name, name) == 0 && strcmp(it->value, value) == 0)
			return it;
	}
	return NULL;
}

static struct aw_change *
change(struct aw_plan *plan, enum aw_change_kind kind, const char *name,
    enum aw_record_type type, const char *const *olds, const char *const *news,
    enum aw_change_state state)
{
	struct aw_change *c = aw_plan_push(plan);

	assert_non_null(c);
	c->kind = kind;
	c->state = state;
	aw_record_init(&c->old, name, type, 300);
	aw_record_init(&c->new, name, type, 300);
	while (olds != NULL && *olds != NULL)
		aw_record_add(&c->old, *olds++);
	while (news != NULL && *news != NULL)
		aw_record_add(&c->new, *news++);
	return c;
}

/* RFC 7208 §3.2: two SPF records merged into one: the merged one must be
 * served, both old ones gone; the verification TXT is not watched. */
static void
journal_merge_watches_new_value_and_removed_spf_rfc7208_3_2(void **state)
{
	static const char *const olds[] = { "v=spf1 include:a.example ~all",
	    "v=spf1 ip4:192.0.2.1 -all", "google-site-verification=x", NULL };
	static const char *const news[] = {
	    "v=spf1 include:a.example ip4:192.0.2.1 include:b.example -all",
	    "google-site-verification=x", NULL };
	struct aw_plan plan;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	const struct aw_watch_item *it;
	size_t n = 0;

	aw_plan_init(&plan);
	change(&plan, AW_CHANGE_UPDATE, "example.com", AW_RECORD_TXT, olds, news,
	    AW_CHANGE_MADE);
	assert_int_equal(aw_expect_plan(w, &plan, &n), AW_OK);
	assert_int_equal(n, 3);
	it = find(w, AW_RECORD_TXT, AW_WATCH_PRESENT, "example.com", news[0]);
	assert_non_null(it);
	assert_string_equal(it->old_value, olds[0]);
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_ABSENT, "example.com", olds[0]));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_ABSENT, "example.com", olds[1]));
	assert_null(find(w, AW_RECORD_TXT, AW_WATCH_PRESENT, "example.com", olds[2]));
	assert_null(find(w, AW_RECORD_TXT, AW_WATCH_ABSENT, "example.com", olds[2]));
	aw_plan_done(&plan);
	aw_watch_free(w);
}

/* A replaced CNAME shows the old target as "still the old value"; a
 * deleted record must be gone; changes not made are not watched. */
static void
journal_replaced_deleted_and_unmade_changes(void **state)
{
	static const char *const cold[] = { "s1.old.example", NULL };
	static const char *const cnew[] = { "s1.new.example", NULL };
	static const char *const del[] = { "v=DKIM1; p=MFkw", NULL };
	static const char *const dm[] = { "v=DMARC1; p=none", NULL };
	struct aw_plan plan;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	const struct aw_watch_item *it;
	size_t n = 0;

	aw_plan_init(&plan);
	change(&plan, AW_CHANGE_UPDATE, "s1._domainkey.example.com",
	    AW_RECORD_CNAME, cold, cnew, AW_CHANGE_MADE);
	change(&plan, AW_CHANGE_DELETE, "s2._domainkey.example.com",
	    AW_RECORD_TXT, del, NULL, AW_CHANGE_PARTIAL);
	change(&plan, AW_CHANGE_CREATE, "_dmarc.example.com", AW_RECORD_TXT,
	    NULL, dm, AW_CHANGE_FAILED);
	assert_int_equal(aw_expect_plan(w, &plan, &n), AW_OK);
	assert_int_equal(n, 2);
	it = find(w, AW_RECORD_CNAME, AW_WATCH_PRESENT, "s1._domainkey.example.com",
	    "s1.new.example");
	assert_non_null(it);
	assert_string_equal(it->old_value, "s1.old.example");
	assert_null(find(w, AW_RECORD_CNAME, AW_WATCH_ABSENT,
	    "s1._domainkey.example.com", "s1.old.example"));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_ABSENT,
	    "s2._domainkey.example.com", del[0]));
	assert_null(find(w, AW_RECORD_TXT, AW_WATCH_PRESENT, "_dmarc.example.com", dm[0]));
	aw_plan_done(&plan);
	aw_watch_free(w);
}

/* A plan not applied yet (every change PENDING) is watched whole. */
static void
plan_not_applied_is_watched_whole(void **state)
{
	static const char *const dm[] = { "v=DMARC1; p=none", NULL };
	struct aw_plan plan;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	size_t n = 0;

	aw_plan_init(&plan);
	change(&plan, AW_CHANGE_CREATE, "_dmarc.example.com", AW_RECORD_TXT,
	    NULL, dm, AW_CHANGE_PENDING);
	assert_int_equal(aw_expect_plan(w, &plan, &n), AW_OK);
	assert_int_equal(n, 1);
	aw_plan_done(&plan);
	aw_watch_free(w);
}

/* RFC 7208 §4.6.1: each wanted SPF term (and the all) must be a term of
 * the one SPF record; the other wants must be served as given. */
static void
wants_become_terms_and_values_rfc7208_4_6_1(void **state)
{
	static const char *const terms[] = { "include:b.example", "ip4:192.0.2.0/24" };
	struct aw_wants wants;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	size_t n = 0;

	aw_wants_init(&wants);
	assert_int_equal(aw_wants_add_spf(&wants, "example.com", terms, 2, "-all",
	    NULL), AW_OK);
	assert_int_equal(aw_wants_add_dmarc(&wants, "example.com",
	    "v=DMARC1; p=reject", NULL), AW_OK);
	assert_int_equal(aw_wants_add_dkim_cname(&wants, "example.com", "s1",
	    "s1.dkim.example.net", NULL), AW_OK);
	assert_int_equal(aw_wants_add_ptr(&wants, "192.0.2.25", "mail.example.com",
	    NULL), AW_OK);
	assert_int_equal(aw_expect_wants(w, &wants, &n), AW_OK);
	assert_int_equal(n, 6);
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_TERM, "example.com", terms[0]));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_TERM, "example.com", terms[1]));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_TERM, "example.com", "-all"));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_PRESENT, "_dmarc.example.com",
	    "v=DMARC1; p=reject"));
	assert_non_null(find(w, AW_RECORD_CNAME, AW_WATCH_PRESENT,
	    "s1._domainkey.example.com", "s1.dkim.example.net"));
	/* RFC 1035 §3.5: the PTR lives under in-addr.arpa. */
	assert_non_null(find(w, AW_RECORD_PTR, AW_WATCH_PRESENT,
	    "25.2.0.192.in-addr.arpa", "mail.example.com"));
	aw_wants_done(&wants);
	aw_watch_free(w);
}

/* --spf-remove and --spf-replace OLD=NEW (RFC 7208 §4.6.1): the removed
 * and the replaced term must be out of the SPF record, the new one in. */
static void
spf_remove_and_replace_are_watched_rfc7208_4_6_1(void **state)
{
	struct aw_wants wants;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	size_t n = 0;

	aw_wants_init(&wants);
	assert_int_equal(aw_wants_spf_remove(&wants, "example.com",
	    "include:old.example", NULL), AW_OK);
	assert_int_equal(aw_wants_spf_replace(&wants, "example.com",
	    "include:_spf.example.net", "include:_spf5.example.net", NULL), AW_OK);
	assert_int_equal(aw_expect_wants(w, &wants, &n), AW_OK);
	assert_int_equal(n, 3);
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_NO_TERM, "example.com",
	    "include:old.example"));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_NO_TERM, "example.com",
	    "include:_spf.example.net"));
	assert_non_null(find(w, AW_RECORD_TXT, AW_WATCH_SPF_TERM, "example.com",
	    "include:_spf5.example.net"));
	aw_wants_done(&wants);
	aw_watch_free(w);
}

/* RFC 1035 §3.5: a PTR lives in the reverse zone, on other nameservers
 * than the domain's: left out of a watch of the domain, and named. */
static void
names_outside_the_zone_are_left_out_and_named_rfc1035_3_5(void **state)
{
	static const char *const ptr[] = { "mail.example.com", NULL };
	static const char *const a[] = { "192.0.2.25", NULL };
	struct aw_plan plan;
	struct aw_strv skipped;
	struct aw_watch *w = aw_watch_new(NULL, NULL);
	size_t n = 0;

	aw_plan_init(&plan);
	aw_strv_init(&skipped);
	change(&plan, AW_CHANGE_CREATE, "mail.example.com", AW_RECORD_A, NULL, a,
	    AW_CHANGE_MADE);
	change(&plan, AW_CHANGE_CREATE, "25.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    NULL, ptr, AW_CHANGE_MADE);
	assert_int_equal(aw_expect_plan_under(w, &plan, "example.com", &n,
	    &skipped), AW_OK);
	assert_int_equal(n, 1);
	assert_non_null(find(w, AW_RECORD_A, AW_WATCH_PRESENT, "mail.example.com",
	    "192.0.2.25"));
	assert_int_equal(skipped.n, 1);
	assert_string_equal(skipped.v[0], "25.2.0.192.in-addr.arpa");
	aw_strv_done(&skipped);
	aw_plan_done(&plan);
	aw_watch_free(w);
}

static void
change_ids_of_made_changes_each_once(void **state)
{
	static const char *const v[] = { "x=1", NULL };
	struct aw_plan plan;
	struct aw_strv ids;

	aw_plan_init(&plan);
	aw_strv_init(&ids);
	change(&plan, AW_CHANGE_CREATE, "a.example.com", AW_RECORD_TXT, NULL, v,
	    AW_CHANGE_MADE)->host_change_id = strdup("C1");
	change(&plan, AW_CHANGE_CREATE, "b.example.com", AW_RECORD_TXT, NULL, v,
	    AW_CHANGE_MADE)->host_change_id = strdup("C1");
	change(&plan, AW_CHANGE_CREATE, "c.example.com", AW_RECORD_TXT, NULL, v,
	    AW_CHANGE_FAILED)->host_change_id = strdup("C2");
	assert_int_equal(aw_expect_change_ids(&plan, &ids), AW_OK);
	assert_int_equal(ids.n, 1);
	assert_string_equal(ids.v[0], "C1");
	aw_strv_done(&ids);
	aw_plan_done(&plan);
}

/* Host states fed by the caller (Route 53 GetChange) are kept by label. */
static void
watch_host_state_is_set_by_label(void **state)
{
	struct aw_watch *w = aw_watch_new(NULL, NULL);

	assert_int_equal(aw_watch_set_host_state(w, "Route 53 change C1", NULL,
	    false), AW_OK);
	assert_int_equal(aw_watch_set_host_state(w, "Route 53 change C1",
	    "PENDING", false), AW_OK);
	assert_int_equal(aw_watch_nhosts(w), 1);
	assert_string_equal(aw_watch_host(w, 0)->state, "PENDING");
	assert_int_equal(aw_watch_set_host_state(w, "Route 53 change C1",
	    "INSYNC", true), AW_OK);
	assert_true(aw_watch_host(w, 0)->synced);
	assert_null(aw_watch_host(w, 1));
	aw_watch_free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(journal_merge_watches_new_value_and_removed_spf_rfc7208_3_2),
		cmocka_unit_test(journal_replaced_deleted_and_unmade_changes),
		cmocka_unit_test(plan_not_applied_is_watched_whole),
		cmocka_unit_test(wants_become_terms_and_values_rfc7208_4_6_1),
		cmocka_unit_test(spf_remove_and_replace_are_watched_rfc7208_4_6_1),
		cmocka_unit_test(names_outside_the_zone_are_left_out_and_named_rfc1035_3_5),
		cmocka_unit_test(change_ids_of_made_changes_each_once),
		cmocka_unit_test(watch_host_state_is_set_by_label),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
