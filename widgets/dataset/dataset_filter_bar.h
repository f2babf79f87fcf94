// SPDX-License-Identifier: MIT
#pragma once

#include "core/dataset/records.h"

#include <QStringList>
#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QTimer;

namespace kf::widgets {

// The dataset browser's filters: spec, review status, verdict, provider, model prefix, age, minimum speedup
// and a full-text search. Choices apply at once; typing (search, model) applies after a short pause, so
// that a query does not start per keystroke.
class DatasetFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit DatasetFilterBar(QWidget* parent = nullptr);

    kf::dataset::AttemptFilter filter() const;

    // The spec ids offered (the selection is kept when still offered).
    void setSpecIds(const QStringList& ids);

    QLineEdit* searchEdit() const { return m_search; }
    QComboBox* specCombo() const { return m_spec; }
    QComboBox* statusCombo() const { return m_status; }
    QComboBox* verdictCombo() const { return m_verdict; }
    QComboBox* providerCombo() const { return m_provider; }
    QComboBox* ageCombo() const { return m_age; }
    QLineEdit* modelEdit() const { return m_model; }
    QDoubleSpinBox* minSpeedupSpin() const { return m_minSpeedup; }

    static constexpr int kTypingDelayMs = 250;

signals:
    void filterChanged();

private:
    QComboBox* m_spec = nullptr;
    QComboBox* m_status = nullptr;
    QComboBox* m_verdict = nullptr;
    QComboBox* m_provider = nullptr;
    QComboBox* m_age = nullptr;
    QLineEdit* m_model = nullptr;
    QDoubleSpinBox* m_minSpeedup = nullptr;
    QLineEdit* m_search = nullptr;
    QTimer* m_typing = nullptr;
};

} // namespace kf::widgets
