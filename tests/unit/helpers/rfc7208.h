/* rfc7208.h: the RFC 7208 test suite (tests/conformance/spf, source and
 * licence in tests/README.md) for unit tests. */
#ifndef AW_TEST_RFC7208_H
#define AW_TEST_RFC7208_H

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "checks/dns-memory.h"
#include "core/loop.h"

/* An in-memory DNS source holding a scenario's "zonedata", with the
 * suite's rules: names under "error." time out, a CNAME is followed one
 * level. */
struct aw_dns_memory *aw_test_rfc7208_zone(struct aw_loop *loop, json_t *zone);
#ifdef AW_SRCDIR
/* The suite's path (caller frees); AW_SRCDIR is the test's. */
static inline char *
aw_test_rfc7208_path(void)
{
	return strdup(AW_SRCDIR "/tests/conformance/spf/rfc7208-tests.json");
}
#endif

#endif
