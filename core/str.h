/* str.h: small string helpers shared by every layer: safe display of
 * untrusted text, domain-name normalisation, IDN conversion. */
#ifndef AW_STR_H
#define AW_STR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"

/* Longest text from DNS or an API that is ever shown whole. */
#define AW_DISPLAY_MAX 2048

/* Appends src[0..len) to out so that it is safe on a terminal: control
 * characters (C0, DEL, C1) and bytes that are not valid UTF-8 become \xHH,
 * a backslash becomes \\ ; the output stops after max source bytes with
 * "..." (max 0: AW_DISPLAY_MAX). Valid UTF-8 passes through. */
enum aw_status aw_str_escape(struct aw_buf *out, const char *src, size_t len,
    size_t max);
/* The same into a new string the caller frees (NULL on no memory). */
char *aw_str_escape_dup(const char *src, size_t len, size_t max);
/* The same for text that is escaped already (a DNS name in presentation
 * form, "\\027", as c-ares gives it; a message built from such names): a
 * backslash is kept as it is, so nothing is escaped twice; control bytes
 * and bad UTF-8 are still escaped. */
char *aw_str_escape_once_dup(const char *src, size_t len, size_t max);

/* Lower-cased copy of a domain name without its trailing dot; the caller
 * frees it. NULL on no memory. */
char *aw_domain_normalize(const char *name);
/* Case-insensitive equality of two domain names, ignoring a trailing dot. */
bool aw_domain_equal(const char *a, const char *b);
/* True when name equals parent or lies below it. */
bool aw_domain_is_under(const char *name, const char *parent);
/* Syntax check of an A-label domain name: length ≤253, labels 1..63 of
 * LDH characters (and '_' which DNS allows in owner names). */
bool aw_domain_valid(const char *name);

/* Unicode (UTF-8, in the current locale's terms) to A-labels, lower-case,
 * no trailing dot; the caller frees *out. ASCII input passes unchanged. */
enum aw_status aw_domain_to_ascii(const char *name, char **out,
    struct aw_error *err);
/* A-labels to Unicode for display; on failure a copy of the input. The
 * caller frees the result; NULL only on no memory. */
char *aw_domain_to_unicode(const char *name);

/* strdup that returns NULL for NULL. */
char *aw_strdup(const char *s);
/* Case-insensitive ASCII comparisons. */
int aw_strcasecmp(const char *a, const char *b);
int aw_strncasecmp(const char *a, const char *b, size_t n);
bool aw_str_has_prefix_ci(const char *s, const char *prefix);

/* RFC 6376 §2.8 FWS characters (DKIM and DMARC tag lists): space, tab,
 * CR, LF. */
bool aw_is_fws(char c);
/* A copy of s[0..len) without leading and trailing FWS; NULL when out of
 * memory. The caller frees it. */
char *aw_str_trim_dup(const char *s, size_t len);

/* Overwrites a secret (a token, a key) so it does not linger in memory:
 * the string up to its NUL, or n bytes of a buffer. NULL is a no-op. */
void aw_str_wipe(char *s);
void aw_mem_wipe(void *p, size_t n);

#endif
