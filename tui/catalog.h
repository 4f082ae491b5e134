/* catalog.h: the senders the wizard offers (SPF includes, DKIM CNAMEs),
 * taken from the shared sender catalog (checks/catalog.h: data/senders.json
 * and the user's senders.d) into the model's plain form. */
#ifndef AW_TUI_CATALOG_H
#define AW_TUI_CATALOG_H

#include <stddef.h>

#include "checks/catalog.h"
#include "core/error.h"
#include "tui/model.h"

/* The senders of a catalog, owned (strings and arrays); v may be NULL
 * when n is 0. */
struct aw_tui_senders {
	struct aw_tui_sender *v;
	size_t n;
};

/* Fills out (which the caller frees with aw_tui_senders_done, also after
 * an error) from cat: each service's first SPF include with its lookup
 * cost, its DKIM CNAMEs ("SELECTOR._domainkey" -> target template), and
 * what its placeholders mean (the account part the user types). */
enum aw_status aw_tui_senders_from(const struct aw_catalog *cat,
    struct aw_tui_senders *out);
void aw_tui_senders_done(struct aw_tui_senders *s);

#endif
