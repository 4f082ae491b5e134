/* curses.h: the only way curses gets into authwizard (htop's
 * ProvideCurses.h). Only tui/view-*.c include it. */
#ifndef AW_TUI_CURSES_H
#define AW_TUI_CURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <curses.h>
#include <form.h>
#include <menu.h>
#include <panel.h>

#endif
