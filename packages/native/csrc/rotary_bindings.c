/* rotary(x, cos, sin, y, batch, heads, t, d, transpose): RoPE on [B, H, T, d] with [B, T, d] tables (see rotary.c). */
#include "napi_util.h"
#include "rotary.h"

static napi_value Rotary(napi_env env, napi_callback_info info) {
  const char *fn = "rotary";
  napi_value argv[9];
  void *x, *c, *s, *y;
  int64_t nx, nc, ns, ny, batch, heads, t, d;
  bool transpose;
  if (!get_args(env, info, 9, argv, fn, "(x, cos, sin, y, batch, heads, t, d, transpose)") ||
      !get_array(env, argv[0], napi_float32_array, fn, "x", &x, &nx) || !get_array(env, argv[1], napi_float32_array, fn, "cos", &c, &nc) ||
      !get_array(env, argv[2], napi_float32_array, fn, "sin", &s, &ns) || !get_array(env, argv[3], napi_float32_array, fn, "y", &y, &ny) ||
      !get_int(env, argv[4], fn, "batch", &batch) || !get_int(env, argv[5], fn, "heads", &heads) || !get_int(env, argv[6], fn, "t", &t) ||
      !get_int(env, argv[7], fn, "d", &d))
    return NULL;
  if (napi_get_value_bool(env, argv[8], &transpose) != napi_ok) {
    napi_throw_type_error(env, NULL, "rotary: transpose must be a boolean");
    return NULL;
  }
  if (d % 2 != 0) {
    napi_throw_range_error(env, NULL, "rotary: d must be even");
    return NULL;
  }
  if (!same_length(env, fn, "x", nx, batch * heads * t * d) || !same_length(env, fn, "y", ny, nx) ||
      !same_length(env, fn, "cos", nc, batch * t * d) || !same_length(env, fn, "sin", ns, batch * t * d))
    return NULL;
  nnphys_rotary((const float *)x, (const float *)c, (const float *)s, (float *)y, batch, heads, t, d, transpose);
  return NULL;
}

int nnphys_register_rotary(napi_env env, napi_value exports) { return define_function(env, exports, "rotary", Rotary); }
