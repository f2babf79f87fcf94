// SPDX-License-Identifier: MIT
#include "widgets/results/stage_progress.h"

#include "widgets/results/result_format.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>
#include <algorithm>

namespace kf::widgets {

namespace {

// Stages whose work is done once, in order; check and time alternate per size.
bool linear(const QString& stage) {
    return stage != QLatin1String("check") && stage != QLatin1String("time");
}

QString title(const QString& stage) {
    return stage.left(1).toUpper() + stage.mid(1);
}

} // namespace

StageProgress::StageProgress(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_row = new QWidget(this);
    auto* row = new QHBoxLayout(m_row);
    row->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_row);
    m_bar = new QProgressBar(this);
    m_bar->setTextVisible(false);
    m_bar->setMaximumHeight(6);
    layout->addWidget(m_bar);
    setPlan(QStringLiteral("run"), 0);
}

void StageProgress::setPlan(const QString& kind, int sizeCount) {
    for (auto& s : m_stages) {
        delete s.label;
    }
    m_stages.clear();
    QStringList names;
    if (kind == QLatin1String("compile")) {
        names = {QStringLiteral("compile")};
    } else if (kind == QLatin1String("calibrate")) {
        names = {QStringLiteral("calibrate")};
    } else {
        names = {QStringLiteral("compile"), QStringLiteral("load"), QStringLiteral("check"),
                 QStringLiteral("time")};
    }
    auto* row = static_cast<QHBoxLayout*>(m_row->layout());
    while (row->count() > 0) {
        delete row->takeAt(0);
    }
    for (const QString& n : names) {
        Stage s;
        s.name = n;
        s.label = new QLabel(m_row);
        s.label->setObjectName(QStringLiteral("stage-") + n);
        row->addWidget(s.label);
        m_stages.push_back(s);
    }
    row->addStretch(1);
    m_sizes = std::max(0, sizeCount);
    m_compileSeconds = 0;
    m_current.clear();
    m_bar->setRange(0, kind == QLatin1String("run") ? 2 + 2 * std::max(1, m_sizes) : 1);
    m_bar->setValue(0);
    refresh();
}

QStringList StageProgress::stages() const {
    QStringList out;
    for (const auto& s : m_stages) {
        out << s.name;
    }
    return out;
}

StageProgress::Stage* StageProgress::find(const QString& name) {
    const auto it =
        std::find_if(m_stages.begin(), m_stages.end(), [&](const Stage& s) { return s.name == name; });
    return it == m_stages.end() ? nullptr : &*it;
}

const StageProgress::Stage* StageProgress::find(const QString& name) const {
    return const_cast<StageProgress*>(this)->find(name);
}

StageProgress::State StageProgress::state(const QString& stage) const {
    const Stage* s = find(stage);
    return s != nullptr ? s->state : State::Skipped;
}

QString StageProgress::stageText(const QString& stage) const {
    const Stage* s = find(stage);
    return s != nullptr ? s->label->text() : QString();
}

int StageProgress::progressValue() const {
    return m_bar->value();
}

int StageProgress::progressMaximum() const {
    return m_bar->maximum();
}

void StageProgress::enter(const QString& name, int sizeIndex) {
    Stage* s = find(name);
    if (s == nullptr) {
        return;
    }
    // Everything before a stage that is done once is over; check and time take turns, size by size.
    for (auto& other : m_stages) {
        if (&other == s) {
            break;
        }
        if (linear(other.name) && (other.state == State::Running || other.state == State::Pending)) {
            other.state = State::Done;
        }
    }
    if (Stage* previous = find(m_current);
        previous != nullptr && previous != s && previous->state == State::Running) {
        previous->state = linear(previous->name) ? State::Done : State::Visited;
    }
    if (s->state != State::Failed) {
        s->state = State::Running;
    }
    if (sizeIndex >= 0) {
        s->detail = m_sizes > 0 ? tr("size %1 of %2").arg(sizeIndex + 1).arg(m_sizes)
                                : tr("size %1").arg(sizeIndex + 1);
    }
    m_current = name;
    int step = 0;
    if (name == QLatin1String("load")) {
        step = 1;
    } else if (name == QLatin1String("check")) {
        step = 2 + 2 * std::max(0, sizeIndex);
    } else if (name == QLatin1String("time")) {
        step = 3 + 2 * std::max(0, sizeIndex);
    }
    m_bar->setValue(std::max(m_bar->value(), std::min(step, m_bar->maximum())));
}

void StageProgress::fail(const QString& name, State how) {
    if (Stage* s = find(name); s != nullptr) {
        s->state = how;
    }
}

void StageProgress::addEvent(const nlohmann::json& ev) {
    const std::string kind = ev.value("event", std::string());
    if (kind == "stage") {
        const auto idx = ev.find("size_index");
        enter(format::text(ev, "stage"), idx != ev.end() && idx->is_number_integer() ? idx->get<int>() : -1);
    } else if (kind == "compiled") {
        m_compileSeconds += format::number(ev, "seconds").value_or(0);
        if (Stage* s = find(QStringLiteral("compile")); s != nullptr) {
            s->detail = format::seconds(m_compileSeconds);
            if (!ev.value("ok", false)) {
                s->state = State::Failed;
            }
        }
    } else if (kind == "checked" && !ev.value("ok", true)) {
        fail(QStringLiteral("check"), State::Failed);
    } else if (kind == "error") {
        const QString stage = format::text(ev, "stage");
        if (stage == QLatin1String("cancelled")) {
            fail(m_current.isEmpty() ? m_stages.front().name : m_current, State::Cancelled);
        } else if (find(stage) != nullptr) {
            fail(stage, State::Failed);
        } else if (stage == QLatin1String("launch")) {
            fail(m_current.isEmpty() ? QStringLiteral("check") : m_current, State::Failed);
        } else {
            fail(m_current.isEmpty() ? m_stages.front().name : m_current,
                 State::Failed); // crash, timeout, job
        }
    } else if (kind == "done") {
        for (auto& s : m_stages) {
            if (s.state == State::Running || s.state == State::Visited) {
                s.state = State::Done;
            } else if (s.state == State::Pending) {
                s.state = State::Skipped;
            }
        }
        m_current.clear();
        m_bar->setValue(m_bar->maximum());
    }
    refresh();
}

void StageProgress::refresh() {
    for (auto& s : m_stages) {
        QString mark;
        QString color;
        QString detail = s.detail;
        switch (s.state) {
        case State::Pending:
            mark = QStringLiteral("○");
            color = QStringLiteral("#808080");
            break;
        case State::Running:
            mark = QStringLiteral("▶");
            color = QStringLiteral("#1565c0");
            break;
        case State::Visited:
            mark = QStringLiteral("◐");
            color = QStringLiteral("#1565c0");
            break;
        case State::Done:
            mark = QStringLiteral("✓");
            color = QStringLiteral("#1b7f3b");
            break;
        case State::Failed:
            mark = QStringLiteral("✗");
            color = QStringLiteral("#c62828");
            break;
        case State::Cancelled:
            mark = QStringLiteral("■");
            color = QStringLiteral("#b26a00");
            detail = detail.isEmpty() ? tr("cancelled") : detail + tr(", cancelled");
            break;
        case State::Skipped:
            mark = QStringLiteral("–");
            color = QStringLiteral("#808080");
            detail = tr("not run");
            break;
        }
        QString text = mark + QLatin1Char(' ') + title(s.name);
        if (!detail.isEmpty()) {
            text += QStringLiteral(" · ") + detail;
        }
        s.label->setText(text);
        s.label->setStyleSheet(
            QStringLiteral("QLabel { color: %1; %2 }")
                .arg(color, s.state == State::Running ? QStringLiteral("font-weight: bold;") : QString()));
    }
}

} // namespace kf::widgets
