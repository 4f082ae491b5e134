/* error.c: filling error records. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/error.h"

static enum aw_status
error_vset(struct aw_error *err, enum aw_status status, const char *where,
    const char *fmt, va_list ap)
{
	if (err == NULL)
		return status;
	err->status = status;
	err->code = 0;
	snprintf(err->where, sizeof err->where, "%s", where ? where : "");
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return status;
}

enum aw_status
aw_error_set(struct aw_error *err, enum aw_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, status, NULL, fmt, ap);
	va_end(ap);
	return status;
}

enum aw_status
aw_error_setw(struct aw_error *err, enum aw_status status, const char *where,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, status, where, fmt, ap);
	va_end(ap);
	return status;
}

void
aw_error_clear(struct aw_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

const char *
aw_status_name(enum aw_status status)
{
	switch (status) {
	case AW_OK: return "ok";
	case AW_ERR_NOMEM: return "nomem";
	case AW_ERR_INVALID: return "invalid";
	case AW_ERR_IO: return "io";
	case AW_ERR_DNS: return "dns";
	case AW_ERR_TIMEOUT: return "timeout";
	case AW_ERR_HTTP: return "http";
	case AW_ERR_PROVIDER: return "provider";
	case AW_ERR_AUTH: return "auth";
	case AW_ERR_NOTFOUND: return "notfound";
	case AW_ERR_CONFLICT: return "conflict";
	case AW_ERR_INTERNAL: return "internal";
	}
	return "unknown";
}
