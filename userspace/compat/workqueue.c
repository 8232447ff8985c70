// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * system_unbound_wq: one worker thread, started on the first queue_work(),
 * running works in FIFO order. Everything is under one pthread mutex; the
 * state word in each work is atomic only because INIT_WORK() writes it
 * without the lock.
 *
 * As in the kernel, the worker does not touch a work after its function
 * returns (the function may have freed it): "running" is wq->current, a
 * pointer that is compared, never dereferenced.
 */
#include <pthread.h>
#include <time.h>

#include "compat.h"

#define WORK_IDLE	0
#define WORK_PENDING	1

struct workqueue_struct {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* worker: the queue is not empty, or stop */
	pthread_cond_t done;		/* flushers: a work started or finished */
	struct work_struct *head, *tail;
	struct work_struct *current;	/* the work being run, NULL if none */
	pthread_t thread;
	bool started;			/* a worker was created and not yet joined */
	bool alive;			/* ... and has not yet exited: its clock is valid */
	bool stopping;
	u64 retired_cpu_ns;		/* CPU time of workers already joined */
};

static struct workqueue_struct unbound_wq = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.more = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
};
struct workqueue_struct *system_unbound_wq = &unbound_wq;

static u64 thread_cpu_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static void *worker_fn(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct work_struct *work;

	pthread_mutex_lock(&wq->lock);
	for (;;) {
		while (!wq->head && !wq->stopping)
			pthread_cond_wait(&wq->more, &wq->lock);
		/* Stop only once the queue is drained, so nothing queued is lost. */
		if (!wq->head)
			break;
		work = wq->head;
		wq->head = work->next;
		if (!wq->head)
			wq->tail = NULL;
		work->next = NULL;
		atomic_store_explicit(&work->state, WORK_IDLE, memory_order_relaxed);
		wq->current = work;
		pthread_mutex_unlock(&wq->lock);

		work->func(work);

		pthread_mutex_lock(&wq->lock);
		wq->current = NULL;
		pthread_cond_broadcast(&wq->done);
	}
	/* Our clock dies with us: leave the total behind for compat_wq_cpu_ns(). */
	wq->retired_cpu_ns += thread_cpu_ns(CLOCK_THREAD_CPUTIME_ID);
	wq->alive = false;
	pthread_mutex_unlock(&wq->lock);
	return NULL;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool queued = false;

	pthread_mutex_lock(&wq->lock);
	if (!wq->started) {
		if (pthread_create(&wq->thread, NULL, worker_fn, wq)) {
			pthread_mutex_unlock(&wq->lock);
			BUG();
		}
		wq->started = true;
		wq->alive = true;
	}
	if (atomic_load_explicit(&work->state, memory_order_relaxed) != WORK_PENDING) {
		atomic_store_explicit(&work->state, WORK_PENDING, memory_order_relaxed);
		work->next = NULL;
		if (wq->tail)
			wq->tail->next = work;
		else
			wq->head = work;
		wq->tail = work;
		pthread_cond_signal(&wq->more);
		queued = true;
	}
	pthread_mutex_unlock(&wq->lock);
	return queued;
}

static bool work_busy_locked(struct workqueue_struct *wq, struct work_struct *work)
{
	return atomic_load_explicit(&work->state, memory_order_relaxed) == WORK_PENDING ||
	       wq->current == work;
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq = system_unbound_wq;
	bool waited = false;

	pthread_mutex_lock(&wq->lock);
	while (work_busy_locked(wq, work)) {
		waited = true;
		pthread_cond_wait(&wq->done, &wq->lock);
	}
	pthread_mutex_unlock(&wq->lock);
	return waited;
}

/* Returns true if @work was pending, as in the kernel. */
bool cancel_work_sync(struct work_struct *work)
{
	struct workqueue_struct *wq = system_unbound_wq;
	struct work_struct **pp, *prev = NULL;
	bool was_pending = false;

	pthread_mutex_lock(&wq->lock);
	if (atomic_load_explicit(&work->state, memory_order_relaxed) == WORK_PENDING) {
		for (pp = &wq->head; *pp; prev = *pp, pp = &(*pp)->next) {
			if (*pp != work)
				continue;
			*pp = work->next;
			if (wq->tail == work)
				wq->tail = prev;
			work->next = NULL;
			break;
		}
		atomic_store_explicit(&work->state, WORK_IDLE, memory_order_relaxed);
		was_pending = true;
	}
	while (wq->current == work)
		pthread_cond_wait(&wq->done, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
	return was_pending;
}

u64 compat_wq_cpu_ns(struct workqueue_struct *wq)
{
	clockid_t clock;
	u64 ns;

	pthread_mutex_lock(&wq->lock);
	ns = wq->retired_cpu_ns;
	if (wq->alive && !pthread_getcpuclockid(wq->thread, &clock))
		ns += thread_cpu_ns(clock);
	pthread_mutex_unlock(&wq->lock);
	return ns;
}

/*
 * Drains the queue, then joins the worker. Not for use concurrently with
 * queue_work(): a work queued as the worker exits waits for the next worker.
 */
void compat_wq_shutdown(void)
{
	struct workqueue_struct *wq = system_unbound_wq;
	pthread_t thread;

	pthread_mutex_lock(&wq->lock);
	if (!wq->started) {
		pthread_mutex_unlock(&wq->lock);
		return;
	}
	wq->stopping = true;
	thread = wq->thread;
	pthread_cond_signal(&wq->more);
	pthread_mutex_unlock(&wq->lock);

	pthread_join(thread, NULL);

	pthread_mutex_lock(&wq->lock);
	wq->started = false;
	wq->stopping = false;
	pthread_mutex_unlock(&wq->lock);
}
