#ifndef NNPHYS_ELEMENTWISE_H
#define NNPHYS_ELEMENTWISE_H
#include <stdint.h>

/* y = gelu(x) (exact erf form), n elements. */
void nnphys_gelu_forward(const float *x, float *y, int64_t n);
/* dx = dy * gelu'(x). */
void nnphys_gelu_backward(const float *x, const float *dy, float *dx, int64_t n);

/* One Adam step over n parameters (see elementwise.c); m and v in place, the new parameters into next. */
void nnphys_adam_step(const float *theta, const float *g, float *m, float *v, float *next, int64_t n, double lr, double b1, double b2,
                      double eps, double c1, double c2);

#endif
