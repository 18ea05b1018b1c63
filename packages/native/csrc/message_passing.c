/*
 * Elementwise steps of a message-passing layer that would otherwise be JavaScript loops over every edge or
 * node (about 1.7 ns per element in V8; these run vectorised and threaded over row blocks):
 *   gatherAddRelu:  out[e,:] = relu(out[e,:] + a[ia[e],:] + b[ib[e],:])       (pre-activation of an edge MLP)
 *   affineRelu:     x[r,j]   = act(x[r,j] + bias[j] + s[r] c[j])              (bias, degree term, activation)
 *   reluMask:       x[i]     = ref[i] > 0 ? x[i] : 0                           (ReLU's backward, from its output)
 *   reluAdd:        y[i]     = act(o[i]) + h[i]                                (activation and residual)
 * relu(NaN) is NaN, as tf.relu.
 */
#include <math.h>
#include <stdint.h>

#include "message_passing.h"
#include "pool.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

#define ROWS 256
#define ELEMS 16384

static inline float relu(float v) { return v < 0.0f ? 0.0f : v; }

typedef struct {
  float *out;
  const float *a, *b, *bias, *s, *c, *ref, *h;
  const int32_t *ia, *ib;
  int64_t rows, f, n;
  int act;
} mp_job;

MULTIVERSION static void gather_add_relu_rows(float *restrict out, const float *restrict a, const int32_t *ia, const float *restrict b,
                                              const int32_t *ib, int64_t f, int64_t e0, int64_t e1) {
  for (int64_t e = e0; e < e1; e++) {
    float *o = out + e * f;
    const float *ra = a + (int64_t)ia[e] * f;
    const float *rb = b + (int64_t)ib[e] * f;
    for (int64_t j = 0; j < f; j++) o[j] = relu(o[j] + ra[j] + rb[j]);
  }
}

static void gather_add_relu_task(void *ctx, int64_t t) {
  const mp_job *j = (const mp_job *)ctx;
  const int64_t e0 = t * ROWS, e1 = e0 + ROWS < j->rows ? e0 + ROWS : j->rows;
  gather_add_relu_rows(j->out, j->a, j->ia, j->b, j->ib, j->f, e0, e1);
}

void nnphys_gather_add_relu(float *out, const float *a, const int32_t *ia, const float *b, const int32_t *ib, int64_t rows, int64_t f) {
  mp_job j = {.out = out, .a = a, .b = b, .ia = ia, .ib = ib, .rows = rows, .f = f};
  nnphys_parallel_for((rows + ROWS - 1) / ROWS, gather_add_relu_task, &j);
}

MULTIVERSION static void affine_rows(float *restrict x, const float *restrict bias, const float *restrict s, const float *restrict c,
                                     int64_t f, int act, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    float *row = x + r * f;
    const float sr = s ? s[r] : 0.0f;
    for (int64_t j = 0; j < f; j++) {
      float v = row[j];
      if (bias) v += bias[j];
      if (c) v += sr * c[j];
      row[j] = act ? relu(v) : v;
    }
  }
}

static void affine_task(void *ctx, int64_t t) {
  const mp_job *j = (const mp_job *)ctx;
  const int64_t r0 = t * ROWS, r1 = r0 + ROWS < j->rows ? r0 + ROWS : j->rows;
  affine_rows(j->out, j->bias, j->s, j->c, j->f, j->act, r0, r1);
}

void nnphys_affine_relu(float *x, const float *bias, const float *s, const float *c, int64_t rows, int64_t f, int relu_on) {
  mp_job j = {.out = x, .bias = bias, .s = s, .c = c, .rows = rows, .f = f, .act = relu_on};
  nnphys_parallel_for((rows + ROWS - 1) / ROWS, affine_task, &j);
}

MULTIVERSION static void relu_mask_range(float *restrict x, const float *restrict ref, int64_t i0, int64_t i1) {
  for (int64_t i = i0; i < i1; i++) x[i] = ref[i] > 0.0f ? x[i] : 0.0f;
}

static void relu_mask_task(void *ctx, int64_t t) {
  const mp_job *j = (const mp_job *)ctx;
  const int64_t i0 = t * ELEMS, i1 = i0 + ELEMS < j->n ? i0 + ELEMS : j->n;
  relu_mask_range(j->out, j->ref, i0, i1);
}

void nnphys_relu_mask(float *x, const float *ref, int64_t n) {
  mp_job j = {.out = x, .ref = ref, .n = n};
  nnphys_parallel_for((n + ELEMS - 1) / ELEMS, relu_mask_task, &j);
}

MULTIVERSION static void relu_add_range(float *restrict y, const float *restrict o, const float *restrict h, int act, int64_t i0, int64_t i1) {
  for (int64_t i = i0; i < i1; i++) {
    const float v = act ? relu(o[i]) : o[i];
    y[i] = h ? v + h[i] : v;
  }
}

static void relu_add_task(void *ctx, int64_t t) {
  const mp_job *j = (const mp_job *)ctx;
  const int64_t i0 = t * ELEMS, i1 = i0 + ELEMS < j->n ? i0 + ELEMS : j->n;
  relu_add_range(j->out, j->a, j->h, j->act, i0, i1);
}

void nnphys_relu_add(float *y, const float *o, const float *h, int64_t n, int relu_on) {
  mp_job j = {.out = y, .a = o, .h = h, .n = n, .act = relu_on};
  nnphys_parallel_for((n + ELEMS - 1) / ELEMS, relu_add_task, &j);
}
