// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kf::spec {

// A muParser expression over a spec's integer params (flops, bytes, shape dims).
class Formula {
public:
    struct SyntaxError {
        std::size_t offset = 0; // character offset into the text
        std::string message;
    };

    // Parses `text`; never throws. Names that are not params are collected, not treated as a parse failure.
    Formula(std::string text, std::vector<std::string> params);
    ~Formula();
    Formula(Formula&&) noexcept;
    Formula& operator=(Formula&&) noexcept;

    const std::string& text() const { return m_text; }
    const std::optional<SyntaxError>& syntaxError() const { return m_syntax; }
    const std::vector<std::string>& unknownNames() const { return m_unknown; }
    bool ok() const { return !m_syntax && m_unknown.empty(); }

    // Value for one assignment of the params (same order as given to the constructor); nullopt with a reason
    // when the formula is not ok or the result is not finite.
    std::optional<double> evaluate(const std::vector<int64_t>& values, std::string* why = nullptr) const;

private:
    struct Impl;
    std::string m_text;
    std::vector<std::string> m_params;
    std::optional<SyntaxError> m_syntax;
    std::vector<std::string> m_unknown;
    std::unique_ptr<Impl> m_impl;
};

// Byte offset of the first whole-word occurrence of `name` in `text` (for pointing at an unknown name).
std::size_t findIdentifier(const std::string& text, const std::string& name);

} // namespace kf::spec
