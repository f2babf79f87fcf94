// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/kernel_resources_model.h"

#include <QBrush>
#include <QFont>
#include <QLocale>
#include <nlohmann/json.hpp>

namespace kf::widgets {
namespace {

QString bytes(qint64 n) {
    return QLocale().toString(n) + QStringLiteral(" B");
}

} // namespace

bool parseKernelResources(const nlohmann::json& json, QList<KernelResourceRow>* out, QString* error) {
    const auto fail = [error](const QString& what) {
        if (error)
            *error = what;
        return false;
    };
    const nlohmann::json* list = &json;
    if (json.is_object()) {
        if (!json.contains("kernels"))
            return fail(QStringLiteral("compiled event: no \"kernels\" array"));
        list = &json.at("kernels");
    }
    if (!list->is_array())
        return fail(QStringLiteral("kernels: expected an array"));
    QList<KernelResourceRow> rows;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& k = (*list)[i];
        const QString where = QStringLiteral("kernels[%1]").arg(i);
        if (!k.is_object())
            return fail(where + QStringLiteral(": expected an object"));
        if (!k.contains("name") || !k.at("name").is_string())
            return fail(where + QStringLiteral(".name: expected a string"));
        KernelResourceRow r;
        r.name = QString::fromStdString(k.at("name").get<std::string>());
        for (const auto& [key, field] :
             {std::pair{"signature", &r.signature}, std::pair{"mangled", &r.mangled}}) {
            if (!k.contains(key))
                continue;
            if (!k.at(key).is_string())
                return fail(where + QLatin1Char('.') + QLatin1String(key) +
                            QStringLiteral(": expected a string"));
            *field = QString::fromStdString(k.at(key).get<std::string>());
        }
        // Required counts, then optional ones (barriers and cmem came later; cmem is null where ptxas is
        // silent).
        const std::pair<const char*, qint64*> counts[] = {{"registers", nullptr},
                                                          {"smem_static", &r.smem_static},
                                                          {"stack", &r.stack},
                                                          {"spill_stores", &r.spill_stores},
                                                          {"spill_loads", &r.spill_loads},
                                                          {"barriers", nullptr},
                                                          {"cmem", &r.cmem}};
        for (const auto& [key, field] : counts) {
            const bool optional = std::string_view(key) == "barriers" || std::string_view(key) == "cmem";
            if (!k.contains(key) || (optional && k.at(key).is_null())) {
                if (optional)
                    continue;
                return fail(where + QLatin1Char('.') + QLatin1String(key) + QStringLiteral(": missing"));
            }
            if (!k.at(key).is_number_integer() || k.at(key).get<long long>() < 0) {
                return fail(where + QLatin1Char('.') + QLatin1String(key) +
                            QStringLiteral(": expected a non-negative integer"));
            }
            const qint64 v = k.at(key).get<qint64>();
            if (std::string_view(key) == "registers") {
                r.registers = static_cast<int>(std::min<qint64>(v, INT32_MAX));
            } else if (std::string_view(key) == "barriers") {
                r.barriers = static_cast<int>(std::min<qint64>(v, INT32_MAX));
            } else {
                *field = v;
            }
        }
        rows.push_back(r);
    }
    *out = rows;
    return true;
}

KernelResourcesModel::KernelResourcesModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void KernelResourcesModel::setKernels(const QList<KernelResourceRow>& kernels) {
    beginResetModel();
    rows_ = kernels;
    endResetModel();
}

int KernelResourcesModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

int KernelResourcesModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KernelResourcesModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KernelResourceRow& r = rows_[index.row()];
    const int c = index.column();
    const bool spill_cell = c == SpillStoresColumn || c == SpillLoadsColumn;
    switch (role) {
    case Qt::DisplayRole:
        switch (c) {
        case KernelColumn:
            return r.name;
        case RegistersColumn:
            return r.registers;
        case SharedColumn:
            return bytes(r.smem_static);
        case StackColumn:
            return bytes(r.stack);
        case SpillStoresColumn:
            return bytes(r.spill_stores);
        case SpillLoadsColumn:
            return bytes(r.spill_loads);
        case BarriersColumn:
            return r.barriers;
        case ConstantColumn:
            return r.cmem < 0 ? QStringLiteral("\u2014") : bytes(r.cmem);
        default:
            return {};
        }
    case Qt::UserRole:
        switch (c) {
        case KernelColumn:
            return r.name;
        case RegistersColumn:
            return r.registers;
        case SharedColumn:
            return r.smem_static;
        case StackColumn:
            return r.stack;
        case SpillStoresColumn:
            return r.spill_stores;
        case SpillLoadsColumn:
            return r.spill_loads;
        case BarriersColumn:
            return r.barriers;
        case ConstantColumn:
            return r.cmem;
        default:
            return {};
        }
    case Qt::TextAlignmentRole:
        return c == KernelColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                 : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::BackgroundRole:
        if (r.spills() && (spill_cell || c == KernelColumn))
            return QBrush(QColor(0xf8, 0xc8, 0xc4));
        return {};
    case Qt::ForegroundRole:
        if (r.spills() && (spill_cell || c == KernelColumn))
            return QBrush(QColor(0x8b, 0x00, 0x00));
        return {};
    case Qt::FontRole:
        if (r.spills() && spill_cell) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::ToolTipRole: {
        QString tip = r.signature.isEmpty() ? r.name : r.signature;
        if (!r.mangled.isEmpty())
            tip += QStringLiteral("\n") + r.mangled;
        if (r.spills()) {
            tip += tr("\nSpills to local memory: %1 stored, %2 loaded per thread")
                       .arg(bytes(r.spill_stores), bytes(r.spill_loads));
        }
        return tip;
    }
    default:
        return {};
    }
}

QVariant KernelResourcesModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == SharedColumn) {
        return tr("Static shared memory declared in the kernel (dynamic shared memory comes at launch)");
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KernelColumn:
        return tr("Kernel");
    case RegistersColumn:
        return tr("Registers");
    case SharedColumn:
        return tr("Shared (static)");
    case StackColumn:
        return tr("Stack");
    case SpillStoresColumn:
        return tr("Spill stores");
    case SpillLoadsColumn:
        return tr("Spill loads");
    case BarriersColumn:
        return tr("Barriers");
    case ConstantColumn:
        return tr("cmem[0]");
    default:
        return {};
    }
}

} // namespace kf::widgets
