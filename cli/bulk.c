/* bulk.c: many domains at once for `check` and `verify` (bulk.h): the
 * ordered window, the progress meter, Ctrl-C, the domains file. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

/* In a --jobs worker: standard output is a pipe to the parent. */
static bool bulk_in_worker;

/* Whoever read the output has gone (EPIPE: SIGPIPE is ignored, else the
 * write would have ended the process): the run stops as on a signal, and
 * ends with main's "cannot write the output" and status 6 instead of an
 * interruption's summary. */
static bool bulk_reader_gone;

/* After a failed write of the output, the errno it left. */
static void
bulk_out_failed(int e)
{
	if (aw_cli_out_errno == 0)
		aw_cli_out_errno = e;
	if (e == EPIPE && !bulk_reader_gone) {
		bulk_reader_gone = true;
		bulk_stop = SIGPIPE;
	}
}

/* The workers of a --jobs run (parent side), for a second signal. */
static pid_t bulk_pids[AW_CLI_JOBS_MAX];
static volatile sig_atomic_t bulk_npids;

/* The first signal asks the run to stop after the results in hand; the
 * second ends the process as the signal would have (and the workers at
 * once). Only async-signal-safe calls here. */
static void
bulk_signal(int sig)
{
	sig_atomic_t i;

	if (bulk_stop != 0) {
		for (i = 0; i < bulk_npids; i++)
			if (bulk_pids[i] > 0)
				kill(bulk_pids[i], SIGKILL);
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bulk_stop = sig;
}

/* A --jobs worker: SIGTERM (from the parent, which sees the terminal's
 * SIGINT) asks it to stop, however often; the parent ends it at once
 * when that is wanted. */
static void
bulk_worker_signal(int sig)
{
	bulk_stop = sig;
}

enum bulk_sigmode { SIGS_OFF, SIGS_RUN, SIGS_WORKER };

static void
bulk_signals(enum bulk_sigmode mode)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: the wait in poll ends with EINTR. */
	sa.sa_handler = mode == SIGS_RUN ? bulk_signal : SIG_DFL;
	if (mode == SIGS_WORKER) {
		sa.sa_handler = SIG_IGN;
		sigaction(SIGINT, &sa, NULL);
		sa.sa_handler = bulk_worker_signal;
		sigaction(SIGTERM, &sa, NULL);
		return;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (mode == SIGS_RUN)
		bulk_stop = 0;
	else
		bulk_npids = 0;
}

void
aw_cli_bulk_flush(void)
{
	if (bulk_in_worker)
		return;
	/* A line written past stdio's buffer failed in its own fwrite
	 * (aw_json_print_line kept the reason); the flush has nothing. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		bulk_out_failed(aw_cli_out_errno != 0 ? aw_cli_out_errno : errno);
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

/* The index of a run's k-th own item (a worker has every step-th). */
static size_t
bulk_item(const struct aw_cli_bulk *b, size_t k)
{
	return b->first + k * b->step;
}

/* Emits the items finished in order. A worker ends each with a record
 * end for the parent: NUL (never in the escaped output) and '1' when it
 * counts as failed, else '0'. */
static void
bulk_emit_ready(struct aw_cli_bulk *b, const struct aw_cli_bulk_ops *ops,
    void *arg, size_t next, struct meter *m)
{
	bool cleared = false;
	unsigned out;

	while (b->printed < next &&
	    ops->finished(arg, bulk_item(b, b->printed))) {
		if (b->meter && !cleared) {
			meter_clear(m);
			cleared = true;
		}
		out = ops->emit(arg, bulk_item(b, b->printed));
		if (out & AW_BULK_FAILED)
			b->failed++;
		if (b->worker) {
			fputc('\0', stdout);
			fputc(out & AW_BULK_FAILED ? '1' : '0', stdout);
		}
		b->printed++;
	}
	/* A worker's items go to the parent together (aw_cli_bulk_flush). */
	if (b->worker)
		fflush(stdout);
	if (b->meter && cleared)
		meter_draw(m, b, true);
}

static void
bulk_summary(const struct aw_cli_bulk *b)
{
	fprintf(stderr, _("%s: interrupted: %zu of %zu domains not checked (%zu printed)\n"),
	    aw_cli_progname, b->n - b->printed, b->n, b->printed);
}

int
aw_cli_bulk_run(struct aw_cli_bulk *b, const struct aw_cli_bulk_ops *ops,
    void *arg)
{
	struct meter m = { aw_loop_now_ms(), 0, false };
	size_t i, next = 0, running = 0, n;
	int rc = AW_EXIT_OK;

#if defined(__GLIBC__) && defined(M_MXFAST)
	/* Many domains: thousands of small blocks made and freed per
	 * second. glibc's fastbins kept them apart and merged them back
	 * (malloc_consolidate, unlink_chunk: 4% of a 2,000-domain run);
	 * without fastbins (the tcache stays) the same run takes 8% less
	 * CPU (issue 16). */
	if (b->n > 1)
		mallopt(M_MXFAST, 0);
#endif

	if (b->step == 0) {
		b->first = 0;
		b->step = 1;
	}
	/* How many items are this run's own. */
	n = b->first < b->n ? (b->n - b->first + b->step - 1) / b->step : 0;
	b->printed = b->failed = 0;
	b->interrupted = false;
	/* A worker's handlers were set when it was made (a signal since
	 * then is not lost). */
	if (!b->worker)
		bulk_signals(SIGS_RUN);
	if (b->meter)
		meter_draw(&m, b, true);
	while (b->printed < n) {
		if (bulk_stop != 0) {
			b->interrupted = true;
			break;
		}
		while (next < n && running < b->parallel &&
		    next - b->printed < WINDOW(b->parallel)) {
			bool started;

			/* Each domain a task of its own: the resolver shares
			 * the wire between them (loop.h). */
			aw_loop_set_task(b->loop,
			    (uintptr_t)bulk_item(b, next) + 1);
			started = ops->start(arg, bulk_item(b, next));
			aw_loop_set_task(b->loop, 0);
			if (!started) {
				rc = AW_EXIT_INTERNAL;
				goto done;
			}
			next++;
			running++;
		}
		bulk_emit_ready(b, ops, arg, next, &m);
		if (b->printed == n)
			break;
		running = 0;
		for (i = b->printed; i < next; i++)
			if (!ops->finished(arg, bulk_item(b, i)))
				running++;
		if (next < n && running < b->parallel &&
		    next - b->printed < WINDOW(b->parallel))
			continue;
		if (!aw_loop_run_once(b->loop, METER_MS)) {
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
		if (b->meter)
			meter_draw(&m, b, false);
	}
	if (b->interrupted && !bulk_reader_gone) {
		/* What finished in order before the signal is printed too. */
		bulk_emit_ready(b, ops, arg, next, &m);
		rc = AW_EXIT_INTERRUPTED;
	} else if (b->interrupted) {
		rc = AW_EXIT_IO;        /* main says why */
	}
done:
	if (b->meter) {
		meter_draw(&m, b, true);
		fputc('\n', stderr);
	}
	if (b->interrupted && !b->worker && !bulk_reader_gone)
		bulk_summary(b);
	if (!b->worker)
		bulk_signals(SIGS_OFF);
	return rc;
}

/* ---- --jobs: worker processes ---- */

/* A worker holding more output than this that the parent cannot print
 * yet is not read from (it waits in write) until the others catch up,
 * unless it owes the next record: one slow domain cannot make the
 * parent hold everything the others checked meanwhile. */
#define JOB_HELD_MAX ((size_t)16 << 20)
#define JOB_READ 65536

struct job {
	pid_t pid;
	int fd;                 /* its standard output; -1 after EOF */
	char *buf;              /* read, not yet printed: buf[off, len) */
	size_t off, len, cap;
	size_t records;         /* printed */
	size_t own;             /* its items */
	int status;             /* waitpid's, once ended */
	bool ended;
};

struct jobs {
	struct aw_cli_bulk *b;
	struct job *j;
	size_t n;
	struct aw_buf out;      /* records to print, written at once */
	bool stopping;          /* the workers were asked to stop */
	struct meter m;
};

/* Reads what worker j wrote; closes its end at EOF. False on no memory. */
static bool
job_read(struct job *j)
{
	ssize_t got;

	if (j->cap - j->len < JOB_READ && j->off > 0) {
		memmove(j->buf, j->buf + j->off, j->len - j->off);
		j->len -= j->off;
		j->off = 0;
	}
	if (j->cap - j->len < JOB_READ) {
		size_t cap = j->cap ? j->cap * 2 : 4 * JOB_READ;
		char *nb = realloc(j->buf, cap);

		if (nb == NULL)
			return false;
		j->buf = nb;
		j->cap = cap;
	}
	got = read(j->fd, j->buf + j->len, j->cap - j->len);
	if (got > 0) {
		j->len += (size_t)got;
	} else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
		close(j->fd);
		j->fd = -1;
	}
	return true;
}

/* Asks every worker still running to stop (each prints the results it
 * has in order, then ends). */
static void
jobs_stop(struct jobs *js)
{
	size_t w;

	if (js->stopping)
		return;
	js->stopping = true;
	for (w = 0; w < js->n; w++)
		if (!js->j[w].ended)
			kill(js->j[w].pid, SIGTERM);
}

/* An exit status of a run that went through all its items (what was
 * found: a DNS failure, a domain that fails verify). */
static bool
job_done(int code)
{
	return code == AW_EXIT_OK || code == AW_EXIT_FINDINGS ||
	    code == AW_EXIT_DNS;
}

/* Reaps worker w after its EOF; one that did not finish its items (an
 * error, a signal) stops the run: the items after its next one cannot
 * be printed in order. */
static void
job_end(struct jobs *js, size_t w)
{
	struct job *j = &js->j[w];

	/* Out of the second signal's list before its pid can be reused. */
	bulk_pids[w] = 0;
	while (waitpid(j->pid, &j->status, 0) < 0 && errno == EINTR)
		;
	j->ended = true;
	if (!WIFEXITED(j->status) || !job_done(WEXITSTATUS(j->status)))
		jobs_stop(js);
}

/* Prints the records that are whole, in input order: item i is worker
 * i % n's. */
static void
jobs_relay(struct jobs *js)
{
	struct aw_cli_bulk *b = js->b;
	bool cleared = false;

	while (b->printed < b->n) {
		struct job *j = &js->j[b->printed % js->n];
		char *p = j->buf + j->off, *end;
		size_t len;

		if (j->len == j->off ||
		    (end = memchr(p, '\0', j->len - j->off)) == NULL ||
		    end + 1 >= j->buf + j->len)
			break;
		len = (size_t)(end - p);
		if (b->meter && !cleared)
			meter_clear(&js->m);
		cleared = true;
		if (aw_buf_append(&js->out, p, len) != AW_OK) {
			/* no memory: the batch so far, then this one */
			fwrite(js->out.data, 1, js->out.len, stdout);
			aw_buf_reset(&js->out);
			fwrite(p, 1, len, stdout);
		}
		if (end[1] == '1')
			b->failed++;
		j->off += len + 2;
		j->records++;
		b->printed++;
	}
	if (!cleared)
		return;
	/* a failure's errno is kept for main's message (cli/main.c) */
	if (fwrite(js->out.data, 1, js->out.len, stdout) < js->out.len)
		bulk_out_failed(errno);
	aw_cli_bulk_flush();
	aw_buf_reset(&js->out);
	if (b->meter)
		meter_draw(&js->m, b, true);
}

/* Reads, relays and reaps until every worker has ended. */
static bool
jobs_wait(struct jobs *js)
{
	struct aw_cli_bulk *b = js->b;
	struct pollfd pfd[AW_CLI_JOBS_MAX];
	size_t map[AW_CLI_JOBS_MAX], np, w, k, due;

	for (;;) {
		if (bulk_stop != 0 && !js->stopping) {
			b->interrupted = true;
			jobs_stop(js);
		}
		due = b->printed % js->n;
		for (np = w = 0; w < js->n; w++) {
			struct job *j = &js->j[w];

			if (j->fd < 0 || (j->len - j->off > JOB_HELD_MAX &&
			    w != due && js->j[due].fd >= 0))
				continue;
			pfd[np].fd = j->fd;
			pfd[np].events = POLLIN;
			map[np++] = w;
		}
		if (np == 0)
			return true;
		if (poll(pfd, np, METER_MS) < 0 && errno != EINTR) {
			aw_cli_error("poll: %s", strerror(errno));
			return false;
		}
		for (k = 0; k < np; k++)
			if (pfd[k].revents != 0 && !job_read(&js->j[map[k]])) {
				aw_cli_error(_("out of memory"));
				return false;
			}
		jobs_relay(js);
		for (k = 0; k < np; k++)
			if (js->j[map[k]].fd < 0 && !js->j[map[k]].ended)
				job_end(js, map[k]);
		if (b->meter)
			meter_draw(&js->m, b, false);
	}
}

/* The exit status of the whole run from the workers' (as one process
 * would end: an error first, then an interruption, then a DNS failure,
 * then what was found); a worker that died is named. */
static int
jobs_status(struct jobs *js)
{
	bool interrupted = js->b->interrupted, dns = false, found = false;
	int hard = 0, code;
	size_t w;

	for (w = 0; w < js->n; w++) {
		struct job *j = &js->j[w];

		if (WIFSIGNALED(j->status)) {
			aw_cli_error(_("--jobs: worker %zu of %zu (process %ld) was killed by signal %d (%s)"),
			    w + 1, js->n, (long)j->pid, WTERMSIG(j->status),
			    strsignal(WTERMSIG(j->status)));
			if (hard == 0)
				hard = AW_EXIT_INTERNAL;
			continue;
		}
		code = WEXITSTATUS(j->status);
		if (code == AW_EXIT_INTERRUPTED)
			interrupted = true;
		else if (code == AW_EXIT_DNS)
			dns = true;
		else if (code == AW_EXIT_FINDINGS)
			found = true;
		else if (code != AW_EXIT_OK && hard == 0)
			hard = code;    /* it printed its own message */
		if (job_done(code) && j->records < j->own && !js->stopping &&
		    hard == 0) {
			aw_cli_error(_("--jobs: worker %zu of %zu (process %ld) ended before printing all its domains"),
			    w + 1, js->n, (long)j->pid);
			hard = AW_EXIT_INTERNAL;
		}
	}
	js->b->interrupted = hard == 0 && interrupted;
	if (hard != 0)
		return hard;
	if (interrupted)
		return AW_EXIT_INTERRUPTED;
	return dns ? AW_EXIT_DNS : found ? AW_EXIT_FINDINGS : AW_EXIT_OK;
}

/* In worker w of jobs, just forked: its signals, its standard output
 * (the pipe wfd), its share of the items and of --parallel. */
static void
jobs_child(struct aw_cli_bulk *b, struct jobs *js, size_t w, int wfd,
    const sigset_t *old)
{
	size_t k, jobs = js->n;

	bulk_signals(SIGS_WORKER);
	bulk_npids = 0;
	sigprocmask(SIG_SETMASK, old, NULL);
	for (k = 0; k < w; k++)
		close(js->j[k].fd);
	free(js->j);
	dup2(wfd, STDOUT_FILENO);
	close(wfd);
	/* Whole batches of items at a time (aw_cli_bulk_flush). */
	setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 16);
	bulk_in_worker = true;
	b->first = w;
	b->step = jobs;
	b->worker = true;
	b->meter = false;
	b->parallel = b->parallel / jobs + (w < b->parallel % jobs);
	if (b->parallel == 0)
		b->parallel = 1;
}

/* Starts the workers; true in a worker, false in the parent (*forked:
 * all started). */
static bool
jobs_fork(struct aw_cli_bulk *b, struct jobs *js, bool *forked)
{
	sigset_t block, old;
	size_t w;
	int fds[2], e = 0;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	bulk_signals(SIGS_RUN);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	/* A signal waits until the worker has its own handlers. */
	sigprocmask(SIG_BLOCK, &block, &old);
	for (w = 0; w < js->n; w++) {
		if (pipe(fds) != 0) {
			e = errno;
			break;
		}
		if ((pid = fork()) < 0) {
			e = errno;
			close(fds[0]);
			close(fds[1]);
			break;
		}
		if (pid == 0) {
			close(fds[0]);
			jobs_child(b, js, w, fds[1], &old);
			return true;
		}
		close(fds[1]);
		js->j[w].pid = pid;
		js->j[w].fd = fds[0];
		bulk_pids[w] = pid;
		bulk_npids = (sig_atomic_t)(w + 1);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	*forked = w == js->n;
	if (!*forked) {
		aw_cli_error(_("--jobs: cannot start a worker process: %s"),
		    strerror(e));
		js->n = w;
		for (w = 0; w < js->n; w++) {
			kill(js->j[w].pid, SIGKILL);
			close(js->j[w].fd);
			while (waitpid(js->j[w].pid, NULL, 0) < 0 &&
			    errno == EINTR)
				;
		}
	}
	return false;
}

bool
aw_cli_bulk_jobs(struct aw_cli_bulk *b, struct aw_session *dns,
    size_t jobs, int *rc)
{
	struct jobs js;
	bool forked = false, ok;
	size_t w;

	if (jobs > b->n)
		jobs = b->n;
	if (jobs <= 1)
		return true;
	/* The settings are tried once here, not by each worker. */
	if (!aw_cli_dns_start(dns)) {
		*rc = AW_EXIT_USAGE;
		return false;
	}
	aw_resolver_free(dns->res);
	dns->res = NULL;
	/* Together they ask no more at once than one process: more would
	 * overflow the server's socket buffer (each lost answer costs a
	 * whole timeout). */
	dns->inflight_max = AW_RESOLVER_INFLIGHT / jobs;
	memset(&js, 0, sizeof js);
	js.b = b;
	js.n = jobs;
	js.m.start = aw_loop_now_ms();
	aw_buf_init(&js.out);
	js.out.max = (size_t)1 << 30;
	if ((js.j = calloc(jobs, sizeof *js.j)) == NULL) {
		aw_cli_error(_("out of memory"));
		*rc = AW_EXIT_INTERNAL;
		return false;
	}
	for (w = 0; w < jobs; w++) {
		js.j[w].fd = -1;
		js.j[w].own = (b->n - w + jobs - 1) / jobs;
	}
	if (jobs_fork(b, &js, &forked))
		return true;
	*rc = AW_EXIT_INTERNAL;
	b->printed = b->failed = 0;
	b->interrupted = false;
	if (forked) {
		if (b->meter)
			meter_draw(&js.m, b, true);
		ok = jobs_wait(&js);
		if (!ok) {
			/* Not to leave them: end them and reap. */
			for (w = 0; w < js.n; w++)
				if (!js.j[w].ended) {
					kill(js.j[w].pid, SIGKILL);
					if (js.j[w].fd >= 0)
						close(js.j[w].fd);
					while (waitpid(js.j[w].pid, NULL, 0) < 0 &&
					    errno == EINTR)
						;
				}
		} else {
			*rc = jobs_status(&js);
		}
		if (b->meter) {
			meter_draw(&js.m, b, true);
			fputc('\n', stderr);
		}
		if (ok && bulk_reader_gone && b->interrupted)
			*rc = AW_EXIT_IO;       /* main says why */
		else if (ok && b->interrupted)
			bulk_summary(b);
	}
	bulk_signals(SIGS_OFF);
	for (w = 0; w < js.n; w++)
		free(js.j[w].buf);
	free(js.j);
	aw_buf_done(&js.out);
	return false;
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

int
aw_cli_bulk_count_arg(const char *cmd, int opt, const char *arg, size_t *out)
{
	unsigned long max = opt == 'j' ? AW_CLI_JOBS_MAX : 1000, n;
	char *end;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || n < 1 || n > max)
		return opt == 'j' ? aw_cli_usage_error(cmd,
		    _("--jobs: a number from 1 to 64, not %s"), arg) :
		    aw_cli_usage_error(cmd,
		    _("--parallel: a number from 1 to 1000, not %s"), arg);
	*out = n;
	return -1;
}

void
aw_cli_bulk_setup(struct aw_cli_bulk *b, size_t n, size_t parallel,
    bool quiet)
{
	memset(b, 0, sizeof *b);
	b->n = n;
	b->parallel = parallel;
	b->meter = n > 1 && aw_cli_bulk_meter_wanted(quiet);
}
