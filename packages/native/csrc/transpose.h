#ifndef NNPHYS_TRANSPOSE_H
#define NNPHYS_TRANSPOSE_H
#include <stdint.h>

/* out = transpose(x, perm) for 4-byte elements; rank in [1, 8]; perm a permutation of 0..rank-1 (checked by the caller). */
void nnphys_transpose32(const void *x, void *out, int rank, const int64_t *shape, const int32_t *perm);

#endif
