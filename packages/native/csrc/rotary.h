#ifndef NNPHYS_ROTARY_H
#define NNPHYS_ROTARY_H
#include <stdint.h>

/* y = RoPE(x) (transpose = 0) or its transpose (transpose = 1, the backward); x, y [B, H, T, d], tables [B, T, d]. */
void nnphys_rotary(const float *x, const float *cos, const float *sin, float *y, int64_t batch, int64_t heads, int64_t t, int64_t d,
                   int transpose);

#endif
