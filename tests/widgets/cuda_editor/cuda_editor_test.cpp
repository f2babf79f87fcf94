// SPDX-License-Identifier: MIT
#include "gpu/compile/compile_result.h"
#include "gpu/compile/diagnostic_parser.h"
#include "gpu/compile/kernel_resources.h"
#include "widgets/cuda_editor/cuda_editor.h"
#include "widgets/cuda_editor/cuda_lexer.h"
#include "widgets/cuda_editor/diagnostics_list.h"
#include "widgets/cuda_editor/diagnostics_model.h"
#include "widgets/cuda_editor/kernel_diff_view.h"
#include "widgets/cuda_editor/kernel_resources_table.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <nlohmann/json.hpp>

using namespace kf::widgets;
namespace compile = kf::gpu::compile;

namespace {

QString fixtureText(const QString& name) {
    QFile f(QStringLiteral(KF_COMPILE_FIXTURES "/") + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return QString::fromUtf8(f.readAll());
}

// The `compiled` event kf-runner sends for a recorded nvcc run: its log parsed by the runner's own code.
nlohmann::json compiledEventFor(const QString& name) {
    compile::CompileResult result;
    const std::string log = fixtureText(name + QStringLiteral(".log")).toStdString();
    const std::string source = fixtureText(name + QStringLiteral(".cu")).toStdString();
    result.diagnostics =
        compile::parseDiagnostics(log, {{(name + QStringLiteral(".cu")).toStdString(), source}});
    result.kernels = compile::parseKernelResources(log);
    result.log = log;
    result.ok =
        result.diagnostics.empty() || std::none_of(result.diagnostics.begin(), result.diagnostics.end(),
                                                   [](const auto& d) { return d.severity == "error"; });
    // Through text, as it crosses the pipe from kf-runner.
    return nlohmann::json::parse(compile::compiledEvent(kf::spec::Role::Candidate, result).dump());
}

// Scintilla returns the style byte sign-extended (substyles start at 128).
int styleAt(const CudaEditor& e, int line, int column) {
    return static_cast<int>(e.SendScintilla(QsciScintillaBase::SCI_GETSTYLEAT,
                                            static_cast<unsigned long>(e.bytePosition(line, column)))) &
           0xff;
}

} // namespace

class CudaEditorTest : public QObject {
    Q_OBJECT
private slots:
    void lexerClassifiesCudaIntoItsOwnStyles() {
        CudaEditor e;
        e.setText(QStringLiteral("__global__ void k(float4* y, dim3 g) {\n"
                                 "    int i = threadIdx.x;\n"
                                 "    __syncthreads();\n"
                                 "    atomicAdd(&y[0].x, 1.0f);\n"
                                 "    int plain = 0;\n"
                                 "}\n"));
        e.SendScintilla(QsciScintillaBase::SCI_COLOURISE, 0UL, -1L);
        QCOMPARE(styleAt(e, 1, 1), static_cast<int>(CudaLexer::Qualifier));        // __global__
        QCOMPARE(styleAt(e, 1, 12), static_cast<int>(QsciLexerCPP::Keyword));      // void
        QCOMPARE(styleAt(e, 1, 19), static_cast<int>(CudaLexer::CudaType));        // float4
        QCOMPARE(styleAt(e, 1, 30), static_cast<int>(CudaLexer::CudaType));        // dim3
        QCOMPARE(styleAt(e, 2, 13), static_cast<int>(CudaLexer::BuiltinVariable)); // threadIdx
        QCOMPARE(styleAt(e, 3, 5), static_cast<int>(CudaLexer::Intrinsic));        // __syncthreads
        QCOMPARE(styleAt(e, 4, 5), static_cast<int>(CudaLexer::Intrinsic));        // atomicAdd
        QCOMPARE(styleAt(e, 5, 9), static_cast<int>(QsciLexerCPP::Identifier));    // plain
        // Four CUDA styles, four colours, none of them the plain identifier's.
        const QColor ident = e.cudaLexer()->color(QsciLexerCPP::Identifier);
        QSet<QRgb> colours;
        for (const int s : {int(CudaLexer::Qualifier), int(CudaLexer::CudaType),
                            int(CudaLexer::BuiltinVariable), int(CudaLexer::Intrinsic)}) {
            const long fore =
                e.SendScintilla(QsciScintillaBase::SCI_STYLEGETFORE, static_cast<unsigned long>(s));
            colours.insert(static_cast<QRgb>(fore));
            QVERIFY(e.cudaLexer()->defaultColor(s) != ident);
        }
        QCOMPARE(colours.size(), 4);
    }

    void compilerDiagnosticsLandInTheEditorAndTheListJumps() {
        const nlohmann::json event = compiledEventFor(QStringLiteral("undefined_identifier"));
        CudaEditor editor;
        editor.setSourceName(QStringLiteral("undefined_identifier.cu"));
        editor.setText(fixtureText(QStringLiteral("undefined_identifier.cu")));
        DiagnosticsList list;
        QAbstractItemModelTester tester(list.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&list, &DiagnosticsList::jumpRequested, &editor, &CudaEditor::jumpTo);
        connect(&list, &DiagnosticsList::diagnosticsChanged, &editor, &CudaEditor::setCompilerDiagnostics);
        QString error;
        QVERIFY2(list.setCompiledEvent(event, &error), qPrintable(error));
        QCOMPARE(list.model()->rowCount(), 1);
        QCOMPARE(list.summary(), QStringLiteral("1 error(s), 0 warning(s), 0 note(s)"));
        const QModelIndex loc = list.model()->index(0, DiagnosticsModel::LocationColumn);
        QCOMPARE(loc.data().toString(), QStringLiteral("undefined_identifier.cu:3:23"));

        // The squiggle covers "foo" on line 3.
        QCOMPARE(editor.diagnostics().size(), 1);
        const auto bits = editor.SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR,
                                               static_cast<unsigned long>(editor.bytePosition(3, 23)));
        QVERIFY((bits >> CodeEditor::indicatorNumber(EditorDiagnostic::Severity::Error)) & 1);
        QVERIFY(editor.markersAtLine(2) != 0u);

        editor.goTo(1, 1);
        list.view()->setCurrentIndex(list.model()->index(0, 0));
        emit list.view()->activated(list.model()->index(0, 0));
        QCOMPARE(editor.cursorLine(), 3);
        QCOMPARE(editor.cursorColumn(), 23);

        // Another file's diagnostic does not move this editor.
        list.setDiagnostics(
            {{QStringLiteral("ptxas"), 0, 0, EditorDiagnostic::Severity::Error, QStringLiteral("x")},
             {QStringLiteral("other.cu"), 2, 1, EditorDiagnostic::Severity::Warning, QStringLiteral("y")}});
        QVERIFY(editor.diagnostics().isEmpty());
        emit list.view()->activated(list.model()->index(1, 0));
        QCOMPARE(editor.cursorLine(), 3);
    }

    void malformedDiagnosticsSayWhere() {
        DiagnosticsList list;
        QString error;
        const auto bad = nlohmann::json::parse(
            R"({"event":"compiled","diagnostics":[{"file":"a.cu","line":"3","col":1,"severity":"error","message":"m"}]})");
        QVERIFY(!list.setCompiledEvent(bad, &error));
        QCOMPARE(error, QStringLiteral("diagnostics[0].line: expected a non-negative integer"));
        QVERIFY(list.summary().contains(error));
        QCOMPARE(list.model()->rowCount(), 0);
    }

    void resourcesTableReadsARealCompiledEvent() {
        KernelResourcesTable table;
        QAbstractItemModelTester tester(table.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QString error;
        QVERIFY2(table.setCompiledEvent(compiledEventFor(QStringLiteral("register_spills")), &error),
                 qPrintable(error));
        const KernelResourcesModel* m = table.model();
        QCOMPARE(m->rowCount(), 2);
        QCOMPARE(m->index(0, KernelResourcesModel::KernelColumn).data().toString(),
                 QStringLiteral("heavy<48>"));
        QCOMPARE(m->index(0, KernelResourcesModel::RegistersColumn).data().toInt(), 32);
        QCOMPARE(m->index(0, KernelResourcesModel::StackColumn).data(Qt::UserRole).toLongLong(), 5616);
        QCOMPARE(m->index(0, KernelResourcesModel::SpillStoresColumn).data(Qt::UserRole).toLongLong(), 6940);
        QCOMPARE(m->index(0, KernelResourcesModel::SpillLoadsColumn).data(Qt::UserRole).toLongLong(), 8128);
        QCOMPARE(m->index(1, KernelResourcesModel::KernelColumn).data().toString(),
                 QStringLiteral("plain_c_kernel"));
        // The spilling kernel is highlighted; the other is not.
        QVERIFY(m->index(0, KernelResourcesModel::SpillStoresColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(!m->index(1, KernelResourcesModel::SpillStoresColumn).data(Qt::BackgroundRole).isValid());
        QVERIFY(m->index(0, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Spills")));
        QVERIFY(table.summary().contains(QStringLiteral("1 spilling")));
        table.view()->sortByColumn(KernelResourcesModel::RegistersColumn, Qt::AscendingOrder);
        QCOMPARE(table.view()->model()->index(0, 0).data().toString(), QStringLiteral("plain_c_kernel"));

        // The protocol document's example shape, with cmem given and shared memory used.
        const auto doc = nlohmann::json::parse(
            R"({"event":"compiled","role":"candidate","ok":true,"cached":false,"seconds":1.9,"diagnostics":[],
                "kernels":[{"name":"softmax_rows<256>","mangled":"_Z12softmax_rowsILi256EEvPKfPfl","registers":32,
                "smem_static":1024,"stack":0,"spill_stores":0,"spill_loads":0,"cmem":376}]})");
        QVERIFY(table.setCompiledEvent(doc, &error));
        QCOMPARE(m->index(0, KernelResourcesModel::SharedColumn).data(Qt::UserRole).toLongLong(), 1024);
        QCOMPARE(m->index(0, KernelResourcesModel::ConstantColumn).data(Qt::UserRole).toLongLong(), 376);

        QVERIFY(!table.setCompiledEvent(nlohmann::json::parse(R"({"kernels":[{"name":"k","registers":-1}]})"),
                                        &error));
        QCOMPARE(error, QStringLiteral("kernels[0].registers: expected a non-negative integer"));
        QCOMPARE(m->rowCount(), 0);
    }

    void diffOfTwoVersions() {
        KernelDiffView view;
        const QString v1 = QStringLiteral("__global__ void k(float* y) {\n    y[threadIdx.x] = 1.0f;\n}\n");
        const QString v2 = QStringLiteral(
            "__global__ void k(float* y, int n) {\n    int i = threadIdx.x;\n    if (i < n) y[i] = "
            "1.0f;\n}\n");
        view.setVersions(v1, v2, QStringLiteral("version 1"), QStringLiteral("version 2"));
        QCOMPARE(view.summary(), QStringLiteral("version 1 → version 2: 3 added, 2 removed"));
        // Unified: the two removed lines, the three added ones, then the unchanged brace.
        QCOMPARE(view.editor()->lines(), 7); // six lines and the empty line after the last newline
        const unsigned removed = 1u << KernelDiffView::RemovedMarker;
        const unsigned added = 1u << KernelDiffView::AddedMarker;
        QVERIFY(view.editor()->markersAtLine(0) & removed);
        QVERIFY(view.editor()->markersAtLine(1) & removed);
        QVERIFY(view.editor()->markersAtLine(2) & added);
        QVERIFY(view.editor()->markersAtLine(4) & added);
        QCOMPARE(view.editor()->markersAtLine(5) & (removed | added), 0u);
        QCOMPARE(view.editor()->text(5), QStringLiteral("}\n"));
        QVERIFY(view.editor()->isReadOnly());

        view.setVersions(v2, v2);
        QVERIFY(view.summary().startsWith(QStringLiteral("No changes")));
    }

    void goldKernelRendersWithADiagnostic() {
        // Smoke test over a real example kernel: it loads, lexes, and shows a diagnostic on a line of its
        // own.
        QFile f(QStringLiteral(KF_SPECS_DIR "/softmax-rows-f32.gold.cu"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        CudaEditor e;
        e.resize(900, 600);
        e.setText(QString::fromUtf8(f.readAll()));
        e.setCompilerDiagnostics({{QStringLiteral("kernel.cu"), 5, 1, EditorDiagnostic::Severity::Warning,
                                   QStringLiteral("variable declared but never referenced")}});
        QCOMPARE(e.diagnostics().size(), 1);
        QVERIFY(!e.grab().isNull());
    }
};

QTEST_MAIN(CudaEditorTest)
#include "cuda_editor_test.moc"
