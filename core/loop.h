/* loop.h: the one event loop. Whoever owns main (CLI or TUI) runs it; the
 * resolver (c-ares), the HTTP transport (curl multi) and the terminal
 * register their file descriptors and timers here. Single-threaded. */
#ifndef AW_LOOP_H
#define AW_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/error.h"

#define AW_LOOP_READ  0x1
#define AW_LOOP_WRITE 0x2
#define AW_LOOP_ERROR 0x4   /* reported only: POLLERR/POLLHUP/POLLNVAL */

struct aw_loop;
struct aw_loop_timer;

typedef void (*aw_loop_fd_cb)(int fd, int revents, void *arg);
typedef void (*aw_loop_timer_cb)(void *arg);

/* NULL on no memory. Free with aw_loop_free (NULL is a no-op); watchers
 * and timers still registered are dropped without being called. */
struct aw_loop *aw_loop_new(void);
void aw_loop_free(struct aw_loop *loop);

/* Watch fd for events (AW_LOOP_READ|AW_LOOP_WRITE); events 0 removes the
 * watch. Setting it again replaces events, callback and arg. */
enum aw_status aw_loop_watch(struct aw_loop *loop, int fd, int events,
    aw_loop_fd_cb cb, void *arg);

/* A one-shot timer after ms milliseconds. The handle stays valid until the
 * timer fires or is cancelled; cancelling after it fired is a bug. */
struct aw_loop_timer *aw_loop_timer_add(struct aw_loop *loop, int64_t ms,
    aw_loop_timer_cb cb, void *arg);
void aw_loop_timer_cancel(struct aw_loop *loop, struct aw_loop_timer *t);

/* The task the running callback works for: an opaque id (0: none) that
 * a front end sets around work it starts (a bulk run: one per domain).
 * A timer runs with the task that was current when it was added; file
 * descriptor callbacks run with none (the resolver sets each answer's).
 * The resolver shares the wire fairly between tasks (resolver.h).
 * aw_loop_set_task returns the task it replaces. */
uintptr_t aw_loop_set_task(struct aw_loop *loop, uintptr_t task);
uintptr_t aw_loop_task(const struct aw_loop *loop);

/* Waits at most max_ms (-1: until something happens) and dispatches what is
 * ready. Returns false when nothing at all is registered (nothing to wait
 * for), true otherwise. EINTR returns true at once so a signal flag can be
 * looked at. */
bool aw_loop_run_once(struct aw_loop *loop, int max_ms);

/* Runs until *done becomes true, nothing is left to wait for, or
 * deadline_ms (aw_loop_now_ms clock; 0: none) passes. AW_ERR_TIMEOUT when
 * the deadline passed first, AW_OK otherwise. */
enum aw_status aw_loop_run_until(struct aw_loop *loop, const bool *done,
    int64_t deadline_ms);

/* Monotonic milliseconds. */
int64_t aw_loop_now_ms(void);

#endif
