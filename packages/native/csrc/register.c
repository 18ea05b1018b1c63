#include "register.h"

int nnphys_register_ntk_fused(napi_env env, napi_value exports); /* ntk_fused.c */

int nnphys_register_kernels(napi_env env, napi_value exports) {
  if (!nnphys_register_ntk_fused(env, exports)) return 0;
  return 1;
}
