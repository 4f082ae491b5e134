/* strv.c: string vectors. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strv.h"

void
aw_strv_init(struct aw_strv *sv)
{
	memset(sv, 0, sizeof *sv);
}

void
aw_strv_done(struct aw_strv *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof *sv);
}

enum aw_status
aw_strv_take(struct aw_strv *sv, char *s)
{
	if (s == NULL)
		return AW_ERR_NOMEM;
	if (sv->n == sv->cap) {
		size_t ncap = sv->cap ? sv->cap * 2 : 8;
		char **grown = realloc(sv->v, ncap * sizeof *grown);

		if (grown == NULL) {
			free(s);
			return AW_ERR_NOMEM;
		}
		sv->v = grown;
		sv->cap = ncap;
	}
	sv->v[sv->n++] = s;
	return AW_OK;
}

enum aw_status
aw_strv_push(struct aw_strv *sv, const char *s)
{
	return aw_strv_take(sv, strdup(s));
}

enum aw_status
aw_strv_pushf(struct aw_strv *sv, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return AW_ERR_NOMEM;
	return aw_strv_take(sv, s);
}

long
aw_strv_find(const struct aw_strv *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (long)i;
	return -1;
}
