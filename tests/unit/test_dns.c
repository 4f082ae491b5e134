/* test_dns.c: answers as data, the in-memory source, the wire parser
 * against malformed and hostile messages, and the domain check over it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/domain.h"
#include "checks/resolver.h"
#include "core/loop.h"

static void
memory_source_tells_nxdomain_from_nodata(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);
	struct aw_dns_answer *a;

	aw_dns_memory_add_addr(m, "host.example", "192.0.2.1");
	a = aw_dns_query_sync(&src, "host.example", AW_RECORD_TXT);
	assert_int_equal(a->result, AW_DNS_NODATA);
	aw_dns_answer_free(a);
	a = aw_dns_query_sync(&src, "nope.example", AW_RECORD_TXT);
	assert_int_equal(a->result, AW_DNS_NXDOMAIN);
	aw_dns_answer_free(a);
	a = aw_dns_query_sync(&src, "HOST.example.", AW_RECORD_A);
	assert_int_equal(a->result, AW_DNS_RECORDS);
	assert_string_equal(a->rr[0].u.addr.text, "192.0.2.1");
	aw_dns_answer_free(a);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
memory_source_joins_txt_strings_rfc7208_3_3(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);
	const char *parts[] = { "v=spf1 ", "-all" };
	struct aw_dns_answer *a;
	char *joined;

	aw_dns_memory_add_txt(m, "example.org", AW_RECORD_TXT, parts, NULL, 2);
	a = aw_dns_query_sync(&src, "example.org", AW_RECORD_TXT);
	assert_int_equal(a->rr[0].u.txt.n, 2);
	joined = aw_dns_txt_join(&a->rr[0], NULL);
	assert_string_equal(joined, "v=spf1 -all");
	free(joined);
	aw_dns_answer_free(a);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static void
memory_source_follows_cname_and_times_out(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);
	struct aw_dns_answer *a;

	aw_dns_memory_add_target(m, "s1._domainkey.example.org", AW_RECORD_CNAME,
	    "key.esp.example.");
	aw_dns_memory_add_txt1(m, "key.esp.example", "v=DKIM1; p=");
	aw_dns_memory_add_timeout(m, "slow.example", AW_RECORD_TXT);
	a = aw_dns_query_sync(&src, "s1._domainkey.example.org", AW_RECORD_TXT);
	assert_int_equal(a->result, AW_DNS_RECORDS);
	assert_int_equal(a->nrr, 2);
	assert_int_equal(a->rr[0].type, AW_RECORD_CNAME);
	assert_string_equal(a->rr[0].u.target, "key.esp.example");
	aw_dns_answer_free(a);
	a = aw_dns_query_sync(&src, "slow.example", AW_RECORD_TXT);
	assert_int_equal(a->result, AW_DNS_TIMEOUT);
	aw_dns_answer_free(a);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

static bool delivered;

static void
on_answer(struct aw_dns_answer *ans, void *arg)
{
	delivered = true;
	aw_dns_answer_free(ans);
}

static void
callbacks_never_run_inside_query(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);

	delivered = false;
	assert_int_equal(aw_dns_query(&src, "x.example", AW_RECORD_A, on_answer,
	    NULL), AW_OK);
	assert_false(delivered);
	aw_loop_run_once(loop, -1);
	assert_true(delivered);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

/* A DNS message: header, the question example.org TXT, then answers. */
static size_t
message(unsigned char *out, unsigned rcode, unsigned ancount,
    const unsigned char *answers, size_t alen)
{
	static const unsigned char q[] = {
		7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0,
		0, 16, 0, 1
	};
	unsigned char hdr[12] = { 0x12, 0x34, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0 };

	hdr[3] = (unsigned char)(0x80 | rcode);
	hdr[7] = (unsigned char)ancount;
	memcpy(out, hdr, 12);
	memcpy(out + 12, q, sizeof q);
	if (alen > 0)
		memcpy(out + 12 + sizeof q, answers, alen);
	return 12 + sizeof q + alen;
}

static void
parser_reads_multi_string_txt_rfc1035_3_3_14(void **state)
{
	/* owner: pointer to the question name (offset 12) */
	static const unsigned char ans[] = {
		0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 44, 0, 8,
		3, 'a', 'b', 'c', 3, 'd', 'e', 'f'
	};
	unsigned char msg[512];
	size_t len = message(msg, 0, 1, ans, sizeof ans);
	struct aw_dns_answer *a = aw_resolver_parse("example.org", AW_RECORD_TXT,
	    msg, len);
	char *j;

	assert_int_equal(a->result, AW_DNS_RECORDS);
	assert_int_equal(a->nrr, 1);
	assert_string_equal(a->rr[0].name, "example.org");
	assert_int_equal(a->rr[0].ttl, 300);
	assert_int_equal(a->rr[0].u.txt.n, 2);
	j = aw_dns_txt_join(&a->rr[0], NULL);
	assert_string_equal(j, "abcdef");
	free(j);
	aw_dns_answer_free(a);
}

static void
parser_rejects_a_string_longer_than_its_rdata(void **state)
{
	static const unsigned char ans[] = {
		0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 44, 0, 4,
		200, 'a', 'b', 'c'
	};
	unsigned char msg[512];
	size_t len = message(msg, 0, 1, ans, sizeof ans);
	struct aw_dns_answer *a = aw_resolver_parse("example.org", AW_RECORD_TXT,
	    msg, len);

	assert_int_equal(a->result, AW_DNS_MALFORMED);
	assert_int_equal(a->nrr, 0);
	aw_dns_answer_free(a);
}

static void
parser_rejects_rdlength_past_the_end(void **state)
{
	static const unsigned char ans[] = {
		0xc0, 12, 0, 16, 0, 1, 0, 0, 1, 44, 0xff, 0xff, 1, 'a'
	};
	unsigned char msg[512];
	size_t len = message(msg, 0, 1, ans, sizeof ans);
	struct aw_dns_answer *a = aw_resolver_parse("example.org", AW_RECORD_TXT,
	    msg, len);

	assert_int_equal(a->result, AW_DNS_MALFORMED);
	aw_dns_answer_free(a);
}

static void
parser_survives_a_compression_loop(void **state)
{
	/* The owner name points at itself. */
	unsigned char ans[] = {
		0xc0, 0, 0, 16, 0, 1, 0, 0, 1, 44, 0, 2, 1, 'a'
	};
	unsigned char msg[512];
	size_t len;
	struct aw_dns_answer *a;

	len = message(msg, 0, 1, ans, sizeof ans);
	msg[29] = 0xc0;
	msg[30] = 29;    /* owner at offset 29 points to 29 */
	a = aw_resolver_parse("example.org", AW_RECORD_TXT, msg, len);
	assert_int_equal(a->result, AW_DNS_MALFORMED);
	aw_dns_answer_free(a);
}

static void
parser_counts_ancount_lies_as_malformed(void **state)
{
	unsigned char msg[512];
	size_t len = message(msg, 0, 3, NULL, 0);
	struct aw_dns_answer *a = aw_resolver_parse("example.org", AW_RECORD_TXT,
	    msg, len);

	assert_int_equal(a->result, AW_DNS_MALFORMED);
	aw_dns_answer_free(a);
	a = aw_resolver_parse("example.org", AW_RECORD_TXT, msg, 5);
	assert_int_equal(a->result, AW_DNS_MALFORMED);
	aw_dns_answer_free(a);
}

static void
parser_maps_rcodes(void **state)
{
	unsigned char msg[512];
	size_t len;
	struct aw_dns_answer *a;

	len = message(msg, 3, 0, NULL, 0);
	a = aw_resolver_parse("example.org", AW_RECORD_TXT, msg, len);
	assert_int_equal(a->result, AW_DNS_NXDOMAIN);
	aw_dns_answer_free(a);
	len = message(msg, 0, 0, NULL, 0);
	a = aw_resolver_parse("example.org", AW_RECORD_TXT, msg, len);
	assert_int_equal(a->result, AW_DNS_NODATA);
	aw_dns_answer_free(a);
	len = message(msg, 2, 0, NULL, 0);
	a = aw_resolver_parse("example.org", AW_RECORD_TXT, msg, len);
	assert_int_equal(a->result, AW_DNS_SERVFAIL);
	aw_dns_answer_free(a);
}

static void
domain_check_fills_every_area(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_dns_source src = aw_dns_memory_source(m);
	struct aw_domain_check *dc = NULL;
	const char *sel[] = { "s1" };
	struct aw_domain_check_opts opts = { .selectors = sel, .nselectors = 1 };
	size_t i;
	bool spf = false, dmarc = false, dkim = false, mx = false;

	aw_dns_memory_add_txt1(m, "example.org", "v=spf1 -all");
	aw_dns_memory_add_txt1(m, "example.org", "v=spf1 ~all");
	aw_dns_memory_add_txt1(m, "s1._domainkey.example.org", "v=DKIM1; p=");
	aw_dns_memory_add_mx(m, "example.org", 10, "mx.example.org");
	aw_dns_memory_add_addr(m, "mx.example.org", "192.0.2.1");
	assert_int_equal(aw_domain_check_start(&src, "example.org", &opts,
	    NULL, NULL, &dc, NULL), AW_OK);
	while (!aw_domain_check_finished(dc))
		assert_true(aw_loop_run_once(loop, -1));
	for (i = 0; i < aw_domain_check_count(dc); i++) {
		struct aw_section *s = aw_domain_check_section(dc, i);

		if (strcmp(s->area, "spf") == 0) {
			/* RFC 7208 §4.5: two records are an error */
			spf = s->f.status == AW_CHECK_ERROR && s->f.records.n == 2;
		} else if (strcmp(s->area, "dmarc") == 0) {
			dmarc = s->f.status == AW_CHECK_MISSING;
		} else if (strcmp(s->area, "dkim") == 0) {
			dkim = s->f.records.n == 1;
		} else if (strcmp(s->area, "mx") == 0) {
			mx = s->f.status == AW_CHECK_OK;
		}
	}
	assert_true(spf);
	assert_true(dmarc);
	assert_true(dkim);
	assert_true(mx);
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(memory_source_tells_nxdomain_from_nodata),
		cmocka_unit_test(memory_source_joins_txt_strings_rfc7208_3_3),
		cmocka_unit_test(memory_source_follows_cname_and_times_out),
		cmocka_unit_test(callbacks_never_run_inside_query),
		cmocka_unit_test(parser_reads_multi_string_txt_rfc1035_3_3_14),
		cmocka_unit_test(parser_rejects_a_string_longer_than_its_rdata),
		cmocka_unit_test(parser_rejects_rdlength_past_the_end),
		cmocka_unit_test(parser_survives_a_compression_loop),
		cmocka_unit_test(parser_counts_ancount_lies_as_malformed),
		cmocka_unit_test(parser_maps_rcodes),
		cmocka_unit_test(domain_check_fills_every_area),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
