#include "register.h"

int nnphys_register_elementwise(napi_env env, napi_value exports);
int nnphys_register_rows(napi_env env, napi_value exports);
int nnphys_register_ntk_fused(napi_env env, napi_value exports); /* ntk_fused.c */
int nnphys_register_group_sort(napi_env env, napi_value exports);
int nnphys_register_message_passing(napi_env env, napi_value exports);
int nnphys_register_rotary(napi_env env, napi_value exports);
int nnphys_register_transpose(napi_env env, napi_value exports);

int nnphys_register_kernels(napi_env env, napi_value exports) {
  return nnphys_register_elementwise(env, exports) && nnphys_register_rows(env, exports) &&
         nnphys_register_ntk_fused(env, exports) && nnphys_register_group_sort(env, exports) &&
         nnphys_register_message_passing(env, exports) &&
         nnphys_register_rotary(env, exports) &&
         nnphys_register_transpose(env, exports);
}
