// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/compiler_diagnostic.h"

#include <nlohmann/json.hpp>

namespace kf::widgets {

QString CompilerDiagnostic::location() const {
    QString out = file;
    if (line > 0)
        out += QLatin1Char(':') + QString::number(line);
    if (line > 0 && column > 0)
        out += QLatin1Char(':') + QString::number(column);
    return out;
}

bool parseCompilerDiagnostics(const nlohmann::json& json, QList<CompilerDiagnostic>* out, QString* error) {
    const auto fail = [error](const QString& what) {
        if (error)
            *error = what;
        return false;
    };
    const nlohmann::json* list = &json;
    if (json.is_object()) {
        if (!json.contains("diagnostics"))
            return fail(QStringLiteral("compiled event: no \"diagnostics\" array"));
        list = &json.at("diagnostics");
    }
    if (!list->is_array())
        return fail(QStringLiteral("diagnostics: expected an array"));
    QList<CompilerDiagnostic> parsed;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& item = (*list)[i];
        const QString where = QStringLiteral("diagnostics[%1]").arg(i);
        if (!item.is_object())
            return fail(where + QStringLiteral(": expected an object"));
        CompilerDiagnostic d;
        for (const char* key : {"file", "severity", "message"}) {
            if (!item.contains(key) || !item.at(key).is_string()) {
                return fail(where + QLatin1Char('.') + QLatin1String(key) +
                            QStringLiteral(": expected a string"));
            }
        }
        for (const char* key : {"line", "col"}) {
            if (!item.contains(key) || !item.at(key).is_number_integer() ||
                item.at(key).get<long long>() < 0) {
                return fail(where + QLatin1Char('.') + QLatin1String(key) +
                            QStringLiteral(": expected a non-negative integer"));
            }
        }
        d.file = QString::fromStdString(item.at("file").get<std::string>());
        d.line = static_cast<int>(std::min<long long>(item.at("line").get<long long>(), INT32_MAX));
        d.column = static_cast<int>(std::min<long long>(item.at("col").get<long long>(), INT32_MAX));
        d.severity = severityFromName(QString::fromStdString(item.at("severity").get<std::string>()));
        d.message = QString::fromStdString(item.at("message").get<std::string>());
        parsed.push_back(d);
    }
    *out = parsed;
    return true;
}

} // namespace kf::widgets
