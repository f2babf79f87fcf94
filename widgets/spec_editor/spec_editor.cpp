// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_editor.h"

#include <QTimer>
#include <Qsci/qscilexeryaml.h>
#include <QtConcurrent/QtConcurrentRun>

namespace kf::widgets {

SpecEditor::SpecEditor(QWidget* parent)
    : CodeEditor(parent)
    , debounce_(new QTimer(this))
    , tracker_(this) {
    qRegisterMetaType<SpecResult>();
    setCodeLexer(new QsciLexerYAML(this));
    setTabWidth(2);
    debounce_->setSingleShot(true);
    debounce_->setInterval(250);
    connect(debounce_, &QTimer::timeout, this, &SpecEditor::validateNow);
    connect(this, &QsciScintilla::textChanged, debounce_, qOverload<>(&QTimer::start));
}

SpecEditor::~SpecEditor() {
    tracker_.invalidate();
    for (auto& f : running_)
        f.waitForFinished();
}

void SpecEditor::setDebounceInterval(int ms) {
    debounce_->setInterval(ms);
}
int SpecEditor::debounceInterval() const {
    return debounce_->interval();
}

QList<EditorDiagnostic> SpecEditor::toEditorDiagnostics(const std::vector<spec::Diagnostic>& diagnostics) {
    QList<EditorDiagnostic> out;
    out.reserve(static_cast<qsizetype>(diagnostics.size()));
    for (const auto& d : diagnostics) {
        EditorDiagnostic e;
        e.line = d.pos.line;
        e.column = d.pos.col;
        e.severity = d.severity == spec::Severity::Error ? EditorDiagnostic::Severity::Error
                                                         : EditorDiagnostic::Severity::Warning;
        e.message = QString::fromStdString(d.message);
        out.push_back(e);
    }
    return out;
}

void SpecEditor::validateNow() {
    debounce_->stop();
    running_.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
    const std::uint64_t id = tracker_.start();
    validating_ = true;
    emit validationStarted();
    // The worker gets its own copy of the text; the result comes back through the tracker, so a validation
    // overtaken by a newer edit never reaches the screen.
    running_.push_back(
        QtConcurrent::run([this, id, text = text().toStdString(), file = file_name_.toStdString()] {
            auto result = std::make_shared<const spec::LoadedSpec>(spec::loadSpecText(text, file));
            tracker_.post(id, [this, result] { showResult(result); });
        }));
}

void SpecEditor::showResult(SpecResult result) {
    validating_ = false;
    last_ = result;
    setDiagnostics(toEditorDiagnostics(result->diagnostics));
    emit validated(result);
}

} // namespace kf::widgets
