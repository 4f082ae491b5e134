/* view-int.h: what the view files share (curses through tui/curses.h). */
#ifndef AW_TUI_VIEW_INT_H
#define AW_TUI_VIEW_INT_H

#include "tui/curses.h"
#include "tui/model.h"

enum aw_view_role {
	AW_ROLE_NORMAL = 0,
	AW_ROLE_TITLE,
	AW_ROLE_STATUS,
	AW_ROLE_OK,
	AW_ROLE_WARN,
	AW_ROLE_ERROR,
	AW_ROLE_MISSING,
	AW_ROLE_CURSOR,
	AW_ROLE_DIM,
	AW_ROLE_HEAD,
	AW_ROLE_FIELD,
	AW_ROLE_COUNT
};

/* The attributes of a role: colour when allowed, else bold/reverse. */
attr_t aw_view_attr(enum aw_view_role r);
enum aw_view_role aw_view_status_role(enum aw_check_status s);

/* Untrusted text, escaped (aw_str_escape), cut at maxcols display
 * columns. Returns the columns used. */
int aw_view_put(WINDOW *w, int y, int x, int maxcols, const char *raw,
    attr_t attr);
/* The same, word-wrapped over at most maxlines lines of width cols.
 * Returns the lines used. */
int aw_view_wrap(WINDOW *w, int y, int x, int cols, int maxlines,
    const char *raw, attr_t attr);
/* A one-line text field drawn with the form library (secret fields are
 * not public: nothing of them is shown). Sets the cursor position when
 * focused. */
void aw_view_field(int y, int x, int cols, const struct aw_tui_field *f,
    bool focused);
/* A list drawn with the menu library: names[0..n), the current one, the
 * chosen one marked. */
void aw_view_menu(int y, int x, int rows, int cols, const char *const *names,
    const char *const *descs, int n, int current, int chosen, bool focused);

/* The body's rows: [top, bottom). */
int aw_view_top(void);
int aw_view_bottom(void);

/* A screen's view: one file tui/view-<screen>.c beside the model's
 * tui/model-<screen>.c, registered in the table of view-screens.c (keyed
 * by enum aw_tui_screen, like the model's screens[]). */
struct tv_screen {
	void (*draw)(const struct aw_tui_model *m);
};
extern const struct tv_screen tv_screen_domain, tv_screen_overview,
    tv_screen_spf, tv_screen_dkim, tv_screen_dmarc, tv_screen_ptr,
    tv_screen_review, tv_screen_target, tv_screen_apply, tv_screen_recheck,
    tv_screen_mtasts, tv_screen_bimi;
/* Draws m's screen through the table (view-screens.c). */
void aw_view_draw_screen(const struct aw_tui_model *m);

/* Shared by the screens' views (view-screens.c). */
extern const char tv_spinner[];    /* a pulse: tv_spinner[tick % 4] */
const char *tv_status_word(enum aw_check_status s);
/* A heading at y, x (cut at the screen's edge). */
void tv_label(int y, int x, const char *text);
/* Columns a text takes (characters; the labels here are ours). */
int tv_text_cols(const char *s);
/* "add", "replace", "delete": a plan change's kind, translated. */
const char *tv_op_word(enum aw_change_kind k);

#endif
