// SPDX-License-Identifier: MIT
#pragma once

#include <QDir>
#include <QSettings>
#include <QString>

namespace kf::test {

// Workbench settings for a run against a loopback teacher at `teacher_url`, with the dataset in `dir` and
// the kf-runner of this build (when there is one), unsandboxed so CI needs no bubblewrap.
inline void writeLoopbackSettings(QSettings& settings, const QString& teacher_url, const QDir& dir) {
    settings.setValue("teacher/provider", "anthropic");
    settings.setValue("teacher/model", "claude-sonnet-4-20250514");
    settings.setValue("teacher/base_url", teacher_url);
    settings.setValue("dataset/path", dir.filePath("kf.db"));
    settings.setValue("runner/sandbox", false);
#ifdef KF_RUNNER_PATH
    settings.setValue("runner/path", KF_RUNNER_PATH);
#endif
}

} // namespace kf::test
