// SPDX-License-Identifier: MIT
// Real nvcc 13 output recorded by fixtures/make_fixtures.sh, with the sources it was made from.
#pragma once

#include "gpu/compile/diagnostic_parser.h"

#include <fstream>
#include <sstream>
#include <string>

namespace kf::gpu::compile::test {

inline std::string readFixture(const std::string& file) {
    std::ifstream in(std::string(KF_COMPILE_FIXTURES) + "/" + file, std::ios::binary);
    if (!in) {
        throw std::runtime_error("missing fixture " + file);
    }
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The log of one case and its source under the name nvcc's messages use.
struct Fixture {
    std::string log;
    SourceTexts sources;
};

inline Fixture fixture(const std::string& name, const std::string& log_suffix = ".log") {
    return {readFixture(name + log_suffix), {{name + ".cu", readFixture(name + ".cu")}}};
}

// 1-based line `line` of `text`.
inline std::string lineOf(const std::string& text, int line) {
    std::istringstream in(text);
    std::string l;
    for (int i = 0; i < line && std::getline(in, l); ++i) {
    }
    return l;
}

} // namespace kf::gpu::compile::test
