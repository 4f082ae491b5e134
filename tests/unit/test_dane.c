/* test_dane.c: TLSA parsing and judging for SMTP (RFC 6698, RFC 7672),
 * the DNSSEC reason tokens of the validator's texts, and the names in
 * rdata (checks/dane.c, checks/dnssec.c). The areas themselves run
 * against a signed tree in tests/integration/dnssec.py and dane.py. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/dane.h"
#include "checks/dnssec.h"

static struct aw_tlsa
rec(uint8_t u, uint8_t s, uint8_t m, size_t len)
{
	struct aw_tlsa t;

	memset(&t, 0, sizeof t);
	t.usage = u;
	t.selector = s;
	t.mtype = m;
	t.len = len;
	memset(t.data, 0xab, len);
	return t;
}

static size_t
judge(const struct aw_tlsa *t, size_t n, struct aw_findings *f)
{
	aw_findings_init(f);
	return aw_tlsa_judge(f, "mx.example.test", t, n);
}

static void
tlsa_parse_rfc6698_2_1(void **state)
{
	const unsigned char rd[] = { 3, 1, 1, 0xde, 0xad };
	struct aw_tlsa t;

	(void)state;
	assert_true(aw_tlsa_parse(rd, sizeof rd, &t));
	assert_int_equal(t.usage, 3);
	assert_int_equal(t.selector, 1);
	assert_int_equal(t.mtype, 1);
	assert_int_equal(t.len, 2);
	assert_int_equal(t.data[1], 0xad);
	assert_false(aw_tlsa_parse(rd, 3, &t));     /* no data */
}

static void
dane_ee_spki_sha256_is_usable(void **state)
{
	struct aw_tlsa t = rec(3, 1, 1, 32);
	struct aw_findings f;

	(void)state;
	assert_int_equal(judge(&t, 1, &f), 1);
	assert_int_equal(f.nitems, 0);
	aw_findings_done(&f);
}

static void
pkix_usages_are_warned_rfc7672_3_1_3(void **state)
{
	struct aw_tlsa t[] = { rec(1, 0, 1, 32), rec(0, 1, 1, 32) };
	struct aw_findings f;

	(void)state;
	assert_int_equal(judge(t, 2, &f), 0);
	assert_non_null(aw_findings_find(&f, "dane.pkix-usage"));
	assert_non_null(aw_findings_find(&f, "dane.no-usable-tlsa"));
	assert_int_equal(f.status, AW_CHECK_ERROR);
	aw_findings_done(&f);
}

static void
digest_lengths_and_unknown_fields(void **state)
{
	struct aw_tlsa t[] = { rec(3, 1, 1, 31), rec(2, 0, 2, 32),
	    rec(4, 1, 1, 32), rec(3, 2, 1, 32), rec(3, 1, 3, 32) };
	struct aw_findings f;

	(void)state;
	assert_int_equal(judge(t, 5, &f), 0);
	assert_non_null(aw_findings_find(&f, "dane.bad-digest-length"));
	assert_non_null(aw_findings_find(&f, "dane.unknown-usage"));
	assert_non_null(aw_findings_find(&f, "dane.unknown-selector"));
	assert_non_null(aw_findings_find(&f, "dane.unknown-matching-type"));
	aw_findings_done(&f);
}

static void
full_match_and_sha512_only(void **state)
{
	struct aw_tlsa t[] = { rec(3, 1, 0, 91), rec(2, 0, 2, 64) };
	struct aw_findings f;

	(void)state;
	assert_int_equal(judge(t, 2, &f), 2);
	assert_non_null(aw_findings_find(&f, "dane.full-match"));
	assert_non_null(aw_findings_find(&f, "dane.no-sha256"));
	assert_null(aw_findings_find(&f, "dane.no-usable-tlsa"));
	aw_findings_done(&f);
}

static void
ee_over_the_whole_certificate_is_noted(void **state)
{
	struct aw_tlsa t = rec(3, 0, 1, 32);
	struct aw_findings f;

	(void)state;
	assert_int_equal(judge(&t, 1, &f), 1);
	assert_non_null(aw_findings_find(&f, "dane.ee-full-cert"));
	assert_int_equal(f.status, AW_CHECK_PENDING);
	aw_findings_done(&f);
}

static void
bogus_reasons_from_unbound_texts(void **state)
{
	(void)state;
	assert_string_equal(aw_dnssec_reason_of(
	    "validation failure <x. A IN>: signature expired from 1.2.3.4"),
	    AW_DNSSEC_R_EXPIRED);
	assert_string_equal(aw_dnssec_reason_of(
	    "validation failure <x. A IN>: signature before inception date"),
	    AW_DNSSEC_R_NOT_YET);
	assert_string_equal(aw_dnssec_reason_of(
	    "no keys have a DS with algorithm ECDSAP256SHA256 from 127.0.0.1"),
	    AW_DNSSEC_R_DS_MISMATCH);
	assert_string_equal(aw_dnssec_reason_of(
	    "validation failure <x. MX IN>: ECDSA signature verification failed"),
	    AW_DNSSEC_R_BAD_SIG);
	assert_string_equal(aw_dnssec_reason_of("no signatures from 1.2.3.4"),
	    AW_DNSSEC_R_NO_SIG);
	assert_string_equal(aw_dnssec_reason_of("something else"),
	    AW_DNSSEC_R_OTHER);
	assert_string_equal(aw_dnssec_reason_of(NULL), AW_DNSSEC_R_OTHER);
	assert_string_equal(aw_dnssec_state_name(AW_DNSSEC_BOGUS), "bogus");
	assert_string_equal(aw_dnssec_state_name(AW_DNSSEC_INDETERMINATE),
	    "indeterminate");
}

static void
rdata_names_are_escaped_and_bounded(void **state)
{
	const unsigned char mx[] = { 0, 10, 4, 'm', 'a', 'i', 'l', 2, 'e', '.',
	    4, 't', 'e', 's', 't', 0 };
	const unsigned char bad[] = { 0, 10, 9, 'a', 'b' };
	const unsigned char root[] = { 0, 0, 0 };
	char out[64];
	size_t off = 2;

	(void)state;
	assert_true(aw_dnssec_rdata_name(mx, sizeof mx, &off, out, sizeof out));
	assert_string_equal(out, "mail.e\\046.test");
	assert_int_equal(off, sizeof mx);
	off = 2;
	assert_false(aw_dnssec_rdata_name(bad, sizeof bad, &off, out, sizeof out));
	off = 2;
	assert_true(aw_dnssec_rdata_name(root, sizeof root, &off, out, sizeof out));
	assert_string_equal(out, "");
	off = 2;
	assert_false(aw_dnssec_rdata_name(mx, sizeof mx, &off, out, 6));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tlsa_parse_rfc6698_2_1),
		cmocka_unit_test(dane_ee_spki_sha256_is_usable),
		cmocka_unit_test(pkix_usages_are_warned_rfc7672_3_1_3),
		cmocka_unit_test(digest_lengths_and_unknown_fields),
		cmocka_unit_test(full_match_and_sha512_only),
		cmocka_unit_test(ee_over_the_whole_certificate_is_noted),
		cmocka_unit_test(bogus_reasons_from_unbound_texts),
		cmocka_unit_test(rdata_names_are_escaped_and_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
