// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractItemModel>
#include <QStringList>
#include <vector>

namespace kf::widgets {

// The spec library as a two-level tree: "Examples" (the *.kspec.yaml files of the example directories; the
// first directory holding a name wins) and "My specs" (the user's own directory).
class SpecLibraryModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Group { Examples = 0, UserSpecs = 1 };
    enum Role { PathRole = Qt::UserRole + 1, IsExampleRole };

    SpecLibraryModel(QStringList example_dirs, QString user_dir, QObject* parent = nullptr);

    QStringList exampleDirs() const { return example_dirs_; }
    QString userDir() const { return user_dir_; }
    // Lists the directories again (after a save, or when files changed outside).
    void refresh();

    QString pathAt(const QModelIndex& index) const; // empty for a group
    bool isExample(const QModelIndex& index) const;
    QModelIndex indexOfPath(const QString& path) const;
    QModelIndex groupIndex(Group group) const { return index(group, 0); }

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;

private:
    struct Entry {
        QString name;
        QString path;
    };
    static std::vector<Entry> list(const QStringList& dirs);

    QStringList example_dirs_;
    QString user_dir_;
    std::vector<Entry> groups_[2];
};

} // namespace kf::widgets
