/* view-main.c: curses set-up and tear-down, the frame (title, message and
 * status lines), the help window, keys to model events, and the small
 * widgets the screens share (text, fields, menus). */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/i18n.h"
#include "core/str.h"
#include "tui/view-int.h"
#include "tui/view.h"

static bool active;
static SCREEN *screen;
static bool use_color;
static int cursor_y = -1, cursor_x = -1;

/* Forms, menus and panels live until the next draw. */
#define LIVE_MAX 8
static struct {
	FORM *form;
	FIELD *fields[2];
	WINDOW *sub;
} live_forms[LIVE_MAX];
static size_t nlive_forms;
static struct {
	MENU *menu;
	ITEM **items;
	struct aw_strv texts;   /* the items' escaped names and descriptions */
	WINDOW *sub;
} live_menus[LIVE_MAX];
static size_t nlive_menus;
static PANEL *overlay_panel;
static WINDOW *overlay_win;

bool
aw_view_active(void)
{
	return active;
}

bool
aw_view_init(void)
{
	const char *nc = getenv("NO_COLOR");

	if (active)
		return true;
	if ((screen = newterm(NULL, stdout, stdin)) == NULL)
		return false;
	active = true;
	raw();           /* Ctrl-C arrives as a key: quit cleanly */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	/* https://no-color.org: present and not empty. */
	use_color = has_colors() && (nc == NULL || *nc == '\0');
	if (use_color) {
		start_color();
		use_default_colors();
		init_pair(AW_ROLE_TITLE, COLOR_WHITE, COLOR_BLUE);
		init_pair(AW_ROLE_STATUS, COLOR_BLACK, COLOR_CYAN);
		init_pair(AW_ROLE_OK, COLOR_GREEN, -1);
		init_pair(AW_ROLE_WARN, COLOR_YELLOW, -1);
		init_pair(AW_ROLE_ERROR, COLOR_RED, -1);
		init_pair(AW_ROLE_MISSING, COLOR_MAGENTA, -1);
		init_pair(AW_ROLE_CURSOR, COLOR_BLACK, COLOR_CYAN);
		init_pair(AW_ROLE_DIM, COLOR_BLUE, -1);
		init_pair(AW_ROLE_HEAD, COLOR_CYAN, -1);
		init_pair(AW_ROLE_FIELD, COLOR_WHITE, COLOR_BLACK);
	}
	return true;
}

static void
free_live(void)
{
	size_t i;

	for (i = 0; i < nlive_forms; i++) {
		unpost_form(live_forms[i].form);
		free_form(live_forms[i].form);
		free_field(live_forms[i].fields[0]);
		delwin(live_forms[i].sub);
	}
	nlive_forms = 0;
	for (i = 0; i < nlive_menus; i++) {
		ITEM **it;

		unpost_menu(live_menus[i].menu);
		free_menu(live_menus[i].menu);
		for (it = live_menus[i].items; *it != NULL; it++)
			free_item(*it);
		free(live_menus[i].items);
		aw_strv_done(&live_menus[i].texts);
		delwin(live_menus[i].sub);
	}
	nlive_menus = 0;
	if (overlay_panel != NULL) {
		del_panel(overlay_panel);
		delwin(overlay_win);
		overlay_panel = NULL;
		overlay_win = NULL;
	}
}

void
aw_view_done(void)
{
	if (!active)
		return;
	free_live();
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
	active = false;
}

attr_t
aw_view_attr(enum aw_view_role r)
{
	if (use_color) {
		switch (r) {
		case AW_ROLE_NORMAL: return A_NORMAL;
		case AW_ROLE_TITLE: return COLOR_PAIR(r) | A_BOLD;
		case AW_ROLE_ERROR: return COLOR_PAIR(r) | A_BOLD;
		case AW_ROLE_HEAD: return COLOR_PAIR(r) | A_BOLD;
		case AW_ROLE_FIELD: return A_UNDERLINE;
		default: return COLOR_PAIR(r);
		}
	}
	/* Monochrome: attributes only. */
	switch (r) {
	case AW_ROLE_TITLE:
	case AW_ROLE_STATUS:
	case AW_ROLE_CURSOR:
		return A_REVERSE;
	case AW_ROLE_ERROR:
	case AW_ROLE_HEAD:
		return A_BOLD;
	case AW_ROLE_WARN:
		return A_BOLD;
	case AW_ROLE_FIELD:
		return A_UNDERLINE;
	case AW_ROLE_DIM:
		return A_DIM;
	default:
		return A_NORMAL;
	}
}

enum aw_view_role
aw_view_status_role(enum aw_check_status s)
{
	switch (s) {
	case AW_CHECK_OK: return AW_ROLE_OK;
	case AW_CHECK_WARNING: return AW_ROLE_WARN;
	case AW_CHECK_ERROR: return AW_ROLE_ERROR;
	case AW_CHECK_MISSING: return AW_ROLE_MISSING;
	default: return AW_ROLE_DIM;
	}
}

int
aw_view_top(void)
{
	return 2;
}

int
aw_view_bottom(void)
{
	return LINES - 2;
}

/* Escaped text as wide characters; the caller frees. */
static wchar_t *
widen(const char *raw)
{
	char *esc;
	wchar_t *w;
	size_t n;
	mbstate_t st;
	const char *p;

	if (raw == NULL)
		raw = "";
	esc = aw_str_escape_dup(raw, strlen(raw), AW_DISPLAY_MAX);
	if (esc == NULL)
		return NULL;
	/* Tabs and newlines in our own text are spaces on one line. */
	for (n = 0; esc[n]; n++)
		if (esc[n] == '\t')
			esc[n] = ' ';
	w = calloc(strlen(esc) + 1, sizeof *w);
	if (w == NULL) {
		free(esc);
		return NULL;
	}
	memset(&st, 0, sizeof st);
	p = esc;
	n = mbsrtowcs(w, &p, strlen(esc) + 1, &st);
	if (n == (size_t)-1) {
		/* Not this locale's encoding: show ASCII only. */
		size_t i, k = 0;

		for (i = 0; esc[i]; i++)
			w[k++] = (unsigned char)esc[i] < 0x80 ? (wchar_t)esc[i] : L'?';
		w[k] = 0;
	}
	free(esc);
	return w;
}

/* The mark of a text cut to fit: an ellipsis where the locale has it. */
static const wchar_t *
cut_marker(void)
{
	return MB_CUR_MAX > 1 ? L"\u2026" : L">";
}

int
aw_view_put(WINDOW *w, int y, int x, int maxcols, const char *raw, attr_t attr)
{
	wchar_t *ws = widen(raw);
	int cols = 0, cw;
	size_t i;

	if (ws == NULL || maxcols <= 0 || y < 0 || y >= LINES) {
		free(ws);
		return 0;
	}
	wattron(w, attr);
	wmove(w, y, x);
	for (i = 0; ws[i]; i++) {
		cw = wcwidth(ws[i]);
		if (cw < 0)
			cw = 1;
		if (cols + cw > maxcols ||
		    (cols + cw == maxcols && ws[i + 1] != 0)) {
			/* Cut: say so, in the last column. */
			if (cols < maxcols) {
				waddnwstr(w, cut_marker(), 1);
				cols++;
			}
			break;
		}
		waddnwstr(w, &ws[i], 1);
		cols += cw;
	}
	wattroff(w, attr);
	free(ws);
	return cols;
}

/* One paragraph (no newline) word-wrapped; cut on its last line with a
 * marker when it does not fit. */
static int
wrap_para(WINDOW *w, int y, int x, int cols, int maxlines, const char *raw,
    attr_t attr)
{
	wchar_t *ws = widen(raw);
	int lines = 0;
	size_t i = 0;

	if (ws == NULL)
		return 0;
	if (ws[0] == 0) {
		free(ws);
		return maxlines > 0 ? 1 : 0;
	}
	wattron(w, attr);
	while (ws[i] && lines < maxlines) {
		size_t start = i, brk = 0, k;
		int used = 0;

		for (k = i; ws[k]; k++) {
			int cw = wcwidth(ws[k]);

			if (cw < 0)
				cw = 1;
			if (used + cw > cols)
				break;
			used += cw;
			if (ws[k] == L' ')
				brk = k;
		}
		if (ws[k] && brk > start && lines + 1 < maxlines)
			k = brk;
		wmove(w, y + lines, x);
		if (ws[k] && lines + 1 == maxlines) {
			/* The last line and more to say: cut, with a marker. */
			if (k > start && used >= cols)
				k--;
			waddnwstr(w, &ws[start], (int)(k - start));
			waddnwstr(w, cut_marker(), 1);
			lines++;
			break;
		}
		waddnwstr(w, &ws[start], (int)(k - start));
		lines++;
		i = k;
		if (ws[i] == L' ')
			i++;
	}
	wattroff(w, attr);
	free(ws);
	return lines;
}

int
aw_view_wrap(WINDOW *w, int y, int x, int cols, int maxlines, const char *raw,
    attr_t attr)
{
	const char *p = raw ? raw : "", *nl;
	int lines = 0;

	if (cols <= 4)
		return 0;
	/* Our own texts break lines with \n; each line is escaped alone so
	 * that only untrusted control characters show as \xHH. */
	while (lines < maxlines) {
		char *line;

		nl = strchr(p, '\n');
		line = nl ? strndup(p, (size_t)(nl - p)) : strdup(p);
		if (line == NULL)
			break;
		lines += wrap_para(w, y + lines, x, cols, maxlines - lines, line, attr);
		free(line);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return lines;
}

void
aw_view_field(int y, int x, int cols, const struct aw_tui_field *f, bool focused)
{
	FIELD *fl;
	FORM *form;
	WINDOW *sub;
	const char *text = f->text;
	int shown;

	if (nlive_forms == LIVE_MAX || cols < 4 || y >= LINES - 2)
		return;
	/* Show the end of a long text: the part being typed. */
	while (strlen(text) > 0 && (int)mbstowcs(NULL, text, 0) > cols - 1) {
		text++;
		while (((unsigned char)*text & 0xc0) == 0x80)
			text++;
	}
	if (x + cols > COLS)
		cols = COLS - x;
	if (cols < 4)
		return;
	/* post_form clears its sub-window: give the field its own. */
	if ((sub = derwin(stdscr, 1, cols, y, x)) == NULL)
		return;
	fl = new_field(1, cols, 0, 0, 0, 0);
	if (fl == NULL) {
		delwin(sub);
		return;
	}
	field_opts_off(fl, O_AUTOSKIP | O_STATIC);
	if (f->secret)
		field_opts_off(fl, O_PUBLIC);
	set_field_back(fl, aw_view_attr(AW_ROLE_FIELD) |
	    (focused ? A_BOLD : A_NORMAL));
	set_field_buffer(fl, 0, text);
	live_forms[nlive_forms].fields[0] = fl;
	live_forms[nlive_forms].fields[1] = NULL;
	form = new_form(live_forms[nlive_forms].fields);
	if (form == NULL) {
		free_field(fl);
		delwin(sub);
		return;
	}
	set_form_win(form, stdscr);
	set_form_sub(form, sub);
	post_form(form);
	live_forms[nlive_forms].form = form;
	live_forms[nlive_forms].sub = sub;
	nlive_forms++;
	if (focused) {
		shown = f->secret ? 0 : (int)mbstowcs(NULL, text, 0);
		if (shown < 0)
			shown = 0;
		cursor_y = y;
		cursor_x = x + (shown < cols ? shown : cols - 1);
	}
}

/* text escaped and kept in texts; its strings stay where they are when
 * texts grows. */
static const char *
menu_text(struct aw_strv *texts, const char *text)
{
	char *esc = aw_str_escape_dup(text, strlen(text), AW_DISPLAY_MAX);
	enum aw_status st = esc ? aw_strv_push(texts, esc) : AW_ERR_NOMEM;

	free(esc);
	return st == AW_OK ? texts->v[texts->n - 1] : "?";
}

void
aw_view_menu(int y, int x, int rows, int cols, const char *const *names,
    const char *const *descs, int n, int current, int chosen, bool focused)
{
	ITEM **items;
	MENU *menu;
	WINDOW *sub;
	struct aw_strv *texts = &live_menus[nlive_menus].texts;
	int i;

	if (nlive_menus == LIVE_MAX || n <= 0 || rows <= 0 || cols < 8)
		return;
	if ((items = calloc((size_t)n + 1, sizeof *items)) == NULL)
		return;
	/* The menu library draws item text as it is: names from a user's
	 * catalog file are escaped like every other text we draw. The copies
	 * live with the menu (freed by free_live). */
	aw_strv_init(texts);
	for (i = 0; i < n; i++) {
		const char *nm = menu_text(texts, names[i]);
		const char *ds = descs ? menu_text(texts, descs[i]) : "";

		items[i] = new_item(nm, ds);
	}
	menu = new_menu(items);
	sub = derwin(stdscr, rows, cols, y, x);
	if (menu == NULL || sub == NULL) {
		for (i = 0; i < n; i++)
			free_item(items[i]);
		free(items);
		aw_strv_done(texts);
		if (menu)
			free_menu(menu);
		if (sub)
			delwin(sub);
		return;
	}
	set_menu_win(menu, stdscr);
	set_menu_sub(menu, sub);
	set_menu_format(menu, rows, 1);
	set_menu_mark(menu, "> ");
	if (descs == NULL)
		menu_opts_off(menu, O_SHOWDESC);
	set_menu_fore(menu, focused ? aw_view_attr(AW_ROLE_CURSOR) : A_BOLD);
	set_menu_back(menu, A_NORMAL);
	post_menu(menu);
	if (current >= 0 && current < n)
		set_current_item(menu, items[current]);
	/* The chosen item carries a mark in the left column. */
	if (chosen >= 0 && chosen < n) {
		int top = top_row(menu);

		if (chosen >= top && chosen < top + rows)
			mvwaddstr(stdscr, y + chosen - top, x > 2 ? x - 2 : 0, "*");
	}
	live_menus[nlive_menus].menu = menu;
	live_menus[nlive_menus].items = items;
	live_menus[nlive_menus].sub = sub;
	nlive_menus++;
}

static void
draw_help(const struct aw_tui_model *m)
{
	const char *text = aw_tui_screen_help(m->screen);
	int h = LINES - 6, w = COLS - 8;

	if (h < 6 || w < 30)
		return;
	overlay_win = newwin(h, w, 3, 4);
	if (overlay_win == NULL)
		return;
	overlay_panel = new_panel(overlay_win);
	werase(overlay_win);
	box(overlay_win, 0, 0);
	aw_view_put(overlay_win, 0, 2, w - 4, _(" Help "), aw_view_attr(AW_ROLE_HEAD));
	aw_view_put(overlay_win, 1, 2, w - 4, aw_tui_screen_title(m->screen), A_BOLD);
	aw_view_wrap(overlay_win, 3, 2, w - 4, h - 5, text, A_NORMAL);
	aw_view_put(overlay_win, h - 2, 2, w - 4, _("Any key closes this help."),
	    aw_view_attr(AW_ROLE_DIM));
}

static void
draw_confirm(const struct aw_tui_model *m)
{
	size_t i, n = m->plan.nchanges;
	int h = 7, w = COLS - 10;
	char *msg = NULL;

	if (w > 70)
		w = 70;
	/* The rows it covers are cleared across the screen: nothing of the
	 * screen below (a credential's "from $PDNS_API_KEY") shows beside
	 * its border; its own texts are cut within it (aw_view_put). */
	for (i = 0; i < (size_t)h; i++) {
		wmove(stdscr, LINES / 2 - 4 + (int)i, 0);
		wclrtoeol(stdscr);
	}
	overlay_win = newwin(h, w, LINES / 2 - 4, (COLS - w) / 2);
	if (overlay_win == NULL)
		return;
	overlay_panel = new_panel(overlay_win);
	werase(overlay_win);
	box(overlay_win, 0, 0);
	if (m->confirm_forced) {
		/* The review's checks found an error: asked once more. */
		aw_view_wrap(overlay_win, 1, 2, w - 4, 3,
		    _("The checks found errors in these changes (see the review): published as they are, they break mail."),
		    aw_view_attr(AW_ROLE_ERROR) | A_BOLD);
		aw_view_put(overlay_win, h - 2, 2, w - 4,
		    _("!: publish anyway   any other key: go back"),
		    aw_view_attr(AW_ROLE_HEAD));
		return;
	}
	if (asprintf(&msg, P_("Apply %zu change to %s at %s?",
	    "Apply %zu changes to %s at %s?", n), n,
	    m->domain_unicode ? m->domain_unicode : m->domain,
	    _(aw_tui_targets[m->target].name)) < 0)
		msg = NULL;
	aw_view_wrap(overlay_win, 1, 2, w - 4, 3, msg, A_BOLD);
	free(msg);
	aw_view_put(overlay_win, h - 2, 2, w - 4, _("y: apply now   n: not now"),
	    aw_view_attr(AW_ROLE_HEAD));
}

void
aw_view_draw(const struct aw_tui_model *m)
{
	const char *d = m->domain_unicode ? m->domain_unicode : "";
	char left[512];
	int x;

	if (!active)
		return;
	free_live();
	cursor_y = cursor_x = -1;
	erase();
	if (COLS < 60 || LINES < 16) {
		aw_view_wrap(stdscr, 0, 0, COLS, LINES,
		    _("The terminal is too small: the wizard needs at least 60 columns and 16 lines."),
		    A_BOLD);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	/* Title bar. */
	attron(aw_view_attr(AW_ROLE_TITLE));
	mvhline(0, 0, ' ', COLS);
	attroff(aw_view_attr(AW_ROLE_TITLE));
	snprintf(left, sizeof left, " authwizard  %s", d);
	x = aw_view_put(stdscr, 0, 0, COLS / 2, left, aw_view_attr(AW_ROLE_TITLE));
	{
		const char *t = aw_tui_screen_title(m->screen);
		int tw = (int)mbstowcs(NULL, t, 0);

		if (tw < 0)
			tw = (int)strlen(t);
		if (tw > COLS - x - 3)
			tw = COLS - x - 3;
		aw_view_put(stdscr, 0, COLS - tw - 1, tw, t,
		    aw_view_attr(AW_ROLE_TITLE));
	}

	aw_view_draw_screen(m);

	/* Message line, status line. */
	if (m->error != NULL)
		aw_view_put(stdscr, LINES - 2, 1, COLS - 2, m->error,
		    aw_view_attr(AW_ROLE_ERROR));
	else if (m->note != NULL)
		aw_view_put(stdscr, LINES - 2, 1, COLS - 2, m->note,
		    aw_view_attr(AW_ROLE_HEAD));
	attron(aw_view_attr(AW_ROLE_STATUS));
	mvhline(LINES - 1, 0, ' ', COLS);
	attroff(aw_view_attr(AW_ROLE_STATUS));
	aw_view_put(stdscr, LINES - 1, 1, COLS - 2, aw_tui_screen_keys(m),
	    aw_view_attr(AW_ROLE_STATUS));

	if (m->help)
		draw_help(m);
	else if (m->confirming)
		draw_confirm(m);
	if (cursor_y >= 0 && !m->help && !m->confirming) {
		move(cursor_y, cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	update_panels();
	doupdate();
}

bool
aw_view_read(struct aw_tui_event *ev)
{
	wint_t ch;
	int r;

	memset(ev, 0, sizeof ev[0]);
	if (!active)
		return false;
	r = get_wch(&ch);
	if (r == ERR)
		return false;
	if (r == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP: ev->type = AW_EV_UP; return true;
		case KEY_DOWN: ev->type = AW_EV_DOWN; return true;
		case KEY_LEFT: ev->type = AW_EV_LEFT; return true;
		case KEY_RIGHT: ev->type = AW_EV_RIGHT; return true;
		case KEY_PPAGE: ev->type = AW_EV_UP; return true;
		case KEY_NPAGE: ev->type = AW_EV_DOWN; return true;
		case KEY_BTAB: ev->type = AW_EV_BACKTAB; return true;
		case KEY_ENTER: ev->type = AW_EV_NEXT; return true;
		case KEY_BACKSPACE: ev->type = AW_EV_ERASE; return true;
		case KEY_DC: ev->type = AW_EV_DELETE; return true;
		case KEY_F(1): ev->type = AW_EV_HELP; return true;
		case KEY_F(2): ev->type = AW_EV_SWAP; return true;
		case KEY_F(10): ev->type = AW_EV_QUIT; return true;
		case KEY_RESIZE:
			/* Repaint everything at the new size: what the terminal
			 * kept of the old screen is not what curses believes. */
			clearok(curscr, TRUE);
			ev->type = AW_EV_RESIZE;
			return true;
		default: return false;
		}
	}
	switch (ch) {
	case '\t': ev->type = AW_EV_TAB; return true;
	case '\r':
	case '\n': ev->type = AW_EV_NEXT; return true;
	case 27: ev->type = AW_EV_BACK; return true;
	case 127:
	case 8: ev->type = AW_EV_ERASE; return true;
	case 3: ev->type = AW_EV_QUIT; return true;        /* Ctrl-C */
	case 12: ev->type = AW_EV_RESIZE; return true;     /* Ctrl-L */
	default:
		if (ch < 0x20 || ch == 0x7f)
			return false;
		ev->type = AW_EV_CHAR;
		ev->ch = (uint32_t)ch;
		return true;
	}
}
