/* strv.h: a growable vector of owned strings. */
#ifndef AW_STRV_H
#define AW_STRV_H

#include <stddef.h>

#include "core/error.h"

struct aw_strv {
	char **v;      /* owned, each element owned */
	size_t n;
	size_t cap;
};

void aw_strv_init(struct aw_strv *sv);
void aw_strv_done(struct aw_strv *sv);
/* Copies s. */
enum aw_status aw_strv_push(struct aw_strv *sv, const char *s);
enum aw_status aw_strv_pushf(struct aw_strv *sv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Takes ownership of s (freed on failure too). */
enum aw_status aw_strv_take(struct aw_strv *sv, char *s);
/* Index of the first element equal to s, or -1. */
long aw_strv_find(const struct aw_strv *sv, const char *s);

#endif
