/*
 * Packed, cache-blocked SGEMM in the style of BLIS/GotoBLAS:
 *   for each kc-block of the shared dimension:
 *     pack B[kc, n] into NR-wide column panels (shared by all threads),
 *     split the output into (row block x column chunk) tiles, run as the
 *     tasks of a parallel loop (pool.c); each task packs its MR-high row
 *     panels of A and runs the MR x NR micro-kernel over them.
 * Transposes are strides in the packing, never a separate copy.
 * The AVX2+FMA micro-kernel is selected at run time; a portable C kernel
 * (auto-vectorised) runs elsewhere.
 */
#include "gemm.h"

#include "pool.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#define NNPHYS_X86 1
#endif

#define MR 6
#define NR 16
#define KC 256
#define MC 96 /* multiple of MR */
#define NC_PANELS 16 /* column panels per tile: 256 columns */

typedef void (*micro_kernel_fn)(int64_t kb, const float *a, const float *b, float *c, int64_t ldc, int accumulate, int mr,
                                int nr);

/* Portable micro-kernel: the compiler vectorises the j loop. */
static void micro_generic(int64_t kb, const float *a, const float *b, float *c, int64_t ldc, int accumulate, int mr, int nr) {
  float acc[MR][NR];
  memset(acc, 0, sizeof acc);
  for (int64_t p = 0; p < kb; p++) {
    const float *bp = b + p * NR;
    const float *ap = a + p * MR;
    for (int i = 0; i < MR; i++) {
      const float ai = ap[i];
      for (int j = 0; j < NR; j++) acc[i][j] += ai * bp[j];
    }
  }
  for (int i = 0; i < mr; i++) {
    float *ci = c + i * ldc;
    if (accumulate)
      for (int j = 0; j < nr; j++) ci[j] += acc[i][j];
    else
      for (int j = 0; j < nr; j++) ci[j] = acc[i][j];
  }
}

#ifdef NNPHYS_X86
/* 6 x 16 tile in 12 ymm accumulators: per k, two loads of B, six broadcasts of A, twelve FMAs. */
__attribute__((target("avx2,fma"))) static void micro_avx2(int64_t kb, const float *a, const float *b, float *c, int64_t ldc,
                                                            int accumulate, int mr, int nr) {
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps();
  __m256 c10 = _mm256_setzero_ps(), c11 = _mm256_setzero_ps();
  __m256 c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps();
  __m256 c40 = _mm256_setzero_ps(), c41 = _mm256_setzero_ps();
  __m256 c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();
  for (int64_t p = 0; p < kb; p++) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
    __m256 ai = _mm256_broadcast_ss(a + 0);
    c00 = _mm256_fmadd_ps(ai, b0, c00);
    c01 = _mm256_fmadd_ps(ai, b1, c01);
    ai = _mm256_broadcast_ss(a + 1);
    c10 = _mm256_fmadd_ps(ai, b0, c10);
    c11 = _mm256_fmadd_ps(ai, b1, c11);
    ai = _mm256_broadcast_ss(a + 2);
    c20 = _mm256_fmadd_ps(ai, b0, c20);
    c21 = _mm256_fmadd_ps(ai, b1, c21);
    ai = _mm256_broadcast_ss(a + 3);
    c30 = _mm256_fmadd_ps(ai, b0, c30);
    c31 = _mm256_fmadd_ps(ai, b1, c31);
    ai = _mm256_broadcast_ss(a + 4);
    c40 = _mm256_fmadd_ps(ai, b0, c40);
    c41 = _mm256_fmadd_ps(ai, b1, c41);
    ai = _mm256_broadcast_ss(a + 5);
    c50 = _mm256_fmadd_ps(ai, b0, c50);
    c51 = _mm256_fmadd_ps(ai, b1, c51);
    a += MR;
    b += NR;
  }
  if (mr == MR && nr == NR) {
    __m256 rows[MR][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}, {c40, c41}, {c50, c51}};
    for (int i = 0; i < MR; i++) {
      float *ci = c + i * ldc;
      if (accumulate) {
        rows[i][0] = _mm256_add_ps(rows[i][0], _mm256_loadu_ps(ci));
        rows[i][1] = _mm256_add_ps(rows[i][1], _mm256_loadu_ps(ci + 8));
      }
      _mm256_storeu_ps(ci, rows[i][0]);
      _mm256_storeu_ps(ci + 8, rows[i][1]);
    }
    return;
  }
  float tmp[MR * NR] __attribute__((aligned(32)));
  _mm256_store_ps(tmp + 0 * NR, c00);
  _mm256_store_ps(tmp + 0 * NR + 8, c01);
  _mm256_store_ps(tmp + 1 * NR, c10);
  _mm256_store_ps(tmp + 1 * NR + 8, c11);
  _mm256_store_ps(tmp + 2 * NR, c20);
  _mm256_store_ps(tmp + 2 * NR + 8, c21);
  _mm256_store_ps(tmp + 3 * NR, c30);
  _mm256_store_ps(tmp + 3 * NR + 8, c31);
  _mm256_store_ps(tmp + 4 * NR, c40);
  _mm256_store_ps(tmp + 4 * NR + 8, c41);
  _mm256_store_ps(tmp + 5 * NR, c50);
  _mm256_store_ps(tmp + 5 * NR + 8, c51);
  for (int i = 0; i < mr; i++) {
    float *ci = c + i * ldc;
    if (accumulate)
      for (int j = 0; j < nr; j++) ci[j] += tmp[i * NR + j];
    else
      for (int j = 0; j < nr; j++) ci[j] = tmp[i * NR + j];
  }
}
#endif

static micro_kernel_fn g_micro = 0;

static micro_kernel_fn micro(void) {
  if (!g_micro) {
#ifdef NNPHYS_X86
    __builtin_cpu_init();
    g_micro = (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) ? micro_avx2 : micro_generic;
#else
    g_micro = micro_generic;
#endif
  }
  return g_micro;
}

const char *nnphys_gemm_kernel_name(void) { return micro() == micro_generic ? "generic" : "avx2-fma"; }

/* Packs B(k0:k0+kb, panel*NR : +NR) for panels [p0, p1) as [panel][k][NR], zero-padding the last panel. */
static void pack_b(const float *b, int64_t bRow, int64_t bCol, int64_t k0, int64_t kb, int64_t n, int64_t p0, int64_t p1,
                   float *out) {
  for (int64_t p = p0; p < p1; p++) {
    float *dst = out + p * kb * NR;
    const int64_t j0 = p * NR;
    const int64_t nr = n - j0 < NR ? n - j0 : NR;
    if (bCol == 1 && nr == NR) {
      for (int64_t q = 0; q < kb; q++) memcpy(dst + q * NR, b + (k0 + q) * bRow + j0, NR * sizeof(float));
    } else {
      for (int64_t q = 0; q < kb; q++) {
        const float *src = b + (k0 + q) * bRow + j0 * bCol;
        float *d = dst + q * NR;
        int64_t j = 0;
        for (; j < nr; j++) d[j] = src[j * bCol];
        for (; j < NR; j++) d[j] = 0.0f;
      }
    }
  }
}

/* Packs A(i0:i0+mb, k0:k0+kb) as [panel][k][MR], zero-padding the last panel. */
static void pack_a(const float *a, int64_t aRow, int64_t aCol, int64_t i0, int64_t mb, int64_t k0, int64_t kb, float *out) {
  for (int64_t r = 0; r < mb; r += MR) {
    const int64_t mr = mb - r < MR ? mb - r : MR;
    float *dst = out + r * kb;
    for (int64_t q = 0; q < kb; q++) {
      const float *src = a + (i0 + r) * aRow + (k0 + q) * aCol;
      float *d = dst + q * MR;
      int64_t i = 0;
      for (; i < mr; i++) d[i] = src[i * aRow];
      for (; i < MR; i++) d[i] = 0.0f;
    }
  }
}

static float *aligned_floats(int64_t count) {
  size_t bytes = (size_t)count * sizeof(float);
  bytes = (bytes + 63) & ~(size_t)63;
  return (float *)aligned_alloc(64, bytes ? bytes : 64);
}

/*
 * One product on one thread, with the caller's buffers (bpack: ceil(n/NR)*NR*KC floats, apack: MC*KC floats).
 */
static void gemm_serial(int64_t m, int64_t n, int64_t k, const float *a, int64_t aRow, int64_t aCol, const float *b, int64_t bRow,
                        int64_t bCol, float *c, float *bpack, float *apack, int accumulate) {
  const micro_kernel_fn kernel = micro();
  const int64_t panels = (n + NR - 1) / NR;
  if (k == 0) {
    if (!accumulate) memset(c, 0, (size_t)(m * n) * sizeof(float));
    return;
  }
  for (int64_t k0 = 0; k0 < k; k0 += KC) {
    const int64_t kb = k - k0 < KC ? k - k0 : KC;
    pack_b(b, bRow, bCol, k0, kb, n, 0, panels, bpack);
    for (int64_t i0 = 0; i0 < m; i0 += MC) {
      const int64_t mb = m - i0 < MC ? m - i0 : MC;
      pack_a(a, aRow, aCol, i0, mb, k0, kb, apack);
      for (int64_t p = 0; p < panels; p++) {
        const int64_t nr = n - p * NR < NR ? n - p * NR : NR;
        for (int64_t r = 0; r < mb; r += MR) {
          const int64_t mr = mb - r < MR ? mb - r : MR;
          kernel(kb, apack + r * kb, bpack + p * kb * NR, c + (i0 + r) * n + p * NR, n, accumulate || k0 > 0, (int)mr, (int)nr);
        }
      }
    }
  }
}

/* Per-thread packing buffers, grown on demand (thread-local: tasks of a loop may run on any thread). */
static __thread float *tl_apack = 0;
static __thread float *tl_bpack = 0;
static __thread int64_t tl_bpack_size = 0;

static float *thread_apack(void) {
  if (!tl_apack) tl_apack = aligned_floats(MC * KC);
  return tl_apack;
}

static float *thread_bpack(int64_t count) {
  if (tl_bpack_size < count) {
    free(tl_bpack);
    tl_bpack = aligned_floats(count);
    tl_bpack_size = count;
  }
  return tl_bpack;
}

typedef struct {
  int64_t m, n, k, k0, kb, mc, nChunks, panels;
  const float *a, *b;
  int64_t aRow, aCol, bRow, bCol;
  float *c, *bpack;
  int accumulate;
} tile_job;

static void pack_b_task(void *ctx, int64_t chunk) {
  const tile_job *j = (const tile_job *)ctx;
  const int64_t p0 = chunk * 4;
  const int64_t p1 = p0 + 4 < j->panels ? p0 + 4 : j->panels;
  pack_b(j->b, j->bRow, j->bCol, j->k0, j->kb, j->n, p0, p1, j->bpack);
}

static void tile_task(void *ctx, int64_t t) {
  const tile_job *j = (const tile_job *)ctx;
  const micro_kernel_fn kernel = micro();
  const int64_t i0 = (t / j->nChunks) * j->mc;
  const int64_t mb = j->m - i0 < j->mc ? j->m - i0 : j->mc;
  const int64_t pBegin = (t % j->nChunks) * NC_PANELS;
  const int64_t pEnd = pBegin + NC_PANELS < j->panels ? pBegin + NC_PANELS : j->panels;
  float *apack = thread_apack();
  pack_a(j->a, j->aRow, j->aCol, i0, mb, j->k0, j->kb, apack);
  for (int64_t p = pBegin; p < pEnd; p++) {
    const int64_t nr = j->n - p * NR < NR ? j->n - p * NR : NR;
    for (int64_t r = 0; r < mb; r += MR) {
      const int64_t mr = mb - r < MR ? mb - r : MR;
      kernel(j->kb, apack + r * j->kb, j->bpack + p * j->kb * NR, j->c + (i0 + r) * j->n + p * NR, j->n, j->accumulate || j->k0 > 0, (int)mr, (int)nr);
    }
  }
}

/* One product spread over the threads: per kc-block, B packed in parallel, then (row block x column chunk) tiles. */
static void gemm_parallel(int64_t m, int64_t n, int64_t k, const float *a, int64_t aRow, int64_t aCol, const float *b,
                          int64_t bRow, int64_t bCol, float *c, int threads, int accumulate) {
  tile_job j;
  j.accumulate = accumulate;
  j.m = m;
  j.n = n;
  j.k = k;
  j.a = a;
  j.b = b;
  j.aRow = aRow;
  j.aCol = aCol;
  j.bRow = bRow;
  j.bCol = bCol;
  j.c = c;
  j.panels = (n + NR - 1) / NR;
  /* Row blocks small enough for at least three tiles per thread, so a late helper still finds work. */
  int64_t mc = (m + 3 * threads - 1) / (3 * threads);
  mc = ((mc + MR - 1) / MR) * MR;
  if (mc > MC) mc = MC;
  if (mc < MR) mc = MR;
  j.mc = mc;
  j.nChunks = (j.panels + NC_PANELS - 1) / NC_PANELS;
  const int64_t tiles = ((m + mc - 1) / mc) * j.nChunks;
  const int64_t kFirst = k < KC ? k : KC;
  float *bpack = aligned_floats(j.panels * NR * kFirst);
  j.bpack = bpack;
  for (int64_t k0 = 0; k0 < k; k0 += KC) {
    j.k0 = k0;
    j.kb = k - k0 < KC ? k - k0 : KC;
    nnphys_parallel_for((j.panels + 3) / 4, pack_b_task, &j);
    nnphys_parallel_for(tiles, tile_task, &j);
  }
  free(bpack);
}

typedef struct {
  int64_t m, n, k;
  const float *a, *b;
  int64_t aBatch, aRow, aCol, bBatch, bRow, bCol, cBatch;
  float *c;
  int accumulate;
} batch_job;

static void batch_task(void *ctx, int64_t t) {
  const batch_job *j = (const batch_job *)ctx;
  const int64_t panels = (j->n + NR - 1) / NR;
  const int64_t kFirst = j->k < KC ? (j->k > 0 ? j->k : 1) : KC;
  gemm_serial(j->m, j->n, j->k, j->a + t * j->aBatch, j->aRow, j->aCol, j->b + t * j->bBatch, j->bRow, j->bCol, j->c + t * j->cBatch,
              thread_bpack(panels * NR * kFirst), thread_apack(), j->accumulate);
}

/*
 * A product with a long shared dimension and a small output (weight gradients x^T dy: [features, rows] x
 * [rows, features]): split k into chunks, one partial product per task into its own buffer, then add them up.
 */
typedef struct {
  int64_t m, n, k, chunk;
  const float *a, *b;
  int64_t aRow, aCol, bRow, bCol;
  float *partials;
} ksplit_job;

static void ksplit_task(void *ctx, int64_t t) {
  const ksplit_job *j = (const ksplit_job *)ctx;
  const int64_t k0 = t * j->chunk;
  const int64_t kb = j->k - k0 < j->chunk ? j->k - k0 : j->chunk;
  const int64_t panels = (j->n + NR - 1) / NR;
  gemm_serial(j->m, j->n, kb, j->a + k0 * j->aCol, j->aRow, j->aCol, j->b + k0 * j->bRow, j->bRow, j->bCol, j->partials + t * j->m * j->n,
              thread_bpack(panels * NR * (kb < KC ? kb : KC)), thread_apack(), 0);
}

static void gemm_ksplit(int64_t m, int64_t n, int64_t k, const float *a, int64_t aRow, int64_t aCol, const float *b, int64_t bRow,
                        int64_t bCol, float *c, int threads, int accumulate) {
  int64_t parts = 2 * (int64_t)threads;
  int64_t chunk = (k + parts - 1) / parts;
  parts = (k + chunk - 1) / chunk;
  float *partials = aligned_floats(parts * m * n);
  ksplit_job j = {m, n, k, chunk, a, b, aRow, aCol, bRow, bCol, partials};
  nnphys_parallel_for(parts, ksplit_task, &j);
  const int64_t size = m * n;
  if (accumulate)
    for (int64_t i = 0; i < size; i++) c[i] += partials[i];
  else
    memcpy(c, partials, (size_t)size * sizeof(float));
  for (int64_t t = 1; t < parts; t++) {
    const float *p = partials + t * size;
    for (int64_t i = 0; i < size; i++) c[i] += p[i];
  }
  free(partials);
}

/* Below this many multiply-adds per call, handing tasks to a second thread costs more than it saves. */
#define PARALLEL_MIN_MACS (64 * 1024)

void nnphys_sgemm(int64_t batch, int64_t m, int64_t n, int64_t k, const float *a, int64_t aBatch, int64_t aRow, int64_t aCol,
                  const float *b, int64_t bBatch, int64_t bRow, int64_t bCol, float *c, int64_t cBatch, int accumulate) {
  if (batch <= 0 || m <= 0 || n <= 0) return;
  const int threads = nnphys_num_threads();
  const int64_t macs = m * n * k;
  const int parallel = threads > 1 && macs * batch >= PARALLEL_MIN_MACS;
  if (parallel && batch >= 2 * threads) {
    /* Many products: whole products are the tasks. */
    batch_job j = {m, n, k, a, b, aBatch, aRow, aCol, bBatch, bRow, bCol, cBatch, c, accumulate};
    nnphys_parallel_for(batch, batch_task, &j);
    return;
  }
  if (parallel && k >= 8 * (m > n ? m : n) && m * n <= 128 * 128) {
    for (int64_t t = 0; t < batch; t++) gemm_ksplit(m, n, k, a + t * aBatch, aRow, aCol, b + t * bBatch, bRow, bCol, c + t * cBatch, threads, accumulate);
    return;
  }
  if (parallel && macs >= PARALLEL_MIN_MACS / 2 && k > 0) {
    for (int64_t t = 0; t < batch; t++)
      gemm_parallel(m, n, k, a + t * aBatch, aRow, aCol, b + t * bBatch, bRow, bCol, c + t * cBatch, threads, accumulate);
    return;
  }
  batch_job j = {m, n, k, a, b, aBatch, aRow, aCol, bBatch, bRow, bCol, cBatch, c, accumulate};
  for (int64_t t = 0; t < batch; t++) batch_task(&j, t);
}
