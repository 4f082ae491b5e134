/* spf-batch.c: `authwizard spf --batch FILE`: one check_host() per line
 * "IP SENDER [HELO]", many in flight at once over one resolver, with one
 * answer cache shared by all of them that honours TTLs (checks/
 * dns-cache.h). Results come out in input order, as JSON Lines with the
 * fields of `spf --json` (plus "line"), or a line each in text. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/dns-cache.h"
#include "checks/resolver.h"
#include "checks/spf-lint.h"
#include "checks/spf.h"
#include "cli/cli.h"
#include "cli/json.h"
#include "cli/spf-batch.h"
#include "core/i18n.h"
#include "core/str.h"

/* Evaluations in flight at once; lines read ahead of the first one not
 * yet printed (a slow one holds back those after it, memory stays flat). */
#define BATCH_WINDOW 512
#define BATCH_LINE_MAX 4096

struct batch;

/* An answer one evaluation holds (it may not be in the cache: TTL 0, a
 * failure), or a question it has in flight (ans NULL). */
struct held {
	char *name;
	enum aw_record_type type;
	struct aw_dns_answer *ans;
};

struct item {
	struct batch *b;
	unsigned long line;
	char *ip, *sender, *helo;
	const char *domain;          /* in sender or helo */
	char *error;                 /* a bad line: why */
	struct aw_spf_query q;
	struct aw_spf_walk_io io;    /* arg: the item */
	struct aw_spf_outcome out;
	struct held *held;
	size_t nheld;
	size_t blocked_on;           /* index + 1 into held of the one
	                              * question in flight; 0: none */
	bool done;
};

struct batch {
	struct aw_dns_cache *cache;
	struct aw_dns_source src;
	struct item *items[BATCH_WINDOW];
	size_t head, count;          /* the window, a ring */
	bool nomem;
};

static void
item_free(struct item *it)
{
	size_t i;

	if (it == NULL)
		return;
	for (i = 0; i < it->nheld; i++) {
		free(it->held[i].name);
		aw_dns_answer_free(it->held[i].ans);
	}
	free(it->held);
	aw_spf_outcome_done(&it->out);
	free(it->ip);
	free(it->sender);
	free(it->helo);
	free(it->error);
	free(it);
}

static long
held_find(const struct item *it, const char *name, enum aw_record_type type)
{
	size_t i;

	for (i = 0; i < it->nheld; i++)
		if (it->held[i].type == type &&
		    aw_domain_equal(it->held[i].name, name))
			return (long)i;
	return -1;
}

/* A copy of what the cache holds: an entry may expire and go while the
 * run still uses the answer. */
static const struct aw_dns_answer *
io_get(void *arg, const char *name, enum aw_record_type type)
{
	struct item *it = arg;
	const struct aw_dns_answer *c;
	struct held *grown;
	long i = held_find(it, name, type);

	if (i >= 0)
		return it->held[i].ans;   /* NULL while in flight */
	if ((c = aw_dns_cache_peek(it->b->cache, name, type)) == NULL)
		return NULL;
	if ((grown = realloc(it->held, (it->nheld + 1) * sizeof *grown)) ==
	    NULL)
		goto nomem;
	it->held = grown;
	grown = &it->held[it->nheld];
	if ((grown->name = strdup(name)) == NULL)
		goto nomem;
	if ((grown->ans = aw_dns_answer_dup(c)) == NULL) {
		free(grown->name);
		goto nomem;
	}
	grown->type = type;
	it->nheld++;
	return grown->ans;
nomem:
	it->b->nomem = true;
	return NULL;
}

static void item_run(struct item *it);

static void
asked_answer(struct aw_dns_answer *ans, void *arg)
{
	struct item *it = arg;

	it->held[it->blocked_on - 1].ans = ans;
	it->blocked_on = 0;
	item_run(it);
}

/* Asks for the name/type the run stopped for. Hints of what comes next
 * (needed false) are not asked: one question per item in flight, so an
 * item that is done has none. */
static void
io_want(void *arg, const char *name, enum aw_record_type type, bool needed)
{
	struct item *it = arg;
	struct held *grown;
	long i;

	if (!needed || it->blocked_on != 0)
		return;
	if ((i = held_find(it, name, type)) < 0) {
		if ((grown = realloc(it->held, (it->nheld + 1) *
		    sizeof *grown)) == NULL)
			goto nomem;
		it->held = grown;
		i = (long)it->nheld;
		if ((it->held[i].name = strdup(name)) == NULL)
			goto nomem;
		it->held[i].type = type;
		it->held[i].ans = NULL;
		it->nheld++;
		if (aw_dns_query(&it->b->src, name, type, asked_answer, it) !=
		    AW_OK) {
			it->held[i].ans = aw_dns_answer_new(name, type,
			    AW_DNS_ERROR);
			if (it->held[i].ans == NULL)
				goto nomem;
			return;   /* the run after this one finds it */
		}
		it->blocked_on = (size_t)i + 1;
	}
	return;
nomem:
	it->b->nomem = true;
}

/* One run of check_host() over what the item holds; done, or blocked
 * until the answer it stopped for comes. */
static void
item_run(struct item *it)
{
	struct aw_error err;
	bool blocked = true;
	unsigned runs;

	/* Again at once when the answer it stopped for was put in hand
	 * without asking (the question could not be sent). */
	for (runs = 0; blocked && it->blocked_on == 0 && runs < 1000;
	    runs++) {
		aw_spf_outcome_done(&it->out);
		aw_error_clear(&err);
		if (aw_spf_check_host_io(&it->io, &it->q, &it->out, &err,
		    &blocked) != AW_OK) {
			aw_spf_outcome_done(&it->out);
			if ((it->error = strdup(err.msg)) == NULL)
				it->b->nomem = true;
			blocked = false;
		}
		if (it->b->nomem)
			blocked = false;
	}
	if (blocked && it->blocked_on != 0)
		return;
	it->done = true;
}

static void
bad_line(struct item *it, const char *msg)
{
	if ((it->error = strdup(msg)) == NULL)
		it->b->nomem = true;
	it->done = true;
}

/* "IP SENDER [HELO]"; SENDER "<>" is the null reverse-path (RFC 7208
 * §2.4: postmaster@HELO is checked, so HELO is needed then). */
static void
item_parse(struct item *it, char *line)
{
	char *f[4], *save = NULL, *tok;
	unsigned char raw[16];
	size_t n = 0;

	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 4)
			break;
		f[n++] = tok;
	}
	if (n < 2 || n > 3) {
		bad_line(it, _("expected IP SENDER [HELO]"));
		return;
	}
	if (inet_pton(AF_INET, f[0], raw) != 1 &&
	    inet_pton(AF_INET6, f[0], raw) != 1) {
		bad_line(it, _("not an IP address"));
		return;
	}
	if (strcmp(f[1], "<>") == 0 && n < 3) {
		bad_line(it, _("a null sender (<>) needs a HELO name"));
		return;
	}
	it->ip = strdup(f[0]);
	it->sender = strdup(strcmp(f[1], "<>") == 0 ? "" : f[1]);
	it->helo = n == 3 ? strdup(f[2]) : NULL;
	if (it->ip == NULL || it->sender == NULL || (n == 3 && !it->helo)) {
		it->b->nomem = true;
		it->done = true;
		return;
	}
	if (it->sender[0] == '\0')
		it->domain = it->helo;
	else if ((it->domain = strrchr(it->sender, '@')) != NULL)
		it->domain++;
	else
		it->domain = it->sender;
	it->q.ip = it->ip;
	it->q.sender = it->sender;
	it->q.helo = it->helo;
	it->io.get = io_get;
	it->io.want = io_want;
	it->io.arg = it;
	item_run(it);
}

static void
item_print(const struct item *it, bool json)
{
	const struct aw_spf_outcome *o = &it->out;

	if (json) {
		json_t *root = json_object();

		json_object_set_new(root, "line", json_integer((json_int_t)it->line));
		if (it->error != NULL) {
			json_object_set_new(root, "error", aw_json_text(it->error));
			aw_json_print_line(stdout, root, true);
			return;
		}
		aw_json_spf_outcome(root, it->domain, it->ip, it->sender,
		    it->helo, o);
		aw_json_print_line(stdout, root, true);
		return;
	}
	if (it->error != NULL) {
		aw_cli_error(_("line %lu: %s"), it->line, it->error);
		return;
	}
	printf("%lu: %s ", it->line, it->ip);
	aw_cli_put_escaped(stdout, it->sender[0] ? it->sender : "<>", 300);
	printf(": %s", aw_spf_result_name(o->result));
	if (o->term != NULL) {
		printf(" (");
		aw_cli_put_escaped(stdout, o->term, 300);
		putchar(')');
	}
	if (o->reason != NULL) {
		printf(": ");
		aw_cli_put_escaped(stdout, o->reason, 0);
	}
	putchar('\n');
}

/* Reads the next line that is not blank or a comment into a new item
 * (started, or done when bad). NULL at the end; *err on a read error. */
static struct item *
next_item(struct batch *b, FILE *in, unsigned long *lineno, bool *err)
{
	char buf[BATCH_LINE_MAX + 2];

	while (fgets(buf, sizeof buf, in) != NULL) {
		struct item *it;
		size_t len = strlen(buf);
		bool too_long = len > 0 && buf[len - 1] != '\n' && !feof(in);
		char *p = buf;

		++*lineno;
		if (too_long) {            /* skip the rest of it */
			int ch;

			while ((ch = getc(in)) != EOF && ch != '\n')
				;
		}
		while (*p == ' ' || *p == '\t')
			p++;
		if (!too_long && (*p == '\0' || *p == '\n' || *p == '\r' ||
		    *p == '#'))
			continue;
		if ((it = calloc(1, sizeof *it)) == NULL) {
			b->nomem = true;
			return NULL;
		}
		it->b = b;
		it->line = *lineno;
		if (too_long)
			bad_line(it, _("line too long"));
		else
			item_parse(it, p);
		return it;
	}
	*err = ferror(in) != 0;
	return NULL;
}

int
aw_cli_spf_batch(const char *path, bool json, struct aw_session *dns)
{
	struct batch b;
	struct aw_dns_source below;
	FILE *in;
	unsigned long lineno = 0;
	bool eof = false, read_err = false, bad = false;
	int rc = AW_EXIT_OK;

	memset(&b, 0, sizeof b);
	if (strcmp(path, "-") == 0) {
		in = stdin;
	} else if ((in = fopen(path, "r")) == NULL) {
		aw_cli_error("%s: %s", path, aw_strerror(errno));
		return AW_EXIT_IO;
	}
	if (!aw_cli_dns_start(dns)) {
		rc = AW_EXIT_USAGE;
		goto done;
	}
	below = aw_resolver_source(dns->res);
	if ((b.cache = aw_dns_cache_new(dns->loop, &below, true)) == NULL) {
		rc = AW_EXIT_INTERNAL;
		goto done;
	}
	b.src = aw_dns_cache_source(b.cache);
	while (!eof || b.count > 0) {
		while (!eof && b.count < BATCH_WINDOW && !b.nomem) {
			struct item *it = next_item(&b, in, &lineno, &read_err);

			if (it == NULL) {
				eof = true;
				break;
			}
			b.items[(b.head + b.count++) % BATCH_WINDOW] = it;
		}
		if (b.nomem) {
			aw_cli_error(_("out of memory"));
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
		while (b.count > 0 && b.items[b.head]->done) {
			struct item *it = b.items[b.head];

			if (it->error != NULL)
				bad = true;
			item_print(it, json);
			item_free(it);
			b.items[b.head] = NULL;
			b.head = (b.head + 1) % BATCH_WINDOW;
			b.count--;
		}
		fflush(stdout);
		if (b.count > 0 && !b.items[b.head]->done &&
		    (eof || b.count == BATCH_WINDOW) &&
		    !aw_loop_run_once(dns->loop, -1)) {
			aw_cli_error(_("DNS answers stopped coming"));
			rc = AW_EXIT_INTERNAL;
			goto done;
		}
	}
	if (read_err) {
		aw_cli_error("%s: %s", path, aw_strerror(errno));
		rc = AW_EXIT_IO;
	} else if (bad) {
		rc = AW_EXIT_FINDINGS;
	}
done:
	/* The resolver first (it drops the callbacks), then what waited. */
	aw_resolver_free(dns->res);
	dns->res = NULL;
	while (b.count > 0) {
		item_free(b.items[b.head]);
		b.head = (b.head + 1) % BATCH_WINDOW;
		b.count--;
	}
	aw_dns_cache_free(b.cache);
	if (in != stdin)
		fclose(in);
	return rc;
}
