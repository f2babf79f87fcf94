// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace kf::widgets {

// The find line under the reasoning view: text, previous/next, match case, a match count, close (Escape).
class ReasoningFindBar : public QWidget {
    Q_OBJECT
public:
    explicit ReasoningFindBar(QWidget* parent = nullptr);

    QString text() const;
    bool matchCase() const;
    void focusText(); // focus with the text selected
    void setStatus(const QString& status);
    QLineEdit* lineEdit() const { return m_edit; }

signals:
    void textChanged(const QString& text);
    void next();
    void previous();
    void closed();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QLineEdit* m_edit;
    QCheckBox* m_case;
    QLabel* m_status;
};

} // namespace kf::widgets
