/* ptr.h: reverse DNS and HELO rules: names that look generic or
 * residential, HELO name syntax, and the detail structs of the "ptr" and
 * "helo" areas (check-ptr.c). Plain data: no DNS. */
#ifndef AW_PTR_H
#define AW_PTR_H

#include <stdbool.h>
#include <stddef.h>

#include "checks/findings.h"
#include "core/strv.h"

/* The reverse name of an IPv4 or IPv6 address (RFC 1035 §3.5, RFC 3596
 * §2.5); NULL when ip is not an address. The caller frees. */
char *aw_reverse_name(const char *ip);
/* The same from the address's bytes (4 for IPv4, 16 for IPv6); family 4
 * or 6. */
char *aw_reverse_name_raw(const unsigned char *raw, int family);

/* Whether a PTR name looks generic or residential, the kind receivers
 * distrust: the address's digits in the name, or words like dynamic, dsl,
 * cable, pool, dhcp, client. NULL when it does not; else a translated
 * reason (caller frees). */
char *aw_ptr_generic_reason(const char *name, const char *ip);

/* RFC 5321 §4.1.1.1 / §2.3.5: a HELO name should be a FQDN that resolves;
 * an address literal or localhost tells the receiver nothing. Adds errors
 * to f; true when the name is worth resolving. */
bool aw_helo_check_syntax(const char *helo, struct aw_findings *f);

/* One PTR name of the "ptr" area and where it leads. */
struct aw_ptr_name {
	char *name;
	struct aw_strv addrs;      /* its A (or AAAA) records */
	bool confirmed;            /* one of them is the IP */
	bool resolves;             /* it has addresses at all */
	char *generic_reason;      /* see aw_ptr_generic_reason, or NULL */
	bool in_domain;            /* same organizational domain as the
	                            * checked domain */
};

/* The "ptr" area's section detail (section key: the IP). */
struct aw_ptr_detail {
	char *ip;
	struct aw_ptr_name *names; /* PTR names, at most 10 */
	size_t nnames;
	bool fcrdns;               /* forward-confirmed reverse DNS */
};

/* The "helo" area's section detail. */
struct aw_helo_detail {
	char *helo;
	bool fqdn;                 /* syntax: a FQDN, no literal/localhost */
	struct aw_strv addrs;      /* A and AAAA */
	bool resolves;
	bool matches_ptr;          /* equals a PTR name of a sending IP */
	bool matches_mx;           /* equals an MX host of the domain */
	bool matches_ip;           /* resolves to one of the sending IPs */
};

#endif
