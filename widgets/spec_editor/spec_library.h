// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QAction;
class QTreeView;

namespace kf::widgets {

class SpecDocument;
class SpecEditor;
class SpecLibraryModel;

// The spec library panel: the example specs and the user's own, and the document actions New, Open, Save and
// Save As for the SpecEditor it drives. Examples open as untitled copies, so Save asks where (the user's
// specs directory by default) and the installed examples stay as they are. The dialogs live here; the file
// work is SpecDocument's.
class SpecLibrary : public QWidget {
    Q_OBJECT
public:
    // `example_dirs`: where to look for the example specs, in order; `user_dir`: the user's own specs
    // (created on the first save there).
    SpecLibrary(SpecEditor* editor, QStringList example_dirs, QString user_dir, QWidget* parent = nullptr);

    // resources/specs next to the executable, in the install prefix, and in the source tree.
    static QStringList defaultExampleDirs();
    // $XDG_DATA_HOME/kernelforge/specs (~/.local/share/kernelforge/specs).
    static QString defaultUserDir();

    SpecDocument* document() const { return document_; }
    SpecLibraryModel* model() const { return model_; }
    QTreeView* view() const { return view_; }
    QAction* newAction() const { return new_; }
    QAction* openAction() const { return open_; }
    QAction* saveAction() const { return save_; }
    QAction* saveAsAction() const { return save_as_; }

    // Without dialogs (tests, recent files, the command line): false with `error` set on failure.
    bool openFile(const QString& path, QString* error);
    bool openCopy(const QString& path, QString* error); // an example, as an untitled copy
    bool saveFileAs(const QString& path, QString* error);
    void newSpec();

    // Asks whether to save unsaved changes; false when the user cancels (the caller then does not close).
    bool maybeSave();
    // "softmax-rows-f32.kspec.yaml*": the document's name, starred while modified (for a title bar or tab).
    QString documentTitle() const;

public slots:
    void open();   // a file dialog in the user's specs directory
    bool save();   // Save As when untitled
    bool saveAs(); // a file dialog

signals:
    // The document's name or its modified state changed: update the window title.
    void titleChanged(const QString& title);
    // A file was opened or saved under a new name (for a recent-files list).
    void fileUsed(const QString& path);

private:
    void activate(const QModelIndex& index);
    void showDocument();
    void reportError(const QString& error);

    SpecEditor* editor_;
    SpecDocument* document_;
    SpecLibraryModel* model_;
    QTreeView* view_;
    QAction* new_;
    QAction* open_;
    QAction* save_;
    QAction* save_as_;
};

} // namespace kf::widgets
