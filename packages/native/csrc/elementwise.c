/*
 * Elementwise kernels whose tfjs composition costs several passes and
 * kernels: GELU (exact, erf form) and its derivative.
 *   gelu(x)  = x Phi(x) = 0.5 x (1 + erf(x / sqrt 2))
 *   gelu'(x) = Phi(x) + x phi(x),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi)
 * erf uses Abramowitz & Stegun 7.1.26 (|error| <= 1.5e-7), the formula of
 * tfjs's own Erf kernel, and exp a range-reduced polynomial (float32
 * accurate); both are branch-free so the compiler vectorises the loops. The
 * loops are compiled for AVX2 and for the baseline ISA and picked at run time.
 */
#include <math.h>
#include <stdint.h>

#include "elementwise.h"
#include "pool.h"

#if defined(__GNUC__) && !defined(__clang__)
/* Lets GCC vectorise the clamp in exp (maxps); NaN inputs still give NaN, through the final product with x. */
#pragma GCC optimize("finite-math-only")
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

/* exp(x) for x <= 0 down to about -87 (all that GELU needs): 2^n * p(r), r = x - n ln2 in [-ln2/2, ln2/2]. */
static inline __attribute__((always_inline)) float exp_nonpositive(float x) {
  x = fmaxf(x, -87.0f);
  /* round to nearest by adding and removing 1.5 * 2^23 (branch-free, vectorises without SSE4.1) */
  const float n = (x * 1.44269504f + 12582912.0f) - 12582912.0f;
  const float r = (x - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  union {
    int32_t i;
    float f;
  } scale;
  scale.i = ((int32_t)n + 127) << 23;
  return p * scale.f;
}

/* Phi(x) = 0.5 (1 + erf(x / sqrt 2)). */
static inline __attribute__((always_inline)) float normal_cdf(float x) {
  const float z = fabsf(x) * 0.70710678f;
  const float t = 1.0f / (1.0f + 0.3275911f * z);
  const float poly = ((((1.061405429f * t - 1.453152027f) * t + 1.421413741f) * t - 0.284496736f) * t + 0.254829592f) * t;
  const float erf_abs = 1.0f - poly * exp_nonpositive(-z * z);
  return 0.5f * (1.0f + copysignf(erf_abs, x));
}

/* phi(x) = exp(-x^2 / 2) / sqrt(2 pi) (the compiler shares the exp with normal_cdf's). */
static inline __attribute__((always_inline)) float normal_pdf(float x) { return 0.39894228f * exp_nonpositive(-0.5f * x * x); }

MULTIVERSION static void gelu_forward_range(const float *restrict x, float *restrict y, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; i++) {
    const float v = x[i];
    y[i] = v * normal_cdf(v);
  }
}

MULTIVERSION static void gelu_backward_range(const float *restrict x, const float *restrict dy, float *restrict dx, int64_t begin,
                                             int64_t end) {
  for (int64_t i = begin; i < end; i++) {
    const float v = x[i];
    dx[i] = dy[i] * (normal_cdf(v) + v * normal_pdf(v));
  }
}

#define CHUNK 16384

typedef struct {
  const float *x, *dy;
  float *out;
  int64_t n;
} ew_job;

static void forward_task(void *ctx, int64_t t) {
  const ew_job *j = (const ew_job *)ctx;
  const int64_t b = t * CHUNK, e = b + CHUNK < j->n ? b + CHUNK : j->n;
  gelu_forward_range(j->x, j->out, b, e);
}

static void backward_task(void *ctx, int64_t t) {
  const ew_job *j = (const ew_job *)ctx;
  const int64_t b = t * CHUNK, e = b + CHUNK < j->n ? b + CHUNK : j->n;
  gelu_backward_range(j->x, j->dy, j->out, b, e);
}

void nnphys_gelu_forward(const float *x, float *y, int64_t n) {
  ew_job j = {x, 0, y, n};
  nnphys_parallel_for((n + CHUNK - 1) / CHUNK, forward_task, &j);
}

void nnphys_gelu_backward(const float *x, const float *dy, float *dx, int64_t n) {
  ew_job j = {x, dy, dx, n};
  nnphys_parallel_for((n + CHUNK - 1) / CHUNK, backward_task, &j);
}

/*
 * One Adam step (Kingma & Ba 2015) in the form of tf.train.adam, over n parameters:
 *   m <- b1 m + (1 - b1) g,  v <- b2 v + (1 - b2) g^2,  next = theta - lr (m c1) / (sqrt(v c2) + eps)
 * with c1 = 1 / (1 - b1^t), c2 = 1 / (1 - b2^t). Arithmetic in float64 in the order of core's FusedAdam JS loop
 * (so both give bitwise the same float32 results); m and v are updated in place.
 */
MULTIVERSION static void adam_range(const float *restrict theta, const float *restrict g, float *restrict m, float *restrict v,
                                    float *restrict next, int64_t begin, int64_t end, double lr, double b1, double b2, double eps,
                                    double c1, double c2) {
  for (int64_t i = begin; i < end; i++) {
    const double gi = g[i];
    const double mi = b1 * (double)m[i] + (1 - b1) * gi;
    const double vi = b2 * (double)v[i] + (1 - b2) * gi * gi;
    m[i] = (float)mi;
    v[i] = (float)vi;
    next[i] = (float)((double)theta[i] - (lr * (mi * c1)) / (sqrt(vi * c2) + eps));
  }
}

typedef struct {
  const float *theta, *g;
  float *m, *v, *next;
  int64_t n;
  double lr, b1, b2, eps, c1, c2;
} adam_job;

static void adam_task(void *ctx, int64_t t) {
  const adam_job *j = (const adam_job *)ctx;
  const int64_t b = t * CHUNK, e = b + CHUNK < j->n ? b + CHUNK : j->n;
  adam_range(j->theta, j->g, j->m, j->v, j->next, b, e, j->lr, j->b1, j->b2, j->eps, j->c1, j->c2);
}

void nnphys_adam_step(const float *theta, const float *g, float *m, float *v, float *next, int64_t n, double lr, double b1, double b2,
                      double eps, double c1, double c2) {
  adam_job j = {theta, g, m, v, next, n, lr, b1, b2, eps, c1, c2};
  nnphys_parallel_for((n + CHUNK - 1) / CHUNK, adam_task, &j);
}
