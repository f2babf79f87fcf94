// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_document.h"
#include "widgets/spec_editor/spec_editor.h"
#include "widgets/spec_editor/spec_library.h"
#include "widgets/spec_editor/spec_library_model.h"
#include "widgets/spec_editor/spec_preview.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace kf::widgets;

namespace {

QString readFile(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("<cannot open %1>").arg(path);
    return QString::fromUtf8(f.readAll());
}

const QString kSpecsDir = QStringLiteral(KF_SPECS_DIR);
QString softmaxText() {
    return readFile(kSpecsDir + QStringLiteral("/softmax-rows-f32.kspec.yaml"));
}

// Waits for the next `validated` and returns its result.
SpecResult nextResult(SpecEditor& e) {
    QSignalSpy spy(&e, &SpecEditor::validated);
    if (!spy.wait(10000))
        return nullptr;
    return spy.takeFirst().at(0).value<SpecResult>();
}

long indicatorsAt(const CodeEditor& e, int line, int column) {
    return e.SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR,
                           static_cast<unsigned long>(e.bytePosition(line, column)));
}

} // namespace

class SpecEditorTest : public QObject {
    Q_OBJECT
private slots:
    void brokenSpecShowsErrorAtItsLineThenClearsAfterAFix() {
        SpecEditor e;
        e.setText(softmaxText());
        auto ok = nextResult(e); // the debounce fires by itself
        QVERIFY(ok);
        QVERIFY(ok->ok);
        QVERIFY(e.diagnostics().isEmpty());

        // Line 19 is the input's "    dtype: f32": an unknown dtype is an error at the value (column 12).
        QString broken = softmaxText();
        broken.replace(broken.indexOf(QStringLiteral("dtype: f32")), 10, QStringLiteral("dtype: f99"));
        e.setText(broken);
        auto bad = nextResult(e);
        QVERIFY(bad);
        QVERIFY(!bad->ok);
        QVERIFY(!e.diagnostics().isEmpty());
        const EditorDiagnostic d = e.diagnostics().first();
        QCOMPARE(d.line, 19);
        QCOMPARE(d.column, 12);
        QCOMPARE(d.severity, EditorDiagnostic::Severity::Error);
        QVERIFY2(d.message.contains(QStringLiteral("f99")), qPrintable(d.message));
        const long bits = indicatorsAt(e, 19, 12);
        QVERIFY((bits >> CodeEditor::indicatorNumber(EditorDiagnostic::Severity::Error)) & 1);
        QVERIFY(e.markersAtLine(18) != 0u);

        e.setText(softmaxText());
        auto fixed = nextResult(e);
        QVERIFY(fixed && fixed->ok);
        QVERIFY(e.diagnostics().isEmpty());
        QCOMPARE(indicatorsAt(e, 19, 12), 0L);
        QCOMPARE(e.markersAtLine(18), 0u);
    }

    void staleResultsAreDropped() {
        SpecEditor e;
        QSignalSpy validated(&e, &SpecEditor::validated);
        QSignalSpy started(&e, &SpecEditor::validationStarted);
        // Two validations back to back: the first one's result is stale when it arrives and never shows.
        e.setText(QStringLiteral("id: [broken\n"));
        e.validateNow();
        e.setText(softmaxText());
        e.validateNow();
        QTRY_COMPARE_WITH_TIMEOUT(validated.count(), 1, 10000);
        QTest::qWait(300); // time for a late stale result (or the debounce) to show up, if they could
        QCOMPARE(validated.count(), 1);
        QCOMPARE(started.count(), 2);
        const auto result = validated.first().at(0).value<SpecResult>();
        QVERIFY(result->ok);
        QCOMPARE(result->spec.id, std::string("softmax-rows-f32"));
        QVERIFY(e.diagnostics().isEmpty());

        // Typing: edits inside the debounce interval give one validation, of the last text.
        validated.clear();
        started.clear();
        e.setDebounceInterval(200);
        for (const char* t : {"id: a\n", "id: ab\n", "id: abc\n"})
            e.setText(QString::fromLatin1(t));
        QTRY_COMPARE_WITH_TIMEOUT(validated.count(), 1, 10000);
        QTest::qWait(300);
        QCOMPARE(started.count(), 1);
        QCOMPARE(validated.count(), 1);
        QCOMPARE(validated.first().at(0).value<SpecResult>()->spec.id, std::string("abc"));
    }

    void previewShowsLauncherAndPromptAndKeepsTheLastValid() {
        SpecEditor e;
        SpecPreview preview;
        connect(&e, &SpecEditor::validated, &preview, &SpecPreview::showResult);
        QVERIFY(preview.statusText().contains(QStringLiteral("No valid spec")));
        e.setText(softmaxText());
        QVERIFY(nextResult(e));
        QVERIFY2(preview.launcherText().contains(QStringLiteral(
                     "kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream)")),
                 qPrintable(preview.launcherText()));
        QVERIFY(preview.launcherText().contains(QStringLiteral("kf_reference(")));
        QVERIFY(preview.promptText().contains(QStringLiteral("Numerically stable softmax")));
        const QString h100 = preview.promptText();
        preview.setTargetGpu(QStringLiteral("h200"));
        QVERIFY(preview.promptText() != h100);

        e.setText(QStringLiteral("id: [broken\n"));
        QVERIFY(nextResult(e));
        QVERIFY(preview.statusText().contains(QStringLiteral("last valid")));
        QVERIFY(preview.launcherText().contains(QStringLiteral("kf_launch(")));
    }

    void documentStarterTextIsAValidSpec() {
        SpecEditor e;
        e.setText(SpecDocument::starterText());
        auto r = nextResult(e);
        QVERIFY(r);
        QString all;
        for (const auto& d : r->diagnostics)
            all += QString::fromStdString(kf::spec::formatDiagnostic(d)) + '\n';
        QVERIFY2(r->ok, qPrintable(all));
    }

    void libraryListsExamples() {
        QTemporaryDir tmp;
        SpecLibraryModel model({kSpecsDir, tmp.path()}, tmp.path() + QStringLiteral("/mine"));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QModelIndex examples = model.groupIndex(SpecLibraryModel::Examples);
        QCOMPARE(model.rowCount(examples), 9);
        QCOMPARE(model.rowCount(model.groupIndex(SpecLibraryModel::UserSpecs)), 0);
        QStringList names;
        for (int i = 0; i < model.rowCount(examples); ++i)
            names << model.index(i, 0, examples).data().toString();
        QVERIFY(names.contains(QStringLiteral("softmax-rows-f32")));
        QVERIFY(model.isExample(model.index(0, 0, examples)));
        QVERIFY(model.pathAt(model.index(0, 0, examples)).endsWith(QStringLiteral(".kspec.yaml")));
        // A name in a later directory that an earlier one already has is not listed twice.
        QVERIFY(QFile::copy(kSpecsDir + QStringLiteral("/gemm-bf16.kspec.yaml"),
                            tmp.filePath(QStringLiteral("gemm-bf16.kspec.yaml"))));
        model.refresh();
        QCOMPARE(model.rowCount(examples), 9);
    }

    void libraryPanelShowsTheExamples() {
        QTemporaryDir tmp;
        SpecEditor editor;
        SpecLibrary library(&editor, {kSpecsDir}, tmp.path());
        library.resize(300, 600);
        library.show();
        QVERIFY(QTest::qWaitForWindowExposed(&library));
        const QModelIndex examples = library.model()->groupIndex(SpecLibraryModel::Examples);
        QVERIFY(library.view()->isExpanded(examples));
        QVERIFY(library.view()->visualRect(library.model()->index(0, 0, examples)).isValid());
    }

    void saveSaveAsNewRoundTrip() {
        QTemporaryDir tmp;
        const QString user_dir = tmp.filePath(QStringLiteral("specs"));
        SpecEditor editor;
        SpecLibrary library(&editor, {kSpecsDir}, user_dir);
        QAbstractItemModelTester tester(library.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        SpecDocument* doc = library.document();
        QVERIFY(doc->isUntitled());
        QVERIFY(!doc->isModified());
        QCOMPARE(editor.text(), SpecDocument::starterText());

        // An example opens as an untitled copy.
        QString error;
        QVERIFY2(library.openCopy(kSpecsDir + QStringLiteral("/softmax-rows-f32.kspec.yaml"), &error),
                 qPrintable(error));
        QVERIFY(doc->isUntitled());
        QCOMPARE(editor.text(), softmaxText());
        QCOMPARE(doc->suggestedFileName(), QStringLiteral("softmax-rows-f32.kspec.yaml"));
        QSignalSpy modified(doc, &SpecDocument::modifiedChanged);
        editor.append(QStringLiteral("# my note\n"));
        QVERIFY(doc->isModified());
        QCOMPARE(modified.count(), 1);
        QVERIFY(library.documentTitle().endsWith(QLatin1Char('*')));
        QVERIFY(!doc->save(&error)); // untitled: Save As first
        QVERIFY(error.contains(QStringLiteral("Save As")));

        const QString path = user_dir + QStringLiteral("/my-softmax.kspec.yaml");
        QVERIFY2(library.saveFileAs(path, &error), qPrintable(error));
        QVERIFY(!doc->isModified());
        QCOMPARE(doc->path(), path);
        QCOMPARE(readFile(path), softmaxText() + QStringLiteral("# my note\n"));
        QVERIFY(library.model()->indexOfPath(path).isValid()); // listed under My specs
        QCOMPARE(editor.fileName(), QStringLiteral("my-softmax.kspec.yaml"));

        editor.append(QStringLiteral("# second\n"));
        QVERIFY(doc->isModified());
        QVERIFY2(doc->save(&error), qPrintable(error));
        QVERIFY(readFile(path).endsWith(QStringLiteral("# second\n")));
        QVERIFY(!doc->isModified());
        QVERIFY(tmp.isValid() && !QFile::exists(path + QStringLiteral(".tmp"))); // nothing left over

        library.newSpec();
        QVERIFY(doc->isUntitled());
        QCOMPARE(editor.text(), SpecDocument::starterText());
        QVERIFY2(library.openFile(path, &error), qPrintable(error));
        QCOMPARE(doc->path(), path);
        QCOMPARE(editor.text(), readFile(path));
        QVERIFY(!doc->isModified());

        QVERIFY(!library.openFile(tmp.filePath(QStringLiteral("missing.kspec.yaml")), &error));
        QVERIFY(error.contains(QStringLiteral("missing.kspec.yaml")));
        QCOMPARE(doc->path(), path); // unchanged
        QVERIFY(!doc->saveAs(tmp.filePath(QStringLiteral("no/such/dir/x.kspec.yaml")), &error));
        QVERIFY(error.contains(QStringLiteral("no/such/dir")));
    }
};

QTEST_MAIN(SpecEditorTest)
#include "spec_editor_test.moc"
