/* session.c: the run context both front ends share (see session.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "providers/session.h"

void
aw_session_init(struct aw_session *s)
{
	memset(s, 0, sizeof *s);
	aw_strv_init(&s->servers);
}

static enum aw_status
session_loop(struct aw_session *s, struct aw_error *err)
{
	if (s->loop == NULL && (s->loop = aw_loop_new()) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	return AW_OK;
}

enum aw_status
aw_session_start_dns(struct aw_session *s, struct aw_error *err)
{
	struct aw_dns_config cfg;
	enum aw_status st;

	if ((st = session_loop(s, err)) != AW_OK)
		return st;
	memset(&cfg, 0, sizeof cfg);
	cfg.servers = (const char *const *)s->servers.v;
	cfg.nservers = s->servers.n;
	cfg.timeout_ms = s->timeout_ms;
	cfg.tries = s->tries;
	cfg.inflight_max = s->inflight_max;
	cfg.keep_sockets = s->keep_sockets;
	return aw_resolver_new(s->loop, &cfg, &s->res, err);
}

enum aw_status
aw_session_open_provider(struct aw_session *s, const char *name,
    const struct aw_provider_config *cfg, struct aw_provider **out,
    struct aw_error *err)
{
	enum aw_status st;

	if ((st = session_loop(s, err)) != AW_OK)
		return st;
	if (s->http == NULL && (s->http = aw_http_new(s->loop, err)) == NULL)
		return err->status != AW_OK ? err->status : AW_ERR_NOMEM;
	return aw_provider_open(name, cfg, s->http, s->loop, out, err);
}

enum aw_status
aw_session_fetcher(struct aw_session *s, struct aw_fetcher *out,
    struct aw_error *err)
{
	enum aw_status st;

	if ((st = session_loop(s, err)) != AW_OK)
		return st;
	/* The transport (libcurl) is made at the first fetch: a check
	 * whose domain publishes no web file never opens it (issue 16). */
	if (s->fetch == NULL && (s->fetch = aw_web_fetch_new(&s->http,
	    s->loop, s->ca_file)) == NULL)
		return aw_error_set(err, AW_ERR_NOMEM, _("out of memory"));
	*out = aw_web_fetch_fetcher(s->fetch);
	return AW_OK;
}

void
aw_session_done(struct aw_session *s)
{
	aw_resolver_free(s->res);
	s->res = NULL;
	aw_web_fetch_free(s->fetch);
	s->fetch = NULL;
	free(s->ca_file);
	s->ca_file = NULL;
	aw_http_free(s->http);
	s->http = NULL;
	aw_loop_free(s->loop);
	s->loop = NULL;
	aw_strv_done(&s->servers);
}
