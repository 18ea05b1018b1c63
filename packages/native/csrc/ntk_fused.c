/*
 * Analytic infinite-width NNGP and NTK kernels (float64) of a stack of
 * affine (dense) and abRelu (ReLU-family) rules, fused: for every pair of
 * inputs the Gram entry and the whole layer recursion are computed in one
 * pass, one task of 64 rows at a time on the addon's thread pool (pool.h), straight into the outputs.
 * This is @nnphys/ntk's fused_kernel.ts in C, with the same floating-point
 * operations in the same order (no FMA contraction, no reassociation), so
 * the results differ from the JavaScript path only where libm's acos and
 * V8's differ in the last bit.
 *
 * Rules (neural-tangents' stax; spec ntk §2.3):
 *   affine(w2, b2):  Sigma' = w2 Sigma + b2,  Theta' = w2 Theta + Sigma'
 *   abRelu(a, b):    phi(x) = a min(x, 0) + b max(x, 0), with theta = arccos(rho),
 *                    rho = Sigma12 / sqrt(Sigma11 Sigma22) clipped to [-1, 1] (Cho & Saul 2009):
 *     J1 = sqrt(S11 S22) / (2 pi) (sin theta + (pi - theta) cos theta),  J0 = (pi - theta) / (2 pi)
 *     Sigma' = a b Sigma12 + (b - a)^2 J1
 *     Theta' = Theta (a^2 + a (b - a) + (b - a)^2 J0)
 *   with a zero-variance input giving Sigma' = 0 and
 *     Theta' = Theta (a^2 + a (b - a) (1/2 [S11 > 0] + 1/2 [S22 > 0])).
 * The input "layer" is Sigma = x.x' / d, Theta = 0.
 */
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "napi_util.h"
#include "pool.h"

#define NTK_TILE 64
#define NTK_AFFINE 0
#define NTK_AB_RELU 1

typedef struct {
  int kind;
  /* affine: p0 = w2, p1 = b2. abRelu: p0 = a b, p1 = (b - a)^2, p2 = a^2, p3 = a (b - a), p4 = a^2 + a (b - a). */
  double p0, p1, p2, p3, p4;
} ntk_rule;

static const double NTK_PI = 3.141592653589793;            /* Math.PI */
static const double NTK_INV2PI = 1.0 / (2.0 * 3.141592653589793); /* 1 / (2 Math.PI), rounded once as in JS */

/* The abRelu dual at one pair: writes Sigma' and the factor multiplying Theta. */
static inline void ab_relu_pair(const ntk_rule *r, double s11, double s22, double s12, double *sigma, double *factor) {
  const double s = sqrt(s11 * s22);
  if (!(s > 0)) {
    *sigma = 0;
    *factor = r->p2 + r->p3 * ((s11 > 0 ? 0.5 : 0) + (s22 > 0 ? 0.5 : 0));
    return;
  }
  double rho = s12 / s;
  if (rho > 1) rho = 1;
  else if (rho < -1) rho = -1;
  const double theta = acos(rho);
  const double j0 = (NTK_PI - theta) * NTK_INV2PI;
  const double j1 = s * NTK_INV2PI * (sqrt(1 - rho * rho) + (NTK_PI - theta) * rho);
  *sigma = r->p0 * s12 + r->p1 * j1;
  *factor = r->p4 + r->p1 * j0;
}

/* Sigma(x, x) entering each abRelu rule, activation-major: table[act * n + i]. */
static void activation_variances(const ntk_rule *rules, int64_t nRules, const double *x, int64_t n, int64_t d, double *table) {
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t k = 0; k < d; k++) {
      const double a = x[i * d + k];
      s += a * a;
    }
    double v = s / (double)d;
    int64_t act = 0;
    for (int64_t l = 0; l < nRules; l++) {
      const ntk_rule *r = &rules[l];
      if (r->kind == NTK_AFFINE) {
        v = r->p0 * v + r->p1;
      } else {
        table[act * n + i] = v;
        act++;
        double sigma, factor;
        ab_relu_pair(r, v, v, v, &sigma, &factor);
        v = sigma;
      }
    }
  }
}

typedef struct {
  int64_t n1, n2, d;
  const double *x1, *xt, *var1, *var2;
  const ntk_rule *rules;
  int64_t nRules;
  double *nngp, *ntk;
  int symmetric;
} ntk_job;

/* Rows [64 tile, 64 tile + 64) against every column (columns j >= i when symmetric). */
static void ntk_tile_task(void *ctx, int64_t tile) {
  const ntk_job *job = ctx;
  const int64_t n1 = job->n1, n2 = job->n2, d = job->d, nRules = job->nRules;
  const double *x1 = job->x1, *xt = job->xt, *var1 = job->var1, *var2 = job->var2;
  const ntk_rule *rules = job->rules;
  double *nngp = job->nngp, *ntk = job->ntk;
  const int symmetric = job->symmetric;
  double bufK[NTK_TILE], bufT[NTK_TILE], bufS[NTK_TILE], bufR[NTK_TILE], bufA[NTK_TILE];
  const int64_t bi = tile * NTK_TILE;
  const int64_t iEnd = bi + NTK_TILE < n1 ? bi + NTK_TILE : n1;
  for (int64_t bj = symmetric ? bi : 0; bj < n2; bj += NTK_TILE) {
    const int64_t jEnd = bj + NTK_TILE < n2 ? bj + NTK_TILE : n2;
    for (int64_t i = bi; i < iEnd; i++) {
      /* columns c0 <= j < jEnd of row i (the upper triangle only when symmetric) */
      const int64_t c0 = symmetric && i > bj ? i : bj;
      const int64_t m = jEnd - c0;
      if (m <= 0) continue;
      const double *xi = x1 + i * d;
      for (int64_t t = 0; t < m; t++) bufK[t] = 0;
      for (int64_t k = 0; k < d; k++) {
        const double a = xi[k];
        const double *col = xt + k * n2 + c0;
        for (int64_t t = 0; t < m; t++) bufK[t] += a * col[t];
      }
      for (int64_t t = 0; t < m; t++) {
        bufK[t] = bufK[t] / (double)d;
        bufT[t] = 0;
      }
      int64_t act = 0;
      for (int64_t l = 0; l < nRules; l++) {
        const ntk_rule *r = &rules[l];
        if (r->kind == NTK_AFFINE) {
          const double w2 = r->p0, b2 = r->p1;
          for (int64_t t = 0; t < m; t++) {
            const double s12 = w2 * bufK[t] + b2;
            bufK[t] = s12;
            bufT[t] = w2 * bufT[t] + s12;
          }
        } else {
          const double s11 = var1[act * n1 + i];
          const double *v2 = var2 + act * n2 + c0;
          act++;
          /* Three passes (rho; acos; J0, J1 and the update) rather than one call per pair: independent
           * divisions and square roots overlap and the acos loop is tight (1.25x faster measured); per pair
           * the operations are those of ab_relu_pair, in the same order. */
          for (int64_t t = 0; t < m; t++) {
            const double sv = sqrt(s11 * v2[t]);
            double rho = bufK[t] / sv;
            rho = rho > 1 ? 1 : rho;
            rho = rho < -1 ? -1 : rho;
            bufS[t] = sv;
            bufR[t] = sv > 0 ? rho : 0; /* NaN (0/0) would make acos slow; the value is unused then */
          }
          for (int64_t t = 0; t < m; t++) bufA[t] = acos(bufR[t]);
          const double p0 = r->p0, p1 = r->p1, p2 = r->p2, p3 = r->p3, p4 = r->p4;
          for (int64_t t = 0; t < m; t++) {
            const double sv = bufS[t], rho = bufR[t], theta = bufA[t], s12 = bufK[t];
            const double j0 = (NTK_PI - theta) * NTK_INV2PI;
            const double j1 = sv * NTK_INV2PI * (sqrt(1 - rho * rho) + (NTK_PI - theta) * rho);
            const double zero = p2 + p3 * ((s11 > 0 ? 0.5 : 0) + (v2[t] > 0 ? 0.5 : 0));
            const int varies = sv > 0;
            bufK[t] = varies ? p0 * s12 + p1 * j1 : 0;
            bufT[t] = bufT[t] * (varies ? p4 + p1 * j0 : zero);
          }
        }
      }
      memcpy(nngp + i * n2 + c0, bufK, sizeof(double) * (size_t)m);
      memcpy(ntk + i * n2 + c0, bufT, sizeof(double) * (size_t)m);
      if (symmetric) {
        /* Mirror: each (i, j >= i) belongs to exactly one tile, so the (j, i) writes of threads never collide. */
        for (int64_t t = 0; t < m; t++) {
          nngp[(c0 + t) * n2 + i] = bufK[t];
          ntk[(c0 + t) * n2 + i] = bufT[t];
        }
      }
    }
  }
}

/* Returns 0 when out of memory (nothing written). */
static int nnphys_ntk_fused(int64_t n1, int64_t n2, int64_t d, const double *x1, const double *x2, const ntk_rule *rules,
                      int64_t nRules, double *nngp, double *ntk) {
  const int symmetric = x2 == NULL;
  const double *xb = symmetric ? x1 : x2;
  int64_t acts = 0;
  for (int64_t l = 0; l < nRules; l++) acts += rules[l].kind == NTK_AB_RELU;
  double *var1 = malloc(sizeof(double) * (size_t)(acts * n1 + 1));
  double *var2 = symmetric ? var1 : malloc(sizeof(double) * (size_t)(acts * n2 + 1));
  /* x2 transposed (d x n2): the Gram entries of a row against a run of columns accumulate column-wise,
   * each over k = 0..d-1 in order, as in the JavaScript path (no serial dependency between columns). */
  double *xt = malloc(sizeof(double) * (size_t)(d * n2 + 1));
  if (!var1 || !var2 || !xt) {
    free(xt);
    if (var2 != var1) free(var2);
    free(var1);
    return 0;
  }
  activation_variances(rules, nRules, x1, n1, d, var1);
  if (!symmetric) activation_variances(rules, nRules, xb, n2, d, var2);
  for (int64_t j = 0; j < n2; j++)
    for (int64_t k = 0; k < d; k++) xt[k * n2 + j] = xb[j * d + k];

  ntk_job job = {n1, n2, d, x1, xt, var1, var2, rules, nRules, nngp, ntk, symmetric};
  const int64_t tiles = (n1 + NTK_TILE - 1) / NTK_TILE;
  if (n1 * n2 >= 4 * NTK_TILE * NTK_TILE)
    nnphys_parallel_for(tiles, ntk_tile_task, &job);
  else
    for (int64_t tile = 0; tile < tiles; tile++) ntk_tile_task(&job, tile);
  free(xt);
  if (!symmetric) free(var2);
  free(var1);
  return 1;
}

/* Byte ranges [p, p + bytes) overlap. */
static int overlaps(const void *p, int64_t pBytes, const void *q, int64_t qBytes) {
  const char *a = p, *b = q;
  return pBytes > 0 && qBytes > 0 && a < b + qBytes && b < a + pBytes;
}

/*
 * ntkFused(n1, n2, d, x1, x2, rules, nngp, ntk)
 *   x1: Float64Array, n1 x d row-major; x2: Float64Array n2 x d, or null for x2 = x1 (then n2 must equal n1,
 *   only the upper triangle is computed and mirrored); rules: Float64Array of triples (kind, p, q):
 *   kind 0 = affine (p = sigmaW^2, q = sigmaB^2), kind 1 = abRelu (p = a, q = b);
 *   nngp, ntk: Float64Array outputs, n1 x n2 row-major (overwritten).
 */
static napi_value NtkFused(napi_env env, napi_callback_info info) {
  const char *fn = "ntkFused";
  size_t argc = 8;
  napi_value argv[MAX_ARGS];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_type_error(env, NULL, "ntkFused: expected 8 arguments (n1, n2, d, x1, x2 or null, rules, nngp, ntk)");
    return NULL;
  }
  int64_t n1, n2, d, x1Len, x2Len = 0, rLen, kLen, tLen;
  void *x1, *x2 = NULL, *rulesData, *nngp, *ntk;
  napi_valuetype t2;
  CHECK(napi_typeof(env, argv[4], &t2));
  if (!get_int(env, argv[0], fn, "n1", &n1) || !get_int(env, argv[1], fn, "n2", &n2) || !get_int(env, argv[2], fn, "d", &d) ||
      !get_array(env, argv[3], napi_float64_array, fn, "x1", &x1, &x1Len))
    return NULL;
  const int symmetric = t2 == napi_null || t2 == napi_undefined;
  if (!symmetric && !get_array(env, argv[4], napi_float64_array, fn, "x2", &x2, &x2Len)) return NULL;
  if (!get_array(env, argv[5], napi_float64_array, fn, "rules", &rulesData, &rLen) ||
      !get_array(env, argv[6], napi_float64_array, fn, "nngp", &nngp, &kLen) ||
      !get_array(env, argv[7], napi_float64_array, fn, "ntk", &ntk, &tLen))
    return NULL;
  if (symmetric && n1 != n2) {
    napi_throw_range_error(env, NULL, "ntkFused: with x2 = null (x2 = x1) n2 must equal n1");
    return NULL;
  }
  if (!check_extent(env, fn, "x1", x1Len, 0, 1, 0, n1, d, d, 1) ||
      (!symmetric && !check_extent(env, fn, "x2", x2Len, 0, 1, 0, n2, d, d, 1)) ||
      !check_extent(env, fn, "nngp", kLen, 0, 1, 0, n1, n2, n2, 1) || !check_extent(env, fn, "ntk", tLen, 0, 1, 0, n1, n2, n2, 1))
    return NULL;
  if (rLen % 3 != 0) {
    napi_throw_range_error(env, NULL, "ntkFused: rules must hold triples (kind, p, q); its length is not a multiple of 3");
    return NULL;
  }
  const int64_t bytesK = n1 * n2 * 8;
  if (overlaps(nngp, bytesK, ntk, bytesK) || overlaps(nngp, bytesK, x1, n1 * d * 8) || overlaps(ntk, bytesK, x1, n1 * d * 8) ||
      (!symmetric && (overlaps(nngp, bytesK, x2, n2 * d * 8) || overlaps(ntk, bytesK, x2, n2 * d * 8)))) {
    napi_throw_range_error(env, NULL, "ntkFused: nngp and ntk must not overlap each other or the inputs");
    return NULL;
  }
  const int64_t nRules = rLen / 3;
  const double *raw = rulesData;
  ntk_rule *rules = malloc(sizeof(ntk_rule) * (size_t)(nRules + 1));
  if (!rules) {
    napi_throw_error(env, NULL, "ntkFused: out of memory");
    return NULL;
  }
  for (int64_t l = 0; l < nRules; l++) {
    const double kind = raw[3 * l], p = raw[3 * l + 1], q = raw[3 * l + 2];
    char msg[200];
    if (!(kind == NTK_AFFINE || kind == NTK_AB_RELU) || !isfinite(p) || !isfinite(q)) {
      snprintf(msg, sizeof msg, "ntkFused: rules[%lld] must be (0 = affine | 1 = abRelu, finite, finite), got (%g, %g, %g)",
               (long long)l, kind, p, q);
      free(rules);
      napi_throw_range_error(env, NULL, msg);
      return NULL;
    }
    ntk_rule *r = &rules[l];
    memset(r, 0, sizeof *r);
    if (kind == NTK_AFFINE) {
      r->kind = NTK_AFFINE;
      r->p0 = p;
      r->p1 = q;
    } else {
      /* the constants of abReluDual, computed the same way */
      const double a = p, b = q;
      r->kind = NTK_AB_RELU;
      r->p0 = a * b;
      r->p1 = (b - a) * (b - a);
      r->p2 = a * a;
      r->p3 = a * (b - a);
      r->p4 = a * a + a * (b - a);
    }
  }
  if (n1 > 0 && n2 > 0) {
    if (d == 0) {
      free(rules);
      napi_throw_range_error(env, NULL, "ntkFused: d must be positive");
      return NULL;
    }
    if (!nnphys_ntk_fused(n1, n2, d, x1, symmetric ? NULL : x2, rules, nRules, nngp, ntk)) {
      free(rules);
      napi_throw_error(env, NULL, "ntkFused: out of memory");
      return NULL;
    }
  }
  free(rules);
  return NULL;
}

int nnphys_register_ntk_fused(napi_env env, napi_value exports) { return define_function(env, exports, "ntkFused", NtkFused); }
