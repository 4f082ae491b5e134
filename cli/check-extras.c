/* check-extras.c: what `check` adds on request: the mailbox providers'
 * requirements (--requirements) and the comparison with a baseline
 * (--baseline FILE). The rules are in checks/requirements.c and
 * checks/drift.c; this file shows them and keeps the baseline file. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/drift.h"
#include "checks/requirements.h"
#include "cli/check-extras.h"
#include "cli/json.h"
#include "core/file.h"
#include "core/i18n.h"

/* A baseline file larger than this is refused (about 20,000 domains). */
#define BASELINE_MAX_BYTES (64L * 1024 * 1024)

void
aw_cli_requirements(struct aw_domain_check *dc, json_t *doc, FILE *out)
{
	struct aw_requirements r;
	size_t i;

	aw_requirements_init(&r);
	if (aw_requirements_judge(dc, &r) != AW_OK) {
		aw_requirements_done(&r);
		return;
	}
	if (doc != NULL) {
		json_t *a = json_array();

		for (i = 0; i < r.n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "provider",
			    json_string(r.v[i].provider));
			json_object_set_new(o, "rule", json_string(r.v[i].rule));
			json_object_set_new(o, "status",
			    json_string(aw_req_status_name(r.v[i].status)));
			json_object_set_new(o, "message",
			    aw_json_text(r.v[i].message));
			json_object_set_new(o, "source",
			    json_string(r.v[i].source));
			json_array_append_new(a, o);
		}
		json_object_set_new(doc, "requirements", a);
	} else {
		const char *last = NULL;

		fputs(_("Mailbox providers' sender requirements (checked from DNS)\n"),
		    out);
		for (i = 0; i < r.n; i++) {
			const char *word = r.v[i].status == AW_REQ_PASS ?
			    _("pass") : r.v[i].status == AW_REQ_FAIL ?
			    _("FAIL") : _("not checked");

			if (last == NULL || strcmp(last, r.v[i].provider) != 0) {
				fprintf(out, "  %s (%s)\n", r.v[i].provider_name,
				    r.v[i].source);
				last = r.v[i].provider;
			}
			fprintf(out, "    %-11s %-12s ", r.v[i].rule, word);
			aw_cli_put_escaped(out, r.v[i].message, 400);
			fputc('\n', out);
		}
	}
	aw_requirements_done(&r);
}

bool
aw_cli_baseline_open(struct aw_cli_baseline *b, const char *path, bool update)
{
	json_error_t jerr;
	FILE *fp;
	long size;

	memset(b, 0, sizeof *b);
	b->path = path;
	b->update = update;
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno != ENOENT) {
			aw_cli_error(_("--baseline: cannot read %s: %s"), path,
			    aw_strerror(errno));
			return false;
		}
		b->root = json_object();
		json_object_set_new(b->root, "format", json_integer(1));
		json_object_set_new(b->root, "about", json_string(
		    "authwizard check --baseline: each domain's records and verdicts when first checked"));
		json_object_set_new(b->root, "domains", json_object());
		return b->root != NULL;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 0 ||
	    size > BASELINE_MAX_BYTES || fseek(fp, 0, SEEK_SET) != 0) {
		aw_cli_error(_("--baseline: %s is not a baseline file (over %ld MiB or not a regular file)"),
		    path, BASELINE_MAX_BYTES / (1024 * 1024));
		fclose(fp);
		return false;
	}
	b->root = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	fclose(fp);
	if (b->root == NULL) {
		aw_cli_error(_("--baseline: %s, line %d: %s"), path, jerr.line,
		    jerr.text);
		return false;
	}
	if (json_integer_value(json_object_get(b->root, "format")) != 1 ||
	    !json_is_object(json_object_get(b->root, "domains"))) {
		aw_cli_error(_("--baseline: %s is not an authwizard baseline (format 1 with \"domains\")"),
		    path);
		json_decref(b->root);
		b->root = NULL;
		return false;
	}
	b->existed = true;
	return true;
}

static void
print_drifts_text(FILE *out, const struct aw_drifts *d, const char *taken)
{
	size_t i;

	if (d->n == 0) {
		fprintf(out, _("Nothing changed for the worse since the baseline of %s.\n"),
		    taken);
	} else {
		fprintf(out, P_("%zu change for the worse since the baseline of %s:\n",
		    "%zu changes for the worse since the baseline of %s:\n", d->n),
		    d->n, taken);
	}
	for (i = 0; i < d->n; i++) {
		fputs("  ", out);
		aw_cli_put_escaped(out, d->v[i].message, 300);
		fputc('\n', out);
		if (d->v[i].before != NULL) {
			fputs(_("    was: "), out);
			aw_cli_put_escaped(out, d->v[i].before, 600);
			fputc('\n', out);
		}
		if (d->v[i].after != NULL) {
			fputs(_("    now: "), out);
			aw_cli_put_escaped(out, d->v[i].after, 600);
			fputc('\n', out);
		}
	}
	if (d->skipped > 0)
		fprintf(out, P_("%zu item not compared: its lookup failed (DNS failure).\n",
		    "%zu items not compared: their lookups failed (DNS failure).\n",
		    d->skipped), d->skipped);
}

static json_t *
drifts_json(const struct aw_drifts *d, const char *taken)
{
	json_t *o = json_object(), *a = json_array();
	size_t i;

	for (i = 0; i < d->n; i++) {
		json_t *c = json_object();

		json_object_set_new(c, "item", aw_json_text(d->v[i].item));
		json_object_set_new(c, "code", json_string(d->v[i].code));
		json_object_set_new(c, "message", aw_json_text(d->v[i].message));
		json_object_set_new(c, "before", aw_json_text_or_null(d->v[i].before));
		json_object_set_new(c, "after", aw_json_text_or_null(d->v[i].after));
		json_array_append_new(a, c);
	}
	json_object_set_new(o, "baseline", json_string(taken));
	json_object_set_new(o, "changes", a);
	json_object_set_new(o, "not_compared", json_integer((json_int_t)d->skipped));
	return o;
}

static void
now_text(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
}

/* Saves the domain's snapshot as its baseline. */
static void
keep(struct aw_cli_baseline *b, const char *domain,
    const struct aw_snapshot *snap)
{
	json_t *entry = aw_snapshot_to_json(snap);
	char when[32];

	now_text(when, sizeof when);
	json_object_set_new(entry, "taken", json_string(when));
	json_object_set_new(json_object_get(b->root, "domains"), domain, entry);
	b->dirty = true;
}

bool
aw_cli_baseline_domain(struct aw_cli_baseline *b, struct aw_domain_check *dc,
    const char *domain, bool dns_failure, json_t *doc, FILE *out)
{
	json_t *entry = json_object_get(json_object_get(b->root, "domains"),
	    domain);
	struct aw_snapshot before, now;
	struct aw_drifts d;
	struct aw_error err;
	const char *taken;
	bool worse = false;

	aw_snapshot_init(&before);
	aw_snapshot_init(&now);
	aw_drifts_init(&d);
	aw_error_clear(&err);
	if (aw_snapshot_take(dc, &now) != AW_OK)
		goto done;
	if (entry == NULL) {
		/* A domain seen for the first time is its own baseline,
		 * unless a lookup failed: a broken view is no baseline. */
		if (!dns_failure)
			keep(b, domain, &now);
		if (doc != NULL)
			json_object_set_new(doc, "drift", json_null());
		else if (dns_failure)
			fputs(_("No baseline saved for this domain: a lookup failed.\n"),
			    out);
		else
			fprintf(out, _("Baseline saved to %s.\n"), b->path);
		goto done;
	}
	taken = json_string_value(json_object_get(entry, "taken"));
	if (taken == NULL)
		taken = "?";
	if (aw_snapshot_from_json(entry, &before, &err) != AW_OK) {
		fprintf(stderr, _("%s: --baseline: %s, domain %s: %s\n"),
		    aw_cli_progname, b->path, domain, err.msg);
		worse = true;
		goto done;
	}
	if (aw_drift_compare(&before, &now, &d) != AW_OK)
		goto done;
	worse = d.n > 0;
	if (doc != NULL)
		json_object_set_new(doc, "drift", drifts_json(&d, taken));
	else
		print_drifts_text(out, &d, taken);
	if (b->update && !dns_failure)
		keep(b, domain, &now);
done:
	if (worse)
		b->worse++;
	aw_snapshot_done(&before);
	aw_snapshot_done(&now);
	aw_drifts_done(&d);
	return worse;
}

bool
aw_cli_baseline_close(struct aw_cli_baseline *b)
{
	enum aw_file_step step = AW_FILE_STEP_WRITE;
	char *text = NULL;
	bool ok = true;
	int e = ENOMEM;

	if (b->root == NULL)
		return true;
	if (!b->dirty)
		goto done;
	/* Written beside it and renamed: a crash leaves the old file whole. */
	text = json_dumps(b->root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (text != NULL)
		e = aw_file_replace(b->path, text, strlen(text), 0644,
		    AW_FILE_NEWLINE, &step);
	/* The file the user named, not the temporary beside it. */
	if (e != 0 && step == AW_FILE_STEP_RENAME)
		aw_cli_error(_("--baseline: cannot replace %s: %s"), b->path,
		    aw_strerror(e));
	else if (e != 0)
		aw_cli_error(_("--baseline: cannot write %s: %s"), b->path,
		    aw_strerror(e));
	ok = e == 0;
done:
	free(text);
	json_decref(b->root);
	b->root = NULL;
	return ok;
}
