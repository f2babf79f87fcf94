// SPDX-License-Identifier: MIT
#include "widgets/dataset/dataset_filter_bar.h"

#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTimer>

namespace kf::widgets {

namespace {

// A combo whose items carry the filter value as data ("" = any).
QComboBox* choices(QWidget* parent, const QList<QPair<QString, QString>>& items) {
    auto* combo = new QComboBox(parent);
    for (const auto& [text, value] : items) {
        combo->addItem(text, value);
    }
    return combo;
}

} // namespace

DatasetFilterBar::DatasetFilterBar(QWidget* parent)
    : QWidget(parent) {
    m_spec = new QComboBox(this);
    m_spec->addItem(tr("Any spec"), QString());
    m_spec->setMinimumContentsLength(16);
    m_spec->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_status = choices(this, {{tr("Any review"), {}},
                              {tr("Unreviewed"), QStringLiteral("unreviewed")},
                              {tr("Accepted"), QStringLiteral("accepted")},
                              {tr("Needs work"), QStringLiteral("needs-work")},
                              {tr("Rejected"), QStringLiteral("rejected")}});
    m_verdict = choices(this, {{tr("Any verdict"), {}},
                               {tr("Pass"), QStringLiteral("pass")},
                               {tr("Fail"), QStringLiteral("fail")},
                               {tr("Error"), QStringLiteral("error")},
                               {tr("Not run"), QStringLiteral("none")}});
    m_provider = choices(this, {{tr("Any provider"), {}},
                                {QStringLiteral("anthropic"), QStringLiteral("anthropic")},
                                {QStringLiteral("openai"), QStringLiteral("openai")},
                                {QStringLiteral("ollama"), QStringLiteral("ollama")},
                                {QStringLiteral("human"), QStringLiteral("human")}});
    // Days back from now; "" = any time.
    m_age = choices(this, {{tr("Any time"), {}},
                           {tr("Last 24 hours"), QStringLiteral("1")},
                           {tr("Last 7 days"), QStringLiteral("7")},
                           {tr("Last 30 days"), QStringLiteral("30")},
                           {tr("Last year"), QStringLiteral("365")}});
    m_model = new QLineEdit(this);
    m_model->setPlaceholderText(tr("Model prefix"));
    m_model->setClearButtonEnabled(true);
    m_minSpeedup = new QDoubleSpinBox(this);
    m_minSpeedup->setRange(0.0, 1000.0);
    m_minSpeedup->setDecimals(2);
    m_minSpeedup->setSingleStep(0.1);
    m_minSpeedup->setSuffix(QStringLiteral("×"));
    m_minSpeedup->setSpecialValueText(tr("any speedup"));
    m_minSpeedup->setToolTip(tr("Only attempts whose latest run is at least this fast against the baseline"));
    m_search = new QLineEdit(this);
    m_search->setPlaceholderText(tr("Search reasoning, answers and code (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(tr("Full-text search (FTS5 syntax: words, \"phrases\", prefix*, AND/OR/NOT)"));

    m_typing = new QTimer(this);
    m_typing->setSingleShot(true);
    m_typing->setInterval(kTypingDelayMs);
    connect(m_typing, &QTimer::timeout, this, &DatasetFilterBar::filterChanged);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    connect(m_model, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    // Enter applies at once.
    const auto now = [this] {
        m_typing->stop();
        emit filterChanged();
    };
    connect(m_search, &QLineEdit::returnPressed, this, now);
    connect(m_model, &QLineEdit::returnPressed, this, now);
    for (QComboBox* c : {m_spec, m_status, m_verdict, m_provider, m_age}) {
        connect(c, &QComboBox::currentIndexChanged, this, now);
    }
    connect(m_minSpeedup, &QDoubleSpinBox::valueChanged, m_typing, qOverload<>(&QTimer::start));

    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_search, 0, 0, 1, 4);
    grid->addWidget(m_spec, 0, 4, 1, 2);
    grid->addWidget(m_status, 1, 0);
    grid->addWidget(m_verdict, 1, 1);
    grid->addWidget(m_provider, 1, 2);
    grid->addWidget(m_model, 1, 3);
    grid->addWidget(m_age, 1, 4);
    grid->addWidget(m_minSpeedup, 1, 5);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(2, 1);
    grid->setColumnStretch(3, 2);
}

void DatasetFilterBar::setSpecIds(const QStringList& ids) {
    const QString chosen = m_spec->currentData().toString();
    const QSignalBlocker block(m_spec);
    m_spec->clear();
    m_spec->addItem(tr("Any spec"), QString());
    for (const auto& id : ids) {
        m_spec->addItem(id, id);
    }
    const int at = m_spec->findData(chosen);
    m_spec->setCurrentIndex(std::max(at, 0));
    if (at < 0 && !chosen.isEmpty()) {
        emit filterChanged(); // the chosen spec is gone: the listing widens to every spec
    }
}

kf::dataset::AttemptFilter DatasetFilterBar::filter() const {
    kf::dataset::AttemptFilter f;
    f.spec_id = m_spec->currentData().toString().toStdString();
    f.review_status = m_status->currentData().toString().toStdString();
    f.verdict = m_verdict->currentData().toString().toStdString();
    f.provider = m_provider->currentData().toString().toStdString();
    f.model = m_model->text().trimmed().toStdString();
    if (const int days = m_age->currentData().toString().toInt(); days > 0) {
        f.since = QDateTime::currentDateTimeUtc().addDays(-days).toString(Qt::ISODate).toStdString();
    }
    f.min_speedup = m_minSpeedup->value() > 0.0 ? m_minSpeedup->value() : -1.0;
    f.search = m_search->text().trimmed().toStdString();
    return f;
}

} // namespace kf::widgets
