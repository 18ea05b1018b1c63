/*
 * Node-API bindings of the row kernels:
 *   segmentSum(data: Float32Array, ids: Int32Array, out: Float32Array, f, numSegments)
 *   columnSums(data: Float32Array, rows, cols, out: Float32Array)
 *   gatherRows(data: Float32Array, f, ids: Int32Array, out: Float32Array)
 */
#include "napi_util.h"
#include "rows.h"

static napi_value SegmentSum(napi_env env, napi_callback_info info) {
  const char *fn = "segmentSum";
  napi_value argv[5];
  void *data, *ids, *out;
  int64_t nd, ni, no, f, segments;
  if (!get_args(env, info, 5, argv, fn, "(data, ids, out, f, numSegments)") ||
      !get_array(env, argv[0], napi_float32_array, fn, "data", &data, &nd) ||
      !get_array(env, argv[1], napi_int32_array, fn, "ids", &ids, &ni) ||
      !get_array(env, argv[2], napi_float32_array, fn, "out", &out, &no) || !get_int(env, argv[3], fn, "f", &f) ||
      !get_int(env, argv[4], fn, "numSegments", &segments))
    return NULL;
  if (!same_length(env, fn, "data", nd, ni * f) || !same_length(env, fn, "out", no, segments * f)) return NULL;
  const int rc = nnphys_segment_sum((const float *)data, (const int32_t *)ids, ni, f, segments, (float *)out);
  if (rc == -1) napi_throw_range_error(env, NULL, "segmentSum: an id is >= numSegments");
  if (rc == -2) napi_throw_error(env, NULL, "segmentSum: out of memory");
  return NULL;
}

static napi_value ColumnSums(napi_env env, napi_callback_info info) {
  const char *fn = "columnSums";
  napi_value argv[4];
  void *data, *out;
  int64_t nd, no, rows, cols;
  if (!get_args(env, info, 4, argv, fn, "(data, rows, cols, out)") ||
      !get_array(env, argv[0], napi_float32_array, fn, "data", &data, &nd) || !get_int(env, argv[1], fn, "rows", &rows) ||
      !get_int(env, argv[2], fn, "cols", &cols) || !get_array(env, argv[3], napi_float32_array, fn, "out", &out, &no))
    return NULL;
  if (!same_length(env, fn, "data", nd, rows * cols) || !same_length(env, fn, "out", no, cols)) return NULL;
  nnphys_column_sums((const float *)data, rows, cols, (float *)out);
  return NULL;
}

static napi_value GatherRows(napi_env env, napi_callback_info info) {
  const char *fn = "gatherRows";
  napi_value argv[4];
  void *data, *ids, *out;
  int64_t nd, ni, no, f;
  if (!get_args(env, info, 4, argv, fn, "(data, f, ids, out)") ||
      !get_array(env, argv[0], napi_float32_array, fn, "data", &data, &nd) || !get_int(env, argv[1], fn, "f", &f) ||
      !get_array(env, argv[2], napi_int32_array, fn, "ids", &ids, &ni) ||
      !get_array(env, argv[3], napi_float32_array, fn, "out", &out, &no))
    return NULL;
  if (f == 0 || nd % f != 0) {
    napi_throw_range_error(env, NULL, "gatherRows: f must be positive and divide data's length");
    return NULL;
  }
  if (!same_length(env, fn, "out", no, ni * f)) return NULL;
  if (nnphys_gather_rows((const float *)data, nd / f, f, (const int32_t *)ids, ni, (float *)out) == -1)
    napi_throw_range_error(env, NULL, "gatherRows: an id is >= the number of rows");
  return NULL;
}

int nnphys_register_rows(napi_env env, napi_value exports) {
  return define_function(env, exports, "segmentSum", SegmentSum) && define_function(env, exports, "columnSums", ColumnSums) &&
         define_function(env, exports, "gatherRows", GatherRows);
}
