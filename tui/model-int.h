/* model-int.h: what the wizard model's files share (tui/model*.c). Not
 * for the views or main: they use model.h. Each screen's state is in
 * struct aw_tui_model; its events and help are in its own file. */
#ifndef AW_TUI_MODEL_INT_H
#define AW_TUI_MODEL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/model.h"

#define TTL_DEFAULT 3600

/* model.c: helpers, navigation */
void
tm_set_str(char **dst, const char *src);
void
tm_set_error(struct aw_tui_model *m, const char *msg);
void
tm_field_clear(struct aw_tui_field *f);
void
tm_field_set(struct aw_tui_field *f, const char *s);
bool
tm_field_erase(struct aw_tui_field *f);
void
tm_trim(char *s);
bool
tm_ci_contains(const char *hay, const char *needle);
bool
tm_is_ip(const char *s, int *family);
bool
tm_is_cidr(const char *s, int *family);
void
tm_changes_free(struct aw_tui_model *m);
unsigned
tm_step(struct aw_tui_model *m, int dir);
unsigned
tm_filter_key(struct aw_tui_model *m, struct aw_tui_field *filter,
    size_t *cursor, const struct aw_tui_event *ev);

/* model-spf.c */
void
tm_spf_warn(struct aw_tui_model *m);
void
tm_spf_rebuild(struct aw_tui_model *m);
void
tm_spf_prefill(struct aw_tui_model *m);
unsigned
tm_spf_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-dkim.c */
unsigned
tm_dkim_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-dmarc.c */
void
tm_dmarc_rebuild(struct aw_tui_model *m);
void
tm_dmarc_prefill(struct aw_tui_model *m);
unsigned
tm_dmarc_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-overview.c */
void
tm_row_summary(struct aw_tui_row_state *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void
tm_on_section(struct aw_tui_model *m, const struct aw_section *sec);
void
tm_on_txt_answer(struct aw_tui_model *m, const struct aw_dns_answer *ans);
unsigned
tm_on_check_done(struct aw_tui_model *m);
void
tm_note_dns_failures(struct aw_tui_model *m, const struct aw_section *sec);

/* model-ptr.c */
void
tm_on_ptr_section(struct aw_tui_model *m, const struct aw_section *sec);
char *
tm_ptr_wanted(const struct aw_tui_model *m);
unsigned
tm_ptr_key(struct aw_tui_model *m, const struct aw_tui_event *ev);

/* model-review.c */
size_t
tm_review_lines(const struct aw_tui_model *m);
unsigned
tm_target_key(struct aw_tui_model *m, const struct aw_tui_event *ev);
unsigned
tm_on_plan(struct aw_tui_model *m, const struct aw_tui_event *ev);

#endif
