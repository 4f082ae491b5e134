/* test_dkim.c: DKIM key records (RFC 6376 §3.6.1, RFC 8301, RFC 8463),
 * key generation and verification, and the DKIM area over the in-memory
 * DNS source (delegation, discovery). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "checks/catalog.h"
#include "checks/dkim.h"
#include "tests/unit/helpers/area.h"
#include "tests/unit/helpers/rmtree.h"

#define RSA2048 "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAnlJuOf64uOrLkj7yPeY1uKSmcH/tOOxAiYX1c36tJ0zx3+Cvr0sca3MZehb3MsyRmhg/5dwL4/u2xcxVtdmOPT6Jf7x7zdOyo27a3FbmSzBq4QbHhFH3oK0JMKJW0N3ZSIN64rDzdyFxr23dSSiEEntr/sLpJYHXwV0daPtWlFuV49I4SVKj/oJgRjVsd+qNraJuG/HTN7JProQHnDZyzbjXo2FFMsYbQji/kKiPAYj6k1DrFZb3xVinEQEpgqNi9zZAznJDYHiwh0GW3d5O5Cenf2O/5BytZHoJbtTf36J3zAsgFwd2c1vwiipqLhkW7aVm0Yz0/E0taUwblEnsTQIDAQAB"
#define RSA512 "MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALwk4fguHqK9MB7GqYII0TGy5c2j5lI2bbTFcpt3LXQAurQbB1LjKPFNj0qnlwEM4W8G3lykwqP5nkYF1Wg7xKkCAwEAAQ=="
/* RFC 8463 Appendix A.2 */
#define ED25519 "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED25519_SPKI "MCowBQYDK2VwAyEAovC8EH10jA5baoRdoaX7LZCMA8Z0LDkcAIH8L+9pCig="

struct judged {
	struct aw_dkim_key key;
	struct aw_findings f;
};

static struct judged *
judge(const char *txt)
{
	struct judged *j = calloc(1, sizeof *j);

	aw_dkim_key_init(&j->key);
	aw_findings_init(&j->f);
	assert_int_equal(aw_dkim_key_parse(txt, strlen(txt), &j->key, &j->f),
	    AW_OK);
	return j;
}

static void
judged_free(struct judged *j)
{
	aw_dkim_key_done(&j->key);
	aw_findings_done(&j->f);
	free(j);
}

static bool
has(const struct aw_strv *sv, const char *needle)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strstr(sv->v[i], needle) != NULL)
			return true;
	return false;
}

static void
rsa_2048_key_is_good_rfc8301_3_2(void **state)
{
	struct judged *j = judge("v=DKIM1; k=rsa; p=" RSA2048);

	assert_true(j->key.usable);
	assert_int_equal(j->key.bits, 2048);
	assert_int_equal(j->f.errors.n, 0);
	assert_int_equal(j->f.warnings.n, 0);
	judged_free(j);
}

static void
rsa_under_1024_is_an_error_rfc8301_3_2(void **state)
{
	struct judged *j = judge("v=DKIM1; p=" RSA512);

	assert_false(j->key.usable);
	assert_int_equal(j->key.bits, 512);
	assert_true(has(&j->f.errors, "RFC 8301"));
	judged_free(j);
}

static void
rsa_1024_is_a_warning_rfc8301_3_2(void **state)
{
	struct aw_error err;
	char *pem, *p, *rec;
	struct judged *j;

	aw_error_clear(&err);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_RSA, 1024, &pem, &p, &err),
	    AW_OK);
	rec = aw_dkim_record(AW_DKIM_KEY_RSA, p);
	j = judge(rec);
	assert_true(j->key.usable);
	assert_int_equal(j->key.bits, 1024);
	assert_int_equal(j->f.errors.n, 0);
	assert_true(has(&j->f.warnings, "2048"));
	judged_free(j);
	free(rec);
	free(p);
	aw_dkim_secret_free(pem);
}

/* Key parses are remembered by the key's bytes (a bulk check meets one
 * ESP key in many records): each record is still judged as itself. */
static void
a_key_seen_again_is_judged_the_same(void **state)
{
	static const char *const recs[] = {
		"v=DKIM1; p=" RSA2048,
		"v=DKIM1; p=" RSA512,
		"v=DKIM1; p=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	static const unsigned bits[] = { 2048, 512, 0 };
	char first[3][400];
	size_t round, i;

	for (round = 0; round < 3; round++)
		for (i = 0; i < 3; i++) {
			struct judged *j = judge(recs[i]);
			const char *e = j->f.errors.n ? j->f.errors.v[0] : "";

			assert_int_equal(j->key.bits, bits[i]);
			assert_int_equal(j->key.usable, i == 0);
			if (round == 0)
				snprintf(first[i], sizeof first[i], "%s", e);
			else
				assert_string_equal(e, first[i]);
			if (i == 2)
				assert_true(has(&j->f.errors, "not a usable"));
			judged_free(j);
		}
}

static void
ed25519_raw_key_is_accepted_rfc8463_4_2(void **state)
{
	struct judged *j = judge("v=DKIM1; k=ed25519; p=" ED25519);

	assert_true(j->key.usable);
	assert_int_equal(j->key.type, AW_DKIM_KEY_ED25519);
	assert_int_equal(j->key.keylen, 32);
	assert_int_equal(j->f.errors.n, 0);
	judged_free(j);
}

static void
ed25519_spki_is_an_error_rfc8463_4_2(void **state)
{
	struct judged *j = judge("v=DKIM1; k=ed25519; p=" ED25519_SPKI);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "32 bytes"));
	judged_free(j);
}

static void
ed25519_key_without_k_is_an_error_rfc8463_4_2(void **state)
{
	struct judged *j = judge("v=DKIM1; p=" ED25519);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "k=ed25519"));
	judged_free(j);
}

static void
empty_p_means_revoked_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; k=rsa; p=");

	assert_true(j->key.revoked);
	assert_false(j->key.usable);
	assert_true(has(&j->f.warnings, "revoked"));
	judged_free(j);
}

static void
missing_p_is_an_error_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; k=rsa");

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "p="));
	judged_free(j);
}

static void
whitespace_inside_p_is_removed_rfc6376_3_6_1(void **state)
{
	char rec[1024];
	struct judged *j;

	snprintf(rec, sizeof rec, "v=DKIM1; k=rsa; p=%.100s \t %s", RSA2048,
	    RSA2048 + 100);
	j = judge(rec);
	assert_true(j->key.usable);
	assert_string_equal(j->key.p, RSA2048);
	assert_int_equal(j->key.bits, 2048);
	judged_free(j);
}

static void
bad_base64_is_an_error_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; k=rsa; p=MIIB*IjAN");

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "base64"));
	judged_free(j);
	j = judge("v=DKIM1; k=rsa; p=MIIBIjA");   /* not a multiple of 4 */
	assert_true(has(&j->f.errors, "base64"));
	judged_free(j);
}

static void
version_must_be_first_and_dkim1_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("k=rsa; v=DKIM1; p=" RSA2048);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "first"));
	judged_free(j);
	j = judge("v=DKIM2; p=" RSA2048);
	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "DKIM1"));
	judged_free(j);
	j = judge("p=" RSA2048);        /* v= is optional */
	assert_true(j->key.usable);
	judged_free(j);
}

static void
unknown_key_type_is_an_error_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; k=dsa; p=" RSA2048);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "k=dsa"));
	judged_free(j);
}

static void
duplicate_tag_invalidates_the_record_rfc6376_3_2(void **state)
{
	struct judged *j = judge("v=DKIM1; p=" RSA2048 "; p=" RSA2048);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "twice"));
	judged_free(j);
}

static void
hash_sha1_only_is_an_error_rfc8301_3_1(void **state)
{
	struct judged *j = judge("v=DKIM1; h=sha1; p=" RSA2048);

	assert_false(j->key.usable);
	assert_true(has(&j->f.errors, "sha256"));
	judged_free(j);
	j = judge("v=DKIM1; h=sha1:sha256; p=" RSA2048);
	assert_true(j->key.usable);
	assert_true(has(&j->f.warnings, "sha1"));
	assert_int_equal(j->key.hashes.n, 2);
	judged_free(j);
}

static void
service_type_must_allow_email_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; s=other; p=" RSA2048);

	assert_false(j->key.usable);
	judged_free(j);
	j = judge("v=DKIM1; s=email; p=" RSA2048);
	assert_true(j->key.usable);
	judged_free(j);
	j = judge("v=DKIM1; s=*; p=" RSA2048);
	assert_true(j->key.usable);
	judged_free(j);
}

static void
flags_testing_and_strict_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; t=y:s; n=hello; p=" RSA2048);

	assert_true(j->key.usable);
	assert_true(j->key.testing);
	assert_true(j->key.same_domain);
	assert_string_equal(j->key.notes, "hello");
	assert_true(has(&j->f.warnings, "t=y"));
	judged_free(j);
}

static void
unknown_tags_are_warned_rfc6376_3_6_1(void **state)
{
	struct judged *j = judge("v=DKIM1; g=*; p=" RSA2048 ";");

	assert_true(j->key.usable);
	assert_true(has(&j->f.warnings, "g="));
	judged_free(j);
}

static void
record_splits_into_255_byte_strings_rfc1035_3_3_14(void **state)
{
	struct aw_strv parts;
	char *rec = aw_dkim_record(AW_DKIM_KEY_RSA, RSA2048), *line;
	size_t i, total = 0;

	aw_strv_init(&parts);
	assert_int_equal(aw_dkim_txt_split(rec, 0, &parts), AW_OK);
	assert_true(parts.n >= 2);
	for (i = 0; i < parts.n; i++) {
		assert_true(strlen(parts.v[i]) <= 255);
		total += strlen(parts.v[i]);
	}
	assert_int_equal(total, strlen(rec));
	line = aw_dkim_zone_line("sel", "example.com", 3600, rec);
	assert_non_null(strstr(line, "sel._domainkey.example.com. 3600 IN TXT ( \"v=DKIM1; k=rsa; p="));
	free(line);
	aw_strv_done(&parts);
	free(rec);
}

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *buf = calloc(1, 65536);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_true(fread(buf, 1, 65535, fp) > 0);
	fclose(fp);
	return buf;
}

/* --force on a full disk (RLIMIT_FSIZE: EFBIG) fails with the path and
 * the reason and keeps the old key whole: no truncated key, no temporary. */
static void
keygen_force_on_a_full_disk_keeps_the_old_key(void **state)
{
	char dir[] = "/tmp/aw-dkim-test-XXXXXX", path[256], bad[300];
	struct aw_error err;
	struct rlimit old, tiny = { 16, 16 };
	char *pem1, *pem2, *p1, *p2, *back;
	struct dirent *de;
	DIR *d;
	int n = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/key.pem", dir);
	aw_error_clear(&err);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_ED25519, 0, &pem1, &p1, &err), AW_OK);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_ED25519, 0, &pem2, &p2, &err), AW_OK);
	assert_int_equal(aw_dkim_write_private(path, pem1, false, &err), AW_OK);

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	tiny.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
	aw_error_clear(&err);
	assert_int_equal(aw_dkim_write_private(path, pem2, true, &err), AW_ERR_IO);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_string_equal(err.where, path);
	assert_non_null(strstr(err.msg, strerror(EFBIG)));
	back = slurp(path);
	assert_string_equal(back, pem1);
	free(back);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	assert_int_equal(n, 1);

	/* Replaced when the disk has room; still 0600. */
	assert_int_equal(aw_dkim_write_private(path, pem2, true, &err), AW_OK);
	back = slurp(path);
	assert_string_equal(back, pem2);
	free(back);

	/* --force never replaces what is not a file (a FIFO here). */
	snprintf(bad, sizeof bad, "%s/fifo", dir);
	assert_int_equal(mkfifo(bad, 0600), 0);
	assert_int_equal(aw_dkim_write_private(bad, pem1, true, &err), AW_ERR_IO);
	assert_string_equal(err.where, bad);
	{
		struct stat stb;

		assert_int_equal(lstat(bad, &stb), 0);
		assert_true(S_ISFIFO(stb.st_mode));
	}

	/* A path under a regular file: ENOTDIR, named. */
	snprintf(bad, sizeof bad, "%s/key.pem/new.pem", dir);
	aw_error_clear(&err);
	assert_int_equal(aw_dkim_write_private(bad, pem1, false, &err), AW_ERR_IO);
	assert_string_equal(err.where, bad);
	assert_non_null(strstr(err.msg, strerror(ENOTDIR)));

	free(p1);
	free(p2);
	aw_dkim_secret_free(pem1);
	aw_dkim_secret_free(pem2);
	assert_int_equal(aw_test_rmtree(dir), 0);
}

static void
keygen_writes_0600_and_never_overwrites(void **state)
{
	char dir[] = "/tmp/aw-dkim-test-XXXXXX", path[256];
	struct aw_error err;
	char *pem, *p, *p2;
	enum aw_dkim_key_type type;
	unsigned char *der;
	size_t derlen;
	struct stat stb;
	bool match;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/key.pem", dir);
	aw_error_clear(&err);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_ED25519, 0, &pem, &p, &err),
	    AW_OK);
	assert_int_equal(aw_dkim_write_private(path, pem, false, &err), AW_OK);
	assert_int_equal(stat(path, &stb), 0);
	assert_int_equal(stb.st_mode & 0777, 0600);
	assert_int_equal(aw_dkim_write_private(path, pem, false, &err),
	    AW_ERR_CONFLICT);
	assert_int_equal(aw_dkim_write_private(path, pem, true, &err), AW_OK);
	assert_int_equal(aw_dkim_private_public(path, &type, &p2, &err), AW_OK);
	assert_int_equal(type, AW_DKIM_KEY_ED25519);
	assert_string_equal(p, p2);
	assert_int_equal(aw_dkim_base64_decode(p, &der, &derlen), AW_OK);
	assert_int_equal(derlen, 32);
	assert_int_equal(aw_dkim_key_matches(path, type, der, derlen, &match,
	    &err), AW_OK);
	assert_true(match);
	free(der);
	/* another key: no match */
	assert_int_equal(aw_dkim_base64_decode(ED25519, &der, &derlen), AW_OK);
	assert_int_equal(aw_dkim_key_matches(path, type, der, derlen, &match,
	    &err), AW_OK);
	assert_false(match);
	free(der);
	free(p2);
	free(p);
	aw_dkim_secret_free(pem);
	assert_int_equal(aw_test_rmtree(dir), 0);
}

static void
rsa_keygen_matches_and_rejects_bad_sizes(void **state)
{
	char dir[] = "/tmp/aw-dkim-test-XXXXXX", path[256];
	struct aw_error err;
	char *pem, *p;
	unsigned char *der;
	size_t derlen;
	bool match;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/rsa.pem", dir);
	aw_error_clear(&err);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_RSA, 512, &pem, &p, &err),
	    AW_ERR_INVALID);
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_RSA, 0, &pem, &p, &err),
	    AW_OK);
	assert_non_null(strstr(pem, "BEGIN RSA PRIVATE KEY"));
	assert_int_equal(aw_dkim_write_private(path, pem, false, &err), AW_OK);
	assert_int_equal(aw_dkim_base64_decode(p, &der, &derlen), AW_OK);
	assert_int_equal(aw_dkim_key_matches(path, AW_DKIM_KEY_RSA, der, derlen,
	    &match, &err), AW_OK);
	assert_true(match);
	free(der);
	assert_int_equal(aw_dkim_base64_decode(RSA2048, &der, &derlen), AW_OK);
	assert_int_equal(aw_dkim_key_matches(path, AW_DKIM_KEY_RSA, der, derlen,
	    &match, &err), AW_OK);
	assert_false(match);
	free(der);
	free(p);
	aw_dkim_secret_free(pem);
	assert_int_equal(aw_test_rmtree(dir), 0);
}


/* The DKIM area over the in-memory source. */
struct zone {
	struct aw_loop *loop;
	struct aw_dns_memory *m;
	struct aw_domain_check *dc;
};

static struct zone *
zone_new(void)
{
	struct zone *z = calloc(1, sizeof *z);

	z->loop = aw_loop_new();
	z->m = aw_dns_memory_new(z->loop);
	return z;
}

static struct aw_section *
zone_run(struct zone *z, const char *selector, const char *service)
{
	const char *sel[1] = { selector };
	struct aw_domain_check_opts opts;

	memset(&opts, 0, sizeof opts);
	opts.selectors = selector ? sel : NULL;
	opts.nselectors = selector ? 1 : 0;
	opts.dkim_service = service;
	z->dc = aw_test_run_area(z->loop, z->m, "example.org", "dkim", &opts);
	assert_non_null(z->dc);
	return aw_test_section(z->dc, "dkim", NULL);
}

static void
zone_free(struct zone *z)
{
	aw_domain_check_free(z->dc);
	aw_dns_memory_free(z->m);
	aw_loop_free(z->loop);
	free(z);
}

static void
area_follows_cname_to_a_valid_key_rfc6376_3_6_2_2(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;
	struct aw_dkim_detail *d;

	aw_dns_memory_add_target(z->m, "s1._domainkey.example.org",
	    AW_RECORD_CNAME, "s1.domainkey.u123.wl.sendgrid.net");
	aw_dns_memory_add_txt1(z->m, "s1.domainkey.u123.wl.sendgrid.net",
	    "v=DKIM1; k=rsa; p=" RSA2048);
	sec = zone_run(z, "s1", "sendgrid");
	d = sec->detail;
	assert_int_equal(sec->f.status, AW_CHECK_OK);
	assert_int_equal(d->chain.n, 1);
	assert_string_equal(d->chain.v[0], "s1.domainkey.u123.wl.sendgrid.net");
	assert_true(d->has_key);
	assert_int_equal(d->key.bits, 2048);
	assert_string_equal(d->service_id, "sendgrid");
	assert_false(d->wrong_service);
	zone_free(z);
}

static void
area_flags_cname_to_nowhere(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;
	struct aw_dkim_detail *d;

	aw_dns_memory_add_target(z->m, "s1._domainkey.example.org",
	    AW_RECORD_CNAME, "gone.example.net");
	sec = zone_run(z, "s1", NULL);
	d = sec->detail;
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(d->cname_dangling);
	assert_true(aw_test_has(&sec->f.errors, "does not exist"));
	zone_free(z);
}

static void
area_flags_cname_loop_rfc1034_3_6_2(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;
	struct aw_dkim_detail *d;

	aw_dns_memory_add_target(z->m, "s1._domainkey.example.org",
	    AW_RECORD_CNAME, "a.example.net");
	aw_dns_memory_add_target(z->m, "a.example.net", AW_RECORD_CNAME,
	    "s1._domainkey.example.org");
	sec = zone_run(z, "s1", NULL);
	d = sec->detail;
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(d->cname_loop);
	zone_free(z);
}

static void
area_flags_cname_to_another_service(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;
	struct aw_dkim_detail *d;

	aw_dns_memory_add_target(z->m, "zendesk1._domainkey.example.org",
	    AW_RECORD_CNAME, "s1.domainkey.u1.wl.sendgrid.net");
	aw_dns_memory_add_txt1(z->m, "s1.domainkey.u1.wl.sendgrid.net",
	    "v=DKIM1; k=rsa; p=" RSA2048);
	sec = zone_run(z, "zendesk1", "zendesk");
	d = sec->detail;
	assert_true(d->wrong_service);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_true(aw_test_has(&sec->f.errors, "Zendesk"));
	zone_free(z);
}

static void
area_several_records_at_one_selector_is_an_error_rfc6376_3_6_2_2(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;

	aw_dns_memory_add_txt1(z->m, "s1._domainkey.example.org",
	    "v=DKIM1; p=" RSA2048);
	aw_dns_memory_add_txt1(z->m, "s1._domainkey.example.org",
	    "v=DKIM1; k=ed25519; p=" ED25519);
	sec = zone_run(z, "s1", NULL);
	assert_int_equal(sec->f.status, AW_CHECK_ERROR);
	assert_int_equal(sec->f.records.n, 2);
	assert_true(aw_test_has(&sec->f.errors, "exactly one"));
	zone_free(z);
}

static void
area_missing_selector_is_missing_not_error(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;

	aw_dns_memory_add_txt1(z->m, "example.org", "v=spf1 -all");
	sec = zone_run(z, "nosuch", NULL);
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_false(sec->f.dns_failure);
	zone_free(z);
}

static void
area_discovers_common_selectors_concurrently(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;
	struct aw_dkim_detail *d;

	aw_dns_memory_add_txt1(z->m, "google._domainkey.example.org",
	    "v=DKIM1; k=rsa; p=" RSA2048);
	aw_dns_memory_add_target(z->m, "selector1._domainkey.example.org",
	    AW_RECORD_CNAME, "selector1-example-org._domainkey.contoso.onmicrosoft.com");
	aw_dns_memory_add_txt1(z->m,
	    "selector1-example-org._domainkey.contoso.onmicrosoft.com",
	    "v=DKIM1; k=rsa; p=" RSA512);
	sec = zone_run(z, NULL, NULL);
	d = sec->detail;
	assert_true(d->discovery);
	assert_true(d->probed >= 20);
	assert_int_equal(d->nfound, 2);
	assert_string_equal(d->found[0].selector, "google");
	assert_string_equal(d->found[1].selector, "selector1");
	assert_string_equal(d->found[1].service_id, "microsoft365");
	assert_false(d->found[1].usable);
	assert_true(aw_test_has(&sec->f.errors, "selector1: "));
	assert_int_equal(sec->f.records.n, 2);
	zone_free(z);
}

static void
area_discovery_finds_nothing_says_so(void **state)
{
	struct zone *z = zone_new();
	struct aw_section *sec;

	aw_dns_memory_add_txt1(z->m, "example.org", "v=spf1 -all");
	sec = zone_run(z, NULL, NULL);
	assert_int_equal(sec->f.status, AW_CHECK_MISSING);
	assert_true(aw_test_has(&sec->f.notes, "--selector"));
	zone_free(z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rsa_2048_key_is_good_rfc8301_3_2),
		cmocka_unit_test(rsa_under_1024_is_an_error_rfc8301_3_2),
		cmocka_unit_test(rsa_1024_is_a_warning_rfc8301_3_2),
		cmocka_unit_test(a_key_seen_again_is_judged_the_same),
		cmocka_unit_test(ed25519_raw_key_is_accepted_rfc8463_4_2),
		cmocka_unit_test(ed25519_spki_is_an_error_rfc8463_4_2),
		cmocka_unit_test(ed25519_key_without_k_is_an_error_rfc8463_4_2),
		cmocka_unit_test(empty_p_means_revoked_rfc6376_3_6_1),
		cmocka_unit_test(missing_p_is_an_error_rfc6376_3_6_1),
		cmocka_unit_test(whitespace_inside_p_is_removed_rfc6376_3_6_1),
		cmocka_unit_test(bad_base64_is_an_error_rfc6376_3_6_1),
		cmocka_unit_test(version_must_be_first_and_dkim1_rfc6376_3_6_1),
		cmocka_unit_test(unknown_key_type_is_an_error_rfc6376_3_6_1),
		cmocka_unit_test(duplicate_tag_invalidates_the_record_rfc6376_3_2),
		cmocka_unit_test(hash_sha1_only_is_an_error_rfc8301_3_1),
		cmocka_unit_test(service_type_must_allow_email_rfc6376_3_6_1),
		cmocka_unit_test(flags_testing_and_strict_rfc6376_3_6_1),
		cmocka_unit_test(unknown_tags_are_warned_rfc6376_3_6_1),
		cmocka_unit_test(record_splits_into_255_byte_strings_rfc1035_3_3_14),
		cmocka_unit_test(keygen_writes_0600_and_never_overwrites),
		cmocka_unit_test(keygen_force_on_a_full_disk_keeps_the_old_key),
		cmocka_unit_test(rsa_keygen_matches_and_rejects_bad_sizes),
		cmocka_unit_test(area_follows_cname_to_a_valid_key_rfc6376_3_6_2_2),
		cmocka_unit_test(area_flags_cname_to_nowhere),
		cmocka_unit_test(area_flags_cname_loop_rfc1034_3_6_2),
		cmocka_unit_test(area_flags_cname_to_another_service),
		cmocka_unit_test(area_several_records_at_one_selector_is_an_error_rfc6376_3_6_2_2),
		cmocka_unit_test(area_missing_selector_is_missing_not_error),
		cmocka_unit_test(area_discovers_common_selectors_concurrently),
		cmocka_unit_test(area_discovery_finds_nothing_says_so),
	};

	setenv("AW_DATADIR", AW_SRCDIR "/data", 0);

	return cmocka_run_group_tests(tests, NULL, NULL);
}
