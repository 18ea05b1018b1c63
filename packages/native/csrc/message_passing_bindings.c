/*
 * Node-API bindings of the message-passing steps:
 *   gatherAddRelu(out, a, ia, b, ib, f)      affineRelu(x, bias|null, s|null, c|null, f, relu)
 *   reluMask(x, ref)                         reluAdd(y, o, h|null, relu)
 */
#include "message_passing.h"
#include "napi_util.h"

/* A Float32Array, or null/undefined (data = NULL, length = -1). */
static int optional_f32(napi_env env, napi_value v, const char *fn, const char *name, void **data, int64_t *length) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) == napi_ok && (t == napi_null || t == napi_undefined)) {
    *data = NULL;
    *length = -1;
    return 1;
  }
  return get_array(env, v, napi_float32_array, fn, name, data, length);
}

static int get_bool(napi_env env, napi_value v, const char *fn, const char *name, bool *out) {
  char msg[160];
  if (napi_get_value_bool(env, v, out) != napi_ok) {
    snprintf(msg, sizeof msg, "%s: %s must be a boolean", fn, name);
    napi_throw_type_error(env, NULL, msg);
    return 0;
  }
  return 1;
}

static int fail(napi_env env, const char *msg) {
  napi_throw_range_error(env, NULL, msg);
  return 0;
}

static int ids_in_range(napi_env env, const int32_t *ids, int64_t n, int64_t rows, const char *msg) {
  for (int64_t e = 0; e < n; e++)
    if (ids[e] < 0 || ids[e] >= rows) return fail(env, msg);
  return 1;
}

static napi_value GatherAddRelu(napi_env env, napi_callback_info info) {
  const char *fn = "gatherAddRelu";
  napi_value argv[6];
  void *out, *a, *ia, *b, *ib;
  int64_t no, na, nia, nb, nib, f;
  if (!get_args(env, info, 6, argv, fn, "(out, a, ia, b, ib, f)") || !get_array(env, argv[0], napi_float32_array, fn, "out", &out, &no) ||
      !get_array(env, argv[1], napi_float32_array, fn, "a", &a, &na) || !get_array(env, argv[2], napi_int32_array, fn, "ia", &ia, &nia) ||
      !get_array(env, argv[3], napi_float32_array, fn, "b", &b, &nb) || !get_array(env, argv[4], napi_int32_array, fn, "ib", &ib, &nib) ||
      !get_int(env, argv[5], fn, "f", &f))
    return NULL;
  if (f == 0 || no != nia * f || nib != nia || na % f != 0 || nb % f != 0) {
    fail(env, "gatherAddRelu: expected out [E*f], ia and ib [E], a and b with a multiple of f elements (f > 0)");
    return NULL;
  }
  if (!ids_in_range(env, (const int32_t *)ia, nia, na / f, "gatherAddRelu: an id in ia is outside a's rows") ||
      !ids_in_range(env, (const int32_t *)ib, nib, nb / f, "gatherAddRelu: an id in ib is outside b's rows"))
    return NULL;
  nnphys_gather_add_relu((float *)out, (const float *)a, (const int32_t *)ia, (const float *)b, (const int32_t *)ib, nia, f);
  return NULL;
}

static napi_value AffineRelu(napi_env env, napi_callback_info info) {
  const char *fn = "affineRelu";
  napi_value argv[6];
  void *x, *bias, *s, *c;
  int64_t nx, nbias, ns, nc, f;
  bool act;
  if (!get_args(env, info, 6, argv, fn, "(x, bias, s, c, f, relu)") || !get_array(env, argv[0], napi_float32_array, fn, "x", &x, &nx) ||
      !optional_f32(env, argv[1], fn, "bias", &bias, &nbias) || !optional_f32(env, argv[2], fn, "s", &s, &ns) ||
      !optional_f32(env, argv[3], fn, "c", &c, &nc) || !get_int(env, argv[4], fn, "f", &f) || !get_bool(env, argv[5], fn, "relu", &act))
    return NULL;
  if (f == 0 || nx % f != 0) {
    fail(env, "affineRelu: f must be positive and divide x's length");
    return NULL;
  }
  const int64_t rows = nx / f;
  if ((bias && nbias != f) || ((s == NULL) != (c == NULL)) || (s && (ns != rows || nc != f))) {
    fail(env, "affineRelu: expected bias [f], and s [rows] with c [f] together (or null)");
    return NULL;
  }
  nnphys_affine_relu((float *)x, (const float *)bias, (const float *)s, (const float *)c, rows, f, act);
  return NULL;
}

static napi_value ReluMask(napi_env env, napi_callback_info info) {
  const char *fn = "reluMask";
  napi_value argv[2];
  void *x, *ref;
  int64_t nx, nr;
  if (!get_args(env, info, 2, argv, fn, "(x, ref)") || !get_array(env, argv[0], napi_float32_array, fn, "x", &x, &nx) ||
      !get_array(env, argv[1], napi_float32_array, fn, "ref", &ref, &nr))
    return NULL;
  if (nx != nr) {
    fail(env, "reluMask: x and ref must have the same length");
    return NULL;
  }
  nnphys_relu_mask((float *)x, (const float *)ref, nx);
  return NULL;
}

static napi_value ReluAdd(napi_env env, napi_callback_info info) {
  const char *fn = "reluAdd";
  napi_value argv[4];
  void *y, *o, *h;
  int64_t ny, no, nh;
  bool act;
  if (!get_args(env, info, 4, argv, fn, "(y, o, h, relu)") || !get_array(env, argv[0], napi_float32_array, fn, "y", &y, &ny) ||
      !get_array(env, argv[1], napi_float32_array, fn, "o", &o, &no) || !optional_f32(env, argv[2], fn, "h", &h, &nh) ||
      !get_bool(env, argv[3], fn, "relu", &act))
    return NULL;
  if (no != ny || (h && nh != ny)) {
    fail(env, "reluAdd: y, o (and h) must have the same length");
    return NULL;
  }
  nnphys_relu_add((float *)y, (const float *)o, (const float *)h, ny, act);
  return NULL;
}

int nnphys_register_message_passing(napi_env env, napi_value exports) {
  return define_function(env, exports, "gatherAddRelu", GatherAddRelu) && define_function(env, exports, "affineRelu", AffineRelu) &&
         define_function(env, exports, "reluMask", ReluMask) && define_function(env, exports, "reluAdd", ReluAdd);
}
