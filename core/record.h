/* record.h: a DNS record set (one name, one type) as data, shared by the
 * providers, the plan, the journal and the TUI; plus the TXT quoting that
 * every DNS host API wants in its own dialect. */
#ifndef AW_RECORD_H
#define AW_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/strv.h"

/* Numbers as on the wire (RFC 1035 §3.2.2, RFC 3596 §2.1). */
enum aw_record_type {
	AW_RECORD_ANY = 0,      /* only as a question: every type at a name */
	AW_RECORD_A = 1,
	AW_RECORD_NS = 2,
	AW_RECORD_CNAME = 5,
	AW_RECORD_SOA = 6,
	AW_RECORD_PTR = 12,
	AW_RECORD_MX = 15,
	AW_RECORD_TXT = 16,
	AW_RECORD_AAAA = 28,
	AW_RECORD_SPF = 99,     /* obsolete (RFC 7208 §3.1); read, never written */
	AW_RECORD_OTHER = 65535 /* a type authwizard does not edit */
};

/* One record set. Values are in a host-neutral form:
 *   TXT         the character-strings joined, unquoted ("v=spf1 -all")
 *   CNAME, PTR, NS  the target, lower-case, no trailing dot
 *   A, AAAA     the address text
 *   MX          "PREF HOST" (host without trailing dot)
 *   other       the host's presentation text, as given */
struct aw_record {
	char *name;              /* owned; lower-case, no trailing dot */
	enum aw_record_type type;
	char *type_name;         /* owned; "TXT", or the host's word for OTHER */
	unsigned ttl;            /* seconds; 0: the host's default / automatic */
	struct aw_strv values;   /* owned; order kept as the host returned it */
};

/* A list of record sets (what a listing returned). */
struct aw_record_set {
	struct aw_record *v;     /* owned, each element owned */
	size_t n;
	size_t cap;
};

/* "TXT", "CNAME", ... ; "ANY" for AW_RECORD_ANY; "OTHER" for OTHER and
 * "TYPE?" for a number it does not know. Static, never NULL. */
const char *aw_record_type_name(enum aw_record_type type);
/* Case-insensitive; AW_RECORD_OTHER for any word it does not know. */
enum aw_record_type aw_record_type_parse(const char *word);

/* Zero-fills r, copies (and normalises) name. ttl 0: default. */
enum aw_status aw_record_init(struct aw_record *r, const char *name,
    enum aw_record_type type, unsigned ttl);
/* Like aw_record_init for a type given by its word (OTHER kept by name). */
enum aw_status aw_record_init_word(struct aw_record *r, const char *name,
    const char *type_word, unsigned ttl);
void aw_record_done(struct aw_record *r);
/* Deep copy into dst (which is initialised here). */
enum aw_status aw_record_copy(struct aw_record *dst, const struct aw_record *src);
/* Adds a value (copied) unless an equal one is there already. Targets of
 * CNAME/PTR/NS/MX are normalised (lower case, no trailing dot). */
enum aw_status aw_record_add(struct aw_record *r, const char *value);
/* Index of value in r->values (type-aware comparison), or -1. */
long aw_record_find(const struct aw_record *r, const char *value);
/* Same values as sets (order ignored); ttl not compared. */
bool aw_record_same_values(const struct aw_record *a, const struct aw_record *b);
/* True when both name the same owner and type. */
bool aw_record_same_key(const struct aw_record *a, const struct aw_record *b);

void aw_record_set_init(struct aw_record_set *s);
void aw_record_set_done(struct aw_record_set *s);
/* Appends a zero-filled record (then aw_record_init it); NULL on no memory. */
struct aw_record *aw_record_set_push(struct aw_record_set *s);
/* Moves r into s (r is zeroed); on failure r is left to the caller. */
enum aw_status aw_record_set_take(struct aw_record_set *s, struct aw_record *r);
/* The record set of name and type, or NULL. Borrowed. */
const struct aw_record *aw_record_set_find(const struct aw_record_set *s,
    const char *name, enum aw_record_type type);
struct aw_record *aw_record_set_find_mut(struct aw_record_set *s,
    const char *name, enum aw_record_type type);
/* Removes every record set of name and type from s (freeing them). */
void aw_record_set_remove(struct aw_record_set *s, const char *name,
    enum aw_record_type type);

/* TXT in zone-file presentation: one or more "..." strings separated by a
 * space, each at most 255 bytes of data (RFC 1035 §3.3.14, §5.1); `"` and
 * `\` escaped with `\`. flags: AW_TXT_OCTAL writes bytes outside printable
 * ASCII as \ooo (Route 53); without it they pass as they are (PowerDNS,
 * Cloudflare take UTF-8). Appends to out. */
#define AW_TXT_OCTAL 0x1
enum aw_status aw_record_txt_quote(struct aw_buf *out, const char *value,
    unsigned flags);
/* The reverse: "a" "b" -> "ab" with \" \\ and \DDD undone (\DDD decimal
 * as RFC 1035 §5.1; octal with AW_TXT_OCTAL, as Route 53 writes it). Text
 * that does not start with a quote is taken as it is (Cloudflare returns
 * old records unquoted). AW_ERR_INVALID on an unterminated string. The
 * caller frees *out. */
enum aw_status aw_record_txt_unquote(const char *content, unsigned flags,
    char **out, struct aw_error *err);

#endif
