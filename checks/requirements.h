/* requirements.h: the mailbox providers' published sender requirements
 * (Gmail and Yahoo 2024, Outlook.com 2025) judged from what a finished
 * domain check found: one verdict per provider and rule, each with its
 * source. Rules DNS alone cannot show (one-click unsubscribe, spam rate,
 * TLS in transit) are listed as not checked, never as passed. */
#ifndef AW_REQUIREMENTS_H
#define AW_REQUIREMENTS_H

#include <stddef.h>

#include "checks/domain.h"
#include "core/error.h"

enum aw_req_status {
	AW_REQ_PASS,
	AW_REQ_FAIL,
	AW_REQ_NOT_CHECKED
};

struct aw_requirement {
	const char *provider;      /* static: "gmail", "yahoo", "outlook" */
	const char *provider_name; /* static: "Gmail", "Yahoo", "Outlook.com" */
	const char *rule;          /* static, stable: "spf", "dkim", "dmarc",
	                            * "alignment", "ptr", "helo", "tls",
	                            * "unsubscribe", "spam-rate" */
	enum aw_req_status status;
	char *message;             /* translated; may quote DNS text (raw:
	                            * escape to show) */
	const char *source;        /* static: the provider's page */
};

struct aw_requirements {
	struct aw_requirement *v;
	size_t n;
};

void aw_requirements_init(struct aw_requirements *r);
void aw_requirements_done(struct aw_requirements *r);

/* Judges every provider's rules from the finished check dc (which ran
 * the spf, dkim and dmarc areas; ptr and helo when --ip/--helo were
 * given). */
enum aw_status aw_requirements_judge(struct aw_domain_check *dc,
    struct aw_requirements *out);

/* "pass", "fail", "not-checked". */
const char *aw_req_status_name(enum aw_req_status s);

#endif
