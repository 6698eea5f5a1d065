// The miner's mask keys for a whole batch in one call: a port of `maskRangeInto`'s hash
// (src/core/mine/mask-message.ts and mask-token.ts), token path by token path, so a record's key
// here equals the key the JavaScript masker computes (the property tests in native-keys.test.ts
// hold the two to that). What it does not port (pre-masking written-out dates and quoted values,
// the full path for non-ASCII tokens) it leaves to JavaScript by answering NaN.
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <cmath>
#include <initializer_list>
#include "addon.h"

namespace {

enum : uint32_t { F_DIGIT = 1, F_DELIM = 2, F_PATHISH = 4, F_DOT = 8, F_COLON = 16, F_QUOTE = 32, TOKEN_FLAGS = 15 };
const uint32_t WILD_HASH = 0x5bd1e995u;
const uint32_t FNV_OFF = 0x811c9dc5u;
const uint32_t FNV_PRIME = 16777619u;

uint8_t CLS[128];
bool DELIM[128], TRAILC[128], LEADC[128], VSTOP[128];

// Filled once, when the library loads (before any thread calls in); read-only after.
struct Tables {
  Tables() {
  CLS[46] = F_DOT;
  for (int c = 48; c <= 57; c++) CLS[c] = F_DIGIT;
  for (const char* p = ":,=()[]{}\"'<>;|"; *p; p++) { CLS[(int)*p] = F_DELIM; DELIM[(int)*p] = true; VSTOP[(int)*p] = true; }
  for (int c : {47, 92, 64, 126, 61}) CLS[c] = F_PATHISH;
  CLS[58] |= F_COLON;
  CLS[34] |= F_QUOTE;
  for (const char* p = ")\"']}>,;.!?:"; *p; p++) TRAILC[(int)*p] = true;
  for (const char* p = "(\"'[{<"; *p; p++) LEADC[(int)*p] = true;
  for (int c : {47, 92, 64, 126}) VSTOP[c] = true;
  }
} const tables;

inline bool isDigit(uint32_t c) { return c >= 48 && c <= 57; }
inline bool isAlpha(uint32_t c) { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122); }
inline bool isWord(uint32_t c) { return isAlpha(c) || isDigit(c) || c == 95; }  // JS \w (no u flag)
inline bool isHex(uint32_t c) { return isDigit(c) || ((c | 0x20) >= 97 && (c | 0x20) <= 102); }
inline bool isJsSpaceAscii(uint32_t c) { return c == 32 || (c >= 9 && c <= 13); }

// A token, ASCII only when it reaches the full paths (see `mask`), as bytes.
struct Tok {
  const char* s;
  int n;
  int at(int i) const { return i >= 0 && i < n ? (unsigned char)s[i] : -1; }  // -1: NaN
};

struct Out {
  char buf[4096];
  int n = 0;
  bool overflow = false;
  void put(const char* p, int k) {
    if (n + k > (int)sizeof buf) { overflow = true; return; }
    memcpy(buf + n, p, k);
    n += k;
  }
  void wild() { put("<*>", 3); }
};

template <typename C>
bool isLiteralT(const C* t, int n) {
  auto same = [&](const char* lower) {
    for (int i = 0; i < n; i++) if ((((uint32_t)t[i]) | 0x20) != (unsigned char)lower[i]) return false;
    return true;
  };
  switch (n) {
    case 3: return same("nil");
    case 4: return same("true") || same("null");
    case 5: return same("false");
    case 9: return same("undefined");
    default: return false;
  }
}

// /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*){2,}$/
template <typename C>
bool qualified(const C* t, int n) {
  int parts = 0;
  int i = 0;
  while (true) {
    if (i >= n) return false;
    uint32_t c = t[i];
    if (!(isAlpha(c) || c == 95 || c == 36)) return false;
    i++;
    while (i < n) {
      c = t[i];
      if (isWord(c) || c == 36 || c == 45) i++;
      else break;
    }
    parts++;
    if (i == n) return parts >= 3;
    if (t[i] != 46) return false;
    i++;
  }
}

// /^(?:[a-f]{8,}|[A-F]{8,})$/ (length >= 8 checked by caller)
template <typename C>
bool hexLetters(const C* t, int n) {
  bool lower = t[0] >= 97;
  for (int i = 0; i < n; i++) {
    uint32_t c = t[i];
    if (lower ? !(c >= 97 && c <= 102) : !(c >= 65 && c <= 70)) return false;
  }
  return true;
}

// /true|false|null|nil|undefined/i
template <typename C>
bool literalInside(const C* t, int n) {
  static const char* words[] = {"true", "false", "null", "nil", "undefined"};
  for (const char* w : words) {
    int k = (int)strlen(w);
    for (int i = 0; i + k <= n; i++) {
      int j = 0;
      while (j < k && ((((uint32_t)t[i + j]) | 0x20) == (unsigned char)w[j]) && t[i + j] < 128) j++;
      if (j == k) return true;
    }
  }
  return false;
}

// /^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/
template <typename C>
bool ipPort(const C* t, int n) {
  int i = 0;
  for (int g = 0; g < 4; g++) {
    if (g > 0) { if (i >= n || t[i] != 46) return false; i++; }
    int s = i;
    while (i < n && isDigit(t[i]) && i - s < 3) i++;
    if (i == s) return false;
  }
  if (i >= n || t[i] != 58) return false;
  i++;
  int s = i;
  while (i < n && isDigit(t[i]) && i - s < 5) i++;
  return i > s && i == n;
}

// /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/
bool email(const char* t, int n) {
  int i = 0;
  while (i < n && (isWord((unsigned char)t[i]) || t[i] == '.' || t[i] == '+' || t[i] == '-')) i++;
  if (i == 0 || i >= n || t[i] != '@') return false;
  i++;
  int groups = 0;
  while (true) {
    int s = i;
    while (i < n && (isWord((unsigned char)t[i]) || t[i] == '-')) i++;
    if (i == s) return false;
    groups++;
    if (i == n) return groups >= 2;
    if (t[i] != '.') return false;
    i++;
  }
}

void maskSegment(const char* s, int n, bool afterEq, Out& o) {
  if (n == 0) return;
  if (afterEq) return o.wild();
  for (int i = 0; i < n; i++) if (isDigit((unsigned char)s[i])) return o.wild();
  if (n > 3) for (int i = 0; i < n; i++) if (s[i] == '/' || s[i] == '\\') return o.wild();
  // LITERALS.has(seg.toLowerCase()): segments reach here ASCII only.
  if (isLiteralT((const unsigned char*)s, n)) return o.wild();
  if (qualified((const unsigned char*)s, n)) return o.wild();
  if (memchr(s, '@', n) && email(s, n)) return o.wild();
  o.put(s, n);
}

void maskSegments(const Tok& t, Out& o) {
  int segStart = 0;
  bool afterEq = false;
  for (int i = 0; i <= t.n; i++) {
    int c = i < t.n ? (unsigned char)t.s[i] : -1;
    if (c == '.' && t.at(i + 1) == '.') {
      maskSegment(t.s + segStart, i - segStart, afterEq, o);
      int j = i;
      while (t.at(j) == '.') j++;
      o.put(t.s + i, j - i);
      i = j - 1;
      segStart = j;
      afterEq = false;
      continue;
    }
    if (c != -1 && !DELIM[c]) continue;
    maskSegment(t.s + segStart, i - segStart, afterEq, o);
    if (c != -1) {
      if (c == '<' && i + 3 <= t.n && memcmp(t.s + i, "<*>", 3) == 0) {
        o.wild();
        i += 2;
        segStart = i + 1;
        afterEq = false;
        continue;
      }
      o.put(t.s + i, 1);
      afterEq = c == '=';
    }
    segStart = i + 1;
  }
}

bool mayBeWholeValue(const Tok& t) {
  int c0 = t.at(0);
  if (c0 == '.' || t.at(1) == ':') return true;
  int sep = 0;
  for (int i = 0; i < t.n; i++) {
    int c = (unsigned char)t.s[i];
    if (c == '/' || c == '\\' || c == '@' || c == '~') return true;
    if (c == ':' || c == '-') sep++;
  }
  return sep >= 3;
}

bool hasSpace(const char* s, int n) {
  for (int i = 0; i < n; i++) if (isJsSpaceAscii((unsigned char)s[i])) return true;
  return false;
}

// /^[a-z][\w+.-]*:\/\/\S+$/i
bool urlTest(const char* s, int n) {
  if (n == 0 || !isAlpha((unsigned char)s[0])) return false;
  int i = 1;
  while (i < n && (isWord((unsigned char)s[i]) || s[i] == '+' || s[i] == '.' || s[i] == '-')) i++;
  if (i + 3 > n || memcmp(s + i, "://", 3) != 0) return false;
  i += 3;
  return i < n && !hasSpace(s + i, n - i);
}

// /^(?:[A-Za-z]:\\|\\\\|~\/|\.{0,2}\/)[^\s]+$/
bool pathTest(const char* s, int n) {
  if (hasSpace(s, n)) return false;
  auto ok = [&](int p) { return n > p; };
  if (n >= 3 && isAlpha((unsigned char)s[0]) && s[1] == ':' && s[2] == '\\' && ok(3)) return true;
  if (n >= 2 && s[0] == '\\' && s[1] == '\\' && ok(2)) return true;
  if (n >= 2 && s[0] == '~' && s[1] == '/' && ok(2)) return true;
  if (n >= 1 && s[0] == '/' && ok(1)) return true;
  if (n >= 2 && s[0] == '.' && s[1] == '/' && ok(2)) return true;
  if (n >= 3 && s[0] == '.' && s[1] == '.' && s[2] == '/' && ok(3)) return true;
  return false;
}

// /^[0-9a-f]{1,4}(?:[:-][0-9a-f]{1,4}){3,}$/i
bool hexGroups(const char* s, int n) {
  int i = 0, groups = 0;
  while (true) {
    int st = i;
    while (i < n && isHex((unsigned char)s[i]) && i - st < 4) i++;
    if (i == st) return false;
    groups++;
    if (i == n) return groups >= 4;
    if (s[i] != ':' && s[i] != '-') return false;
    i++;
  }
}

bool wholeValue(const char* s, int n) {
  bool hasScheme = false;
  for (int i = 0; i + 3 <= n; i++) if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') { hasScheme = true; break; }
  if (hasScheme) return urlTest(s, n);
  if (memchr(s, '@', n) && email(s, n)) return true;
  int c0 = (unsigned char)s[0];
  int c1 = n > 1 ? (unsigned char)s[1] : -1;
  if ((c0 == '/' || c0 == '.' || c0 == '~' || c0 == '\\' || c1 == ':') && pathTest(s, n)) return true;
  if (!hexGroups(s, n)) return false;
  for (int i = 0; i < n; i++) if (isDigit((unsigned char)s[i])) return true;
  return false;
}

void maskFullyGeneral(const Tok& t, Out& o) {
  int c0 = t.at(0);
  if (c0 == '"' || c0 == '\'') {
    // /^(['"])[^'"\s]+\1[.,;:)\]]*$/
    int j = 1;
    while (j < t.n && t.s[j] != '"' && t.s[j] != '\'' && !isJsSpaceAscii((unsigned char)t.s[j])) j++;
    if (j > 1 && j < t.n && t.s[j] == c0) {
      int k = j + 1;
      while (k < t.n && strchr(".,;:)]", t.s[k]) != nullptr && t.s[k] != 0) k++;
      if (k == t.n) {
        o.put(t.s, 1);
        o.wild();
        o.put(t.s + j, t.n - j);
        return;
      }
    }
  }
  if (!mayBeWholeValue(t)) return maskSegments(t, o);
  int a = 0, b = t.n;
  while (a < b && LEADC[(unsigned char)t.s[a]]) a++;
  while (b > a && TRAILC[(unsigned char)t.s[b - 1]]) b--;
  int cn = b - a;
  if (cn > 0 && !(cn == 3 && memcmp(t.s + a, "<*>", 3) == 0) && wholeValue(t.s + a, cn)) {
    o.put(t.s, a);
    o.wild();
    o.put(t.s + b, t.n - b);
    return;
  }
  maskSegments(t, o);
}

bool isKeyChar(int c) { return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95; }

// maskCommonShape: 1 = written to o, 0 = null
int maskCommonShape(const Tok& t, Out& o) {
  int n = t.n;
  int c0 = t.at(0);
  if (c0 == '/') {
    int b = n;
    while (b > 0 && TRAILC[(unsigned char)t.s[b - 1]]) b--;
    if (b < 2) return 0;
    for (int i = 1; i < b; i++) {
      int c = (unsigned char)t.s[i];
      if (c <= 32 || c >= 128 || c == 58) return 0;
    }
    o.wild();
    o.put(t.s + b, n - b);
    return 1;
  }
  if (!isKeyChar(c0)) return 0;
  int i = 1;
  while (i < n && isKeyChar((unsigned char)t.s[i])) i++;
  if (i + 1 >= n || t.s[i] != '=') return 0;
  int dashes = 0;
  for (int j = i + 1; j < n; j++) {
    int c = (unsigned char)t.s[j];
    if (c <= 32 || c >= 128 || VSTOP[c]) return 0;
    if (c == 45) dashes++;
    else if (c == '.' && t.at(j + 1) == '.') return 0;
  }
  if (dashes >= 3 || isLiteralT((const unsigned char*)t.s, i)) return 0;
  o.put(t.s, i + 1);
  o.wild();
  return 1;
}

void maskFully(const Tok& t, Out& o) {
  if (!maskCommonShape(t, o)) maskFullyGeneral(t, o);
}

inline uint32_t mix(uint32_t key, uint32_t h) { return ((key ^ h) * 0x01000193u) ^ (key >> 15); }

uint32_t fnvBytes(const char* s, int n) {
  uint32_t h = FNV_OFF;
  for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
  return h;
}

// hasClock on content t[from, to)
template <typename C>
bool hasClock(const C* t, int from, int to) {
  int n = to - from;
  const C* s = t + from;
  auto at = [&](int i) -> int { return i >= 0 && i < n ? (int)s[i] : -1; };
  int i = -1;
  for (int k = 0; k < n; k++) if (s[k] == 58) { i = k; break; }
  while (i > 0) {
    bool skip = !isDigit(at(i - 1)) || !isDigit(at(i + 1)) || !isDigit(at(i + 2));
    if (!skip) {
      int after = at(i + 3);
      if (!(isDigit(after) || after == 46)) {
        int j = i - 1;
        if (j > 0 && isDigit(at(j - 1))) j--;
        int before = j > 0 ? at(j - 1) : 32;
        if (!isDigit(before) && before != 46 && before != 58) return true;
      }
    }
    int next = -1;
    for (int k = i + 1; k < n; k++) if (s[k] == 58) { next = k; break; }
    i = next;
  }
  return false;
}

template <typename C>
bool quoteCondition(const C* t, int from, int to) {
  bool q = false, eq = false;
  for (int k = from; k < to; k++) {
    if (t[k] == 34) {
      q = true;
      if (k > from && t[k - 1] == 61) eq = true;
      if (k - 1 > from && t[k - 1] == 32 && t[k - 2] == 61) eq = true;
    }
  }
  return q && eq;
}


// The second hash: murmur-style steps, unrelated to FNV, over the same code units.
inline uint32_t rotl(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
inline uint32_t step2(uint32_t h, uint32_t c) { return rotl(h ^ (c * 0xcc9e2d51u), 15) * 0x1b873593u + 0xe6546b64u; }
const uint32_t SEED2 = 0x9747b28cu;
const uint32_t WILD2 = 0x2f0b3c55u;
inline uint32_t mix2(uint32_t key, uint32_t h) { return rotl(key ^ h, 13) * 5u + 0x52dce729u; }

uint32_t second(const char* s, int n) {
  uint32_t h = SEED2;
  for (int i = 0; i < n; i++) h = step2(h, (unsigned char)s[i]);
  return h;
}

struct Keys {
  uint32_t first = FNV_OFF;  // maskRangeInto's
  uint32_t second = SEED2;
  void wild() {
    first = mix(first, WILD_HASH);
    second = mix2(second, WILD2);
  }
  void token(uint32_t h1, uint32_t h2) {
    first = mix(first, h1);
    second = mix2(second, h2);
  }
};

// The key of t[from, to), or false when JavaScript must mask it.
template <typename C>
bool maskRange(const C* t, int from, int to, Keys& k) {
  static const uint32_t ipHash1 = fnvBytes("<*>:<*>", 7);
  static const uint32_t ipHash2 = second("<*>:<*>", 7);
  uint32_t seen = 0;
  int n = to;
  int i = from;
  char tokbuf[4096];
  while (i < n) {
    while (i < n && t[i] <= 32) i++;
    if (i >= n) break;
    int start = i;
    uint32_t flags = 0;
    uint32_t hi = 0;
    for (; i < n; i++) {
      uint32_t c = t[i];
      // A backslash-escaped space stays inside its token.
      if (c <= 32 && !(c == 32 && t[i - 1] == 92)) break;
      hi |= c;
      flags |= CLS[c & 127];
    }
    // Code units past ASCII have no class: redo the flags without the aliasing of `c & 127`.
    if (hi >= 128) {
      flags = 0;
      for (int q = start; q < i; q++) {
        uint32_t c = t[q];
        flags |= c < 128 ? CLS[c] : 0;
      }
    }
    // A token left as it is hashes as its code units.
    auto same = [&]() {
      uint32_t h1 = FNV_OFF, h2 = SEED2;
      for (int q = start; q < i; q++) {
        h1 = (h1 ^ (uint32_t)t[q]) * FNV_PRIME;
        h2 = step2(h2, (uint32_t)t[q]);
      }
      k.token(h1, h2);
    };
    seen |= flags;
    flags &= TOKEN_FLAGS;
    int len = i - start;
    const C* s = t + start;
    if (flags & F_DOT) {
      for (int q = 0; q + 1 < len; q++) if (s[q] == 46 && s[q + 1] == 46) { flags |= F_PATHISH; break; }
    }
    // quickMask
    if (flags == F_DIGIT || flags == (F_DIGIT | F_DOT)) {
      if (s[0] != 46) { k.wild(); continue; }
      goto full;
    }
    if (flags == (F_DIGIT | F_DOT | F_DELIM) && ipPort(s, len)) {
      k.token(ipHash1, ipHash2);
      continue;
    }
    if (flags == 0) {
      bool wild = isLiteralT(s, len) || (len >= 8 && (((uint32_t)s[0] | 0x20) >= 97 && ((uint32_t)s[0] | 0x20) <= 102) && hexLetters(s, len));
      if (wild) k.wild();
      else same();
      continue;
    }
    if (flags == F_DOT) {
      if (qualified(s, len)) k.wild();
      else same();
      continue;
    }
    if ((flags & ~F_DOT) == F_DELIM) {
      uint32_t c0 = s[0];
      bool toFull = (len >= 5 && literalInside(s, len)) || (flags & F_DOT) != 0 || c0 == 34 || c0 == 39;
      if (!toFull) {
        // Unchanged; a `<*>` written in the message hashes as a wildcard.
        if (len == 3 && s[0] == 60 && s[1] == 42 && s[2] == 62) k.wild();
        else same();
        continue;
      }
    }
  full:
    if (hi >= 128 || len > (int)sizeof tokbuf) return false;
    {
      for (int q = 0; q < len; q++) tokbuf[q] = (char)s[q];
      Tok tk{tokbuf, len};
      Out o;
      maskFully(tk, o);
      if (o.overflow) return false;
      if (o.n == 3 && memcmp(o.buf, "<*>", 3) == 0) k.wild();
      else if (o.n == len && memcmp(o.buf, tokbuf, len) == 0) same();
      else k.token(fnvBytes(o.buf, o.n), second(o.buf, o.n));
    }
  }
  // A clock or a quoted value: the JavaScript masker pre-masks the message first.
  if ((seen & F_COLON) && hasClock(t, from, to)) return false;
  if ((seen & F_QUOTE) && quoteCondition(t, from, to)) return false;
  return true;
}

// Keys of records r < count of text (see MaskKeys); returns how many are NaN.
template <typename C>
int32_t fillKeys(const C* text, size_t length, const int32_t* starts, const int32_t* ends, int32_t count, double* keys) {
  int32_t left = 0;
  for (int32_t r = 0; r < count; r++) {
    int32_t a = starts[r], b = ends[r];
    Keys k;
    if (a < 0 || b < a || (size_t)b > length || !maskRange(text, a, b, k)) {
      keys[r] = NAN;
      left++;
      continue;
    }
    // 53 bits, exact in a double: the second hash's low 21 bits above the first's 32.
    keys[r] = (double)(k.second & 0x1fffffu) * 4294967296.0 + (double)k.first;
  }
  return left;
}

}  // namespace

// maskKeys(text: string | Uint8Array, starts: Int32Array, ends: Int32Array, count: number, keys: Float64Array): number
napi_value MaskKeys(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!callArgs(env, info, 5, argv)) return fail(env, "maskKeys: five arguments");
  void *startsData, *endsData, *keysData;
  size_t startsLength, endsLength, keysLength;
  if (!typedArray(env, argv[1], napi_int32_array, &startsData, &startsLength) || !typedArray(env, argv[2], napi_int32_array, &endsData, &endsLength) ||
      !typedArray(env, argv[4], napi_float64_array, &keysData, &keysLength)) {
    return fail(env, "maskKeys: starts and ends must be Int32Arrays, keys a Float64Array");
  }
  int32_t count;
  if (napi_get_value_int32(env, argv[3], &count) != napi_ok || count < 0) return fail(env, "maskKeys: count must be a count");
  if ((size_t)count > startsLength || (size_t)count > endsLength || (size_t)count > keysLength) return fail(env, "maskKeys: count exceeds the arrays");
  const int32_t* starts = static_cast<const int32_t*>(startsData);
  const int32_t* ends = static_cast<const int32_t*>(endsData);
  double* keys = static_cast<double*>(keysData);
  int32_t left;
  void* bytes;
  size_t length = 0;
  // ASCII bytes (see src/core/read/batch-text.ts) are read where they are; a string is copied.
  if (typedArray(env, argv[0], napi_uint8_array, &bytes, &length)) left = fillKeys(static_cast<const uint8_t*>(bytes), length, starts, ends, count, keys);
  else {
    const char16_t* text = copyText(env, argv[0], &length);
    if (text == nullptr) return fail(env, "maskKeys: text must be a string or a Uint8Array");
    left = fillKeys(text, length, starts, ends, count, keys);
  }
  napi_value result;
  napi_create_int32(env, left, &result);
  return result;
}
