// A template's parameters in one message of a batch's ASCII bytes: a port of the template regex
// `paramExtractor` builds (src/core/mine/params.ts): `^tok\s+tok…$` with the `s` flag, each `<*>`
// a lazy `(.*?)`, matched by backtracking in the regex's own order (a lazy group shortest first,
// `\s+` longest first), so the groups are the ones the regex captures. Each group that reads as a
// number (`parseNumber`, src/core/model/lines/param-stats.ts) also gets its value. Where the
// port does not answer (no match, a message past the regex's length cap, too many steps) it
// returns -1 and JavaScript extracts as before. A call per message costs little only with few
// arguments: the batch text and the output arrays are bound once a batch (`bindParams`), each
// template's program once (`paramProgram`), so `matchParams` takes three numbers. src/core/mine/param-matcher.test.ts holds the two
// together.
#include <node_api.h>
#include <stdint.h>
#include <string.h>
#include <cmath>
#include <vector>
#include "addon.h"

namespace {

enum Op { OP_LITERAL = 0, OP_GROUP = 1, OP_SPACES = 2 };

// params.ts MAX_MATCH_CHARS: past it the regex is not tried.
const int MAX_MATCH_CHARS = 8192;
// Backtracking is bounded: a pathological message is left to the regex (same answer, its cost).
const int MAX_STEPS = 1 << 16;
const int MAX_GROUPS = 256;
// Deeper than this, the recursion is left to the regex (a worker's stack is a few megabytes).
const int MAX_ELEMENTS = 2048;

struct Program {
  const int32_t* ops;  // per element: op, literal offset, literal length
  int count;
  const uint8_t* literals;
};

struct Match {
  const uint8_t* s;
  int end;
  int steps;
  int* starts;
  int* ends;
};

inline bool isJsSpace(uint8_t c) { return c == 32 || (c >= 9 && c <= 13); }

// Whether elements [i, count) match s[pos, end) exactly; fills the groups' spans on the way.
// -1: out of steps.
int matchFrom(const Program& p, Match& m, int i, int pos, int group) {
  if (++m.steps > MAX_STEPS) return -1;
  if (i == p.count) return pos == m.end ? 1 : 0;
  const int32_t* op = p.ops + 3 * i;
  switch (op[0]) {
    case OP_LITERAL: {
      int n = op[2];
      if (pos + n > m.end || memcmp(m.s + pos, p.literals + op[1], n) != 0) return 0;
      return matchFrom(p, m, i + 1, pos + n, group);
    }
    case OP_GROUP: {
      m.starts[group] = pos;
      // Shortest first, as `(.*?)` tries them; only where what follows can start (the regex
      // would fail at once everywhere else).
      if (i + 1 == p.count) {
        m.ends[group] = m.end;
        return 1;
      }
      const int32_t* next = op + 3;
      for (int k = pos; k <= m.end; k++) {
        if (next[0] == OP_LITERAL) {
          const void* at = memchr(m.s + k, p.literals[next[1]], m.end - k);
          if (at == nullptr) return 0;
          k = (int)(static_cast<const uint8_t*>(at) - m.s);
        } else if (next[0] == OP_SPACES) {
          while (k < m.end && !isJsSpace(m.s[k])) k++;
          if (k == m.end) return 0;
        }
        m.ends[group] = k;
        int r = matchFrom(p, m, i + 1, k, group + 1);
        if (r != 0) return r;
      }
      return 0;
    }
    default: {
      int run = 0;
      while (pos + run < m.end && isJsSpace(m.s[pos + run])) run++;
      for (int k = run; k >= 1; k--) {
        int r = matchFrom(p, m, i + 1, pos + k, group);
        if (r != 0) return r;
      }
      return 0;
    }
  }
}

const double POW10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

inline bool isDigit(uint8_t c) { return c >= 48 && c <= 57; }
inline uint8_t lower(uint8_t c) { return c >= 65 && c <= 90 ? c + 32 : c; }

// `parseNumber` of s[a, b): NaN where it is no number, +Infinity where JavaScript must parse it
// (more digits or a larger exponent than one exact operation covers: then one correctly rounded
// division or product gives what parseFloat gives).
double number(const uint8_t* s, int a, int b) {
  int i = a;
  bool negative = false;
  if (i < b && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  uint64_t mantissa = 0;
  int digits = 0, scale = 0, intStart = i;
  for (; i < b && isDigit(s[i]); i++, digits++) mantissa = mantissa * 10 + (s[i] - 48);
  if (i == intStart) return NAN;
  if (i + 1 < b && s[i] == '.' && isDigit(s[i + 1])) {
    for (i++; i < b && isDigit(s[i]); i++, digits++, scale--) mantissa = mantissa * 10 + (s[i] - 48);
  }
  if (i + 1 < b && lower(s[i]) == 'e') {
    int j = i + 1;
    bool down = false;
    if (j < b && (s[j] == '+' || s[j] == '-')) down = s[j++] == '-';
    if (j < b && isDigit(s[j])) {
      int exponent = 0;
      for (; j < b && isDigit(s[j]); j++) exponent = exponent < 10000 ? exponent * 10 + (s[j] - 48) : exponent;
      scale += down ? -exponent : exponent;
      i = j;
    }
  }
  // The unit, if any, must end the value.
  int unit = b - i;
  auto is = [&](const char* u) { return unit == (int)strlen(u) && (unit == 0 || (lower(s[i]) == u[0] && (unit == 1 || lower(s[i + 1]) == u[1]))); };
  if (!(is("") || is("ms") || is("us") || is("ns") || is("s") || is("kb") || is("mb") || is("gb") || is("b") || is("%"))) return NAN;
  // Up to 19 digits fit the mantissa; up to 2^53 it is exact as a double.
  if (digits > 19 || mantissa > (1ull << 53) || scale < -22 || scale > 22) return INFINITY;
  double value = (double)mantissa;
  value = scale < 0 ? value / POW10[-scale] : value * POW10[scale];
  if (!std::isfinite(value)) return INFINITY;
  return negative ? -value : value;
}

// What a thread's calls share (one per Node-API environment: each worker has its own): the bound
// batch text and output arrays, held by references so they outlive the call, and the programs.
struct State {
  napi_ref refs[3] = {nullptr, nullptr, nullptr};
  const uint8_t* text = nullptr;
  size_t textLength = 0;
  int32_t* spans = nullptr;
  double* numbers = nullptr;
  size_t groupRoom = 0;
  // A template's program, as `paramProgram` was given it, and its number of parameters.
  struct Stored {
    std::vector<int32_t> ops;
    std::vector<uint8_t> literals;
    int groups;
  };
  std::vector<Stored> programs;
};

State* state(napi_env env) {
  void* data = nullptr;
  if (napi_get_instance_data(env, &data) == napi_ok && data != nullptr) return static_cast<State*>(data);
  State* created = new State();
  napi_set_instance_data(env, created, [](napi_env, void* d, void*) { delete static_cast<State*>(d); }, nullptr);
  return created;
}

}  // namespace

napi_value BindParams(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!callArgs(env, info, 3, argv)) return fail(env, "bindParams: three arguments");
  void *text, *spans, *numbers;
  size_t textLength, spansLength, numbersLength;
  if (!typedArray(env, argv[0], napi_uint8_array, &text, &textLength) || !typedArray(env, argv[1], napi_int32_array, &spans, &spansLength) ||
      !typedArray(env, argv[2], napi_float64_array, &numbers, &numbersLength)) {
    return fail(env, "bindParams: text must be a Uint8Array, spans an Int32Array, numbers a Float64Array");
  }
  State* st = state(env);
  for (int i = 0; i < 3; i++) {
    if (st->refs[i] != nullptr) napi_delete_reference(env, st->refs[i]);
    napi_create_reference(env, argv[i], 1, &st->refs[i]);
  }
  st->text = static_cast<const uint8_t*>(text);
  st->textLength = textLength;
  st->spans = static_cast<int32_t*>(spans);
  st->numbers = static_cast<double*>(numbers);
  st->groupRoom = spansLength / 2 < numbersLength ? spansLength / 2 : numbersLength;
  return nullptr;
}

napi_value ParamProgram(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!callArgs(env, info, 2, argv)) return fail(env, "paramProgram: two arguments");
  void *opsData, *literals;
  size_t opsLength, literalsLength;
  if (!typedArray(env, argv[0], napi_int32_array, &opsData, &opsLength) || !typedArray(env, argv[1], napi_uint8_array, &literals, &literalsLength)) {
    return fail(env, "paramProgram: ops must be an Int32Array, literals a Uint8Array");
  }
  const int32_t* ops = static_cast<const int32_t*>(opsData);
  int groups = 0;
  if (opsLength % 3 != 0) return fail(env, "paramProgram: ops come in threes");
  for (size_t i = 0; i < opsLength; i += 3) {
    if (ops[i] == OP_GROUP) groups++;
    else if (ops[i] == OP_LITERAL && (ops[i + 1] < 0 || ops[i + 2] <= 0 || (size_t)(ops[i + 1] + ops[i + 2]) > literalsLength)) return fail(env, "paramProgram: a literal lies outside the literals");
    else if (ops[i] != OP_LITERAL && ops[i] != OP_SPACES) return fail(env, "paramProgram: unknown op");
  }
  if (groups > MAX_GROUPS) return fail(env, "paramProgram: too many groups");
  State* st = state(env);
  const uint8_t* bytes = static_cast<const uint8_t*>(literals);
  st->programs.push_back({std::vector<int32_t>(ops, ops + opsLength), std::vector<uint8_t>(bytes, bytes + literalsLength), groups});
  napi_value out;
  napi_create_int32(env, (int32_t)st->programs.size() - 1, &out);
  return out;
}

napi_value MatchParams(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t id, start, end;
  if (!callArgs(env, info, 3, argv) || napi_get_value_int32(env, argv[0], &id) != napi_ok || napi_get_value_int32(env, argv[1], &start) != napi_ok ||
      napi_get_value_int32(env, argv[2], &end) != napi_ok) {
    return fail(env, "matchParams: a program and a range");
  }
  State* st = state(env);
  if (id < 0 || (size_t)id >= st->programs.size() || st->text == nullptr || start < 0 || end < start || (size_t)end > st->textLength) {
    return fail(env, "matchParams: unknown program, nothing bound, or range outside the text");
  }
  const State::Stored& stored = st->programs[id];
  Program p{stored.ops.data(), (int)(stored.ops.size() / 3), stored.literals.data()};
  int groups = stored.groups;
  int result = -1;
  if ((size_t)groups <= st->groupRoom && end - start <= MAX_MATCH_CHARS && p.count <= MAX_ELEMENTS) {
    int starts[MAX_GROUPS], ends[MAX_GROUPS];
    Match m{st->text, end, 0, starts, ends};
    if (matchFrom(p, m, 0, start, 0) == 1) {
      for (int g = 0; g < groups; g++) {
        st->spans[2 * g] = starts[g];
        st->spans[2 * g + 1] = ends[g];
        st->numbers[g] = number(m.s, starts[g], ends[g]);
      }
      result = groups;
    }
  }
  napi_value out;
  napi_create_int32(env, result, &out);
  return out;
}
