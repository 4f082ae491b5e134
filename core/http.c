/* http.c: the HTTP transport: curl multi driven by the shared event loop
 * (sockets through aw_loop_watch, curl's timer through aw_loop_timer_add).
 * The only file that calls libcurl. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Plain functions, not curl.h's type-checking macros: the calls below go
 * through the pointers of http_curl. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include "core/http.h"
#include "core/i18n.h"
#include "core/lib.h"
#include "core/str.h"

#ifndef AW_CURL_SONAME
#define AW_CURL_SONAME "libcurl.so.4"
#endif

/* libcurl is opened when the first transport is made (aw_http_new), not
 * by the dynamic loader at start-up: it pulls in some 30 libraries, most
 * of the binary's start-up time (issue 16), and only the DNS hosts' APIs
 * need it. Every call below goes through these pointers. */
#define HTTP_CURL_FUNCS(X) X(curl_global_init) X(curl_easy_init) \
	X(curl_easy_cleanup) X(curl_easy_setopt) X(curl_easy_getinfo) \
	X(curl_easy_strerror) X(curl_slist_append) X(curl_slist_free_all) \
	X(curl_multi_init) X(curl_multi_cleanup) X(curl_multi_setopt) \
	X(curl_multi_add_handle) X(curl_multi_remove_handle) \
	X(curl_multi_info_read) X(curl_multi_socket_action)

static struct {
#define HTTP_CURL_PTR(f) __typeof__(f) *f;
	HTTP_CURL_FUNCS(HTTP_CURL_PTR)
#undef HTTP_CURL_PTR
} http_curl;

static const char *const http_curl_names[] = {
	HTTP_CURL_FUNCS(AW_LIB_NAME)
};

static bool
http_curl_load(struct aw_error *err)
{
	return http_curl.curl_multi_socket_action != NULL ||
	    aw_lib_open(AW_CURL_SONAME, "libcurl4", http_curl_names,
	    (void **)&http_curl, AW_LIB_SLOTS(http_curl), AW_ERR_HTTP,
	    err) != NULL;
}

/* curl.h defines these three as macros of themselves. */
#undef curl_easy_setopt
#undef curl_easy_getinfo
#undef curl_multi_setopt
#define curl_global_init (*http_curl.curl_global_init)
#define curl_easy_init (*http_curl.curl_easy_init)
#define curl_easy_cleanup (*http_curl.curl_easy_cleanup)
#define curl_easy_setopt (*http_curl.curl_easy_setopt)
#define curl_easy_getinfo (*http_curl.curl_easy_getinfo)
#define curl_easy_strerror (*http_curl.curl_easy_strerror)
#define curl_slist_append (*http_curl.curl_slist_append)
#define curl_slist_free_all (*http_curl.curl_slist_free_all)
#define curl_multi_init (*http_curl.curl_multi_init)
#define curl_multi_cleanup (*http_curl.curl_multi_cleanup)
#define curl_multi_setopt (*http_curl.curl_multi_setopt)
#define curl_multi_add_handle (*http_curl.curl_multi_add_handle)
#define curl_multi_remove_handle (*http_curl.curl_multi_remove_handle)
#define curl_multi_info_read (*http_curl.curl_multi_info_read)
#define curl_multi_socket_action (*http_curl.curl_multi_socket_action)

struct aw_http_xfer {
	struct aw_http *http;
	struct aw_http_request req;
	struct aw_http_response resp;
	CURL *easy;
	struct curl_slist *hdrs;
	struct curl_slist *resolve;     /* CURLOPT_RESOLVE */
	struct curl_slist *connect_to;  /* CURLOPT_CONNECT_TO */
	aw_http_cb cb;
	void *arg;
	struct aw_loop_timer *wait;     /* delay or backoff before a send */
	bool overflow;
	char errbuf[CURL_ERROR_SIZE];
	struct aw_http_xfer *prev, *next;
};

struct aw_http {
	struct aw_loop *loop;
	CURLM *multi;
	struct aw_loop_timer *timer;    /* curl's own timeout */
	struct aw_http_xfer *xfers;
	size_t n;
};

static bool http_global_done;

void
aw_http_request_init(struct aw_http_request *req)
{
	memset(req, 0, sizeof *req);
	aw_strv_init(&req->headers);
	aw_strv_init(&req->resolve);
	aw_strv_init(&req->connect_to);
}

void
aw_http_request_done(struct aw_http_request *req)
{
	size_t i;

	if (req == NULL)
		return;
	free(req->url);
	/* Headers may hold tokens (Authorization, X-API-Key). */
	for (i = 0; i < req->headers.n; i++)
		aw_str_wipe(req->headers.v[i]);
	aw_strv_done(&req->headers);
	free(req->body);
	aw_strv_done(&req->resolve);
	aw_strv_done(&req->connect_to);
	free(req->ca_file);
	aw_str_wipe(req->userpwd);
	free(req->userpwd);
	aw_http_request_init(req);
}

enum aw_status
aw_http_request_set(struct aw_http_request *req, const char *method,
    const char *url)
{
	req->method = method;
	req->replay_safe = false;
	free(req->url);
	req->url = strdup(url);
	return req->url != NULL ? AW_OK : AW_ERR_NOMEM;
}

enum aw_status
aw_http_request_header(struct aw_http_request *req, const char *name,
    const char *value)
{
	/* curl 7.88 signs an empty header into SigV4 wrongly ("Expect:"),
	 * and CR/LF would split the request. */
	if (value == NULL || value[0] == '\0' || strpbrk(value, "\r\n") != NULL ||
	    strpbrk(name, "\r\n:") != NULL)
		return AW_ERR_INVALID;
	return aw_strv_pushf(&req->headers, "%s: %s", name, value);
}

void
aw_http_request_take_body(struct aw_http_request *req, char *body)
{
	free(req->body);
	req->body = body;
	req->body_len = body != NULL ? strlen(body) : 0;
}

void
aw_http_response_init(struct aw_http_response *resp)
{
	memset(resp, 0, sizeof *resp);
	aw_buf_init(&resp->body);
	resp->retry_after = -1;
}

void
aw_http_response_done(struct aw_http_response *resp)
{
	if (resp == NULL)
		return;
	aw_buf_done(&resp->body);
	free(resp->content_type);
	free(resp->link);
	aw_http_response_init(resp);
}

enum aw_status
aw_http_escape(struct aw_buf *out, const char *s)
{
	enum aw_status st = AW_OK;
	char hex[4];

	for (; *s != '\0' && st == AW_OK; s++) {
		unsigned char c = (unsigned char)*s;

		/* RFC 3986 §2.3 unreserved; SigV4 wants every other byte as
		 * upper-case %XX. */
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
			st = aw_buf_putc(out, (char)c);
		else {
			snprintf(hex, sizeof hex, "%%%02X", c);
			st = aw_buf_puts(out, hex);
		}
	}
	return st;
}

static long
http_env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return def;
	n = strtol(v, &end, 10);
	if (*end != '\0' || n < min || n > max)
		return def;
	return n;
}

int64_t
aw_http_backoff_ms(unsigned n)
{
	int64_t base = http_env_long("AW_HTTP_BACKOFF_MS", 500, 0, 60000);
	int64_t ms = base;

	while (n > 1 && ms < 30000) {
		ms *= 2;
		n--;
	}
	return ms > 30000 ? 30000 : ms;
}

/* The URL without its query, for messages. */
static void
http_where(struct aw_error *err, const struct aw_http_request *req)
{
	size_t len;

	if (err == NULL)
		return;
	len = strcspn(req->url != NULL ? req->url : "", "?#");
	snprintf(err->where, sizeof err->where, "%s %.*s",
	    req->method != NULL ? req->method : "GET", (int)len,
	    req->url != NULL ? req->url : "");
}

static void http_start(struct aw_http_xfer *x);
static void http_check_done(struct aw_http *http);

static void
http_unlink(struct aw_http_xfer *x)
{
	struct aw_http *http = x->http;

	if (x->prev != NULL)
		x->prev->next = x->next;
	else
		http->xfers = x->next;
	if (x->next != NULL)
		x->next->prev = x->prev;
	http->n--;
}

static void
http_xfer_free(struct aw_http_xfer *x)
{
	if (x->wait != NULL)
		aw_loop_timer_cancel(x->http->loop, x->wait);
	if (x->easy != NULL) {
		curl_multi_remove_handle(x->http->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->hdrs);
	curl_slist_free_all(x->resolve);
	curl_slist_free_all(x->connect_to);
	aw_http_request_done(&x->req);
	aw_http_response_done(&x->resp);
	free(x);
}

static size_t
http_write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct aw_http_xfer *x = arg;
	size_t len = size * nmemb;

	if (x->resp.body.len + len > x->resp.body.max) {
		x->overflow = true;
		return 0;
	}
	if (aw_buf_append(&x->resp.body, data, len) != AW_OK)
		return 0;
	return len;
}

static size_t
http_header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
	struct aw_http_xfer *x = arg;
	size_t len = size * nmemb, n;
	char line[256], *v, *end;

	/* Link carries URLs: longer than the other headers read here. */
	if (len > 5 && len < AW_HTTP_LINK_MAX && aw_strncasecmp(data, "Link:", 5) == 0) {
		free(x->resp.link);
		n = 5;
		while (n < len && (data[n] == ' ' || data[n] == '\t'))
			n++;
		x->resp.link = strndup(data + n, len - n);
		if (x->resp.link != NULL)
			x->resp.link[strcspn(x->resp.link, "\r\n")] = '\0';
		return len;
	}
	n = len < sizeof line - 1 ? len : sizeof line - 1;
	memcpy(line, data, n);
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if ((v = strchr(line, ':')) == NULL)
		return len;
	*v++ = '\0';
	while (*v == ' ' || *v == '\t')
		v++;
	if (aw_strcasecmp(line, "Retry-After") == 0) {
		/* RFC 9110 §10.2.3: delay-seconds or an HTTP-date; a date
		 * falls back to our own backoff. */
		long s = strtol(v, &end, 10);

		if (end != v && *end == '\0' && s >= 0)
			x->resp.retry_after = s;
	} else if (aw_strcasecmp(line, "Content-Type") == 0) {
		free(x->resp.content_type);
		x->resp.content_type = strdup(v);
	}
	return len;
}

static bool
http_should_retry(struct aw_http_xfer *x)
{
	long s = x->resp.status;
	int max = x->req.max_tries > 0 ? x->req.max_tries : AW_HTTP_MAX_TRIES;

	if ((int)x->resp.tries >= max)
		return false;
	if (s == 429)
		return true;
	/* A 5xx may come after the host acted (a gateway timing out): send a
	 * POST again only when doing it twice is harmless. */
	if (s >= 500 && s <= 599)
		return strcmp(x->req.method, "POST") != 0 || x->req.replay_safe;
	return x->req.retry != NULL && x->req.retry(&x->resp);
}

static void
http_wait_cb(void *arg)
{
	struct aw_http_xfer *x = arg;

	x->wait = NULL;
	http_start(x);
}

static void
http_finish(struct aw_http_xfer *x, CURLcode code)
{
	struct aw_http *http = x->http;
	struct aw_error err, *errp = NULL;

	if (x->easy != NULL) {
		curl_multi_remove_handle(http->multi, x->easy);
		if (code == CURLE_OK)
			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE,
			    &x->resp.status);
		curl_easy_cleanup(x->easy);
		x->easy = NULL;
	}
	curl_slist_free_all(x->hdrs);
	x->hdrs = NULL;
	curl_slist_free_all(x->resolve);
	x->resolve = NULL;
	curl_slist_free_all(x->connect_to);
	x->connect_to = NULL;
	aw_error_clear(&err);
	if (code == CURLE_OK && http_should_retry(x)) {
		int64_t ms;
		long cap = http_env_long("AW_HTTP_RETRY_AFTER_MAX", AW_HTTP_RETRY_AFTER_CAP_S,
		    0, 3600);

		if (x->resp.retry_after >= 0)
			ms = (x->resp.retry_after > cap ? cap : x->resp.retry_after) * 1000;
		else
			ms = aw_http_backoff_ms(x->resp.tries);
		x->wait = aw_loop_timer_add(http->loop, ms, http_wait_cb, x);
		if (x->wait != NULL)
			return;
		code = CURLE_OUT_OF_MEMORY;
	}
	if (code != CURLE_OK) {
		x->resp.too_large = x->overflow;
		if (x->overflow)
			aw_error_set(&err, AW_ERR_HTTP,
			    _("the response is larger than %zu bytes"),
			    x->resp.body.max);
		else if (code == CURLE_OPERATION_TIMEDOUT)
			aw_error_set(&err, AW_ERR_TIMEOUT,
			    _("no answer in time: %s"), curl_easy_strerror(code));
		else
			aw_error_set(&err, AW_ERR_HTTP, "%s",
			    curl_easy_strerror(code));
		http_where(&err, &x->req);
		errp = &err;
	}
	http_unlink(x);
	x->cb(&x->resp, errp, x->arg);
	http_xfer_free(x);
}

/* Appends each line of sv to *list; false on no memory. */
static bool
http_slist(struct curl_slist **list, const struct aw_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++) {
		struct curl_slist *n = curl_slist_append(*list, sv->v[i]);

		if (n == NULL)
			return false;
		*list = n;
	}
	return true;
}

/* The fetch options of a domain's own web files: https only, the
 * addresses our resolver found, the CA file (CURL_CA_BUNDLE as the curl
 * tool reads it, since libcurl itself does not). */
static bool
http_fetch_opts(struct aw_http_xfer *x, CURL *e)
{
	const struct aw_http_request *req = &x->req;
	const char *ca = req->ca_file;

	if (ca == NULL && getenv("CURL_CA_BUNDLE") != NULL &&
	    getenv("CURL_CA_BUNDLE")[0] != '\0')
		ca = getenv("CURL_CA_BUNDLE");
	if (ca != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, ca);
	if (req->https_only) {
#if LIBCURL_VERSION_NUM >= 0x075500
		curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "https");
#else
		curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)CURLPROTO_HTTPS);
#endif
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	}
	if (!http_slist(&x->resolve, &req->resolve) ||
	    !http_slist(&x->connect_to, &req->connect_to))
		return false;
	if (x->resolve != NULL)
		curl_easy_setopt(e, CURLOPT_RESOLVE, x->resolve);
	if (x->connect_to != NULL)
		curl_easy_setopt(e, CURLOPT_CONNECT_TO, x->connect_to);
	return true;
}

static void
http_start(struct aw_http_xfer *x)
{
	struct aw_http *http = x->http;
	const struct aw_http_request *req = &x->req;
	int timeout = req->timeout_ms > 0 ? req->timeout_ms :
	    (int)http_env_long("AW_HTTP_TIMEOUT_MS", AW_HTTP_TIMEOUT_MS, 1, 600000);
	unsigned tries = x->resp.tries;
	size_t i;
	CURL *e;

	aw_http_response_done(&x->resp);
	x->resp.tries = tries;
	x->resp.body.max = req->max_response > 0 ? req->max_response :
	    AW_HTTP_MAX_RESPONSE;
	x->overflow = false;
	x->errbuf[0] = '\0';
	if ((e = curl_easy_init()) == NULL) {
		http_finish(x, CURLE_OUT_OF_MEMORY);
		return;
	}
	x->easy = e;
	x->resp.tries++;
	for (i = 0; i < req->headers.n; i++) {
		struct curl_slist *n = curl_slist_append(x->hdrs, req->headers.v[i]);

		if (n == NULL) {
			http_finish(x, CURLE_OUT_OF_MEMORY);
			return;
		}
		x->hdrs = n;
	}
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)timeout);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "authwizard/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	if (!http_fetch_opts(x, e)) {
		http_finish(x, CURLE_OUT_OF_MEMORY);
		return;
	}
	if (req->body != NULL) {
		/* The SigV4 body hash covers CURLOPT_POSTFIELDS. Bodies stay far
		 * below the 1 MiB at which curl would add "Expect: 100-continue",
		 * which a header list can only remove by sending it empty,
		 * and an empty header breaks curl 7.88's signature. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)req->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
	}
	if (strcmp(req->method, "GET") == 0)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(req->method, "POST") != 0 || req->body == NULL)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method);
	if (strcmp(req->method, "POST") == 0 && req->body == NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, "");
	}
	if (req->aws_sigv4 != NULL) {
		curl_easy_setopt(e, CURLOPT_AWS_SIGV4, req->aws_sigv4);
		curl_easy_setopt(e, CURLOPT_USERPWD, req->userpwd);
	}
	if (curl_multi_add_handle(http->multi, e) != CURLM_OK) {
		http_finish(x, CURLE_FAILED_INIT);
		return;
	}
}

static void
http_check_done(struct aw_http *http)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(http->multi, &left)) != NULL) {
		struct aw_http_xfer *x = NULL;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x != NULL)
			http_finish(x, msg->data.result);
	}
}

static void
http_fd_cb(int fd, int revents, void *arg)
{
	struct aw_http *http = arg;
	int flags = 0, running;

	if (revents & AW_LOOP_READ)
		flags |= CURL_CSELECT_IN;
	if (revents & AW_LOOP_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (revents & AW_LOOP_ERROR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(http->multi, fd, flags, &running);
	http_check_done(http);
}

static void
http_timer_cb(void *arg)
{
	struct aw_http *http = arg;
	int running;

	http->timer = NULL;
	curl_multi_socket_action(http->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	http_check_done(http);
}

static int
http_socket_fn(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct aw_http *http = userp;
	int events = 0;

	(void)e;
	(void)socketp;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= AW_LOOP_READ;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= AW_LOOP_WRITE;
	if (what == CURL_POLL_REMOVE)
		events = 0;
	aw_loop_watch(http->loop, (int)s, events, http_fd_cb, http);
	return 0;
}

static int
http_timer_fn(CURLM *multi, long timeout_ms, void *userp)
{
	struct aw_http *http = userp;

	(void)multi;
	if (http->timer != NULL) {
		aw_loop_timer_cancel(http->loop, http->timer);
		http->timer = NULL;
	}
	if (timeout_ms >= 0) {
		http->timer = aw_loop_timer_add(http->loop, timeout_ms,
		    http_timer_cb, http);
		if (http->timer == NULL)
			return -1;
	}
	return 0;
}

struct aw_http *
aw_http_new(struct aw_loop *loop, struct aw_error *err)
{
	struct aw_http *http;

	if (!http_curl_load(err))
		return NULL;
	if (!http_global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			aw_error_set(err, AW_ERR_HTTP, _("libcurl did not start"));
			return NULL;
		}
		http_global_done = true;
	}
	if ((http = calloc(1, sizeof *http)) == NULL) {
		aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
		return NULL;
	}
	http->loop = loop;
	if ((http->multi = curl_multi_init()) == NULL) {
		free(http);
		aw_error_set(err, AW_ERR_HTTP, _("libcurl did not start"));
		return NULL;
	}
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETFUNCTION, http_socket_fn);
	curl_multi_setopt(http->multi, CURLMOPT_SOCKETDATA, http);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERFUNCTION, http_timer_fn);
	curl_multi_setopt(http->multi, CURLMOPT_TIMERDATA, http);
	return http;
}

void
aw_http_free(struct aw_http *http)
{
	struct aw_http_xfer *x, *next;

	if (http == NULL)
		return;
	for (x = http->xfers; x != NULL; x = next) {
		next = x->next;
		http_xfer_free(x);
	}
	if (http->timer != NULL)
		aw_loop_timer_cancel(http->loop, http->timer);
	curl_multi_cleanup(http->multi);
	free(http);
}

enum aw_status
aw_http_send(struct aw_http *http, struct aw_http_request *req, aw_http_cb cb,
    void *arg, struct aw_http_xfer **out, struct aw_error *err)
{
	struct aw_http_xfer *x;

	if (req->url == NULL || req->method == NULL)
		return aw_error_set(err, AW_ERR_INTERNAL, _("no URL to send to"));
	/* From 1 MiB on, curl 7.88 adds "Expect: 100-continue", which only an
	 * empty "Expect:" header removes, and that breaks its SigV4
	 * signature: signed bodies stay below (Route 53 allows 32,000
	 * characters anyway). */
	if (req->aws_sigv4 != NULL && req->body_len >= AW_HTTP_SIGV4_BODY_MAX)
		return aw_error_set(err, AW_ERR_INVALID,
		    _("a signed request body over %u bytes"), AW_HTTP_SIGV4_BODY_MAX);
	if ((x = calloc(1, sizeof *x)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	x->http = http;
	x->req = *req;
	aw_http_request_init(req);
	aw_http_response_init(&x->resp);
	x->cb = cb;
	x->arg = arg;
	x->next = http->xfers;
	if (http->xfers != NULL)
		http->xfers->prev = x;
	http->xfers = x;
	http->n++;
	/* Always through a timer: the callback never runs inside this call. */
	x->wait = aw_loop_timer_add(http->loop,
	    x->req.delay_ms > 0 ? x->req.delay_ms : 0, http_wait_cb, x);
	if (x->wait == NULL) {
		http_unlink(x);
		http_xfer_free(x);
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	}
	if (out != NULL)
		*out = x;
	return AW_OK;
}

void
aw_http_cancel(struct aw_http *http, struct aw_http_xfer *x)
{
	(void)http;
	if (x == NULL)
		return;
	http_unlink(x);
	http_xfer_free(x);
}

size_t
aw_http_pending(const struct aw_http *http)
{
	return http->n;
}

struct http_sync {
	bool done;
	struct aw_http_response *resp;
	struct aw_error *err;
	enum aw_status st;
};

static void
http_sync_cb(const struct aw_http_response *resp, const struct aw_error *err,
    void *arg)
{
	struct http_sync *s = arg;

	s->done = true;
	if (err != NULL) {
		s->st = err->status;
		if (s->err != NULL)
			*s->err = *err;
		return;
	}
	s->resp->status = resp->status;
	s->resp->retry_after = resp->retry_after;
	s->resp->tries = resp->tries;
	s->resp->content_type = aw_strdup(resp->content_type);
	s->resp->link = aw_strdup(resp->link);
	if (resp->body.len > 0 &&
	    aw_buf_append(&s->resp->body, resp->body.data, resp->body.len) != AW_OK)
		s->st = aw_error_set(s->err, AW_ERR_NOMEM, _("out of memory"));
}

enum aw_status
aw_http_send_sync(struct aw_http *http, struct aw_loop *loop,
    struct aw_http_request *req, struct aw_http_response *resp,
    struct aw_error *err)
{
	struct http_sync s;
	struct aw_http_xfer *x;
	enum aw_status st;

	memset(&s, 0, sizeof s);
	aw_http_response_init(resp);
	s.resp = resp;
	s.err = err;
	if ((st = aw_http_send(http, req, http_sync_cb, &s, &x, err)) != AW_OK)
		return st;
	while (!s.done)
		if (!aw_loop_run_once(loop, -1))
			break;
	if (!s.done) {
		aw_http_cancel(http, x);
		return aw_error_set(err, AW_ERR_INTERNAL, _("the event loop stopped"));
	}
	return s.st;
}
