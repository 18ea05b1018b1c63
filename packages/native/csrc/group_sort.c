/*
 * GroupSort (Anil et al. 2019; 004 eq. 2.9): sorts each contiguous group of `group` values along the last axis,
 * ascending, and records for every output position the index (along the last axis) of the input element that
 * landed there. Ties keep their input order, so the result is that of a stable sort (the order of
 * @nnphys/lipschitz's insertion sort). NaN sorts last, ties among NaN by index.
 * Rank form: rank_i = #{j : x_j < x_i} + #{j < i : x_j == x_i}; out[rank_i] = x_i. Branch-free, so the
 * compiler vectorises the count; O(group^2) per group, which beats comparison sorts for small groups.
 */
#include <math.h>
#include <stdint.h>

#include "group_sort.h"
#include "pool.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

typedef struct {
  const float *x;
  float *values;
  int32_t *perm;
  int64_t width, group, rows;
} sort_job;

#define ROWS_PER_TASK 64

/* Total order for groups holding NaN: numbers ascending, then NaN; ties by index. */
static int before(float a, int64_t ia, float b, int64_t ib) {
  const int na = isnan(a), nb = isnan(b);
  if (na || nb) return na == nb ? ia < ib : nb;
  return a < b || (a == b && ia < ib);
}

MULTIVERSION static void sort_rows(const float *restrict x, float *restrict values, int32_t *restrict perm, int64_t width, int64_t group,
                                   int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; r++) {
    for (int64_t g = 0; g < width; g += group) {
      const int64_t o = r * width + g;
      const float *v = x + o;
      int finite = 1;
      for (int64_t i = 0; i < group; i++) finite &= !isnan(v[i]);
      for (int64_t i = 0; i < group; i++) {
        const float xi = v[i];
        int64_t rank = 0;
        if (finite) {
          for (int64_t j = 0; j < group; j++) rank += (v[j] < xi) | ((v[j] == xi) & (j < i));
        } else {
          for (int64_t j = 0; j < group; j++) rank += before(v[j], j, xi, i);
        }
        values[o + rank] = xi;
        perm[o + rank] = (int32_t)(g + i);
      }
    }
  }
}

static void sort_task(void *ctx, int64_t t) {
  const sort_job *j = (const sort_job *)ctx;
  const int64_t r0 = t * ROWS_PER_TASK;
  const int64_t r1 = r0 + ROWS_PER_TASK < j->rows ? r0 + ROWS_PER_TASK : j->rows;
  sort_rows(j->x, j->values, j->perm, j->width, j->group, r0, r1);
}

void nnphys_group_sort(const float *x, float *values, int32_t *perm, int64_t rows, int64_t width, int64_t group) {
  sort_job j = {x, values, perm, width, group, rows};
  nnphys_parallel_for((rows + ROWS_PER_TASK - 1) / ROWS_PER_TASK, sort_task, &j);
}
