// SPDX-License-Identifier: MIT
#include "widgets/dataset/review_store.h"

#include "core/dataset/near_duplicates.h"
#include "widgets/dataset/review_format.h"

#include <QCoreApplication>
#include <QStringList>

namespace kf::widgets {

using kf::dataset::Store;

namespace {

QString noAttempt(qint64 id, const std::string& path) {
    return QCoreApplication::translate("kf::widgets", "No attempt %1 in %2")
        .arg(id)
        .arg(QString::fromStdString(path));
}

} // namespace

QString nearDuplicatesLine(const Store& store, const ReviewInfo& info) {
    if (info.kernel_id == 0) {
        return {};
    }
    const auto found =
        kf::dataset::nearDuplicates(store, info.spec_hash, info.kernel_source, 0.8, info.kernel_id);
    if (found.empty()) {
        return {};
    }
    QStringList parts;
    for (size_t i = 0; i < found.size() && i < 5; ++i) {
        const auto& n = found[i];
        const QString pct = QString::number(100.0 * n.similarity, 'f', 0) + QLatin1Char('%');
        parts << (n.kernel.attempt_id ? QStringLiteral("kernel %1 (attempt %2, %3)")
                                            .arg(n.kernel.id)
                                            .arg(*n.kernel.attempt_id)
                                            .arg(pct)
                                      : QStringLiteral("kernel %1 (%2)").arg(n.kernel.id).arg(pct));
    }
    QString line = QCoreApplication::translate("kf::widgets", "Near duplicates of kernel %1: %2")
                       .arg(info.kernel_id)
                       .arg(parts.join(QStringLiteral(", ")));
    if (found.size() > 5) {
        line += QCoreApplication::translate("kf::widgets", " and %1 more").arg(found.size() - 5);
    }
    return line;
}

ReviewInfo readReviewInfo(const Store& store, qint64 id) {
    const auto d = store.attempt(id);
    if (!d) {
        throw kf::dataset::StoreError(noAttempt(id, store.path()).toStdString());
    }
    const auto& a = d->attempt;
    ReviewInfo info;
    info.id = id;
    info.title = QStringLiteral("Attempt %1 · %2").arg(id).arg(QString::fromStdString(d->spec.spec_id));
    QStringList sub{QString::fromStdString(a.provider + "/" + a.model), QString::fromStdString(a.status),
                    review_format::timeText(a.created_at)};
    if (d->runs.empty()) {
        sub << QCoreApplication::translate("kf::widgets", "not run");
    } else {
        const auto& r = d->runs.back();
        sub << QString::fromStdString(r.verdict) + QStringLiteral(" ") +
                   review_format::speedupText(r.speedup);
    }
    sub << (d->kernels.size() == 1
                ? QCoreApplication::translate("kf::widgets", "1 kernel")
                : QCoreApplication::translate("kf::widgets", "%1 kernels").arg(d->kernels.size()));
    info.subtitle = sub.join(QStringLiteral(" · "));
    info.reviews = d->reviews;
    info.spec_hash = d->spec.hash;
    if (!d->kernels.empty()) {
        info.kernel_id = d->kernels.back().id;
        info.kernel_source = d->kernels.back().source;
    }
    return info;
}

QString writeReview(std::optional<Store>& store, const std::string& path, qint64 id,
                    const kf::dataset::ReviewRecord& review) {
    try {
        if (!store) {
            store.emplace(Store::open(path));
        }
        const auto d = store->attempt(id);
        if (!d) {
            return noAttempt(id, path);
        }
        kf::dataset::ReviewRecord r = review;
        r.attempt_id = id;
        if (!d->kernels.empty()) {
            r.kernel_id = d->kernels.back().id; // the kernel reviewed: the attempt's latest
        }
        store->addReview(r);
        return {};
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
}

} // namespace kf::widgets
