// SPDX-License-Identifier: MIT
#include "widgets/results/verdict_banner.h"

#include "widgets/results/result_format.h"

#include <QLabel>
#include <QVBoxLayout>

namespace kf::widgets {

VerdictBanner::VerdictBanner(QWidget* parent)
    : QFrame(parent) {
    setObjectName(QStringLiteral("verdictBanner"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->setSpacing(2);
    m_headline = new QLabel(this);
    QFont f = m_headline->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_headline->setFont(f);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reasonsLabel = new QLabel(this);
    m_reasonsLabel->setWordWrap(true);
    m_reasonsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_flagsLabel = new QLabel(this);
    m_flagsLabel->setWordWrap(true);
    layout->addWidget(m_headline);
    layout->addWidget(m_reasonsLabel);
    layout->addWidget(m_flagsLabel);
    showIdle();
}

QString VerdictBanner::headline() const {
    return m_headline->text();
}

void VerdictBanner::paint(const QString& background, const QString& foreground) {
    setStyleSheet(QStringLiteral("#verdictBanner { background: %1; border-radius: 4px; }"
                                 "#verdictBanner QLabel { color: %2; background: transparent; }")
                      .arg(background, foreground));
}

void VerdictBanner::showIdle() {
    m_verdict.clear();
    m_reasons.clear();
    m_flags.clear();
    m_headline->setText(tr("No run yet: Compile & benchmark (Ctrl+B) runs the kernel"));
    m_reasonsLabel->hide();
    m_flagsLabel->hide();
    paint(QStringLiteral("#eceff1"), QStringLiteral("#37474f"));
}

void VerdictBanner::showRunning(const QString& what) {
    m_verdict.clear();
    m_reasons.clear();
    m_flags.clear();
    m_headline->setText(what);
    m_reasonsLabel->hide();
    m_flagsLabel->hide();
    paint(QStringLiteral("#e3f2fd"), QStringLiteral("#0d47a1"));
}

void VerdictBanner::showDone(const nlohmann::json& done, const QString& baselineName) {
    m_verdict = format::text(done, "verdict");
    m_reasons = format::strings(done.value("reasons", nlohmann::json::array()));
    m_flags = format::strings(done.value("flags", nlohmann::json::array()));
    QString text;
    if (m_verdict == QLatin1String("pass")) {
        text = tr("PASS");
        paint(QStringLiteral("#e8f5e9"), QStringLiteral("#1b5e20"));
    } else if (m_verdict == QLatin1String("fail")) {
        text = tr("FAIL");
        paint(QStringLiteral("#ffebee"), QStringLiteral("#b71c1c"));
    } else {
        text = tr("ERROR: the run could not decide");
        paint(QStringLiteral("#fff3e0"), QStringLiteral("#e65100"));
    }
    if (const auto s = format::number(done, "speedup")) {
        text += tr(" · %1 vs the %2 at the headline size").arg(format::ratio(s), baselineName);
        if (const auto g = format::number(done, "speedup_geomean")) {
            text += tr(" (geomean %1)").arg(format::ratio(g));
        }
    }
    m_headline->setText(text);
    m_reasonsLabel->setText(m_reasons.join(QLatin1Char('\n')));
    m_reasonsLabel->setVisible(!m_reasons.isEmpty());
    m_flagsLabel->setText(tr("Review flags: %1").arg(m_flags.join(QStringLiteral(", "))));
    m_flagsLabel->setVisible(!m_flags.isEmpty());
}

} // namespace kf::widgets
