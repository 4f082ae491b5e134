/* model-int.h: what the wizard model's files share (tui/model*.c). Not
 * for the views or main: they use model.h. Each screen's state is in
 * struct aw_tui_model; its events and help are in its own file. */
#ifndef AW_TUI_MODEL_INT_H
#define AW_TUI_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/model.h"

#define TTL_DEFAULT 3600

/* One screen of the wizard, registered as one const entry of the table in
 * model.c; its state lives in struct aw_tui_model, its code in its file
 * (its view is tui/view-<screen>.c, a const struct tv_screen in the
 * view's table of the same keys, view-screens.c). Adding a screen is a
 * model file, a view file and a line in each table. */
struct tm_screen {
	/* On entering it (after the common reset): more effects, or NULL. */
	unsigned (*enter)(struct aw_tui_model *m);
	/* A key there (help, quit, Tab and typing in a field are handled
	 * before): the effects. */
	unsigned (*key)(struct aw_tui_model *m, const struct aw_tui_event *ev);
	/* The text field with the focus, NULL on the list; NULL: none. */
	struct aw_tui_field *(*field)(struct aw_tui_model *m);
	/* How many fields follow its list; NULL: none. */
	int (*nfields)(const struct aw_tui_model *m);
};
extern const struct tm_screen tm_screen_overview, tm_screen_spf,
    tm_screen_dkim, tm_screen_dmarc, tm_screen_ptr, tm_screen_review,
    tm_screen_target, tm_screen_apply, tm_screen_recheck, tm_screen_mtasts,
    tm_screen_bimi;

/* Goes to screen s: the common reset, then its enter. */
unsigned tm_go(struct aw_tui_model *m, enum aw_tui_screen s);
/* Up and Down on a list of n entries (the one list behaviour); false for
 * any other event. */
bool tm_list_key(size_t *cursor, size_t n, const struct aw_tui_event *ev);
void tm_hosts_free(struct aw_tui_model *m);
/* The words of a typed address field (DMARC's rua/ruf, TLS-RPT's rua):
 * separated by commas or spaces (typed text, not a record: records are
 * parsed by checks/), each pushed onto out. In tui/model-dmarc.c. */
void tm_field_words(const char *text, struct aw_strv *out);
/* model-review.c: the review's coded checks of m->plan, again (the
 * lookup tree's count may come in after the review was built). */
void tm_review_check(struct aw_tui_model *m);
/* The host's plan changed or went: its preflight no longer holds. */
void tm_preflight_reset(struct aw_tui_model *m);
/* model-plan.c: plan (its contents) becomes m->plan, with a fresh state
 * per change; plan is left initialised and empty. false on no memory
 * (plan freed, m->plan kept). */
bool tm_plan_take(struct aw_tui_model *m, struct aw_plan *plan);
/* model-apply.c */
unsigned tm_apply_result(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model.c: helpers, navigation */
void tm_set_str(char **dst, const char *src);
void tm_set_error(struct aw_tui_model *m, const char *msg);
void tm_field_clear(struct aw_tui_field *f);
void tm_field_set(struct aw_tui_field *f, const char *s);
bool tm_field_erase(struct aw_tui_field *f);
void tm_trim(char *s);
bool tm_ci_contains(const char *hay, const char *needle);
bool tm_is_ip(const char *s, int *family);
bool tm_is_cidr(const char *s, int *family);
void tm_changes_free(struct aw_tui_model *m);
unsigned tm_step(struct aw_tui_model *m, int dir);
unsigned tm_filter_key(struct aw_tui_model *m, struct aw_tui_field *filter,
    size_t *cursor, const struct aw_tui_event *ev);

/* model-spf.c */
void tm_spf_warn(struct aw_tui_model *m);
void tm_spf_rebuild(struct aw_tui_model *m);
void tm_spf_prefill(struct aw_tui_model *m);
unsigned tm_spf_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-dkim.c */
unsigned tm_dkim_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-dmarc.c */
void tm_dmarc_rebuild(struct aw_tui_model *m);
void tm_dmarc_prefill(struct aw_tui_model *m);
unsigned tm_dmarc_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-overview.c */
void tm_row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void tm_on_section(struct aw_tui_model *m, const struct aw_section *sec);
void tm_on_txt_answer(struct aw_tui_model *m, const struct aw_dns_answer *ans);
unsigned tm_on_check_done(struct aw_tui_model *m);
unsigned tm_on_requirements(struct aw_tui_model *m,
    const struct aw_tui_req_summary *req);
void tm_note_dns_failures(struct aw_tui_model *m, const struct aw_section *sec);

/* model-ptr.c */
void tm_on_ptr_section(struct aw_tui_model *m, const struct aw_section *sec);
char *tm_ptr_wanted(const struct aw_tui_model *m);
unsigned tm_ptr_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-mtasts.c */
void tm_mtasts_on_section(struct aw_tui_model *m, const struct aw_section *sec);
unsigned tm_mtasts_event(struct aw_tui_model *m, const struct aw_tui_event *ev);
unsigned tm_mtasts_recheck_done(struct aw_tui_model *m);
void tm_mtasts_rebuild(struct aw_tui_model *m);
void tm_mtasts_done(struct aw_tui_model *m);
enum aw_status tm_mtasts_wants(const struct aw_tui_model *m,
    struct aw_wants *w, struct aw_error *err);
/* The TXT records read at name (_mta-sts / _smtp._tls), or NULL when
 * name is neither; *known: the lookup answered. */
const struct aw_strv *tm_mtasts_current(const struct aw_tui_model *m,
    const char *name, bool *known);

/* model-bimi.c */
void tm_bimi_reset(struct aw_tui_model *m, bool all);
void tm_bimi_on_section(struct aw_tui_model *m, const struct aw_section *sec);
void tm_bimi_edited(struct aw_tui_model *m);
char *tm_bimi_name(const struct aw_tui_model *m);
unsigned tm_bimi_checked(struct aw_tui_model *m, const struct aw_tui_event *ev);
enum aw_status tm_bimi_want(const struct aw_tui_model *m, struct aw_wants *w,
    struct aw_error *err);

/* model-dnssec.c */
void tm_dnssec_on_section(struct aw_tui_model *m, const struct aw_section *sec);

/* model-review.c */
size_t tm_review_lines(const struct aw_tui_model *m);
unsigned tm_target_key(struct aw_tui_model *m, const struct aw_tui_event *ev);
unsigned tm_on_plan(struct aw_tui_model *m, const struct aw_tui_event *ev);
unsigned tm_on_preflight(struct aw_tui_model *m, const struct aw_tui_event *ev);

#endif
