// SPDX-License-Identifier: MIT
#include "widgets/settings/settings_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kf::widgets {

SettingsDialog::SettingsDialog(const AppSettings& settings, KeyStore* keys, QWidget* parent)
    : QDialog(parent)
    , keys_(keys) {
    setWindowTitle(tr("Settings"));
    auto* tabs = new QTabWidget(this);
    tabs->addTab(teacherPage(settings), tr("Teacher"));
    tabs->addTab(runnerPage(settings), tr("Runner"));
    tabs->addTab(otherPage(settings), tr("Dataset and look"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(buttons);
    if (keys_ != nullptr) {
        connect(
            keys_, &KeyStore::keyRead, this,
            [this](const QString& provider, const QString&, KeyStore::Source source, const QString& problem) {
                if (provider != provider_->currentData().toString()) {
                    return;
                }
                QString text = tr("Key %1.").arg(KeyStore::sourceText(source));
                if (!problem.isEmpty()) {
                    text += QLatin1Char(' ') + problem;
                }
                key_status_->setText(text);
            });
    }
    providerChanged();
    updateRunnerFields();
}

QWidget* SettingsDialog::teacherPage(const AppSettings& s) {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    provider_ = new QComboBox(page);
    provider_->setObjectName(QStringLiteral("provider"));
    provider_->addItem(tr("Anthropic (Claude)"), QStringLiteral("anthropic"));
    provider_->addItem(tr("OpenAI-compatible (vLLM, SGLang, llama.cpp, DeepSeek)"), QStringLiteral("openai"));
    provider_->addItem(tr("Ollama"), QStringLiteral("ollama"));
    provider_->setCurrentIndex(std::max(0, provider_->findData(s.provider)));
    model_ = new QLineEdit(s.model, page);
    model_->setPlaceholderText(tr("the provider's default"));
    base_url_ = new QLineEdit(s.base_url, page);
    base_url_->setPlaceholderText(tr("from the environment, else the provider's"));
    effort_ = new QComboBox(page);
    for (const char* e : {"", "low", "medium", "high", "xhigh", "max"}) {
        effort_->addItem(*e ? QString::fromLatin1(e) : tr("(use the budget)"), QString::fromLatin1(e));
    }
    effort_->setCurrentIndex(std::max(0, effort_->findData(s.effort)));
    budget_ = new QSpinBox(page);
    budget_->setRange(0, 1'000'000);
    budget_->setSingleStep(1024);
    budget_->setSpecialValueText(tr("none (use the effort)"));
    budget_->setValue(static_cast<int>(s.budget_tokens));
    max_tokens_ = new QSpinBox(page);
    max_tokens_->setRange(1024, 1'000'000);
    max_tokens_->setValue(static_cast<int>(s.max_tokens));
    key_ = new QLineEdit(page);
    key_->setEchoMode(QLineEdit::Password);
    key_->setPlaceholderText(tr("leave empty to keep the stored key"));
    key_status_ = new QLabel(page);
    key_status_->setWordWrap(true);
    connect(key_, &QLineEdit::textEdited, this, [this] { key_edited_ = true; });
    connect(provider_, &QComboBox::currentIndexChanged, this, [this] { providerChanged(); });
    form->addRow(tr("Provider"), provider_);
    form->addRow(tr("Model"), model_);
    form->addRow(tr("Base URL"), base_url_);
    form->addRow(tr("Thinking effort"), effort_);
    form->addRow(tr("Thinking budget (tokens)"), budget_);
    form->addRow(tr("Max tokens"), max_tokens_);
    form->addRow(tr("API key"), key_);
    form->addRow(QString(), key_status_);
    return page;
}

QWidget* SettingsDialog::runnerPage(const AppSettings& s) {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    over_ssh_ = new QCheckBox(tr("Run kf-runner on another machine over ssh"), page);
    over_ssh_->setChecked(s.runner_over_ssh);
    ssh_host_ = new QLineEdit(s.ssh_host, page);
    ssh_host_->setPlaceholderText(tr("user@gpu-box (key-based login; BatchMode)"));
    runner_path_ = new QLineEdit(s.runner_path, page);
    runner_path_->setPlaceholderText(AppSettings::defaultRunnerPath());
    sandbox_ = new QCheckBox(tr("Sandbox with bubblewrap where available (no network, no home)"), page);
    sandbox_->setChecked(s.sandbox);
    connect(over_ssh_, &QCheckBox::toggled, this, [this] { updateRunnerFields(); });
    form->addRow(over_ssh_);
    form->addRow(tr("SSH host"), ssh_host_);
    form->addRow(tr("kf-runner"), runner_path_);
    form->addRow(sandbox_);
    return page;
}

QWidget* SettingsDialog::otherPage(const AppSettings& s) {
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    dataset_path_ = new QLineEdit(s.dataset_path, page);
    dataset_path_->setPlaceholderText(AppSettings{}.datasetPath());
    theme_ = new QComboBox(page);
    theme_->addItem(tr("Light"), QStringLiteral("light"));
    theme_->addItem(tr("Dark"), QStringLiteral("dark"));
    theme_->setCurrentIndex(std::max(0, theme_->findData(s.theme)));
    form->addRow(tr("Dataset file"), dataset_path_);
    form->addRow(tr("Theme"), theme_);
    return page;
}

void SettingsDialog::providerChanged() {
    const QString provider = provider_->currentData().toString();
    const bool needs_key = !KeyStore::environmentVariable(provider).isEmpty();
    key_->setEnabled(needs_key);
    key_->clear();
    key_edited_ = false;
    key_status_->setText(needs_key ? tr("Looking for a key...") : tr("Ollama needs no key."));
    if (needs_key && keys_ != nullptr) {
        keys_->read(provider);
    }
}

void SettingsDialog::updateRunnerFields() {
    ssh_host_->setEnabled(over_ssh_->isChecked());
    sandbox_->setEnabled(!over_ssh_->isChecked());
}

QString SettingsDialog::editedKey() const {
    return key_edited_ ? key_->text() : QString();
}

AppSettings SettingsDialog::settings() const {
    AppSettings s;
    s.provider = provider_->currentData().toString();
    s.model = model_->text().trimmed();
    s.base_url = base_url_->text().trimmed();
    s.effort = effort_->currentData().toString();
    s.budget_tokens = budget_->value();
    s.max_tokens = max_tokens_->value();
    s.runner_over_ssh = over_ssh_->isChecked();
    s.ssh_host = ssh_host_->text().trimmed();
    s.runner_path = runner_path_->text().trimmed();
    s.sandbox = sandbox_->isChecked();
    s.dataset_path = dataset_path_->text().trimmed();
    s.theme = theme_->currentData().toString();
    return s;
}

} // namespace kf::widgets
