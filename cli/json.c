/* json.c: building --json documents from check results. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/json.h"
#include "cli/json-write.h"
#include "core/buf.h"
#include "core/str.h"

/* Whether s[0..len) is all ASCII, 8 bytes a step. */
static bool
is_ascii(const char *s, size_t len)
{
	uint64_t w, acc = 0;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, s + i, 8);
		acc |= w;
	}
	for (; i < len; i++)
		acc |= (unsigned char)s[i];
	return (acc & 0x8080808080808080ULL) == 0;
}

json_t *
aw_json_text(const char *s)
{
	size_t len;
	char *e;
	json_t *j;

	if (s == NULL)
		return json_null();
	len = strlen(s);
	/* ASCII is valid UTF-8: jansson's own check (a function call a
	 * byte) is for the rest, most DNS text being ASCII. */
	if (is_ascii(s, len))
		return json_stringn_nocheck(s, len);
	/* jansson refuses invalid UTF-8 and escapes control characters. */
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	e = aw_str_escape_dup(s, len, 65536);
	j = json_string(e ? e : "");
	free(e);
	return j;
}

json_t *
aw_json_strv(const struct aw_strv *sv)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < sv->n; i++)
		json_array_append_new(a, aw_json_text(sv->v[i]));
	return a;
}

/* Every coded error and warning (notes stay in "notes"): the codes are
 * the same in every language; the message is the user's. */
json_t *
aw_json_findings(const struct aw_findings *f)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < f->nitems; i++) {
		const struct aw_finding *it = &f->items[i];
		json_t *o;

		if (it->severity == AW_SEV_NOTE)
			continue;
		o = json_object();
		json_object_set_new_nocheck(o, "code", json_string(it->code));
		json_object_set_new_nocheck(o, "severity",
		    json_string(aw_severity_name(it->severity)));
		json_object_set_new_nocheck(o, "message",
		    aw_json_text(it->message));
		json_object_set_new_nocheck(o, "rfc",
		    it->rfc != NULL ? json_string(it->rfc) : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
aw_json_text_or_null(const char *s)
{
	return s != NULL ? aw_json_text(s) : json_null();
}

void
aw_json_spf_outcome(json_t *root, const char *domain, const char *ip,
    const char *sender, const char *helo, const struct aw_spf_outcome *o)
{
	json_object_set_new_nocheck(root, "domain", aw_json_text(domain));
	json_object_set_new_nocheck(root, "ip", aw_json_text(ip));
	json_object_set_new_nocheck(root, "sender", aw_json_text(sender));
	json_object_set_new_nocheck(root, "helo", aw_json_text_or_null(helo));
	json_object_set_new_nocheck(root, "result",
	    json_string(aw_spf_result_name(o->result)));
	json_object_set_new_nocheck(root, "explanation",
	    aw_json_text_or_null(o->explanation));
	json_object_set_new_nocheck(root, "term",
	    aw_json_text_or_null(o->term));
	json_object_set_new_nocheck(root, "term_domain",
	    aw_json_text_or_null(o->term_domain));
	json_object_set_new_nocheck(root, "reason",
	    aw_json_text_or_null(o->reason));
	json_object_set_new_nocheck(root, "lookups", json_integer(o->lookups));
	json_object_set_new_nocheck(root, "lookup_limit",
	    json_integer(AW_SPF_MAX_LOOKUPS));
	json_object_set_new_nocheck(root, "void_lookups",
	    json_integer(o->void_lookups));
}

json_t *
aw_json_section(const struct aw_section *sec)
{
	const struct aw_findings *f = &sec->f;
	const struct aw_cli_render *r;
	json_t *o = json_object(), *lookups = json_array();
	size_t i;

	json_object_set_new_nocheck(o, "area", json_string(sec->area));
	json_object_set_new_nocheck(o, "name", aw_json_text(sec->name));
	if (sec->key != NULL)
		json_object_set_new_nocheck(o, "key", aw_json_text(sec->key));
	json_object_set_new_nocheck(o, "status",
	    json_string(aw_check_status_name(f->status)));
	json_object_set_new_nocheck(o, "record", f->records.n > 0 ?
	    aw_json_text(f->records.v[0]) : json_null());
	json_object_set_new_nocheck(o, "records", aw_json_strv(&f->records));
	json_object_set_new_nocheck(o, "errors", aw_json_strv(&f->errors));
	json_object_set_new_nocheck(o, "warnings", aw_json_strv(&f->warnings));
	json_object_set_new_nocheck(o, "notes", aw_json_strv(&f->notes));
	json_object_set_new_nocheck(o, "findings", aw_json_findings(f));
	for (i = 0; i < f->nlookups; i++) {
		json_t *l = json_object();

		json_object_set_new_nocheck(l, "name",
		    aw_json_text(f->lookups[i].name));
		json_object_set_new_nocheck(l, "type",
		    json_string(aw_record_type_name(f->lookups[i].type)));
		json_object_set_new_nocheck(l, "result",
		    json_string(aw_dns_result_name(f->lookups[i].result)));
		json_object_set_new_nocheck(l, "count",
		    json_integer((json_int_t)f->lookups[i].count));
		json_array_append_new(lookups, l);
	}
	json_object_set_new_nocheck(o, "lookups", lookups);
	json_object_set_new_nocheck(o, "dns_failure",
	    json_boolean(f->dns_failure));
	if ((r = aw_cli_render_find(sec->area)) != NULL && r->json != NULL)
		r->json(o, sec);
	return o;
}

bool
aw_json_print_line(FILE *out, json_t *v, bool compact)
{
	/* One buffer for every line of a run, kept at the largest line's
	 * size: each document is rendered into it once (cli/json-write.c,
	 * jansson's encoding without its per-token callback) and written
	 * with one call. */
	static struct aw_buf line;
	size_t flags = (compact ? JSON_COMPACT : JSON_INDENT(2)) |
	    JSON_PRESERVE_ORDER;
	bool ok;

	if (v == NULL)
		return false;
	line.max = (size_t)1 << 28;
	aw_buf_reset(&line);
	ok = aw_json_write(&line, v, flags) == 0 &&
	    aw_buf_putc(&line, '\n') == AW_OK;
	json_decref(v);
	if (!ok) {
		fputc('\n', out);
		return false;
	}
	return fwrite(line.data, 1, line.len, out) == line.len;
}

bool
aw_json_print(FILE *out, json_t *v)
{
	return aw_json_print_line(out, v, false);
}
