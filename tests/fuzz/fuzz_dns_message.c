/* fuzz_dns_message.c: the DNS message parser (checks/resolver.c) that
 * every c-ares answer goes through: names with compression pointers,
 * TXT character-strings, MX/SOA/NS rdata, section counts that lie. Byte 0
 * picks the type asked; the rest is the message as received. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dns.h"
#include "checks/resolver.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum aw_record_type types[] = { AW_RECORD_TXT, AW_RECORD_A,
	    AW_RECORD_AAAA, AW_RECORD_MX, AW_RECORD_CNAME, AW_RECORD_PTR, AW_RECORD_NS, AW_RECORD_SOA,
	    AW_RECORD_SPF };
	struct aw_dns_answer *ans, *dup;
	unsigned char *msg;

	if (size < 1)
		return 0;
	/* A copy of exactly size bytes: reads past it are caught. */
	if ((msg = malloc(size - 1 + 1)) == NULL)
		abort();
	memcpy(msg, data + 1, size - 1);
	ans = aw_resolver_parse("example.org", types[data[0] % 9], msg,
	    size - 1);
	if (ans == NULL)
		abort();
	if (ans->nrr > AW_DNS_MAX_RRS)
		abort();
	for (size_t i = 0; i < ans->nrr; i++) {
		struct aw_dns_rr *rr = &ans->rr[i];

		if (rr->name == NULL)
			abort();
		if (rr->type == AW_RECORD_TXT || rr->type == AW_RECORD_SPF) {
			size_t len = 0;
			char *joined = aw_dns_txt_join(rr, &len);

			if (rr->u.txt.n > AW_DNS_MAX_TXT_STRINGS)
				abort();
			free(joined);
		}
	}
	/* "records" means records of the type asked. */
	if (ans->result == AW_DNS_RECORDS &&
	    aw_dns_answer_count(ans, ans->qtype) == 0)
		abort();
	(void)aw_dns_result_name(ans->result);
	dup = aw_dns_answer_dup(ans);
	aw_dns_answer_free(dup);
	aw_dns_answer_free(ans);
	free(msg);
	return 0;
}
