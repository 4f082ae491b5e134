/* fuzz_bimi.c: the BIMI record parser and URL host, the SVG Tiny PS
 * check (libxml2, no network, no entities) and the mark certificate
 * parser (OpenSSL PEM and X.509) on the same input. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/bimi.h"
#include "tests/fuzz/fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aw_bimi_record r;
	struct aw_bimi_svg svg;
	struct aw_bimi_cert cert;
	struct aw_findings f;
	char *text = aw_fuzz_cstr(data, size), *host;

	(void)aw_bimi_is_record(text, size);
	aw_bimi_record_init(&r);
	aw_findings_init(&f);
	if (aw_bimi_parse(text, size, &r, &f) == AW_OK && r.valid &&
	    r.l == NULL)
		abort();
	aw_bimi_record_done(&r);
	host = aw_bimi_url_host(text);
	if (host != NULL && strpbrk(host, "/:@ ") != NULL)
		abort();
	free(host);
	aw_bimi_svg_check(text, size, &svg, &f);
	if (svg.ok && (!svg.parsed || svg.script || svg.external))
		abort();
	aw_bimi_cert_init(&cert);
	if (aw_bimi_cert_check(text, size, "example.com", NULL, NULL, &cert,
	    &f) == AW_OK && cert.chain_ok && !cert.parsed)
		abort();
	aw_bimi_cert_done(&cert);
	aw_findings_done(&f);
	free(text);
	return 0;
}
