// SPDX-License-Identifier: MIT
#include "pricing.h"

#include <stdexcept>

namespace kf::teacher {

PriceTable PriceTable::parse(const nlohmann::json& j) {
    if (!j.is_object() || j.value("format", "") != "kernelforge.prices/1" || !j.contains("models") ||
        !j["models"].is_array()) {
        throw std::runtime_error(
            "a price table is {\"format\": \"kernelforge.prices/1\", \"models\": [...]}");
    }
    PriceTable t;
    t.m_as_of = j.value("as_of", "");
    const auto& models = j["models"];
    for (std::size_t i = 0; i < models.size(); ++i) {
        const auto& m = models[i];
        const auto where = "models[" + std::to_string(i) + "]";
        if (!m.is_object() || !m.contains("match") || !m["match"].is_string() || !m.contains("input") ||
            !m["input"].is_number() || !m.contains("output") || !m["output"].is_number()) {
            throw std::runtime_error(where +
                                     ": needs \"match\" (string), \"input\" and \"output\" (numbers)");
        }
        Price p{m["match"].get<std::string>(), m["input"].get<double>(), m["output"].get<double>(),
                m.value("cache_write", 1.25), m.value("cache_read", 0.1)};
        if (p.input < 0 || p.output < 0 || p.cache_write < 0 || p.cache_read < 0) {
            throw std::runtime_error(where + ": prices must be >= 0");
        }
        t.m_prices.push_back(std::move(p));
    }
    return t;
}

const PriceTable& PriceTable::builtin() {
    static const PriceTable table = parse(nlohmann::json::parse(builtinPriceTableJson()));
    return table;
}

std::optional<Price> PriceTable::find(std::string_view model) const {
    const Price* best = nullptr;
    for (const auto& p : m_prices) {
        if (model.starts_with(p.match) && (!best || p.match.size() > best->match.size())) {
            best = &p;
        }
    }
    return best ? std::optional<Price>(*best) : std::nullopt;
}

std::optional<double> turnCost(const Usage& u, const Price& p) {
    if (u.input_tokens < 0 || u.output_tokens < 0) {
        return std::nullopt;
    }
    const auto count = [](int64_t v) { return v < 0 ? 0.0 : static_cast<double>(v); };
    const double input = count(u.input_tokens) * p.input +
                         count(u.cache_write_tokens) * p.input * p.cache_write +
                         count(u.cache_read_tokens) * p.input * p.cache_read;
    return (input + count(u.output_tokens) * p.output) / 1e6;
}

} // namespace kf::teacher
