// SPDX-License-Identifier: MIT
#include "widgets/results/result_format.h"

#include <QLocale>
#include <cmath>

namespace kf::widgets::format {

namespace {

QString fixed(double v, int decimals) {
    return QLocale().toString(v, 'f', decimals); // the default locale: the system's unless set
}

} // namespace

std::optional<double> number(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) {
        return std::nullopt;
    }
    const double v = it->get<double>();
    return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

QString micros(std::optional<double> us) {
    if (!us) {
        return kUnknown;
    }
    const double a = std::abs(*us);
    return fixed(*us, a < 10 ? 2 : 1);
}

QString rate(std::optional<double> v) {
    if (!v) {
        return kUnknown;
    }
    const double a = std::abs(*v);
    return fixed(*v, a >= 100 ? 0 : a >= 1 ? 1 : 2);
}

QString ratio(std::optional<double> x) {
    return x ? fixed(*x, *x >= 100 ? 0 : 2) + QStringLiteral("×") : kUnknown;
}

QString relError(std::optional<double> err) {
    return err ? QString::number(*err, 'e', 2) : kUnknown;
}

QString seconds(double s) {
    if (s < 1.0) {
        return fixed(s * 1e3, 0) + QStringLiteral(" ms");
    }
    return fixed(s, 2) + QStringLiteral(" s");
}

QString percent(double p) {
    return fixed(p, p < 10 ? 1 : 0) + QStringLiteral("%");
}

QStringList strings(const nlohmann::json& array) {
    QStringList out;
    if (array.is_array()) {
        for (const auto& s : array) {
            if (s.is_string()) {
                out << QString::fromStdString(s.get<std::string>());
            }
        }
    }
    return out;
}

QString text(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? QString::fromStdString(it->get<std::string>()) : QString();
}

} // namespace kf::widgets::format
