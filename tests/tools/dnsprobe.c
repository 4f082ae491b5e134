/* dnsprobe.c: drives the DNS engine for the integration tests.
 *   dnsprobe burst SERVER NAME TYPE COUNT   COUNT queries at once; prints
 *       "answered=N max_in_flight=M results=<result of each, uniq'd>"
 *   dnsprobe one SERVER NAME TYPE TIMEOUT_MS TRIES
 *       one query; prints "result=<word> elapsed_ms=<ms>" and the records
 *   dnsprobe direct SERVER NAME TYPE       one query to SERVER without
 *       recursion (aw_resolver_query_at); prints the result and records */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/resolver.h"
#include "core/loop.h"

struct tally {
	unsigned answered;
	unsigned by_result[8];
	struct aw_dns_answer *last;
};

static void
on_answer(struct aw_dns_answer *ans, void *arg)
{
	struct tally *t = arg;

	t->answered++;
	if ((unsigned)ans->result < 8)
		t->by_result[ans->result]++;
	aw_dns_answer_free(t->last);
	t->last = ans;
}

static void
print_records(const struct aw_dns_answer *ans)
{
	size_t i;

	for (i = 0; i < ans->nrr; i++) {
		const struct aw_dns_rr *rr = &ans->rr[i];

		printf("rr %s %s %u ", rr->name, aw_record_type_name(rr->type), rr->ttl);
		switch (rr->type) {
		case AW_RECORD_A:
		case AW_RECORD_AAAA:
			printf("%s", rr->u.addr.text);
			break;
		case AW_RECORD_TXT: {
			char *t = aw_dns_txt_join(rr, NULL);

			printf("strings=%zu %s", rr->u.txt.n, t ? t : "");
			free(t);
			break;
		}
		case AW_RECORD_MX:
			printf("%u %s", rr->u.mx.preference, rr->u.mx.host);
			break;
		case AW_RECORD_SOA:
			printf("%s %u", rr->u.soa.mname, rr->u.soa.serial);
			break;
		default:
			printf("%s", rr->u.target ? rr->u.target : "");
		}
		putchar('\n');
	}
}

int
main(int argc, char **argv)
{
	struct aw_dns_config cfg;
	struct aw_resolver *res = NULL;
	struct aw_loop *loop;
	struct aw_error err;
	struct tally t;
	const char *servers[1];
	enum aw_record_type type;
	unsigned i, count = 1;
	int64_t start;
	bool direct;

	if (argc < 5) {
		fprintf(stderr, "usage: see the comment at the top of dnsprobe.c\n");
		return 2;
	}
	memset(&cfg, 0, sizeof cfg);
	memset(&t, 0, sizeof t);
	direct = strcmp(argv[1], "direct") == 0;
	servers[0] = argv[2];
	if (!direct) {
		cfg.servers = servers;
		cfg.nservers = 1;
	}
	type = aw_record_type_parse(argv[4]);
	if (strcmp(argv[1], "burst") == 0 && argc >= 6)
		count = (unsigned)atoi(argv[5]);
	if (strcmp(argv[1], "one") == 0 && argc >= 7) {
		cfg.timeout_ms = atoi(argv[5]);
		cfg.tries = atoi(argv[6]);
	}
	loop = aw_loop_new();
	if (aw_resolver_new(loop, &cfg, &res, &err) != AW_OK) {
		fprintf(stderr, "dnsprobe: %s\n", err.msg);
		return 1;
	}
	start = aw_loop_now_ms();
	for (i = 0; i < count; i++) {
		enum aw_status st = direct ?
		    aw_resolver_query_at(res, argv[2], argv[3], type, on_answer, &t) :
		    aw_resolver_query(res, argv[3], type, on_answer, &t);

		if (st != AW_OK) {
			fprintf(stderr, "dnsprobe: query %u not started\n", i);
			return 1;
		}
	}
	while (t.answered < count && aw_loop_run_once(loop, -1))
		;
	if (strcmp(argv[1], "burst") == 0) {
		printf("answered=%u max_in_flight=%zu", t.answered,
		    aw_resolver_max_pending(res));
		for (i = 0; i < 8; i++)
			if (t.by_result[i])
				printf(" %s=%u", aw_dns_result_name(i), t.by_result[i]);
		putchar('\n');
	} else if (t.last != NULL) {
		printf("result=%s elapsed_ms=%lld\n",
		    aw_dns_result_name(t.last->result),
		    (long long)(aw_loop_now_ms() - start));
		print_records(t.last);
	}
	aw_dns_answer_free(t.last);
	aw_resolver_free(res);
	aw_loop_free(loop);
	return 0;
}
