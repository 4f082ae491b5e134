/* policy.h: the MTA-STS step's I/O for the main loop: the policy file
 * written for the user to host, and the recheck's fetch of the served
 * policy (the mta_sts area of checks/ alone, through the session's
 * fetcher). Results come back as model events. */
#ifndef AW_TUI_POLICY_H
#define AW_TUI_POLICY_H

#include <stdbool.h>

#include "checks/dns.h"
#include "checks/fetch.h"
#include "core/error.h"
#include "tui/model.h"
#include "tui/recheck.h"

/* Writes text to path, mode 0644 (the web server reads it). Without
 * replace an existing file is left alone: AW_ERR_CONFLICT. Else
 * AW_ERR_IO with err saying why. */
enum aw_status aw_tui_policy_write(const char *path, const char *text,
    bool replace, struct aw_error *err);

struct aw_tui_policy_fetch;
/* Checks the mta_sts area of domain over src with fetcher (both must
 * outlive the run); cb gets one AW_EV_POLICY_FETCHED (ev.sec, valid
 * during the call) when it is done. NULL on failure (err says why). Free
 * with aw_tui_policy_fetch_free (NULL: no-op) after src has dropped its
 * callbacks if it is still running, as aw_domain_check_free asks. */
struct aw_tui_policy_fetch *aw_tui_policy_fetch_start(
    const struct aw_dns_source *src, const char *domain,
    const struct aw_fetcher *fetcher, aw_tui_event_cb cb, void *arg,
    struct aw_error *err);
bool aw_tui_policy_fetch_done(const struct aw_tui_policy_fetch *pf);
void aw_tui_policy_fetch_free(struct aw_tui_policy_fetch *pf);

#endif
