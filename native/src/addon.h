// What the addon's functions share: argument checks and the batch text's copy.
#pragma once
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

// The functions the addon exports (see addon.cc and native/index.d.ts).
napi_value MaskKeys(napi_env env, napi_callback_info info);
napi_value ScanHeads(napi_env env, napi_callback_info info);
napi_value BindParams(napi_env env, napi_callback_info info);
napi_value ParamProgram(napi_env env, napi_callback_info info);
napi_value MatchParams(napi_env env, napi_callback_info info);

// The call's first `want` arguments into `argv`; false when there are fewer.
bool callArgs(napi_env env, napi_callback_info info, size_t want, napi_value* argv);

// Whether `value` is a typed array of type `want`; its data and length (in elements) if so.
bool typedArray(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length);

// Throws a TypeError; returns what a failed function returns.
napi_value fail(napi_env env, const char* message);

// The string `value` as UTF-16 code units, in this thread's buffer (valid until this thread's
// next call), or null when it is not a string. JavaScript strings index by code unit, so the
// offsets the caller passes index this copy as they index the string.
const char16_t* copyText(napi_env env, napi_value value, size_t* length);
