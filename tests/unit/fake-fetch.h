/* fake-fetch.h: a web fetcher of the unit tests' own (checks/fetch.h):
 * answers from the loop with a canned response and writes down what it
 * was asked. status 0 answers 200, ctype NULL "text/plain". Included by
 * one test file each (static functions). */
#ifndef AW_TEST_FAKE_FETCH_H
#define AW_TEST_FAKE_FETCH_H

#include <stdio.h>
#include <string.h>

#include "checks/fetch.h"
#include "core/loop.h"

struct fake_fetch {
	struct aw_loop *loop;
	long status;
	const char *ctype;
	const char *body;
	char url[200], host[100], addrs[100];
	size_t max;
	aw_fetch_cb cb;
	void *arg;
	unsigned started;
};

static void
fake_fire(void *p)
{
	struct fake_fetch *ff = p;
	struct aw_fetch_result res;

	memset(&res, 0, sizeof res);
	res.status = ff->status != 0 ? ff->status : 200;
	res.content_type = ff->ctype != NULL ? ff->ctype : "text/plain";
	res.body = ff->body != NULL ? ff->body : "";
	res.len = strlen(res.body);
	ff->cb(&res, ff->arg);
}

static enum aw_status
fake_start(void *impl, const char *url, const char *host,
    const struct aw_strv *addrs, size_t max, aw_fetch_cb cb, void *arg,
    void **handle)
{
	struct fake_fetch *ff = impl;

	ff->started++;
	snprintf(ff->url, sizeof ff->url, "%s", url);
	snprintf(ff->host, sizeof ff->host, "%s", host);
	snprintf(ff->addrs, sizeof ff->addrs, "%s",
	    addrs != NULL && addrs->n ? addrs->v[0] : "");
	ff->max = max;
	ff->cb = cb;
	ff->arg = arg;
	*handle = ff;
	aw_loop_timer_add(ff->loop, 0, fake_fire, ff);
	return AW_OK;
}

static void
fake_cancel(void *impl, void *handle)
{
	(void)impl;
	(void)handle;
}

static const struct aw_fetch_ops fake_ops = { fake_start, fake_cancel };

#endif
