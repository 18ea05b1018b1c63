/*
 * out = transpose(x, perm) for 4-byte elements (float32 or int32 bits), rank <= 8: the output is walked in order
 * in rows of its last axis, each row a strided gather from the input (an odometer over the outer axes). Rows are
 * split into blocks over the threads.
 */
#include <stdint.h>
#include <string.h>

#include "pool.h"
#include "transpose.h"

typedef struct {
  const uint32_t *x;
  uint32_t *out;
  int rank;
  int64_t outShape[8], step[8];
  int64_t inner, innerStep, rows, rowsPerTask;
} transpose_job;

static void transpose_task(void *ctx, int64_t t) {
  const transpose_job *j = (const transpose_job *)ctx;
  const int64_t r0 = t * j->rowsPerTask;
  const int64_t r1 = r0 + j->rowsPerTask < j->rows ? r0 + j->rowsPerTask : j->rows;
  /* The odometer at row r0: decompose r0 over the outer axes of the output. */
  int64_t idx[8] = {0};
  int64_t rest = r0, base = 0;
  for (int a = j->rank - 2; a >= 0; a--) {
    idx[a] = rest % j->outShape[a];
    rest /= j->outShape[a];
    base += idx[a] * j->step[a];
  }
  uint32_t *o = j->out + r0 * j->inner;
  for (int64_t r = r0; r < r1; r++) {
    const uint32_t *src = j->x + base;
    if (j->innerStep == 1)
      memcpy(o, src, (size_t)j->inner * sizeof(uint32_t));
    else
      for (int64_t k = 0; k < j->inner; k++) o[k] = src[k * j->innerStep];
    o += j->inner;
    for (int a = j->rank - 2; a >= 0; a--) {
      idx[a]++;
      base += j->step[a];
      if (idx[a] < j->outShape[a]) break;
      base -= j->step[a] * j->outShape[a];
      idx[a] = 0;
    }
  }
}

void nnphys_transpose32(const void *x, void *out, int rank, const int64_t *shape, const int32_t *perm) {
  transpose_job j;
  int64_t inStrides[8];
  int64_t s = 1;
  for (int a = rank - 1; a >= 0; a--) {
    inStrides[a] = s;
    s *= shape[a];
  }
  if (s == 0) return;
  j.x = (const uint32_t *)x;
  j.out = (uint32_t *)out;
  j.rank = rank;
  for (int a = 0; a < rank; a++) {
    j.outShape[a] = shape[perm[a]];
    j.step[a] = inStrides[perm[a]];
  }
  j.inner = j.outShape[rank - 1];
  j.innerStep = j.step[rank - 1];
  j.rows = s / j.inner;
  j.rowsPerTask = j.rows / 16 > 0 ? (j.rows + 15) / 16 : 1; /* ~16 tasks: enough for a late helper to join */
  nnphys_parallel_for((j.rows + j.rowsPerTask - 1) / j.rowsPerTask, transpose_task, &j);
}
