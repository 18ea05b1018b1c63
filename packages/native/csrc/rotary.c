/*
 * Rotary position embedding (RoPE, Su et al. 2021) on x [B, H, T, d] with tables cos, sin [B, T, d] (shared by
 * the heads), pairs (i, i + d/2):
 *   forward   y_i = x_i c_i - x_{i+h} s_i,          y_{i+h} = x_{i+h} c_{i+h} + x_i s_{i+h}
 *   backward  dx_i = dy_i c_i + dy_{i+h} s_{i+h},   dx_{i+h} = dy_{i+h} c_{i+h} - dy_i s_i   (the transpose)
 * One pass each instead of split, negate, concatenate, two products and a sum (and their gradients).
 */
#include <stdint.h>

#include "pool.h"
#include "rotary.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

typedef struct {
  const float *x, *cos, *sin;
  float *y;
  int64_t heads, t, d;
  int transpose;
} rotary_job;

MULTIVERSION static void rotary_row(const float *restrict x, const float *restrict c, const float *restrict s, float *restrict y, int64_t half,
                                    int transpose) {
  if (!transpose) {
    for (int64_t i = 0; i < half; i++) {
      y[i] = x[i] * c[i] - x[i + half] * s[i];
      y[i + half] = x[i + half] * c[i + half] + x[i] * s[i + half];
    }
  } else {
    for (int64_t i = 0; i < half; i++) {
      y[i] = x[i] * c[i] + x[i + half] * s[i + half];
      y[i + half] = x[i + half] * c[i + half] - x[i] * s[i];
    }
  }
}

/* One task: one (batch, head) slab of T rows. */
static void rotary_task(void *ctx, int64_t slab) {
  const rotary_job *j = (const rotary_job *)ctx;
  const int64_t b = slab / j->heads;
  const int64_t rowLength = j->d;
  for (int64_t r = 0; r < j->t; r++) {
    const int64_t xo = (slab * j->t + r) * rowLength;
    const int64_t to = (b * j->t + r) * rowLength;
    rotary_row(j->x + xo, j->cos + to, j->sin + to, j->y + xo, rowLength / 2, j->transpose);
  }
}

void nnphys_rotary(const float *x, const float *cos, const float *sin, float *y, int64_t batch, int64_t heads, int64_t t, int64_t d,
                   int transpose) {
  rotary_job j = {x, cos, sin, y, heads, t, d, transpose};
  nnphys_parallel_for(batch * heads, rotary_task, &j);
}
