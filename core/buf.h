/* buf.h: a growable byte string, always NUL-terminated, with a hard cap so
 * data from the network cannot grow it without bound. */
#ifndef AW_BUF_H
#define AW_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/error.h"

#define AW_BUF_DEFAULT_MAX (16u * 1024 * 1024)

struct aw_buf {
	char *data;     /* owned; NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;     /* 0: AW_BUF_DEFAULT_MAX */
};

void aw_buf_init(struct aw_buf *b);
/* Frees the data; the struct can be reused after aw_buf_init. */
void aw_buf_done(struct aw_buf *b);
void aw_buf_reset(struct aw_buf *b);
/* AW_ERR_NOMEM when allocation fails, AW_ERR_INVALID past b->max. */
enum aw_status aw_buf_append(struct aw_buf *b, const void *data, size_t len);
enum aw_status aw_buf_puts(struct aw_buf *b, const char *s);
enum aw_status aw_buf_putc(struct aw_buf *b, char c);
enum aw_status aw_buf_printf(struct aw_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum aw_status aw_buf_vprintf(struct aw_buf *b, const char *fmt, va_list ap);
/* The text ("" when empty); stays owned by b. */
const char *aw_buf_str(const struct aw_buf *b);
/* Hands the data to the caller (who frees it) and empties b. Never NULL
 * unless memory runs out. */
char *aw_buf_steal(struct aw_buf *b);

/* Writes all of p[0..len) to fd, retrying short writes and EINTR: 0, or
 * the errno of the write that failed (ENOSPC for a write of 0 bytes), so
 * the reason said is never a stale one. */
int aw_fd_write_all(int fd, const void *p, size_t len);
/* aw_fd_write_all, fsync and close (fd is closed in every case): 0, or
 * the errno of the first step that failed. */
int aw_fd_write_sync_close(int fd, const void *p, size_t len);

#endif
