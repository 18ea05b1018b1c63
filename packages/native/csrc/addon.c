/*
 * Node-API bindings. Every entry point checks that the index range it will
 * touch lies inside the typed arrays it was given (a kernel must never read
 * or write past a view, least of all one into the wasm heap) and throws a
 * RangeError naming the argument otherwise. Arrays are used in place (no
 * copies): views into tfjs-backend-wasm's heap work as well as plain arrays.
 */
#include "gemm.h"
#include "pool.h"
#include "napi_util.h"
#include "register.h"

/*
 * sgemm(batch, m, n, k,
 *       a, aOffset, aBatch, aRow, aCol,
 *       b, bOffset, bBatch, bRow, bCol,
 *       c, cOffset, cBatch[, accumulate])
 */
static napi_value Sgemm(napi_env env, napi_callback_info info) {
  const char *fn = "sgemm";
  size_t argc = 18;
  napi_value argv[MAX_ARGS];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 17 && argc != 18) {
    napi_throw_type_error(env, NULL, "sgemm: expected 17 arguments (batch, m, n, k, a, aOffset, aBatch, aRow, aCol, b, ...) and an optional accumulate flag");
    return NULL;
  }
  int64_t batch, m, n, k, aOff, aBatch, aRow, aCol, bOff, bBatch, bRow, bCol, cOff, cBatch, aLen, bLen, cLen;
  void *a, *b, *c;
  if (!get_int(env, argv[0], fn, "batch", &batch) || !get_int(env, argv[1], fn, "m", &m) || !get_int(env, argv[2], fn, "n", &n) ||
      !get_int(env, argv[3], fn, "k", &k) || !get_array(env, argv[4], napi_float32_array, fn, "a", &a, &aLen) ||
      !get_int(env, argv[5], fn, "aOffset", &aOff) || !get_int(env, argv[6], fn, "aBatch", &aBatch) ||
      !get_int(env, argv[7], fn, "aRow", &aRow) || !get_int(env, argv[8], fn, "aCol", &aCol) ||
      !get_array(env, argv[9], napi_float32_array, fn, "b", &b, &bLen) || !get_int(env, argv[10], fn, "bOffset", &bOff) ||
      !get_int(env, argv[11], fn, "bBatch", &bBatch) || !get_int(env, argv[12], fn, "bRow", &bRow) ||
      !get_int(env, argv[13], fn, "bCol", &bCol) || !get_array(env, argv[14], napi_float32_array, fn, "c", &c, &cLen) ||
      !get_int(env, argv[15], fn, "cOffset", &cOff) || !get_int(env, argv[16], fn, "cBatch", &cBatch))
    return NULL;
  if (!check_extent(env, fn, "a", aLen, aOff, batch, aBatch, m, aRow, k, aCol) ||
      !check_extent(env, fn, "b", bLen, bOff, batch, bBatch, k, bRow, n, bCol) ||
      !check_extent(env, fn, "c", cLen, cOff, batch, cBatch, m, n, n, 1))
    return NULL;
  if (batch > 1 && cBatch < m * n) {
    napi_throw_range_error(env, NULL, "sgemm: cBatch must be at least m * n (outputs of a batch may not overlap)");
    return NULL;
  }
  bool accumulate = false;
  if (argc == 18) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[17], &t));
    if (t != napi_undefined && (t != napi_boolean || napi_get_value_bool(env, argv[17], &accumulate) != napi_ok)) {
      napi_throw_type_error(env, NULL, "sgemm: accumulate must be a boolean");
      return NULL;
    }
  }
  nnphys_sgemm(batch, m, n, k, (const float *)a + aOff, aBatch, aRow, aCol, (const float *)b + bOff, bBatch, bRow, bCol,
               (float *)c + cOff, cBatch, accumulate);
  return NULL;
}

static napi_value Info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, kernel, threads;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_string_utf8(env, nnphys_gemm_kernel_name(), NAPI_AUTO_LENGTH, &kernel));
  CHECK(napi_create_int32(env, nnphys_num_threads(), &threads));
  CHECK(napi_set_named_property(env, obj, "kernel", kernel));
  CHECK(napi_set_named_property(env, obj, "threads", threads));
  return obj;
}

static napi_value SetNumThreads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t t;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 1 || !get_int(env, argv[0], "setNumThreads", "threads", &t)) return NULL;
  if (t < 1 || t > 256) {
    napi_throw_range_error(env, NULL, "setNumThreads: threads must be an integer in [1, 256]");
    return NULL;
  }
  nnphys_set_num_threads((int)t);
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  if (!define_function(env, exports, "sgemm", Sgemm) || !define_function(env, exports, "info", Info) ||
      !define_function(env, exports, "setNumThreads", SetNumThreads) || !nnphys_register_kernels(env, exports)) {
    napi_throw_error(env, NULL, "@nnphys/native: could not register functions");
    return NULL;
  }
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
