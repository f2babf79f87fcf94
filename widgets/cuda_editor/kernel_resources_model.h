// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <nlohmann/json_fwd.hpp>

namespace kf::widgets {

// What ptxas reported per kernel: the `kernels` of kf-runner's `compiled` event.
struct KernelResourceRow {
    QString name;      // "softmax_rows<256>"
    QString signature; // the full demangled name, when given
    QString mangled;
    int registers = 0;
    int barriers = 0;
    qint64 smem_static = 0; // bytes
    qint64 cmem = -1;       // bytes of cmem[0]; -1 when ptxas does not say
    qint64 stack = 0;
    qint64 spill_stores = 0;
    qint64 spill_loads = 0;

    bool spills() const { return spill_stores > 0 || spill_loads > 0; }
};

// Reads a `compiled` event's kernels (or the "kernels" array alone); false with `error` naming the bad field.
bool parseKernelResources(const nlohmann::json& json, QList<KernelResourceRow>* out, QString* error);

// One row per kernel: registers, static shared memory, stack, spill stores and loads, barriers, cmem. Kernels
// that spill are highlighted (their spill cells and name) and say so in a tooltip. Qt::UserRole gives the raw
// number of a cell, for sorting.
class KernelResourcesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        KernelColumn,
        RegistersColumn,
        SharedColumn,
        StackColumn,
        SpillStoresColumn,
        SpillLoadsColumn,
        BarriersColumn,
        ConstantColumn,
        ColumnCount
    };

    explicit KernelResourcesModel(QObject* parent = nullptr);

    void setKernels(const QList<KernelResourceRow>& kernels);
    const QList<KernelResourceRow>& kernels() const { return rows_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<KernelResourceRow> rows_;
};

} // namespace kf::widgets
