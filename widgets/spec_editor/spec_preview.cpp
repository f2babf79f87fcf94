// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_preview.h"

#include "core/spec/launcher.h"
#include "core/spec/prompt.h"
#include "core/spec/target_gpu.h"
#include "core/spec/template_renderer.h"
#include "widgets/editor/code_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>
#include <Qsci/qscilexercpp.h>
#include <Qsci/qscilexermarkdown.h>

namespace kf::widgets {
namespace {

CodeEditor* readOnlyEditor(QsciLexer* lexer, QWidget* parent) {
    auto* e = new CodeEditor(parent);
    e->setCodeLexer(lexer);
    e->setReadOnly(true);
    e->setFolding(QsciScintilla::NoFoldStyle, CodeEditor::FoldMargin);
    e->setMarginWidth(CodeEditor::DiagnosticMargin, 0);
    return e;
}

} // namespace

SpecPreview::SpecPreview(QWidget* parent)
    : QWidget(parent)
    , status_(new QLabel(this))
    , gpu_(new QComboBox(this))
    , tabs_(new QTabWidget(this))
    , launcher_(readOnlyEditor(new QsciLexerCPP, this))
    , prompt_(readOnlyEditor(new QsciLexerMarkdown, this)) {
    for (CodeEditor* e : {launcher_, prompt_}) {
        e->setWrapMode(QsciScintilla::WrapWord);
        e->setWrapIndentMode(QsciScintilla::WrapIndentIndented);
    }
    for (const auto& gpu : spec::knownTargetGpus()) {
        gpu_->addItem(QString::fromStdString(gpu.name), QString::fromStdString(gpu.key));
    }
    gpu_->setToolTip(tr("The GPU the prompt describes"));
    tabs_->addTab(launcher_, tr("Launcher"));
    tabs_->addTab(prompt_, tr("Prompt"));
    status_->setWordWrap(true);
    status_->setText(tr("No valid spec yet."));

    auto* top = new QHBoxLayout;
    top->addWidget(status_, 1);
    top->addWidget(gpu_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(tabs_, 1);
    connect(gpu_, &QComboBox::currentIndexChanged, this, &SpecPreview::render);
    connect(tabs_, &QTabWidget::currentChanged, this, &SpecPreview::renderPrompt);
}

QString SpecPreview::launcherText() const {
    return launcher_->text();
}
QString SpecPreview::promptText() {
    renderPrompt();
    return prompt_->text();
}
QString SpecPreview::statusText() const {
    return status_->text();
}
QString SpecPreview::targetGpu() const {
    return gpu_->currentData().toString();
}

void SpecPreview::setTargetGpu(const QString& key) {
    const int i = gpu_->findData(key);
    if (i >= 0)
        gpu_->setCurrentIndex(i);
}

void SpecPreview::setDark(bool dark) {
    launcher_->setDark(dark);
    prompt_->setDark(dark);
}

void SpecPreview::showResult(SpecResult result) {
    if (!result)
        return;
    if (result->ok) {
        shown_ = std::move(result);
        render();
        return;
    }
    int errors = 0;
    for (const auto& d : result->diagnostics)
        errors += d.severity == spec::Severity::Error ? 1 : 0;
    status_->setText(shown_ ? tr("The spec has %n error(s): showing the last valid version.", nullptr, errors)
                            : tr("The spec has %n error(s): no preview until it is valid.", nullptr, errors));
}

void SpecPreview::render() {
    if (!shown_)
        return;
    const spec::Spec& s = shown_->spec;
    QString launcher;
    for (const auto role : {spec::Role::Candidate, spec::Role::Reference, spec::Role::Baseline}) {
        launcher += QString::fromStdString(spec::launcherPrototype(s, role)) + QLatin1Char('\n');
    }
    launcher_->updateText(launcher);
    status_->setText(
        tr("%1: %n size(s)", nullptr, static_cast<int>(s.sizes.size())).arg(QString::fromStdString(s.id)));
    // The prompt is rendered when it is looked at: a hidden tab costs the GUI thread nothing while typing.
    prompt_stale_ = true;
    if (tabs_->currentWidget() == prompt_)
        renderPrompt();
}

void SpecPreview::renderPrompt() {
    if (!shown_ || !prompt_stale_)
        return;
    prompt_stale_ = false;
    const spec::Spec& s = shown_->spec;
    const auto target = spec::findTargetGpu(targetGpu().toStdString());
    QString prompt;
    if (!target) {
        prompt = tr("Unknown target GPU %1.").arg(targetGpu());
    } else {
        try {
            prompt = QString::fromStdString(spec::renderPrompt(s, *target));
        } catch (const spec::TemplateError& e) {
            prompt = tr("The built-in prompt template is broken: %1").arg(QString::fromUtf8(e.what()));
        }
    }
    // Only the changed span is replaced: a 30 KB prompt set anew costs 40 ms of word wrapping on the GUI
    // thread, and the view keeps its place while the spec is edited.
    prompt_->updateText(prompt);
}

} // namespace kf::widgets
