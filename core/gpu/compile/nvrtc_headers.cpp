// SPDX-License-Identifier: MIT
#include "nvrtc_headers.h"

namespace kf::gpu::compile {
namespace {

// libcu++ defines the fixed-width types at global scope under NVRTC (int64_t is long long there, long for
// g++: the same size, and kernels are found by NVRTC's own names for them, so the spelling does not matter).
const char* const kStdint = R"(#pragma once
#include <cuda/std/cstdint>
namespace std {
using ::int8_t; using ::int16_t; using ::int32_t; using ::int64_t; using ::uint8_t; using ::uint16_t;
using ::uint32_t; using ::uint64_t; using ::intptr_t; using ::uintptr_t; using ::intmax_t; using ::uintmax_t;
}
)";

// NVRTC declares the math functions (float and double overloads) at global scope; libcu++'s <cuda/std/cmath>
// costs 1-2 s a compile, so std:: names them by using-declarations. INFINITY and NAN are constant
// expressions, as glibc's are: with __int_as_float instead, the softmax gold kernel came out with other
// registers and 2.9 % slower than nvcc's build of it (tests/bench/gpu/build_ab.py on an H200).
const char* const kCmath = R"(#pragma once
#ifndef INFINITY
#define INFINITY (__builtin_bit_cast(float, 0x7f800000u))
#endif
#ifndef NAN
#define NAN (__builtin_bit_cast(float, 0x7fc00000u))
#endif
#ifndef HUGE_VALF
#define HUGE_VALF INFINITY
#endif
#ifndef HUGE_VAL
#define HUGE_VAL (__builtin_bit_cast(double, 0x7ff0000000000000ull))
#endif
namespace std { using ::abs; using ::fabs; using ::exp; using ::exp2; using ::expm1; using ::log;
 using ::log2; using ::log10; using ::log1p; using ::pow; using ::sqrt; using ::cbrt; using ::sin;
 using ::cos; using ::tan; using ::asin; using ::acos; using ::atan; using ::atan2; using ::sinh;
 using ::cosh; using ::tanh; using ::asinh; using ::acosh; using ::atanh; using ::erf; using ::erfc;
 using ::tgamma; using ::lgamma; using ::floor; using ::ceil; using ::round; using ::trunc; using ::fmod;
 using ::remainder; using ::fmin; using ::fmax; using ::fma; using ::isnan; using ::isinf; using ::isfinite;
 using ::signbit; using ::copysign; using ::hypot; using ::ldexp; using ::frexp; using ::modf;
 using ::nearbyint; using ::rint; using ::lround; using ::llround; using ::lrint; using ::llrint;
 using ::fdim; using ::scalbn; using ::ilogb; using ::logb; using ::nextafter; using ::remquo; }
#define M_E 2.7182818284590452354
#define M_LOG2E 1.4426950408889634074
#define M_LOG10E 0.43429448190325182765
#define M_LN2 0.69314718055994530942
#define M_LN10 2.30258509299404568402
#define M_PI 3.14159265358979323846
#define M_PI_2 1.57079632679489661923
#define M_PI_4 0.78539816339744830962
#define M_1_PI 0.31830988618379067154
#define M_2_PI 0.63661977236758134308
#define M_2_SQRTPI 1.12837916709551257390
#define M_SQRT2 1.41421356237309504880
#define M_SQRT1_2 0.70710678118654752440
)";

const char* const kCfloat = R"(#pragma once
#define FLT_MAX __FLT_MAX__
#define FLT_MIN __FLT_MIN__
#define FLT_EPSILON __FLT_EPSILON__
#define FLT_MANT_DIG __FLT_MANT_DIG__
#define FLT_DIG __FLT_DIG__
#define FLT_TRUE_MIN __FLT_DENORM_MIN__
#define DBL_MAX __DBL_MAX__
#define DBL_MIN __DBL_MIN__
#define DBL_EPSILON __DBL_EPSILON__
#define DBL_MANT_DIG __DBL_MANT_DIG__
#define DBL_DIG __DBL_DIG__
#define DBL_TRUE_MIN __DBL_DENORM_MIN__
)";

const char* const kClimits = "#pragma once\n#include <cuda/std/climits>\n";
const char* const kCstddef = "#pragma once\n#include <cuda/std/cstddef>\n"
                             "namespace std { using cuda::std::size_t; using cuda::std::ptrdiff_t; "
                             "using cuda::std::nullptr_t; }\n";
const char* const kLimits =
    "#pragma once\n#include <cuda/std/limits>\nnamespace std { using cuda::std::numeric_limits; }\n";
const char* const kTypeTraits =
    "#pragma once\n#include <cuda/std/type_traits>\nnamespace std { using namespace cuda::std; }\n";
const char* const kUtility =
    "#pragma once\n#include <cuda/std/utility>\nnamespace std { using namespace cuda::std; }\n";
const char* const kArray =
    "#pragma once\n#include <cuda/std/array>\nnamespace std { using cuda::std::array; }\n";
// Declared by NVRTC itself (printf, assert, malloc, memcpy, memset), or host-only. <algorithm>'s std::min and
// std::max are host functions to nvcc too (device code calls ::min and ::max).
const char* const kEmpty = "#pragma once\n";

} // namespace

const std::vector<std::pair<std::string, std::string>>& nvrtcStandardHeaders() {
    static const std::vector<std::pair<std::string, std::string>> headers = {
        {"cstdint", kStdint},  {"stdint.h", kStdint},  {"cmath", kCmath},     {"math.h", kCmath},
        {"cfloat", kCfloat},   {"float.h", kCfloat},   {"climits", kClimits}, {"limits.h", kClimits},
        {"cstddef", kCstddef}, {"stddef.h", kCstddef}, {"limits", kLimits},   {"type_traits", kTypeTraits},
        {"utility", kUtility}, {"array", kArray},      {"algorithm", kEmpty}, {"cstdio", kEmpty},
        {"stdio.h", kEmpty},   {"cstdlib", kEmpty},    {"stdlib.h", kEmpty},  {"cstring", kEmpty},
        {"string.h", kEmpty},  {"cassert", kEmpty},    {"assert.h", kEmpty},  {"vector", kEmpty},
        {"string", kEmpty},    {"iostream", kEmpty},   {"memory", kEmpty},    {"stdexcept", kEmpty},
        {"mutex", kEmpty},
    };
    return headers;
}

std::string nvrtcPrelude() {
    // The fast build's device pass compiles with -default-device (NVRTC allows no host functions), so removed
    // host bodies are device functions that call this, which is declared and never defined: a kernel that
    // reaches one (a body wrongly taken for host-only) fails to link in ptxas; unreached ones are dropped.
    return "extern __device__ void kf_removed_host_body();\n";
}

} // namespace kf::gpu::compile
