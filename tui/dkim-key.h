/* dkim-key.h: the wizard's new DKIM key (tui/dkim-key.c). */
#ifndef AW_TUI_DKIM_KEY_H
#define AW_TUI_DKIM_KEY_H

#include "tui/model.h"
#include "tui/recheck.h"

/* A 2048-bit RSA key for m's selector, or the one already in the state
 * directory; posts AW_EV_DKIM_KEY with its record and a note saying where
 * the private half is (or AW_EV_ERROR). */
void aw_tui_make_dkim_key(struct aw_tui_model *m, aw_tui_event_cb post,
    void *arg);

#endif
