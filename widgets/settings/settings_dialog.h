// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/settings/app_settings.h"
#include "widgets/settings/key_store.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace kf::widgets {

// Teacher (provider, model, base URL, effort or budget, API key), runner (local or ssh, path, sandbox),
// dataset path and theme. The key goes to the system keychain through KeyStore when it is edited; the rest
// comes back through settings().
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    SettingsDialog(const AppSettings& settings, KeyStore* keys, QWidget* parent = nullptr);

    AppSettings settings() const;
    // The key typed into the dialog, when the user changed it ("" and false when untouched).
    bool keyEdited() const { return key_edited_; }
    QString editedKey() const;

private:
    QWidget* teacherPage(const AppSettings& s);
    QWidget* runnerPage(const AppSettings& s);
    QWidget* otherPage(const AppSettings& s);
    void providerChanged();
    void updateRunnerFields();

    KeyStore* keys_;
    QComboBox* provider_ = nullptr;
    QLineEdit* model_ = nullptr;
    QLineEdit* base_url_ = nullptr;
    QComboBox* effort_ = nullptr;
    QSpinBox* budget_ = nullptr;
    QSpinBox* max_tokens_ = nullptr;
    QLineEdit* key_ = nullptr;
    QLabel* key_status_ = nullptr;
    QCheckBox* over_ssh_ = nullptr;
    QLineEdit* ssh_host_ = nullptr;
    QLineEdit* runner_path_ = nullptr;
    QCheckBox* sandbox_ = nullptr;
    QLineEdit* dataset_path_ = nullptr;
    QComboBox* theme_ = nullptr;
    bool key_edited_ = false;
};

} // namespace kf::widgets
