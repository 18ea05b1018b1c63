#ifndef NNPHYS_POOL_H
#define NNPHYS_POOL_H
#include <stdint.h>

/* One task of a parallel loop: index in [0, count). */
typedef void (*nnphys_task_fn)(void *ctx, int64_t index);

/*
 * Runs fn(ctx, i) for every i in [0, count), on the calling thread and on
 * whichever pool threads are free to help ("caller runs"): the caller never
 * waits for a helper to wake up or be scheduled, only for tasks a helper has
 * already started. On a loaded machine (other processes on every core) this
 * degrades to the serial loop instead of stalling at a barrier. A call made
 * while another thread is using the pool runs serially.
 */
void nnphys_parallel_for(int64_t count, nnphys_task_fn fn, void *ctx);

/* Threads taking part, the caller included (default: the processors online). */
int nnphys_num_threads(void);
void nnphys_set_num_threads(int threads);

#endif
