// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace kf::gpu::compile {

// "_Z3bigPKfPfl" -> "big(float const*, float*, long)"; a name that is not mangled (extern "C") comes back as
// is.
std::string demangle(std::string_view mangled);

// A kernel's name as people write it: "void softmax_rows<256>(float const*, float*, long)" ->
// "softmax_rows<256>" (the return type and the parameter list dropped; templates and namespaces kept).
std::string kernelShortName(std::string_view demangled);

// Every quoted mangled name in a tool's message ('_Z3bigPKfPfl') replaced by its demangled form.
std::string demangleQuotedNames(std::string_view message);

} // namespace kf::gpu::compile
