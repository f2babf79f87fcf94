// SPDX-License-Identifier: MIT
#include "widgets/settings/key_store.h"

#include <QProcessEnvironment>
#include <qt6keychain/keychain.h>

namespace kf::widgets {

namespace {

QString problemText(const QKeychain::Job& job) {
    if (job.error() == QKeychain::NoError || job.error() == QKeychain::EntryNotFound) {
        return {};
    }
    return QStringLiteral("the system keychain is not available: ") + job.errorString();
}

} // namespace

KeyStore::KeyStore(QString service, QObject* parent)
    : QObject(parent)
    , service_(std::move(service)) {}

QString KeyStore::environmentVariable(const QString& provider) {
    if (provider == QLatin1String("anthropic")) {
        return QStringLiteral("ANTHROPIC_API_KEY");
    }
    if (provider == QLatin1String("openai")) {
        return QStringLiteral("OPENAI_API_KEY");
    }
    return {};
}

QString KeyStore::sourceText(Source source) {
    switch (source) {
    case Source::Keychain:
        return QStringLiteral("from the system keychain");
    case Source::Environment:
        return QStringLiteral("from the environment");
    case Source::None:
        break;
    }
    return QStringLiteral("not set");
}

QString KeyStore::entry(const QString& provider) const {
    return provider + QStringLiteral("-api-key");
}

void KeyStore::read(const QString& provider) {
    auto* job = new QKeychain::ReadPasswordJob(service_, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file
    job->setKey(entry(provider));
    connect(job, &QKeychain::Job::finished, this, [this, provider](QKeychain::Job* j) {
        const auto* read = static_cast<QKeychain::ReadPasswordJob*>(j);
        const QString problem = problemText(*read);
        if (read->error() == QKeychain::NoError && !read->textData().isEmpty()) {
            emit keyRead(provider, read->textData(), Source::Keychain, {});
            return;
        }
        const QString var = environmentVariable(provider);
        const QString env = var.isEmpty() ? QString() : QProcessEnvironment::systemEnvironment().value(var);
        emit keyRead(provider, env, env.isEmpty() ? Source::None : Source::Environment, problem);
    });
    job->start();
}

void KeyStore::write(const QString& provider, const QString& key) {
    auto* job = new QKeychain::WritePasswordJob(service_, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry(provider));
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this, [this, provider](QKeychain::Job* j) {
        emit keyWritten(provider, j->error() == QKeychain::NoError, problemText(*j));
    });
    job->start();
}

void KeyStore::remove(const QString& provider) {
    auto* job = new QKeychain::DeletePasswordJob(service_, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(entry(provider));
    connect(job, &QKeychain::Job::finished, this, [this, provider](QKeychain::Job* j) {
        const bool ok = j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound;
        emit keyRemoved(provider, ok, problemText(*j));
    });
    job->start();
}

} // namespace kf::widgets
