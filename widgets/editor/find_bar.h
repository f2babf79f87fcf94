// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QToolButton;

namespace kf::widgets {

class CodeEditor;

// Find and replace for one CodeEditor: next and previous (wrapping), replace, replace all (one undo step),
// case, regular expression (C++11 syntax, \1 in replacements) and whole word. It installs its shortcuts on
// the editor: Ctrl+F opens find, Ctrl+H find and replace, F3 / Shift+F3 find next / previous; Esc closes the
// bar. The caller places the bar (under the editor, hidden until asked for).
class FindBar : public QWidget {
    Q_OBJECT
public:
    explicit FindBar(CodeEditor* editor, QWidget* parent = nullptr);

    QLineEdit* findField() const { return find_; }
    QLineEdit* replaceField() const { return replace_; }
    void setCaseSensitive(bool on);
    void setRegularExpression(bool on);
    void setWholeWord(bool on);

    // The number of matches in the whole document (what the bar's label shows).
    int countMatches() const;

public slots:
    void showFind();
    void showReplace();
    void closeBar();
    bool findNext();
    bool findPrevious();
    // Replaces the selection when it is a match, then moves to the next one.
    bool replaceCurrent();
    int replaceAll();

signals:
    void closed();

private:
    int searchFlags() const;
    // Searches [from, to) (backwards when from > to); returns the match's start or -1, and its end in `end`.
    long search(long from, long to, long* end) const;
    bool find(bool forward);
    void open(bool with_replace);
    void updateStatus(bool found);

    CodeEditor* editor_;
    QLineEdit* find_;
    QLineEdit* replace_;
    QCheckBox* case_;
    QCheckBox* regex_;
    QCheckBox* word_;
    QLabel* status_;
    QWidget* replace_row_;
};

} // namespace kf::widgets
