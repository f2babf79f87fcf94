// SPDX-License-Identifier: MIT
#include "widgets/settings/app_settings.h"

#include "core/dataset/store.h"

namespace kf::widgets {

AppSettings AppSettings::load(QSettings& s) {
    AppSettings a;
    a.provider = s.value("teacher/provider", a.provider).toString();
    a.model = s.value("teacher/model", a.model).toString();
    a.base_url = s.value("teacher/base_url", a.base_url).toString();
    a.effort = s.value("teacher/effort", a.effort).toString();
    a.budget_tokens = s.value("teacher/budget_tokens", a.budget_tokens).toLongLong();
    a.max_tokens = s.value("teacher/max_tokens", a.max_tokens).toLongLong();
    a.runner_over_ssh = s.value("runner/over_ssh", a.runner_over_ssh).toBool();
    a.ssh_host = s.value("runner/ssh_host", a.ssh_host).toString();
    a.runner_path = s.value("runner/path", a.runner_path).toString();
    a.sandbox = s.value("runner/sandbox", a.sandbox).toBool();
    a.dataset_path = s.value("dataset/path", a.dataset_path).toString();
    a.theme = s.value("look/theme", a.theme).toString();
    return a;
}

void AppSettings::save(QSettings& s) const {
    s.setValue("teacher/provider", provider);
    s.setValue("teacher/model", model);
    s.setValue("teacher/base_url", base_url);
    s.setValue("teacher/effort", effort);
    s.setValue("teacher/budget_tokens", budget_tokens);
    s.setValue("teacher/max_tokens", max_tokens);
    s.setValue("runner/over_ssh", runner_over_ssh);
    s.setValue("runner/ssh_host", ssh_host);
    s.setValue("runner/path", runner_path);
    s.setValue("runner/sandbox", sandbox);
    s.setValue("dataset/path", dataset_path);
    s.setValue("look/theme", theme);
}

teacher::TeacherSettings AppSettings::teacherSettings(const QString& api_key) const {
    teacher::TeacherSettings t;
    if (!teacher::parseProvider(provider.toStdString(), t.provider)) {
        t.provider = teacher::Provider::Anthropic;
    }
    t.model = model.toStdString();
    t.base_url = base_url.toStdString();
    t.api_key = api_key.toStdString();
    t.effort = budget_tokens > 0 ? std::string() : effort.toStdString();
    t.budget_tokens = budget_tokens;
    t.max_tokens = max_tokens;
    teacher::applyEnvironment(t, teacher::processEnvironment());
    return t;
}

runner::RunnerPlacement AppSettings::runnerPlacement() const {
    runner::RunnerPlacement p;
    p.runner = runner_path.toStdString();
    if (runner_over_ssh) {
        p.ssh_host = ssh_host.trimmed().toStdString();
    }
    p.no_sandbox = !sandbox;
    return p;
}

runner::RunnerClientOptions AppSettings::runnerOptions() const {
    return runner::clientOptionsFor(runner::Job{}, runnerPlacement());
}

QString AppSettings::datasetPath() const {
    return dataset_path.isEmpty() ? QString::fromStdString(dataset::Store::defaultPath()) : dataset_path;
}

QString AppSettings::defaultRunnerPath() {
    return QString::fromStdString(runner::findRunner());
}

} // namespace kf::widgets
