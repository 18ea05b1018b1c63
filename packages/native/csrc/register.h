/* Further kernels register themselves here (one file per concept); returns 0 on failure. */
#ifndef NNPHYS_REGISTER_H
#define NNPHYS_REGISTER_H
#include "napi_util.h"

int nnphys_register_kernels(napi_env env, napi_value exports);

#endif
