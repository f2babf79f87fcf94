// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

namespace kf::widgets {

// One spec file being edited: its path (empty while untitled), its text, and whether the text differs from
// what was last loaded or saved. Saving writes atomically (a temporary file renamed over the old one), so a
// crash mid-save never leaves half a spec. No dialogs here: SpecLibrary asks the user, this does the file
// work.
class SpecDocument : public QObject {
    Q_OBJECT
public:
    explicit SpecDocument(QObject* parent = nullptr);

    QString path() const { return path_; }
    bool isUntitled() const { return path_.isEmpty(); }
    // "softmax.kspec.yaml", or the suggested name of an untitled document.
    QString displayName() const;
    // The name a Save As dialog proposes: the file name, or the untitled document's suggestion.
    QString suggestedFileName() const { return isUntitled() ? suggested_name_ : displayName(); }

    QString text() const { return text_; }
    void setText(const QString& text); // what the editor holds now
    bool isModified() const { return text_ != saved_text_; }

    // A new untitled document with the starter text (a small valid spec), unmodified.
    void newDocument();
    // Reads `path`; on failure the document is unchanged and `error` says what and where.
    bool load(const QString& path, QString* error);
    // Reads `path` as a new untitled document named after it (an example to start from: saving asks where).
    bool loadCopy(const QString& path, QString* error);
    bool save(QString* error); // fails on an untitled document
    bool saveAs(const QString& path, QString* error);

    static QString starterText();

signals:
    void modifiedChanged(bool modified);
    void pathChanged(const QString& path);
    // The text was replaced by new, load or loadCopy (not by setText): the editor should show text().
    void textReplaced();

private:
    void replace(const QString& path, const QString& text, const QString& suggested_name);
    static bool readFile(const QString& path, QString* text, QString* error);

    QString path_;
    QString text_;
    QString saved_text_;
    QString suggested_name_ = QStringLiteral("untitled.kspec.yaml");
};

} // namespace kf::widgets
