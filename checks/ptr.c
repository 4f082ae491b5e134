/* ptr.c: reverse-DNS name heuristics and HELO name rules. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/ptr.h"
#include "core/i18n.h"
#include "core/str.h"

/* Words ISPs put in the names of customer and dynamic addresses. */
static const char *const generic_words[] = {
	"dynamic", "dyn", "dsl", "adsl", "vdsl", "xdsl", "cable", "pool",
	"dhcp", "client", "clients", "dialup", "dial", "ppp", "pppoe",
	"broadband", "residential", "customer", "cust", "cpe", "dip",
	"ftth", "fttx", "mobile", "wireless", "unknown", "unassigned",
	"subscriber", NULL
};

/* The runs of digits in name, as numbers (at most 16). */
static size_t
digit_runs(const char *name, long *v, size_t max)
{
	size_t n = 0;

	while (*name && n < max) {
		if (isdigit((unsigned char)*name)) {
			char *end;

			v[n++] = strtol(name, &end, 10);
			name = end;
		} else {
			name++;
		}
	}
	return n;
}

static bool
has_ip_digits(const char *name, const char *ip)
{
	unsigned char raw[16];
	long runs[16];
	char buf[64];
	size_t n, i;

	if (inet_pton(AF_INET, ip, raw) == 1) {
		/* three or four octets in a row, either order */
		n = digit_runs(name, runs, 16);
		for (i = 0; i + 3 <= n; i++) {
			if ((runs[i] == raw[0] && runs[i + 1] == raw[1] &&
			    runs[i + 2] == raw[2]) ||
			    (runs[i] == raw[1] && runs[i + 1] == raw[2] &&
			    runs[i + 2] == raw[3]) ||
			    (runs[i] == raw[3] && runs[i + 1] == raw[2] &&
			    runs[i + 2] == raw[1]) ||
			    (runs[i] == raw[2] && runs[i + 1] == raw[1] &&
			    runs[i + 2] == raw[0]))
				return true;
		}
		snprintf(buf, sizeof buf, "%03u%03u%03u%03u", raw[0], raw[1],
		    raw[2], raw[3]);
		if (strstr(name, buf) != NULL)
			return true;
		snprintf(buf, sizeof buf, "%02x%02x%02x%02x", raw[0], raw[1],
		    raw[2], raw[3]);
		return strstr(name, buf) != NULL;
	}
	if (inet_pton(AF_INET6, ip, raw) == 1) {
		/* the last 32 bits in hex, as many providers write them */
		snprintf(buf, sizeof buf, "%x-%x", raw[12] << 8 | raw[13],
		    raw[14] << 8 | raw[15]);
		if (strstr(name, buf) != NULL)
			return true;
		snprintf(buf, sizeof buf, "%02x%02x%02x%02x", raw[12], raw[13],
		    raw[14], raw[15]);
		return strstr(name, buf) != NULL;
	}
	return false;
}

char *
aw_ptr_generic_reason(const char *name, const char *ip)
{
	char *lower = aw_domain_normalize(name), *p, *tok, *save = NULL;
	char *out = NULL;
	size_t i;

	if (lower == NULL)
		return NULL;
	if (ip != NULL && has_ip_digits(lower, ip)) {
		if (asprintf(&out, _("the name holds the address's digits (%s), as ISPs' generic names do"),
		    ip) < 0)
			out = NULL;
		free(lower);
		return out;
	}
	/* Words are split at dots, dashes, underscores and digits. */
	for (p = lower; *p; p++)
		if (*p == '.' || *p == '-' || *p == '_' ||
		    isdigit((unsigned char)*p))
			*p = ' ';
	for (tok = strtok_r(lower, " ", &save); tok != NULL && out == NULL;
	    tok = strtok_r(NULL, " ", &save))
		for (i = 0; generic_words[i] != NULL; i++)
			if (strcmp(tok, generic_words[i]) == 0) {
				if (asprintf(&out, _("the name contains \"%s\", a word ISPs use for customer or dynamic addresses"),
				    tok) < 0)
					out = NULL;
				break;
			}
	free(lower);
	return out;
}

/* RFC 5321 §4.1.2: Domain = sub-domain *("." sub-domain), sub-domain =
 * Let-dig [Ldh-str]: letters, digits and inner hyphens (RFC 1123 §2.1
 * allows a leading digit). */
static bool
ldh_name(const char *name)
{
	const char *c;
	size_t label = 0;

	for (c = name; ; c++) {
		if (*c == '.' || *c == '\0') {
			if (label == 0 || c[-1] == '-')
				return false;
			if (*c == '\0')
				return true;
			label = 0;
			continue;
		}
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-'))
			return false;
		if (label == 0 && *c == '-')
			return false;
		label++;
	}
}

bool
aw_helo_check_syntax(const char *helo, struct aw_findings *f)
{
	unsigned char raw[16];
	char *norm;
	size_t len = strlen(helo);
	bool ok = true;

	if (len >= 2 && helo[0] == '[' && helo[len - 1] == ']') {
		/* RFC 5321 §4.1.3 address literal */
		aw_findings_add(f, AW_SEV_ERROR, "helo.address-literal", "RFC 5321 §4.1.1.1",
		    _("HELO %s is an address literal: announce the server's name instead (RFC 5321 §4.1.1.1)"),
		    helo);
		return false;
	}
	if (inet_pton(AF_INET, helo, raw) == 1 ||
	    inet_pton(AF_INET6, helo, raw) == 1) {
		aw_findings_add(f, AW_SEV_ERROR, "helo.bare-address", "RFC 5321 §4.1.1.1",
		    _("HELO %s is a bare address, not even a valid address literal: announce the server's name (RFC 5321 §4.1.1.1)"),
		    helo);
		return false;
	}
	if ((norm = aw_domain_normalize(helo)) == NULL)
		return false;
	if (strcmp(norm, "localhost") == 0 ||
	    aw_str_has_prefix_ci(norm, "localhost.")) {
		aw_findings_add(f, AW_SEV_ERROR, "helo.localhost", NULL,
		    _("HELO %s names the local machine: receivers reject or distrust it"),
		    helo);
		ok = false;
	} else if (strchr(norm, '.') == NULL || !aw_domain_valid(norm)) {
		aw_findings_add(f, AW_SEV_ERROR, "helo.not-fqdn", "RFC 5321 §2.3.5",
		    _("HELO name %s is not a fully qualified domain name (RFC 5321 §2.3.5)"),
		    helo);
		ok = false;
	} else if (!ldh_name(norm)) {
		aw_findings_add(f, AW_SEV_ERROR, "helo.not-hostname", "RFC 5321 §4.1.2",
		    _("HELO name %s is not a host name: each label may hold only letters, digits and hyphens, not a hyphen at either end (RFC 5321 §4.1.2; Unicode names as xn-- A-labels)"),
		    helo);
		ok = false;
	}
	free(norm);
	return ok;
}
