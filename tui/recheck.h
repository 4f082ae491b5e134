/* recheck.h: looks up each change of the model again and says whether DNS
 * publishes it as intended (a simple stand-in for the propagation watch,
 * checks/watch.h, until that lands). No I/O beyond the DNS source. */
#ifndef AW_TUI_RECHECK_H
#define AW_TUI_RECHECK_H

#include "checks/dns.h"
#include "tui/model.h"

/* Delivers one AW_EV_RECHECK per change (the last with count 1) to cb,
 * from the loop. Copies what it needs from m. Returns how many lookups
 * were started; 0: cb gets a single AW_EV_RECHECK with count 1 at once
 * (index past the end). The state frees itself after the last answer. */
typedef void (*aw_tui_event_cb)(const struct aw_tui_event *ev, void *arg);
size_t aw_tui_recheck_start(const struct aw_dns_source *src,
    const struct aw_tui_model *m, aw_tui_event_cb cb, void *arg);

/* True when ans holds the record c wants published. */
bool aw_tui_recheck_matches(const struct aw_tui_change *c,
    const struct aw_dns_answer *ans);

#endif
