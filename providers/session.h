/* session.h: the run context both front ends share (issue 14): the event
 * loop, the resolver with its settings (the --dns-server, --dns-timeout,
 * --dns-tries values), the HTTP transport, and a DNS host opened on them.
 * cli/ parses the settings into it; tui/ gets one from its launcher. Who
 * frees: aw_session_done frees what the session made (loop, resolver,
 * transport); a provider opened on it is the caller's and is freed first. */
#ifndef AW_SESSION_H
#define AW_SESSION_H

#include "checks/resolver.h"
#include "core/error.h"
#include "core/http.h"
#include "core/loop.h"
#include "core/strv.h"
#include "providers/provider.h"
#include "providers/web-fetch.h"

struct aw_session {
	struct aw_strv servers;    /* resolvers to ask ("IP", "IP:PORT"); none:
	                            * the system's */
	int timeout_ms;            /* per try; 0: the resolver's default */
	int tries;                 /* 0: the resolver's default */
	size_t inflight_max;       /* queries on the wire per channel; 0: the
	                            * resolver's default (resolver.h) */
	bool keep_sockets;         /* aw_dns_config's (resolver.h): a short run */
	struct aw_loop *loop;      /* owned; made by the first start or open */
	struct aw_resolver *res;   /* owned; may be taken (set NULL) */
	struct aw_http *http;      /* owned; made by the first provider open */
	char *ca_file;             /* owned --ca-file: CAs trusted for the
	                            * domain's own web files, or NULL */
	struct aw_web_fetch *fetch;  /* owned; made by aw_session_fetcher */
};

void aw_session_init(struct aw_session *s);
/* Makes the loop (if none yet) and the resolver with the settings. */
enum aw_status aw_session_start_dns(struct aw_session *s,
    struct aw_error *err);
/* Opens the DNS host name (registry.c) with cfg on the session's loop and
 * transport (made here when missing). *out is the caller's: free it with
 * aw_provider_free before aw_session_done. */
enum aw_status aw_session_open_provider(struct aw_session *s,
    const char *name, const struct aw_provider_config *cfg,
    struct aw_provider **out, struct aw_error *err);
/* The fetcher of a domain's own web files (MTA-STS policy, BIMI) on the
 * session's loop and transport (made here when missing), trusting
 * ca_file besides the system's CAs. Valid until aw_session_done. */
enum aw_status aw_session_fetcher(struct aw_session *s,
    struct aw_fetcher *out, struct aw_error *err);
void aw_session_done(struct aw_session *s);

#endif
