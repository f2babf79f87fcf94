// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>
#include <QStringList>
#include <nlohmann/json.hpp>

class QLabel;

namespace kf::widgets {

// The run's outcome at a glance: a coloured line with the verdict (pass, fail, error) and the headline
// speedup, the reasons under it, and the review flags (for a reviewer, never failures) beside them. While a
// run is in progress it says so.
class VerdictBanner : public QFrame {
    Q_OBJECT
public:
    explicit VerdictBanner(QWidget* parent = nullptr);

    void showIdle();
    void showRunning(const QString& what);
    // A `done` event; `baselineName` is "reference" or "baseline", as the speedup is measured against it.
    void showDone(const nlohmann::json& done, const QString& baselineName);

    QString verdict() const { return m_verdict; } // "pass", "fail", "error", "" (idle or running)
    QString headline() const;
    QStringList reasons() const { return m_reasons; }
    QStringList flags() const { return m_flags; }

private:
    void paint(const QString& background, const QString& foreground);

    QString m_verdict;
    QStringList m_reasons;
    QStringList m_flags;
    QLabel* m_headline = nullptr;
    QLabel* m_reasonsLabel = nullptr;
    QLabel* m_flagsLabel = nullptr;
};

} // namespace kf::widgets
