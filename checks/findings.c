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
	for (i = 0; i < f->nlookups; i++)
		free(f->lookups[i].name);
	free(f->lookups);
	memset(f, 0, sizeof *f);
}

static int
severity(enum aw_check_status s)
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
	if (severity(s) > severity(f->status))
		f->status = s;
}

static void
vpush(struct aw_strv *sv, const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) >= 0)
		aw_strv_take(sv, s);
}

void
aw_findings_error(struct aw_findings *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpush(&f->errors, fmt, ap);
	va_end(ap);
	aw_findings_raise(f, AW_CHECK_ERROR);
}

void
aw_findings_warn(struct aw_findings *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpush(&f->warnings, fmt, ap);
	va_end(ap);
	aw_findings_raise(f, AW_CHECK_WARNING);
}

void
aw_findings_note(struct aw_findings *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpush(&f->notes, fmt, ap);
	va_end(ap);
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
		aw_findings_error(f, _("%s %s: %s"), aw_rrtype_name(ans->qtype),
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
