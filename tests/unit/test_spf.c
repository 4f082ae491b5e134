/* test_spf.c: the SPF parser, macro expansion and check_host() limits,
 * each test named after the RFC 7208 rule it pins. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/dns-memory.h"
#include "checks/spf.h"
#include "core/loop.h"

static struct aw_spf_record *
parse_ok(const char *s)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_spf_parse(s, strlen(s), &rec, &err) != AW_OK)
		fail_msg("\"%s\" did not parse: %s", s, err.msg);
	return rec;
}

static void
parse_bad(const char *s, const char *where_part)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_spf_parse(s, strlen(s), &rec, &err) == AW_OK)
		fail_msg("\"%s\" parsed but is invalid", s);
	assert_null(rec);
	if (where_part != NULL && strstr(err.where, where_part) == NULL)
		fail_msg("error for \"%s\" is at \"%s\", want \"%s\"", s,
		    err.where, where_part);
}

static void
rfc7208_4_5_version_must_be_v_spf1_then_space_or_end(void **state)
{
	(void)state;
	assert_true(aw_spf_is_record("v=spf1", 6));
	assert_true(aw_spf_is_record("V=SPF1 -all", 11));
	assert_false(aw_spf_is_record("v=spf10 -all", 12));
	assert_false(aw_spf_is_record(" v=spf1 -all", 12));
	assert_false(aw_spf_is_record("spf2.0/pra -all", 15));
}

static void
rfc7208_4_6_every_mechanism_and_qualifier_parses(void **state)
{
	struct aw_spf_record *rec = parse_ok("v=spf1 +all -include:_spf.example.com "
	    "~a ?mx:mail.example.com ptr:example.org ip4:192.0.2.0/24 "
	    "ip6:2001:db8::/32 exists:%{ir}.%{v}._spf.%{d} "
	    "redirect=_spf.example.net exp=explain.%{d} foo=bar");

	(void)state;
	assert_int_equal(rec->nterms, 11);
	assert_int_equal(rec->terms[0].kind, AW_SPF_ALL);
	assert_int_equal(rec->terms[0].qualifier, AW_SPF_PASS);
	assert_int_equal(rec->terms[1].kind, AW_SPF_INCLUDE);
	assert_int_equal(rec->terms[1].qualifier, AW_SPF_FAIL);
	assert_string_equal(rec->terms[1].domain_spec, "_spf.example.com");
	assert_int_equal(rec->terms[2].kind, AW_SPF_A);
	assert_int_equal(rec->terms[2].qualifier, AW_SPF_SOFTFAIL);
	assert_null(rec->terms[2].domain_spec);
	assert_int_equal(rec->terms[3].qualifier, AW_SPF_NEUTRAL);
	assert_int_equal(rec->terms[4].kind, AW_SPF_PTR);
	assert_int_equal(rec->terms[5].kind, AW_SPF_IP4);
	assert_int_equal(rec->terms[5].cidr4, 24);
	assert_int_equal(rec->terms[5].addr[0], 192);
	assert_int_equal(rec->terms[6].kind, AW_SPF_IP6);
	assert_int_equal(rec->terms[6].cidr6, 32);
	assert_int_equal(rec->terms[7].kind, AW_SPF_EXISTS);
	assert_int_equal(rec->terms[8].kind, AW_SPF_REDIRECT);
	assert_int_equal(rec->redirect, 8);
	assert_int_equal(rec->exp, 9);
	assert_int_equal(rec->all, 0);
	assert_int_equal(rec->terms[10].kind, AW_SPF_UNKNOWN_MOD);
	assert_string_equal(rec->terms[10].mod_name, "foo");
	assert_int_equal(rec->terms[3].pos, 42);
	aw_spf_record_free(rec);
}

static void
rfc7208_5_6_dual_cidr_lengths(void **state)
{
	struct aw_spf_record *rec = parse_ok(
	    "v=spf1 a:foo.example.com/24//64 mx//64 a/0 mx:%{d}/27");

	(void)state;
	assert_string_equal(rec->terms[0].domain_spec, "foo.example.com");
	assert_int_equal(rec->terms[0].cidr4, 24);
	assert_int_equal(rec->terms[0].cidr6, 64);
	assert_int_equal(rec->terms[1].cidr4, -1);
	assert_int_equal(rec->terms[1].cidr6, 64);
	assert_int_equal(rec->terms[2].cidr4, 0);
	assert_string_equal(rec->terms[3].domain_spec, "%{d}");
	assert_int_equal(rec->terms[3].cidr4, 27);
	aw_spf_record_free(rec);
	parse_bad("v=spf1 a/33", "a/33");
	parse_bad("v=spf1 a//129", NULL);
	parse_bad("v=spf1 a/024", NULL);
	parse_bad("v=spf1 ip4:192.0.2.1//32", NULL);
	parse_bad("v=spf1 ip6:::1//64", NULL);
}

static void
rfc7208_5_6_ip4_network_has_no_leading_zeros(void **state)
{
	(void)state;
	parse_bad("v=spf1 ip4:192.0.02.1", NULL);
	parse_bad("v=spf1 ip4:192.0.2.256", NULL);
	parse_bad("v=spf1 ip4:192.0.2", NULL);
	parse_bad("v=spf1 ip6:2001:db8:zz::", NULL);
	aw_spf_record_free(parse_ok("v=spf1 ip4:0.0.0.0/0 ip6:::/0"));
}

static void
rfc7208_4_6_syntax_error_names_term_and_position(void **state)
{
	struct aw_spf_record *rec = NULL;
	struct aw_error err;
	const char *s = "v=spf1 a mx foo:bar -all";

	(void)state;
	aw_error_clear(&err);
	assert_int_equal(aw_spf_parse(s, strlen(s), &rec, &err), AW_ERR_INVALID);
	assert_string_equal(err.where, "term 3 'foo:bar' at position 13");
	assert_non_null(strstr(err.msg, "foo:bar"));
	assert_non_null(strstr(err.msg, "position 13"));
}

static void
rfc7208_7_1_domain_spec_must_end_in_toplabel_or_macro(void **state)
{
	(void)state;
	parse_bad("v=spf1 a:1.2.3.4", "a:1.2.3.4");
	parse_bad("v=spf1 include:localhost", NULL);
	parse_bad("v=spf1 a:foo.example.com-", NULL);
	parse_bad("v=spf1 include:", NULL);
	parse_bad("v=spf1 include", NULL);
	parse_bad("v=spf1 exists", NULL);
	aw_spf_record_free(parse_ok("v=spf1 a:mail.example.com. "
	    "exists:%{i}.bl.example.net include:%{d2} a:1-2.3-4"));
}

static void
rfc7208_3_1_non_ascii_and_control_characters_are_errors(void **state)
{
	(void)state;
	parse_bad("v=spf1 a:caf\xc3\xa9.example.com -all", "position 13");
	parse_bad("v=spf1 a\t-all", NULL);
	parse_bad("v=spf1 ip4:192.0.2.1~all", NULL);
}

static void
rfc7208_6_redirect_and_exp_at_most_once(void **state)
{
	(void)state;
	parse_bad("v=spf1 redirect=a.example.com redirect=b.example.com",
	    "term 2");
	parse_bad("v=spf1 exp=a.example.com exp=b.example.com", "term 2");
	parse_bad("v=spf1 redirect=", NULL);
	aw_spf_record_free(parse_ok("v=spf1 -all moo=bar moo=baz"));
}

static void
rfc7208_7_1_macro_syntax(void **state)
{
	struct aw_error err;

	(void)state;
	parse_bad("v=spf1 exists:%(ir).sbl.example.com", NULL);
	parse_bad("v=spf1 exists:foo%.sbl.example.com", NULL);
	parse_bad("v=spf1 a:%{a}.example.com", NULL);
	parse_bad("v=spf1 a:%{d0}.example.com", NULL);
	/* c, r and t are exp-only (RFC 7208 §7.2) */
	parse_bad("v=spf1 -all exp=%{r}.example.com", NULL);
	assert_int_equal(aw_spf_macro_check("%{c} at %{t}", 12, true, &err),
	    AW_OK);
	assert_int_equal(aw_spf_macro_check("%{c}", 4, false, &err),
	    AW_ERR_INVALID);
	assert_true(aw_spf_has_macro("exists:%{i}.x"));
	assert_false(aw_spf_has_macro("a%%b%_c%-d"));
}

static void
env_init(struct aw_spf_macro_env *env)
{
	memset(env, 0, sizeof *env);
	env->sender = "strong-bad@email.example.com";
	env->local = "strong-bad";
	env->sender_domain = "email.example.com";
	env->domain = "email.example.com";
	env->family = 4;
	env->ip[0] = 192;
	env->ip[1] = 0;
	env->ip[2] = 2;
	env->ip[3] = 3;
	env->helo = "mx.example.org";
	env->now = 1234;
}

static void
expect(const struct aw_spf_macro_env *env, const char *in, bool explain,
    const char *want)
{
	struct aw_buf b;
	struct aw_error err;

	aw_buf_init(&b);
	if (aw_spf_macro_expand(in, strlen(in), explain, env, &b, &err) != AW_OK)
		fail_msg("%s: %s", in, err.msg);
	if (strcmp(aw_buf_str(&b), want) != 0)
		fail_msg("%s gave \"%s\", want \"%s\"", in, aw_buf_str(&b), want);
	aw_buf_done(&b);
}

static void
rfc7208_7_3_macro_expansion_examples(void **state)
{
	struct aw_spf_macro_env env;

	(void)state;
	env_init(&env);
	expect(&env, "%{s}", false, "strong-bad@email.example.com");
	expect(&env, "%{o}", false, "email.example.com");
	expect(&env, "%{d}", false, "email.example.com");
	expect(&env, "%{d4}", false, "email.example.com");
	expect(&env, "%{d3}", false, "email.example.com");
	expect(&env, "%{d2}", false, "example.com");
	expect(&env, "%{d1}", false, "com");
	expect(&env, "%{dr}", false, "com.example.email");
	expect(&env, "%{d2r}", false, "example.email");
	expect(&env, "%{l}", false, "strong-bad");
	expect(&env, "%{l-}", false, "strong.bad");
	expect(&env, "%{lr}", false, "strong-bad");
	expect(&env, "%{lr-}", false, "bad.strong");
	expect(&env, "%{l1r-}", false, "strong");
	expect(&env, "%{ir}.%{v}._spf.%{d2}", false,
	    "3.2.0.192.in-addr._spf.example.com");
	expect(&env, "%{lr-}.lp._spf.%{d2}", false,
	    "bad.strong.lp._spf.example.com");
	expect(&env, "%{h}.", false, "mx.example.org");
	expect(&env, "%{p}", false, "unknown");
	expect(&env, "%{c} at %{t} by %{r}.", true,
	    "192.0.2.3 at 1234 by unknown.");
	expect(&env, "%%%_%-", true, "% %20");
}

static void
rfc7208_7_3_uppercase_macros_are_url_escaped(void **state)
{
	struct aw_spf_macro_env env;

	(void)state;
	env_init(&env);
	env.local = "~jack&jill=up-a_b3.c";
	expect(&env, "l=%{L}", true, "l=~jack%26jill%3Dup-a_b3.c");
}

static void
rfc7208_7_3_ipv6_i_macro_is_dotted_nibbles(void **state)
{
	struct aw_spf_macro_env env;

	(void)state;
	env_init(&env);
	env.family = 6;
	memset(env.ip, 0, 16);
	env.ip[0] = 0x20;
	env.ip[1] = 0x01;
	env.ip[2] = 0x0d;
	env.ip[3] = 0xb8;
	env.ip[15] = 0xcb;
	expect(&env, "%{ir}.%{v}", false,
	    "B.C.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.ip6");
	expect(&env, "%{c}", true, "2001:db8::cb");
}

static void
rfc7208_7_3_long_names_lose_labels_on_the_left(void **state)
{
	struct aw_spf_macro_env env;
	struct aw_buf b;
	struct aw_error err;
	char spec[400];

	(void)state;
	env_init(&env);
	strcpy(spec, "");
	while (strlen(spec) < 300)
		strcat(spec, "abcdefghi.");
	strcat(spec, "example.com");
	aw_buf_init(&b);
	assert_int_equal(aw_spf_macro_expand(spec, strlen(spec), false, &env,
	    &b, &err), AW_OK);
	assert_true(b.len <= 253);
	assert_true(b.len > 240);
	assert_string_equal(aw_buf_str(&b) + b.len - 11, "example.com");
	assert_true(aw_buf_str(&b)[0] == 'a');
	aw_buf_done(&b);
}

/* --- check_host over an in-memory zone ------------------------------- */

struct zone {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
};

static void
zone_init(struct zone *z)
{
	z->loop = aw_loop_new();
	z->m = aw_dns_memory_new(z->loop);
	assert_non_null(z->m);
	z->src = aw_dns_memory_source(z->m);
}

static void
zone_done(struct zone *z)
{
	aw_dns_memory_free(z->m);
	aw_loop_free(z->loop);
}

static enum aw_spf_result
run(struct zone *z, const char *ip, const char *domain,
    struct aw_spf_outcome *out)
{
	struct aw_spf_query q;
	struct aw_error err;

	memset(&q, 0, sizeof q);
	q.ip = ip;
	q.domain = domain;
	q.sender = "user@example.com";
	q.helo = "mail.example.com";
	assert_int_equal(aw_spf_check_host(&z->src, &q, out, &err), AW_OK);
	return out->result;
}

static void
rfc7208_4_6_4_at_most_ten_dns_querying_terms(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_addr(z.m, "example.com", "192.0.2.1");
	aw_dns_memory_add_txt1(z.m, "ten.example.com",
	    "v=spf1 a:example.com a:example.com a:example.com a:example.com "
	    "a:example.com a:example.com a:example.com a:example.com "
	    "a:example.com a:example.com ip4:192.0.2.99 -all");
	aw_dns_memory_add_txt1(z.m, "eleven.example.com",
	    "v=spf1 a:example.com a:example.com a:example.com a:example.com "
	    "a:example.com a:example.com a:example.com a:example.com "
	    "a:example.com a:example.com a:example.com ip4:192.0.2.99 -all");
	assert_int_equal(run(&z, "192.0.2.99", "ten.example.com", &out),
	    AW_SPF_PASS);
	assert_int_equal(out.lookups, 10);
	assert_string_equal(out.term, "ip4:192.0.2.99");
	aw_spf_outcome_done(&out);
	assert_int_equal(run(&z, "192.0.2.99", "eleven.example.com", &out),
	    AW_SPF_PERMERROR);
	assert_non_null(out.reason);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
rfc7208_4_6_4_at_most_two_void_lookups(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "two.example.com",
	    "v=spf1 a:nx1.example.com exists:nx2.example.com ?all");
	aw_dns_memory_add_txt1(z.m, "three.example.com",
	    "v=spf1 a:nx1.example.com mx:nx2.example.com a:nx3.example.com ?all");
	assert_int_equal(run(&z, "192.0.2.1", "two.example.com", &out),
	    AW_SPF_NEUTRAL);
	assert_int_equal(out.void_lookups, 2);
	aw_spf_outcome_done(&out);
	assert_int_equal(run(&z, "192.0.2.1", "three.example.com", &out),
	    AW_SPF_PERMERROR);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
rfc7208_5_2_include_of_name_without_spf_is_permerror(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "example.com",
	    "v=spf1 include:nospf.example.net -all");
	aw_dns_memory_add_txt1(z.m, "nospf.example.net", "hello");
	assert_int_equal(run(&z, "192.0.2.1", "example.com", &out),
	    AW_SPF_PERMERROR);
	assert_string_equal(out.term, "include:nospf.example.net");
	assert_non_null(strstr(out.reason, "nospf.example.net"));
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
rfc7208_4_5_two_spf_records_are_permerror(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "example.com", "v=spf1 -all");
	aw_dns_memory_add_txt1(z.m, "example.com", "v=spf1 +all");
	assert_int_equal(run(&z, "192.0.2.1", "example.com", &out),
	    AW_SPF_PERMERROR);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
rfc7208_6_2_explanation_and_deciding_term(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "example.com",
	    "v=spf1 ip4:198.51.100.0/24 redirect=_spf.example.com");
	aw_dns_memory_add_txt1(z.m, "_spf.example.com",
	    "v=spf1 ip4:203.0.113.5 -all exp=why.%{d}");
	aw_dns_memory_add_txt1(z.m, "why._spf.example.com",
	    "%{i} is not allowed to send for %{o}");
	assert_int_equal(run(&z, "192.0.2.1", "example.com", &out),
	    AW_SPF_FAIL);
	assert_string_equal(out.explanation,
	    "192.0.2.1 is not allowed to send for example.com");
	assert_string_equal(out.term, "-all");
	assert_string_equal(out.term_domain, "_spf.example.com");
	assert_int_equal(out.lookups, 1);
	aw_spf_outcome_done(&out);
	assert_int_equal(run(&z, "203.0.113.5", "example.com", &out),
	    AW_SPF_PASS);
	assert_null(out.explanation);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

static void
rfc7208_2_6_7_dns_timeout_is_temperror(void **state)
{
	struct zone z;
	struct aw_spf_outcome out;

	(void)state;
	zone_init(&z);
	aw_dns_memory_add_txt1(z.m, "example.com",
	    "v=spf1 a:slow.example.com -all");
	aw_dns_memory_add_timeout(z.m, "slow.example.com", 0);
	assert_int_equal(run(&z, "192.0.2.1", "example.com", &out),
	    AW_SPF_TEMPERROR);
	aw_spf_outcome_done(&out);
	zone_done(&z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rfc7208_4_5_version_must_be_v_spf1_then_space_or_end),
		cmocka_unit_test(rfc7208_4_6_every_mechanism_and_qualifier_parses),
		cmocka_unit_test(rfc7208_5_6_dual_cidr_lengths),
		cmocka_unit_test(rfc7208_5_6_ip4_network_has_no_leading_zeros),
		cmocka_unit_test(rfc7208_4_6_syntax_error_names_term_and_position),
		cmocka_unit_test(rfc7208_7_1_domain_spec_must_end_in_toplabel_or_macro),
		cmocka_unit_test(rfc7208_3_1_non_ascii_and_control_characters_are_errors),
		cmocka_unit_test(rfc7208_6_redirect_and_exp_at_most_once),
		cmocka_unit_test(rfc7208_7_1_macro_syntax),
		cmocka_unit_test(rfc7208_7_3_macro_expansion_examples),
		cmocka_unit_test(rfc7208_7_3_uppercase_macros_are_url_escaped),
		cmocka_unit_test(rfc7208_7_3_ipv6_i_macro_is_dotted_nibbles),
		cmocka_unit_test(rfc7208_7_3_long_names_lose_labels_on_the_left),
		cmocka_unit_test(rfc7208_4_6_4_at_most_ten_dns_querying_terms),
		cmocka_unit_test(rfc7208_4_6_4_at_most_two_void_lookups),
		cmocka_unit_test(rfc7208_5_2_include_of_name_without_spf_is_permerror),
		cmocka_unit_test(rfc7208_4_5_two_spf_records_are_permerror),
		cmocka_unit_test(rfc7208_6_2_explanation_and_deciding_term),
		cmocka_unit_test(rfc7208_2_6_7_dns_timeout_is_temperror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
