// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/cuda_editor/kernel_resources_model.h"

#include <QWidget>

class QLabel;
class QSortFilterProxyModel;
class QTableView;

namespace kf::widgets {

// Each kernel's registers, shared memory, stack and spills after a compile, sortable, with a summary line
// that calls out spills.
class KernelResourcesTable : public QWidget {
    Q_OBJECT
public:
    explicit KernelResourcesTable(QWidget* parent = nullptr);

    KernelResourcesModel* model() const { return model_; }
    QTableView* view() const { return view_; }
    QString summary() const;

    void setKernels(const QList<KernelResourceRow>& kernels);
    // A `compiled` event (or its "kernels" array): false with `error` set when it is malformed.
    bool setCompiledEvent(const nlohmann::json& event, QString* error = nullptr);
    void clear();

private:
    KernelResourcesModel* model_;
    QSortFilterProxyModel* sorted_;
    QTableView* view_;
    QLabel* summary_;
};

} // namespace kf::widgets
