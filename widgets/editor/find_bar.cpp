// SPDX-License-Identifier: MIT
#include "widgets/editor/find_bar.h"

#include "widgets/editor/code_editor.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QToolButton>
#include <QVBoxLayout>

namespace kf::widgets {
namespace {

constexpr int kCountCap = 100000; // a count past this is "many": the label never stalls the GUI

QShortcut* shortcut(const QKeySequence& keys, QWidget* on, QObject* context, auto slot) {
    auto* s = new QShortcut(keys, on);
    s->setContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(s, &QShortcut::activated, context, slot);
    return s;
}

} // namespace

FindBar::FindBar(CodeEditor* editor, QWidget* parent)
    : QWidget(parent)
    , editor_(editor)
    , find_(new QLineEdit(this))
    , replace_(new QLineEdit(this))
    , case_(new QCheckBox(tr("Aa"), this))
    , regex_(new QCheckBox(tr(".*"), this))
    , word_(new QCheckBox(tr("Word"), this))
    , status_(new QLabel(this))
    , replace_row_(new QWidget(this)) {
    find_->setPlaceholderText(tr("Find"));
    find_->setClearButtonEnabled(true);
    replace_->setPlaceholderText(tr("Replace with"));
    case_->setToolTip(tr("Match case"));
    regex_->setToolTip(tr("Regular expression (C++11; \\1 in the replacement)"));
    word_->setToolTip(tr("Whole word"));

    auto* prev = new QToolButton(this);
    prev->setText(tr("Previous"));
    prev->setToolTip(tr("Find previous (Shift+F3)"));
    auto* next = new QToolButton(this);
    next->setText(tr("Next"));
    next->setToolTip(tr("Find next (F3)"));
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("\u2715"));
    close->setToolTip(tr("Close (Esc)"));
    close->setAutoRaise(true);
    auto* replace_one = new QPushButton(tr("Replace"), replace_row_);
    auto* replace_all = new QPushButton(tr("Replace all"), replace_row_);

    auto* find_row = new QHBoxLayout;
    find_row->setContentsMargins(0, 0, 0, 0);
    find_row->addWidget(find_, 1);
    for (QWidget* w : {static_cast<QWidget*>(prev), static_cast<QWidget*>(next), static_cast<QWidget*>(case_),
                       static_cast<QWidget*>(regex_), static_cast<QWidget*>(word_),
                       static_cast<QWidget*>(status_), static_cast<QWidget*>(close)}) {
        find_row->addWidget(w);
    }
    auto* replace_layout = new QHBoxLayout(replace_row_);
    replace_layout->setContentsMargins(0, 0, 0, 0);
    replace_layout->addWidget(replace_, 1);
    replace_layout->addWidget(replace_one);
    replace_layout->addWidget(replace_all);
    replace_layout->addStretch(0);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 2, 4, 2);
    layout->setSpacing(2);
    layout->addLayout(find_row);
    layout->addWidget(replace_row_);

    connect(prev, &QToolButton::clicked, this, &FindBar::findPrevious);
    connect(next, &QToolButton::clicked, this, &FindBar::findNext);
    connect(close, &QToolButton::clicked, this, &FindBar::closeBar);
    connect(replace_one, &QPushButton::clicked, this, &FindBar::replaceCurrent);
    connect(replace_all, &QPushButton::clicked, this, &FindBar::replaceAll);
    connect(find_, &QLineEdit::returnPressed, this, &FindBar::findNext);
    connect(replace_, &QLineEdit::returnPressed, this, &FindBar::replaceCurrent);
    connect(find_, &QLineEdit::textEdited, this, [this] { updateStatus(true); });
    for (QCheckBox* box : {case_, regex_, word_}) {
        connect(box, &QCheckBox::toggled, this, [this] { updateStatus(true); });
    }

    shortcut(QKeySequence::Find, editor_, this, [this] { showFind(); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_H), editor_, this, [this] { showReplace(); });
    shortcut(QKeySequence(Qt::Key_F3), editor_, this, [this] { findNext(); });
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), editor_, this, [this] { findPrevious(); });
    shortcut(QKeySequence(Qt::Key_F3), this, this, [this] { findNext(); });
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3), this, this, [this] { findPrevious(); });
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_Return), find_, this, [this] { findPrevious(); });
    shortcut(QKeySequence(Qt::Key_Escape), this, this, [this] { closeBar(); });
    hide();
}

void FindBar::setCaseSensitive(bool on) {
    case_->setChecked(on);
}
void FindBar::setRegularExpression(bool on) {
    regex_->setChecked(on);
}
void FindBar::setWholeWord(bool on) {
    word_->setChecked(on);
}

void FindBar::open(bool with_replace) {
    const QString selected = editor_->selectedText();
    if (!selected.isEmpty() && !selected.contains(QLatin1Char('\n'))) {
        find_->setText(selected);
    }
    replace_row_->setVisible(with_replace);
    show();
    find_->setFocus(Qt::ShortcutFocusReason);
    find_->selectAll();
    updateStatus(true);
}

void FindBar::showFind() {
    open(false);
}
void FindBar::showReplace() {
    open(true);
}

void FindBar::closeBar() {
    hide();
    editor_->setFocus(Qt::OtherFocusReason);
    emit closed();
}

int FindBar::searchFlags() const {
    int flags = 0;
    if (case_->isChecked())
        flags |= QsciScintillaBase::SCFIND_MATCHCASE;
    if (word_->isChecked())
        flags |= QsciScintillaBase::SCFIND_WHOLEWORD;
    if (regex_->isChecked())
        flags |= QsciScintillaBase::SCFIND_REGEXP | QsciScintillaBase::SCFIND_CXX11REGEX;
    return flags;
}

long FindBar::search(long from, long to, long* end) const {
    const QByteArray needle = find_->text().toUtf8();
    if (needle.isEmpty())
        return -1;
    editor_->SendScintilla(QsciScintillaBase::SCI_SETSEARCHFLAGS, static_cast<unsigned long>(searchFlags()));
    editor_->SendScintilla(QsciScintillaBase::SCI_SETTARGETRANGE, static_cast<unsigned long>(from), to);
    const long found = editor_->SendScintilla(QsciScintillaBase::SCI_SEARCHINTARGET,
                                              static_cast<uintptr_t>(needle.size()), needle.constData());
    if (found >= 0 && end != nullptr)
        *end = editor_->SendScintilla(QsciScintillaBase::SCI_GETTARGETEND);
    return found;
}

bool FindBar::find(bool forward) {
    const long length = editor_->SendScintilla(QsciScintillaBase::SCI_GETLENGTH);
    const long sel_start = editor_->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART);
    const long sel_end = editor_->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONEND);
    long end = 0;
    long found = forward ? search(sel_end, length, &end) : search(sel_start, 0, &end);
    // An empty match where the selection already is would be found forever: step over it.
    if (found >= 0 && end == found && found == (forward ? sel_end : sel_start)) {
        found = forward ? (sel_end < length ? search(sel_end + 1, length, &end) : -1)
                        : (sel_start > 0 ? search(sel_start - 1, 0, &end) : -1);
    }
    if (found < 0) { // wrap around
        found = forward ? search(0, sel_end, &end) : search(length, sel_start, &end);
    }
    if (found >= 0) {
        const long line = editor_->SendScintilla(QsciScintillaBase::SCI_LINEFROMPOSITION,
                                                 static_cast<unsigned long>(found));
        editor_->SendScintilla(QsciScintillaBase::SCI_ENSUREVISIBLEENFORCEPOLICY,
                               static_cast<unsigned long>(line));
        editor_->SendScintilla(QsciScintillaBase::SCI_SETSEL, static_cast<unsigned long>(found), end);
    }
    updateStatus(found >= 0);
    return found >= 0;
}

bool FindBar::findNext() {
    return find(true);
}
bool FindBar::findPrevious() {
    return find(false);
}

bool FindBar::replaceCurrent() {
    const long sel_start = editor_->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART);
    const long sel_end = editor_->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONEND);
    long end = 0;
    if (sel_end > sel_start && search(sel_start, sel_end, &end) == sel_start && end == sel_end) {
        const QByteArray with = replace_->text().toUtf8();
        const unsigned msg = regex_->isChecked() ? QsciScintillaBase::SCI_REPLACETARGETRE
                                                 : QsciScintillaBase::SCI_REPLACETARGET;
        editor_->SendScintilla(msg, static_cast<uintptr_t>(with.size()), with.constData());
        const long after = editor_->SendScintilla(QsciScintillaBase::SCI_GETTARGETEND);
        editor_->SendScintilla(QsciScintillaBase::SCI_SETSEL, static_cast<unsigned long>(after), after);
    }
    return findNext();
}

int FindBar::replaceAll() {
    const QByteArray with = replace_->text().toUtf8();
    const unsigned msg =
        regex_->isChecked() ? QsciScintillaBase::SCI_REPLACETARGETRE : QsciScintillaBase::SCI_REPLACETARGET;
    int count = 0;
    long pos = 0;
    editor_->beginUndoAction();
    while (count < kCountCap) {
        const long length = editor_->SendScintilla(QsciScintillaBase::SCI_GETLENGTH);
        if (pos > length)
            break;
        long end = 0;
        const long found = search(pos, length, &end);
        if (found < 0)
            break;
        editor_->SendScintilla(msg, static_cast<uintptr_t>(with.size()), with.constData());
        ++count;
        pos = editor_->SendScintilla(QsciScintillaBase::SCI_GETTARGETEND);
        if (end == found)
            ++pos; // an empty match: move on, or it matches again in place
    }
    editor_->endUndoAction();
    status_->setText(tr("%n replaced", nullptr, count));
    return count;
}

int FindBar::countMatches() const {
    int count = 0;
    long pos = 0;
    const long length = editor_->SendScintilla(QsciScintillaBase::SCI_GETLENGTH);
    while (pos <= length && count < kCountCap) {
        long end = 0;
        const long found = search(pos, length, &end);
        if (found < 0)
            break;
        ++count;
        pos = end > found ? end : end + 1;
    }
    return count;
}

void FindBar::updateStatus(bool found) {
    const bool empty = find_->text().isEmpty();
    if (empty) {
        status_->clear();
    } else if (!found) {
        status_->setText(tr("Not found"));
    } else {
        const int n = countMatches();
        status_->setText(n >= kCountCap ? tr("many matches") : tr("%n match(es)", nullptr, n));
    }
    QPalette p = find_->palette();
    p.setColor(QPalette::Base, !empty && !found ? QColor(0xff, 0xd6, 0xd6) : palette().color(QPalette::Base));
    find_->setPalette(p);
}

} // namespace kf::widgets
