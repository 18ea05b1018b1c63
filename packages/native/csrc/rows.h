#ifndef NNPHYS_ROWS_H
#define NNPHYS_ROWS_H
#include <stdint.h>

/* Returns 0, -1 when an id is >= segments (nothing written), -2 when out of memory. */
int nnphys_segment_sum(const float *data, const int32_t *ids, int64_t n, int64_t f, int64_t segments, float *out);
void nnphys_column_sums(const float *data, int64_t rows, int64_t cols, float *out);
/* Returns 0, or -1 when an id is >= rows (nothing written). Negative ids give zero rows. */
int nnphys_gather_rows(const float *data, int64_t rows, int64_t f, const int32_t *ids, int64_t n, float *out);

#endif
