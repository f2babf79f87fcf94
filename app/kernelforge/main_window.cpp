// SPDX-License-Identifier: MIT
#include "main_window.h"

namespace kf::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent) {
    setWindowTitle(QStringLiteral("KernelForge"));
    resize(1600, 1000);
}

} // namespace kf::app
