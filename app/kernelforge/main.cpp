// SPDX-License-Identifier: MIT
#include "main_window.h"
#include "widgets/spec_editor/spec_library.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QSettings>
#include <QTimer>
#include <memory>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("KernelForge"));
    QApplication::setApplicationName(QStringLiteral("KernelForge"));
    QApplication::setApplicationVersion(QStringLiteral(KF_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("KernelForge: write a kernel spec, watch a teacher reason its "
                       "way to a CUDA kernel, check and time it, keep it."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOption({QStringLiteral("settings"), QStringLiteral("Keep settings in this INI file."),
                      QStringLiteral("file")});
    parser.addOption(
        {QStringLiteral("screenshot"),
         QStringLiteral("Save the window as a PNG after --screenshot-delay ms, then quit (docs)."),
         QStringLiteral("png")});
    parser.addOption({QStringLiteral("screenshot-delay"),
                      QStringLiteral("Milliseconds before the screenshot."), QStringLiteral("ms"),
                      QStringLiteral("3000")});
    parser.addPositionalArgument(QStringLiteral("spec"), QStringLiteral("A *.kspec.yaml to open."), "[spec]");
    parser.process(app);

    std::unique_ptr<QSettings> settings =
        parser.isSet("settings") ? std::make_unique<QSettings>(parser.value("settings"), QSettings::IniFormat)
                                 : std::make_unique<QSettings>();
    kf::app::MainWindow window(settings.get());
    QString error;
    const QStringList args = parser.positionalArguments();
    const QStringList recent = settings->value("recent/specs").toStringList();
    if (!args.isEmpty()) {
        window.specLibrary()->openFile(args.first(), &error);
    } else if (!recent.isEmpty() && window.specLibrary()->openFile(recent.first(), &error)) {
    } else {
        // First run: an example to start from, as an untitled copy.
        for (const QString& dir : kf::widgets::SpecLibrary::defaultExampleDirs()) {
            if (window.specLibrary()->openCopy(QDir(dir).filePath("softmax-rows-f32.kspec.yaml"), &error)) {
                break;
            }
        }
    }
    window.show();
    if (parser.isSet("screenshot")) {
        const QString png = parser.value("screenshot");
        QTimer::singleShot(parser.value("screenshot-delay").toInt(), &window, [&window, png] {
            const bool saved = window.grab().save(png);
            QApplication::exit(saved ? 0 : 1);
        });
    }
    return QApplication::exec();
}
