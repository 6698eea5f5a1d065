{
  "targets": [
    {
      "target_name": "faultline_native",
      "sources": ["src/addon.cc", "src/mask_keys.cc", "src/scan_heads.cc", "src/match_params.cc"],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-O3", "-std=c++17"],
      "cflags_cc!": ["-O2"],
      "xcode_settings": { "CLANG_CXX_LANGUAGE_STANDARD": "c++17", "GCC_OPTIMIZATION_LEVEL": "3" },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17"] } }
    }
  ]
}
