// Faultline's native hot path, one batch of lines per call (see native/index.d.ts).
// Plain Node-API (version 8): one build loads in Node 20, Node 22 and Electron.
#include <vector>
#include "addon.h"

bool callArgs(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  return napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) == napi_ok && argc >= want;
}

bool typedArray(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  return napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) == napi_ok && type == want;
}

napi_value fail(napi_env env, const char* message) {
  napi_throw_type_error(env, nullptr, message);
  return nullptr;
}

// Each thread's copy (the addon serves worker threads side by side).
thread_local std::vector<char16_t> text16;

const char16_t* copyText(napi_env env, napi_value value, size_t* length) {
  if (napi_get_value_string_utf16(env, value, nullptr, 0, length) != napi_ok) return nullptr;
  if (text16.size() < *length + 1) text16.resize(*length + 1 + (*length >> 2));
  if (napi_get_value_string_utf16(env, value, text16.data(), *length + 1, length) != napi_ok) return nullptr;
  return text16.data();
}

NAPI_MODULE_INIT() {
  const struct {
    const char* name;
    napi_callback function;
  } functions[] = {{"maskKeys", MaskKeys}, {"scanHeads", ScanHeads}, {"bindParams", BindParams}, {"paramProgram", ParamProgram}, {"matchParams", MatchParams}};
  for (const auto& entry : functions) {
    napi_value f;
    if (napi_create_function(env, entry.name, NAPI_AUTO_LENGTH, entry.function, nullptr, &f) != napi_ok) return nullptr;
    if (napi_set_named_property(env, exports, entry.name, f) != napi_ok) return nullptr;
  }
  return exports;
}
