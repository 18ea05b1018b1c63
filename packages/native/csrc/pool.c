/*
 * A small "caller runs" thread pool for the kernels' parallel loops.
 *
 * Protocol for one job (generation g, `count` tasks):
 *   caller: store job fields, open = 1, generation = g, wake sleepers;
 *           take tasks from `next` until exhausted; wait until done == count;
 *           open = 0; wait until active == 0 (helpers inside the job leave).
 *   helper: on seeing generation g: active += 1; if open and generation is
 *           still g, take tasks from `next` until exhausted; active -= 1.
 * A helper that wakes late finds the job closed or exhausted and does nothing,
 * so the caller only waits for tasks already running. Helpers spin briefly
 * after a job (kernels often come back to back) and then sleep on a condition
 * variable.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#else
#define CPU_RELAX() ((void)0)
#endif

#define MAX_THREADS 64
/* About 50-100 microseconds of spinning before a helper sleeps. */
#define SPIN_ROUNDS 20000

static pthread_mutex_t g_call_lock = PTHREAD_MUTEX_INITIALIZER; /* one job at a time */
static pthread_mutex_t g_sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_wake = PTHREAD_COND_INITIALIZER;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static atomic_int_fast64_t g_generation;
static atomic_int g_open;
static atomic_int g_active;
static atomic_int g_sleepers;
static atomic_int_fast64_t g_next;
static atomic_int_fast64_t g_done;
static int64_t g_count;
static nnphys_task_fn g_fn;
static void *g_ctx;

static int g_threads = 0;      /* threads taking part, caller included */
static int g_started = 0;      /* helper threads started */
static atomic_int g_helpers_allowed; /* helpers beyond this index stay out of jobs */

static int online_processors(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (n > MAX_THREADS ? MAX_THREADS : (int)n);
}

int nnphys_num_threads(void) {
  if (g_threads <= 0) g_threads = online_processors();
  return g_threads;
}

void nnphys_set_num_threads(int threads) {
  pthread_mutex_lock(&g_call_lock);
  g_threads = threads < 1 ? 1 : (threads > MAX_THREADS ? MAX_THREADS : threads);
  atomic_store(&g_helpers_allowed, g_threads - 1);
  pthread_mutex_unlock(&g_call_lock);
}

static void run_tasks(void) {
  const int64_t count = g_count;
  for (;;) {
    const int64_t i = atomic_fetch_add(&g_next, 1);
    if (i >= count) return;
    g_fn(g_ctx, i);
    atomic_fetch_add(&g_done, 1);
  }
}

static void *helper_main(void *arg) {
  const int index = (int)(intptr_t)arg; /* 0-based helper index */
  int64_t seen = atomic_load(&g_generation);
  for (;;) {
    int64_t gen = atomic_load(&g_generation);
    for (int spin = 0; gen == seen && spin < SPIN_ROUNDS; spin++) {
      CPU_RELAX();
      gen = atomic_load(&g_generation);
    }
    if (gen == seen) {
      pthread_mutex_lock(&g_sleep_lock);
      atomic_fetch_add(&g_sleepers, 1);
      while ((gen = atomic_load(&g_generation)) == seen) pthread_cond_wait(&g_wake, &g_sleep_lock);
      atomic_fetch_sub(&g_sleepers, 1);
      pthread_mutex_unlock(&g_sleep_lock);
    }
    seen = gen;
    if (index >= atomic_load(&g_helpers_allowed)) continue;
    atomic_fetch_add(&g_active, 1);
    if (atomic_load(&g_open) && atomic_load(&g_generation) == gen) run_tasks();
    atomic_fetch_sub(&g_active, 1);
  }
  return NULL;
}

static void start_helpers(void) {
  const int want = online_processors() - 1;
  atomic_store(&g_helpers_allowed, nnphys_num_threads() - 1);
  for (int i = 0; i < want; i++) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&t, &attr, helper_main, (void *)(intptr_t)i) == 0) g_started++;
    pthread_attr_destroy(&attr);
  }
}

void nnphys_parallel_for(int64_t count, nnphys_task_fn fn, void *ctx) {
  if (count <= 0) return;
  if (count == 1 || nnphys_num_threads() <= 1 || pthread_mutex_trylock(&g_call_lock) != 0) {
    for (int64_t i = 0; i < count; i++) fn(ctx, i);
    return;
  }
  pthread_once(&g_once, start_helpers);
  if (g_started == 0 || atomic_load(&g_helpers_allowed) <= 0) {
    pthread_mutex_unlock(&g_call_lock);
    for (int64_t i = 0; i < count; i++) fn(ctx, i);
    return;
  }
  g_count = count;
  g_fn = fn;
  g_ctx = ctx;
  atomic_store(&g_next, 0);
  atomic_store(&g_done, 0);
  atomic_store(&g_open, 1);
  atomic_fetch_add(&g_generation, 1);
  if (atomic_load(&g_sleepers) > 0) {
    pthread_mutex_lock(&g_sleep_lock);
    pthread_cond_broadcast(&g_wake);
    pthread_mutex_unlock(&g_sleep_lock);
  }
  run_tasks();
  while (atomic_load(&g_done) < count) CPU_RELAX();
  atomic_store(&g_open, 0);
  while (atomic_load(&g_active) > 0) CPU_RELAX();
  pthread_mutex_unlock(&g_call_lock);
}
