/* str.c: display escaping, domain names, IDN (libidn2 is used only here,
 * opened at the first name that is not plain ASCII). */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "core/i18n.h"
#include "core/lib.h"
#include "core/str.h"

#ifndef AW_IDN2_SONAME
#define AW_IDN2_SONAME "libidn2.so.0"
#endif

/* libidn2 (and the libunistring it pulls in, some 1 ms of every start)
 * is opened when a name first needs it, not by the dynamic loader at
 * start-up (issue 16). Every call below goes through these pointers. */
#define STR_IDN2_FUNCS(X) X(idn2_free) X(idn2_strerror) \
	X(idn2_to_ascii_8z) X(idn2_to_unicode_8z8z)

static struct {
#define STR_IDN2_PTR(f) __typeof__(f) *f;
	STR_IDN2_FUNCS(STR_IDN2_PTR)
#undef STR_IDN2_PTR
} str_idn2;

/* Opens libidn2 once; err may be NULL. */
static const char *const str_idn2_names[] = {
	STR_IDN2_FUNCS(AW_LIB_NAME)
};

static bool
str_idn2_load(struct aw_error *err)
{
	return str_idn2.idn2_to_unicode_8z8z != NULL ||
	    aw_lib_open(AW_IDN2_SONAME, "libidn2-0", str_idn2_names,
	    (void **)&str_idn2, AW_LIB_SLOTS(str_idn2), AW_ERR_INTERNAL,
	    err) != NULL;
}

#define idn2_free (*str_idn2.idn2_free)
#define idn2_strerror (*str_idn2.idn2_strerror)
#define idn2_to_ascii_8z (*str_idn2.idn2_to_ascii_8z)
#define idn2_to_unicode_8z8z (*str_idn2.idn2_to_unicode_8z8z)

/* Length of the valid UTF-8 sequence at s (at most len bytes), or 0. */
static size_t
utf8_seq_len(const unsigned char *s, size_t len)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	/* C1 controls (U+0080..U+009F) are escapes on some terminals. */
	if (cp >= 0x80 && cp <= 0x9f)
		return 0;
	/* Bidi overrides and isolates can reorder what is shown. */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

static enum aw_status
escape(struct aw_buf *out, const char *src, size_t len, size_t max,
    bool keep_backslash)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t i = 0, n;
	enum aw_status st = AW_OK;
	char hex[8];

	if (max == 0)
		max = AW_DISPLAY_MAX;
	while (i < len && st == AW_OK) {
		if (i >= max) {
			st = aw_buf_puts(out, "...");
			break;
		}
		if (s[i] == '\\' && !keep_backslash) {
			st = aw_buf_puts(out, "\\\\");
			i++;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(hex, sizeof hex, "\\x%02X", s[i]);
			st = aw_buf_puts(out, hex);
			i++;
			continue;
		}
		n = utf8_seq_len(s + i, len - i);
		if (n == 0) {
			/* Not valid UTF-8 (or a code point we refuse to draw):
			 * escape one byte. */
			snprintf(hex, sizeof hex, "\\x%02X", s[i]);
			st = aw_buf_puts(out, hex);
			i++;
			continue;
		}
		st = aw_buf_append(out, s + i, n);
		i += n;
	}
	return st;
}

enum aw_status
aw_str_escape(struct aw_buf *out, const char *src, size_t len, size_t max)
{
	return escape(out, src, len, max, false);
}

char *
aw_str_escape_once_dup(const char *src, size_t len, size_t max)
{
	struct aw_buf b;

	aw_buf_init(&b);
	if (escape(&b, src, len, max, true) != AW_OK) {
		aw_buf_done(&b);
		return NULL;
	}
	return aw_buf_steal(&b);
}

char *
aw_str_escape_dup(const char *src, size_t len, size_t max)
{
	struct aw_buf b;

	aw_buf_init(&b);
	if (aw_str_escape(&b, src, len, max) != AW_OK) {
		aw_buf_done(&b);
		return NULL;
	}
	return aw_buf_steal(&b);
}

char *
aw_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

int
aw_strcasecmp(const char *a, const char *b)
{
	unsigned char ca, cb;

	do {
		ca = (unsigned char)tolower((unsigned char)*a++);
		cb = (unsigned char)tolower((unsigned char)*b++);
	} while (ca != '\0' && ca == cb);
	return (int)ca - (int)cb;
}

int
aw_strncasecmp(const char *a, const char *b, size_t n)
{
	unsigned char ca = 0, cb = 0;

	while (n-- > 0) {
		ca = (unsigned char)tolower((unsigned char)*a++);
		cb = (unsigned char)tolower((unsigned char)*b++);
		if (ca != cb || ca == '\0')
			break;
	}
	return (int)ca - (int)cb;
}

bool
aw_str_has_prefix_ci(const char *s, const char *prefix)
{
	return aw_strncasecmp(s, prefix, strlen(prefix)) == 0;
}

char *
aw_domain_normalize(const char *name)
{
	size_t len = strlen(name), i;
	char *out;

	while (len > 1 && name[len - 1] == '.')
		len--;
	out = malloc(len + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)name[i]);
	out[len] = '\0';
	return out;
}

static size_t
domain_len(const char *s)
{
	size_t n = strlen(s);

	if (n > 1 && s[n - 1] == '.')
		n--;
	return n;
}

bool
aw_domain_equal(const char *a, const char *b)
{
	size_t la = domain_len(a), lb = domain_len(b);

	return la == lb && aw_strncasecmp(a, b, la) == 0;
}

bool
aw_domain_is_under(const char *name, const char *parent)
{
	size_t ln = domain_len(name), lp = domain_len(parent);

	if (lp == 0 || (lp == 1 && parent[0] == '.'))
		return true;
	if (ln < lp)
		return false;
	if (aw_strncasecmp(name + ln - lp, parent, lp) != 0)
		return false;
	return ln == lp || name[ln - lp - 1] == '.';
}

bool
aw_domain_valid(const char *name)
{
	size_t len = domain_len(name), label = 0, i;

	if (len == 0 || len > 253)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

enum aw_status
aw_domain_to_ascii(const char *name, char **out, struct aw_error *err)
{
	char *ascii = NULL, *norm;
	const unsigned char *p;
	bool plain = true;
	int rc;

	*out = NULL;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p >= 0x80)
			plain = false;
	if (plain) {
		norm = aw_domain_normalize(name);
		if (norm == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	} else {
		if (!str_idn2_load(err))
			return AW_ERR_INTERNAL;
		/* IDNA2008 with UTS#46 mapping, as browsers and registrars do. */
		rc = idn2_to_ascii_8z(name, &ascii,
		    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc != IDN2_OK)
			rc = idn2_to_ascii_8z(name, &ascii, IDN2_TRANSITIONAL);
		if (rc != IDN2_OK) {
			char *shown = aw_str_escape_dup(name, strlen(name), 256);

			aw_i18n_init();    /* libidn2's text in the language */
			aw_error_setw(err, AW_ERR_INVALID, shown ? shown : "",
			    _("not a valid internationalised domain name: %s"),
			    idn2_strerror(rc));
			free(shown);
			return AW_ERR_INVALID;
		}
		norm = aw_domain_normalize(ascii);
		idn2_free(ascii);
		if (norm == NULL)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	*out = norm;
	return AW_OK;
}

char *
aw_domain_to_unicode(const char *name)
{
	char *u = NULL, *copy;

	if (strstr(name, "xn--") == NULL && strstr(name, "XN--") == NULL)
		return strdup(name);
	if (!str_idn2_load(NULL))
		return strdup(name);
	if (idn2_to_unicode_8z8z(name, &u, 0) != IDN2_OK || u == NULL)
		return strdup(name);
	copy = strdup(u);
	idn2_free(u);
	return copy;
}

bool
aw_is_fws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *
aw_str_trim_dup(const char *s, size_t len)
{
	char *out;

	while (len > 0 && aw_is_fws(*s)) {
		s++;
		len--;
	}
	while (len > 0 && aw_is_fws(s[len - 1]))
		len--;
	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

void
aw_str_wipe(char *s)
{
	if (s != NULL)
		explicit_bzero(s, strlen(s));
}

void
aw_mem_wipe(void *p, size_t n)
{
	if (p != NULL)
		explicit_bzero(p, n);
}
