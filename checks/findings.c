/* findings.c: collecting what a check concluded. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/findings.h"
#include "core/i18n.h"

void
aw_findings_init(struct aw_findings *f)
{
	memset(f, 0, sizeof *f);
	aw_strv_init(&f->records);
	aw_strv_init(&f->errors);
	aw_strv_init(&f->warnings);
	aw_strv_init(&f->notes);
}

void
aw_findings_done(struct aw_findings *f)
{
	size_t i;

	aw_strv_done(&f->records);
	aw_strv_done(&f->errors);
	aw_strv_done(&f->warnings);
	aw_strv_done(&f->notes);
	for (i = 0; i < f->nitems; i++)
		free(f->items[i].message);
	free(f->items);
	for (i = 0; i < f->nlookups; i++)
		free(f->lookups[i].name);
	free(f->lookups);
	memset(f, 0, sizeof *f);
}

int
aw_check_status_rank(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_PENDING: return 0;
	case AW_CHECK_OK: return 1;
	case AW_CHECK_MISSING: return 2;
	case AW_CHECK_WARNING: return 3;
	case AW_CHECK_ERROR: return 4;
	}
	return 0;
}

void
aw_findings_raise(struct aw_findings *f, enum aw_check_status s)
{
	if (aw_check_status_rank(s) > aw_check_status_rank(f->status))
		f->status = s;
}

static void
vadd(struct aw_findings *f, enum aw_severity sev, const char *code,
    const char *rfc, const char *fmt, va_list ap)
{
	struct aw_finding *grown, *it;
	struct aw_strv *sv;
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return;
	sv = sev == AW_SEV_ERROR ? &f->errors :
	    sev == AW_SEV_WARNING ? &f->warnings : &f->notes;
	grown = realloc(f->items, (f->nitems + 1) * sizeof *grown);
	if (grown != NULL) {
		f->items = grown;
		it = &f->items[f->nitems];
		it->code = code;
		it->severity = sev;
		it->rfc = rfc;
		it->message = strdup(s);
		if (it->message != NULL)
			f->nitems++;
	}
	aw_strv_take(sv, s);
	if (sev == AW_SEV_ERROR)
		aw_findings_raise(f, AW_CHECK_ERROR);
	else if (sev == AW_SEV_WARNING)
		aw_findings_raise(f, AW_CHECK_WARNING);
}

void
aw_findings_add(struct aw_findings *f, enum aw_severity sev,
    const char *code, const char *rfc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(f, sev, code, rfc, fmt, ap);
	va_end(ap);
}

const struct aw_finding *
aw_findings_find(const struct aw_findings *f, const char *code)
{
	size_t i;

	for (i = 0; i < f->nitems; i++)
		if (strcmp(f->items[i].code, code) == 0)
			return &f->items[i];
	return NULL;
}

const char *
aw_severity_name(enum aw_severity s)
{
	switch (s) {
	case AW_SEV_NOTE: return "note";
	case AW_SEV_WARNING: return "warning";
	case AW_SEV_ERROR: return "error";
	}
	return "note";
}

void
aw_findings_lookup(struct aw_findings *f, const struct aw_dns_answer *ans)
{
	struct aw_lookup_note *grown, *n;

	grown = realloc(f->lookups, (f->nlookups + 1) * sizeof *grown);
	if (grown == NULL)
		return;
	f->lookups = grown;
	n = &f->lookups[f->nlookups];
	n->name = strdup(ans->qname);
	if (n->name == NULL)
		return;
	n->type = ans->qtype;
	n->result = ans->result;
	n->count = aw_dns_answer_count(ans, ans->qtype);
	f->nlookups++;
	if (aw_dns_result_is_failure(ans->result)) {
		f->dns_failure = true;
		aw_findings_add(f, AW_SEV_ERROR, "dns.failure", "RFC 7208 §2.6.6",
		    _("%s %s: %s"), aw_record_type_name(ans->qtype),
		    ans->qname, aw_dns_result_text(ans->result));
	}
}

const char *
aw_check_status_name(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_PENDING: return "pending";
	case AW_CHECK_OK: return "ok";
	case AW_CHECK_WARNING: return "warning";
	case AW_CHECK_ERROR: return "error";
	case AW_CHECK_MISSING: return "missing";
	}
	return "pending";
}

const char *
aw_check_status_text(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_PENDING: return _("checking");
	case AW_CHECK_OK: return _("ok");
	case AW_CHECK_WARNING: return _("warning");
	case AW_CHECK_ERROR: return _("error");
	case AW_CHECK_MISSING: return _("missing");
	}
	return "";
}
