/* model-mtasts.c: the MTA-STS step: what the check found at _mta-sts and
 * _smtp._tls, the policy built by checks/mta-sts.h (testing first;
 * enforce once the testing policy is served and covers every MX host),
 * the policy file the user hosts, the two TXT records the plan adds (a
 * fresh id each time the policy changes), and the recheck's fetch of the
 * policy. No I/O: main writes the file (AW_FX_WRITE_POLICY) and fetches
 * (AW_FX_FETCH_POLICY). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/mta-sts.h"
#include "checks/tls-rpt.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/str.h"
#include "tui/model-int.h"

#define STS_PREFIX "_mta-sts."
#define TLS_PREFIX "_smtp._tls."

static long long
clock_now(void)
{
	return (long long)time(NULL);
}

/* What the check says about the domain goes (a new domain, the model
 * freed); the clock stays. */
void
tm_mtasts_done(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	long long (*now)(void) = s->now;

	aw_strv_done(&s->cur);
	aw_strv_done(&s->mx_hosts);
	aw_strv_done(&s->uncovered);
	aw_strv_done(&s->cur_tls);
	free(s->cur_id);
	free(s->policy);
	free(s->policy_url);
	free(s->id);
	free(s->id_for);
	free(s->record);
	free(s->tls_record);
	free(s->build_error);
	free(s->written);
	free(s->written_path);
	free(s->served_why);
	memset(s, 0, sizeof *s);
	s->now = now;
	s->served = -1;
}

/* The lookup of name in f answered (NXDOMAIN and NODATA are answers). */
static bool
lookup_failed(const struct aw_findings *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->nlookups; i++)
		if (f->lookups[i].type == AW_RECORD_TXT &&
		    aw_domain_equal(f->lookups[i].name, name))
			return aw_dns_result_is_failure(f->lookups[i].result);
	return f->dns_failure;
}

static void
strv_copy(struct aw_strv *dst, const struct aw_strv *src)
{
	size_t i;

	aw_strv_done(dst);
	for (i = 0; i < src->n; i++)
		aw_strv_push(dst, src->v[i]);
}

void
tm_mtasts_on_section(struct aw_tui_model *m, const struct aw_section *sec)
{
	struct aw_tui_mtasts *s = &m->mtasts;

	if (strcmp(sec->area, "mta_sts") == 0 && sec->detail != NULL) {
		const struct aw_mta_sts_detail *d = sec->detail;

		s->seen = true;
		s->unread = lookup_failed(&sec->f, sec->name);
		strv_copy(&s->cur, &sec->f.records);
		tm_set_str(&s->cur_id, d->nrecords == 1 && d->txt.valid ?
		    d->txt.id : NULL);
		s->cur_fetched = d->fetched;
		s->cur_mode = (int)d->policy.mode;
		s->enforce_ready = aw_mta_sts_enforce_ready(d);
		strv_copy(&s->mx_hosts, &d->mx_hosts);
		strv_copy(&s->uncovered, &d->uncovered);
	} else if (strcmp(sec->area, "tls_rpt") == 0) {
		s->tls_seen = true;
		s->tls_unread = lookup_failed(&sec->f, sec->name);
		strv_copy(&s->cur_tls, &sec->f.records);
	}
}

/* ---- building ---- */

/* The TLS-RPT addresses offered: the published record's, else the
 * DMARC step's aggregate report addresses (the same mailbox reads both
 * kinds of report), else none. */
static void
prefill(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	struct aw_buf b;
	size_t i;

	if (s->prefilled || m->domain == NULL)
		return;
	s->prefilled = true;
	aw_buf_init(&b);
	if (s->cur_tls.n == 1) {
		struct aw_tls_rpt_record r;
		struct aw_findings f;

		aw_tls_rpt_record_init(&r);
		aw_findings_init(&f);
		if (aw_tls_rpt_parse(s->cur_tls.v[0], strlen(s->cur_tls.v[0]), &r,
		    &f) == AW_OK)
			for (i = 0; i < r.rua.n; i++)
				aw_buf_printf(&b, "%s%s", i ? ", " : "", r.rua.v[i]);
		aw_findings_done(&f);
		aw_tls_rpt_record_done(&r);
	}
	if (b.len == 0) {
		struct aw_strv w;

		aw_strv_init(&w);
		tm_field_words(m->dmarc_rua.text, &w);
		for (i = 0; i < w.n; i++)
			aw_buf_printf(&b, "%s%s", i ? ", " : "", w.v[i]);
		aw_strv_done(&w);
	}
	tm_field_set(&s->rua, aw_buf_str(&b));
	aw_buf_done(&b);
	if (s->path.len == 0) {
		char *p = NULL;

		if (asprintf(&p, "mta-sts.%s.txt", m->domain) >= 0)
			tm_field_set(&s->path, p);
		free(p);
	}
	/* Nothing changes unless chosen: testing is one Down away, enforce
	 * is offered once testing is served (choose). */
	s->choice = AW_TUI_STS_KEEP;
}

/* A fresh id for a changed policy: the UTC time, and never the id
 * published (RFC 8461 §3.1: senders fetch again only when it changes). */
static void
fresh_id(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	long long t = s->now != NULL ? s->now() : clock_now();
	char id[40];

	aw_mta_sts_id_make(t, id, sizeof id);
	if (s->cur_id != NULL && strcmp(s->cur_id, id) == 0)
		aw_mta_sts_id_make(t + 1, id, sizeof id);
	tm_set_str(&s->id, id);
	tm_set_str(&s->id_for, s->policy);
}

void
tm_mtasts_rebuild(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	struct aw_strv pats, rua;
	struct aw_error err;
	enum aw_mta_sts_mode mode;
	char *url = NULL;

	tm_set_str(&s->policy, NULL);
	tm_set_str(&s->record, NULL);
	tm_set_str(&s->tls_record, NULL);
	tm_set_str(&s->build_error, NULL);
	if (m->domain == NULL)
		return;
	if (asprintf(&url, "https://mta-sts.%s/.well-known/mta-sts.txt",
	    m->domain) < 0)
		url = NULL;
	tm_set_str(&s->policy_url, url);
	free(url);
	if (s->choice == AW_TUI_STS_KEEP)
		return;
	mode = s->choice == AW_TUI_STS_ENFORCE ? AW_MTA_STS_MODE_ENFORCE :
	    AW_MTA_STS_MODE_TESTING;
	aw_strv_init(&pats);
	aw_strv_init(&rua);
	aw_mta_sts_mx_patterns(&s->mx_hosts, &pats);
	aw_error_clear(&err);
	if (aw_mta_sts_policy_build(mode, &pats, mode == AW_MTA_STS_MODE_ENFORCE ?
	    AW_MTA_STS_MAX_AGE_ENFORCE : AW_MTA_STS_MAX_AGE_TESTING, &s->policy,
	    &err) != AW_OK) {
		tm_set_str(&s->build_error, err.msg);
		goto out;
	}
	if (s->id == NULL || s->id_for == NULL || strcmp(s->id_for, s->policy) != 0)
		fresh_id(m);
	if (aw_mta_sts_record_build(s->id, &s->record, &err) != AW_OK) {
		tm_set_str(&s->build_error, err.msg);
		goto out;
	}
	tm_field_words(s->rua.text, &rua);
	if (rua.n > 0 && aw_tls_rpt_build((const char *const *)rua.v, rua.n,
	    &s->tls_record, &err) != AW_OK)
		tm_set_str(&s->build_error, err.msg);
out:
	aw_strv_done(&rua);
	aw_strv_done(&pats);
}

/* ---- the plan ---- */

/* The step's records go to the plan once the policy they announce is
 * written for the user to host: an id pointing at no policy would have
 * senders fetch and fail. */
static bool
publishable(const struct aw_tui_mtasts *s)
{
	return s->choice != AW_TUI_STS_KEEP && s->policy != NULL &&
	    s->record != NULL && s->build_error == NULL && s->written != NULL &&
	    strcmp(s->written, s->policy) == 0;
}

enum aw_status
tm_mtasts_wants(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err)
{
	const struct aw_tui_mtasts *s = &m->mtasts;
	enum aw_status st = AW_OK;
	char *name = NULL;

	if (!publishable(s) || m->domain == NULL)
		return AW_OK;
	/* Never a record at a name whose records could not be read. */
	if (!s->unread) {
		if (asprintf(&name, STS_PREFIX "%s", m->domain) < 0)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		st = aw_wants_add_txt_replace(w, name, "v=STSv1", s->record, err);
		free(name);
	}
	if (st == AW_OK && s->tls_record != NULL && !s->tls_unread &&
	    !(s->cur_tls.n == 1 && strcmp(s->cur_tls.v[0], s->tls_record) == 0)) {
		if (asprintf(&name, TLS_PREFIX "%s", m->domain) < 0)
			return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		st = aw_wants_add_txt_replace(w, name, "v=TLSRPTv1",
		    s->tls_record, err);
		free(name);
	}
	return st;
}

const struct aw_strv *
tm_mtasts_current(const struct aw_tui_model *m, const char *name, bool *known)
{
	const struct aw_tui_mtasts *s = &m->mtasts;

	if (m->domain == NULL)
		return NULL;
	if (strncmp(name, STS_PREFIX, strlen(STS_PREFIX)) == 0 &&
	    aw_domain_equal(name + strlen(STS_PREFIX), m->domain)) {
		*known = s->seen && !s->unread;
		return &s->cur;
	}
	if (strncmp(name, TLS_PREFIX, strlen(TLS_PREFIX)) == 0 &&
	    aw_domain_equal(name + strlen(TLS_PREFIX), m->domain)) {
		*known = s->tls_seen && !s->tls_unread;
		return &s->cur_tls;
	}
	return NULL;
}

/* ---- results ---- */

static unsigned
on_written(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	char *msg = NULL;

	s->overwrite = false;
	if (ev->ok) {
		tm_set_str(&s->written, s->policy);
		tm_set_str(&s->written_path, s->path.text);
		tm_set_error(m, NULL);
		if (asprintf(&msg, _("Wrote %s. Serve it at %s, then Enter goes on."),
		    s->path.text, s->policy_url ? s->policy_url : "") < 0)
			msg = NULL;
		tm_set_str(&m->note, msg);
	} else if (ev->count == 1) {
		s->overwrite_asked = true;
		m->focus = AW_FOCUS_LIST;
		if (asprintf(&msg, _("%s exists. y: replace it; any other key keeps it (then edit the path)."),
		    s->path.text) < 0)
			msg = NULL;
		tm_set_error(m, msg);
	} else {
		if (asprintf(&msg, _("The policy file was not written: %s"),
		    ev->text ? ev->text : "") < 0)
			msg = NULL;
		tm_set_error(m, msg);
	}
	free(msg);
	return AW_FX_REDRAW;
}

/* The recheck's fetch: served (fetched, a valid policy), and the same
 * policy and id as this step made. */
static unsigned
on_fetched(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	const struct aw_mta_sts_detail *d;
	size_t i;

	s->fetching = false;
	if (ev->sec == NULL || ev->sec->detail == NULL ||
	    strcmp(ev->sec->area, "mta_sts") != 0) {
		s->served = 0;
		return AW_FX_REDRAW;
	}
	d = ev->sec->detail;
	s->served = d->fetched && d->policy.valid ? 1 : 0;
	s->served_same = false;
	tm_set_str(&s->served_why, NULL);
	for (i = 0; i < ev->sec->f.nitems; i++)
		if (ev->sec->f.items[i].severity == AW_SEV_ERROR) {
			tm_set_str(&s->served_why, ev->sec->f.items[i].message);
			break;
		}
	if (s->served == 1 && s->written != NULL) {
		struct aw_mta_sts_policy mine;
		struct aw_findings f;

		aw_mta_sts_policy_init(&mine);
		aw_findings_init(&f);
		if (aw_mta_sts_policy_parse(s->written, strlen(s->written), &mine,
		    &f) == AW_OK)
			s->served_same = aw_mta_sts_policy_same(&mine, &d->policy) &&
			    s->id != NULL && d->txt.id != NULL &&
			    strcmp(s->id, d->txt.id) == 0;
		aw_findings_done(&f);
		aw_mta_sts_policy_done(&mine);
	}
	return AW_FX_REDRAW;
}

unsigned
tm_mtasts_event(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	if (ev->type == AW_EV_POLICY_WRITTEN)
		return on_written(m, ev);
	if (ev->type == AW_EV_POLICY_FETCHED)
		return on_fetched(m, ev);
	return AW_FX_NONE;
}

/* The recheck ended: once the _mta-sts record it added is published,
 * the policy it announces is fetched as a sender would. */
unsigned
tm_mtasts_recheck_done(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	size_t i;

	if (!publishable(s) || s->fetching || m->cstate == NULL)
		return AW_FX_NONE;
	for (i = 0; i < m->plan.nchanges; i++) {
		const struct aw_change *c = &m->plan.changes[i];

		if (c->old.type == AW_RECORD_TXT &&
		    strncmp(c->old.name, STS_PREFIX, strlen(STS_PREFIX)) == 0 &&
		    m->cstate[i].recheck == 1) {
			s->fetching = true;
			return AW_FX_FETCH_POLICY;
		}
	}
	return AW_FX_NONE;
}

/* ---- the step's keys ---- */

static unsigned
write_policy(struct aw_tui_model *m)
{
	struct aw_tui_mtasts *s = &m->mtasts;

	tm_trim(s->path.text);
	s->path.len = strlen(s->path.text);
	if (s->path.len == 0) {
		m->focus = AW_FOCUS_FIELD1;
		tm_set_error(m, _("Type where to write the policy file."));
		return AW_FX_REDRAW;
	}
	return AW_FX_REDRAW | AW_FX_WRITE_POLICY;
}

static unsigned
choose(struct aw_tui_model *m, int dir)
{
	struct aw_tui_mtasts *s = &m->mtasts;
	int c = (int)s->choice + dir;

	if (c < AW_TUI_STS_KEEP || c > AW_TUI_STS_ENFORCE)
		return AW_FX_NONE;
	/* RFC 8461 §5: testing first; enforce once the testing policy is
	 * served and covers every MX host (or it is enforced already). */
	if (c == AW_TUI_STS_ENFORCE && !s->enforce_ready &&
	    !(s->cur_fetched && s->cur_mode == AW_MTA_STS_MODE_ENFORCE)) {
		tm_set_error(m, _("Enforce is offered once a testing policy is served and covers every MX host: publish testing first and read the TLS reports."));
		return AW_FX_REDRAW;
	}
	s->choice = (enum aw_tui_sts_choice)c;
	tm_set_error(m, NULL);
	tm_mtasts_rebuild(m);
	return AW_FX_REDRAW;
}

static unsigned
mtasts_key(struct aw_tui_model *m, const struct aw_tui_event *ev)
{
	struct aw_tui_mtasts *s = &m->mtasts;

	if (s->overwrite_asked) {
		s->overwrite_asked = false;
		tm_set_error(m, NULL);
		if (ev->type == AW_EV_CONFIRM || (ev->type == AW_EV_CHAR &&
		    (ev->ch == 'y' || ev->ch == 'Y' || ev->ch == 'j' ||
		    ev->ch == 'J' || ev->ch == 'k' || ev->ch == 'K'))) {
			s->overwrite = true;
			return write_policy(m);
		}
		m->focus = AW_FOCUS_FIELD1;
		return AW_FX_REDRAW;
	}
	if (ev->type == AW_EV_NEXT) {
		tm_mtasts_rebuild(m);
		if (s->choice == AW_TUI_STS_KEEP)
			return tm_step(m, +1);
		if (s->build_error != NULL) {
			tm_set_error(m, s->build_error);
			return AW_FX_REDRAW;
		}
		if (s->written == NULL || strcmp(s->written, s->policy) != 0 ||
		    s->written_path == NULL ||
		    strcmp(s->written_path, s->path.text) != 0)
			return write_policy(m);
		return tm_step(m, +1);
	}
	if (m->focus != AW_FOCUS_LIST)
		return AW_FX_NONE;
	switch (ev->type) {
	case AW_EV_UP:
	case AW_EV_LEFT:
		return choose(m, -1);
	case AW_EV_DOWN:
	case AW_EV_RIGHT:
		return choose(m, +1);
	case AW_EV_BACK:
		return tm_step(m, -1);
	case AW_EV_CHAR:
		if ((ev->ch == 'w' || ev->ch == 'W') && s->policy != NULL)
			return write_policy(m);
		return AW_FX_NONE;
	default:
		return AW_FX_NONE;
	}
}

/* ---- the screen ---- */

static unsigned
mtasts_enter(struct aw_tui_model *m)
{
	prefill(m);
	tm_mtasts_rebuild(m);
	return AW_FX_NONE;
}

static struct aw_tui_field *
mtasts_focused(struct aw_tui_model *m)
{
	return m->focus == AW_FOCUS_FIELD1 ? &m->mtasts.path :
	    m->focus == AW_FOCUS_FIELD2 ? &m->mtasts.rua : NULL;
}

static int
mtasts_nfields(const struct aw_tui_model *m)
{
	(void)m;
	return 2;
}

const struct tm_screen tm_screen_mtasts = {
	mtasts_enter, mtasts_key, mtasts_focused, mtasts_nfields
};
