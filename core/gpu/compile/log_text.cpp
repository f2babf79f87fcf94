// SPDX-License-Identifier: MIT
#include "log_text.h"

namespace kf::gpu::compile {
namespace {

// Length of the well-formed UTF-8 sequence at s[i], or 0.
std::size_t sequenceLength(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xbf;
    if (c < 0x80) {
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        lo = c == 0xe0 ? 0xa0 : 0x80; // no overlong forms
        hi = c == 0xed ? 0x9f : 0xbf; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        lo = c == 0xf0 ? 0x90 : 0x80;
        hi = c == 0xf4 ? 0x8f : 0xbf; // nothing past U+10FFFF
    } else {
        return 0;
    }
    if (i + n > s.size() || byte(i + 1) < lo || byte(i + 1) > hi) {
        return 0;
    }
    for (std::size_t k = 2; k < n; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xbf) {
            return 0;
        }
    }
    return n;
}

} // namespace

std::string validUtf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t n = sequenceLength(text, i);
        if (n == 0) {
            out += "\xef\xbf\xbd";
            ++i;
        } else {
            out.append(text.substr(i, n));
            i += n;
        }
    }
    return out;
}

std::string boundedLog(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) {
        return std::string(text);
    }
    std::size_t head = limit / 4 * 3;
    std::size_t tail_start = text.size() - (limit - head);
    if (const auto nl = text.rfind('\n', head); nl != std::string_view::npos && nl > head / 2) {
        head = nl + 1;
    }
    if (const auto nl = text.find('\n', tail_start); nl != std::string_view::npos && nl < text.size() - 1) {
        tail_start = nl + 1;
    }
    return std::string(text.substr(0, head)) + "[... " + std::to_string(tail_start - head) +
           " bytes of compiler output left out ...]\n" + std::string(text.substr(tail_start));
}

} // namespace kf::gpu::compile
