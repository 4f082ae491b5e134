/* fuzz_spf_macro.c: SPF macro checking and expansion (RFC 7208 §7), with
 * a sender, HELO name and %{p} name that are themselves untrusted. Byte 0
 * picks explain-string or domain-spec and IPv4 or IPv6. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/spf.h"
#include "core/buf.h"
#include "tests/fuzz/fuzz.h"

static const char *
fuzz_ptr_name(void *arg)
{
	return arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_spf_macro_env env;
	struct aw_error err;
	struct aw_buf out;
	bool explain;
	char *text;
	enum aw_status st1, st2;

	if (size < 1)
		return 0;
	explain = (data[0] & 1) != 0;
	memset(&env, 0, sizeof env);
	env.sender = "strong-bad@email.example.com";
	env.local = "strong-bad";
	env.sender_domain = "email.example.com";
	env.domain = (data[0] & 4) ? "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t."
	    "u.v.w.x.y.z.example.com" : "email.example.com";
	env.family = (data[0] & 2) ? 6 : 4;
	memset(env.ip, 0xab, sizeof env.ip);
	env.helo = "mx.example.org";
	env.now = 1234;
	env.ptr_name = fuzz_ptr_name;
	env.ptr_arg = (data[0] & 8) ? "mail.example.com" : NULL;
	data++;
	size--;
	text = aw_fuzz_cstr(data, size);
	aw_error_clear(&err);
	st1 = aw_spf_macro_check(text, size, explain, &err);
	(void)aw_spf_has_macro(text);
	aw_buf_init(&out);
	aw_error_clear(&err);
	st2 = aw_spf_macro_expand(text, size, explain, &env, &out, &err);
	/* Whatever the check accepts expands. */
	if (st1 == AW_OK && st2 == AW_ERR_INVALID)
		abort();
	/* RFC 7208 §7.3: a domain-spec longer than 253 characters loses
	 * labels on the left until it fits; only a last label that is
	 * itself too long stays longer (regressions/spf_macro/ holds one). */
	if (st2 == AW_OK && !explain && out.len > 253 &&
	    memchr(out.data, '.', out.len) != NULL)
		abort();
	aw_buf_done(&out);
	free(text);
	return 0;
}
