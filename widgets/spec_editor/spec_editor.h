// SPDX-License-Identifier: MIT
#pragma once

#include "core/spec/spec_loader.h"
#include "widgets/common/job_tracker.h"
#include "widgets/editor/code_editor.h"

#include <QFuture>
#include <QList>
#include <memory>

class QTimer;

namespace kf::widgets {

// The result of one validation: the parsed spec and every diagnostic (LoadedSpec::ok says whether it is
// usable).
using SpecResult = std::shared_ptr<const kf::spec::LoadedSpec>;

// A CodeEditor for *.kspec.yaml that validates as you type: each edit restarts a short debounce; then the
// text is parsed and validated on a worker thread with core/spec, and the result is shown as squiggles and
// margin markers at each diagnostic's line:col. A newer edit always wins: an older validation's late result
// is dropped.
class SpecEditor : public CodeEditor {
    Q_OBJECT
public:
    explicit SpecEditor(QWidget* parent = nullptr);
    ~SpecEditor() override; // waits for validations still running (they take milliseconds)

    // The file name diagnostics carry (the document's name).
    void setFileName(const QString& name) { file_name_ = name; }
    QString fileName() const { return file_name_; }

    void setDebounceInterval(int ms);
    int debounceInterval() const;

    SpecResult lastResult() const { return last_; } // null before the first validation ends
    bool isValidating() const { return validating_; }

    // core/spec diagnostics as editor diagnostics (line 0: the whole file).
    static QList<EditorDiagnostic> toEditorDiagnostics(const std::vector<kf::spec::Diagnostic>& diagnostics);

public slots:
    // Validates the current text now, without waiting for the debounce.
    void validateNow();

signals:
    void validationStarted();
    // After the squiggles were updated: the parsed spec, or its errors. Only the newest text's result
    // arrives.
    void validated(kf::widgets::SpecResult result);

private:
    void showResult(SpecResult result);

    QTimer* debounce_;
    JobTracker tracker_;
    QList<QFuture<void>> running_;
    QString file_name_ = QStringLiteral("untitled.kspec.yaml");
    SpecResult last_;
    bool validating_ = false;
};

} // namespace kf::widgets

Q_DECLARE_METATYPE(kf::widgets::SpecResult)
