/* test_json_arena.c: aw_json_doc_begin/aw_json_doc_end (cli/json.c), the
 * arena a bulk run's documents are built in. Run under ASan too: a block
 * handed to the wrong free, or one freed twice, is reported there. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "cli/json.h"
#include "cli/json-write.h"
#include "core/buf.h"

/* A document like a check's: nested objects, arrays and strings. */
static json_t *
build(unsigned n)
{
	json_t *root = json_object(), *a = json_array();
	unsigned i;

	json_object_set_new(root, "domain", json_string("example.test"));
	for (i = 0; i < n; i++) {
		json_t *o = json_object();
		char key[32];

		snprintf(key, sizeof key, "k%u", i);
		json_object_set_new(o, "name", json_string(key));
		json_object_set_new(o, "count", json_integer(i));
		json_object_set_new(o, "ok", json_boolean(i % 2));
		json_object_set_new(root, key, json_string("v=spf1 -all"));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "items", a);
	return root;
}

static char *
render(json_t *v)
{
	struct aw_buf b;
	char *s;

	aw_buf_init(&b);
	assert_int_equal(aw_json_write(&b, v, JSON_COMPACT), 0);
	s = aw_buf_steal(&b);
	aw_buf_done(&b);
	return s;
}

static void
a_document_comes_out_as_without_the_arena(void **state)
{
	json_t *plain, *inside;
	char *want, *got;

	(void)state;
	plain = build(500);
	want = render(plain);
	json_decref(plain);

	aw_json_doc_begin();
	inside = build(500);
	got = render(inside);        /* aw_buf: malloc, not the arena */
	json_decref(inside);
	aw_json_doc_end();
	assert_string_equal(got, want);
	free(want);
	free(got);
}

/* Made before the document (malloc), freed inside it and after: each
 * block goes back to free() once. */
static void
values_from_outside_are_freed_by_free(void **state)
{
	json_t *before = json_string("made before"), *kept, *doc;
	char *dumped;

	(void)state;
	kept = json_object();
	json_object_set_new(kept, "a", json_string("kept"));
	aw_json_doc_begin();
	doc = json_object();
	json_object_set_new(doc, "x", json_string("inside"));
	json_decref(before);         /* a malloc block, inside the document */
	json_decref(doc);
	aw_json_doc_end();
	json_object_set_new(kept, "b", json_string("after"));
	dumped = json_dumps(kept, JSON_COMPACT);   /* free() must take it */
	assert_non_null(dumped);
	assert_string_equal(dumped, "{\"a\":\"kept\",\"b\":\"after\"}");
	free(dumped);
	json_decref(kept);
}

/* A block bigger than a chunk, and a document of many chunks. */
static void
big_blocks_and_many_chunks(void **state)
{
	size_t big = 3 * 1024 * 1024;
	char *s = malloc(big + 1);
	json_t *doc, *v;

	(void)state;
	assert_non_null(s);
	memset(s, 'x', big);
	s[big] = '\0';
	aw_json_doc_begin();
	doc = build(20000);
	v = json_string(s);
	assert_non_null(v);
	json_object_set_new(doc, "big", v);
	assert_int_equal(json_string_length(json_object_get(doc, "big")), big);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(doc, "items"), 19999), "name")), "k19999");
	json_decref(doc);
	aw_json_doc_end();
	free(s);
}

/* The next document reuses the memory of the last: a run of many
 * documents stays at the size of the largest. */
static void
the_next_document_reuses_the_memory(void **state)
{
	json_t *first, *again;
	int round;

	(void)state;
	for (round = 0; round < 3; round++) {
		aw_json_doc_begin();
		first = json_string("first");
		json_decref(build(300));
		aw_json_doc_end();
		aw_json_doc_begin();
		again = json_string("first");
		assert_ptr_equal(again, first);
		json_decref(again);
		aw_json_doc_end();
	}
}

/* Nested: only the outermost end empties the arena. */
static void
only_the_outermost_end_empties(void **state)
{
	json_t *outer, *inner;

	(void)state;
	aw_json_doc_begin();
	outer = json_string("outer");
	aw_json_doc_begin();
	inner = json_string("inner");
	aw_json_doc_end();
	assert_string_equal(json_string_value(outer), "outer");
	assert_string_equal(json_string_value(inner), "inner");
	json_decref(inner);
	json_decref(outer);
	aw_json_doc_end();
	aw_json_doc_end();           /* one end too many: nothing happens */
	outer = json_string("after");   /* malloc again */
	assert_string_equal(json_string_value(outer), "after");
	json_decref(outer);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_document_comes_out_as_without_the_arena),
		cmocka_unit_test(values_from_outside_are_freed_by_free),
		cmocka_unit_test(big_blocks_and_many_chunks),
		cmocka_unit_test(the_next_document_reuses_the_memory),
		cmocka_unit_test(only_the_outermost_end_empties),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
