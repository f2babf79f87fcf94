// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_library.h"

#include "widgets/spec_editor/spec_document.h"
#include "widgets/spec_editor/spec_editor.h"
#include "widgets/spec_editor/spec_library_model.h"

#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QMessageBox>
#include <QStandardPaths>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

namespace kf::widgets {
namespace {

const QString kFilter = QStringLiteral("Kernel specs (*.kspec.yaml);;YAML (*.yaml *.yml);;All files (*)");

QAction* action(const QString& text, const QKeySequence& keys, const QString& icon, QWidget* parent) {
    auto* a = new QAction(QIcon::fromTheme(icon), text, parent);
    a->setShortcut(keys);
    a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    return a;
}

} // namespace

SpecLibrary::SpecLibrary(SpecEditor* editor, QStringList example_dirs, QString user_dir, QWidget* parent)
    : QWidget(parent)
    , editor_(editor)
    , document_(new SpecDocument(this))
    , model_(new SpecLibraryModel(std::move(example_dirs), std::move(user_dir), this))
    , view_(new QTreeView(this))
    , new_(action(tr("&New spec"), QKeySequence::New, QStringLiteral("document-new"), this))
    , open_(action(tr("&Open spec..."), QKeySequence::Open, QStringLiteral("document-open"), this))
    , save_(action(tr("&Save spec"), QKeySequence::Save, QStringLiteral("document-save"), this))
    , save_as_(
          action(tr("Save spec &as..."), QKeySequence::SaveAs, QStringLiteral("document-save-as"), this)) {
    view_->setModel(model_);
    view_->setHeaderHidden(true);
    view_->expandAll();
    auto* bar = new QToolBar(this);
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions({new_, open_, save_, save_as_});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(view_, 1);

    connect(view_, &QTreeView::activated, this, &SpecLibrary::activate);
    connect(new_, &QAction::triggered, this, [this] {
        if (maybeSave())
            newSpec();
    });
    connect(open_, &QAction::triggered, this, &SpecLibrary::open);
    connect(save_, &QAction::triggered, this, &SpecLibrary::save);
    connect(save_as_, &QAction::triggered, this, &SpecLibrary::saveAs);
    connect(model_, &SpecLibraryModel::modelReset, view_, &QTreeView::expandAll);
    // The editor's text is the document's: every edit updates the modified state.
    connect(editor_, &QsciScintilla::textChanged, document_, [this] { document_->setText(editor_->text()); });
    connect(document_, &SpecDocument::textReplaced, this, &SpecLibrary::showDocument);
    connect(document_, &SpecDocument::modifiedChanged, this, [this] {
        save_->setEnabled(document_->isModified() || document_->isUntitled());
        emit titleChanged(documentTitle());
    });
    connect(document_, &SpecDocument::pathChanged, this, [this] { emit titleChanged(documentTitle()); });
    showDocument();
}

QStringList SpecLibrary::defaultExampleDirs() {
    const QString app = QCoreApplication::applicationDirPath();
    QStringList dirs = {app + QStringLiteral("/resources/specs"),
                        app + QStringLiteral("/../share/kernelforge/specs"),
                        QStringLiteral(KF_INSTALL_SPECS_DIR), QStringLiteral(KF_SOURCE_SPECS_DIR)};
    for (QString& d : dirs)
        d = QDir::cleanPath(d);
    dirs.removeDuplicates();
    return dirs;
}

QString SpecLibrary::defaultUserDir() {
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
           QStringLiteral("/kernelforge/specs");
}

QString SpecLibrary::documentTitle() const {
    return document_->displayName() + (document_->isModified() ? QStringLiteral("*") : QString());
}

void SpecLibrary::showDocument() {
    editor_->setFileName(document_->displayName());
    if (editor_->text() != document_->text())
        editor_->setText(document_->text());
    editor_->setModified(false);
    editor_->validateNow(); // a freshly opened spec shows its problems at once
    save_->setEnabled(document_->isModified() || document_->isUntitled());
    emit titleChanged(documentTitle());
}

void SpecLibrary::newSpec() {
    document_->newDocument();
}

bool SpecLibrary::openFile(const QString& path, QString* error) {
    if (!document_->load(path, error))
        return false;
    emit fileUsed(document_->path());
    return true;
}

bool SpecLibrary::openCopy(const QString& path, QString* error) {
    return document_->loadCopy(path, error);
}

bool SpecLibrary::saveFileAs(const QString& path, QString* error) {
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = tr("Cannot create the directory %1").arg(dir);
        return false;
    }
    if (!document_->saveAs(path, error))
        return false;
    editor_->setFileName(document_->displayName());
    if (QFileInfo(path).absolutePath() == QFileInfo(model_->userDir()).absoluteFilePath())
        model_->refresh();
    emit fileUsed(document_->path());
    return true;
}

void SpecLibrary::activate(const QModelIndex& index) {
    const QString path = model_->pathAt(index);
    if (path.isEmpty() || path == document_->path() || !maybeSave())
        return;
    QString error;
    const bool ok = model_->isExample(index) ? openCopy(path, &error) : openFile(path, &error);
    if (!ok)
        reportError(error);
}

void SpecLibrary::open() {
    if (!maybeSave())
        return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open spec"), model_->userDir(), kFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!openFile(path, &error))
        reportError(error);
}

bool SpecLibrary::save() {
    if (document_->isUntitled())
        return saveAs();
    QString error;
    if (!document_->save(&error)) {
        reportError(error);
        return false;
    }
    return true;
}

bool SpecLibrary::saveAs() {
    QDir().mkpath(model_->userDir());
    const QString start = QDir(model_->userDir()).filePath(document_->suggestedFileName());
    const QString path = QFileDialog::getSaveFileName(this, tr("Save spec as"), start, kFilter);
    if (path.isEmpty())
        return false;
    QString error;
    if (!saveFileAs(path, &error)) {
        reportError(error);
        return false;
    }
    return true;
}

bool SpecLibrary::maybeSave() {
    if (!document_->isModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("%1 has unsaved changes. Save them?").arg(document_->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

void SpecLibrary::reportError(const QString& error) {
    QMessageBox::warning(this, tr("Spec library"), error);
}

} // namespace kf::widgets
