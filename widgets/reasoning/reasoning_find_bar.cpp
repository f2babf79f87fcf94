// SPDX-License-Identifier: MIT
#include "widgets/reasoning/reasoning_find_bar.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>

namespace kf::widgets {

ReasoningFindBar::ReasoningFindBar(QWidget* parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_case(new QCheckBox(tr("Match case"), this))
    , m_status(new QLabel(this)) {
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    auto* label = new QLabel(tr("Find:"), this);
    m_edit->setPlaceholderText(tr("Text in the reasoning and answers"));
    m_edit->setClearButtonEnabled(true);
    m_edit->installEventFilter(this);
    auto* prev = new QToolButton(this);
    prev->setText(tr("Previous"));
    prev->setToolTip(tr("Previous match (Shift+Enter, Shift+F3)"));
    auto* next_button = new QToolButton(this);
    next_button->setText(tr("Next"));
    next_button->setToolTip(tr("Next match (Enter, F3)"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(tr("Close (Escape)"));
    close->setAutoRaise(true);
    layout->addWidget(label);
    layout->addWidget(m_edit, 1);
    layout->addWidget(prev);
    layout->addWidget(next_button);
    layout->addWidget(m_case);
    layout->addWidget(m_status);
    layout->addWidget(close);
    connect(m_edit, &QLineEdit::textChanged, this, &ReasoningFindBar::textChanged);
    connect(m_case, &QCheckBox::toggled, this, [this] { emit textChanged(m_edit->text()); });
    connect(prev, &QToolButton::clicked, this, &ReasoningFindBar::previous);
    connect(next_button, &QToolButton::clicked, this, &ReasoningFindBar::next);
    connect(close, &QToolButton::clicked, this, &ReasoningFindBar::closed);
}

QString ReasoningFindBar::text() const {
    return m_edit->text();
}

bool ReasoningFindBar::matchCase() const {
    return m_case->isChecked();
}

void ReasoningFindBar::focusText() {
    m_edit->setFocus(Qt::ShortcutFocusReason);
    m_edit->selectAll();
}

void ReasoningFindBar::setStatus(const QString& status) {
    m_status->setText(status);
}

bool ReasoningFindBar::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            key->modifiers() & Qt::ShiftModifier ? emit previous() : emit next();
            return true;
        }
        if (key->key() == Qt::Key_Escape) {
            emit closed();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace kf::widgets
