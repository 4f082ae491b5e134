/* area.h: run one check area over the in-memory DNS source (unit tests). */
#ifndef AW_TEST_AREA_H
#define AW_TEST_AREA_H

#include "checks/dns-memory.h"
#include "checks/domain.h"

/* Runs the areas named in opts->areas (or area when opts is NULL) for
 * domain over m until all finish; the caller frees the check with
 * aw_domain_check_free. */
struct aw_domain_check *aw_test_run_area(struct aw_loop *loop,
    struct aw_dns_memory *m, const char *domain, const char *area,
    struct aw_domain_check_opts *opts);
/* The first section of area (key NULL: any key), or NULL. */
struct aw_section *aw_test_section(struct aw_domain_check *dc,
    const char *area, const char *key);
/* True when one of sv's strings contains needle. */
bool aw_test_has(const struct aw_strv *sv, const char *needle);

#endif
