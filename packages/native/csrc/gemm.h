#ifndef NNPHYS_GEMM_H
#define NNPHYS_GEMM_H
#include <stdint.h>

/*
 * Batched single-precision matrix product, C[b] = A[b] * B[b], row-major
 * output, arbitrary element strides on the inputs (so transposes cost
 * nothing: they are folded into the packing).
 *   A(b, i, k) = A[b * aBatch + i * aRow + k * aCol]
 *   B(b, k, j) = B[b * bBatch + k * bRow + j * bCol]
 *   C(b, i, j) = C[b * cBatch + i * n + j]      (overwritten, or added to when accumulate != 0)
 * A batch stride of 0 broadcasts that operand.
 */
void nnphys_sgemm(int64_t batch, int64_t m, int64_t n, int64_t k,
                  const float *a, int64_t aBatch, int64_t aRow, int64_t aCol,
                  const float *b, int64_t bBatch, int64_t bRow, int64_t bCol,
                  float *c, int64_t cBatch, int accumulate);

/* Which micro-kernel runs: "avx2-fma" or "generic". */
const char *nnphys_gemm_kernel_name(void);

#endif
