/* tui.h: the wizard's entry point. */
#ifndef AW_TUI_H
#define AW_TUI_H

/* Runs the wizard: argv as given to main (options, then an optional
 * DOMAIN). Returns the exit status. */
int aw_tui_main(int argc, char **argv);

#endif
