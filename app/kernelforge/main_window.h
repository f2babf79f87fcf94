// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

namespace kf::app {

// The workbench window: wiring only. Each panel is a widget from widgets/; this class places them in docks,
// connects their signals, and keeps the layout between sessions.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace kf::app
