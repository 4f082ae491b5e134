/* area-run.c: running some areas of a domain check from a command. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checks/dnssec.h"
#include "cli/area-run.h"
#include "cli/json.h"
#include "core/i18n.h"
#include "core/str.h"

struct aw_domain_check *
aw_cli_run_areas(struct aw_session *dns, const char *domain,
    const struct aw_domain_check_opts *opts)
{
	struct aw_domain_check *dc = NULL;
	struct aw_dns_source src = aw_resolver_source(dns->res);
	struct aw_error err;

	aw_error_clear(&err);
	if (aw_domain_check_start(&src, domain, opts, NULL, NULL, &dc,
	    &err) != AW_OK)
		aw_cli_error("%s", err.msg);
	while (dc != NULL && !aw_domain_check_finished(dc))
		if (!aw_loop_run_once(dns->loop, -1))
			break;
	if (dc == NULL)
		aw_cli_error(_("out of memory"));
	return dc;
}

int
aw_cli_print_areas(struct aw_domain_check *dc, bool json,
    bool findings_fail)
{
	bool failure = false, errors = false;
	size_t i;

	for (i = 0; i < aw_domain_check_count(dc); i++) {
		struct aw_section *sec = aw_domain_check_section(dc, i);

		if (sec->f.dns_failure)
			failure = true;
		if (sec->f.status == AW_CHECK_ERROR ||
		    sec->f.status == AW_CHECK_MISSING)
			errors = true;
	}
	if (json && aw_domain_check_count(dc) == 1) {
		aw_json_print(stdout,
		    aw_json_section(aw_domain_check_section(dc, 0)));
	} else if (json) {
		json_t *list = json_array();

		for (i = 0; i < aw_domain_check_count(dc); i++)
			json_array_append_new(list,
			    aw_json_section(aw_domain_check_section(dc, i)));
		aw_json_print(stdout, list);
	} else {
		for (i = 0; i < aw_domain_check_count(dc); i++) {
			if (i > 0)
				putchar('\n');
			aw_cli_print_section(stdout,
			    aw_domain_check_section(dc, i));
		}
	}
	if (failure)
		return AW_EXIT_DNS;
	return findings_fail && errors ? AW_EXIT_FINDINGS : AW_EXIT_OK;
}

struct aw_validator *
aw_cli_validator(struct aw_session *dns, const char *anchor, bool deferred)
{
	struct aw_validator *v = NULL;
	struct aw_error err;
	int timeout = 0;

	/* the per-try timeout times the tries, for a whole chain of trust */
	if (dns->timeout_ms > 0)
		timeout = dns->timeout_ms * (dns->tries > 0 ? dns->tries : 3) * 2;
	aw_error_clear(&err);
	/* A file of the user's is read at once: its mistakes are shown
	 * before anything is checked. */
	if ((deferred && anchor == NULL ? aw_validator_new_deferred(dns->loop,
	    &dns->servers, timeout, &v, &err) : aw_validator_new(dns->loop,
	    &dns->servers, anchor, timeout, &v, &err)) != AW_OK) {
		aw_cli_error("%s", err.msg);
		return NULL;
	}
	return v;
}
