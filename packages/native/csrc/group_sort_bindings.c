/* groupSort(x: Float32Array, values: Float32Array, perm: Int32Array, width, groupSize) */
#include "group_sort.h"
#include "napi_util.h"

/* Above this the O(g^2) rank form loses to a comparison sort; callers sort such groups themselves. */
#define MAX_GROUP 64

static napi_value GroupSort(napi_env env, napi_callback_info info) {
  const char *fn = "groupSort";
  size_t argc = 5;
  napi_value argv[5];
  void *x, *values, *perm;
  int64_t nx, nv, np, width, group;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) {
    napi_throw_type_error(env, NULL, "groupSort: expected 5 arguments (x, values, perm, width, groupSize)");
    return NULL;
  }
  if (!get_array(env, argv[0], napi_float32_array, fn, "x", &x, &nx) || !get_array(env, argv[1], napi_float32_array, fn, "values", &values, &nv) ||
      !get_array(env, argv[2], napi_int32_array, fn, "perm", &perm, &np) || !get_int(env, argv[3], fn, "width", &width) ||
      !get_int(env, argv[4], fn, "groupSize", &group))
    return NULL;
  if (group < 1 || group > MAX_GROUP || width % group != 0 || (width == 0 && nx != 0) || (width > 0 && nx % width != 0)) {
    napi_throw_range_error(env, NULL, "groupSort: groupSize must be in [1, 64] and divide width, which must divide x's length");
    return NULL;
  }
  if (nv != nx || np != nx) {
    napi_throw_range_error(env, NULL, "groupSort: values and perm must have x's length");
    return NULL;
  }
  if (nx > 0) nnphys_group_sort((const float *)x, (float *)values, (int32_t *)perm, nx / width, width, group);
  return NULL;
}

int nnphys_register_group_sort(napi_env env, napi_value exports) { return define_function(env, exports, "groupSort", GroupSort); }
