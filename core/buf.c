/* buf.c: growable strings (grow into a temporary, commit on success). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"

void
aw_buf_init(struct aw_buf *b)
{
	memset(b, 0, sizeof *b);
}

void
aw_buf_done(struct aw_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
aw_buf_reset(struct aw_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static enum aw_status
buf_reserve(struct aw_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : AW_BUF_DEFAULT_MAX;
	size_t need, ncap;
	char *p;

	if (extra > max || b->len > max - extra)
		return AW_ERR_INVALID;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return AW_OK;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	p = realloc(b->data, ncap);
	if (p == NULL)
		return AW_ERR_NOMEM;
	b->data = p;
	b->cap = ncap;
	return AW_OK;
}

enum aw_status
aw_buf_append(struct aw_buf *b, const void *data, size_t len)
{
	enum aw_status st = buf_reserve(b, len);

	if (st != AW_OK)
		return st;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return AW_OK;
}

enum aw_status
aw_buf_puts(struct aw_buf *b, const char *s)
{
	return aw_buf_append(b, s, strlen(s));
}

enum aw_status
aw_buf_putc(struct aw_buf *b, char c)
{
	/* Room already there and under the cap: no bookkeeping (text is
	 * often built a character at a time). */
	if (b->len + 1 < b->cap &&
	    b->len < (b->max ? b->max : AW_BUF_DEFAULT_MAX)) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return AW_OK;
	}
	return aw_buf_append(b, &c, 1);
}

enum aw_status
aw_buf_vprintf(struct aw_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	enum aw_status st;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return AW_ERR_INVALID;
	if ((st = buf_reserve(b, (size_t)n)) != AW_OK)
		return st;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return AW_OK;
}

enum aw_status
aw_buf_printf(struct aw_buf *b, const char *fmt, ...)
{
	va_list ap;
	enum aw_status st;

	va_start(ap, fmt);
	st = aw_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return st;
}

const char *
aw_buf_str(const struct aw_buf *b)
{
	return b->data ? b->data : "";
}

char *
aw_buf_steal(struct aw_buf *b)
{
	char *p = b->data;

	if (p == NULL)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

int
aw_fd_write_all(int fd, const void *p, size_t len)
{
	const char *c = p;

	while (len > 0) {
		ssize_t w = write(fd, c, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : ENOSPC;
		c += w;
		len -= (size_t)w;
	}
	return 0;
}

int
aw_fd_write_sync_close(int fd, const void *p, size_t len)
{
	int e = aw_fd_write_all(fd, p, len);

	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	return e;
}
