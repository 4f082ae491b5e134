/* web-fetch.c: the fetcher over core/http.c (see web-fetch.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "providers/web-fetch.h"

struct wf_item {
	struct aw_web_fetch *wf;
	struct aw_http_xfer *xfer;
	aw_fetch_cb cb;
	void *arg;
	struct wf_item *prev, *next;
};

struct aw_web_fetch {
	struct aw_http **http;       /* the caller's; made at the first fetch */
	struct aw_loop *loop;
	char *ca_file;
	struct wf_item *items;
};

struct aw_web_fetch *
aw_web_fetch_new(struct aw_http **http, struct aw_loop *loop,
    const char *ca_file)
{
	struct aw_web_fetch *wf = calloc(1, sizeof *wf);

	if (wf == NULL)
		return NULL;
	wf->http = http;
	wf->loop = loop;
	if (ca_file != NULL && (wf->ca_file = strdup(ca_file)) == NULL) {
		free(wf);
		return NULL;
	}
	return wf;
}

static void
wf_unlink(struct wf_item *it)
{
	if (it->prev != NULL)
		it->prev->next = it->next;
	else
		it->wf->items = it->next;
	if (it->next != NULL)
		it->next->prev = it->prev;
}

void
aw_web_fetch_free(struct aw_web_fetch *wf)
{
	struct wf_item *it, *next;

	if (wf == NULL)
		return;
	for (it = wf->items; it != NULL; it = next) {
		next = it->next;
		aw_http_cancel(*wf->http, it->xfer);
		free(it);
	}
	free(wf->ca_file);
	free(wf);
}

static void
wf_done(const struct aw_http_response *resp, const struct aw_error *err,
    void *arg)
{
	struct wf_item *it = arg;
	struct aw_fetch_result res;

	memset(&res, 0, sizeof res);
	res.status = err == NULL ? resp->status : 0;
	res.content_type = resp->content_type;
	res.body = resp->body.data != NULL ? resp->body.data : "";
	res.len = resp->body.len;
	res.too_large = resp->too_large;
	res.error = err != NULL ? err->msg : NULL;
	wf_unlink(it);
	it->cb(&res, it->arg);
	free(it);
}

/* The port connections go to: 443, or AW_TEST_HTTPS_PORT (tests). */
static long
wf_port(void)
{
	const char *v = getenv("AW_TEST_HTTPS_PORT");
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return 443;
	n = strtol(v, &end, 10);
	return *end == '\0' && n > 0 && n < 65536 ? n : 443;
}

/* "HOST:PORT:ADDR,ADDR" (IPv6 in brackets) for CURLOPT_RESOLVE. */
static enum aw_status
wf_resolve_line(struct aw_http_request *req, const char *host, long port,
    const struct aw_strv *addrs)
{
	struct aw_buf b;
	enum aw_status st;
	char num[16];
	size_t i;

	aw_buf_init(&b);
	snprintf(num, sizeof num, ":%ld:", port);
	st = aw_buf_puts(&b, host);
	if (st == AW_OK)
		st = aw_buf_puts(&b, num);
	for (i = 0; i < addrs->n && st == AW_OK; i++) {
		bool v6 = strchr(addrs->v[i], ':') != NULL;

		if (i > 0)
			st = aw_buf_putc(&b, ',');
		if (st == AW_OK && v6)
			st = aw_buf_putc(&b, '[');
		if (st == AW_OK)
			st = aw_buf_puts(&b, addrs->v[i]);
		if (st == AW_OK && v6)
			st = aw_buf_putc(&b, ']');
	}
	if (st == AW_OK)
		st = aw_strv_push(&req->resolve, aw_buf_str(&b));
	aw_buf_done(&b);
	return st;
}

static enum aw_status
wf_start(void *impl, const char *url, const char *host,
    const struct aw_strv *addrs, size_t max, aw_fetch_cb cb, void *arg,
    void **handle)
{
	struct aw_web_fetch *wf = impl;
	struct aw_http_request req;
	struct aw_error err;
	struct wf_item *it;
	enum aw_status st;
	long port = wf_port();

	/* A host name that could split a CURLOPT_RESOLVE line is refused
	 * (the DNS engine gives presentation forms: no ':' or ','). */
	if (strpbrk(host, ":,[] \t\r\n") != NULL || addrs->n == 0)
		return AW_ERR_INVALID;
	if ((it = calloc(1, sizeof *it)) == NULL)
		return AW_ERR_NOMEM;
	aw_http_request_init(&req);
	st = aw_http_request_set(&req, "GET", url);
	req.https_only = true;
	req.max_response = max;
	req.max_tries = 1;
	/* A domain's web server that does not answer should not hold a
	 * whole check for the transport's 30 s. */
	req.timeout_ms = AW_WEB_FETCH_TIMEOUT_MS;
	if (st == AW_OK)
		st = wf_resolve_line(&req, host, port, addrs);
	if (st == AW_OK && port != 443)
		st = aw_strv_pushf(&req.connect_to, "%s:443::%ld", host, port);
	if (st == AW_OK && wf->ca_file != NULL &&
	    (req.ca_file = strdup(wf->ca_file)) == NULL)
		st = AW_ERR_NOMEM;
	if (st != AW_OK) {
		aw_http_request_done(&req);
		free(it);
		return st;
	}
	it->wf = wf;
	it->cb = cb;
	it->arg = arg;
	aw_error_clear(&err);
	if (*wf->http == NULL && (*wf->http = aw_http_new(wf->loop, &err)) == NULL)
		st = err.status != AW_OK ? err.status : AW_ERR_NOMEM;
	else
		st = aw_http_send(*wf->http, &req, wf_done, it, &it->xfer, &err);
	if (st != AW_OK) {
		aw_http_request_done(&req);
		free(it);
		return st;
	}
	it->next = wf->items;
	if (wf->items != NULL)
		wf->items->prev = it;
	wf->items = it;
	*handle = it;
	return AW_OK;
}

static void
wf_cancel(void *impl, void *handle)
{
	struct aw_web_fetch *wf = impl;
	struct wf_item *it = handle;

	if (it == NULL)
		return;
	wf_unlink(it);
	aw_http_cancel(*wf->http, it->xfer);
	free(it);
}

static const struct aw_fetch_ops wf_ops = {
	.start = wf_start,
	.cancel = wf_cancel,
};

struct aw_fetcher
aw_web_fetch_fetcher(struct aw_web_fetch *wf)
{
	struct aw_fetcher f = { &wf_ops, wf };

	return f;
}
