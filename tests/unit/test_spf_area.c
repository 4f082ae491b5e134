/* test_spf_area.c: the SPF area of `check` (checks/check-spf.c) over the
 * in-memory zone: the warnings admins expect from a linter, each with its
 * finding code and RFC, and DNS failures anywhere in the tree. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "checks/spf-lint.h"
#include "core/loop.h"
#include "helpers/area.h"

struct bed {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_domain_check *dc;
};

static void
bed_init(struct bed *b)
{
	memset(b, 0, sizeof *b);
	b->loop = aw_loop_new();
	assert_non_null(b->loop);
	b->m = aw_dns_memory_new(b->loop);
	assert_non_null(b->m);
}

static struct aw_section *
bed_run(struct bed *b, const char *domain)
{
	struct aw_section *sec;

	aw_domain_check_free(b->dc);
	b->dc = aw_test_run_area(b->loop, b->m, domain, "spf", NULL);
	assert_non_null(b->dc);
	sec = aw_test_section(b->dc, "spf", NULL);
	assert_non_null(sec);
	assert_true(sec->finished);
	return sec;
}

static void
bed_done(struct bed *b)
{
	aw_domain_check_free(b->dc);
	aw_dns_memory_free(b->m);
	aw_loop_free(b->loop);
}

/* The finding with code, which must be there with this severity and
 * RFC (NULL: none cited). */
static const struct aw_finding *
want(const struct aw_section *sec, const char *code, enum aw_severity sev,
    const char *rfc)
{
	const struct aw_finding *it = aw_findings_find(&sec->f, code);

	if (it == NULL)
		fail_msg("no finding %s", code);
	assert_int_equal(it->severity, sev);
	if (rfc == NULL)
		assert_null(it->rfc);
	else
		assert_string_equal(it->rfc, rfc);
	return it;
}

static void
no_uncoded(const struct aw_section *sec)
{
	size_t i;

	for (i = 0; i < sec->f.nitems; i++)
		assert_string_not_equal(sec->f.items[i].code, "uncoded");
}

/* RFC 7208 §2.6.6, §4.4: a redirect= target whose lookup fails is a DNS
 * failure of the check (temperror), not "could not be fetched" alone. */
static void
redirect_target_dns_failure_sets_dns_failure_rfc7208_4_4(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_spf_tree *t;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com",
	    "v=spf1 redirect=_spf.broken.example");
	aw_dns_memory_add_timeout(b.m, "_spf.broken.example", AW_RECORD_TXT);
	sec = bed_run(&b, "example.com");
	assert_true(sec->f.dns_failure);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	want(sec, "spf.dns-failure", AW_SEV_ERROR, "RFC 7208 §4.4");
	t = sec->detail;
	assert_non_null(t);
	assert_true(t->dns_failure);
	assert_int_equal(t->verdict, AW_SPF_TEMPERROR);
	assert_int_equal(t->root->children[0]->state, AW_SPF_NODE_DNS_ERROR);
	no_uncoded(sec);
	/* An a term whose lookup fails, deep in an include: the same. */
	aw_dns_memory_add_txt1(b.m, "deep.example",
	    "v=spf1 include:inc.example -all");
	aw_dns_memory_add_txt1(b.m, "inc.example", "v=spf1 a:slow.example -all");
	aw_dns_memory_add_timeout(b.m, "slow.example", AW_RECORD_A);
	sec = bed_run(&b, "deep.example");
	assert_true(sec->f.dns_failure);
	want(sec, "spf.dns-failure", AW_SEV_ERROR, "RFC 7208 §2.6.6");
	bed_done(&b);
}

/* The case of the issue: three MX hosts without addresses are three void
 * lookups (as check_host() and pyspf count them): permerror. */
static void
mx_hosts_without_addresses_are_void_lookups_rfc7208_4_6_4(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_spf_tree *t;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com", "v=spf1 mx -all");
	aw_dns_memory_add_mx(b.m, "example.com", 10, "m1.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 20, "m2.example.com");
	aw_dns_memory_add_mx(b.m, "example.com", 30, "m3.example.com");
	sec = bed_run(&b, "example.com");
	t = sec->detail;
	assert_int_equal(t->voids, 3);
	assert_int_equal(t->verdict, AW_SPF_PERMERROR);
	assert_int_equal(t->verdict_voids, 3);
	want(sec, "spf.void-limit", AW_SEV_ERROR, "RFC 7208 §4.6.4");
	want(sec, "spf.void-mx-host", AW_SEV_WARNING, "RFC 7208 §4.6.4");
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_false(sec->f.dns_failure);
	bed_done(&b);
}

/* a and mx terms that find nothing are warnings (a typo, most likely);
 * an exists that finds nothing is what exists is for: a note. */
static void
void_a_and_mx_terms_warn_void_exists_notes_rfc7208_4_6_4(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_finding *it;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com",
	    "v=spf1 a:mial.example.com exists:gone.example.com -all");
	aw_dns_memory_add_txt1(b.m, "mx.example", "v=spf1 mx -all");
	sec = bed_run(&b, "example.com");
	it = want(sec, "spf.void-term", AW_SEV_WARNING, "RFC 7208 §4.6.4");
	assert_non_null(strstr(it->message, "mial.example.com"));
	want(sec, "spf.void-lookup", AW_SEV_NOTE, "RFC 7208 §4.6.4");
	assert_null(aw_findings_find(&sec->f, "spf.void-limit"));
	sec = bed_run(&b, "mx.example");
	it = want(sec, "spf.void-term", AW_SEV_WARNING, "RFC 7208 §4.6.4");
	assert_non_null(strstr(it->message, "MX"));
	bed_done(&b);
}

/* RFC 7208 §3.4: a record over 450 bytes may need TCP: a warning, the
 * same limit the record builder warns at. */
static void
record_over_450_bytes_warns_rfc7208_3_4(void **state)
{
	struct bed b;
	struct aw_section *sec;
	char big[600], s1[256], s2[256];
	const char *strs[3] = { s1, s2, NULL };
	size_t n;

	(void)state;
	bed_init(&b);
	strcpy(big, "v=spf1");
	while (strlen(big) < 460)
		strcat(big, " ip4:192.0.2.1");
	strcat(big, " -all");
	n = strlen(big);
	memcpy(s1, big, 250);
	s1[250] = '\0';
	strcpy(s2, big + 250);
	assert_int_equal(aw_dns_memory_add_txt(b.m, "big.example", AW_RECORD_TXT,
	    strs, NULL, 2), AW_OK);
	aw_dns_memory_add_txt1(b.m, "small.example",
	    "v=spf1 ip4:192.0.2.1 -all");
	sec = bed_run(&b, "big.example");
	want(sec, "spf.record-size", AW_SEV_WARNING, "RFC 7208 §3.4");
	assert_null(aw_findings_find(&sec->f, "spf.string-too-long"));
	assert_true(n > 450);
	sec = bed_run(&b, "small.example");
	assert_null(aw_findings_find(&sec->f, "spf.record-size"));
	bed_done(&b);
}

/* A Sender ID record beside SPF: obsolete (RFC 6686), a warning. */
static void
sender_id_record_beside_spf_warns_rfc6686(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com", "v=spf1 mx -all");
	aw_dns_memory_add_txt1(b.m, "example.com", "spf2.0/mfrom,pra mx -all");
	aw_dns_memory_add_mx(b.m, "example.com", 10, "mail.example.com");
	aw_dns_memory_add_addr(b.m, "mail.example.com", "192.0.2.25");
	sec = bed_run(&b, "example.com");
	want(sec, "spf.sender-id", AW_SEV_WARNING, "RFC 6686");
	/* Not an SPF record: no "more than one". */
	assert_null(aw_findings_find(&sec->f, "spf.multiple-records"));
	assert_int_equal(sec->f.records.n, 1);
	no_uncoded(sec);
	bed_done(&b);
}

/* RFC 7489 §6.1: a DMARC record at the domain itself has no effect. */
static void
dmarc_record_at_the_domain_itself_warns_rfc7489_6_1(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com", "v=spf1 -all");
	aw_dns_memory_add_txt1(b.m, "example.com", "v=DMARC1; p=reject");
	aw_dns_memory_add_txt1(b.m, "ok.example", "v=spf1 -all");
	aw_dns_memory_add_txt1(b.m, "_dmarc.ok.example", "v=DMARC1; p=reject");
	sec = bed_run(&b, "example.com");
	want(sec, "dmarc.record-at-domain", AW_SEV_WARNING, "RFC 7489 §6.1");
	sec = bed_run(&b, "ok.example");
	assert_null(aw_findings_find(&sec->f, "dmarc.record-at-domain"));
	bed_done(&b);
}

/* RFC 7208 §6.2: an exp= target needs exactly one TXT record. */
static void
exp_target_without_or_with_several_txt_warns_rfc7208_6_2(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "none.example",
	    "v=spf1 -all exp=why.none.example");
	aw_dns_memory_add_txt1(b.m, "many.example",
	    "v=spf1 -all exp=why.many.example");
	aw_dns_memory_add_txt1(b.m, "why.many.example", "one");
	aw_dns_memory_add_txt1(b.m, "why.many.example", "two");
	aw_dns_memory_add_txt1(b.m, "good.example",
	    "v=spf1 -all exp=why.good.example");
	aw_dns_memory_add_txt1(b.m, "why.good.example", "not allowed");
	sec = bed_run(&b, "none.example");
	want(sec, "spf.exp-no-txt", AW_SEV_WARNING, "RFC 7208 §6.2");
	sec = bed_run(&b, "many.example");
	want(sec, "spf.exp-many-txt", AW_SEV_WARNING, "RFC 7208 §6.2");
	aw_dns_memory_add_txt1(b.m, "slow.example",
	    "v=spf1 -all exp=why.slow.example");
	aw_dns_memory_add_timeout(b.m, "why.slow.example", AW_RECORD_TXT);
	sec = bed_run(&b, "slow.example");
	want(sec, "spf.exp-dns-failure", AW_SEV_WARNING, "RFC 7208 §6.2");
	assert_null(aw_findings_find(&sec->f, "spf.dns-failure"));
	assert_true(sec->f.dns_failure);
	sec = bed_run(&b, "good.example");
	assert_null(aw_findings_find(&sec->f, "spf.exp-no-txt"));
	assert_null(aw_findings_find(&sec->f, "spf.exp-many-txt"));
	assert_int_equal(sec->f.warnings.n, 0);
	bed_done(&b);
}

/* Text after "all", unknown modifiers included, is ignored by receivers:
 * a note for each term. exp= after all is fine. */
static void
text_after_all_is_a_note_rfc7208_5_1(void **state)
{
	struct bed b;
	struct aw_section *sec;
	const struct aw_spf_tree *t;
	size_t i, n = 0;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com",
	    "v=spf1 ip4:192.0.2.1 -all ip4:192.0.2.2 foo=bar exp=x.example");
	aw_dns_memory_add_txt1(b.m, "x.example", "why");
	sec = bed_run(&b, "example.com");
	for (i = 0; i < sec->f.nitems; i++)
		if (strcmp(sec->f.items[i].code, "spf.after-all") == 0) {
			assert_int_equal(sec->f.items[i].severity, AW_SEV_NOTE);
			n++;
		}
	assert_int_equal(n, 2);
	want(sec, "spf.after-all", AW_SEV_NOTE, "RFC 7208 §5.1");
	/* Terms after all cost nothing: receivers never get there. */
	t = sec->detail;
	assert_int_equal(t->lookups, 0);
	assert_int_equal(sec->f.status, AW_CHECK_OK);
	bed_done(&b);
}

/* The old findings keep their codes: type 99, loops, syntax. */
static void
spf_findings_are_coded(void **state)
{
	struct bed b;
	struct aw_section *sec;

	(void)state;
	bed_init(&b);
	aw_dns_memory_add_txt1(b.m, "example.com",
	    "v=spf1 ptr include:loop.example include:bad.example ~all");
	aw_dns_memory_add_txt(b.m, "example.com", AW_RECORD_SPF,
	    (const char *[]){ "v=spf1 -all", NULL }, NULL, 1);
	aw_dns_memory_add_txt1(b.m, "loop.example", "v=spf1 include:example.com -all");
	aw_dns_memory_add_txt1(b.m, "bad.example", "v=spf1 frob:x -all");
	sec = bed_run(&b, "example.com");
	want(sec, "spf.type99", AW_SEV_WARNING, "RFC 7208 §3.1");
	want(sec, "spf.ptr", AW_SEV_WARNING, "RFC 7208 §5.5");
	want(sec, "spf.loop", AW_SEV_ERROR, "RFC 7208 §4.6.4");
	want(sec, "spf.syntax", AW_SEV_ERROR, "RFC 7208 §4.6");
	want(sec, "spf.cost", AW_SEV_NOTE, "RFC 7208 §4.6.4");
	no_uncoded(sec);
	bed_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(redirect_target_dns_failure_sets_dns_failure_rfc7208_4_4),
		cmocka_unit_test(mx_hosts_without_addresses_are_void_lookups_rfc7208_4_6_4),
		cmocka_unit_test(void_a_and_mx_terms_warn_void_exists_notes_rfc7208_4_6_4),
		cmocka_unit_test(record_over_450_bytes_warns_rfc7208_3_4),
		cmocka_unit_test(sender_id_record_beside_spf_warns_rfc6686),
		cmocka_unit_test(dmarc_record_at_the_domain_itself_warns_rfc7489_6_1),
		cmocka_unit_test(exp_target_without_or_with_several_txt_warns_rfc7208_6_2),
		cmocka_unit_test(text_after_all_is_a_note_rfc7208_5_1),
		cmocka_unit_test(spf_findings_are_coded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
