// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QWidget>
#include <nlohmann/json.hpp>
#include <vector>

class QLabel;
class QProgressBar;

namespace kf::widgets {

// A run's stages in a row (compile, load, check, time for a run job), each with its state, and a bar for the
// run as a whole: compile and load count one step each, every size one step for its checks and one for its
// timing. Fed the run's events.
class StageProgress : public QWidget {
    Q_OBJECT
public:
    enum class State { Pending, Running, Visited, Done, Failed, Cancelled, Skipped };

    explicit StageProgress(QWidget* parent = nullptr);

    // The stages a job of `kind` ("run", "compile", "calibrate") goes through, and its number of sizes.
    void setPlan(const QString& kind, int sizeCount);
    void addEvent(const nlohmann::json& event);

    QStringList stages() const;
    State state(const QString& stage) const;
    QString stageText(const QString& stage) const; // what its label shows
    int progressValue() const;
    int progressMaximum() const;

private:
    struct Stage {
        QString name;
        State state = State::Pending;
        QString detail;
        QLabel* label = nullptr;
    };
    Stage* find(const QString& name);
    const Stage* find(const QString& name) const;
    void enter(const QString& name, int sizeIndex);
    void fail(const QString& name, State how);
    void refresh();

    std::vector<Stage> m_stages;
    int m_sizes = 0;
    double m_compileSeconds = 0;
    QString m_current;
    QProgressBar* m_bar = nullptr;
    QWidget* m_row = nullptr;
};

} // namespace kf::widgets
