#ifndef NNPHYS_GROUP_SORT_H
#define NNPHYS_GROUP_SORT_H
#include <stdint.h>

/* Sorts rows x [rows, width] in groups of `group` (width % group == 0): values, and perm (source index along the row). */
void nnphys_group_sort(const float *x, float *values, int32_t *perm, int64_t rows, int64_t width, int64_t group);

#endif
