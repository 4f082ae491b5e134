/* host.c: a DNS host's step function fed with fuzzed HTTP responses.
 *
 * Input: byte 0 picks the operation (verify, find zone, list, change,
 * change status) and byte 1 the record type listed; the rest is a series
 * of responses separated by a line "%%". A response that starts with three
 * digits and a newline takes them as its HTTP status, else it is a 200.
 * A raw API body is thus a valid input: one 200 answer. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/http.h"
#include "core/record.h"
#include "tests/fuzz/fuzz.h"

#define FUZZ_MAX_STEPS 64
#define FUZZ_SEP "\n%%\n"

char *
aw_fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static void
fuzz_change(struct aw_change *c, enum aw_change_kind kind, const char *name,
    enum aw_record_type type, const char *oldv, const char *newv)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->zone.id = strdup("zone-1");
	c->zone.name = strdup("example.com");
	aw_record_init(&c->old, name, type, 300);
	aw_record_init(&c->new, name, type, 300);
	if (oldv != NULL)
		aw_record_add(&c->old, oldv);
	if (newv != NULL)
		aw_record_add(&c->new, newv);
	aw_strv_init(&c->notes);
}

/* The next response from *p (advanced), or false when none is left. */
static bool
fuzz_next_response(const uint8_t **p, const uint8_t *end,
    struct aw_http_response *resp)
{
	const uint8_t *start = *p, *sep;
	size_t len;

	if (start > end)
		return false;
	sep = memmem(start, (size_t)(end - start), FUZZ_SEP, strlen(FUZZ_SEP));
	len = sep != NULL ? (size_t)(sep - start) : (size_t)(end - start);
	*p = sep != NULL ? sep + strlen(FUZZ_SEP) : end + 1;
	aw_http_response_done(resp);
	aw_http_response_init(resp);
	resp->status = 200;
	if (len >= 4 && start[0] >= '0' && start[0] <= '9' &&
	    start[1] >= '0' && start[1] <= '9' && start[2] >= '0' &&
	    start[2] <= '9' && start[3] == '\n') {
		resp->status = (start[0] - '0') * 100 + (start[1] - '0') * 10 +
		    (start[2] - '0');
		start += 4;
		len -= 4;
	}
	if (aw_buf_append(&resp->body, start, len) != AW_OK)
		abort();
	return true;
}

void
aw_fuzz_host_run(const struct aw_provider_ops *ops,
    const struct aw_provider_config *cfg, const uint8_t *data, size_t size)
{
	static const enum aw_provider_op_kind kinds[] = { AW_OP_VERIFY,
	    AW_OP_FIND_ZONE, AW_OP_LIST, AW_OP_CHANGE, AW_OP_CHANGE_STATUS };
	static const enum aw_record_type types[] = { AW_RECORD_TXT,
	    AW_RECORD_ANY, AW_RECORD_CNAME, AW_RECORD_MX };
	struct aw_provider prov = { .ops = ops };
	struct aw_provider_op op;
	struct aw_http_response resp;
	struct aw_change changes[3];
	const uint8_t *p, *end = data + size;
	struct aw_error err;
	void *state = NULL;
	int steps;

	if (size < 2)
		return;
	if (ops->open(cfg, &state, NULL) != AW_OK)
		abort();
	aw_provider_op_init(&op, kinds[data[0] % 5]);
	op.name = "example.com";
	op.type = types[data[1] % 4];
	if (op.kind != AW_OP_FIND_ZONE) {
		op.zone.id = strdup("zone-1");
		op.zone.name = strdup("example.com");
	}
	if (op.kind == AW_OP_CHANGE_STATUS)
		op.change_id = strdup("C0123456789");
	fuzz_change(&changes[0], AW_CHANGE_CREATE, "example.com",
	    AW_RECORD_TXT, NULL, "v=spf1 -all");
	fuzz_change(&changes[1], AW_CHANGE_UPDATE, "_dmarc.example.com",
	    AW_RECORD_TXT, "v=DMARC1; p=none", "v=DMARC1; p=reject");
	fuzz_change(&changes[2], AW_CHANGE_DELETE, "s1._domainkey.example.com",
	    AW_RECORD_CNAME, "s1.dkim.example.net", NULL);
	op.changes = changes;
	op.nchanges = 3;
	aw_http_response_init(&resp);
	p = data + 2;
	for (steps = 0; steps < FUZZ_MAX_STEPS; steps++) {
		struct aw_http_request req;
		enum aw_status st;

		aw_http_request_init(&req);
		aw_error_clear(&err);
		st = ops->step(state, &op, steps == 0 ? NULL : &resp, &req, &err);
		aw_http_request_done(&req);
		if (st != AW_OK || op.done)
			break;
		if (!fuzz_next_response(&p, end, &resp))
			break;
	}
	aw_http_response_done(&resp);
	aw_provider_op_done(&prov, &op);
	for (size_t i = 0; i < 3; i++)
		aw_change_done(&changes[i]);
	ops->close(state);
}
