// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/job_setup.h"
#include "core/runner/runner_client.h"
#include "core/teacher/teacher_settings.h"

#include <QSettings>
#include <QString>

namespace kf::widgets {

// Everything the workbench remembers between sessions except secrets (API keys live in the keychain, see
// KeyStore). Stored with QSettings; load() fills defaults for anything never set.
struct AppSettings {
    // Teacher
    QString provider = QStringLiteral("anthropic"); // anthropic | openai | ollama
    QString model;                                  // empty: the provider's default
    QString base_url;                               // empty: the environment's or the provider's default
    QString effort = QStringLiteral("high");        // thinking effort; empty when a budget is used
    qint64 budget_tokens = 0;                       // > 0: manual thinking budget
    qint64 max_tokens = 32000;
    // Runner
    bool runner_over_ssh = false;
    QString ssh_host;
    QString runner_path; // empty: the kf-runner next to this executable, else PATH
    bool sandbox = true; // bubblewrap when the host allows it
    // Dataset
    QString dataset_path; // empty: kf::dataset::Store::defaultPath()
    // Look
    QString theme = QStringLiteral("light"); // light | dark

    static AppSettings load(QSettings& s);
    void save(QSettings& s) const;

    // The teacher settings these describe, the key and the DESIGN.md environment applied; the key is never
    // stored here.
    teacher::TeacherSettings teacherSettings(const QString& api_key) const;
    // Where kf-runner runs: ssh only with a host; an empty path is found by runner::findRunner.
    runner::RunnerPlacement runnerPlacement() const;
    runner::RunnerClientOptions runnerOptions() const; // for a job without a compile cache of its own
    QString datasetPath() const;
    // The kf-runner used when runner_path is empty (runner::findRunner: $KF_RUNNER, beside the executable).
    static QString defaultRunnerPath();
};

} // namespace kf::widgets
