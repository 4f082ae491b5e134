/* test_config_file.c: lego's NAME_FILE convention in
 * aw_provider_config_get: the value of NAME read from the file $NAME_FILE
 * names (a trailing newline taken off), only when that file is a regular
 * file only its owner can read; NAME itself (set or in the environment)
 * wins; a refused file is reported by aw_provider_open, without the
 * secret. */
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

#include "providers/provider.h"
#include "tests/unit/helpers/rmtree.h"

static char dir[64];

static const char *
write_file(const char *name, const char *text, mode_t mode)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/aw-cfgfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int
teardown(void **state)
{

	(void)state;
	return aw_test_rmtree(dir) == 0 ? 0 : -1;
}

static void
name_file_is_read_newline_stripped(void **state)
{
	(void)state;
	unsetenv("AWTEST_TOKEN");
	setenv("AWTEST_TOKEN_FILE", write_file("tok", "s3cret-token\n", 0600), 1);
	assert_string_equal(aw_provider_config_get(NULL, "AWTEST_TOKEN"),
	    "s3cret-token");
	/* Read once: the same value again. */
	assert_string_equal(aw_provider_config_get(NULL, "AWTEST_TOKEN"),
	    "s3cret-token");
	assert_false(aw_provider_config_file_error(NULL));
	/* CRLF too; inner characters stay. */
	setenv("AWTEST_CRLF_FILE", write_file("crlf", "a b\r\n", 0400), 1);
	assert_string_equal(aw_provider_config_get(NULL, "AWTEST_CRLF"), "a b");
}

static void
name_itself_wins(void **state)
{
	struct aw_provider_config cfg;

	(void)state;
	setenv("AWTEST_WIN_FILE", write_file("win", "from-file\n", 0600), 1);
	setenv("AWTEST_WIN", "from-env", 1);
	assert_string_equal(aw_provider_config_get(NULL, "AWTEST_WIN"), "from-env");
	aw_provider_config_init(&cfg);
	assert_int_equal(aw_provider_config_set(&cfg, "AWTEST_WIN", "from-cfg"), AW_OK);
	assert_string_equal(aw_provider_config_get(&cfg, "AWTEST_WIN"), "from-cfg");
	aw_provider_config_done(&cfg);
	unsetenv("AWTEST_WIN");
	assert_string_equal(aw_provider_config_get(NULL, "AWTEST_WIN"), "from-file");
	/* No NAME_FILE either: NULL, no error. */
	assert_null(aw_provider_config_get(NULL, "AWTEST_NOTHING"));
	assert_false(aw_provider_config_file_error(NULL));
}

static void
file_others_can_read_is_refused(void **state)
{
	struct aw_error err;

	(void)state;
	setenv("AWTEST_OPEN_FILE", write_file("open", "leaky\n", 0644), 1);
	assert_null(aw_provider_config_get(NULL, "AWTEST_OPEN"));
	setenv("AWTEST_EMPTY_FILE", write_file("empty", "\n", 0600), 1);
	assert_null(aw_provider_config_get(NULL, "AWTEST_EMPTY"));
	aw_error_clear(&err);
	assert_true(aw_provider_config_file_error(&err));
	/* The first refusal is told: the variable and chmod 600, never the
	 * content. */
	assert_int_equal(err.status, AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "AWTEST_OPEN_FILE"));
	assert_non_null(strstr(err.msg, "600"));
	assert_null(strstr(err.msg, "leaky"));
	assert_null(strstr(err.where, "leaky"));
	/* Taken: cleared. */
	assert_false(aw_provider_config_file_error(NULL));
	setenv("AWTEST_GONE_FILE", "/nonexistent/aw-token", 1);
	assert_null(aw_provider_config_get(NULL, "AWTEST_GONE"));
	assert_true(aw_provider_config_file_error(NULL));
}

/* aw_provider_open fails with the file's refusal, not "no token". */
static void
open_reports_the_refused_file(void **state)
{
	struct aw_provider *p = NULL;
	struct aw_error err;

	(void)state;
	unsetenv("HCLOUD_TOKEN");
	unsetenv("HETZNER_API_TOKEN");
	unsetenv("HCLOUD_TOKEN_FILE");
	setenv("HETZNER_API_TOKEN_FILE", write_file("hz", "tok\n", 0640), 1);
	aw_error_clear(&err);
	assert_int_not_equal(aw_provider_open("hetzner", NULL, NULL, NULL, &p,
	    &err), AW_OK);
	assert_null(p);
	assert_non_null(strstr(err.msg, "HETZNER_API_TOKEN_FILE"));
	assert_non_null(strstr(err.msg, "chmod 600"));
	write_file("hz", "tok\n", 0600);
	assert_int_equal(aw_provider_open("hetzner", NULL, NULL, NULL, &p, &err),
	    AW_OK);
	aw_provider_free(p);
	unsetenv("HETZNER_API_TOKEN_FILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(name_file_is_read_newline_stripped),
		cmocka_unit_test(name_itself_wins),
		cmocka_unit_test(file_others_can_read_is_refused),
		cmocka_unit_test(open_reports_the_refused_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
