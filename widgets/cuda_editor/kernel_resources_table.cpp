// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/kernel_resources_table.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace kf::widgets {

KernelResourcesTable::KernelResourcesTable(QWidget* parent)
    : QWidget(parent)
    , model_(new KernelResourcesModel(this))
    , sorted_(new QSortFilterProxyModel(this))
    , view_(new QTableView(this))
    , summary_(new QLabel(this)) {
    sorted_->setSourceModel(model_);
    sorted_->setSortRole(Qt::UserRole);
    view_->setModel(sorted_);
    view_->setSortingEnabled(true);
    view_->sortByColumn(-1, Qt::AscendingOrder); // ptxas's order until the user sorts
    view_->verticalHeader()->hide();
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    view_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view_->horizontalHeader()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);
    clear();
}

QString KernelResourcesTable::summary() const {
    return summary_->text();
}

void KernelResourcesTable::clear() {
    model_->setKernels({});
    summary_->setText(tr("No compile yet."));
}

void KernelResourcesTable::setKernels(const QList<KernelResourceRow>& kernels) {
    model_->setKernels(kernels);
    const auto spilling =
        std::count_if(kernels.begin(), kernels.end(), [](const auto& k) { return k.spills(); });
    QString text = tr("%n kernel(s)", nullptr, static_cast<int>(kernels.size()));
    if (spilling > 0) {
        text += QStringLiteral(": ") + tr("<b style='color:#b00000'>%n spilling to local memory</b>", nullptr,
                                          static_cast<int>(spilling));
    }
    summary_->setText(text);
}

bool KernelResourcesTable::setCompiledEvent(const nlohmann::json& event, QString* error) {
    QList<KernelResourceRow> rows;
    QString why;
    if (!parseKernelResources(event, &rows, &why)) {
        model_->setKernels({});
        summary_->setText(tr("Cannot read the kernels' resources: %1").arg(why.toHtmlEscaped()));
        if (error)
            *error = why;
        return false;
    }
    setKernels(rows);
    return true;
}

} // namespace kf::widgets
