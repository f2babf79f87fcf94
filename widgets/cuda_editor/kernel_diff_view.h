// SPDX-License-Identifier: MIT
#pragma once

#include "core/text/line_diff.h"

#include <QWidget>
#include <vector>

class QLabel;

namespace kf::widgets {

class CudaEditor;

// A read-only unified diff of the current source against the previous version of the same attempt: every line
// of both, removed lines on red and added lines on green with -/+ in the margin, and each line's old and new
// numbers.
class KernelDiffView : public QWidget {
    Q_OBJECT
public:
    enum Marker { RemovedMarker = 3, AddedMarker = 4, RemovedSign = 5, AddedSign = 6 };

    explicit KernelDiffView(QWidget* parent = nullptr);

    // `previous_label` / `current_label` name the versions ("version 2", "editor").
    void setVersions(const QString& previous, const QString& current, const QString& previous_label = {},
                     const QString& current_label = {});
    void clear();

    const std::vector<kf::text::DiffLine>& diff() const { return diff_; }
    QString summary() const;
    CudaEditor* editor() const { return editor_; }
    void setDark(bool dark);

private:
    void applyColors();

    QLabel* summary_;
    CudaEditor* editor_;
    std::vector<kf::text::DiffLine> diff_;
};

} // namespace kf::widgets
