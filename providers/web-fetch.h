/* web-fetch.h: the fetcher (checks/fetch.h) over the HTTP transport: a
 * domain's own web files fetched over https with the certificate
 * verified, no redirects, a bounded body, and the host name's addresses
 * from authwizard's DNS engine handed to libcurl (CURLOPT_RESOLVE), so
 * --dns-server governs these fetches too. */
#ifndef AW_WEB_FETCH_H
#define AW_WEB_FETCH_H

#include "checks/fetch.h"
#include "core/http.h"

#define AW_WEB_FETCH_TIMEOUT_MS 10000   /* per fetch */

struct aw_web_fetch;

/* ca_file (copied; may be NULL): a PEM file of CAs trusted besides the
 * system's. The environment variable AW_TEST_HTTPS_PORT (tests only)
 * sends the connections to that port instead of 443. *http is the
 * transport, made on loop at the first fetch if still NULL (libcurl is
 * opened only then: start-up, issue 16); the caller owns it and it must
 * outlive the fetcher. NULL on no memory. Free with aw_web_fetch_free
 * (NULL: no-op); fetches still running are dropped without their
 * callbacks. */
struct aw_web_fetch *aw_web_fetch_new(struct aw_http **http,
    struct aw_loop *loop, const char *ca_file);
void aw_web_fetch_free(struct aw_web_fetch *wf);
struct aw_fetcher aw_web_fetch_fetcher(struct aw_web_fetch *wf);

#endif
