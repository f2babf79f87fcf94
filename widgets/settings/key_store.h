// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>

namespace kf::widgets {

// API keys in the system keychain (QtKeychain: Secret Service, KWallet, macOS Keychain, Windows Credential
// Store), one entry per provider, with the DESIGN.md environment variables as the fallback when the keychain
// has none or there is no keychain at all. Keys never go anywhere else: not to QSettings, logs or messages.
// Keychain calls are asynchronous (the Secret Service is a D-Bus round trip); results arrive as signals.
class KeyStore : public QObject {
    Q_OBJECT
public:
    enum class Source { Keychain, Environment, None };
    Q_ENUM(Source)

    explicit KeyStore(QString service = QStringLiteral("KernelForge"), QObject* parent = nullptr);

    // The environment variable that holds `provider`'s key ("" for providers without keys: ollama).
    static QString environmentVariable(const QString& provider);
    static QString sourceText(Source source);

    void read(const QString& provider);
    void write(const QString& provider, const QString& key);
    void remove(const QString& provider);

signals:
    // `problem` says why the keychain could not be used (no secret service, access denied), without the key.
    void keyRead(const QString& provider, const QString& key, kf::widgets::KeyStore::Source source,
                 const QString& problem);
    void keyWritten(const QString& provider, bool ok, const QString& problem);
    void keyRemoved(const QString& provider, bool ok, const QString& problem);

private:
    QString entry(const QString& provider) const;

    QString service_;
};

} // namespace kf::widgets
