/*
 * Row kernels for message passing, float32 data with int32 indices:
 *   segment sum  out[s, :] = sum over e with ids[e] = s of data[e, :]   (ids < 0 dropped)
 *   column sums  out[j]    = sum over r of data[r, j]                    (bias gradients)
 *   gather rows  out[e, :] = data[ids[e], :]                            (ids < 0 give zero rows)
 * The sums accumulate in float64, rows in index order, and round once, so
 * results are bitwise those of @nnphys/core's JS kernels and reproducible
 * whatever the thread count: threads split the columns, never the rows.
 */
#include "rows.h"

#include <stdlib.h>
#include <string.h>

#include "pool.h"

/* Columns per task: 16 doubles are two cache lines of accumulators per row. */
#define COLS 16

typedef struct {
  const float *data;
  const int32_t *ids;
  int64_t n, f, segments;
  float *out;
  int failed;
} segment_job;

/* One column block: its accumulators are contiguous ([segments, COLS] doubles, ~140 KB for 1k segments). */
static void segment_task(void *ctx, int64_t t) {
  segment_job *j = (segment_job *)ctx;
  const int64_t c0 = t * COLS;
  const int64_t w = c0 + COLS < j->f ? COLS : j->f - c0;
  double *acc = (double *)calloc((size_t)(j->segments * COLS), sizeof(double));
  if (!acc) {
    j->failed = 1;
    return;
  }
  for (int64_t e = 0; e < j->n; e++) {
    const int32_t s = j->ids[e];
    if (s < 0) continue;
    double *a = acc + (int64_t)s * COLS;
    const float *d = j->data + e * j->f + c0;
    if (w == COLS)
      for (int c = 0; c < COLS; c++) a[c] += (double)d[c];
    else
      for (int64_t c = 0; c < w; c++) a[c] += (double)d[c];
  }
  for (int64_t s = 0; s < j->segments; s++) {
    const double *a = acc + s * COLS;
    float *o = j->out + s * j->f + c0;
    for (int64_t c = 0; c < w; c++) o[c] = (float)a[c];
  }
  free(acc);
}

int nnphys_segment_sum(const float *data, const int32_t *ids, int64_t n, int64_t f, int64_t segments, float *out) {
  for (int64_t e = 0; e < n; e++)
    if (ids[e] >= segments) return -1;
  if (f == 0 || segments == 0) return 0;
  segment_job j = {data, ids, n, f, segments, out, 0};
  nnphys_parallel_for((f + COLS - 1) / COLS, segment_task, &j);
  return j.failed ? -2 : 0;
}

typedef struct {
  const float *data;
  int64_t rows, cols;
  float *out;
} column_job;

static void column_task(void *ctx, int64_t t) {
  const column_job *j = (const column_job *)ctx;
  const int64_t c0 = t * COLS;
  const int64_t c1 = c0 + COLS < j->cols ? c0 + COLS : j->cols;
  double acc[COLS] = {0};
  for (int64_t r = 0; r < j->rows; r++) {
    const float *d = j->data + r * j->cols;
    for (int64_t c = c0; c < c1; c++) acc[c - c0] += (double)d[c];
  }
  for (int64_t c = c0; c < c1; c++) j->out[c] = (float)acc[c - c0];
}

void nnphys_column_sums(const float *data, int64_t rows, int64_t cols, float *out) {
  column_job j = {data, rows, cols, out};
  nnphys_parallel_for((cols + COLS - 1) / COLS, column_task, &j);
}

typedef struct {
  const float *data;
  const int32_t *ids;
  int64_t n, f;
  float *out;
} gather_job;

#define GATHER_ROWS 512

static void gather_task(void *ctx, int64_t t) {
  const gather_job *j = (const gather_job *)ctx;
  const int64_t e0 = t * GATHER_ROWS;
  const int64_t e1 = e0 + GATHER_ROWS < j->n ? e0 + GATHER_ROWS : j->n;
  const size_t bytes = (size_t)j->f * sizeof(float);
  for (int64_t e = e0; e < e1; e++) {
    const int32_t s = j->ids[e];
    if (s < 0)
      memset(j->out + e * j->f, 0, bytes);
    else
      memcpy(j->out + e * j->f, j->data + (int64_t)s * j->f, bytes);
  }
}

int nnphys_gather_rows(const float *data, int64_t rows, int64_t f, const int32_t *ids, int64_t n, float *out) {
  for (int64_t e = 0; e < n; e++)
    if (ids[e] >= rows) return -1;
  gather_job j = {data, ids, n, f, out};
  nnphys_parallel_for((n + GATHER_ROWS - 1) / GATHER_ROWS, gather_task, &j);
  return 0;
}
