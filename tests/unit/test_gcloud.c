/* test_gcloud.c: Google Cloud DNS: the service-account JWT (RS256 through
 * OpenSSL, checks/dkim-key.c), the token endpoint's answers, rrset lists
 * with page tokens and the rrset body. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "checks/dkim.h"
#include "core/record.h"
#include "providers/hosts.h"

/* base64url segment -> JSON. */
static json_t *
segment_json(const char *seg, size_t len)
{
	char buf[1024];
	unsigned char *raw;
	size_t i, n, rawlen;
	json_t *o;

	assert_true(len + 4 < sizeof buf);
	for (i = 0; i < len; i++) {
		assert_true(seg[i] != '=' && seg[i] != '+' && seg[i] != '/');
		buf[i] = seg[i] == '-' ? '+' : seg[i] == '_' ? '/' : seg[i];
	}
	for (n = len; n % 4 != 0; n++)
		buf[n] = '=';
	buf[n] = '\0';
	assert_int_equal(aw_dkim_base64_decode(buf, &raw, &rawlen), AW_OK);
	o = json_loadb((const char *)raw, rawlen, 0, NULL);
	free(raw);
	return o;
}

static void
jwt_is_rs256_signed_with_the_claims_google_wants(void **state)
{
	char *pem = NULL, *p = NULL, *jwt, *again;
	const char *dot1, *dot2;
	struct aw_error err;
	json_t *hdr, *claims;

	(void)state;
	assert_int_equal(aw_dkim_keygen(AW_DKIM_KEY_RSA, 2048, &pem, &p, &err), AW_OK);
	jwt = aw_gcloud_jwt("sa@p.iam.gserviceaccount.com", "kid1", pem,
	    "https://www.googleapis.com/auth/ndev.clouddns.readwrite", 1700000000, &err);
	assert_non_null(jwt);
	dot1 = strchr(jwt, '.');
	dot2 = dot1 != NULL ? strchr(dot1 + 1, '.') : NULL;
	assert_non_null(dot2);
	assert_null(strchr(dot2 + 1, '.'));
	hdr = segment_json(jwt, (size_t)(dot1 - jwt));
	claims = segment_json(dot1 + 1, (size_t)(dot2 - dot1 - 1));
	assert_string_equal(json_string_value(json_object_get(hdr, "alg")), "RS256");
	assert_string_equal(json_string_value(json_object_get(hdr, "typ")), "JWT");
	assert_string_equal(json_string_value(json_object_get(hdr, "kid")), "kid1");
	assert_string_equal(json_string_value(json_object_get(claims, "aud")),
	    "https://oauth2.googleapis.com/token");
	assert_string_equal(json_string_value(json_object_get(claims, "iss")),
	    "sa@p.iam.gserviceaccount.com");
	assert_int_equal(json_integer_value(json_object_get(claims, "iat")), 1700000000);
	assert_int_equal(json_integer_value(json_object_get(claims, "exp")), 1700003600);
	/* A 2048-bit signature: 256 bytes, 342 base64url characters. */
	assert_int_equal(strlen(dot2 + 1), 342);
	/* PKCS#1 v1.5 is deterministic: the same input, the same JWT. */
	again = aw_gcloud_jwt("sa@p.iam.gserviceaccount.com", "kid1", pem,
	    "https://www.googleapis.com/auth/ndev.clouddns.readwrite", 1700000000, &err);
	assert_string_equal(jwt, again);
	json_decref(hdr);
	json_decref(claims);
	free(jwt);
	free(again);
	/* Not an RSA key: refused, nothing signed. */
	assert_null(aw_gcloud_jwt("a", NULL, "-----BEGIN PRIVATE KEY-----\nxx\n", "s", 1, &err));
	assert_int_equal(err.status, AW_ERR_INVALID);
	aw_dkim_secret_free(pem);
	free(p);
}

static void
token_answers_and_refusals(void **state)
{
	const char *ok = "{\"access_token\": \"ya29.abc\", \"expires_in\": \"3599\", "
	    "\"token_type\": \"Bearer\"}";
	const char *bad = "{\"error\": \"invalid_grant\", \"error_description\": "
	    "\"Invalid JWT Signature.\"}";
	struct aw_error err;
	char *tok;
	long exp;

	(void)state;
	assert_int_equal(aw_provider_oauth_token(ok, strlen(ok), 200, "Google OAuth2", &tok, &exp, &err), AW_OK);
	assert_string_equal(tok, "ya29.abc");
	assert_int_equal(exp, 3599);
	free(tok);
	assert_int_equal(aw_provider_oauth_token(bad, strlen(bad), 400, "Google OAuth2", &tok, &exp, &err),
	    AW_ERR_AUTH);
	assert_null(tok);
	assert_non_null(strstr(err.msg, "invalid_grant: Invalid JWT Signature."));
	assert_int_equal(aw_provider_oauth_token("", 0, 503, "Google OAuth2", &tok, &exp, &err), AW_ERR_PROVIDER);
}

static void
rrsets_paged_and_errors_shown(void **state)
{
	const char *page = "{\"rrsets\": [{\"name\": \"x.example.com.\", \"type\": \"TXT\", "
	    "\"ttl\": 300, \"rrdatas\": [\"\\\"v=spf1 \\\" \\\"-all\\\"\", \"bare\"]}, "
	    "{\"name\": \"other.example.com.\", \"type\": \"TXT\", \"ttl\": 300, "
	    "\"rrdatas\": [\"\\\"no\\\"\"]}], \"nextPageToken\": \"tok2\"}";
	const char *e = "{\"error\": {\"code\": 403, \"message\": \"Forbidden\", "
	    "\"errors\": [{\"reason\": \"forbidden\"}]}}";
	struct aw_record_set out;
	struct aw_error err;
	char *next;

	(void)state;
	aw_record_set_init(&out);
	assert_int_equal(aw_gcloud_parse_rrsets(page, strlen(page), "x.example.com",
	    AW_RECORD_TXT, &out, &next, &err), AW_OK);
	assert_string_equal(next, "tok2");
	free(next);
	assert_int_equal(out.n, 1);
	assert_true(aw_record_find(&out.v[0], "v=spf1 -all") >= 0);
	assert_true(aw_record_find(&out.v[0], "bare") >= 0);
	aw_record_set_done(&out);
	assert_int_equal(aw_gcloud_error(e, strlen(e), 403, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "forbidden: Forbidden (code 403)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(jwt_is_rs256_signed_with_the_claims_google_wants),
		cmocka_unit_test(token_answers_and_refusals),
		cmocka_unit_test(rrsets_paged_and_errors_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
