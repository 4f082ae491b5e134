/* fetch.h: how a check gets a domain's own web file (the MTA-STS policy,
 * a BIMI logo or mark certificate) without doing HTTP itself: checks/
 * hands the URL and the addresses its DNS engine found to a fetcher the
 * front end supplies (providers/web-fetch.h over core/http.c), and gets
 * the body back as data for its parsers. Like aw_dns_source, an
 * interface: tests give one of their own. */
#ifndef AW_FETCH_H
#define AW_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/strv.h"

struct aw_fetch_result {
	long status;                /* HTTP status; 0 when the transport failed */
	const char *content_type;   /* as sent, or NULL */
	const char *body;           /* NUL-terminated too; may hold NULs */
	size_t len;
	const char *error;          /* why the transport failed (TLS, refused,
	                             * too large), or NULL; untrusted-free */
	bool too_large;             /* the body passed the bound asked for */
};

/* Called once, from the loop, never from inside start. res (and what it
 * points to) is valid only during the call. */
typedef void (*aw_fetch_cb)(const struct aw_fetch_result *res, void *arg);

struct aw_fetch_ops {
	/* GETs url (https) from host, connecting only to addrs (presentation
	 * forms from the DNS engine), no redirects followed, the body bounded
	 * by max bytes. *handle is for cancel until cb has run. */
	enum aw_status (*start)(void *impl, const char *url, const char *host,
	    const struct aw_strv *addrs, size_t max, aw_fetch_cb cb, void *arg,
	    void **handle);
	/* Drops a fetch; its callback is not called. */
	void (*cancel)(void *impl, void *handle);
};

struct aw_fetcher {
	const struct aw_fetch_ops *ops;
	void *impl;
};

#endif
