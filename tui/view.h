/* view.h: drawing the model and reading keys, with curses behind it. The
 * rest of the wizard sees no curses types: keys come out as model events,
 * the model goes in to be drawn. */
#ifndef AW_TUI_VIEW_H
#define AW_TUI_VIEW_H

#include <stdbool.h>

#include "core/error.h"
#include "tui/model.h"

/* Opens the curses libraries (once; tui/view-curses.c). False and err
 * set (naming the Debian package) when they cannot be loaded. */
bool aw_view_load(struct aw_error *err);
/* Starts curses on the terminal; colour unless NO_COLOR is set or the
 * terminal has none. False (terminal untouched) when it cannot. */
bool aw_view_init(void);
/* Restores the terminal. Safe to call twice and from any exit path. */
void aw_view_done(void);
bool aw_view_active(void);
/* Draws the whole screen from the model. */
void aw_view_draw(const struct aw_tui_model *m);
/* Reads one pending key without waiting: true and *ev filled when there
 * was one that means something. */
bool aw_view_read(struct aw_tui_event *ev);

#endif
