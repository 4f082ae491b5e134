/* catalog.h: the senders the wizard offers (SPF includes, DKIM CNAMEs).
 * One seam: a built-in list now; the shared catalog (data/senders.json,
 * checks/catalog.h) plugs in here when it lands. */
#ifndef AW_TUI_CATALOG_H
#define AW_TUI_CATALOG_H

#include <stddef.h>

#include "tui/model.h"

/* The senders, static; *n gets how many. Never NULL. */
const struct aw_tui_sender *aw_tui_catalog(size_t *n);

/* The small list built in (tests, and when no catalog can be read). */
const struct aw_tui_sender *aw_tui_catalog_builtin(size_t *n);

#endif
