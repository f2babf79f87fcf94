// SPDX-License-Identifier: MIT
#pragma once

#include "turn.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

struct Price {
    std::string match;         // model id prefix
    double input = 0.0;        // USD per million input tokens
    double output = 0.0;       // USD per million output tokens (thinking included)
    double cache_write = 1.25; // multiple of the input price
    double cache_read = 0.1;   // multiple of the input price
};

// resources/teacher/prices.json, or a user's file of the same form.
class PriceTable {
public:
    static PriceTable parse(const nlohmann::json& j); // throws std::runtime_error naming the bad entry
    static const PriceTable& builtin();

    // The entry with the longest prefix of `model`, if any.
    std::optional<Price> find(std::string_view model) const;
    const std::string& asOf() const { return m_as_of; }

private:
    std::vector<Price> m_prices;
    std::string m_as_of;
};

std::string_view builtinPriceTableJson(); // generated from resources/teacher/prices.json

// USD for a turn's usage; nullopt when a counter is missing (a cancelled stream) or the model has no price.
std::optional<double> turnCost(const Usage& u, const Price& p);

} // namespace kf::teacher
