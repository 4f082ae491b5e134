/* test_tui_dkimkey.c: the wizard's "generate a new key" (tui/dkim-key.c):
 * a 2048-bit RSA key whose private half is written 0600 to the state
 * directory and whose record goes to the model; a second time the same
 * key is used again (RFC 8301 §3.2: RSA keys of at least 1024 bits). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "tui/dkim-key.h"
#include "tui/model.h"

struct seen {
	char *record;
	char *note;
	char *error;
};

static void
on_event(const struct aw_tui_event *ev, void *arg)
{
	struct seen *s = arg;

	if (ev->type == AW_EV_DKIM_KEY)
		s->record = strdup(ev->text);
	else if (ev->type == AW_EV_NOTE)
		s->note = strdup(ev->text);
	else if (ev->type == AW_EV_ERROR)
		s->error = strdup(ev->text);
}

static void
seen_done(struct seen *s)
{
	free(s->record);
	free(s->note);
	free(s->error);
	memset(s, 0, sizeof *s);
}

/* A model for example.test with its state under dir (made here), the
 * DKIM selector typed in. */
static struct aw_tui_model *
model_in(char *dir, const char *selector)
{
	struct aw_tui_model *m;

	assert_non_null(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	m = aw_tui_model_new(NULL, 0);
	assert_non_null(m);
	aw_tui_model_set_domain(m, "example.test");
	strcpy(m->dkim_selector.text, selector);
	m->dkim_selector.len = strlen(selector);
	return m;
}

static void
key_made_then_used_again_rfc8301_3_2(void **state)
{
	char dir[] = "/tmp/aw-dkimkey.XXXXXX", path[512], *first;
	struct aw_tui_model *m;
	struct seen s;
	struct stat st;

	(void)state;
	m = model_in(dir, "s2026");

	memset(&s, 0, sizeof s);
	aw_tui_make_dkim_key(m, on_event, &s);
	assert_null(s.error);
	assert_non_null(s.record);
	assert_true(strncmp(s.record, "v=DKIM1; k=rsa; p=", 18) == 0);
	/* 2048 bits: the base64 of the SubjectPublicKeyInfo is ~392 chars */
	assert_true(strlen(s.record) > 18 + 350);
	assert_non_null(s.note);
	assert_non_null(strstr(s.note, "s2026._domainkey.example.test.pem"));
	snprintf(path, sizeof path, "%s/authwizard/s2026._domainkey.example.test.pem",
	    dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	first = s.record;
	s.record = NULL;
	seen_done(&s);

	/* Again: the key in the file, not a new one. */
	aw_tui_make_dkim_key(m, on_event, &s);
	assert_null(s.error);
	assert_non_null(s.record);
	assert_string_equal(s.record, first);
	assert_non_null(s.note);
	assert_non_null(strstr(s.note, "used again"));
	seen_done(&s);
	free(first);
	unlink(path);
	snprintf(path, sizeof path, "%s/authwizard", dir);
	rmdir(path);
	rmdir(dir);
	aw_tui_model_free(m);
}

/* The key file cannot be written (a full disk: RLIMIT_FSIZE): the error
 * names the file and the reason, and no part of a key is left there. */
static void
key_file_on_a_full_disk_is_an_error_naming_it(void **state)
{
	char dir[] = "/tmp/aw-dkimkey.XXXXXX", path[512];
	struct rlimit old, tiny = { 64, 64 };
	struct aw_tui_model *m;
	struct seen s;

	(void)state;
	m = model_in(dir, "full");
	snprintf(path, sizeof path, "%s/authwizard/full._domainkey.example.test.pem",
	    dir);

	memset(&s, 0, sizeof s);
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	aw_tui_make_dkim_key(m, on_event, &s);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_null(s.record);
	assert_non_null(s.error);
	assert_non_null(strstr(s.error, path));
	assert_non_null(strstr(s.error, strerror(EFBIG)));
	assert_int_equal(access(path, F_OK), -1);
	seen_done(&s);
	snprintf(path, sizeof path, "%s/authwizard", dir);
	rmdir(path);
	rmdir(dir);
	aw_tui_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_made_then_used_again_rfc8301_3_2),
		cmocka_unit_test(key_file_on_a_full_disk_is_an_error_naming_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
