/* orgdomain.h: the organizational domain (libpsl is called only here). */
#ifndef AW_ORGDOMAIN_H
#define AW_ORGDOMAIN_H

/* The registrable domain of name by the Public Suffix List (RFC 7489
 * §3.2 style), lower-case; NULL when name is itself a public suffix or
 * memory runs out. The caller frees. */
char *aw_org_domain(const char *name);
/* True when name is a public suffix ("com", "co.uk"). */
int aw_is_public_suffix(const char *name);

#endif
