/* test_lint_dmarc.c: a DMARC warning of issue 22 added beside the SPF/MX
 * lint: sp= weaker than p= is a note (dmarc.sp-weaker). The DMARC record
 * at the domain itself is tested in test_spf_area.c (the SPF area reads
 * those TXT records). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/loop.h"
#include "helpers/area.h"

static struct aw_section *
run(struct aw_loop *loop, struct aw_dns_memory *m, const char *domain,
    const char *area, struct aw_domain_check **dc)
{
	struct aw_section *sec;

	*dc = aw_test_run_area(loop, m, domain, area, NULL);
	assert_non_null(*dc);
	sec = aw_test_section(*dc, area, NULL);
	assert_non_null(sec);
	assert_true(sec->finished);
	return sec;
}

static void
sp_weaker_than_p_is_a_note(void **state)
{
	struct aw_loop *loop = aw_loop_new();
	struct aw_dns_memory *m = aw_dns_memory_new(loop);
	struct aw_domain_check *dc;
	struct aw_section *sec;
	const struct aw_finding *it;

	(void)state;
	assert_non_null(m);
	aw_dns_memory_add_txt1(m, "_dmarc.weak.example",
	    "v=DMARC1; p=reject; sp=none");
	aw_dns_memory_add_txt1(m, "_dmarc.same.example",
	    "v=DMARC1; p=quarantine; sp=quarantine");
	aw_dns_memory_add_txt1(m, "_dmarc.strong.example",
	    "v=DMARC1; p=none; sp=reject");
	sec = run(loop, m, "weak.example", "dmarc", &dc);
	it = aw_findings_find(&sec->f, "dmarc.sp-weaker");
	assert_non_null(it);
	assert_int_equal(it->severity, AW_SEV_NOTE);
	assert_non_null(strstr(it->message, "sp=none"));
	aw_domain_check_free(dc);
	sec = run(loop, m, "same.example", "dmarc", &dc);
	assert_null(aw_findings_find(&sec->f, "dmarc.sp-weaker"));
	aw_domain_check_free(dc);
	sec = run(loop, m, "strong.example", "dmarc", &dc);
	assert_null(aw_findings_find(&sec->f, "dmarc.sp-weaker"));
	aw_domain_check_free(dc);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sp_weaker_than_p_is_a_note),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
