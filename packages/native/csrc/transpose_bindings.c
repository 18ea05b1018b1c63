/* transpose(x, out, shape: number[], perm: number[]): x and out Float32Array or Int32Array of the same type. */
#include "napi_util.h"
#include "transpose.h"

static int typed32(napi_env env, napi_value v, const char *name, void **data, int64_t *length, napi_typedarray_type *type) {
  bool is;
  size_t len, offset;
  napi_value buffer;
  char msg[160];
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, type, &len, data, &buffer, &offset) != napi_ok ||
      (*type != napi_float32_array && *type != napi_int32_array)) {
    snprintf(msg, sizeof msg, "transpose: %s must be a Float32Array or Int32Array", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *length = (int64_t)len;
  return 1;
}

static int int_list(napi_env env, napi_value v, const char *name, int64_t *out, uint32_t *count) {
  bool is;
  char msg[160];
  if (napi_is_array(env, v, &is) != napi_ok || !is || napi_get_array_length(env, v, count) != napi_ok || *count < 1 || *count > 8) {
    snprintf(msg, sizeof msg, "transpose: %s must be an array of 1 to 8 integers", name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  for (uint32_t i = 0; i < *count; i++) {
    napi_value e;
    if (napi_get_element(env, v, i, &e) != napi_ok || !get_int(env, e, "transpose", name, &out[i])) return 0;
  }
  return 1;
}

static napi_value Transpose(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  void *x, *out;
  int64_t nx, no, shape[8], permValues[8];
  uint32_t rank, permRank;
  napi_typedarray_type tx, to;
  if (!get_args(env, info, 4, argv, "transpose", "(x, out, shape, perm)") || !typed32(env, argv[0], "x", &x, &nx, &tx) ||
      !typed32(env, argv[1], "out", &out, &no, &to) || !int_list(env, argv[2], "shape", shape, &rank) || !int_list(env, argv[3], "perm", permValues, &permRank))
    return NULL;
  if (tx != to) {
    napi_throw_type_error(env, NULL, "transpose: x and out must have the same type");
    return NULL;
  }
  int32_t perm[8];
  int seen[8] = {0};
  int64_t size = 1;
  for (uint32_t a = 0; a < rank; a++) size *= shape[a];
  if (permRank != rank) {
    napi_throw_range_error(env, NULL, "transpose: perm must have one entry per axis of shape");
    return NULL;
  }
  for (uint32_t a = 0; a < rank; a++) {
    if (permValues[a] >= rank || seen[permValues[a]]) {
      napi_throw_range_error(env, NULL, "transpose: perm must be a permutation of the axes");
      return NULL;
    }
    seen[permValues[a]] = 1;
    perm[a] = (int32_t)permValues[a];
  }
  if (!same_length(env, "transpose", "x", nx, size) || !same_length(env, "transpose", "out", no, size)) return NULL;
  nnphys_transpose32(x, out, (int)rank, shape, perm);
  return NULL;
}

int nnphys_register_transpose(napi_env env, napi_value exports) { return define_function(env, exports, "transpose", Transpose); }
