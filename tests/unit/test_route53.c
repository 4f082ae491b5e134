/* test_route53.c: Route 53 XML written and read (libxml2), requests as
 * curl 7.88 must sign them, from recorded bodies. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/http.h"
#include "providers/hosts.h"
#include "providers/provider.h"

static void *
open_host(bool session)
{
	struct aw_provider_config cfg;
	void *st = NULL;

	aw_provider_config_init(&cfg);
	aw_provider_config_set(&cfg, "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
	aw_provider_config_set(&cfg, "AWS_SECRET_ACCESS_KEY", "s3cr3t");
	if (session)
		aw_provider_config_set(&cfg, "AWS_SESSION_TOKEN", "sess");
	aw_provider_config_set(&cfg, "AWS_ENDPOINT_URL_ROUTE_53", "http://127.0.0.1:9");
	assert_int_equal(aw_route53_ops.open(&cfg, &st, NULL), AW_OK);
	aw_provider_config_done(&cfg);
	return st;
}

static void
change_body_upserts_and_deletes_with_quoted_split_txt(void **state)
{
	struct aw_change c[2];
	char longv[300];
	char *body;

	memset(c, 0, sizeof c);
	memset(longv, 'b', sizeof longv - 1);
	longv[sizeof longv - 1] = '\0';
	aw_record_init(&c[0].old, "example.com", AW_RECORD_TXT, 300);
	aw_record_init(&c[0].new, "example.com", AW_RECORD_TXT, 300);
	aw_record_add(&c[0].new, "a \"q\" \\ caf\xc3\xa9 <&>");
	aw_record_add(&c[0].new, longv);
	aw_record_init(&c[1].old, "s._domainkey.example.com", AW_RECORD_CNAME, 60);
	aw_record_add(&c[1].old, "s.dkim.example.net");
	aw_record_init(&c[1].new, "s._domainkey.example.com", AW_RECORD_CNAME, 0);
	body = aw_route53_change_body(c, 2, 300);
	assert_non_null(body);
	assert_non_null(strstr(body, "<ChangeResourceRecordSetsRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"));
	assert_non_null(strstr(body, "<Action>UPSERT</Action><ResourceRecordSet><Name>example.com.</Name><Type>TXT</Type><TTL>300</TTL>"));
	/* Quotes and backslashes escaped, non-ASCII as \ooo, XML escaped. */
	assert_non_null(strstr(body, "<Value>&quot;a \\&quot;q\\&quot; \\\\ caf\\303\\251 &lt;&amp;&gt;&quot;</Value>"));
	/* Strings of at most 255 bytes. */
	assert_non_null(strstr(body, "bbb&quot; &quot;bbb"));
	/* A DELETE names the exact current set, TTL included. */
	assert_non_null(strstr(body, "<Action>DELETE</Action><ResourceRecordSet><Name>s._domainkey.example.com.</Name>"
	    "<Type>CNAME</Type><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>s.dkim.example.net.</Value>"));
	free(body);
	aw_change_done(&c[0]);
	aw_change_done(&c[1]);
}

static void
zones_by_name_picks_the_public_zone_of_that_name(void **state)
{
	const char body[] = "<?xml version=\"1.0\"?><ListHostedZonesByNameResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
	    "<HostedZones>"
	    "<HostedZone><Id>/hostedzone/ZPRIV</Id><Name>example.com.</Name><Config><PrivateZone>true</PrivateZone></Config></HostedZone>"
	    "<HostedZone><Id>/hostedzone/ZPUB</Id><Name>example.com.</Name><Config><PrivateZone>false</PrivateZone></Config></HostedZone>"
	    "</HostedZones><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListHostedZonesByNameResponse>";
	const char later[] = "<ListHostedZonesByNameResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZones>"
	    "<HostedZone><Id>/hostedzone/ZOTHER</Id><Name>example.com.au.</Name><Config><PrivateZone>false</PrivateZone></Config></HostedZone>"
	    "</HostedZones></ListHostedZonesByNameResponse>";
	struct aw_zone z = { NULL, NULL };

	assert_int_equal(aw_route53_parse_zones(body, strlen(body), "example.com", &z, NULL), AW_OK);
	assert_string_equal(z.id, "ZPUB");
	assert_string_equal(z.name, "example.com");
	aw_zone_done(&z);
	/* dnsname= is a start key: a later zone is not a match. */
	assert_int_equal(aw_route53_parse_zones(later, strlen(later), "example.com", &z, NULL), AW_ERR_NOTFOUND);
}

static void
rrset_listing_stops_at_the_first_other_name(void **state)
{
	const char body[] = "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
	    "<ResourceRecordSet><Name>example.com.</Name><Type>TXT</Type><TTL>300</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>\"v=spf1 \" \"-all\"</Value></ResourceRecord>"
	    "<ResourceRecord><Value>\"caf\\303\\251\"</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
	    "<ResourceRecordSet><Name>\\052.example.com.</Name><Type>TXT</Type><TTL>300</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>\"wild\"</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
	    "</ResourceRecordSets><IsTruncated>true</IsTruncated><NextRecordName>x.example.com.</NextRecordName>"
	    "<NextRecordType>A</NextRecordType><MaxItems>2</MaxItems></ListResourceRecordSetsResponse>";
	const char page[] = "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
	    "<ResourceRecordSet><Name>example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
	    "</ResourceRecordSets><IsTruncated>true</IsTruncated><NextRecordName>example.com.</NextRecordName>"
	    "<NextRecordType>MX</NextRecordType><MaxItems>1</MaxItems></ListResourceRecordSetsResponse>";
	const char wild[] = "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
	    "<ResourceRecordSet><Name>\\052.example.com.</Name><Type>TXT</Type><TTL>300</TTL><ResourceRecords>"
	    "<ResourceRecord><Value>\"wild\"</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>"
	    "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListResourceRecordSetsResponse>";
	struct aw_record_set rs;
	char *nn = NULL, *nt = NULL;

	aw_record_set_init(&rs);
	assert_int_equal(aw_route53_parse_rrsets(body, strlen(body), "example.com",
	    AW_RECORD_ANY, &rs, &nn, &nt, NULL), AW_OK);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.v[0].values.v[0], "v=spf1 -all");
	assert_string_equal(rs.v[0].values.v[1], "caf\xc3\xa9");
	/* The other name came first: no next page even though truncated. */
	assert_null(nn);
	aw_record_set_done(&rs);
	aw_record_set_init(&rs);
	assert_int_equal(aw_route53_parse_rrsets(wild, strlen(wild), "*.example.com",
	    AW_RECORD_TXT, &rs, &nn, &nt, NULL), AW_OK);
	assert_int_equal(rs.n, 1);
	assert_string_equal(rs.v[0].values.v[0], "wild");
	aw_record_set_done(&rs);
	aw_record_set_init(&rs);
	assert_int_equal(aw_route53_parse_rrsets(page, strlen(page), "example.com",
	    AW_RECORD_ANY, &rs, &nn, &nt, NULL), AW_OK);
	assert_string_equal(nn, "example.com.");
	assert_string_equal(nt, "MX");
	free(nn);
	free(nt);
	aw_record_set_done(&rs);
}

static void
errors_carry_the_code_and_each_batch_message(void **state)
{
	const char thr[] = "<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type>"
	    "<Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>"
	    "<RequestId>r</RequestId></ErrorResponse>";
	const char batch[] = "<InvalidChangeBatch xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Messages>"
	    "<Message>first problem</Message><Message>second problem</Message></Messages></InvalidChangeBatch>";
	struct aw_error err;

	assert_int_equal(aw_route53_error(thr, strlen(thr), 403, &err), AW_ERR_AUTH);
	assert_non_null(strstr(err.msg, "SignatureDoesNotMatch"));
	assert_int_equal(aw_route53_error(batch, strlen(batch), 400, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "first problem; second problem"));
	/* A 5xx is the server's error whatever its body (issue 20). */
	assert_int_equal(aw_route53_error("<x", 2, 500, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "server error (HTTP 500)"));
	assert_int_equal(aw_route53_error("<html>busy</html>", 17, 503, &err), AW_ERR_PROVIDER);
	assert_non_null(strstr(err.msg, "server error (HTTP 503)"));
	assert_null(strstr(err.msg, "malformed"));
}

static void
xml_entities_are_neither_loaded_nor_expanded(void **state)
{
	const char evil[] = "<?xml version=\"1.0\"?><!DOCTYPE e [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<ErrorResponse><Error><Code>Bad&x;</Code><Message>m</Message></Error></ErrorResponse>";
	struct aw_error err;

	aw_route53_error(evil, strlen(evil), 400, &err);
	assert_null(strstr(err.msg, "root:"));
}

static void
requests_are_signed_by_curl_with_a_sorted_query(void **state)
{
	void *st = open_host(true);
	struct aw_provider_op op;
	struct aw_http_request req;
	size_t i;

	aw_provider_op_init(&op, AW_OP_LIST);
	op.name = "a b.example.com";
	op.type = AW_RECORD_TXT;
	op.zone.id = strdup("Z1");
	op.zone.name = strdup("example.com");
	aw_http_request_init(&req);
	assert_int_equal(aw_route53_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	/* curl 7.88 signs the query as written: sorted, %XX upper case. */
	assert_string_equal(req.url, "http://127.0.0.1:9/2013-04-01/hostedzone/Z1/rrset"
	    "?maxitems=100&name=a%20b.example.com.&type=TXT");
	assert_string_equal(req.aws_sigv4, "aws:amz:us-east-1:route53");
	assert_string_equal(req.userpwd, "AKIDEXAMPLE:s3cr3t");
	assert_true(aw_strv_find(&req.headers, "X-Amz-Security-Token: sess") >= 0);
	for (i = 0; i < req.headers.n; i++) {
		assert_null(strstr(req.headers.v[i], "X-Amz-Date"));
		assert_null(strstr(req.headers.v[i], "Expect"));
	}
	aw_http_request_done(&req);
	aw_provider_op_done(NULL, &op);
	aw_route53_ops.close(st);
}

static void
get_change_is_polled_until_insync(void **state)
{
	const char pending[] = "<ChangeResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
	    "<ChangeInfo><Id>/change/C123</Id><Status>PENDING</Status><SubmittedAt>2026-01-01T00:00:00Z</SubmittedAt></ChangeInfo>"
	    "</ChangeResourceRecordSetsResponse>";
	char *id = NULL, *status = NULL;

	assert_int_equal(aw_route53_parse_change(pending, strlen(pending),
	    "ChangeResourceRecordSetsResponse", &id, &status, NULL), AW_OK);
	assert_string_equal(id, "C123");
	assert_string_equal(status, "PENDING");
	free(id);
	free(status);
	assert_int_equal(aw_route53_parse_change(pending, strlen(pending),
	    "GetChangeResponse", &id, &status, NULL), AW_ERR_PROVIDER);
}

/* GetChange for the watch: one GET of /change/ID, the state as Route 53
 * says it. */
static void
change_status_is_one_get_change(void **state)
{
	const char insync[] = "<GetChangeResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
	    "<ChangeInfo><Id>/change/C123</Id><Status>INSYNC</Status><SubmittedAt>2026-01-01T00:00:00Z</SubmittedAt></ChangeInfo>"
	    "</GetChangeResponse>";
	void *st = open_host(false);
	struct aw_provider_op op;
	struct aw_http_request req;
	struct aw_http_response resp;

	aw_provider_op_init(&op, AW_OP_CHANGE_STATUS);
	op.change_id = strdup("C123");
	aw_http_request_init(&req);
	assert_int_equal(aw_route53_ops.step(st, &op, NULL, &req, NULL), AW_OK);
	assert_string_equal(req.url, "http://127.0.0.1:9/2013-04-01/change/C123");
	assert_string_equal(req.method, "GET");
	aw_http_request_done(&req);
	memset(&resp, 0, sizeof resp);
	resp.status = 200;
	aw_buf_init(&resp.body);
	aw_buf_append(&resp.body, insync, strlen(insync));
	aw_http_request_init(&req);
	assert_int_equal(aw_route53_ops.step(st, &op, &resp, &req, NULL), AW_OK);
	assert_true(op.done);
	assert_string_equal(op.status, "INSYNC");
	aw_http_request_done(&req);
	aw_buf_done(&resp.body);
	aw_provider_op_done(NULL, &op);
	aw_route53_ops.close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(change_body_upserts_and_deletes_with_quoted_split_txt),
		cmocka_unit_test(zones_by_name_picks_the_public_zone_of_that_name),
		cmocka_unit_test(rrset_listing_stops_at_the_first_other_name),
		cmocka_unit_test(errors_carry_the_code_and_each_batch_message),
		cmocka_unit_test(xml_entities_are_neither_loaded_nor_expanded),
		cmocka_unit_test(requests_are_signed_by_curl_with_a_sorted_query),
		cmocka_unit_test(get_change_is_polled_until_insync),
		cmocka_unit_test(change_status_is_one_get_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
