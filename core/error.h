/* error.h: the one status type every fallible function returns, and the
 * error record that carries the human message (what, where, host code). */
#ifndef AW_ERROR_H
#define AW_ERROR_H

#include <stddef.h>

enum aw_status {
	AW_OK = 0,
	AW_ERR_NOMEM,      /* allocation failed */
	AW_ERR_INVALID,    /* bad input: syntax, argument, malformed data */
	AW_ERR_IO,         /* file or socket error */
	AW_ERR_DNS,        /* DNS failure (SERVFAIL, timeout, ...) */
	AW_ERR_TIMEOUT,    /* a deadline passed */
	AW_ERR_HTTP,       /* transport-level HTTP failure */
	AW_ERR_PROVIDER,   /* the DNS host's API returned an error */
	AW_ERR_AUTH,       /* credentials missing or refused */
	AW_ERR_NOTFOUND,   /* the thing asked for does not exist */
	AW_ERR_CONFLICT,   /* the change would clash with existing data */
	AW_ERR_INTERNAL    /* a bug: should not happen */
};

#define AW_ERROR_MSG_MAX 512
#define AW_ERROR_WHERE_MAX 160

struct aw_error {
	enum aw_status status;
	int code;                          /* host or protocol code, 0 if none */
	char where[AW_ERROR_WHERE_MAX];    /* file:line, term, position, URL ... */
	char msg[AW_ERROR_MSG_MAX];        /* already translated, one line */
};

/* Fill err (which may be NULL) and return status, so callers can write
 * `return aw_error_set(err, AW_ERR_INVALID, "...", ...);`. */
enum aw_status aw_error_set(struct aw_error *err, enum aw_status status,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Like aw_error_set, also naming where the problem is. */
enum aw_status aw_error_setw(struct aw_error *err, enum aw_status status,
    const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void aw_error_clear(struct aw_error *err);
/* A short untranslated-name of a status, e.g. "invalid". Static string. */
const char *aw_status_name(enum aw_status status);

#endif
