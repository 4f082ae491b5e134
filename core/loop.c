/* loop.c: poll(2) event loop with one-shot timers. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/loop.h"

struct aw_loop_watch {
	int fd;
	int events;
	aw_loop_fd_cb cb;
	void *arg;
};

struct aw_loop_timer {
	int64_t when;
	uint64_t seq;          /* keeps equal deadlines in insertion order */
	aw_loop_timer_cb cb;
	void *arg;
	uintptr_t task;        /* the task current when it was added */
	size_t index;          /* in the heap: a cancel is O(log n) */
};

struct aw_loop {
	struct aw_loop_watch *watches;
	size_t nwatches, capwatches;
	/* A binary min-heap by (when, seq): the next due at heap[0]. Most
	 * timers are due after every other (0 ms answers): added in O(1). */
	struct aw_loop_timer **heap;
	size_t nheap, capheap;
	uint64_t seq;
	uintptr_t task;                 /* see aw_loop_set_task */
	struct pollfd *pfds;
	size_t cappfds;
};

int64_t
aw_loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct aw_loop *
aw_loop_new(void)
{
	return calloc(1, sizeof(struct aw_loop));
}

void
aw_loop_free(struct aw_loop *loop)
{
	size_t i;

	if (loop == NULL)
		return;
	for (i = 0; i < loop->nheap; i++)
		free(loop->heap[i]);
	free(loop->heap);
	free(loop->watches);
	free(loop->pfds);
	free(loop);
}

enum aw_status
aw_loop_watch(struct aw_loop *loop, int fd, int events, aw_loop_fd_cb cb,
    void *arg)
{
	size_t i;

	for (i = 0; i < loop->nwatches; i++) {
		if (loop->watches[i].fd != fd)
			continue;
		if (events == 0) {
			loop->watches[i] = loop->watches[--loop->nwatches];
			return AW_OK;
		}
		loop->watches[i].events = events;
		loop->watches[i].cb = cb;
		loop->watches[i].arg = arg;
		return AW_OK;
	}
	if (events == 0)
		return AW_OK;
	if (loop->nwatches == loop->capwatches) {
		size_t ncap = loop->capwatches ? loop->capwatches * 2 : 16;
		struct aw_loop_watch *w;

		w = realloc(loop->watches, ncap * sizeof *w);
		if (w == NULL)
			return AW_ERR_NOMEM;
		loop->watches = w;
		loop->capwatches = ncap;
	}
	loop->watches[loop->nwatches].fd = fd;
	loop->watches[loop->nwatches].events = events;
	loop->watches[loop->nwatches].cb = cb;
	loop->watches[loop->nwatches].arg = arg;
	loop->nwatches++;
	return AW_OK;
}

/* ---- timers: a binary heap ---- */

static bool
timer_before(const struct aw_loop_timer *a, const struct aw_loop_timer *b)
{
	return a->when < b->when || (a->when == b->when && a->seq < b->seq);
}

static void
heap_set(struct aw_loop *loop, size_t i, struct aw_loop_timer *t)
{
	loop->heap[i] = t;
	t->index = i;
}

static void
heap_up(struct aw_loop *loop, size_t i)
{
	struct aw_loop_timer *t = loop->heap[i];

	while (i > 0 && timer_before(t, loop->heap[(i - 1) / 2])) {
		heap_set(loop, i, loop->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(loop, i, t);
}

static void
heap_down(struct aw_loop *loop, size_t i)
{
	struct aw_loop_timer *t = loop->heap[i];
	size_t c;

	while ((c = 2 * i + 1) < loop->nheap) {
		if (c + 1 < loop->nheap &&
		    timer_before(loop->heap[c + 1], loop->heap[c]))
			c++;
		if (!timer_before(loop->heap[c], t))
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

/* Takes t out of the heap (it stays allocated). */
static void
heap_remove(struct aw_loop *loop, struct aw_loop_timer *t)
{
	size_t i = t->index;
	struct aw_loop_timer *last = loop->heap[--loop->nheap];

	if (i == loop->nheap)
		return;
	heap_set(loop, i, last);
	heap_up(loop, i);
	heap_down(loop, last->index);
}

struct aw_loop_timer *
aw_loop_timer_add(struct aw_loop *loop, int64_t ms, aw_loop_timer_cb cb,
    void *arg)
{
	struct aw_loop_timer *t;

	if (loop->nheap == loop->capheap) {
		size_t cap = loop->capheap ? loop->capheap * 2 : 64;
		struct aw_loop_timer **h = realloc(loop->heap,
		    cap * sizeof *h);

		if (h == NULL)
			return NULL;
		loop->heap = h;
		loop->capheap = cap;
	}
	t = calloc(1, sizeof *t);
	if (t == NULL)
		return NULL;
	if (ms < 0)
		ms = 0;
	t->when = aw_loop_now_ms() + ms;
	t->seq = loop->seq++;
	t->cb = cb;
	t->arg = arg;
	t->task = loop->task;
	heap_set(loop, loop->nheap++, t);
	heap_up(loop, t->index);
	return t;
}

void
aw_loop_timer_cancel(struct aw_loop *loop, struct aw_loop_timer *t)
{
	if (t == NULL)
		return;
	heap_remove(loop, t);
	free(t);
}

uintptr_t
aw_loop_set_task(struct aw_loop *loop, uintptr_t task)
{
	uintptr_t prev = loop->task;

	loop->task = task;
	return prev;
}

uintptr_t
aw_loop_task(const struct aw_loop *loop)
{
	return loop->task;
}

/* Fires every timer that is due, earliest first. A callback may add or
 * cancel timers; each due timer is taken out before its callback runs. */
static void
loop_fire_timers(struct aw_loop *loop)
{
	int64_t now = aw_loop_now_ms();
	struct aw_loop_timer *t;
	uintptr_t prev;

	while (loop->nheap > 0 && (t = loop->heap[0])->when <= now) {
		heap_remove(loop, t);
		prev = aw_loop_set_task(loop, t->task);
		t->cb(t->arg);
		loop->task = prev;
		free(t);
	}
}

bool
aw_loop_run_once(struct aw_loop *loop, int max_ms)
{
	size_t i, n;
	int timeout = max_ms, rc;

	if (loop->nwatches == 0 && loop->nheap == 0)
		return false;
	if (loop->nheap > 0) {
		int64_t wait = loop->heap[0]->when - aw_loop_now_ms();

		if (wait < 0)
			wait = 0;
		if (timeout < 0 || wait < timeout)
			timeout = (int)(wait > 1000000 ? 1000000 : wait);
	}
	if (loop->cappfds < loop->nwatches) {
		struct pollfd *p = realloc(loop->pfds,
		    loop->nwatches * sizeof *p);

		if (p == NULL)
			return true;   /* try again next round */
		loop->pfds = p;
		loop->cappfds = loop->nwatches;
	}
	n = loop->nwatches;
	for (i = 0; i < n; i++) {
		loop->pfds[i].fd = loop->watches[i].fd;
		loop->pfds[i].events = (short)(
		    ((loop->watches[i].events & AW_LOOP_READ) ? POLLIN : 0) |
		    ((loop->watches[i].events & AW_LOOP_WRITE) ? POLLOUT : 0));
		loop->pfds[i].revents = 0;
	}
	rc = poll(loop->pfds, (nfds_t)n, timeout);
	if (rc < 0) {
		if (errno == EINTR)
			return true;
		return true;
	}
	/* Dispatch by fd, looking each one up again: a callback may have
	 * removed or replaced later watches. */
	for (i = 0; i < n && rc > 0; i++) {
		struct pollfd pf = loop->pfds[i];
		int ev = 0;
		size_t j;

		if (pf.revents == 0)
			continue;
		rc--;
		if (pf.revents & POLLIN)
			ev |= AW_LOOP_READ;
		if (pf.revents & POLLOUT)
			ev |= AW_LOOP_WRITE;
		if (pf.revents & (POLLERR | POLLHUP | POLLNVAL))
			ev |= AW_LOOP_ERROR;
		for (j = 0; j < loop->nwatches; j++) {
			if (loop->watches[j].fd == pf.fd) {
				loop->watches[j].cb(pf.fd, ev,
				    loop->watches[j].arg);
				break;
			}
		}
	}
	loop_fire_timers(loop);
	return true;
}

enum aw_status
aw_loop_run_until(struct aw_loop *loop, const bool *done, int64_t deadline_ms)
{
	while (done == NULL || !*done) {
		int wait = -1;

		if (deadline_ms > 0) {
			int64_t left = deadline_ms - aw_loop_now_ms();

			if (left <= 0)
				return AW_ERR_TIMEOUT;
			wait = (int)(left > 1000000 ? 1000000 : left);
		}
		if (!aw_loop_run_once(loop, wait))
			break;
	}
	return AW_OK;
}
