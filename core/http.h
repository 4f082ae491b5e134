/* http.h: the HTTP transport, the only user of libcurl. Requests and
 * responses are plain data (providers build and parse them as pure
 * functions); the transport sends them through curl multi driven by the
 * shared event loop, so the TUI never blocks, and retries 429/5xx (and what
 * the request's retry hook names) with bounded backoff. */
#ifndef AW_HTTP_H
#define AW_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/loop.h"
#include "core/strv.h"

#define AW_HTTP_MAX_RESPONSE (4u * 1024 * 1024)  /* default body cap */
#define AW_HTTP_TIMEOUT_MS 30000                  /* default per try */
#define AW_HTTP_MAX_TRIES 5
#define AW_HTTP_RETRY_AFTER_CAP_S 60              /* Retry-After is capped
                                                    * (env AW_HTTP_RETRY_AFTER_MAX) */
#define AW_HTTP_SIGV4_BODY_MAX (1024u * 1024)     /* curl adds Expect: from here */
#define AW_HTTP_LINK_MAX 8192                     /* a longer Link header is dropped */

struct aw_http_response;

/* Optional: true when a response the transport would not retry by itself
 * (e.g. Route 53's 400 Throttling) should be retried. Pure. */
typedef bool (*aw_http_retry_fn)(const struct aw_http_response *resp);

struct aw_http_request {
	const char *method;        /* static: "GET", "POST", "PUT", "PATCH", "DELETE" */
	char *url;                 /* owned */
	struct aw_strv headers;    /* owned "Name: value" lines; never empty values */
	char *body;                /* owned or NULL */
	size_t body_len;
	const char *aws_sigv4;     /* static, e.g. "aws:amz:us-east-1:route53", or NULL */
	char *userpwd;             /* owned secret "key:secret" for SigV4; wiped when done */
	int64_t delay_ms;          /* wait this long before sending (polling) */
	int timeout_ms;            /* per try; 0: AW_HTTP_TIMEOUT_MS or env */
	size_t max_response;       /* 0: AW_HTTP_MAX_RESPONSE */
	aw_http_retry_fn retry;    /* may be NULL */
	bool replay_safe;          /* a POST that may be sent again after a 5xx
	                            * (the host may have done it already: the
	                            * caller copes, e.g. Cloudflare's 81058);
	                            * other methods are replayed anyway */
	int max_tries;             /* 0: AW_HTTP_MAX_TRIES */
	/* Fetches of a domain's own web files (MTA-STS policy, BIMI): */
	bool https_only;           /* refuse any scheme but https */
	struct aw_strv resolve;    /* owned CURLOPT_RESOLVE lines
	                            * "HOST:PORT:ADDR[,ADDR...]": the names
	                            * resolved by our own DNS engine */
	struct aw_strv connect_to; /* owned CURLOPT_CONNECT_TO lines */
	char *ca_file;             /* owned PEM file of trusted CAs, or NULL
	                            * (then $CURL_CA_BUNDLE, else libcurl's
	                            * default); the system CA directory stays
	                            * trusted too */
};

struct aw_http_response {
	long status;               /* HTTP status; 0 before an answer */
	struct aw_buf body;        /* owned */
	char *content_type;        /* owned or NULL */
	long retry_after;          /* seconds from Retry-After, -1 if none */
	char *link;                /* owned Link header (RFC 8288), bounded, or
	                            * NULL (deSEC's cursor paging) */
	unsigned tries;            /* how many sends it took */
	bool too_large;            /* stopped at max_response (err set) */
};

void aw_http_request_init(struct aw_http_request *req);
/* Frees everything, wiping userpwd first. */
void aw_http_request_done(struct aw_http_request *req);
enum aw_status aw_http_request_set(struct aw_http_request *req,
    const char *method, const char *url);
/* Adds "name: value"; AW_ERR_INVALID for an empty value or CR/LF inside. */
enum aw_status aw_http_request_header(struct aw_http_request *req,
    const char *name, const char *value);
/* Takes ownership of body (NUL-terminated, length strlen). */
void aw_http_request_take_body(struct aw_http_request *req, char *body);
void aw_http_response_init(struct aw_http_response *resp);
void aw_http_response_done(struct aw_http_response *resp);

/* Percent-encoding of a URL query value or path segment: unreserved
 * characters (RFC 3986 §2.3) as they are, everything else %XX upper case
 * (SigV4 canonical form). Appends to out. */
enum aw_status aw_http_escape(struct aw_buf *out, const char *s);

struct aw_http;

/* NULL on failure (err filled). The loop must outlive it. Free with
 * aw_http_free (NULL no-op); transfers still running are dropped without
 * their callbacks. */
struct aw_http *aw_http_new(struct aw_loop *loop, struct aw_error *err);
void aw_http_free(struct aw_http *http);

/* Called once, from the loop, never from inside aw_http_send. resp is
 * owned by the transport (valid during the call only); err is NULL on
 * success (any HTTP status is a success of the transport) and names the
 * failure otherwise (no URL query, no secrets). */
typedef void (*aw_http_cb)(const struct aw_http_response *resp,
    const struct aw_error *err, void *arg);

struct aw_http_xfer;
/* Sends req (moved into the transport: req is re-initialised). *out
 * (may be NULL) is a handle for aw_http_cancel, valid until cb ran. */
enum aw_status aw_http_send(struct aw_http *http, struct aw_http_request *req,
    aw_http_cb cb, void *arg, struct aw_http_xfer **out, struct aw_error *err);
/* Drops a transfer; its callback is not called. */
void aw_http_cancel(struct aw_http *http, struct aw_http_xfer *x);
/* Number of transfers still running or waiting to retry. */
size_t aw_http_pending(const struct aw_http *http);

/* Sends req and runs the loop until the answer is in (CLI, tests). resp
 * (initialised here) gets the answer. */
enum aw_status aw_http_send_sync(struct aw_http *http, struct aw_loop *loop,
    struct aw_http_request *req, struct aw_http_response *resp,
    struct aw_error *err);

/* Backoff before try n (1-based) when the server gave no Retry-After:
 * base * 2^(n-1), capped; base from env AW_HTTP_BACKOFF_MS (default 500). */
int64_t aw_http_backoff_ms(unsigned n);

#endif
