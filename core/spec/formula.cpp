// SPDX-License-Identifier: MIT
#include "formula.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <muParser.h>
#include <regex>

namespace kf::spec {

struct Formula::Impl {
    mu::Parser parser;
    std::vector<double> slots; // muParser binds variables by address
};

Formula::Formula(std::string text, std::vector<std::string> params)
    : m_text(std::move(text))
    , m_params(std::move(params))
    , m_impl(std::make_unique<Impl>()) {
    const auto first = m_text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        m_syntax = SyntaxError{0, "the formula is empty"};
        return;
    }
    try {
        m_impl->parser.SetExpr(m_text);
        // With no variables defined yet, GetUsedVar lists every name the expression uses.
        for (const auto& [name, ptr] : m_impl->parser.GetUsedVar()) {
            (void)ptr;
            if (std::find(m_params.begin(), m_params.end(), name) == m_params.end()) {
                m_unknown.push_back(name);
            }
        }
        m_impl->slots.assign(m_params.size(), 0.0);
        for (std::size_t i = 0; i < m_params.size(); ++i) {
            m_impl->parser.DefineVar(m_params[i], &m_impl->slots[i]);
        }
    } catch (const mu::Parser::exception_type& e) {
        // The caller reports a line and column, so muParser's own "at position N" would only confuse.
        static const std::regex position_suffix("( found)? at position [0-9]+\\.?$");
        const auto pos = static_cast<std::size_t>(std::max(0, e.GetPos()));
        m_syntax = SyntaxError{std::min(pos, m_text.size()), std::regex_replace(e.GetMsg(), position_suffix, "")};
    }
}

Formula::~Formula() = default;
Formula::Formula(Formula&&) noexcept = default;
Formula& Formula::operator=(Formula&&) noexcept = default;

std::optional<double> Formula::evaluate(const std::vector<int64_t>& values, std::string* why) const {
    const auto fail = [why](std::string reason) -> std::optional<double> {
        if (why) {
            *why = std::move(reason);
        }
        return std::nullopt;
    };
    if (!ok()) {
        return fail("the formula does not parse");
    }
    if (values.size() != m_params.size()) {
        return fail("expected " + std::to_string(m_params.size()) + " param values");
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        m_impl->slots[i] = static_cast<double>(values[i]);
    }
    try {
        const double v = m_impl->parser.Eval();
        if (!std::isfinite(v)) {
            return fail("it evaluates to " + std::string(std::isnan(v) ? "NaN" : "infinity"));
        }
        return v;
    } catch (const mu::Parser::exception_type& e) {
        return fail(e.GetMsg());
    }
}

std::size_t findIdentifier(const std::string& text, const std::string& name) {
    const auto is_ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (auto pos = text.find(name); pos != std::string::npos; pos = text.find(name, pos + 1)) {
        const bool left_ok = pos == 0 || !is_ident(text[pos - 1]);
        const bool right_ok = pos + name.size() >= text.size() || !is_ident(text[pos + name.size()]);
        if (left_ok && right_ok) {
            return pos;
        }
    }
    return 0;
}

} // namespace kf::spec
