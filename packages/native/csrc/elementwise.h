#ifndef NNPHYS_ELEMENTWISE_H
#define NNPHYS_ELEMENTWISE_H
#include <stdint.h>

/* y = gelu(x) (exact erf form), n elements. */
void nnphys_gelu_forward(const float *x, float *y, int64_t n);
/* dx = dy * gelu'(x). */
void nnphys_gelu_backward(const float *x, const float *dy, float *dx, int64_t n);

#endif
