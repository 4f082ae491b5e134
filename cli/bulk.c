/* bulk.c: many domains at once for `check` and `verify` (bulk.h): the
 * ordered window, the progress meter, Ctrl-C, the domains file. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/bulk.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/loop.h"
#include "core/str.h"

/* A slow domain holds back the printing of those after it: no more than
 * WINDOW(parallel) are started past it, which bounds memory. */
#define WINDOW(parallel) ((parallel) * 4)
/* The meter is redrawn at most this often (ms); the loop wakes this often
 * to redraw it and to see a signal that came just before it slept. */
#define METER_MS 200

static volatile sig_atomic_t bulk_stop;

/* The first signal asks the run to stop after the results in hand; the
 * second ends the process as the signal would have. Only
 * async-signal-safe calls here. */
static void
bulk_signal(int sig)
{
	if (bulk_stop != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bulk_stop = sig;
}

static void
bulk_signals(bool on)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait in poll ends with EINTR. */
	sa.sa_handler = on ? bulk_signal : SIG_DFL;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (on)
		bulk_stop = 0;
}

bool
aw_cli_bulk_meter_wanted(bool quiet)
{
	return !quiet && isatty(STDERR_FILENO);
}

struct meter {
	int64_t start, last;
	bool shown;
};

/* "1:02:03" or "2:03" for s seconds. */
static void
meter_time(char *buf, size_t size, double s)
{
	unsigned long t = s < 0 ? 0 : (unsigned long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, size, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60,
		    t % 60);
	else
		snprintf(buf, size, "%lu:%02lu", t / 60, t % 60);
}

/* One line, redrawn in place ("\r", then erased to its end). */
static void
meter_draw(struct meter *m, const struct aw_cli_bulk *b, bool force)
{
	int64_t now = aw_loop_now_ms();
	double secs = (double)(now - m->start) / 1000.0, rate;
	char left[32];

	if (!force && m->shown && now - m->last < METER_MS)
		return;
	m->last = now;
	rate = secs > 0.05 ? (double)b->printed / secs : 0.0;
	if (b->printed == b->n)
		meter_time(left, sizeof left, 0);
	else if (rate > 0)
		meter_time(left, sizeof left, (double)(b->n - b->printed) / rate);
	else
		snprintf(left, sizeof left, "--:--");
	fputs("\r", stderr);
	fprintf(stderr, _("%zu/%zu domains  %.1f/s  %s left  %zu failed"),
	    b->printed, b->n, rate, left, b->failed);
	fputs("\033[K", stderr);
	fflush(stderr);
	m->shown = true;
}

/* Takes the meter off the screen before results are printed on it. */
static void
meter_clear(struct meter *m)
{
	if (!m->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	m->shown = false;
}

/* Emits the items finished in order; false when interrupted. */
static void
bulk_emit_ready(struct aw_cli_bulk *b, const struct aw_cli_bulk_ops *ops,
    void *arg, size_t next, struct meter *m)
{
	bool cleared = false;

	while (b->printed < next && ops->finished(arg, b->printed)) {
		if (b->meter && !cleared) {
			meter_clear(m);
			cleared = true;
		}
		if (ops->emit(arg, b->printed) & AW_BULK_FAILED)
			b->failed++;
		b->printed++;
	}
	if (b->meter && cleared)
		meter_draw(m, b, true);
}

int
aw_cli_bulk_run(struct aw_cli_bulk *b, const struct aw_cli_bulk_ops *ops,
    void *arg)
{
	struct meter m = { aw_loop_now_ms(), 0, false };
	size_t i, next = 0, running = 0;
	int rc = AW_EXIT_OK;

	b->printed = b->failed = 0;
	b->interrupted = false;
	bulk_signals(true);
	if (b->meter)
		meter_draw(&m, b, true);
	while (b->printed < b->n) {
		if (bulk_stop != 0) {
			b->interrupted = true;
			break;
		}
		while (next < b->n && running < b->parallel &&
		    next - b->printed < WINDOW(b->parallel)) {
			bool started;

			/* Each domain a task of its own: the resolver shares
			 * the wire between them (loop.h). */
			aw_loop_set_task(b->loop, (uintptr_t)next + 1);
			started = ops->start(arg, next);
			aw_loop_set_task(b->loop, 0);
			if (!started) {
				rc = AW_EXIT_INTERNAL;
				goto done;
			}
			next++;
			running++;
		}
		bulk_emit_ready(b, ops, arg, next, &m);
		if (b->printed == b->n)
			break;
		running = 0;
		for (i = b->printed; i < next; i++)
			if (!ops->finished(arg, i))
				running++;
		if (next < b->n && running < b->parallel &&
		    next - b->printed < WINDOW(b->parallel))
			continue;
		if (!aw_loop_run_once(b->loop, METER_MS)) {
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
		if (b->meter)
			meter_draw(&m, b, false);
	}
	if (b->interrupted) {
		/* What finished in order before the signal is printed too. */
		bulk_emit_ready(b, ops, arg, next, &m);
		rc = AW_EXIT_INTERRUPTED;
	}
done:
	if (b->meter) {
		meter_draw(&m, b, true);
		fputc('\n', stderr);
	}
	if (b->interrupted)
		fprintf(stderr, _("%s: interrupted: %zu of %zu domains not checked (%zu printed)\n"),
		    aw_cli_progname, b->n - b->printed, b->n, b->printed);
	bulk_signals(false);
	return rc;
}

/* ---- the domains ---- */

void
aw_cli_domains_init(struct aw_cli_domains *d)
{
	memset(d, 0, sizeof *d);
	aw_strv_init(&d->domains);
}

void
aw_cli_domains_done(struct aw_cli_domains *d)
{
	size_t i;

	for (i = 0; i < d->domains.n; i++)
		aw_strv_done(&d->vars[i]);
	free(d->vars);
	aw_strv_done(&d->domains);
}

/* Adds an A-label domain with no variables; false on no memory. */
static bool
domains_add(struct aw_cli_domains *d, const char *ascii)
{
	if (d->domains.n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct aw_strv *nv = realloc(d->vars, cap * sizeof *nv);

		if (nv == NULL)
			return false;
		d->vars = nv;
		d->cap = cap;
	}
	if (aw_strv_push(&d->domains, ascii) != AW_OK)
		return false;
	aw_strv_init(&d->vars[d->domains.n - 1]);
	return true;
}

bool
aw_cli_domains_arg(struct aw_cli_domains *d, const char *arg)
{
	char *ascii = aw_cli_domain_arg(arg);
	bool ok;

	if (ascii == NULL)
		return false;
	ok = domains_add(d, ascii);
	free(ascii);
	return ok;
}

/* Splits one CSV line into cells (RFC 4180: "" quotes, "" inside a
 * quoted cell is one "), each trimmed of blanks. */
static void
csv_split(const char *line, struct aw_strv *cells)
{
	struct aw_buf b;
	const char *p = line;
	bool quoted = false;

	aw_buf_init(&b);
	for (;; p++) {
		if (quoted && *p == '"' && p[1] == '"') {
			aw_buf_putc(&b, '"');
			p++;
		} else if (*p == '"') {
			quoted = !quoted;
		} else if (*p == '\0' || (!quoted && *p == ',')) {
			const char *s = aw_buf_str(&b);
			char *cell = aw_str_trim_dup(s, strlen(s));

			if (cell != NULL)
				aw_strv_take(cells, cell);
			aw_buf_reset(&b);
			if (*p == '\0')
				break;
		} else {
			aw_buf_putc(&b, *p);
		}
	}
	aw_buf_done(&b);
}

/* A CSV header "domain,NAME,...": the names into cols; false when the
 * line is no header. A bad name is reported (*bad). */
static bool
csv_header(const char *line, struct aw_strv *cols, bool *bad)
{
	size_t i;
	const char *c;

	*bad = false;
	csv_split(line, cols);
	if (cols->n == 0 || strcasecmp(cols->v[0], "domain") != 0 ||
	    strchr(line, ',') == NULL) {
		aw_strv_done(cols);
		aw_strv_init(cols);
		return false;
	}
	for (i = 1; i < cols->n; i++) {
		for (c = cols->v[i]; *c != '\0'; c++)
			if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
				break;
		if (*c != '\0' || cols->v[i][0] == '\0') {
			aw_cli_error(_("--domains-file: not a variable name in the header: \"%s\""),
			    cols->v[i]);
			*bad = true;
		}
	}
	return true;
}

/* One line of the file (comment and blanks taken off); false when it
 * does not hold a domain (after a message). */
static bool
domains_line(struct aw_cli_domains *d, char *p, const struct aw_strv *cols)
{
	struct aw_strv cells;
	char *ascii;
	size_t i;
	bool ok = false;

	if (cols->n == 0) {
		if ((ascii = aw_cli_domain_arg(p)) == NULL)
			return false;
		ok = domains_add(d, ascii);
		free(ascii);
		return ok;
	}
	aw_strv_init(&cells);
	csv_split(p, &cells);
	if (cells.n > cols->n) {
		aw_cli_error(_("--domains-file: %zu cells, but the header names %zu"),
		    cells.n, cols->n);
	} else if (cells.n > 0 &&
	    (ascii = aw_cli_domain_arg(cells.v[0])) != NULL) {
		ok = domains_add(d, ascii);
		free(ascii);
		for (i = 1; ok && i < cells.n; i++)
			if (cells.v[i][0] != '\0')
				aw_strv_pushf(&d->vars[d->domains.n - 1],
				    "%s=%s", cols->v[i], cells.v[i]);
	}
	aw_strv_done(&cells);
	return ok;
}

bool
aw_cli_domains_read(struct aw_cli_domains *d, const char *path)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct aw_strv cols;
	char *line = NULL;
	size_t cap = 0, lineno = 0, seen = 0;
	bool ok = true, bad;

	if (fp == NULL) {
		aw_cli_error(_("--domains-file: cannot read %s: %s"), path,
		    aw_strerror(errno));
		return false;
	}
	aw_strv_init(&cols);
	while (ok && getline(&line, &cap, fp) != -1) {
		char *p = line, *e;

		lineno++;
		/* In a CSV file a cell may hold '#': only whole lines are
		 * comments there. */
		if ((e = strchr(p, '#')) != NULL &&
		    (cols.n == 0 || strspn(p, " \t") == (size_t)(e - p)))
			*e = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' ||
		    e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*p == '\0')
			continue;
		if (seen++ == 0 && csv_header(p, &cols, &bad)) {
			ok = !bad;
		} else if (!domains_line(d, p, &cols)) {
			ok = false;
		}
		if (!ok)
			fprintf(stderr, _("%s: in %s, line %zu\n"),
			    aw_cli_progname, path, lineno);
	}
	if (ok && ferror(fp)) {
		aw_cli_error(_("--domains-file: cannot read %s: %s"), path,
		    aw_strerror(errno));
		ok = false;
	}
	aw_strv_done(&cols);
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ok;
}
