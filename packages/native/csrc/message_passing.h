#ifndef NNPHYS_MESSAGE_PASSING_H
#define NNPHYS_MESSAGE_PASSING_H
#include <stdint.h>

void nnphys_gather_add_relu(float *out, const float *a, const int32_t *ia, const float *b, const int32_t *ib, int64_t rows, int64_t f);
/* bias, s and c may be NULL (terms left out); s and c go together. */
void nnphys_affine_relu(float *x, const float *bias, const float *s, const float *c, int64_t rows, int64_t f, int relu_on);
void nnphys_relu_mask(float *x, const float *ref, int64_t n);
/* h may be NULL. */
void nnphys_relu_add(float *y, const float *o, const float *h, int64_t n, int relu_on);

#endif
