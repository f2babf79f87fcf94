// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <optional>

namespace kf::widgets::format {

// Numbers of a run as the results view and the roofline show them. "—" stands for unknown.
inline const QString kUnknown = QStringLiteral("—");

std::optional<double> number(const nlohmann::json& object, const char* key);
QString micros(std::optional<double> us);         // "67.6", "3,006.9" (no unit)
QString rate(std::optional<double> perSec);       // GFLOP/s or GB/s: "2,482", "42.1", "0.03"
QString ratio(std::optional<double> x);           // "2.90×"
QString relError(std::optional<double> err);      // "2.76e-07"
QString seconds(double s);                        // "1.93 s", "12 ms"
QString percent(double p);                        // "93%", "0.4%"
QStringList strings(const nlohmann::json& array); // the strings of a JSON array; anything else skipped
QString text(const nlohmann::json& object, const char* key);

} // namespace kf::widgets::format
