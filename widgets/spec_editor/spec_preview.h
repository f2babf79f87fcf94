// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/spec_editor/spec_editor.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTabWidget;

namespace kf::widgets {

class CodeEditor;

// What follows from the current spec, live: the launcher prototypes (the ABI every kernel implements) and the
// teacher prompt rendered for a target GPU, in tabs. While the spec has errors it keeps showing the last
// valid version, and says so.
class SpecPreview : public QWidget {
    Q_OBJECT
public:
    explicit SpecPreview(QWidget* parent = nullptr);

    QString launcherText() const;
    QString promptText(); // rendered now if it is out of date (the prompt tab renders when shown)
    QString statusText() const;
    QString targetGpu() const; // "h100-sxm"
    void setTargetGpu(const QString& key);
    void setDark(bool dark);

public slots:
    // Connect SpecEditor::validated here.
    void showResult(kf::widgets::SpecResult result);

private:
    void render();
    void renderPrompt();

    QLabel* status_;
    QComboBox* gpu_;
    QTabWidget* tabs_;
    CodeEditor* launcher_;
    CodeEditor* prompt_;
    SpecResult shown_; // the last valid result
    bool prompt_stale_ = false;
};

} // namespace kf::widgets
