/* curses.h: the only way curses gets into authwizard (htop's
 * ProvideCurses.h). Only tui/view-*.c include it.
 *
 * The curses libraries (ncursesw, formw, menuw, panelw, tinfo) are opened
 * when the wizard starts (aw_view_load, tui/view-curses.c), not by the
 * dynamic loader at every start of the program (issue 16): every curses
 * function and variable the views use goes through the pointers of
 * aw_curses, typed by the headers' own declarations (function-like
 * macros, so a parameter named like a function, "raw", stays itself). A
 * function new to the views is added to AW_CURSES_FUNCS. */
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

#define AW_CURSES_FUNCS(X) X(clearok) X(curs_set) X(del_panel) X(delscreen) X(delwin) \
	X(derwin) X(doupdate) X(endwin) X(field_opts_off) X(free_field) \
	X(free_form) X(free_item) X(free_menu) X(has_colors) \
	X(init_pair) X(keypad) X(menu_opts_off) X(new_field) X(new_form) \
	X(new_item) X(new_menu) X(new_panel) X(newterm) X(newwin) \
	X(nodelay) X(noecho) X(nonl) X(post_form) X(post_menu) X(raw) \
	X(set_current_item) X(set_escdelay) X(set_field_back) \
	X(set_field_buffer) X(set_form_sub) X(set_form_win) \
	X(set_menu_back) X(set_menu_fore) X(set_menu_format) \
	X(set_menu_mark) X(set_menu_sub) X(set_menu_win) X(start_color) \
	X(top_row) X(unpost_form) X(unpost_menu) X(update_panels) \
	X(use_default_colors) X(waddnstr) X(waddnwstr) X(wattr_off) \
	X(wattr_on) X(wborder) X(wclrtoeol) X(werase) X(wget_wch) \
	X(whline) X(wmove) X(wnoutrefresh)
#define AW_CURSES_VARS(V) V(COLS) V(LINES) V(curscr) V(stdscr)

struct aw_curses {
#define AW_CURSES_PTR(f) __typeof__(f) *f;
	AW_CURSES_FUNCS(AW_CURSES_PTR)
	AW_CURSES_VARS(AW_CURSES_PTR)
#undef AW_CURSES_PTR
};
extern struct aw_curses aw_curses;

#ifndef AW_CURSES_LOADER
#undef clearok
#define clearok(...) (*aw_curses.clearok)(__VA_ARGS__)
#undef curs_set
#define curs_set(...) (*aw_curses.curs_set)(__VA_ARGS__)
#undef del_panel
#define del_panel(...) (*aw_curses.del_panel)(__VA_ARGS__)
#undef delscreen
#define delscreen(...) (*aw_curses.delscreen)(__VA_ARGS__)
#undef delwin
#define delwin(...) (*aw_curses.delwin)(__VA_ARGS__)
#undef derwin
#define derwin(...) (*aw_curses.derwin)(__VA_ARGS__)
#undef doupdate
#define doupdate(...) (*aw_curses.doupdate)(__VA_ARGS__)
#undef endwin
#define endwin(...) (*aw_curses.endwin)(__VA_ARGS__)
#undef field_opts_off
#define field_opts_off(...) (*aw_curses.field_opts_off)(__VA_ARGS__)
#undef free_field
#define free_field(...) (*aw_curses.free_field)(__VA_ARGS__)
#undef free_form
#define free_form(...) (*aw_curses.free_form)(__VA_ARGS__)
#undef free_item
#define free_item(...) (*aw_curses.free_item)(__VA_ARGS__)
#undef free_menu
#define free_menu(...) (*aw_curses.free_menu)(__VA_ARGS__)
#undef has_colors
#define has_colors(...) (*aw_curses.has_colors)(__VA_ARGS__)
#undef init_pair
#define init_pair(...) (*aw_curses.init_pair)(__VA_ARGS__)
#undef keypad
#define keypad(...) (*aw_curses.keypad)(__VA_ARGS__)
#undef menu_opts_off
#define menu_opts_off(...) (*aw_curses.menu_opts_off)(__VA_ARGS__)
#undef new_field
#define new_field(...) (*aw_curses.new_field)(__VA_ARGS__)
#undef new_form
#define new_form(...) (*aw_curses.new_form)(__VA_ARGS__)
#undef new_item
#define new_item(...) (*aw_curses.new_item)(__VA_ARGS__)
#undef new_menu
#define new_menu(...) (*aw_curses.new_menu)(__VA_ARGS__)
#undef new_panel
#define new_panel(...) (*aw_curses.new_panel)(__VA_ARGS__)
#undef newterm
#define newterm(...) (*aw_curses.newterm)(__VA_ARGS__)
#undef newwin
#define newwin(...) (*aw_curses.newwin)(__VA_ARGS__)
#undef nodelay
#define nodelay(...) (*aw_curses.nodelay)(__VA_ARGS__)
#undef noecho
#define noecho(...) (*aw_curses.noecho)(__VA_ARGS__)
#undef nonl
#define nonl(...) (*aw_curses.nonl)(__VA_ARGS__)
#undef post_form
#define post_form(...) (*aw_curses.post_form)(__VA_ARGS__)
#undef post_menu
#define post_menu(...) (*aw_curses.post_menu)(__VA_ARGS__)
#undef raw
#define raw(...) (*aw_curses.raw)(__VA_ARGS__)
#undef set_current_item
#define set_current_item(...) (*aw_curses.set_current_item)(__VA_ARGS__)
#undef set_escdelay
#define set_escdelay(...) (*aw_curses.set_escdelay)(__VA_ARGS__)
#undef set_field_back
#define set_field_back(...) (*aw_curses.set_field_back)(__VA_ARGS__)
#undef set_field_buffer
#define set_field_buffer(...) (*aw_curses.set_field_buffer)(__VA_ARGS__)
#undef set_form_sub
#define set_form_sub(...) (*aw_curses.set_form_sub)(__VA_ARGS__)
#undef set_form_win
#define set_form_win(...) (*aw_curses.set_form_win)(__VA_ARGS__)
#undef set_menu_back
#define set_menu_back(...) (*aw_curses.set_menu_back)(__VA_ARGS__)
#undef set_menu_fore
#define set_menu_fore(...) (*aw_curses.set_menu_fore)(__VA_ARGS__)
#undef set_menu_format
#define set_menu_format(...) (*aw_curses.set_menu_format)(__VA_ARGS__)
#undef set_menu_mark
#define set_menu_mark(...) (*aw_curses.set_menu_mark)(__VA_ARGS__)
#undef set_menu_sub
#define set_menu_sub(...) (*aw_curses.set_menu_sub)(__VA_ARGS__)
#undef set_menu_win
#define set_menu_win(...) (*aw_curses.set_menu_win)(__VA_ARGS__)
#undef start_color
#define start_color(...) (*aw_curses.start_color)(__VA_ARGS__)
#undef top_row
#define top_row(...) (*aw_curses.top_row)(__VA_ARGS__)
#undef unpost_form
#define unpost_form(...) (*aw_curses.unpost_form)(__VA_ARGS__)
#undef unpost_menu
#define unpost_menu(...) (*aw_curses.unpost_menu)(__VA_ARGS__)
#undef update_panels
#define update_panels(...) (*aw_curses.update_panels)(__VA_ARGS__)
#undef use_default_colors
#define use_default_colors(...) (*aw_curses.use_default_colors)(__VA_ARGS__)
#undef waddnstr
#define waddnstr(...) (*aw_curses.waddnstr)(__VA_ARGS__)
#undef waddnwstr
#define waddnwstr(...) (*aw_curses.waddnwstr)(__VA_ARGS__)
#undef wattr_off
#define wattr_off(...) (*aw_curses.wattr_off)(__VA_ARGS__)
#undef wattr_on
#define wattr_on(...) (*aw_curses.wattr_on)(__VA_ARGS__)
#undef wborder
#define wborder(...) (*aw_curses.wborder)(__VA_ARGS__)
#undef wclrtoeol
#define wclrtoeol(...) (*aw_curses.wclrtoeol)(__VA_ARGS__)
#undef werase
#define werase(...) (*aw_curses.werase)(__VA_ARGS__)
#undef wget_wch
#define wget_wch(...) (*aw_curses.wget_wch)(__VA_ARGS__)
#undef whline
#define whline(...) (*aw_curses.whline)(__VA_ARGS__)
#undef wmove
#define wmove(...) (*aw_curses.wmove)(__VA_ARGS__)
#undef wnoutrefresh
#define wnoutrefresh(...) (*aw_curses.wnoutrefresh)(__VA_ARGS__)
#undef COLS
#define COLS (*aw_curses.COLS)
#undef LINES
#define LINES (*aw_curses.LINES)
#undef curscr
#define curscr (*aw_curses.curscr)
#undef stdscr
#define stdscr (*aw_curses.stdscr)
#endif

#endif
