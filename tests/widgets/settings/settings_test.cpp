// SPDX-License-Identifier: MIT
#include "widgets/settings/app_settings.h"
#include "widgets/settings/key_store.h"
#include "widgets/settings/settings_dialog.h"
#include "widgets/settings/theme.h"

#include <QApplication>
#include <QComboBox>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using kf::widgets::AppSettings;
using kf::widgets::KeyStore;
using kf::widgets::SettingsDialog;

class SettingsTest : public QObject {
    Q_OBJECT
private slots:
    void roundTripsThroughQSettings() {
        QTemporaryDir dir;
        QSettings store(dir.filePath("kf.ini"), QSettings::IniFormat);
        AppSettings a;
        a.provider = "openai";
        a.model = "Qwen/Qwen3-32B";
        a.base_url = "http://localhost:8000/v1";
        a.budget_tokens = 16384;
        a.runner_over_ssh = true;
        a.ssh_host = "gpu-box";
        a.theme = "dark";
        a.save(store);
        const AppSettings b = AppSettings::load(store);
        QCOMPARE(b.provider, a.provider);
        QCOMPARE(b.model, a.model);
        QCOMPARE(b.base_url, a.base_url);
        QCOMPARE(b.budget_tokens, a.budget_tokens);
        QCOMPARE(b.runner_over_ssh, true);
        QCOMPARE(b.ssh_host, a.ssh_host);
        QCOMPARE(b.theme, a.theme);
        // Nothing key-like is ever written to the settings file.
        for (const QString& k : store.allKeys()) {
            QVERIFY2(!k.contains("key", Qt::CaseInsensitive), qPrintable(k));
        }
    }

    void teacherSettingsUseTheBudgetOrTheEffort() {
        AppSettings a;
        a.provider = "anthropic";
        a.effort = "high";
        a.budget_tokens = 8000;
        const auto t = a.teacherSettings("sk-test");
        QCOMPARE(t.effort, std::string());
        QCOMPARE(t.budget_tokens, 8000);
        QCOMPARE(t.api_key, std::string("sk-test"));
        a.budget_tokens = 0;
        QCOMPARE(a.teacherSettings("").effort, std::string("high"));
    }

    void runnerOptionsGoOverSshOnlyWithAHost() {
        AppSettings a;
        a.runner_over_ssh = true;
        a.ssh_host = "  ";
        QVERIFY(!a.runnerOptions().ssh_host.has_value());
        a.ssh_host = "gpu-box";
        const auto o = a.runnerOptions();
        QCOMPARE(*o.ssh_host, std::string("gpu-box"));
        QCOMPARE(o.runner, std::string("kf-runner"));
    }

    void keyFallsBackToTheEnvironmentWithoutAKeychain() {
        // No D-Bus session here (offscreen CI): the keychain fails and the environment variable is used.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kf-test-bus");
        qputenv("ANTHROPIC_API_KEY", "sk-ant-from-env");
        KeyStore keys(QStringLiteral("KernelForgeTest"));
        QSignalSpy spy(&keys, &KeyStore::keyRead);
        keys.read("anthropic");
        QVERIFY(spy.wait(20000));
        const auto args = spy.takeFirst();
        QCOMPARE(args.at(0).toString(), QString("anthropic"));
        QCOMPARE(args.at(1).toString(), QString("sk-ant-from-env"));
        QCOMPARE(args.at(2).value<KeyStore::Source>(), KeyStore::Source::Environment);
        QVERIFY2(!args.at(3).toString().contains("sk-ant"), "a problem message must not quote the key");
        qunsetenv("ANTHROPIC_API_KEY");
    }

    void dialogReturnsWhatWasChosen() {
        AppSettings in;
        in.provider = "ollama";
        in.model = "qwen3";
        SettingsDialog dialog(in, nullptr);
        AppSettings out = dialog.settings();
        QCOMPARE(out.provider, QString("ollama"));
        QCOMPARE(out.model, QString("qwen3"));
        auto* provider = dialog.findChild<QComboBox*>("provider");
        QVERIFY(provider != nullptr);
        provider->setCurrentIndex(provider->findData("anthropic"));
        QCOMPARE(dialog.settings().provider, QString("anthropic"));
        QVERIFY(!dialog.keyEdited());
    }

    void themesSwitch() {
        kf::widgets::applyTheme("dark");
        QVERIFY(kf::widgets::isDarkTheme());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
        kf::widgets::applyTheme("light");
        QVERIFY(!kf::widgets::isDarkTheme());
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
    }
};

QTEST_MAIN(SettingsTest)
#include "settings_test.moc"
