/* test_rfc2136.c: the RFC 2136 host: TSIG algorithm names, BIND key files,
 * the UPDATE's sections; and against a real Knot (tests/testbed.sh knot,
 * started here when knotd is installed): an RRset changed by someone else
 * between the read and the update fails the update's prerequisite
 * (NXRRSET) and changes nothing. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/record.h"
#include "providers/provider.h"
#include "providers/rfc2136.h"
#include "tests/unit/helpers/rmtree.h"

static void
test_algorithm(void **state)
{
	(void)state;
	assert_string_equal(aw_rfc2136_algorithm(NULL), "hmac-sha256.");
	assert_string_equal(aw_rfc2136_algorithm("hmac-sha256"), "hmac-sha256.");
	assert_string_equal(aw_rfc2136_algorithm("HMAC-SHA512."), "hmac-sha512.");
	assert_string_equal(aw_rfc2136_algorithm("sha384"), "hmac-sha384.");
	assert_null(aw_rfc2136_algorithm("hmac-md5"));
	assert_null(aw_rfc2136_algorithm("hmac-sha1"));
	assert_null(aw_rfc2136_algorithm(""));
}

static void
test_keyfile(void **state)
{
	char *name, *alg, *secret;

	(void)state;
	/* As tsig-keygen prints it, with a comment. */
	assert_int_equal(aw_rfc2136_parse_keyfile(
	    "# made by tsig-keygen\nkey \"aw-key\" {\n\talgorithm hmac-sha512;\n"
	    "\tsecret \"c2VjcmV0c2VjcmV0\";\n};\n", &name, &alg, &secret, NULL),
	    AW_OK);
	assert_string_equal(name, "aw-key");
	assert_string_equal(alg, "hmac-sha512");
	assert_string_equal(secret, "c2VjcmV0c2VjcmV0");
	free(name);
	free(alg);
	free(secret);
	/* No algorithm: the default. */
	assert_int_equal(aw_rfc2136_parse_keyfile(
	    "key k { secret \"YWJjZA==\"; };", &name, &alg, &secret, NULL), AW_OK);
	assert_string_equal(alg, "hmac-sha256");
	free(name);
	free(alg);
	free(secret);
	/* No secret, a secret that is no base64, no key at all. */
	assert_int_equal(aw_rfc2136_parse_keyfile(
	    "key k { algorithm hmac-sha256; };", &name, &alg, &secret, NULL),
	    AW_ERR_INVALID);
	assert_null(secret);
	assert_int_equal(aw_rfc2136_parse_keyfile(
	    "key k { secret \"not base64!\"; };", &name, &alg, &secret, NULL),
	    AW_ERR_INVALID);
	assert_int_equal(aw_rfc2136_parse_keyfile("options { };", &name, &alg,
	    &secret, NULL), AW_ERR_INVALID);
}

static ldns_rr *
rr(const char *text)
{
	ldns_rr *r = NULL;

	assert_int_equal(ldns_rr_new_frm_str(&r, text, 0, NULL, NULL),
	    LDNS_STATUS_OK);
	return r;
}

static void
change_init(struct aw_change *c, const char *name)
{
	memset(c, 0, sizeof *c);
	assert_int_equal(aw_record_init(&c->old, name, AW_RECORD_TXT, 0), AW_OK);
	assert_int_equal(aw_record_init(&c->new, name, AW_RECORD_TXT, 0), AW_OK);
}

/* The RRset as read is the prerequisite and is deleted; a value that
 * stays goes back with its two strings; a new one over 255 bytes is
 * split. */
static void
test_update_pkt(void **state)
{
	ldns_rr_list *cur = ldns_rr_list_new();
	struct aw_change c;
	char longv[300];
	ldns_pkt *p;
	const ldns_rr_list *pr, *up;
	const ldns_rr *kept = NULL, *added = NULL;
	size_t i;

	(void)state;
	ldns_rr_list_push_rr(cur, rr("x.test. 300 IN TXT \"google-site-verification=\" \"abc123\""));
	ldns_rr_list_push_rr(cur, rr("x.test. 300 IN TXT \"v=spf1 -all\""));
	change_init(&c, "x.test");
	aw_record_add(&c.old, "google-site-verification=abc123");
	aw_record_add(&c.old, "v=spf1 -all");
	memset(longv, 'a', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	aw_record_add(&c.new, "google-site-verification=abc123");
	aw_record_add(&c.new, longv);
	p = aw_rfc2136_update_pkt("test", &c, cur, 3600);
	assert_non_null(p);
	assert_int_equal(ldns_pkt_get_opcode(p), LDNS_PACKET_UPDATE);
	pr = ldns_pkt_answer(p);      /* the prerequisite section */
	up = ldns_pkt_authority(p);   /* the update section */
	assert_int_equal(ldns_rr_list_rr_count(pr), 2);
	for (i = 0; i < 2; i++) {
		assert_int_equal(ldns_rr_get_class(ldns_rr_list_rr(pr, i)),
		    LDNS_RR_CLASS_IN);
		assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(pr, i)), 0);
		assert_int_equal(ldns_rr_rd_count(ldns_rr_list_rr(pr, i)),
		    ldns_rr_rd_count(ldns_rr_list_rr(cur, i)));
	}
	assert_int_equal(ldns_rdf_compare(ldns_rr_rdf(ldns_rr_list_rr(pr, 0), 1),
	    ldns_rr_rdf(ldns_rr_list_rr(cur, 0), 1)), 0);
	assert_int_equal(ldns_rr_list_rr_count(up), 3);
	assert_int_equal(ldns_rr_get_class(ldns_rr_list_rr(up, 0)), LDNS_RR_CLASS_ANY);
	assert_int_equal(ldns_rr_rd_count(ldns_rr_list_rr(up, 0)), 0);
	for (i = 1; i < 3; i++) {
		const ldns_rr *r = ldns_rr_list_rr(up, i);

		assert_int_equal(ldns_rr_get_class(r), LDNS_RR_CLASS_IN);
		assert_int_equal(ldns_rr_ttl(r), 300);   /* the RRset's TTL */
		if (ldns_rdf_size(ldns_rr_rdf(r, 0)) == 256)
			added = r;
		else
			kept = r;
	}
	assert_non_null(kept);
	assert_int_equal(ldns_rr_rd_count(kept), 2);     /* strings as read */
	assert_non_null(added);
	assert_int_equal(ldns_rr_rd_count(added), 2);    /* 255 + 44 */
	assert_int_equal(ldns_rdf_size(ldns_rr_rdf(added, 1)), 45);
	ldns_pkt_free(p);
	aw_change_done(&c);

	/* Nothing there: the prerequisite is "no such RRset" (class NONE). */
	change_init(&c, "new.test");
	aw_record_add(&c.new, "v=spf1 -all");
	p = aw_rfc2136_update_pkt("test", &c, NULL, 3600);
	assert_non_null(p);
	pr = ldns_pkt_answer(p);
	assert_int_equal(ldns_rr_list_rr_count(pr), 1);
	assert_int_equal(ldns_rr_get_class(ldns_rr_list_rr(pr, 0)), LDNS_RR_CLASS_NONE);
	assert_int_equal(ldns_rr_rd_count(ldns_rr_list_rr(pr, 0)), 0);
	assert_int_equal(ldns_rr_list_rr_count(ldns_pkt_authority(p)), 1);
	assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(ldns_pkt_authority(p), 0)), 3600);
	ldns_pkt_free(p);
	aw_change_done(&c);
	ldns_rr_list_deep_free(cur);
}

/* The live test's Knot. */
static char knot_dir[256];
static char knot_server[64];
static int knot_pid;
static const char *secret_b64 = "dGVzdC1zZWNyZXQtZm9yLWF1dGh3aXphcmQtcmZjMjEzNg==";

static int
knot_setup(void **state)
{
	const char *src = getenv("AW_SRCDIR");
	char cmd[1024], zone[300];
	FILE *f;
	int port = 0;

	(void)state;
	if (src == NULL || system("command -v knotd >/dev/null 2>&1") != 0)
		return 0;
	snprintf(knot_dir, sizeof knot_dir, "%s/tests/tmp/unit-rfc2136.XXXXXX", src);
	if (mkdtemp(knot_dir) == NULL)
		return 0;
	snprintf(zone, sizeof zone, "%s/prereq.test.zone", knot_dir);
	if ((f = fopen(zone, "w")) == NULL)
		return 0;
	fputs("$ORIGIN prereq.test.\n$TTL 300\n@ SOA ns1 h 1 3600 600 86400 300\n"
	    "@ NS ns1\nns1 A 127.0.0.1\n@ TXT \"a\" \"b\"\n", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "AW_TB_TSIG='aw-unit hmac-sha256 %s' "
	    "'%s/tests/testbed.sh' knot '%s/knot' '%s'", secret_b64, src,
	    knot_dir, zone);
	if ((f = popen(cmd, "r")) == NULL)
		return 0;
	if (fscanf(f, "%d %d", &port, &knot_pid) != 2)
		port = knot_pid = 0;
	pclose(f);
	if (port > 0)
		snprintf(knot_server, sizeof knot_server, "127.0.0.1:%d", port);
	return 0;
}

static int
knot_teardown(void **state)
{

	(void)state;
	if (knot_pid > 0)
		kill(knot_pid, SIGTERM);
	if (knot_dir[0] != '\0' && strstr(knot_dir, "unit-rfc2136.") != NULL) {
		if (aw_test_rmtree(knot_dir) != 0)
			return 0;
	}
	return 0;
}

static void *
host_open(void)
{
	struct aw_provider_config cfg;
	void *st = NULL;

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "RFC2136_NAMESERVER", knot_server);
	aw_provider_config_set(&cfg, "RFC2136_TSIG_KEY", "aw-unit");
	aw_provider_config_set(&cfg, "RFC2136_TSIG_SECRET", secret_b64);
	assert_int_equal(aw_rfc2136_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static enum aw_status
host_step(void *st, struct aw_provider_op *op, struct aw_error *err)
{
	struct aw_http_request req;
	enum aw_status s;

	aw_http_request_init(&req);
	s = aw_rfc2136_ops.step(st, op, NULL, &req, err);
	aw_http_request_done(&req);
	return s;
}

static void
list_apex(void *st, struct aw_record *out)
{
	struct aw_provider_op op;
	struct aw_zone z = { (char *)"prereq.test", (char *)"prereq.test" };
	const struct aw_record *r;

	aw_provider_op_init(&op, AW_OP_LIST);
	op.name = "prereq.test";
	op.type = AW_RECORD_TXT;
	assert_int_equal(aw_provider_op_set_zone(&op, &z), AW_OK);
	assert_int_equal(host_step(st, &op, NULL), AW_OK);
	assert_true(op.done);
	r = aw_record_set_find(&op.records, "prereq.test", AW_RECORD_TXT);
	assert_non_null(r);
	assert_int_equal(aw_record_copy(out, r), AW_OK);
	aw_provider_op_done(NULL, &op);
}

static enum aw_status
change_apex(void *st, const struct aw_record *old, const char *add,
    struct aw_change *c, struct aw_error *err)
{
	struct aw_provider_op op;
	struct aw_zone z = { (char *)"prereq.test", (char *)"prereq.test" };
	enum aw_status s;

	memset(c, 0, sizeof *c);
	assert_int_equal(aw_record_copy(&c->old, old), AW_OK);
	assert_int_equal(aw_record_copy(&c->new, old), AW_OK);
	assert_int_equal(aw_record_add(&c->new, add), AW_OK);
	c->kind = AW_CHANGE_UPDATE;
	aw_provider_op_init(&op, AW_OP_CHANGE);
	op.changes = c;
	op.nchanges = 1;
	assert_int_equal(aw_provider_op_set_zone(&op, &z), AW_OK);
	s = host_step(st, &op, err);
	aw_provider_op_done(NULL, &op);
	return s;
}

static void
test_prerequisite_live(void **state)
{
	void *a, *b;
	struct aw_record seen, now;
	struct aw_change ca, cb;
	struct aw_error err;

	(void)state;
	if (knot_server[0] == '\0')
		skip();
	a = host_open();
	b = host_open();
	list_apex(a, &seen);                      /* a reads "ab" */
	assert_int_equal(seen.values.n, 1);
	assert_string_equal(seen.values.v[0], "ab");
	/* b changes the name after a's read. */
	assert_int_equal(change_apex(b, &seen, "someone-else", &cb, NULL), AW_OK);
	assert_int_equal(cb.state, AW_CHANGE_MADE);
	/* a's update carries what a read: the server refuses it. */
	aw_error_clear(&err);
	assert_int_equal(change_apex(a, &seen, "mine", &ca, &err), AW_ERR_CONFLICT);
	assert_int_equal(ca.state, AW_CHANGE_FAILED);
	assert_non_null(strstr(err.msg, "prerequisite failed: NXRRSET"));
	/* Nothing of a's went in; b's edit and the two strings stay. */
	memset(&now, 0, sizeof now);
	list_apex(b, &now);
	assert_int_equal(now.values.n, 2);
	assert_true(aw_record_find(&now, "someone-else") >= 0);
	assert_true(aw_record_find(&now, "ab") >= 0);
	assert_true(aw_record_find(&now, "mine") < 0);
	aw_record_done(&seen);
	aw_record_done(&now);
	aw_change_done(&ca);
	aw_change_done(&cb);
	aw_rfc2136_ops.close(a);
	aw_rfc2136_ops.close(b);
}

/* A wrong secret: the TSIG error, nothing changed. */
static void
test_wrong_secret_live(void **state)
{
	struct aw_provider_config cfg;
	struct aw_record seen;
	struct aw_change c;
	struct aw_error err;
	void *good, *bad = NULL;

	(void)state;
	if (knot_server[0] == '\0')
		skip();
	good = host_open();
	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "RFC2136_NAMESERVER", knot_server);
	aw_provider_config_set(&cfg, "RFC2136_TSIG_KEY", "aw-unit");
	aw_provider_config_set(&cfg, "RFC2136_TSIG_SECRET", "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldA==");
	assert_int_equal(aw_rfc2136_ops.open(&cfg, &bad, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	list_apex(good, &seen);
	aw_error_clear(&err);
	assert_int_equal(change_apex(bad, &seen, "bad-key", &c, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "BADSIG"));
	assert_null(strstr(err.msg, "d3Jvbmct"));      /* the secret: never */
	aw_change_done(&c);
	aw_record_done(&seen);
	list_apex(good, &seen);
	assert_true(aw_record_find(&seen, "bad-key") < 0);
	aw_record_done(&seen);
	aw_rfc2136_ops.close(good);
	aw_rfc2136_ops.close(bad);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_algorithm),
		cmocka_unit_test(test_keyfile),
		cmocka_unit_test(test_update_pkt),
		cmocka_unit_test(test_prerequisite_live),
		cmocka_unit_test(test_wrong_secret_live),
	};

	return cmocka_run_group_tests(tests, knot_setup, knot_teardown);
}
