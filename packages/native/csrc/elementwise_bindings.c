/* Node-API bindings of the elementwise kernels: geluForward(x, y), geluBackward(x, dy, dx). */
#include "elementwise.h"
#include "napi_util.h"

static napi_value GeluForward(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  void *x, *y;
  int64_t nx, ny;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 2) {
    napi_throw_type_error(env, NULL, "geluForward: expected 2 arguments (x, y)");
    return NULL;
  }
  if (!get_array(env, argv[0], napi_float32_array, "geluForward", "x", &x, &nx) ||
      !get_array(env, argv[1], napi_float32_array, "geluForward", "y", &y, &ny))
    return NULL;
  if (nx != ny) {
    napi_throw_range_error(env, NULL, "geluForward: x and y must have the same length");
    return NULL;
  }
  nnphys_gelu_forward((const float *)x, (float *)y, nx);
  return NULL;
}

static napi_value GeluBackward(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *x, *dy, *dx;
  int64_t nx, ndy, ndx;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) {
    napi_throw_type_error(env, NULL, "geluBackward: expected 3 arguments (x, dy, dx)");
    return NULL;
  }
  if (!get_array(env, argv[0], napi_float32_array, "geluBackward", "x", &x, &nx) ||
      !get_array(env, argv[1], napi_float32_array, "geluBackward", "dy", &dy, &ndy) ||
      !get_array(env, argv[2], napi_float32_array, "geluBackward", "dx", &dx, &ndx))
    return NULL;
  if (nx != ndy || nx != ndx) {
    napi_throw_range_error(env, NULL, "geluBackward: x, dy and dx must have the same length");
    return NULL;
  }
  nnphys_gelu_backward((const float *)x, (const float *)dy, (float *)dx, nx);
  return NULL;
}

int nnphys_register_elementwise(napi_env env, napi_value exports) {
  return define_function(env, exports, "geluForward", GeluForward) && define_function(env, exports, "geluBackward", GeluBackward);
}
