/* mx.h: what the MX area found (section detail of area "mx"). */
#ifndef AW_MX_H
#define AW_MX_H

#include <stdbool.h>

#include "checks/dns.h"
#include "core/strv.h"

struct aw_mx_host {
	unsigned preference;
	char *host;                   /* "" for the null MX (RFC 7505) */
	struct aw_strv addrs;         /* A and AAAA, presentation form */
	enum aw_dns_result a_result;
	enum aw_dns_result aaaa_result;
	char *cname;                  /* the host is an alias of this, or NULL */
	bool address;                 /* the MX names an IP address, not a
	                               * host (not looked up) */
	bool duplicate;               /* an earlier MX names the same host
	                               * (not looked up again) */
};

struct aw_mx_detail {
	size_t n;
	struct aw_mx_host *hosts;     /* in preference order */
	bool null_mx;                 /* the one MX is "0 ." (RFC 7505 §3) */
};

#endif
