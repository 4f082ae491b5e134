/* test_journal.c: the numbered journal history per domain, the lock, the
 * synced writes, and escaping applied once (issue 20). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cli/cli-provider.h"
#include "providers/journal.h"
#include "providers/plan.h"
#include "tests/unit/helpers/rmtree.h"

struct fx {
	char dir[64];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	snprintf(f->dir, sizeof f->dir, "/tmp/aw-test-journal.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	setenv("XDG_STATE_HOME", f->dir, 1);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	assert_int_equal(aw_test_rmtree(f->dir), 0);
	free(f);
	return 0;
}

static void
one_change_plan(struct aw_plan *p, const char *value)
{
	struct aw_change *c;

	aw_plan_init(p);
	p->domain = strdup("example.com");
	p->provider = strdup("powerdns");
	c = aw_plan_push(p);
	assert_non_null(c);
	c->zone.id = strdup("example.com.");
	c->zone.name = strdup("example.com");
	assert_int_equal(aw_record_init(&c->old, "example.com", AW_RECORD_TXT, 300), AW_OK);
	assert_int_equal(aw_record_init(&c->new, "example.com", AW_RECORD_TXT, 300), AW_OK);
	assert_int_equal(aw_record_add(&c->new, value), AW_OK);
	c->state = AW_CHANGE_INFLIGHT;
}

static void
journals_are_a_numbered_history_and_undo_takes_the_newest(void **state)
{
	struct aw_plan a, b, got;
	struct aw_journal_entry *v;
	struct aw_error err;
	size_t n;
	unsigned seq;
	char *path;
	struct stat sb;

	(void)state;
	assert_int_equal(aw_journal_next("example.com", &seq, &err), AW_OK);
	assert_int_equal(seq, 1);
	one_change_plan(&a, "first");
	assert_int_equal(aw_journal_write(&a, 1, &err), AW_OK);
	one_change_plan(&b, "second");
	assert_int_equal(aw_journal_next("example.com", &seq, &err), AW_OK);
	assert_int_equal(seq, 2);
	assert_int_equal(aw_journal_write(&b, 2, &err), AW_OK);
	assert_int_equal(aw_journal_seq_path("example.com", 2, false, &path, &err), AW_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	free(path);

	/* The newest not undone; the state "in-flight" survives the file. */
	assert_int_equal(aw_journal_load_newest("example.com", &seq, &got, &err), AW_OK);
	assert_int_equal(seq, 2);
	assert_string_equal(got.changes[0].new.values.v[0], "second");
	assert_int_equal(got.changes[0].state, AW_CHANGE_INFLIGHT);
	aw_plan_done(&got);
	assert_int_equal(aw_journal_retire("example.com", 2, &err), AW_OK);
	assert_int_equal(aw_journal_load_newest("example.com", &seq, &got, &err), AW_OK);
	assert_int_equal(seq, 1);
	aw_plan_done(&got);
	assert_int_equal(aw_journal_load_undone("example.com", &got, &err), AW_OK);
	assert_string_equal(got.changes[0].new.values.v[0], "second");
	aw_plan_done(&got);

	/* The list, oldest first; a new one is numbered past every kept one. */
	assert_int_equal(aw_journal_list("example.com", &v, &n, &err), AW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].seq, 1);
	assert_false(v[0].undone);
	assert_int_equal(v[1].seq, 2);
	assert_true(v[1].undone);
	free(v);
	assert_int_equal(aw_journal_next("example.com", &seq, &err), AW_OK);
	assert_int_equal(seq, 3);
	/* Another domain's files are not in this history. */
	assert_int_equal(aw_journal_list("b.example.com", &v, &n, &err), AW_OK);
	assert_int_equal(n, 0);
	free(v);
	aw_plan_done(&a);
	aw_plan_done(&b);
}

static void
the_lock_is_one_holder_at_a_time_and_names_it(void **state)
{
	int fd1, fd2;
	long holder = -1;
	struct aw_error err;

	(void)state;
	assert_int_equal(aw_journal_lock("example.com", &fd1, NULL, &err), AW_OK);
	/* flock is per open file: a second open conflicts, here too. */
	assert_int_equal(aw_journal_lock("example.com", &fd2, &holder, &err), AW_ERR_IO);
	assert_int_equal(holder, (long)getpid());
	assert_non_null(strstr(err.msg, "running"));
	assert_int_equal(fd2, -1);
	/* Another domain has its own lock. */
	assert_int_equal(aw_journal_lock("other.example", &fd2, NULL, &err), AW_OK);
	aw_journal_unlock(fd2);
	aw_journal_unlock(fd1);
	assert_int_equal(aw_journal_lock("example.com", &fd2, NULL, &err), AW_OK);
	aw_journal_unlock(fd2);
}

static void
escaping_is_applied_once(void **state)
{
	char buf[128];
	FILE *f;

	(void)state;
	memset(buf, 0, sizeof buf);
	f = fmemopen(buf, sizeof buf - 1, "w");
	assert_non_null(f);
	/* A name in presentation form keeps its \027; a raw ESC is shown. */
	aw_cli_put_escaped_once(f, "a\\027b.example\x1b[2J", 0);
	fclose(f);
	assert_string_equal(buf, "a\\027b.example\\x1B[2J");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(journals_are_a_numbered_history_and_undo_takes_the_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(the_lock_is_one_holder_at_a_time_and_names_it, setup, teardown),
		cmocka_unit_test(escaping_is_applied_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
