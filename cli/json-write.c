/* json-write.c: jansson's encoder (2.14, src/dump.c), byte for byte, into
 * an aw_buf.
 *
 * jansson hands every token to a callback and decodes each character of
 * every string (utf8_iterate) before looking at it; on a bulk run that was
 * most of the CPU the JSON lines cost (issue 16). Here a run of bytes that
 * need no escape is found 8 bytes a step (then a table lookup a byte) and
 * copied with one memcpy; multi-byte UTF-8 is still checked exactly as
 * jansson checks it, so a string jansson refuses to encode fails here
 * too.
 *
 * What jansson does, and so what this does (tests/unit/test_json_write.c
 * compares the two on tricky strings and random trees):
 * - objects in insertion order (2.14 always keeps it; JSON_PRESERVE_ORDER
 *   changes nothing), "key":value with ": " unless JSON_COMPACT;
 * - with JSON_INDENT(n): a newline and depth * n spaces after an opening
 *   bracket, after each "," and before the closing one (none for an
 *   empty array or object); without indentation ", " unless compact;
 * - strings: \" \\ \b \f \n \r \t, other bytes below 0x20 as \u00XX
 *   (upper-case hex), "/" as \/ only with JSON_ESCAPE_SLASH, non-ASCII
 *   kept unless JSON_ENSURE_ASCII (then \uXXXX, a surrogate pair beyond
 *   the BMP); invalid UTF-8 fails;
 * - integers with JSON_INTEGER_FORMAT ("%lld"); reals by jansson itself
 *   (its "%.17g" with fix-ups and the locale's decimal point).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cli/json-write.h"

/* Deeper than this the walk hands the document to jansson (which also
 * detects loops: a tree this deep is almost surely one). */
#define WRITE_MAX_DEPTH 256
#define FLAGS_INDENT(f) ((f) & 0x1F)
#define FLAGS_PRECISION_MASK ((size_t)0x1F << 11)

enum { W_OK = 0, W_FAIL = -1, W_JANSSON = -2 };

/* 1: a byte copied as it is (printable ASCII but '"', '\\' and '/');
 * 0: a byte that needs a look (escape, '/', or the start of UTF-8). */
static const unsigned char plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
	['0'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['@'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['P'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	['`'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['p'] = 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Whether any of the 8 bytes at p is not plain: 0x80 or above, below
 * 0x20, '"', '\\' or '/'. With every byte below 0x80, subtracting n from
 * each byte sets a byte's high bit exactly when some byte is below n
 * (the lowest such one sets it, and no borrow starts without one). */
static inline bool
word_special(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL;
	const uint64_t high = 0x8080808080808080ULL;
	uint64_t x;

	memcpy(&x, p, 8);
	if ((x & high) != 0)
		return true;
	return (((x - ones * 0x20) | ((x ^ (ones * '"')) - ones) |
	    ((x ^ (ones * '\\')) - ones) | ((x ^ (ones * '/')) - ones)) &
	    high) != 0;
}

static const char hex[] = "0123456789ABCDEF";

/* aw_buf_append without its bookkeeping while there is room (most tokens
 * are a byte or two): the terminating NUL is written once, at the end
 * (aw_json_write). */
static inline int
put(struct aw_buf *b, const void *p, size_t n)
{
	size_t max = b->max ? b->max : AW_BUF_DEFAULT_MAX;

	if (n < b->cap - b->len && b->len + n <= max) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		return W_OK;
	}
	return aw_buf_append(b, p, n) == AW_OK ? W_OK : W_FAIL;
}

/* jansson's utf8_iterate for a sequence starting with a byte >= 0x80:
 * its length, the code point in *cp; 0 when jansson calls it invalid. */
static size_t
utf8_seq(const unsigned char *s, size_t avail, int32_t *cp)
{
	unsigned char u = s[0];
	size_t n, i;
	int32_t v;

	if (u >= 0xC2 && u <= 0xDF) {
		n = 2;
		v = u & 0x1F;
	} else if (u >= 0xE0 && u <= 0xEF) {
		n = 3;
		v = u & 0x0F;
	} else if (u >= 0xF0 && u <= 0xF4) {
		n = 4;
		v = u & 0x07;
	} else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
		v = (v << 6) + (s[i] & 0x3F);
	}
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
	    (n == 3 && v < 0x800) || (n == 4 && v < 0x10000))
		return 0;
	*cp = v;
	return n;
}

static void
hex4(char *d, unsigned v)
{
	d[0] = '\\';
	d[1] = 'u';
	d[2] = hex[(v >> 12) & 0xF];
	d[3] = hex[(v >> 8) & 0xF];
	d[4] = hex[(v >> 4) & 0xF];
	d[5] = hex[v & 0xF];
}

/* The escape of one ASCII byte that is not plain, into e; its length
 * (0: the byte goes out as it is). */
static size_t
escape_ascii(unsigned char c, size_t flags, char *e)
{
	e[0] = '\\';
	switch (c) {
	case '"': e[1] = '"'; return 2;
	case '\\': e[1] = '\\'; return 2;
	case '\b': e[1] = 'b'; return 2;
	case '\f': e[1] = 'f'; return 2;
	case '\n': e[1] = 'n'; return 2;
	case '\r': e[1] = 'r'; return 2;
	case '\t': e[1] = 't'; return 2;
	case '/':
		if (!(flags & JSON_ESCAPE_SLASH))
			return 0;
		e[1] = '/';
		return 2;
	default:
		hex4(e, c);
		return 6;
	}
}

/* "s" and then tail (a key's separator), at once when there is room. */
static int
put_quoted(struct aw_buf *b, const void *s, size_t n, const char *tail,
    size_t tn)
{
	size_t max = b->max ? b->max : AW_BUF_DEFAULT_MAX, need = n + 2 + tn;
	char *d;

	if (need < b->cap - b->len && b->len + need <= max) {
		d = b->data + b->len;
		*d++ = '"';
		memcpy(d, s, n);
		d += n;
		*d++ = '"';
		memcpy(d, tail, tn);
		b->len += need;
		return W_OK;
	}
	if (put(b, "\"", 1) != W_OK || put(b, s, n) != W_OK ||
	    put(b, "\"", 1) != W_OK)
		return W_FAIL;
	return put(b, tail, tn);
}

/* The string, then tail (": " after a key, or nothing). */
static int
write_string(struct aw_buf *b, const char *str, size_t len, size_t flags,
    const char *tail, size_t tn)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	const unsigned char *p = s, *run = s;
	bool ascii = (flags & JSON_ENSURE_ASCII) != 0;
	char e[12];
	size_t n, elen;

	/* Most strings need no escape at all: one copy. */
	while (end - p >= 8 && !word_special(p))
		p += 8;
	while (p < end && plain[*p])
		p++;
	if (p == end)
		return put_quoted(b, s, len, tail, tn);
	if (put(b, "\"", 1) != W_OK)
		return W_FAIL;
	while (p < end) {
		int32_t cp;

		while (end - p >= 8 && !word_special(p))
			p += 8;
		while (p < end && plain[*p])
			p++;
		if (p == end)
			break;
		if (*p >= 0x80) {
			if ((n = utf8_seq(p, (size_t)(end - p), &cp)) == 0)
				return W_FAIL;
			if (!ascii) {
				p += n;
				continue;
			}
			if (cp < 0x10000) {
				hex4(e, (unsigned)cp);
				elen = 6;
			} else {
				/* A UTF-16 surrogate pair. */
				cp -= 0x10000;
				hex4(e, 0xD800u | (((unsigned)cp & 0xFFC00) >> 10));
				hex4(e + 6, 0xDC00u | ((unsigned)cp & 0x3FF));
				elen = 12;
			}
			if (put(b, run, (size_t)(p - run)) != W_OK ||
			    put(b, e, elen) != W_OK)
				return W_FAIL;
			p += n;
			run = p;
			continue;
		}
		if ((n = escape_ascii(*p, flags, e)) == 0) {
			p++;
			continue;
		}
		if (put(b, run, (size_t)(p - run)) != W_OK ||
		    put(b, e, n) != W_OK)
			return W_FAIL;
		run = ++p;
	}
	if (put(b, run, (size_t)(p - run)) != W_OK ||
	    put(b, "\"", 1) != W_OK)
		return W_FAIL;
	return put(b, tail, tn);
}

static int
write_integer(struct aw_buf *b, json_int_t v)
{
	char d[24], *q = d + sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--q = '-';
	return put(b, q, (size_t)(d + sizeof d - q));
}

static int
json_to_buf(const char *buffer, size_t size, void *data)
{
	return aw_buf_append(data, buffer, size) == AW_OK ? 0 : -1;
}

/* jansson's dump_indent: before a member (space: after a ",") or before
 * the closing bracket. */
static int
write_indent(struct aw_buf *b, size_t flags, int depth, bool space)
{
	static const char ws[] = "\n                                ";
	size_t n;

	if (FLAGS_INDENT(flags) > 0) {
		n = (size_t)depth * FLAGS_INDENT(flags);
		if (put(b, ws, 1) != W_OK)
			return W_FAIL;
		while (n > 0) {
			size_t k = n < sizeof ws - 2 ? n : sizeof ws - 2;

			if (put(b, ws + 1, k) != W_OK)
				return W_FAIL;
			n -= k;
		}
		return W_OK;
	}
	if (space && !(flags & JSON_COMPACT))
		return put(b, " ", 1);
	return W_OK;
}

static int write_value(struct aw_buf *b, const json_t *v, size_t flags,
    int depth);

static int
write_array(struct aw_buf *b, const json_t *v, size_t flags, int depth)
{
	size_t n = json_array_size(v), i;
	int st;

	if (put(b, "[", 1) != W_OK)
		return W_FAIL;
	if (n == 0)
		return put(b, "]", 1);
	if (write_indent(b, flags, depth + 1, false) != W_OK)
		return W_FAIL;
	for (i = 0; i < n; i++) {
		if ((st = write_value(b, json_array_get(v, i), flags,
		    depth + 1)) != W_OK)
			return st;
		if (i + 1 < n) {
			if (put(b, ",", 1) != W_OK ||
			    write_indent(b, flags, depth + 1, true) != W_OK)
				return W_FAIL;
		} else if (write_indent(b, flags, depth, false) != W_OK)
			return W_FAIL;
	}
	return put(b, "]", 1);
}

static int
write_object(struct aw_buf *b, const json_t *v, size_t flags, int depth)
{
	void *it = json_object_iter((json_t *)v);
	bool compact = (flags & JSON_COMPACT) != 0;
	int st;

	if (put(b, "{", 1) != W_OK)
		return W_FAIL;
	if (it == NULL)
		return put(b, "}", 1);
	if (write_indent(b, flags, depth + 1, false) != W_OK)
		return W_FAIL;
	while (it != NULL) {
		void *next = json_object_iter_next((json_t *)v, it);

		if (write_string(b, json_object_iter_key(it),
		    json_object_iter_key_len(it), flags, ": ",
		    compact ? 1 : 2) != W_OK)
			return W_FAIL;
		if ((st = write_value(b, json_object_iter_value(it), flags,
		    depth + 1)) != W_OK)
			return st;
		if (next != NULL) {
			if (put(b, ",", 1) != W_OK ||
			    write_indent(b, flags, depth + 1, true) != W_OK)
				return W_FAIL;
		} else if (write_indent(b, flags, depth, false) != W_OK)
			return W_FAIL;
		it = next;
	}
	return put(b, "}", 1);
}

static int
write_value(struct aw_buf *b, const json_t *v, size_t flags, int depth)
{
	if (v == NULL)
		return W_FAIL;
	switch (json_typeof(v)) {
	case JSON_NULL:
		return put(b, "null", 4);
	case JSON_TRUE:
		return put(b, "true", 4);
	case JSON_FALSE:
		return put(b, "false", 5);
	case JSON_INTEGER:
		return write_integer(b, json_integer_value(v));
	case JSON_REAL:
		/* jansson's own text for the number (the digits of %.17g,
		 * its fix-ups, the locale's decimal point). */
		return json_dump_callback(v, json_to_buf, b, JSON_ENCODE_ANY |
		    (flags & FLAGS_PRECISION_MASK)) == 0 ? W_OK : W_FAIL;
	case JSON_STRING:
		return write_string(b, json_string_value(v),
		    json_string_length(v), flags, "", 0);
	case JSON_ARRAY:
	case JSON_OBJECT:
		if (depth >= WRITE_MAX_DEPTH)
			return W_JANSSON;
		return json_is_array(v) ? write_array(b, v, flags, depth) :
		    write_object(b, v, flags, depth);
	default:
		return W_FAIL;
	}
}

int
aw_json_write(struct aw_buf *b, const json_t *v, size_t flags)
{
	size_t start = b->len;
	int st = W_JANSSON;

	if (!(flags & JSON_ENCODE_ANY) && !json_is_array(v) &&
	    !json_is_object(v))
		return -1;
	if (!(flags & (JSON_SORT_KEYS | JSON_EMBED)))
		st = write_value(b, v, flags, 0);
	if (st == W_JANSSON) {
		b->len = start;
		if (b->data != NULL)
			b->data[start] = '\0';
		st = json_dump_callback(v, json_to_buf, b, flags) == 0 ?
		    W_OK : W_FAIL;
	}
	if (b->data != NULL)
		b->data[b->len] = '\0';
	return st == W_OK ? 0 : -1;
}
