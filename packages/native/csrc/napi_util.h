/* Argument checks shared by the Node-API bindings: each throws a JS error naming the function and argument. */
#ifndef NNPHYS_NAPI_UTIL_H
#define NNPHYS_NAPI_UTIL_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_ARGS 20

#define CHECK(call)                                                                   \
  do {                                                                                \
    if ((call) != napi_ok) {                                                          \
      napi_throw_error(env, NULL, "@nnphys/native: internal Node-API call failed");   \
      return NULL;                                                                    \
    }                                                                                 \
  } while (0)

static inline int get_int(napi_env env, napi_value v, const char *fn, const char *name, int64_t *out) {
  napi_valuetype t;
  double d;
  char msg[256];
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number || napi_get_value_double(env, v, &d) != napi_ok ||
      d != (double)(int64_t)d || d < 0) {
    snprintf(msg, sizeof msg, "%s: %s must be a non-negative integer", fn, name);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  *out = (int64_t)d;
  return 1;
}

/* A typed array of the expected type; `data` points at its first element, `length` counts elements. */
static inline int get_array(napi_env env, napi_value v, napi_typedarray_type want, const char *fn, const char *name, void **data,
                     int64_t *length) {
  bool is;
  napi_typedarray_type type;
  size_t len;
  napi_value buffer;
  size_t offset;
  char msg[256];
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is ||
      napi_get_typedarray_info(env, v, &type, &len, data, &buffer, &offset) != napi_ok || type != want) {
    snprintf(msg, sizeof msg, "%s: %s must be a %s", fn, name, want == napi_float32_array ? "Float32Array" : want == napi_int32_array ? "Int32Array" : "Float64Array");
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  *length = (int64_t)len;
  return 1;
}

/* Largest element index of a strided [batch, rows, cols] access, checked against the array length. */
static inline int check_extent(napi_env env, const char *fn, const char *name, int64_t length, int64_t offset, int64_t batch,
                        int64_t batchStride, int64_t rows, int64_t rowStride, int64_t cols, int64_t colStride) {
  char msg[320];
  if (batch == 0 || rows == 0 || cols == 0) return 1;
  const double last = (double)offset + (double)(batch - 1) * (double)batchStride + (double)(rows - 1) * (double)rowStride +
                      (double)(cols - 1) * (double)colStride;
  if (last >= (double)length) {
    snprintf(msg, sizeof msg, "%s: %s is too short: the product reads or writes element %.0f, the array has %lld", fn, name, last,
             (long long)length);
    napi_throw_range_error(env, NULL, msg);
    return 0;
  }
  return 1;
}


/* The callback's arguments, exactly `want` of them, or a TypeError naming the expected call. */
static inline int get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, const char *fn, const char *usage) {
  size_t argc = want;
  char msg[200];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != want) {
    snprintf(msg, sizeof msg, "%s: expected %zu arguments %s", fn, want, usage);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

/* got == want, or a RangeError "fn: what has got elements, expected want". */
static inline int same_length(napi_env env, const char *fn, const char *what, int64_t got, int64_t want) {
  char msg[240];
  if (got == want) return 1;
  snprintf(msg, sizeof msg, "%s: %s has %lld elements, expected %lld", fn, what, (long long)got, (long long)want);
  napi_throw_range_error(env, NULL, msg);
  return 0;
}

/* Registers one function on the exports object. */
static inline int define_function(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value f;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &f) != napi_ok) return 0;
  return napi_set_named_property(env, exports, name, f) == napi_ok;
}

#endif
