// SPDX-License-Identifier: MIT
#include "widgets/dataset/review_format.h"

#include <QCoreApplication>
#include <QDateTime>

namespace kf::widgets::review_format {

namespace {

// Mid-tone colours, legible on the light and the dark theme alike.
const QColor kGood(0x2f, 0x9e, 0x44);
const QColor kBad(0xd6, 0x45, 0x45);
const QColor kWarn(0xd0, 0x8a, 0x1a);

} // namespace

QString statusText(const std::string& review_status) {
    return review_status.empty() ? QCoreApplication::translate("kf::widgets", "unreviewed")
                                 : QString::fromStdString(review_status);
}

QString speedupText(double speedup) {
    return speedup < 0.0 ? QStringLiteral("–") : QString::number(speedup, 'f', 2) + QStringLiteral("×");
}

QString timeText(const std::string& iso_utc) {
    const auto text = QString::fromStdString(iso_utc);
    const auto t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : text;
}

QVariant statusColor(const std::string& review_status) {
    if (review_status == "accepted") {
        return kGood;
    }
    if (review_status == "rejected") {
        return kBad;
    }
    if (review_status == "needs-work") {
        return kWarn;
    }
    return {};
}

QVariant verdictColor(const std::string& verdict) {
    if (verdict == "pass") {
        return kGood;
    }
    if (verdict == "fail" || verdict == "error") {
        return kBad;
    }
    return {};
}

} // namespace kf::widgets::review_format
