/* json.c: building --json documents from check results. */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/json.h"
#include "cli/json-write.h"
#include "core/buf.h"
#include "core/str.h"

#if defined(__SANITIZE_ADDRESS__)
#define AW_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AW_ARENA_ASAN 1
#endif
#endif
#ifdef AW_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n) ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

/* ---- one document's memory ----
 *
 * Between aw_json_doc_begin and aw_json_doc_end every value jansson makes
 * comes from a bump arena, and freeing one costs nothing: the arena is
 * emptied when the document has been written. On the 2,000-domain bulk
 * run (issue 16) malloc and free of the tree's values were a third of
 * the CPU. The allocator pair stays installed once set: outside a
 * document it is malloc, and free() gets every block not from the arena.
 * A value must not outlive its document (--baseline keeps its entries,
 * so check does not use the arena then). Under AddressSanitizer an
 * emptied arena is poisoned: a value used after its document is
 * reported. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t cap, used;
	max_align_t data[];
};

#define ARENA_ALIGN sizeof(max_align_t)
#define ARENA_FIRST (64 * 1024)

/* The chunks in the order made; within a document the ones before cur
 * are used, cur is being filled, and the ones after it are empty. */
static struct {
	struct arena_chunk *head, *tail, *cur;
	unsigned depth;            /* documents open (begin without end) */
	bool installed;
} arena;

static bool
arena_owns(const void *p)
{
	const struct arena_chunk *c;

	for (c = arena.head; c != NULL; c = c->next)
		if ((const char *)p >= (const char *)c->data &&
		    (const char *)p < (const char *)c->data + c->cap)
			return true;
	return false;
}

static void *
arena_malloc(size_t n)
{
	struct arena_chunk *c;
	size_t need, cap;
	void *p;

	if (arena.depth == 0)
		return malloc(n);
	if (n > SIZE_MAX / 4)
		return NULL;
	need = n == 0 ? ARENA_ALIGN :
	    (n + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN;
	for (c = arena.cur; c != NULL; c = c->next)
		if (c->cap - c->used >= need)
			break;
	if (c == NULL) {
		cap = arena.tail != NULL ? arena.tail->cap * 2 : ARENA_FIRST;
		while (cap < need)
			cap *= 2;
		if ((c = malloc(sizeof *c + cap)) == NULL)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = NULL;
		ARENA_POISON(c->data, cap);
		if (arena.tail != NULL)
			arena.tail->next = c;
		else
			arena.head = c;
		arena.tail = c;
	}
	arena.cur = c;
	p = (char *)c->data + c->used;
	c->used += need;
	ARENA_UNPOISON(p, n);
	return p;
}

static void
arena_free(void *p)
{
	if (p != NULL && !arena_owns(p))
		free(p);
}

void
aw_json_doc_begin(void)
{
	if (!arena.installed) {
		json_set_alloc_funcs(arena_malloc, arena_free);
		arena.installed = true;
	}
	if (arena.depth++ == 0)
		arena.cur = arena.head;
}

void
aw_json_doc_end(void)
{
	struct arena_chunk *c;

	if (arena.depth == 0 || --arena.depth > 0)
		return;
	for (c = arena.head; c != NULL; c = c->next) {
		c->used = 0;
		ARENA_POISON(c->data, c->cap);
	}
	arena.cur = arena.head;
}

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
	if (fwrite(line.data, 1, line.len, out) == line.len)
		return true;
	/* The reason, for main's message (and a bulk run's stop on EPIPE):
	 * a later flush of the empty buffer has none. */
	if (out == stdout && aw_cli_out_errno == 0)
		aw_cli_out_errno = errno;
	return false;
}

bool
aw_json_print(FILE *out, json_t *v)
{
	return aw_json_print_line(out, v, false);
}
