/* mta-sts.c: MTA-STS record and policy parsing, mx pattern matching
 * (RFC 8461 §3.1, §3.2, §4.1). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/mta-sts.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"

/* Untrusted text is shown escaped and cut short in messages. */
#define SHOW_MAX 80

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

bool
aw_mta_sts_is_record(const char *txt, size_t len)
{
	size_t i = 7;

	if (len < 7 || memcmp(txt, "v=STSv1", 7) != 0)
		return false;
	while (i < len && is_wsp(txt[i]))
		i++;
	return i == len || txt[i] == ';';
}

void
aw_mta_sts_txt_init(struct aw_mta_sts_txt *r)
{
	memset(r, 0, sizeof *r);
}

void
aw_mta_sts_txt_done(struct aw_mta_sts_txt *r)
{
	free(r->id);
	aw_mta_sts_txt_init(r);
}

/* RFC 8461 §3.1: sts-field-name and sts-field-value. */
static bool
field_name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 32 || !isalnum((unsigned char)s[0]))
		return false;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

static bool
field_value_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=')
			return false;
	}
	return true;
}

static void
txt_bad(struct aw_findings *f, const char *what, size_t n)
{
	char *shown = aw_str_escape_dup(what, n, SHOW_MAX);

	aw_findings_add(f, AW_SEV_ERROR, "mta_sts.txt-syntax", "RFC 8461 §3.1",
	    _("the _mta-sts record has a malformed field \"%s\": senders ignore the record and with it the policy (RFC 8461 §3.1)"),
	    shown ? shown : "");
	free(shown);
}

enum aw_status
aw_mta_sts_txt_parse(const char *txt, size_t len, struct aw_mta_sts_txt *r,
    struct aw_findings *f)
{
	size_t i, start, end, eq;
	bool ok = true;

	r->valid = false;
	if (!aw_mta_sts_is_record(txt, len)) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.txt-syntax",
		    "RFC 8461 §3.1",
		    _("the _mta-sts record does not begin with \"v=STSv1;\" (RFC 8461 §3.1)"));
		return AW_OK;
	}
	i = 7;
	while (i < len) {
		while (i < len && is_wsp(txt[i]))
			i++;
		if (i == len)
			break;
		if (txt[i] != ';') {
			txt_bad(f, txt + i, len - i);
			ok = false;
			break;
		}
		i++;
		while (i < len && is_wsp(txt[i]))
			i++;
		if (i == len)
			break;              /* a trailing ';' is allowed */
		start = i;
		while (i < len && txt[i] != ';' && !is_wsp(txt[i]))
			i++;
		end = i;
		for (eq = start; eq < end && txt[eq] != '='; eq++)
			;
		if (eq == end || !field_name_ok(txt + start, eq - start) ||
		    !field_value_ok(txt + eq + 1, end - eq - 1)) {
			txt_bad(f, txt + start, end - start);
			ok = false;
			continue;
		}
		if (eq - start == 2 && memcmp(txt + start, "id", 2) == 0) {
			size_t k, n = end - eq - 1;
			bool alnum = n >= 1 && n <= 32;

			for (k = 0; alnum && k < n; k++)
				alnum = isalnum((unsigned char)txt[eq + 1 + k]);
			if (r->id != NULL) {
				aw_findings_add(f, AW_SEV_ERROR,
				    "mta_sts.txt-duplicate-id", "RFC 8461 §3.1",
				    _("the _mta-sts record has more than one id field"));
				ok = false;
			} else if (!alnum) {
				char *shown = aw_str_escape_dup(txt + eq + 1,
				    n, SHOW_MAX);

				aw_findings_add(f, AW_SEV_ERROR,
				    "mta_sts.txt-bad-id", "RFC 8461 §3.1",
				    _("the _mta-sts id \"%s\" is not 1 to 32 letters and digits (RFC 8461 §3.1)"),
				    shown ? shown : "");
				free(shown);
				ok = false;
			}
			if (r->id == NULL && (r->id = aw_str_trim_dup(txt +
			    eq + 1, n)) == NULL)
				return AW_ERR_NOMEM;
		}
	}
	if (r->id == NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.txt-no-id",
		    "RFC 8461 §3.1",
		    _("the _mta-sts record has no id field: senders ignore it (RFC 8461 §3.1)"));
		ok = false;
	}
	r->valid = ok;
	return AW_OK;
}

void
aw_mta_sts_policy_init(struct aw_mta_sts_policy *p)
{
	memset(p, 0, sizeof *p);
	aw_strv_init(&p->mx);
	p->max_age = -1;
}

void
aw_mta_sts_policy_done(struct aw_mta_sts_policy *p)
{
	free(p->version);
	aw_strv_done(&p->mx);
	aw_mta_sts_policy_init(p);
}

const char *
aw_mta_sts_mode_name(enum aw_mta_sts_mode m)
{
	switch (m) {
	case AW_MTA_STS_MODE_NONE:
		return "none";
	case AW_MTA_STS_MODE_TESTING:
		return "testing";
	case AW_MTA_STS_MODE_ENFORCE:
		return "enforce";
	case AW_MTA_STS_MODE_INVALID:
		return "invalid";
	default:
		return "";
	}
}

/* RFC 8461 §3.2: sts-policy-mx-value = ["*."] Domain. */
static bool
mx_pattern_ok(const char *v)
{
	if (strncmp(v, "*.", 2) == 0)
		v += 2;
	return *v != '\0' && strchr(v, '*') == NULL && strchr(v, '_') == NULL &&
	    aw_domain_valid(v) && strchr(v, '.') != NULL;
}

static void
policy_value(struct aw_findings *f, const char *code, const char *fmt,
    const char *v)
{
	char *shown = aw_str_escape_dup(v, strlen(v), SHOW_MAX);

	aw_findings_add(f, AW_SEV_ERROR, code, "RFC 8461 §3.2", fmt,
	    shown ? shown : "");
	free(shown);
}

/* One "key: value" line (the value trimmed). */
static enum aw_status
policy_field(struct aw_mta_sts_policy *p, struct aw_findings *f,
    const char *key, const char *v, unsigned *seen)
{
	char *end;
	long n;

	if (strcmp(key, "mx") == 0) {
		char *low = aw_domain_normalize(v);

		if (low == NULL)
			return AW_ERR_NOMEM;
		if (!mx_pattern_ok(low))
			policy_value(f, "mta_sts.policy-bad-mx",
			    _("the policy's mx pattern \"%s\" is not a host name or \"*.\" and a domain (RFC 8461 §3.2)"),
			    v);
		else if (aw_strv_push(&p->mx, low) != AW_OK) {
			free(low);
			return AW_ERR_NOMEM;
		}
		free(low);
		return AW_OK;
	}
	if (strcmp(key, "version") == 0 || strcmp(key, "mode") == 0 ||
	    strcmp(key, "max_age") == 0) {
		unsigned bit = key[0] == 'v' ? 1 : key[1] == 'o' ? 2 : 4;

		if (*seen & bit) {
			aw_findings_add(f, AW_SEV_WARNING,
			    "mta_sts.policy-duplicate", "RFC 8461 §3.2",
			    _("the policy gives \"%s\" more than once; only the first counts"),
			    key);
			return AW_OK;
		}
		*seen |= bit;
	}
	if (strcmp(key, "version") == 0) {
		if ((p->version = strdup(v)) == NULL)
			return AW_ERR_NOMEM;
	} else if (strcmp(key, "mode") == 0) {
		if (strcmp(v, "enforce") == 0)
			p->mode = AW_MTA_STS_MODE_ENFORCE;
		else if (strcmp(v, "testing") == 0)
			p->mode = AW_MTA_STS_MODE_TESTING;
		else if (strcmp(v, "none") == 0)
			p->mode = AW_MTA_STS_MODE_NONE;
		else {
			p->mode = AW_MTA_STS_MODE_INVALID;
			policy_value(f, "mta_sts.policy-mode",
			    _("the policy's mode \"%s\" is not enforce, testing or none (RFC 8461 §3.2)"),
			    v);
		}
	} else if (strcmp(key, "max_age") == 0) {
		errno = 0;
		n = strtol(v, &end, 10);
		if (!isdigit((unsigned char)v[0]) || *end != '\0' ||
		    strlen(v) > 10 || errno != 0 ||
		    n > AW_MTA_STS_MAX_AGE_MAX)
			policy_value(f, "mta_sts.policy-max-age",
			    _("the policy's max_age \"%s\" is not a number of seconds up to 31557600 (RFC 8461 §3.2)"),
			    v);
		else
			p->max_age = n;
	}
	/* Other keys are extensions: ignored (RFC 8461 §3.2). */
	return AW_OK;
}

/* The verdict once every line is read. */
static void
policy_judge(struct aw_mta_sts_policy *p, struct aw_findings *f)
{
	bool ok = true;

	if (p->version == NULL || strcmp(p->version, "STSv1") != 0) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-version",
		    "RFC 8461 §3.2",
		    _("the policy has no \"version: STSv1\" line (RFC 8461 §3.2)"));
		ok = false;
	}
	if (p->mode == AW_MTA_STS_MODE_UNSET)
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-mode",
		    "RFC 8461 §3.2",
		    _("the policy has no mode line (enforce, testing or none; RFC 8461 §3.2)"));
	if (p->mode == AW_MTA_STS_MODE_UNSET ||
	    p->mode == AW_MTA_STS_MODE_INVALID)
		ok = false;
	if (p->max_age < 0) {
		if (f != NULL && aw_findings_find(f,
		    "mta_sts.policy-max-age") == NULL)
			aw_findings_add(f, AW_SEV_ERROR,
			    "mta_sts.policy-max-age", "RFC 8461 §3.2",
			    _("the policy has no max_age line (RFC 8461 §3.2)"));
		ok = false;
	} else if (p->max_age < 86400) {
		aw_findings_add(f, AW_SEV_WARNING,
		    "mta_sts.policy-short-max-age", "RFC 8461 §3.2",
		    _("the policy's max_age is %ld seconds, under a day: senders keep it only that long (weeks are usual; RFC 8461 §3.2)"),
		    p->max_age);
	}
	if (p->mx.n == 0 && p->mode != AW_MTA_STS_MODE_NONE) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-no-mx",
		    "RFC 8461 §3.2",
		    _("the policy names no mx pattern: with mode enforce or testing no MX host can match (RFC 8461 §3.2)"));
		ok = false;
	}
	if (p->mode == AW_MTA_STS_MODE_TESTING)
		aw_findings_add(f, AW_SEV_NOTE, "mta_sts.mode-testing",
		    "RFC 8461 §5",
		    _("mode testing: senders report TLS failures (with TLS-RPT) but still deliver; switch to enforce once the reports are clean"));
	else if (p->mode == AW_MTA_STS_MODE_NONE)
		aw_findings_add(f, AW_SEV_WARNING, "mta_sts.mode-none",
		    "RFC 8461 §5",
		    _("mode none: the policy protects nothing (it is how a domain withdraws MTA-STS)"));
	p->valid = ok;
}

enum aw_status
aw_mta_sts_policy_parse(const char *body, size_t len,
    struct aw_mta_sts_policy *p, struct aw_findings *f)
{
	size_t i = 0, nbad = 0;
	unsigned seen = 0;
	enum aw_status st = AW_OK;

	if (memchr(body, '\0', len) != NULL) {
		aw_findings_add(f, AW_SEV_ERROR, "mta_sts.policy-binary",
		    "RFC 8461 §3.2",
		    _("the policy holds NUL bytes: it is no text file"));
		p->valid = false;
		return AW_OK;
	}
	while (i < len && st == AW_OK) {
		size_t eol = i, colon;
		char *key, *val;

		while (eol < len && body[eol] != '\n')
			eol++;
		/* RFC 8461 §3.2: lines end in CRLF or LF. */
		colon = eol > i && body[eol - 1] == '\r' ? eol - 1 : eol;
		{
			size_t k = i, line_end = colon;

			while (k < line_end && body[k] != ':')
				k++;
			if (k == line_end) {
				size_t t = i;

				while (t < line_end && is_wsp(body[t]))
					t++;
				if (t < line_end && nbad++ == 0) {
					char *shown = aw_str_escape_dup(body + i,
					    line_end - i, SHOW_MAX);

					aw_findings_add(f, AW_SEV_WARNING,
					    "mta_sts.policy-line",
					    "RFC 8461 §3.2",
					    _("the policy line \"%s\" is not \"key: value\"; it is ignored"),
					    shown ? shown : "");
					free(shown);
				}
			} else {
				key = aw_str_trim_dup(body + i, k - i);
				val = aw_str_trim_dup(body + k + 1,
				    line_end - k - 1);
				if (key == NULL || val == NULL)
					st = AW_ERR_NOMEM;
				else
					st = policy_field(p, f, key, val, &seen);
				free(key);
				free(val);
			}
		}
		i = eol + 1;
	}
	if (st == AW_OK)
		policy_judge(p, f);
	return st;
}

bool
aw_mta_sts_mx_match(const char *pattern, const char *host)
{
	char *pat = aw_domain_normalize(pattern), *h = aw_domain_normalize(host);
	bool match = false;

	if (pat == NULL || h == NULL)
		goto done;
	if (strncmp(pat, "*.", 2) == 0) {
		/* RFC 8461 §4.1: the wildcard is the leftmost label only and
		 * matches exactly one label. */
		const char *dot = strchr(h, '.');

		match = dot != NULL && dot != h &&
		    strcmp(dot + 1, pat + 2) == 0;
	} else {
		match = strcmp(pat, h) == 0;
	}
done:
	free(pat);
	free(h);
	return match;
}

/* ---- building ---- */

enum aw_status
aw_mta_sts_policy_build(enum aw_mta_sts_mode mode, const struct aw_strv *mx,
    long max_age, char **out, struct aw_error *err)
{
	struct aw_buf b;
	size_t i;

	*out = NULL;
	if (mode != AW_MTA_STS_MODE_NONE && mode != AW_MTA_STS_MODE_TESTING &&
	    mode != AW_MTA_STS_MODE_ENFORCE)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the policy's mode must be enforce, testing or none (RFC 8461 §3.2)"));
	if (max_age < 0 || max_age > AW_MTA_STS_MAX_AGE_MAX)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the policy's max_age must be 0 to 31557600 seconds (RFC 8461 §3.2)"));
	if (mode != AW_MTA_STS_MODE_NONE && (mx == NULL || mx->n == 0))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("the policy needs at least one mx pattern: the domain's MX hosts (RFC 8461 §3.2)"));
	for (i = 0; mx != NULL && i < mx->n; i++) {
		char *low = aw_domain_normalize(mx->v[i]);
		bool ok = low != NULL && mx_pattern_ok(low);

		free(low);
		if (!ok) {
			char *shown = aw_str_escape_dup(mx->v[i],
			    strlen(mx->v[i]), SHOW_MAX);

			aw_error_set(err, AW_ERR_INVALID,
			    _("the policy's mx pattern \"%s\" is not a host name or \"*.\" and a domain (RFC 8461 §3.2)"),
			    shown ? shown : "");
			free(shown);
			return AW_ERR_INVALID;
		}
	}
	aw_buf_init(&b);
	aw_buf_printf(&b, "version: STSv1\r\nmode: %s\r\n",
	    aw_mta_sts_mode_name(mode));
	for (i = 0; mx != NULL && i < mx->n; i++) {
		char *low = aw_domain_normalize(mx->v[i]);

		aw_buf_printf(&b, "mx: %s\r\n", low ? low : "");
		free(low);
	}
	aw_buf_printf(&b, "max_age: %ld\r\n", max_age);
	if ((*out = aw_buf_steal(&b)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

void
aw_mta_sts_mx_patterns(const struct aw_strv *mx_hosts, struct aw_strv *out)
{
	size_t i;

	for (i = 0; i < mx_hosts->n; i++) {
		char *low = aw_domain_normalize(mx_hosts->v[i]);

		if (low != NULL && mx_pattern_ok(low) && aw_strv_find(out, low) < 0)
			aw_strv_push(out, low);
		free(low);
	}
}

void
aw_mta_sts_id_make(long long t, char *out, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (size == 0)
		return;
	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, size, "%Y%m%d%H%M%S", &tm) == 0)
		snprintf(out, size, "%lld", t < 0 ? 0 : t);
}

bool
aw_mta_sts_id_valid(const char *id)
{
	size_t i, n = id != NULL ? strlen(id) : 0;

	if (n < 1 || n > 32)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]))
			return false;
	return true;
}

enum aw_status
aw_mta_sts_record_build(const char *id, char **out, struct aw_error *err)
{
	*out = NULL;
	if (!aw_mta_sts_id_valid(id))
		return aw_error_set(err, AW_ERR_INVALID,
		    _("an MTA-STS id is 1 to 32 letters and digits (RFC 8461 §3.1)"));
	if (asprintf(out, "v=STSv1; id=%s", id) < 0) {
		*out = NULL;
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	return AW_OK;
}

char *
aw_mta_sts_record_id(const char *txt)
{
	struct aw_mta_sts_txt r;
	struct aw_findings f;
	char *id = NULL;

	if (txt == NULL || !aw_mta_sts_is_record(txt, strlen(txt)))
		return NULL;
	aw_mta_sts_txt_init(&r);
	aw_findings_init(&f);
	if (aw_mta_sts_txt_parse(txt, strlen(txt), &r, &f) == AW_OK &&
	    r.valid && r.id != NULL) {
		id = r.id;
		r.id = NULL;
	}
	aw_findings_done(&f);
	aw_mta_sts_txt_done(&r);
	return id;
}

static bool
patterns_within(const struct aw_strv *a, const struct aw_strv *b)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (aw_strv_find(b, a->v[i]) < 0)
			return false;
	return true;
}

bool
aw_mta_sts_policy_same(const struct aw_mta_sts_policy *a,
    const struct aw_mta_sts_policy *b)
{
	return a->version != NULL && b->version != NULL &&
	    strcmp(a->version, b->version) == 0 && a->mode == b->mode &&
	    a->max_age == b->max_age && patterns_within(&a->mx, &b->mx) &&
	    patterns_within(&b->mx, &a->mx);
}

bool
aw_mta_sts_enforce_ready(const struct aw_mta_sts_detail *d)
{
	return d != NULL && d->nrecords == 1 && d->txt.valid && d->fetched &&
	    d->policy.valid && d->policy.mode == AW_MTA_STS_MODE_TESTING &&
	    d->mx_hosts.n > 0 && d->mx_covered;
}

enum aw_mta_sts_id_change
aw_mta_sts_id_compare(const char *name, const char *old_value,
    const char *new_value, char **old_id, char **new_id)
{
	bool old_sts = old_value != NULL &&
	    aw_mta_sts_is_record(old_value, strlen(old_value));
	bool new_sts = new_value != NULL &&
	    aw_mta_sts_is_record(new_value, strlen(new_value));

	*old_id = *new_id = NULL;
	if (name == NULL || aw_strncasecmp(name, "_mta-sts.", 9) != 0 ||
	    (!old_sts && !new_sts))
		return AW_MTA_STS_ID_NONE;
	*old_id = old_sts ? aw_mta_sts_record_id(old_value) : NULL;
	*new_id = new_sts ? aw_mta_sts_record_id(new_value) : NULL;
	if (!new_sts)
		return AW_MTA_STS_ID_GONE;
	if (!old_sts)
		return AW_MTA_STS_ID_NEW;
	if (*old_id != NULL && *new_id != NULL && strcmp(*old_id, *new_id) == 0)
		return AW_MTA_STS_ID_SAME;
	return AW_MTA_STS_ID_CHANGED;
}
