/* test_json_write.c: cli/json-write.c against jansson's own encoder,
 * byte for byte, under every flag combination the writer handles. */
#include "config.h"

#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "cli/json-write.h"
#include "core/buf.h"

static const size_t flag_sets[] = {
	0,
	JSON_COMPACT,
	JSON_COMPACT | JSON_PRESERVE_ORDER,
	JSON_INDENT(2) | JSON_PRESERVE_ORDER,
	JSON_INDENT(1),
	JSON_INDENT(31),
	JSON_INDENT(3) | JSON_COMPACT,
	JSON_ENSURE_ASCII,
	JSON_ESCAPE_SLASH | JSON_INDENT(2),
	JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH,
	JSON_REAL_PRECISION(5) | JSON_COMPACT,
	JSON_REAL_PRECISION(17),
	/* Done by jansson itself (the writer hands them over). */
	JSON_SORT_KEYS | JSON_COMPACT,
	JSON_EMBED | JSON_INDENT(2),
};
#define NFLAGS (sizeof flag_sets / sizeof flag_sets[0])

/* v under flags: jansson's json_dumps and aw_json_write (appending after
 * a prefix, which must stay) agree, or both fail. */
static void
same_as_jansson(const json_t *v, size_t flags)
{
	static const char prefix[] = "<prefix>";
	char *want = json_dumps(v, flags);
	struct aw_buf b;
	int rc;

	aw_buf_init(&b);
	assert_int_equal(aw_buf_puts(&b, prefix), AW_OK);
	rc = aw_json_write(&b, v, flags);
	if (want == NULL) {
		if (rc != -1)
			fail_msg("flags %#zx: jansson fails, the writer gave "
			    "\"%s\"", flags, b.data);
	} else {
		if (rc != 0)
			fail_msg("flags %#zx: the writer failed; jansson gave "
			    "\"%s\"", flags, want);
		assert_int_equal(strncmp(b.data, prefix, sizeof prefix - 1), 0);
		assert_string_equal(b.data + sizeof prefix - 1, want);
		assert_int_equal(b.len, sizeof prefix - 1 + strlen(want));
		assert_int_equal(b.data[b.len], '\0');
	}
	free(want);
	aw_buf_done(&b);
}

static void
same_under_all_flags(const json_t *v)
{
	size_t i;

	for (i = 0; i < NFLAGS; i++) {
		same_as_jansson(v, flag_sets[i]);
		same_as_jansson(v, flag_sets[i] | JSON_ENCODE_ANY);
	}
}

/* The string as a value, as a key, and in an array, alone and between
 * other members (the runs before and after an escape). */
static void
same_for_string(const char *s, size_t len, bool valid)
{
	json_t *str = valid ? json_stringn(s, len) : json_stringn_nocheck(s, len);
	json_t *o = json_object(), *a = json_array();

	assert_non_null(str);
	assert_int_equal(json_array_append(a, str), 0);
	assert_int_equal(json_array_append_new(a, json_integer(1)), 0);
	assert_int_equal(json_object_setn_nocheck(o, s, len, json_true()), 0);
	assert_int_equal(json_object_set_new(o, "k", json_incref(str)), 0);
	assert_int_equal(json_object_set_new(o, "a", json_incref(a)), 0);
	same_under_all_flags(str);
	same_under_all_flags(a);
	same_under_all_flags(o);
	json_decref(str);
	json_decref(a);
	json_decref(o);
}

static void
escapes_every_control_byte_like_jansson(void **state)
{
	char s[40];
	int c;
	size_t at;

	for (c = 0; c < 0x20; c++) {
		/* Before, in and after the 8-byte runs of the scan. */
		for (at = 0; at < 20; at++) {
			memset(s, 'x', 20);
			s[at] = (char)c;
			same_for_string(s, 20, true);
			same_for_string(s, at + 1, true);
		}
	}
	s[0] = 0x7f;
	same_for_string(s, 1, true);
	same_for_string("\x01\x02\x1f\x7f\b\f\n\r\t", 9, true);
}

static void
escapes_quotes_backslashes_and_slashes_like_jansson(void **state)
{
	static const char *const cases[] = {
		"\"", "\\", "/", "\"\\/", "a/b", "http://example.test/x?y=\"z\"",
		"\\\\\\\\\\\\\\\\\\", "////////////////", "\"\"\"\"\"\"\"\"\"",
		"", "plain text with no escapes at all, longer than a word",
	};
	const char *sp = " !\"#$%&'()*+,-./0123456789:;<=>?@[\\]^_`{|}~";
	char s[40];
	size_t i, at;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		same_for_string(cases[i], strlen(cases[i]), true);
	for (i = 0; sp[i] != '\0'; i++)
		for (at = 0; at < 17; at++) {
			memset(s, 'y', 17);
			s[at] = sp[i];
			same_for_string(s, 17, true);
		}
}

static void
passes_or_escapes_utf8_like_jansson(void **state)
{
	static const char *const cases[] = {
		"\xc3\xa9",                      /* U+00E9, 2 bytes */
		"\xc2\x80", "\xdf\xbf",          /* the 2-byte range */
		"\xe2\x82\xac",                  /* U+20AC, 3 bytes */
		"\xe2\x80\xa8", "\xe2\x80\xa9",  /* U+2028, U+2029 */
		"\xef\xbf\xbf", "\xe0\xa0\x80",  /* U+FFFF, U+0800 */
		"\xf0\x9f\x98\x80",              /* U+1F600, 4 bytes */
		"\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", /* U+10000, U+10FFFF */
		"caf\xc3\xa9 \xe2\x82\xac 12345678 \xf0\x9f\x98\x80 end",
		"\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xe4\xb8\x96\xe7\x95\x8c",
	};
	/* Invalid: jansson refuses to encode them (strings made without
	 * its check), and so must the writer. */
	static const char *const bad[] = {
		"\x80", "\xbf", "\xc0\x80", "\xc1\xbf", "\xc3", "\xc3\x28",
		"\xe0\x80\x80", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf",
		"\xed\xa0\x80", "\xed\xbf\xbf", "\xe2\x82",
		"\xf0\x80\x80\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
		"\xf8\x88\x80\x80\x80", "\xff", "\xfe", "abcdefgh\xe2\x82",
		"abcdefghijklmnop\x80",
	};
	char s[40];
	size_t i, at, n;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = strlen(cases[i]);
		same_for_string(cases[i], n, true);
		/* At every offset of a longer string. */
		for (at = 0; at < 12 && n <= 8; at++) {
			memset(s, 'z', sizeof s);
			memcpy(s + at, cases[i], n);
			same_for_string(s, 24, true);
		}
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		same_for_string(bad[i], strlen(bad[i]), false);
}

static void
writes_integers_reals_and_constants_like_jansson(void **state)
{
	static const json_int_t ints[] = {
		0, 1, -1, 9, 10, -10, 99, 100, 1234567890, -987654321,
		INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1,
		(json_int_t)1 << 53, -((json_int_t)1 << 31),
	};
	static const double reals[] = {
		0.5, 1e300, -0.0, 0.0, 3.0, -3.0, 0.1, 1e-300, 1e21, 1e22,
		123456789.125, 5e-324, DBL_MAX, -DBL_MAX, 1.0 / 3, 100.0,
		2.5e-7, 12345678901234567890.0,
	};
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		json_t *v = json_integer(ints[i]);

		same_under_all_flags(v);
		json_array_append_new(a, v);
	}
	for (i = 0; i < sizeof reals / sizeof reals[0]; i++) {
		json_t *v = json_real(reals[i]);

		assert_non_null(v);
		same_under_all_flags(v);
		json_array_append_new(a, v);
	}
	json_array_append_new(a, json_true());
	json_array_append_new(a, json_false());
	json_array_append_new(a, json_null());
	same_under_all_flags(json_true());
	same_under_all_flags(json_false());
	same_under_all_flags(json_null());
	same_under_all_flags(a);
	json_decref(a);
}

static void
writes_nested_and_empty_containers_like_jansson(void **state)
{
	json_t *o = json_object(), *deep = json_array(), *cur;
	int i;

	same_under_all_flags(o);
	json_object_set_new(o, "empty_object", json_object());
	json_object_set_new(o, "empty_array", json_array());
	json_object_set_new(o, "nested", json_pack("{s:[{},[],[[]],{s:{}}],s:{s:[1,{s:null}]}}",
	    "a", "b", "c", "d", "e"));
	json_object_set_new(o, "", json_string("empty key"));
	json_object_set_new(o, "z", json_pack("[[[[[[1]]]]],{}]"));
	same_under_all_flags(o);
	/* Key order is insertion order: a later key that sorts first. */
	json_object_set_new(o, "A", json_integer(1));
	json_object_set_new(o, "empty_array", json_string("replaced"));
	same_under_all_flags(o);
	json_decref(o);

	/* Deeper than the writer walks: jansson's text, after the prefix. */
	cur = deep;
	for (i = 0; i < 600; i++) {
		json_t *next = i % 2 ? json_array() : json_object();

		if (json_is_array(cur))
			json_array_append_new(cur, next);
		else
			json_object_set_new(cur, "k", next);
		cur = next;
	}
	json_array_append_new(cur, json_string("bottom/\n"));
	same_as_jansson(deep, JSON_COMPACT);
	same_as_jansson(deep, JSON_INDENT(2));
	json_decref(deep);
}

static void
fails_where_jansson_fails(void **state)
{
	json_t *a = json_array(), *b = json_array(), *s = json_string("x");
	struct aw_buf buf;
	char *text;

	/* A loop. */
	json_array_append(a, b);
	json_array_append(b, a);
	same_as_jansson(a, JSON_COMPACT);
	json_array_clear(b);
	json_decref(a);
	json_decref(b);
	/* Not a container without JSON_ENCODE_ANY. */
	aw_buf_init(&buf);
	assert_int_equal(aw_json_write(&buf, s, JSON_COMPACT), -1);
	assert_int_equal(aw_json_write(&buf, s, JSON_COMPACT | JSON_ENCODE_ANY), 0);
	assert_string_equal(buf.data, "\"x\"");
	aw_buf_done(&buf);
	json_decref(s);
	/* The buffer's cap: exactly the document fits; a byte less fails. */
	a = json_pack("{s:s,s:[i,i]}", "key", "value with \"quotes\"", "n", 1, 2);
	text = json_dumps(a, JSON_COMPACT);
	aw_buf_init(&buf);
	buf.max = strlen(text);
	assert_int_equal(aw_json_write(&buf, a, JSON_COMPACT), 0);
	assert_string_equal(buf.data, text);
	aw_buf_done(&buf);
	aw_buf_init(&buf);
	buf.max = strlen(text) - 1;
	assert_int_equal(aw_json_write(&buf, a, JSON_COMPACT), -1);
	assert_true(buf.len <= buf.max);
	aw_buf_done(&buf);
	free(text);
	json_decref(a);
}

/* A small fixed-seed generator (xorshift64*): the same trees each run. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t
random_text(char *s, size_t cap)
{
	static const char *const pieces[] = {
		"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\x01", "\x1f",
		"\x7f", "\xc3\xa9", "\xe2\x82\xac", "\xe2\x80\xa8",
		"\xf0\x9f\x98\x80", "plain run of text", "v=spf1 -all", "\0",
		"{}[],:",
	};
	size_t n = 0, k = rng() % 12, i;

	for (i = 0; i < k; i++) {
		const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
		size_t len = *p != '\0' ? strlen(p) : 1;

		if (n + len > cap)
			break;
		memcpy(s + n, p, len);
		n += len;
	}
	return n;
}

static json_t *
random_tree(int depth)
{
	char s[256];
	size_t n, i, k;
	json_t *v;

	switch (depth > 4 ? rng() % 6 : rng() % 8) {
	case 0: return json_null();
	case 1: return json_boolean(rng() % 2);
	case 2: return json_integer((json_int_t)rng());
	case 3: return json_real((double)(int64_t)rng() / (double)(1 + rng() % 100000));
	case 4:
	case 5:
		n = random_text(s, sizeof s);
		return json_stringn(s, n);
	case 6:
		v = json_array();
		k = rng() % 5;
		for (i = 0; i < k; i++)
			json_array_append_new(v, random_tree(depth + 1));
		return v;
	default:
		v = json_object();
		k = rng() % 5;
		for (i = 0; i < k; i++) {
			n = random_text(s, sizeof s);
			json_object_setn_new(v, s, n, random_tree(depth + 1));
		}
		return v;
	}
}

static void
random_trees_come_out_as_jansson_writes_them(void **state)
{
	int i;

	for (i = 0; i < 400; i++) {
		json_t *v = random_tree(0);

		assert_non_null(v);
		same_under_all_flags(v);
		json_decref(v);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(escapes_every_control_byte_like_jansson),
		cmocka_unit_test(escapes_quotes_backslashes_and_slashes_like_jansson),
		cmocka_unit_test(passes_or_escapes_utf8_like_jansson),
		cmocka_unit_test(writes_integers_reals_and_constants_like_jansson),
		cmocka_unit_test(writes_nested_and_empty_containers_like_jansson),
		cmocka_unit_test(fails_where_jansson_fails),
		cmocka_unit_test(random_trees_come_out_as_jansson_writes_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
