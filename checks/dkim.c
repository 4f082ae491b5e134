/* dkim.c: DKIM key records: the tag list (RFC 6376 §3.2), the key record
 * rules (RFC 6376 §3.6.1, RFC 8301, RFC 8463), and building records for
 * new keys. */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dkim.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* A key record is never this long (a 16384-bit key is ~2.8 kB). */
#define DKIM_RECORD_MAX 8192
#define DKIM_TAGS_MAX 64

void
aw_dkim_key_init(struct aw_dkim_key *key)
{
	memset(key, 0, sizeof *key);
	aw_strv_init(&key->hashes);
	aw_strv_init(&key->services);
	aw_strv_init(&key->flags);
}

void
aw_dkim_key_done(struct aw_dkim_key *key)
{
	free(key->k);
	free(key->p);
	free(key->key);
	free(key->notes);
	aw_strv_done(&key->hashes);
	aw_strv_done(&key->services);
	aw_strv_done(&key->flags);
	memset(key, 0, sizeof *key);
}

const char *
aw_dkim_key_type_name(enum aw_dkim_key_type t)
{
	switch (t) {
	case AW_DKIM_KEY_RSA:
		return "rsa";
	case AW_DKIM_KEY_ED25519:
		return "ed25519";
	default:
		return "unknown";
	}
}

enum aw_dkim_key_type
aw_dkim_key_type_from_name(const char *s)
{
	if (aw_strcasecmp(s, "rsa") == 0)
		return AW_DKIM_KEY_RSA;
	if (aw_strcasecmp(s, "ed25519") == 0)
		return AW_DKIM_KEY_ED25519;
	return AW_DKIM_KEY_UNKNOWN;
}

/* Splits "a:b : c" into sv (RFC 6376 §3.6.1 colon-separated lists). */
static void
split_colons(const char *v, struct aw_strv *sv)
{
	const char *p = v, *end;

	while (sv->n < DKIM_TAGS_MAX) {
		char *item;

		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if ((item = aw_str_trim_dup(p, (size_t)(end - p))) != NULL) {
			if (item[0] != '\0')
				aw_strv_take(sv, item);
			else
				free(item);
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
}

static bool
tag_name_ok(const char *t)
{
	/* RFC 6376 §3.2: tag-name = ALPHA *ALNUMPUNC. */
	if (!isalpha((unsigned char)*t))
		return false;
	for (t++; *t; t++)
		if (!isalnum((unsigned char)*t) && *t != '_')
			return false;
	return true;
}

/* A bulk check meets the same key again and again (an ESP's key in many
 * customers' records); parsing a 2048-bit RSA key is most of a key
 * record's cost. Remembered by the key's bytes: the last parse of each of
 * KEY_CACHE_SLOTS hash slots (a slot holds one key; a new key overwrites
 * it). Single-threaded like the rest of checks/. */
#define KEY_CACHE_SLOTS 64
#define KEY_CACHE_DER_MAX 1024    /* a 4096-bit SPKI is ~550 bytes */

struct key_cache_slot {
	unsigned char der[KEY_CACHE_DER_MAX];
	size_t len;                   /* 0: empty */
	enum aw_dkim_key_type type;
	enum aw_status st;
	unsigned bits;
	char msg[AW_ERROR_MSG_MAX];
};

static struct key_cache_slot key_cache[KEY_CACHE_SLOTS];

static struct key_cache_slot *
key_cache_slot(enum aw_dkim_key_type type, const unsigned char *der,
    size_t len)
{
	uint32_t h = 2166136261u;     /* FNV-1a */
	size_t i;

	if (len == 0 || len > KEY_CACHE_DER_MAX)
		return NULL;
	for (i = 0; i < len; i++)
		h = (h ^ der[i]) * 16777619u;
	h ^= (uint32_t)type;
	return &key_cache[h % KEY_CACHE_SLOTS];
}

/* aw_dkim_pubkey_bits, remembered (see key_cache). */
static enum aw_status
pubkey_bits_cached(enum aw_dkim_key_type type, const unsigned char *der,
    size_t len, unsigned *bits, struct aw_error *err)
{
	struct key_cache_slot *slot = key_cache_slot(type, der, len);
	enum aw_status st;

	if (slot != NULL && slot->len == len && slot->type == type &&
	    memcmp(slot->der, der, len) == 0) {
		*bits = slot->bits;
		if (slot->st != AW_OK)
			aw_error_set(err, slot->st, "%s", slot->msg);
		return slot->st;
	}
	st = aw_dkim_pubkey_bits(type, der, len, bits, err);
	if (slot != NULL) {
		memcpy(slot->der, der, len);
		slot->len = len;
		slot->type = type;
		slot->st = st;
		slot->bits = *bits;
		snprintf(slot->msg, sizeof slot->msg, "%s",
		    st != AW_OK ? err->msg : "");
	}
	return st;
}

static void
judge_key_bytes(struct aw_dkim_key *key, struct aw_findings *f)
{
	struct aw_error err;

	aw_error_clear(&err);
	if (key->type == AW_DKIM_KEY_RSA &&
	    key->keylen == AW_DKIM_ED25519_KEY_LEN) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.key-type-mismatch", "RFC 8463 §4.2",
		    _("p= holds 32 bytes, an Ed25519 key, but k= says rsa (or is missing): add k=ed25519 (RFC 8463 §4.2)"));
		return;
	}
	if (pubkey_bits_cached(key->type, key->key, key->keylen, &key->bits,
	    &err) != AW_OK) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.key-unusable", "RFC 6376 §3.6.1",
		    _("p= is not a usable %s public key: %s (RFC 6376 §3.6.1)"),
		    aw_dkim_key_type_name(key->type), err.msg);
		return;
	}
	if (key->type == AW_DKIM_KEY_ED25519) {
		key->usable = true;
		aw_findings_add(f, AW_SEV_NOTE, "dkim.key-ed25519-only", "RFC 8463",
		    _("Ed25519 key (RFC 8463); receivers that only know RSA ignore it, so sign with an RSA key too"));
		return;
	}
	/* RFC 8301 §3.2: at least 1024 bits, SHOULD 2048. */
	if (key->bits < AW_DKIM_RSA_MIN_BITS) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.key-too-short", "RFC 8301 §3.2",
		    _("RSA key of %u bits: keys under 1024 bits must not be used and verifiers reject them (RFC 8301 §3.2)"),
		    key->bits);
		return;
	}
	key->usable = true;
	if (key->bits < AW_DKIM_RSA_GOOD_BITS)
		aw_findings_add(f, AW_SEV_WARNING, "dkim.key-short", "RFC 8301 §3.2",
		    _("RSA key of %u bits: use 2048 bits (RFC 8301 §3.2 says signers SHOULD use at least 2048)"),
		    key->bits);
	else
		aw_findings_add(f, AW_SEV_NOTE, "dkim.key-size", "RFC 8301 §3.2",
		    _("RSA key of %u bits"), key->bits);
	if (key->bits > 2048)
		aw_findings_add(f, AW_SEV_NOTE, "dkim.key-large", NULL,
		    _("a key over 2048 bits makes answers over 512 bytes: resolvers need EDNS0 or TCP"));
}

static void
judge_p(struct aw_dkim_key *key, const char *value, struct aw_findings *f)
{
	const char *c;
	char *o;
	enum aw_status st;

	/* RFC 6376 §3.6.1: p= is base64 with FWS allowed anywhere. */
	if ((key->p = malloc(strlen(value) + 1)) == NULL)
		return;
	for (c = value, o = key->p; *c; c++)
		if (!aw_is_fws(*c))
			*o++ = *c;
	*o = '\0';
	if (key->p[0] == '\0') {
		/* RFC 6376 §3.6.1: an empty p= means the key was revoked. */
		key->revoked = true;
		aw_findings_add(f, AW_SEV_WARNING, "dkim.key-revoked", "RFC 6376 §3.6.1",
		    _("the key is revoked (empty p=): signatures with this selector fail (RFC 6376 §3.6.1)"));
		return;
	}
	if (strcspn(value, " \t\r\n") != strlen(value))
		aw_findings_add(f, AW_SEV_NOTE, "dkim.key-whitespace", "RFC 6376 §3.6.1",
		    _("p= holds whitespace; verifiers remove it (RFC 6376 §3.6.1)"));
	st = aw_dkim_base64_decode(key->p, &key->key, &key->keylen);
	if (st != AW_OK) {
		if (st == AW_ERR_INVALID)
			aw_findings_add(f, AW_SEV_ERROR, "dkim.key-base64", "RFC 6376 §3.6.1",
			    _("p= is not valid base64 (RFC 6376 §3.6.1, RFC 4648 §4)"));
		return;
	}
	if (key->type != AW_DKIM_KEY_UNKNOWN)
		judge_key_bytes(key, f);
}

enum aw_status
aw_dkim_key_parse(const char *txt, size_t len, struct aw_dkim_key *key,
    struct aw_findings *f)
{
	struct aw_strv seen;
	const char *p = txt, *end = txt + len, *semi, *eq;
	char *pval = NULL;
	bool have_p = false, bad = false;
	size_t ntags = 0, i;

	aw_strv_init(&seen);
	key->type = AW_DKIM_KEY_RSA;     /* RFC 6376 §3.6.1: k= default */
	if (len > DKIM_RECORD_MAX) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.record-too-long", NULL,
		    _("the key record is %zu bytes long: not a DKIM key"),
		    len);
		return AW_OK;
	}
	if (memchr(txt, '\0', len) != NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.record-nul", NULL,
		    _("the key record holds a NUL byte"));
		return AW_OK;
	}
	while (p < end) {
		char *tag, *value;

		semi = memchr(p, ';', (size_t)(end - p));
		if (semi == NULL)
			semi = end;
		eq = memchr(p, '=', (size_t)(semi - p));
		if (eq == NULL) {
			char *junk = aw_str_trim_dup(p, (size_t)(semi - p));

			/* RFC 6376 §3.2: a trailing ';' is allowed. */
			if (junk != NULL && junk[0] != '\0') {
				aw_findings_add(f, AW_SEV_ERROR, "dkim.tag-syntax", "RFC 6376 §3.2",
				    _("\"%s\" is not a tag=value pair (RFC 6376 §3.2)"),
				    junk);
				bad = true;
			}
			free(junk);
			p = semi + 1;
			continue;
		}
		tag = aw_str_trim_dup(p, (size_t)(eq - p));
		value = aw_str_trim_dup(eq + 1, (size_t)(semi - eq - 1));
		p = semi + 1;
		if (tag == NULL || value == NULL) {
			free(tag);
			free(value);
			aw_strv_done(&seen);
			free(pval);
			return AW_ERR_NOMEM;
		}
		ntags++;
		if (!tag_name_ok(tag)) {
			aw_findings_add(f, AW_SEV_ERROR, "dkim.tag-name", "RFC 6376 §3.2",
			    _("\"%s\" is not a valid tag name (RFC 6376 §3.2)"),
			    tag);
			bad = true;
			free(tag);
			free(value);
			continue;
		}
		/* RFC 6376 §3.2: a duplicated tag makes the list invalid. */
		if (aw_strv_find(&seen, tag) >= 0) {
			aw_findings_add(f, AW_SEV_ERROR, "dkim.tag-twice", "RFC 6376 §3.2",
			    _("tag %s= appears twice: the whole record is invalid (RFC 6376 §3.2)"),
			    tag);
			bad = true;
		}
		aw_strv_push(&seen, tag);
		if (strcmp(tag, "v") == 0) {
			key->v_present = true;
			/* RFC 6376 §3.6.1: if present, first, and DKIM1. */
			if (ntags != 1) {
				aw_findings_add(f, AW_SEV_ERROR, "dkim.version-not-first", "RFC 6376 §3.6.1",
				    _("v= must be the first tag of the key record (RFC 6376 §3.6.1)"));
				bad = true;
			}
			if (strcmp(value, "DKIM1") != 0) {
				aw_findings_add(f, AW_SEV_ERROR, "dkim.version", "RFC 6376 §3.6.1",
				    _("v=%s: the version must be DKIM1; verifiers discard this record (RFC 6376 §3.6.1)"),
				    value);
				bad = true;
			}
		} else if (strcmp(tag, "k") == 0) {
			key->k_present = true;
			free(key->k);
			key->k = strdup(value);
			key->type = aw_dkim_key_type_from_name(value);
			if (key->type == AW_DKIM_KEY_UNKNOWN) {
				aw_findings_add(f, AW_SEV_ERROR, "dkim.key-type-unknown", "RFC 6376 §3.6.1",
				    _("k=%s: unknown key type; verifiers know rsa (RFC 6376 §3.6.1) and ed25519 (RFC 8463)"),
				    value);
				bad = true;
			}
		} else if (strcmp(tag, "p") == 0) {
			have_p = true;
			free(pval);
			pval = strdup(value);
		} else if (strcmp(tag, "h") == 0) {
			split_colons(value, &key->hashes);
		} else if (strcmp(tag, "s") == 0) {
			split_colons(value, &key->services);
		} else if (strcmp(tag, "t") == 0) {
			split_colons(value, &key->flags);
		} else if (strcmp(tag, "n") == 0) {
			free(key->notes);
			key->notes = strdup(value);
		} else {
			/* RFC 6376 §3.6.1: unknown tags are ignored. */
			aw_findings_add(f, AW_SEV_WARNING, "dkim.tag-unknown", "RFC 6376 §3.6.1",
			    _("unknown tag %s= (verifiers ignore it, RFC 6376 §3.6.1)"),
			    tag);
		}
		free(tag);
		free(value);
	}
	aw_strv_done(&seen);
	if (!key->v_present)
		aw_findings_add(f, AW_SEV_NOTE, "dkim.version-missing", "RFC 6376 §3.6.1",
		    _("no v=DKIM1 tag: allowed, it is the default (RFC 6376 §3.6.1)"));
	/* h=: RFC 8301 §3.1 forbids rsa-sha1. */
	if (key->hashes.n > 0) {
		bool sha256 = false;

		for (i = 0; i < key->hashes.n; i++) {
			if (strcmp(key->hashes.v[i], "sha256") == 0)
				sha256 = true;
			else if (strcmp(key->hashes.v[i], "sha1") == 0)
				aw_findings_add(f, AW_SEV_WARNING, "dkim.hash-sha1", "RFC 8301 §3.1",
				    _("h= lists sha1: it must not be used for signing or verifying (RFC 8301 §3.1)"));
			else
				aw_findings_add(f, AW_SEV_WARNING, "dkim.hash-unknown", "RFC 6376 §3.6.1",
				    _("h= lists unknown hash \"%s\" (RFC 6376 §3.6.1)"),
				    key->hashes.v[i]);
		}
		if (!sha256) {
			aw_findings_add(f, AW_SEV_ERROR, "dkim.hash-no-sha256", "RFC 8301 §3.1",
			    _("h= does not allow sha256: no signature with this key can be valid (RFC 8301 §3.1)"));
			bad = true;
		}
	}
	/* s=: "*" or "email" must be among them for mail. */
	if (key->services.n > 0 && aw_strv_find(&key->services, "*") < 0 &&
	    aw_strv_find(&key->services, "email") < 0) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.service-not-email", "RFC 6376 §3.6.1",
		    _("s= does not list email or *: the key may not be used for email (RFC 6376 §3.6.1)"));
		bad = true;
	}
	for (i = 0; i < key->flags.n; i++) {
		if (strcmp(key->flags.v[i], "y") == 0) {
			key->testing = true;
			aw_findings_add(f, AW_SEV_WARNING, "dkim.testing", "RFC 6376 §3.6.1",
			    _("t=y: testing mode; verifiers must not treat signed and unsigned mail differently (RFC 6376 §3.6.1). Remove it once signing works"));
		} else if (strcmp(key->flags.v[i], "s") == 0) {
			key->same_domain = true;
			aw_findings_add(f, AW_SEV_NOTE, "dkim.flag-strict", "RFC 6376 §3.6.1",
			    _("t=s: signatures must use exactly this domain in i=, not a subdomain (RFC 6376 §3.6.1)"));
		} else {
			aw_findings_add(f, AW_SEV_WARNING, "dkim.flag-unknown", "RFC 6376 §3.6.1",
			    _("t= lists unknown flag \"%s\" (ignored, RFC 6376 §3.6.1)"),
			    key->flags.v[i]);
		}
	}
	if (!have_p) {
		aw_findings_add(f, AW_SEV_ERROR, "dkim.key-missing-p", "RFC 6376 §3.6.1",
		    _("no p= tag: the public key is required (RFC 6376 §3.6.1)"));
		bad = true;
	} else if (pval != NULL) {
		judge_p(key, pval, f);
	}
	free(pval);
	if (bad)
		key->usable = false;
	return AW_OK;
}

char *
aw_dkim_record(enum aw_dkim_key_type type, const char *p_b64)
{
	char *out;

	if (asprintf(&out, "v=DKIM1; k=%s; p=%s", aw_dkim_key_type_name(type),
	    p_b64) < 0)
		return NULL;
	return out;
}

enum aw_status
aw_dkim_txt_split(const char *text, size_t max, struct aw_strv *out)
{
	size_t len = strlen(text), off = 0, n;

	if (max == 0 || max > AW_DKIM_TXT_STRING_MAX)
		max = AW_DKIM_TXT_STRING_MAX;
	do {
		char *part;

		n = len - off > max ? max : len - off;
		if ((part = malloc(n + 1)) == NULL)
			return AW_ERR_NOMEM;
		memcpy(part, text + off, n);
		part[n] = '\0';
		if (aw_strv_take(out, part) != AW_OK)
			return AW_ERR_NOMEM;
		off += n;
	} while (off < len);
	return AW_OK;
}

char *
aw_dkim_zone_line(const char *selector, const char *domain, unsigned ttl,
    const char *record)
{
	struct aw_strv parts;
	struct aw_buf b;
	size_t i;

	aw_strv_init(&parts);
	aw_buf_init(&b);
	if (aw_dkim_txt_split(record, 0, &parts) != AW_OK) {
		aw_strv_done(&parts);
		return NULL;
	}
	aw_buf_printf(&b, "%s._domainkey.%s. %u IN TXT (", selector, domain,
	    ttl);
	for (i = 0; i < parts.n; i++)
		aw_buf_printf(&b, " \"%s\"", parts.v[i]);   /* base64: no quoting needed */
	aw_buf_puts(&b, " )");
	aw_strv_done(&parts);
	return aw_buf_steal(&b);
}
