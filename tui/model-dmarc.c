/* model-dmarc.c: the DMARC step: the record by checks/dmarc.h's builder, the report
 * addresses judged there, and the step's keys. */
#include "config.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "checks/dmarc.h"
#include "checks/mx.h"
#include "checks/ptr.h"
#include "checks/spf-build.h"
#include "checks/spf-terms.h"
#include "checks/spf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

/* ---- DMARC ---- */


void
tm_field_words(const char *text, struct aw_strv *out)
{
	const char *p = text, *e;

	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return;
		for (e = p; *e != '\0' && *e != ',' && *e != ' ' && *e != '\t'; e++)
			;
		{
			char *w = strndup(p, (size_t)(e - p));

			if (w != NULL)
				aw_strv_take(out, w);
		}
		p = e;
	}
}

/* The addresses of one field that the DMARC builder takes (RFC 9989
 * §4.7 rua/ruf URIs: checks/dmarc.h judges each) into ok; the first it
 * refuses sets *bad (its message, translated). External destinations
 * warn: RFC 9990 §3 authorization. */
static void
dmarc_field(struct aw_tui_model *m, const struct aw_tui_field *f,
    const char *tag, struct aw_strv *ok, char **bad)
{
	struct aw_strv words;
	size_t i;

	aw_strv_init(&words);
	tm_field_words(f->text, &words);
	for (i = 0; i < words.n; i++) {
		const char *one[1] = { words.v[i] };
		struct aw_dmarc_build db;
		struct aw_error err;
		char *rec = NULL;
		const char *addr = words.v[i], *at;

		memset(&db, 0, sizeof db);
		db.p = AW_DMARC_NONE;
		if (strcmp(tag, "rua") == 0)
			db.rua = one, db.nrua = 1;
		else
			db.ruf = one, db.nruf = 1;
		aw_error_clear(&err);
		if (aw_dmarc_build(&db, &rec, &err) != AW_OK) {
			if (*bad == NULL)
				*bad = aw_strdup(err.msg);
			continue;
		}
		free(rec);
		aw_strv_push(ok, addr);
		if (aw_str_has_prefix_ci(addr, "mailto:"))
			addr += 7;
		at = strrchr(addr, '@');
		if (at != NULL && !aw_domain_is_under(at + 1, m->domain)) {
			char *name = aw_dmarc_report_auth_name(m->domain, at + 1);

			aw_strv_pushf(&m->dmarc_warnings,
			    _("%s goes to another domain: %s must publish a TXT record \"v=DMARC1\" at %s (RFC 9990 §3)"),
			    addr, at + 1, name ? name : "");
			free(name);
		}
	}
	aw_strv_done(&words);
}

/* The record by the builder of checks/dmarc.h (RFC 9989 §4.7 tags). An
 * address the builder refuses stays in its field with the message beside
 * it (m->dmarc_field_error) and keeps the step (dmarc_key). */
void
tm_dmarc_rebuild(struct aw_tui_model *m)
{
	static const enum aw_dmarc_policy pol[] = {
		[AW_TUI_DMARC_NONE] = AW_DMARC_NONE,
		[AW_TUI_DMARC_QUARANTINE] = AW_DMARC_QUARANTINE,
		[AW_TUI_DMARC_REJECT] = AW_DMARC_REJECT,
	};
	struct aw_dmarc_build db;
	struct aw_strv rua_v, ruf_v;
	struct aw_error err;
	char *rec = NULL;

	aw_strv_done(&m->dmarc_warnings);
	free(m->dmarc_field_error[0]);
	free(m->dmarc_field_error[1]);
	m->dmarc_field_error[0] = m->dmarc_field_error[1] = NULL;
	if (m->domain == NULL)
		return;
	aw_strv_init(&rua_v);
	aw_strv_init(&ruf_v);
	dmarc_field(m, &m->dmarc_rua, "rua", &rua_v, &m->dmarc_field_error[0]);
	dmarc_field(m, &m->dmarc_ruf, "ruf", &ruf_v, &m->dmarc_field_error[1]);
	memset(&db, 0, sizeof db);
	db.p = pol[m->dmarc_policy];
	db.rua = (const char *const *)rua_v.v;
	db.nrua = rua_v.n;
	db.ruf = (const char *const *)ruf_v.v;
	db.nruf = ruf_v.n;
	aw_error_clear(&err);
	if (aw_dmarc_build(&db, &rec, &err) != AW_OK) {
		aw_strv_push(&m->dmarc_warnings, err.msg);
		rec = NULL;
	}
	if (rua_v.n == 0 && m->dmarc_field_error[0] == NULL)
		aw_strv_push(&m->dmarc_warnings,
		    _("no report address: you will not see who sends as your domain before tightening the policy"));
	aw_strv_done(&rua_v);
	aw_strv_done(&ruf_v);
	if (rec != NULL) {
		free(m->dmarc_draft);
		m->dmarc_draft = rec;
	}
	if (m->dmarc_staged.n == 0)
		aw_dmarc_staged_path(&m->dmarc_staged);
}

/* The policy and addresses of the published record (parsed by
 * checks/dmarc.h), if any. */
void
tm_dmarc_prefill(struct aw_tui_model *m)
{
	struct aw_dmarc_record r;
	struct aw_findings f;
	struct aw_buf b;
	size_t i;

	if (m->cur_dmarc.n != 1) {
		char *def = NULL;

		if (asprintf(&def, "dmarc-reports@%s", m->domain) >= 0)
			tm_field_set(&m->dmarc_rua, def);
		free(def);
		tm_dmarc_rebuild(m);
		return;
	}
	aw_dmarc_record_init(&r);
	aw_findings_init(&f);
	aw_buf_init(&b);
	if (aw_dmarc_parse(m->cur_dmarc.v[0], strlen(m->cur_dmarc.v[0]), &r,
	    &f) == AW_OK) {
		if (r.p == AW_DMARC_QUARANTINE)
			m->dmarc_policy = AW_TUI_DMARC_QUARANTINE;
		else if (r.p == AW_DMARC_REJECT)
			m->dmarc_policy = AW_TUI_DMARC_REJECT;
		else
			m->dmarc_policy = AW_TUI_DMARC_NONE;
		for (i = 0; i < r.nrua; i++)
			aw_buf_printf(&b, "%s%s", b.len ? ", " : "",
			    r.rua[i].address ? r.rua[i].address : r.rua[i].uri);
	}
	tm_field_set(&m->dmarc_rua, b.len ? aw_buf_str(&b) : "");
	aw_buf_done(&b);
	aw_findings_done(&f);
	aw_dmarc_record_done(&r);
	tm_dmarc_rebuild(m);
}

unsigned
tm_dmarc_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (ev->type == AW_EV_NEXT) {
		/* Issue 13: an address that does not parse keeps the step,
		 * the message beside its field, nothing typed dropped. */
		tm_dmarc_rebuild(m);
		if (m->dmarc_field_error[0] != NULL ||
		    m->dmarc_field_error[1] != NULL) {
			m->focus = m->dmarc_field_error[0] != NULL ?
			    AW_FOCUS_FIELD1 : AW_FOCUS_FIELD2;
			tm_set_error(m, m->dmarc_field_error[m->focus == AW_FOCUS_FIELD1 ? 0 : 1]);
			return AW_FX_REDRAW;
		}
		return tm_step(m, +1);
	}
	if (m->focus != AW_FOCUS_LIST)
		return AW_FX_NONE;
	switch (ev->type) {
	case AW_EV_UP:
	case AW_EV_LEFT:
		if (m->dmarc_policy > AW_TUI_DMARC_NONE)
			m->dmarc_policy--;
		tm_dmarc_rebuild(m);
		return AW_FX_REDRAW;
	case AW_EV_DOWN:
	case AW_EV_RIGHT:
		if (m->dmarc_policy < AW_TUI_DMARC_REJECT)
			m->dmarc_policy++;
		tm_dmarc_rebuild(m);
		return AW_FX_REDRAW;
	case AW_EV_BACK:
		return tm_step(m, -1);
	default:
		return AW_FX_NONE;
	}
}

/* ---- the screen ---- */

static unsigned
dmarc_enter(struct aw_tui_model *m)
{
	if (m->dmarc_draft == NULL)
		tm_dmarc_prefill(m);
	tm_dmarc_rebuild(m);
	return AW_FX_NONE;
}

static struct aw_tui_field *
dmarc_focused(struct aw_tui_model *m)
{
	return m->focus == AW_FOCUS_FIELD1 ? &m->dmarc_rua :
	    m->focus == AW_FOCUS_FIELD2 ? &m->dmarc_ruf : NULL;
}

static int
dmarc_nfields(const struct aw_tui_model *m)
{
	(void)m;
	return 2;
}

const struct tm_screen tm_screen_dmarc = {
	dmarc_enter, tm_dmarc_key, dmarc_focused, dmarc_nfields
};
