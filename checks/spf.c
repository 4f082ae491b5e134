/* spf.c: the SPF record parser (RFC 7208 §4.6, §12) and macro expansion
 * (§7). The evaluator is in spf-eval.c. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"

/* Longest term text quoted in an error message. */
#define TERM_QUOTE_MAX 60

static bool
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool
aw_spf_is_record(const char *txt, size_t len)
{
	/* RFC 7208 §4.5: the version section is "v=spf1" ended by SP or the
	 * end of the record; "v=spf10" is not SPF. */
	return len >= 6 && aw_strncasecmp(txt, "v=spf1", 6) == 0 &&
	    (len == 6 || txt[6] == ' ');
}

const char *
aw_spf_result_name(enum aw_spf_result r)
{
	switch (r) {
	case AW_SPF_NONE: return "none";
	case AW_SPF_NEUTRAL: return "neutral";
	case AW_SPF_PASS: return "pass";
	case AW_SPF_FAIL: return "fail";
	case AW_SPF_SOFTFAIL: return "softfail";
	case AW_SPF_TEMPERROR: return "temperror";
	case AW_SPF_PERMERROR: return "permerror";
	}
	return "permerror";
}

char
aw_spf_qualifier_char(enum aw_spf_result q)
{
	switch (q) {
	case AW_SPF_FAIL: return '-';
	case AW_SPF_SOFTFAIL: return '~';
	case AW_SPF_NEUTRAL: return '?';
	default: return '+';
	}
}

static const char *const kind_names[] = {
	[AW_SPF_ALL] = "all", [AW_SPF_INCLUDE] = "include", [AW_SPF_A] = "a",
	[AW_SPF_MX] = "mx", [AW_SPF_PTR] = "ptr", [AW_SPF_IP4] = "ip4",
	[AW_SPF_IP6] = "ip6", [AW_SPF_EXISTS] = "exists",
	[AW_SPF_REDIRECT] = "redirect", [AW_SPF_EXP] = "exp",
	[AW_SPF_UNKNOWN_MOD] = "unknown",
};

const char *
aw_spf_kind_name(enum aw_spf_kind kind)
{
	if ((size_t)kind < sizeof kind_names / sizeof kind_names[0])
		return kind_names[kind];
	return "unknown";
}

bool
aw_spf_kind_counts(enum aw_spf_kind kind)
{
	/* RFC 7208 §4.6.4: include, a, mx, ptr, exists and redirect query
	 * DNS; all, ip4, ip6 and exp do not count. */
	switch (kind) {
	case AW_SPF_INCLUDE: case AW_SPF_A: case AW_SPF_MX: case AW_SPF_PTR:
	case AW_SPF_EXISTS: case AW_SPF_REDIRECT:
		return true;
	default:
		return false;
	}
}

/* --- macros ----------------------------------------------------------- */

enum macro_tok_kind { TOK_LITERAL, TOK_EXPAND, TOK_PERCENT, TOK_SPACE,
	TOK_URLSPACE };

struct macro_tok {
	enum macro_tok_kind kind;
	char c;                 /* literal */
	char letter;            /* expand: lower-case letter */
	bool upper;             /* URL-escape the expansion */
	unsigned long digits;   /* 0: not given */
	bool reverse;
	char delims[8];         /* "" : "." */
	size_t start, end;      /* [start, end) in the string */
};

static bool
is_delim(int c)
{
	/* RFC 7208 §7.1: delimiter = "." / "-" / "+" / "," / "/" / "_" / "=" */
	return c != '\0' && strchr(".-+,/_=", c) != NULL;
}

/* Reads one token at s[*i]. */
static enum aw_status
macro_next(const char *s, size_t len, size_t *i, bool explain,
    struct macro_tok *t, struct aw_error *err)
{
	size_t p = *i;
	int c = (unsigned char)s[p];

	memset(t, 0, sizeof *t);
	t->start = p;
	if (c != '%') {
		/* RFC 7208 §7.1: macro-literal = %x21-24 / %x26-7E; an
		 * explain-string also holds SP. */
		if (!((c >= 0x21 && c <= 0x7e) || (explain && c == ' ')))
			return aw_error_set(err, AW_ERR_INVALID,
			    _("character 0x%02x is not allowed in a macro string (RFC 7208 §7.1)"),
			    (unsigned)c);
		t->kind = TOK_LITERAL;
		t->c = (char)c;
		t->end = p + 1;
		*i = p + 1;
		return AW_OK;
	}
	if (p + 1 >= len)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("'%%' at the end of a macro string must be written %%%% (RFC 7208 §7.1)"));
	c = (unsigned char)s[p + 1];
	if (c == '%' || c == '_' || c == '-') {
		t->kind = c == '%' ? TOK_PERCENT : c == '_' ? TOK_SPACE :
		    TOK_URLSPACE;
		t->end = p + 2;
		*i = p + 2;
		return AW_OK;
	}
	if (c != '{')
		return aw_error_set(err, AW_ERR_INVALID,
		    _("'%%' must be followed by '{', '%%', '_' or '-' (RFC 7208 §7.1)"));
	p += 2;
	if (p >= len)
		goto unterminated;
	c = (unsigned char)s[p];
	/* RFC 7208 §7.2: s l o d i p h v anywhere; c r t only in exp text. */
	if (strchr("slodiphv", lower(c)) == NULL || c == '\0') {
		if (c != '\0' && strchr("crt", lower(c)) != NULL) {
			if (!explain)
				return aw_error_set(err, AW_ERR_INVALID,
				    _("macro %%{%c} is allowed only in exp= text (RFC 7208 §7.2)"),
				    c);
		} else {
			return aw_error_set(err, AW_ERR_INVALID,
			    _("unknown macro letter '%c' (RFC 7208 §7.2)"),
			    c >= 0x21 && c < 0x7f ? c : '?');
		}
	}
	t->kind = TOK_EXPAND;
	t->letter = (char)lower(c);
	t->upper = c >= 'A' && c <= 'Z';
	p++;
	if (p < len && is_digit((unsigned char)s[p])) {
		unsigned long v = 0;

		while (p < len && is_digit((unsigned char)s[p])) {
			if (v < 100000)
				v = v * 10 + (unsigned long)(s[p] - '0');
			p++;
		}
		/* RFC 7208 §7.3: if a DIGIT is given, it MUST be nonzero. */
		if (v == 0)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("macro transformer 0 is not allowed (RFC 7208 §7.3)"));
		t->digits = v;
	}
	if (p < len && (s[p] == 'r' || s[p] == 'R')) {
		t->reverse = true;
		p++;
	}
	while (p < len && s[p] != '}') {
		size_t n = strlen(t->delims);

		if (!is_delim((unsigned char)s[p]))
			return aw_error_set(err, AW_ERR_INVALID,
			    _("'%c' is not a macro delimiter (RFC 7208 §7.1)"),
			    s[p] >= 0x21 && s[p] < 0x7f ? s[p] : '?');
		if (strchr(t->delims, s[p]) == NULL && n + 1 < sizeof t->delims)
			t->delims[n] = s[p];
		p++;
	}
	if (p >= len)
		goto unterminated;
	t->end = p + 1;
	*i = p + 1;
	return AW_OK;
unterminated:
	return aw_error_set(err, AW_ERR_INVALID,
	    _("macro not closed with '}' (RFC 7208 §7.1)"));
}

enum aw_status
aw_spf_macro_check(const char *s, size_t len, bool explain,
    struct aw_error *err)
{
	struct macro_tok t;
	size_t i = 0;
	enum aw_status st;

	while (i < len)
		if ((st = macro_next(s, len, &i, explain, &t, err)) != AW_OK)
			return st;
	return AW_OK;
}

bool
aw_spf_has_macro(const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (s[0] != '%')
			continue;
		if (s[1] == '{')
			return true;
		if (s[1] != '\0')
			s++;
	}
	return false;
}

/* RFC 7208 §7.1 toplabel = ( *alphanum ALPHA *alphanum ) /
 * ( 1*alphanum "-" *( alphanum / "-" ) alphanum ) */
static bool
is_toplabel(const char *s, size_t len)
{
	bool alpha = false, hyphen = false;
	size_t i;

	if (len == 0 || !is_alnum((unsigned char)s[0]) ||
	    !is_alnum((unsigned char)s[len - 1]))
		return false;
	for (i = 0; i < len; i++) {
		if (is_alpha((unsigned char)s[i]))
			alpha = true;
		else if (s[i] == '-')
			hyphen = true;
		else if (!is_digit((unsigned char)s[i]))
			return false;
	}
	return alpha || hyphen;
}

/* RFC 7208 §7.1: domain-spec = macro-string domain-end,
 * domain-end = ( "." toplabel [ "." ] ) / macro-expand. The syntax is
 * checked before expansion (and not after it). */
static enum aw_status
domain_spec_check(const char *s, size_t len, struct aw_error *err)
{
	struct macro_tok t;
	size_t i = 0, last_dot = (size_t)-1;
	enum macro_tok_kind last = TOK_LITERAL;
	enum aw_status st;

	if (len == 0)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("empty domain (RFC 7208 §7.1)"));
	while (i < len) {
		if ((st = macro_next(s, len, &i, false, &t, err)) != AW_OK)
			return st;
		last = t.kind;
		if (t.kind == TOK_LITERAL && t.c == '.' && t.end < len)
			last_dot = t.start;
	}
	if (last != TOK_LITERAL)
		return AW_OK;
	if (s[len - 1] == '.')
		len--;
	if (last_dot == (size_t)-1 ||
	    !is_toplabel(s + last_dot + 1, len - last_dot - 1))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the domain must end in a top-level label such as .com or in a macro (RFC 7208 §7.1)"));
	return AW_OK;
}

static void
append_escaped(struct aw_buf *out, const char *s, size_t len,
    enum aw_status *st)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len && *st == AW_OK; i++) {
		unsigned char c = (unsigned char)s[i];

		/* RFC 7208 §7.3: upper-case macros are URL-escaped: all but
		 * the unreserved ALPHA / DIGIT / "-" / "." / "_" / "~". */
		if (is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			*st = aw_buf_putc(out, (char)c);
		else if ((*st = aw_buf_putc(out, '%')) == AW_OK &&
		    (*st = aw_buf_putc(out, hex[c >> 4])) == AW_OK)
			*st = aw_buf_putc(out, hex[c & 15]);
	}
}

/* The value of one macro letter, before transformation, into v. */
static enum aw_status
macro_value(char letter, const struct aw_spf_macro_env *env,
    struct aw_buf *v)
{
	char tmp[64];
	size_t k;
	enum aw_status st = AW_OK;

	switch (letter) {
	case 's': return aw_buf_puts(v, env->sender ? env->sender : "");
	case 'l': return aw_buf_puts(v, env->local ? env->local : "");
	case 'o':
		return aw_buf_puts(v, env->sender_domain ?
		    env->sender_domain : "");
	case 'd': return aw_buf_puts(v, env->domain ? env->domain : "");
	case 'h': return aw_buf_puts(v, env->helo ? env->helo : "");
	case 'r':
		return aw_buf_puts(v, env->receiver ? env->receiver :
		    "unknown");
	case 't':
		return aw_buf_printf(v, "%lld", env->now);
	case 'v':
		return aw_buf_puts(v, env->family == 6 ? "ip6" : "in-addr");
	case 'p': {
		const char *p = env->ptr_name ? env->ptr_name(env->ptr_arg) :
		    NULL;

		return aw_buf_puts(v, p ? p : "unknown");
	}
	case 'c':
		if (env->family == 6)
			inet_ntop(AF_INET6, env->ip, tmp, sizeof tmp);
		else
			inet_ntop(AF_INET, env->ip, tmp, sizeof tmp);
		return aw_buf_puts(v, tmp);
	case 'i':
		if (env->family != 6) {
			inet_ntop(AF_INET, env->ip, tmp, sizeof tmp);
			return aw_buf_puts(v, tmp);
		}
		/* RFC 7208 §7.3: IPv6 "i" is dot-separated nibbles. */
		for (k = 0; k < 16 && st == AW_OK; k++)
			st = aw_buf_printf(v, "%s%X.%X", k ? "." : "",
			    env->ip[k] >> 4, env->ip[k] & 15);
		return st;
	}
	return AW_ERR_INVALID;
}

/* RFC 7208 §7.3: split on the delimiters, reverse if asked, keep the
 * rightmost N parts, join with ".". */
static enum aw_status
macro_transform(const struct macro_tok *t, const char *val, size_t vlen,
    struct aw_buf *out)
{
	const char *delims = t->delims[0] ? t->delims : ".";
	size_t nparts = 1, i, k, first;
	size_t *starts, *lens;
	enum aw_status st = AW_OK;

	if (!t->reverse && t->digits == 0 && t->delims[0] == '\0') {
		if (t->upper) {
			append_escaped(out, val, vlen, &st);
			return st;
		}
		return aw_buf_append(out, val, vlen);
	}
	for (i = 0; i < vlen; i++)
		if (strchr(delims, val[i]) != NULL)
			nparts++;
	starts = calloc(nparts, sizeof *starts);
	lens = calloc(nparts, sizeof *lens);
	if (starts == NULL || lens == NULL) {
		free(starts);
		free(lens);
		return AW_ERR_NOMEM;
	}
	for (i = 0, k = 0; i <= vlen; i++) {
		if (i == vlen || strchr(delims, val[i]) != NULL) {
			lens[k] = i - starts[k];
			if (++k < nparts)
				starts[k] = i + 1;
		}
	}
	if (t->reverse) {
		for (i = 0; i < nparts / 2; i++) {
			size_t s0 = starts[i], l0 = lens[i];

			starts[i] = starts[nparts - 1 - i];
			lens[i] = lens[nparts - 1 - i];
			starts[nparts - 1 - i] = s0;
			lens[nparts - 1 - i] = l0;
		}
	}
	first = t->digits != 0 && t->digits < nparts ? nparts - t->digits : 0;
	for (i = first; i < nparts && st == AW_OK; i++) {
		if (i > first)
			st = aw_buf_putc(out, '.');
		if (st != AW_OK)
			break;
		if (t->upper)
			append_escaped(out, val + starts[i], lens[i], &st);
		else
			st = aw_buf_append(out, val + starts[i], lens[i]);
	}
	free(starts);
	free(lens);
	return st;
}

enum aw_status
aw_spf_macro_expand(const char *s, size_t len, bool explain,
    const struct aw_spf_macro_env *env, struct aw_buf *out,
    struct aw_error *err)
{
	struct aw_buf res, val;
	struct macro_tok t;
	size_t i = 0;
	enum aw_status st = AW_OK;

	aw_buf_init(&res);
	aw_buf_init(&val);
	while (i < len && st == AW_OK) {
		if ((st = macro_next(s, len, &i, explain, &t, err)) != AW_OK)
			break;
		switch (t.kind) {
		case TOK_LITERAL:
			st = aw_buf_putc(&res, t.c);
			break;
		case TOK_PERCENT:
			st = aw_buf_putc(&res, '%');
			break;
		case TOK_SPACE:
			st = aw_buf_putc(&res, ' ');
			break;
		case TOK_URLSPACE:
			st = aw_buf_puts(&res, "%20");
			break;
		case TOK_EXPAND:
			aw_buf_reset(&val);
			st = macro_value(t.letter, env, &val);
			if (st == AW_OK)
				st = macro_transform(&t, aw_buf_str(&val),
				    val.len, &res);
			break;
		}
	}
	if (st == AW_OK && !explain) {
		const char *r = aw_buf_str(&res);
		size_t rl = res.len, off = 0;

		/* RFC 7208 §7.3: a trailing dot is not part of the name;
		 * longer than 253: drop labels on the left until it fits. */
		if (rl > 0 && r[rl - 1] == '.')
			rl--;
		while (rl - off > 253) {
			const char *dot = memchr(r + off, '.', rl - off);

			if (dot == NULL)
				break;
			off = (size_t)(dot - r) + 1;
		}
		st = aw_buf_append(out, r + off, rl - off);
	} else if (st == AW_OK) {
		st = aw_buf_append(out, aw_buf_str(&res), res.len);
	}
	if (st == AW_ERR_NOMEM)
		aw_error_set(err, st, _("out of memory"));
	aw_buf_done(&res);
	aw_buf_done(&val);
	return st;
}

/* --- the record parser ------------------------------------------------ */

static void
term_done(struct aw_spf_term *t)
{
	free(t->text);
	free(t->domain_spec);
	free(t->mod_name);
	free(t->mod_value);
}

void
aw_spf_record_free(struct aw_spf_record *rec)
{
	size_t i;

	if (rec == NULL)
		return;
	for (i = 0; i < rec->nterms; i++)
		term_done(&rec->terms[i]);
	free(rec->terms);
	free(rec);
}

static char *
memdup0(const char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* "/" ( "0" / %x31-39 0*nDIGIT ), value ≤ max. */
static bool
parse_cidr(const char *s, size_t len, int max, int *out)
{
	int v = 0;
	size_t i;

	if (len == 0 || len > 3 || (s[0] == '0' && len > 1))
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Length of a trailing "/DIGITS" in s[0..len), 0 if none. */
static size_t
trailing_cidr(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && is_digit((unsigned char)s[i - 1]))
		i--;
	if (i == len || i == 0 || s[i - 1] != '/')
		return 0;
	return len - i + 1;
}

/* RFC 7208 §12: ip4-network = qnum "." qnum "." qnum "." qnum, qnum
 * 0..255 without leading zeros. */
static bool
parse_ip4(const char *s, size_t len, unsigned char out[4])
{
	size_t i = 0;
	int part;

	for (part = 0; part < 4; part++) {
		size_t start = i;
		int v = 0;

		while (i < len && is_digit((unsigned char)s[i]) && i - start < 3)
			v = v * 10 + (s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return false;
		out[part] = (unsigned char)v;
		if (part < 3) {
			if (i >= len || s[i] != '.')
				return false;
			i++;
		}
	}
	return i == len;
}

static bool
parse_ip6(const char *s, size_t len, unsigned char out[16])
{
	char tmp[64];

	if (len == 0 || len >= sizeof tmp)
		return false;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(AF_INET6, tmp, out) == 1;
}

static const struct {
	const char *name;
	enum aw_spf_kind kind;
} mechanisms[] = {
	{ "all", AW_SPF_ALL }, { "include", AW_SPF_INCLUDE },
	{ "a", AW_SPF_A }, { "mx", AW_SPF_MX }, { "ptr", AW_SPF_PTR },
	{ "ip4", AW_SPF_IP4 }, { "ip6", AW_SPF_IP6 },
	{ "exists", AW_SPF_EXISTS },
};

/* Parses one term s[0..len) into t; the message (without the where). */
static enum aw_status
parse_term(const char *s, size_t len, struct aw_spf_term *t,
    struct aw_error *err)
{
	size_t i = 0, n, name_len, rest_len;
	const char *rest;
	enum aw_status st;

	t->cidr4 = t->cidr6 = -1;
	t->qualifier = AW_SPF_PASS;
	/* RFC 7208 §4.6.1: terms are separated by SP only; no other
	 * control or non-visible characters. */
	for (n = 0; n < len; n++)
		if ((unsigned char)s[n] < 0x21 || (unsigned char)s[n] > 0x7e)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("character 0x%02x is not allowed (terms are separated by spaces only, RFC 7208 §4.6.1)"),
			    (unsigned char)s[n]);
	/* RFC 7208 §4.6.1: modifier = name "=" macro-string,
	 * name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ). */
	if (is_alpha((unsigned char)s[0])) {
		for (n = 1; n < len && (is_alnum((unsigned char)s[n]) ||
		    s[n] == '-' || s[n] == '_' || s[n] == '.'); n++)
			;
		if (n < len && s[n] == '=') {
			const char *v = s + n + 1;
			size_t vl = len - n - 1;

			if (n == 8 && aw_strncasecmp(s, "redirect", 8) == 0)
				t->kind = AW_SPF_REDIRECT;
			else if (n == 3 && aw_strncasecmp(s, "exp", 3) == 0)
				t->kind = AW_SPF_EXP;
			else
				t->kind = AW_SPF_UNKNOWN_MOD;
			if (t->kind == AW_SPF_UNKNOWN_MOD) {
				if ((st = aw_spf_macro_check(v, vl, true, err))
				    != AW_OK)
					return st;
				t->mod_name = memdup0(s, n);
				t->mod_value = memdup0(v, vl);
				if (!t->mod_name || !t->mod_value)
					return AW_ERR_NOMEM;
				return AW_OK;
			}
			/* RFC 7208 §6.1, §6.2: redirect/exp = domain-spec */
			if ((st = domain_spec_check(v, vl, err)) != AW_OK)
				return st;
			if ((t->domain_spec = memdup0(v, vl)) == NULL)
				return AW_ERR_NOMEM;
			return AW_OK;
		}
	}
	/* RFC 7208 §4.6.2: qualifier = "+" / "-" / "?" / "~" */
	switch (s[0]) {
	case '+': t->qualifier = AW_SPF_PASS; i = 1; break;
	case '-': t->qualifier = AW_SPF_FAIL; i = 1; break;
	case '~': t->qualifier = AW_SPF_SOFTFAIL; i = 1; break;
	case '?': t->qualifier = AW_SPF_NEUTRAL; i = 1; break;
	}
	for (n = i; n < len && is_alnum((unsigned char)s[n]); n++)
		;
	name_len = n - i;
	for (n = 0; n < sizeof mechanisms / sizeof mechanisms[0]; n++)
		if (strlen(mechanisms[n].name) == name_len &&
		    aw_strncasecmp(s + i, mechanisms[n].name, name_len) == 0)
			break;
	if (n == sizeof mechanisms / sizeof mechanisms[0])
		return aw_error_set(err, AW_ERR_INVALID,
		    _("unknown mechanism (RFC 7208 §5: all, include, a, mx, ptr, ip4, ip6, exists)"));
	t->kind = mechanisms[n].kind;
	rest = s + i + name_len;
	rest_len = len - i - name_len;

	switch (t->kind) {
	case AW_SPF_ALL:
		/* RFC 7208 §5.1: "all" takes nothing. */
		if (rest_len != 0)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("\"all\" takes no argument (RFC 7208 §5.1)"));
		return AW_OK;
	case AW_SPF_A:
	case AW_SPF_MX: {
		size_t c6 = 0, c4;

		/* RFC 7208 §5.6: dual-cidr-length = [ ip4-cidr-length ]
		 * [ "/" ip6-cidr-length ] */
		c4 = trailing_cidr(rest, rest_len);
		if (c4 > 0 && c4 < rest_len && rest[rest_len - c4 - 1] == '/') {
			c6 = c4 + 1;
			if (!parse_cidr(rest + rest_len - c4 + 1, c4 - 1, 128,
			    &t->cidr6))
				return aw_error_set(err, AW_ERR_INVALID,
				    _("bad IPv6 prefix length (0 to 128, RFC 7208 §5.6)"));
			rest_len -= c6;
			c4 = trailing_cidr(rest, rest_len);
		}
		if (c4 > 0) {
			if (!parse_cidr(rest + rest_len - c4 + 1, c4 - 1, 32,
			    &t->cidr4))
				return aw_error_set(err, AW_ERR_INVALID,
				    _("bad IPv4 prefix length (0 to 32, RFC 7208 §5.6)"));
			rest_len -= c4;
		}
		break;
	}
	case AW_SPF_IP4:
	case AW_SPF_IP6: {
		size_t c = trailing_cidr(rest, rest_len);
		int max = t->kind == AW_SPF_IP4 ? 32 : 128;
		int *cidr = t->kind == AW_SPF_IP4 ? &t->cidr4 : &t->cidr6;

		if (rest_len == 0 || rest[0] != ':')
			return aw_error_set(err, AW_ERR_INVALID,
			    _("an address is required after ':' (RFC 7208 §5.6)"));
		if (c > 0) {
			if (!parse_cidr(rest + rest_len - c + 1, c - 1, max,
			    cidr))
				return aw_error_set(err, AW_ERR_INVALID,
				    t->kind == AW_SPF_IP4 ?
				    _("bad IPv4 prefix length (0 to 32, RFC 7208 §5.6)") :
				    _("bad IPv6 prefix length (0 to 128, RFC 7208 §5.6)"));
			rest_len -= c;
		}
		if (t->kind == AW_SPF_IP4 ?
		    !parse_ip4(rest + 1, rest_len - 1, t->addr) :
		    !parse_ip6(rest + 1, rest_len - 1, t->addr))
			return aw_error_set(err, AW_ERR_INVALID,
			    t->kind == AW_SPF_IP4 ?
			    _("not an IPv4 network (RFC 7208 §5.6)") :
			    _("not an IPv6 network (RFC 7208 §5.6)"));
		return AW_OK;
	}
	default:
		break;
	}
	/* include, exists: ":" domain-spec required; a, mx, ptr optional. */
	if (rest_len == 0) {
		if (t->kind == AW_SPF_INCLUDE || t->kind == AW_SPF_EXISTS)
			return aw_error_set(err, AW_ERR_INVALID,
			    _("a domain is required after ':' (RFC 7208 §5.2, §5.7)"));
		return AW_OK;
	}
	if (rest[0] != ':')
		return aw_error_set(err, AW_ERR_INVALID,
		    _("unexpected text after the mechanism name (RFC 7208 §12)"));
	if ((st = domain_spec_check(rest + 1, rest_len - 1, err)) != AW_OK)
		return st;
	if ((t->domain_spec = memdup0(rest + 1, rest_len - 1)) == NULL)
		return AW_ERR_NOMEM;
	return AW_OK;
}

enum aw_status
aw_spf_parse(const char *text, size_t len, struct aw_spf_record **out,
    struct aw_error *err)
{
	struct aw_spf_record *rec;
	struct aw_error terr;
	size_t i, p, nterm = 0;
	enum aw_status st = AW_OK;

	*out = NULL;
	if (len > AW_SPF_RECORD_MAX)
		return aw_error_setw(err, AW_ERR_INVALID, "record",
		    _("the SPF record is too long (%zu bytes)"), len);
	/* RFC 7208 §3.1 (and the suite's 3.1/1): an SPF record is 7-bit
	 * ASCII; anything else makes it a permerror. */
	for (i = 0; i < len; i++) {
		if ((unsigned char)text[i] >= 0x80 || text[i] == '\0') {
			char where[64];

			snprintf(where, sizeof where, "position %zu", i + 1);
			return aw_error_setw(err, AW_ERR_INVALID, where,
			    _("SPF syntax error at position %zu: the record holds a byte that is not 7-bit ASCII (RFC 7208 §3.1)"),
			    i + 1);
		}
	}
	if (!aw_spf_is_record(text, len))
		return aw_error_setw(err, AW_ERR_INVALID, "position 1",
		    _("SPF syntax error at position 1: the record must start with \"v=spf1\" (RFC 7208 §4.5)"));
	if ((rec = calloc(1, sizeof *rec)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	rec->redirect = rec->exp = rec->all = -1;
	p = 6;
	while (p < len) {
		size_t start, tl;
		struct aw_spf_term *grown, *t;

		/* RFC 7208 §4.6.1: terms = *( 1*SP ( directive / modifier ) ) */
		while (p < len && text[p] == ' ')
			p++;
		if (p >= len)
			break;
		start = p;
		while (p < len && text[p] != ' ')
			p++;
		tl = p - start;
		nterm++;
		grown = realloc(rec->terms, (rec->nterms + 1) * sizeof *grown);
		if (grown == NULL) {
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			goto fail;
		}
		rec->terms = grown;
		t = &rec->terms[rec->nterms++];
		memset(t, 0, sizeof *t);
		t->pos = start + 1;
		if ((t->text = memdup0(text + start, tl)) == NULL) {
			st = aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
			goto fail;
		}
		aw_error_clear(&terr);
		st = parse_term(text + start, tl, t, &terr);
		if (st == AW_OK) {
			/* RFC 7208 §6: redirect and exp at most once each. */
			if (t->kind == AW_SPF_REDIRECT) {
				if (rec->redirect >= 0) {
					st = aw_error_set(&terr, AW_ERR_INVALID,
					    _("a second redirect= (at most one is allowed, RFC 7208 §6)"));
				}
				rec->redirect = (long)rec->nterms - 1;
			} else if (t->kind == AW_SPF_EXP) {
				if (rec->exp >= 0) {
					st = aw_error_set(&terr, AW_ERR_INVALID,
					    _("a second exp= (at most one is allowed, RFC 7208 §6)"));
				}
				rec->exp = (long)rec->nterms - 1;
			} else if (t->kind == AW_SPF_ALL && rec->all < 0) {
				rec->all = (long)rec->nterms - 1;
			}
		}
		if (st != AW_OK) {
			char where[AW_ERROR_WHERE_MAX], quoted[TERM_QUOTE_MAX + 4];

			if (st == AW_ERR_NOMEM) {
				aw_error_set(err, st, _("out of memory"));
				goto fail;
			}
			snprintf(quoted, sizeof quoted, "%.*s%s",
			    TERM_QUOTE_MAX, t->text,
			    strlen(t->text) > TERM_QUOTE_MAX ? "..." : "");
			snprintf(where, sizeof where,
			    "term %zu '%s' at position %zu", nterm, quoted,
			    t->pos);
			aw_error_setw(err, AW_ERR_INVALID, where,
			    _("SPF syntax error in term %zu \"%s\" at position %zu: %s"),
			    nterm, quoted, t->pos, terr.msg);
			st = AW_ERR_INVALID;
			goto fail;
		}
	}
	*out = rec;
	return AW_OK;
fail:
	aw_spf_record_free(rec);
	return st;
}
