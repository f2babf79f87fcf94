// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_library_model.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

namespace kf::widgets {
namespace {

// Internal ids: 0 for the groups, group + 1 for their files.
constexpr quintptr kGroupId = 0;

} // namespace

SpecLibraryModel::SpecLibraryModel(QStringList example_dirs, QString user_dir, QObject* parent)
    : QAbstractItemModel(parent)
    , example_dirs_(std::move(example_dirs))
    , user_dir_(std::move(user_dir)) {
    refresh();
}

std::vector<SpecLibraryModel::Entry> SpecLibraryModel::list(const QStringList& dirs) {
    std::vector<Entry> out;
    QSet<QString> seen;
    for (const QString& dir : dirs) {
        const QFileInfoList files = QDir(dir).entryInfoList({QStringLiteral("*.kspec.yaml")},
                                                            QDir::Files | QDir::Readable, QDir::Name);
        for (const QFileInfo& f : files) {
            if (seen.contains(f.fileName()))
                continue;
            seen.insert(f.fileName());
            out.push_back({f.fileName(), f.absoluteFilePath()});
        }
    }
    std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return out;
}

void SpecLibraryModel::refresh() {
    beginResetModel();
    groups_[Examples] = list(example_dirs_);
    groups_[UserSpecs] = user_dir_.isEmpty() ? std::vector<Entry>{} : list({user_dir_});
    endResetModel();
}

QModelIndex SpecLibraryModel::index(int row, int column, const QModelIndex& parent) const {
    if (column != 0 || row < 0)
        return {};
    if (!parent.isValid())
        return row < 2 ? createIndex(row, 0, kGroupId) : QModelIndex();
    if (parent.internalId() != kGroupId || parent.column() != 0)
        return {};
    const auto& entries = groups_[parent.row()];
    if (row >= static_cast<int>(entries.size()))
        return {};
    return createIndex(row, 0, static_cast<quintptr>(parent.row() + 1));
}

QModelIndex SpecLibraryModel::parent(const QModelIndex& child) const {
    if (!child.isValid() || child.internalId() == kGroupId)
        return {};
    return createIndex(static_cast<int>(child.internalId() - 1), 0, kGroupId);
}

int SpecLibraryModel::rowCount(const QModelIndex& parent) const {
    if (!parent.isValid())
        return 2;
    if (parent.internalId() != kGroupId || parent.column() != 0)
        return 0;
    return static_cast<int>(groups_[parent.row()].size());
}

int SpecLibraryModel::columnCount(const QModelIndex&) const {
    return 1;
}

QString SpecLibraryModel::pathAt(const QModelIndex& index) const {
    if (!index.isValid() || index.internalId() == kGroupId)
        return {};
    return groups_[index.internalId() - 1][static_cast<std::size_t>(index.row())].path;
}

bool SpecLibraryModel::isExample(const QModelIndex& index) const {
    return index.isValid() && index.internalId() == Examples + 1;
}

QModelIndex SpecLibraryModel::indexOfPath(const QString& path) const {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    for (int g = 0; g < 2; ++g) {
        for (std::size_t i = 0; i < groups_[g].size(); ++i) {
            if (groups_[g][i].path == absolute)
                return index(static_cast<int>(i), 0, index(g, 0));
        }
    }
    return {};
}

QVariant SpecLibraryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid())
        return {};
    if (index.internalId() == kGroupId) {
        if (role == Qt::DisplayRole)
            return index.row() == Examples ? tr("Examples") : tr("My specs");
        if (role == Qt::ToolTipRole) {
            return index.row() == Examples ? example_dirs_.join(QLatin1Char('\n')) : user_dir_;
        }
        return {};
    }
    const Entry& e = groups_[index.internalId() - 1][static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return e.name.chopped(static_cast<qsizetype>(qstrlen(".kspec.yaml")));
    case Qt::ToolTipRole:
    case PathRole:
        return e.path;
    case IsExampleRole:
        return isExample(index);
    default:
        return {};
    }
}

Qt::ItemFlags SpecLibraryModel::flags(const QModelIndex& index) const {
    if (!index.isValid())
        return Qt::NoItemFlags;
    if (index.internalId() == kGroupId)
        return Qt::ItemIsEnabled;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

} // namespace kf::widgets
