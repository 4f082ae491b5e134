/* record.c: record sets as data and TXT presentation quoting. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/record.h"
#include "core/str.h"

static const struct {
	enum aw_record_type type;
	const char *name;
} record_types[] = {
	{ AW_RECORD_ANY, "ANY" },
	{ AW_RECORD_A, "A" },
	{ AW_RECORD_NS, "NS" },
	{ AW_RECORD_CNAME, "CNAME" },
	{ AW_RECORD_SOA, "SOA" },
	{ AW_RECORD_PTR, "PTR" },
	{ AW_RECORD_MX, "MX" },
	{ AW_RECORD_TXT, "TXT" },
	{ AW_RECORD_AAAA, "AAAA" },
	{ AW_RECORD_SPF, "SPF" },
};

const char *
aw_record_type_name(enum aw_record_type type)
{
	size_t i;

	for (i = 0; i < sizeof record_types / sizeof record_types[0]; i++)
		if (record_types[i].type == type)
			return record_types[i].name;
	return type == AW_RECORD_OTHER ? "OTHER" : "TYPE?";
}

enum aw_record_type
aw_record_type_parse(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof record_types / sizeof record_types[0]; i++)
		if (aw_strcasecmp(record_types[i].name, word) == 0)
			return record_types[i].type;
	return AW_RECORD_OTHER;
}

enum aw_status
aw_record_init(struct aw_record *r, const char *name, enum aw_record_type type,
    unsigned ttl)
{
	const char *word = aw_record_type_name(type);

	memset(r, 0, sizeof *r);
	aw_strv_init(&r->values);
	r->type = type;
	r->ttl = ttl;
	r->name = aw_domain_normalize(name);
	r->type_name = strdup(word);
	if (r->name == NULL || r->type_name == NULL) {
		aw_record_done(r);
		return AW_ERR_NOMEM;
	}
	return AW_OK;
}

enum aw_status
aw_record_init_word(struct aw_record *r, const char *name,
    const char *type_word, unsigned ttl)
{
	enum aw_record_type type = aw_record_type_parse(type_word);
	enum aw_status st = aw_record_init(r, name, type, ttl);
	size_t i;

	if (st != AW_OK || type != AW_RECORD_OTHER)
		return st;
	/* A type word from a host's API or a plan file is shown: only a
	 * mnemonic (letters, digits, '-', at most 16) is kept as it is. */
	if (type_word[0] == '\0' || strlen(type_word) > 16 ||
	    type_word[strspn(type_word, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0')
		type_word = "OTHER";
	free(r->type_name);
	if ((r->type_name = strdup(type_word)) == NULL) {
		aw_record_done(r);
		return AW_ERR_NOMEM;
	}
	for (i = 0; r->type_name[i] != '\0'; i++)
		r->type_name[i] = (char)toupper((unsigned char)r->type_name[i]);
	return AW_OK;
}

void
aw_record_done(struct aw_record *r)
{
	if (r == NULL)
		return;
	free(r->name);
	free(r->type_name);
	aw_strv_done(&r->values);
	memset(r, 0, sizeof *r);
}

enum aw_status
aw_record_copy(struct aw_record *dst, const struct aw_record *src)
{
	enum aw_status st;
	size_t i;

	if ((st = aw_record_init_word(dst, src->name != NULL ? src->name : "",
	    src->type_name != NULL ? src->type_name : "OTHER", src->ttl)) != AW_OK)
		return st;
	dst->type = src->type;
	for (i = 0; i < src->values.n; i++) {
		if ((st = aw_strv_push(&dst->values, src->values.v[i])) != AW_OK) {
			aw_record_done(dst);
			return st;
		}
	}
	return AW_OK;
}

static bool
record_is_hostname(enum aw_record_type type)
{
	return type == AW_RECORD_CNAME || type == AW_RECORD_PTR ||
	    type == AW_RECORD_NS || type == AW_RECORD_MX;
}

static bool
record_value_equal(enum aw_record_type type, const char *a, const char *b)
{
	if (record_is_hostname(type))
		return aw_domain_equal(a, b);
	if (type == AW_RECORD_AAAA)
		return aw_strcasecmp(a, b) == 0;
	return strcmp(a, b) == 0;
}

long
aw_record_find(const struct aw_record *r, const char *value)
{
	size_t i;

	for (i = 0; i < r->values.n; i++)
		if (record_value_equal(r->type, r->values.v[i], value))
			return (long)i;
	return -1;
}

enum aw_status
aw_record_add(struct aw_record *r, const char *value)
{
	if (aw_record_find(r, value) >= 0)
		return AW_OK;
	if (record_is_hostname(r->type) && r->type != AW_RECORD_MX)
		return aw_strv_take(&r->values, aw_domain_normalize(value));
	return aw_strv_push(&r->values, value);
}

bool
aw_record_same_values(const struct aw_record *a, const struct aw_record *b)
{
	size_t i;

	if (a->values.n != b->values.n)
		return false;
	for (i = 0; i < a->values.n; i++)
		if (aw_record_find(b, a->values.v[i]) < 0)
			return false;
	for (i = 0; i < b->values.n; i++)
		if (aw_record_find(a, b->values.v[i]) < 0)
			return false;
	return true;
}

bool
aw_record_same_key(const struct aw_record *a, const struct aw_record *b)
{
	if (a->type != b->type || !aw_domain_equal(a->name, b->name))
		return false;
	if (a->type == AW_RECORD_OTHER)
		return aw_strcasecmp(a->type_name, b->type_name) == 0;
	return true;
}

void
aw_record_set_init(struct aw_record_set *s)
{
	memset(s, 0, sizeof *s);
}

void
aw_record_set_done(struct aw_record_set *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		aw_record_done(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

struct aw_record *
aw_record_set_push(struct aw_record_set *s)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		struct aw_record *grown = realloc(s->v, ncap * sizeof *grown);

		if (grown == NULL)
			return NULL;
		s->v = grown;
		s->cap = ncap;
	}
	memset(&s->v[s->n], 0, sizeof s->v[s->n]);
	return &s->v[s->n++];
}

enum aw_status
aw_record_set_take(struct aw_record_set *s, struct aw_record *r)
{
	struct aw_record *slot = aw_record_set_push(s);

	if (slot == NULL)
		return AW_ERR_NOMEM;
	*slot = *r;
	memset(r, 0, sizeof *r);
	return AW_OK;
}

struct aw_record *
aw_record_set_find_mut(struct aw_record_set *s, const char *name,
    enum aw_record_type type)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].type == type && aw_domain_equal(s->v[i].name, name))
			return &s->v[i];
	return NULL;
}

const struct aw_record *
aw_record_set_find(const struct aw_record_set *s, const char *name,
    enum aw_record_type type)
{
	return aw_record_set_find_mut((struct aw_record_set *)s, name, type);
}

void
aw_record_set_remove(struct aw_record_set *s, const char *name,
    enum aw_record_type type)
{
	size_t i = 0;

	while (i < s->n) {
		if (s->v[i].type == type && aw_domain_equal(s->v[i].name, name)) {
			aw_record_done(&s->v[i]);
			memmove(&s->v[i], &s->v[i + 1],
			    (s->n - i - 1) * sizeof s->v[0]);
			s->n--;
		} else
			i++;
	}
}

enum aw_status
aw_record_txt_quote(struct aw_buf *out, const char *value, unsigned flags)
{
	size_t len = strlen(value), i = 0, part;
	enum aw_status st = AW_OK;
	char oct[5];

	if (len == 0)
		return aw_buf_puts(out, "\"\"");
	while (i < len && st == AW_OK) {
		/* RFC 1035 §3.3.14: a character-string holds at most 255 octets;
		 * split on byte counts of the data, never inside an escape. Keep
		 * UTF-8 sequences whole unless a single one would not fit. */
		part = len - i > 255 ? 255 : len - i;
		if (i + part < len) {
			size_t cut = part;

			while (cut > 0 && ((unsigned char)value[i + cut] & 0xC0) == 0x80)
				cut--;
			if (cut > 0)
				part = cut;
		}
		if (i > 0)
			st = aw_buf_putc(out, ' ');
		if (st == AW_OK)
			st = aw_buf_putc(out, '"');
		for (size_t k = i; k < i + part && st == AW_OK; k++) {
			unsigned char c = (unsigned char)value[k];

			if (c == '"' || c == '\\') {
				st = aw_buf_putc(out, '\\');
				if (st == AW_OK)
					st = aw_buf_putc(out, (char)c);
			} else if ((flags & AW_TXT_OCTAL) && (c < 0x20 || c > 0x7e)) {
				snprintf(oct, sizeof oct, "\\%03o", c);
				st = aw_buf_puts(out, oct);
			} else
				st = aw_buf_putc(out, (char)c);
		}
		if (st == AW_OK)
			st = aw_buf_putc(out, '"');
		i += part;
	}
	return st;
}

enum aw_status
aw_record_txt_unquote(const char *content, unsigned flags, char **out,
    struct aw_error *err)
{
	struct aw_buf b;
	const char *p = content;
	enum aw_status st = AW_OK;

	*out = NULL;
	aw_buf_init(&b);
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"') {
		*out = strdup(content);
		return *out != NULL ? AW_OK :
		    aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	while (*p != '\0' && st == AW_OK) {
		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p != '"') {
			st = aw_error_set(err, AW_ERR_INVALID,
			    _("TXT content: text outside quotes"));
			break;
		}
		p++;
		while (*p != '"' && st == AW_OK) {
			if (*p == '\0') {
				st = aw_error_set(err, AW_ERR_INVALID,
				    _("TXT content: unterminated string"));
				break;
			}
			if (*p == '\\' && isdigit((unsigned char)p[1]) &&
			    isdigit((unsigned char)p[2]) &&
			    isdigit((unsigned char)p[3])) {
				/* RFC 1035 §5.1: \DDD is a decimal octet;
				 * Route 53 writes octal. */
				int base = (flags & AW_TXT_OCTAL) ? 8 : 10;
				int v = (p[1] - '0') * base * base +
				    (p[2] - '0') * base + (p[3] - '0');

				if (v > 255) {
					st = aw_error_set(err, AW_ERR_INVALID,
					    _("TXT content: bad \\DDD escape"));
					break;
				}
				st = aw_buf_putc(&b, (char)v);
				p += 4;
			} else if (*p == '\\' && p[1] != '\0') {
				st = aw_buf_putc(&b, p[1]);
				p += 2;
			} else {
				st = aw_buf_putc(&b, *p);
				p++;
			}
		}
		if (*p == '"')
			p++;
	}
	if (st != AW_OK) {
		if (err != NULL && err->status == AW_OK)
			aw_error_set(err, st, _("out of memory"));
		aw_buf_done(&b);
		return st;
	}
	*out = aw_buf_steal(&b);
	if (*out == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}
