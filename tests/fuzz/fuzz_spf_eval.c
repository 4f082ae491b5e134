/* fuzz_spf_eval.c: check_host() (checks/spf-eval.c, RFC 7208 §4-§6) over
 * an in-memory zone whose SPF records are the input: includes, redirect,
 * exists, a/mx/ptr and macros as a hostile publisher writes them. Byte 0
 * picks the client address (IPv4 or IPv6) and the sender; the rest is up
 * to 6 records, one per line, published at example.com, a.example.com,
 * b.example.com, c.example.com, d.example.com and 3.2.0.192.example.com. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dns-memory.h"
#include "checks/spf.h"
#include "core/loop.h"
#include "tests/fuzz/fuzz.h"

static const char *const names[] = { "example.com", "a.example.com",
    "b.example.com", "c.example.com", "d.example.com",
    "3.2.0.192.example.com" };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_dns_source src;
	struct aw_spf_query q;
	struct aw_spf_outcome out;
	struct aw_error err;
	char *text, *line, *next;
	size_t i;

	if (size < 1 || size > 16384)
		return 0;
	if ((loop = aw_loop_new()) == NULL || (m = aw_dns_memory_new(loop)) == NULL)
		abort();
	text = aw_fuzz_cstr(data + 1, size - 1);
	for (i = 0, line = text; line != NULL && i < 6; i++, line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		aw_dns_memory_add_txt1(m, names[i], line);
	}
	aw_dns_memory_add_addr(m, "example.com", "192.0.2.3");
	aw_dns_memory_add_addr(m, "a.example.com", "2001:db8::1");
	aw_dns_memory_add_mx(m, "example.com", 10, "a.example.com");
	aw_dns_memory_add_mx(m, "b.example.com", 10, "b.example.com");
	aw_dns_memory_add_target(m, "3.2.0.192.in-addr.arpa", AW_RECORD_PTR,
	    "a.example.com");
	aw_dns_memory_add_target(m, "c.example.com", AW_RECORD_CNAME, "d.example.com");
	aw_dns_memory_add_timeout(m, "t.example.com", 0);
	src = aw_dns_memory_source(m);

	memset(&q, 0, sizeof q);
	q.ip = (data[0] & 1) ? "2001:db8::1" : "192.0.2.3";
	q.domain = "example.com";
	q.sender = (data[0] & 2) ? "strong-bad@example.com" : NULL;
	q.helo = "mx.example.org";
	q.now = 1234;
	memset(&out, 0, sizeof out);
	aw_error_clear(&err);
	if (aw_spf_check_host(&src, &q, &out, &err) == AW_OK) {
		/* RFC 7208 §4.6.4: the lookup limit holds, whatever the records. */
		if (out.lookups > AW_SPF_MAX_LOOKUPS + 1 ||
		    out.void_lookups > AW_SPF_MAX_VOID + 1)
			abort();
		(void)aw_spf_result_name(out.result);
	}
	aw_spf_outcome_done(&out);
	free(text);
	aw_dns_memory_free(m);
	aw_loop_free(loop);
	return 0;
}
