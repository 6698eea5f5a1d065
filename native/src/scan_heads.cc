// The reader's per-record header work for a whole batch of ASCII bytes in one call: a port of
// the token splitter's `scanHead` (src/core/format/split-line.ts, header-tokens.ts, level.ts and
// the fast path of stamp-cache.ts) and of the built-in session keys' patterns
// (src/core/model/sessions/session-key.ts). It never parses a timestamp: where a stamp is not the
// one JavaScript last parsed (or differs from it only in its fraction digits) it stops, and
// JavaScript scans that record, learns the stamp and calls again (see native-heads.ts). The
// parity tests in src/core/ingest/native-heads.test.ts hold the two to the same results.
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <climits>
#include <cmath>
#if defined(__SSE2__) || defined(_M_X64)
#include <emmintrin.h>
#endif
#include "addon.h"

namespace {

enum Role { ROLE_OTHER = 0, ROLE_STAMP = 1, ROLE_LEVEL = 2 };
enum Terminator { TERM_NONE = 0, TERM_COLON = 1, TERM_DASH = 2 };
enum Key { KEY_NONE = 0, KEY_BLOCK = 1, KEY_REQUEST = 2, KEY_JOB = 3, KEY_UUID = 4 };

const int MAX_TOKENS = 64;
const int MAX_COLUMNS = 32;
const int COLON_SLACK = 3;
// Layout: fixed, max, terminator, key, columns, then per column role, span, primary, stamp slot.
const int LAYOUT_HEAD = 5;
const int LAYOUT_COLUMN = 4;
// Per stamp slot: known, ms, fracAt, fracLength, secondMs, text start, text length.
const int STAMP_FIELDS = 7;

// Character classes, one table lookup each (they are asked for every character of a line).
enum : uint8_t { C_DIGIT = 1, C_WORD = 2, C_HEX = 4, C_ID = 8, C_HEADER_SPACE = 16, C_JS_SPACE = 32 };
uint8_t CLASS[256];

// Filled once, when the library loads (before any thread calls in); read-only after.
struct Classes {
  Classes() {
    for (int c = 0; c < 256; c++) {
      bool digit = c >= 48 && c <= 57, letter = (c | 0x20) >= 97 && (c | 0x20) <= 122;
      bool word = digit || letter || c == 95;  // JS \w (no u flag)
      CLASS[c] = (digit ? C_DIGIT : 0) | (word ? C_WORD : 0) | (digit || ((c | 0x20) >= 97 && (c | 0x20) <= 102) ? C_HEX : 0) |
                 (word || c == '.' || c == ':' || c == '-' ? C_ID : 0) | (c == 32 || c == 9 || c == 13 || c == 11 || c == 12 ? C_HEADER_SPACE : 0) |
                 (c == 32 || (c >= 9 && c <= 13) ? C_JS_SPACE : 0);  // JS \s, its ASCII part
    }
  }
} const classes;

inline bool isDigit(uint8_t c) { return (CLASS[c] & C_DIGIT) != 0; }
inline bool isWord(uint8_t c) { return (CLASS[c] & C_WORD) != 0; }
inline bool isHex(uint8_t c) { return (CLASS[c] & C_HEX) != 0; }
inline bool isHeaderSpace(uint8_t c) { return (CLASS[c] & C_HEADER_SPACE) != 0; }
inline bool isJsSpace(uint8_t c) { return (CLASS[c] & C_JS_SPACE) != 0; }
inline bool idChar(uint8_t c) { return (CLASS[c] & C_ID) != 0; }  // [\w.:-]
inline uint8_t lower(uint8_t c) { return c >= 65 && c <= 90 ? c + 32 : c; }

struct Column {
  int role, span, primary, slot;
};

struct Stamp {
  bool known;
  double ms, secondMs;
  int fracAt, fracLength, length;
  const uint8_t* text;
};

struct Layout {
  int fixed, max, terminator, key, columns;
  Column column[MAX_COLUMNS];
  Stamp stamp[MAX_COLUMNS];
};

// header-tokens.ts `matchingBracket`.
int matchingBracket(const uint8_t* s, int open, int end) {
  int depth = 0;
  int limit = end < open + 512 ? end : open + 512;
  for (int i = open; i < limit; i++) {
    if (s[i] == 91) depth++;
    else if (s[i] == 93 && --depth == 0) return i;
  }
  return -1;
}

// header-tokens.ts `headerTokens`.
int headerTokens(const uint8_t* s, int max, int* starts, int* ends, int stopAtColonFrom, int from, int to) {
  int i = from, count = 0;
  while (count < max) {
    while (i < to && isHeaderSpace(s[i])) i++;
    if (i >= to) break;
    int start = i;
    if (s[i] == 91) {
      int close = matchingBracket(s, i, to);
      if (close > 0) i = close + 1;
    }
    while (i < to && !isHeaderSpace(s[i])) i++;
    starts[count] = start;
    ends[count] = i;
    count++;
    if (count > stopAtColonFrom && s[i - 1] == 58) break;
  }
  return count;
}

// stamp-cache.ts `read`, its fast path only: false where JavaScript must read the stamp.
bool readStamp(const Stamp& st, const uint8_t* s, int at, int last, double* ms) {
  if (!st.known || last - at != st.length) return false;
  if (st.fracAt < 0) {
    if (memcmp(s + at, st.text, st.length) != 0) return false;
    *ms = st.ms;
    return true;
  }
  int tail = st.fracAt + st.fracLength;
  if (memcmp(s + at, st.text, st.fracAt) != 0 || memcmp(s + at + tail, st.text + tail, st.length - tail) != 0) return false;
  for (int i = at + st.fracAt; i < at + tail; i++) if (!isDigit(s[i])) return false;
  double fraction = 0;
  for (int i = 0; i < 3; i++) fraction = fraction * 10 + (i < st.fracLength ? s[at + st.fracAt + i] - 48 : 0);
  *ms = st.secondMs + fraction;
  return true;
}

// A word and its length, so tables are compared without strlen.
struct Word {
  const char* text;
  int length;
  uint8_t code;
};
#define WORD(text, code) \
  { text, sizeof(text) - 1, code }

// shared/levels.ts `spellings`.
const Word SPELLINGS[] = {
    WORD("trace", 1),   WORD("finest", 1),    WORD("finer", 1),  WORD("verbose", 1),  WORD("v", 1),           WORD("debug", 2),
    WORD("dbg", 2),     WORD("fine", 2),      WORD("d", 2),      WORD("info", 3),     WORD("information", 3), WORD("informational", 3),
    WORD("i", 3),       WORD("notice", 4),    WORD("n", 4),      WORD("warn", 5),     WORD("warning", 5),     WORD("w", 5),
    WORD("error", 6),   WORD("err", 6),       WORD("severe", 6), WORD("failure", 6),  WORD("fail", 6),        WORD("e", 6),
    WORD("fatal", 7),   WORD("crit", 7),      WORD("critical", 7), WORD("alert", 7),  WORD("emerg", 7),       WORD("emergency", 7),
    WORD("panic", 7),   WORD("f", 7),         WORD("a", 7)};

// Whether s[at, at + w.length) is `w`, ignoring ASCII case (`w` is lower case).
inline bool sameWord(const uint8_t* s, int at, const Word& w) {
  for (int i = 0; i < w.length; i++) if (lower(s[at + i]) != (uint8_t)w.text[i]) return false;
  return true;
}

// level.ts `DECORATION`: 1 opens, 2 closes.
inline bool isOpener(uint8_t c) { return c == '[' || c == '(' || c == '<' || c == '{'; }
inline bool isCloser(uint8_t c) { return c == ']' || c == ')' || c == ':' || c == '>' || c == '}' || c == ',' || c == '|'; }

// level.ts `LevelReader.code`: the token's decoration off, then `normalizeLevel`.
uint8_t levelCode(const uint8_t* s, int start, int end) {
  while (start < end && isOpener(s[start])) start++;
  while (end > start && isCloser(s[end - 1])) end--;
  for (const Word& w : SPELLINGS) if (w.length == end - start && sameWord(s, start, w)) return w.code;
  return 0;
}

const int STOP = -2;

// split-line.ts `locate` (for `scanHead`): where the message starts, -1 when the line does not
// fit the layout, STOP when a stamp needs JavaScript. Fills ts and level.
int locate(const Layout& L, const uint8_t* s, int from, int to, double* ts, uint8_t* level) {
  int starts[MAX_TOKENS], ends[MAX_TOKENS];
  int count = headerTokens(s, L.max, starts, ends, L.terminator == TERM_COLON ? L.fixed : INT_MAX, from, to);
  if (count < L.fixed) return -1;
  int tok = 0;
  for (int i = 0; i < L.columns; i++) {
    const Column& c = L.column[i];
    int start = starts[tok];
    if (c.role == ROLE_STAMP) {
      if (c.slot < 0) return -1;
      int at = s[start] == 91 ? start + 1 : start;
      double ms;
      if (!readStamp(L.stamp[c.slot], s, at, ends[tok + c.span - 1], &ms)) return STOP;
      if (c.primary) *ts = ms;
    } else if (c.role == ROLE_LEVEL) {
      *level = levelCode(s, start, ends[tok]);
    }
    tok += c.span;
  }
  int contentStart = tok < count ? starts[tok] : L.fixed > 0 ? ends[L.fixed - 1] : from;
  if (L.terminator == TERM_COLON) {
    int last = count < tok + COLON_SLACK ? count : tok + COLON_SLACK;
    for (int k = tok; k < last; k++) {
      if (s[ends[k] - 1] == 58) {
        contentStart = ends[k];
        break;
      }
    }
  } else if (L.terminator == TERM_DASH) {
    int last = count < tok + COLON_SLACK + 1 ? count : tok + COLON_SLACK + 1;
    for (int k = tok + 1; k < last; k++) {
      if (ends[k] - starts[k] == 1 && s[ends[k] - 1] == 45) {
        contentStart = ends[k];
        break;
      }
    }
  }
  return contentStart;
}

// The first of s[from, to) that is `a` or `b`, or `to`: sixteen bytes a step where SSE2 is there
// (x86-64 always), else eight (a pattern's anchor is rare in a line, and a byte-at-a-time loop
// cost more than the rest of the match).
int findEither(const uint8_t* s, int from, int to, uint8_t a, uint8_t b) {
  int i = from;
#if defined(__SSE2__) || defined(_M_X64)
  const __m128i wantA = _mm_set1_epi8((char)a), wantB = _mm_set1_epi8((char)b);
  for (; i + 16 <= to; i += 16) {
    __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    if (_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, wantA), _mm_cmpeq_epi8(x, wantB))) != 0) break;
  }
#else
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  const uint64_t wantA = ones * a, wantB = ones * b;
  for (; i + 8 <= to; i += 8) {
    uint64_t x;
    memcpy(&x, s + i, 8);
    uint64_t xa = x ^ wantA, xb = x ^ wantB;
    if (((xa - ones) & ~xa & highs) != 0 || ((xb - ones) & ~xb & highs) != 0) break;
  }
#endif
  while (i < to && s[i] != a && s[i] != b) i++;
  return i;
}

// The session keys' patterns on the line s[from, to): the first id's [start, end), as
// `firstSessionId` finds it. Each pattern is matched position by position, leftmost first.
inline bool wordStart(const uint8_t* s, int from, int p) { return p == from || !isWord(s[p - 1]); }
inline bool wordEnd(const uint8_t* s, int to, int p) { return p == to || !isWord(s[p]); }

// \b(blk_-?\d+)\b
bool blockId(const uint8_t* s, int from, int to, int* idStart, int* idEnd) {
  // Found by their `_`, which comes 3 after their start.
  for (int u = findEither(s, from + 3, to, '_', '_'); u + 1 < to; u = findEither(s, u + 1, to, '_', '_')) {
    int p = u - 3;
    if (memcmp(s + p, "blk_", 4) != 0 || !wordStart(s, from, p)) continue;
    int q = p + 4;
    if (s[q] == '-') q++;
    int d = q;
    while (d < to && isDigit(s[d])) d++;
    if (d > q && wordEnd(s, to, d)) {
      *idStart = p;
      *idEnd = d;
      return true;
    }
  }
  return false;
}

// \b(?:trace|trace_?id|…|session_?id)[=:]\s*"?([\w.:-]{6,}), case-insensitive. A match is a
// keyword just before a `=` or `:` (neither is in a keyword, so matches start in the order of
// those), and nothing after it can backtrack into a match: found from each `=` or `:` in turn.
const Word REQUEST_WORDS[] = {WORD("trace", 0),      WORD("trace_id", 0),       WORD("traceid", 0),       WORD("span_id", 0),
                              WORD("spanid", 0),     WORD("request_id", 0),     WORD("requestid", 0),     WORD("req_id", 0),
                              WORD("reqid", 0),      WORD("correlation_id", 0), WORD("correlationid", 0), WORD("x-request-id", 0),
                              WORD("txn_id", 0),     WORD("txnid", 0),          WORD("transaction_id", 0), WORD("transactionid", 0),
                              WORD("session_id", 0), WORD("sessionid", 0)};

bool requestId(const uint8_t* s, int from, int to, int* idStart, int* idEnd) {
  for (int e = findEither(s, from + 1, to, '=', ':'); e < to; e = findEither(s, e + 1, to, '=', ':')) {
    // Every keyword ends in `e` or `d`: a cheap test first, as most `:` follow digits.
    if ((s[e - 1] | 0x20) != 'e' && (s[e - 1] | 0x20) != 'd') continue;
    // The earliest start wins (were one keyword the end of another, the longer).
    int p = -1;
    for (const Word& w : REQUEST_WORDS) {
      int at = e - w.length;
      if (at >= from && (p < 0 || at < p) && lower(s[at]) == (uint8_t)w.text[0] && sameWord(s, at, w) && wordStart(s, from, at)) p = at;
    }
    if (p < 0) continue;
    int q = e + 1;
    while (q < to && isJsSpace(s[q])) q++;
    if (q < to && s[q] == '"') q++;
    int r = q;
    while (r < to && idChar(s[r])) r++;
    if (r - q < 6) continue;
    // As `firstSessionId` places it: the id's first occurrence in the whole match.
    int n = r - q, at = p;
    while (s[at] != s[q] || memcmp(s + at, s + q, n) != 0) at++;
    *idStart = at;
    *idEnd = at + n;
    return true;
  }
  return false;
}

// \b((?:application|container|job|task|attempt|appattempt)_[\d_]+(?:_[mr]_[\d_]+)?)\b, with the
// regex's backtracking: the longest run first, the optional part tried before going without it.
const Word JOB_WORDS[] = {WORD("application", 0), WORD("container", 0), WORD("job", 0), WORD("task", 0), WORD("attempt", 0), WORD("appattempt", 0)};

inline int idRun(const uint8_t* s, int p, int to) {
  int e = p;
  while (e < to && (isDigit(s[e]) || s[e] == '_')) e++;
  return e - p;
}

bool jobId(const uint8_t* s, int from, int to, int* idStart, int* idEnd) {
  for (int p = from; p < to; p++) {
    uint8_t c = s[p];
    if ((c != 'a' && c != 'c' && c != 'j' && c != 't') || !wordStart(s, from, p)) continue;
    for (const Word& w : JOB_WORDS) {
      int n = w.length;
      if (p + n >= to || memcmp(s + p, w.text, n) != 0 || s[p + n] != '_') continue;
      int q = p + n + 1;
      for (int k = idRun(s, q, to); k >= 1; k--) {
        int e = q + k;
        if (e + 2 < to && s[e] == '_' && (s[e + 1] == 'm' || s[e + 1] == 'r') && s[e + 2] == '_') {
          int t = e + 3;
          for (int j = idRun(s, t, to); j >= 1; j--) {
            if (wordEnd(s, to, t + j)) {
              *idStart = p;
              *idEnd = t + j;
              return true;
            }
          }
        }
        if (wordEnd(s, to, e)) {
          *idStart = p;
          *idEnd = e;
          return true;
        }
      }
    }
  }
  return false;
}

// \b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b, case-insensitive.
bool uuid(const uint8_t* s, int from, int to, int* idStart, int* idEnd) {
  static const int groups[] = {8, 4, 4, 4, 12};
  // Found by their first `-`, which comes 8 after their start.
  for (int d = findEither(s, from + 8, to, '-', '-'); d + 28 <= to; d = findEither(s, d + 1, to, '-', '-')) {
    int p = d - 8;
    if (!isHex(s[p]) || !wordStart(s, from, p)) continue;
    int q = p;
    bool ok = true;
    for (int g = 0; g < 5 && ok; g++) {
      if (g > 0) ok = s[q++] == '-';
      for (int i = 0; i < groups[g] && ok; i++) ok = isHex(s[q++]);
    }
    if (ok && wordEnd(s, to, q)) {
      *idStart = p;
      *idEnd = q;
      return true;
    }
  }
  return false;
}

bool sessionId(int key, const uint8_t* s, int from, int to, int* idStart, int* idEnd) {
  switch (key) {
    case KEY_BLOCK: return blockId(s, from, to, idStart, idEnd);
    case KEY_REQUEST: return requestId(s, from, to, idStart, idEnd);
    case KEY_JOB: return jobId(s, from, to, idStart, idEnd);
    case KEY_UUID: return uuid(s, from, to, idStart, idEnd);
    default: return false;
  }
}

template <typename T>
bool arrayArg(napi_env env, napi_value value, napi_typedarray_type type, T** data, size_t* length) {
  void* raw;
  if (!typedArray(env, value, type, &raw, length)) return false;
  *data = static_cast<T*>(raw);
  return true;
}

}  // namespace

napi_value ScanHeads(napi_env env, napi_callback_info info) {
  napi_value argv[15];
  if (!callArgs(env, info, 15, argv)) return fail(env, "scanHeads: fifteen arguments");
  uint8_t *text, *stampText, *levels, *matched;
  int32_t *lineStarts, *recordLines, *layoutData, *cursor, *contentStart, *contentEnd, *sessionStart, *sessionEnd;
  double *stampData, *ts;
  size_t textLength, lineCount, records, layoutLength, stampLength, stampTextLength, cursorLength, n[7];
  int32_t count;
  if (!arrayArg(env, argv[0], napi_uint8_array, &text, &textLength) || !arrayArg(env, argv[1], napi_int32_array, &lineStarts, &lineCount) ||
      !arrayArg(env, argv[2], napi_int32_array, &recordLines, &records) || napi_get_value_int32(env, argv[3], &count) != napi_ok ||
      !arrayArg(env, argv[4], napi_int32_array, &layoutData, &layoutLength) || !arrayArg(env, argv[5], napi_float64_array, &stampData, &stampLength) ||
      !arrayArg(env, argv[6], napi_uint8_array, &stampText, &stampTextLength) || !arrayArg(env, argv[7], napi_int32_array, &cursor, &cursorLength) ||
      !arrayArg(env, argv[8], napi_float64_array, &ts, &n[0]) || !arrayArg(env, argv[9], napi_uint8_array, &levels, &n[1]) ||
      !arrayArg(env, argv[10], napi_int32_array, &contentStart, &n[2]) || !arrayArg(env, argv[11], napi_int32_array, &contentEnd, &n[3]) ||
      !arrayArg(env, argv[12], napi_uint8_array, &matched, &n[4]) || !arrayArg(env, argv[13], napi_int32_array, &sessionStart, &n[5]) ||
      !arrayArg(env, argv[14], napi_int32_array, &sessionEnd, &n[6])) {
    return fail(env, "scanHeads: an argument has the wrong type (see native/index.d.ts)");
  }
  if (count < 0 || (size_t)count > records || cursorLength < 2) return fail(env, "scanHeads: count or cursor out of range");
  for (size_t a : n) if (a < (size_t)count) return fail(env, "scanHeads: an output array is shorter than count");

  Layout L;
  if (layoutLength < (size_t)LAYOUT_HEAD) return fail(env, "scanHeads: layout too short");
  L.fixed = layoutData[0];
  L.max = layoutData[1];
  L.terminator = layoutData[2];
  L.key = layoutData[3];
  L.columns = layoutData[4];
  if (L.max < 1 || L.max > MAX_TOKENS || L.fixed < 0 || L.fixed > L.max || L.columns < 0 || L.columns > MAX_COLUMNS ||
      layoutLength < (size_t)(LAYOUT_HEAD + L.columns * LAYOUT_COLUMN)) {
    return fail(env, "scanHeads: layout out of range");
  }
  int spans = 0;
  for (int i = 0; i < L.columns; i++) {
    const int32_t* c = layoutData + LAYOUT_HEAD + i * LAYOUT_COLUMN;
    L.column[i] = {c[0], c[1], c[2], c[3]};
    if (c[1] < 1 || c[3] >= MAX_COLUMNS || (c[3] >= 0 && stampLength < (size_t)(c[3] + 1) * STAMP_FIELDS)) return fail(env, "scanHeads: column out of range");
    spans += c[1];
  }
  if (spans != L.fixed) return fail(env, "scanHeads: the columns' spans must add up to fixed");
  for (int i = 0; i < L.columns; i++) {
    int slot = L.column[i].slot;
    if (slot < 0) continue;
    const double* f = stampData + slot * STAMP_FIELDS;
    Stamp& st = L.stamp[slot];
    st.known = f[0] != 0;
    st.ms = f[1];
    st.fracAt = (int)f[2];
    st.fracLength = (int)f[3];
    st.secondMs = f[4];
    int start = (int)f[5];
    st.length = (int)f[6];
    if (st.known && (start < 0 || st.length < 0 || (size_t)(start + st.length) > stampTextLength || st.fracAt + st.fracLength > st.length)) {
      return fail(env, "scanHeads: stamp out of range");
    }
    st.text = stampText + (st.known ? start : 0);
  }

  int32_t r = cursor[0], line = cursor[1];
  for (; r < count; line += recordLines[r++]) {
    if (line < 0 || (size_t)line + 1 >= lineCount) return fail(env, "scanHeads: records run past lineStarts");
    int from = lineStarts[line], to = lineStarts[line + 1] - 1;
    if (from < 0 || to < from || (size_t)to > textLength) return fail(env, "scanHeads: a line lies outside the text");
    double t = NAN;
    uint8_t level = 0;
    int at = locate(L, text, from, to, &t, &level);
    if (at == STOP) break;
    int a = at < 0 ? from : at, b = to;
    while (a < b && text[a] <= 32) a++;
    while (b > a && text[b - 1] <= 32) b--;
    ts[r] = at < 0 ? NAN : t;
    levels[r] = at < 0 ? 0 : level;
    contentStart[r] = a;
    contentEnd[r] = b;
    matched[r] = at >= 0;
    int idStart, idEnd;
    if (L.key != KEY_NONE && sessionId(L.key, text, from, to, &idStart, &idEnd)) {
      sessionStart[r] = idStart;
      sessionEnd[r] = idEnd;
    }
  }
  cursor[0] = r;
  cursor[1] = line;
  napi_value result;
  napi_create_int32(env, r, &result);
  return result;
}
