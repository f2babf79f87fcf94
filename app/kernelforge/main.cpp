// SPDX-License-Identifier: MIT
#include "main_window.h"

#include <QApplication>

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("KernelForge"));
    QApplication::setApplicationName(QStringLiteral("KernelForge"));
    QApplication::setApplicationVersion(QStringLiteral(KF_VERSION));
    kf::app::MainWindow window;
    window.show();
    return QApplication::exec();
}
