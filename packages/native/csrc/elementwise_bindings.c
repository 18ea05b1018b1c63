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

static int get_number(napi_env env, napi_value v, const char *fn, const char *name, double *out) {
  napi_valuetype t;
  char msg[200];
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number || napi_get_value_double(env, v, out) != napi_ok) {
    snprintf(msg, sizeof msg, "%s: %s must be a number", fn, name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

/* adamStep(theta, g, m, v, next, lr, beta1, beta2, epsilon, c1, c2) */
static napi_value AdamStep(napi_env env, napi_callback_info info) {
  const char *fn = "adamStep";
  size_t argc = 11;
  napi_value argv[11];
  void *arrays[5];
  int64_t lengths[5];
  double scalars[6];
  static const char *names[5] = {"theta", "g", "m", "v", "next"};
  static const char *scalarNames[6] = {"lr", "beta1", "beta2", "epsilon", "c1", "c2"};
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) {
    napi_throw_type_error(env, NULL, "adamStep: expected 11 arguments (theta, g, m, v, next, lr, beta1, beta2, epsilon, c1, c2)");
    return NULL;
  }
  for (int i = 0; i < 5; i++)
    if (!get_array(env, argv[i], napi_float32_array, fn, names[i], &arrays[i], &lengths[i])) return NULL;
  for (int i = 1; i < 5; i++) {
    if (lengths[i] != lengths[0]) {
      char msg[200];
      snprintf(msg, sizeof msg, "adamStep: %s has %lld elements, theta has %lld", names[i], (long long)lengths[i], (long long)lengths[0]);
      napi_throw_range_error(env, NULL, msg);
      return NULL;
    }
  }
  for (int i = 0; i < 6; i++)
    if (!get_number(env, argv[5 + i], fn, scalarNames[i], &scalars[i])) return NULL;
  nnphys_adam_step((const float *)arrays[0], (const float *)arrays[1], (float *)arrays[2], (float *)arrays[3], (float *)arrays[4], lengths[0],
                   scalars[0], scalars[1], scalars[2], scalars[3], scalars[4], scalars[5]);
  return NULL;
}

int nnphys_register_elementwise(napi_env env, napi_value exports) {
  return define_function(env, exports, "geluForward", GeluForward) && define_function(env, exports, "geluBackward", GeluBackward) &&
         define_function(env, exports, "adamStep", AdamStep);
}
