// SPDX-License-Identifier: MIT
#include "widgets/dataset/export_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace kf::widgets {

using kf::dataset::AttemptFilter;
using kf::dataset::ExportOptions;
using kf::dataset::ExportResult;

namespace {

// Thrown from the progress callback to stop the export; the exporter's files unwind (temporaries removed).
struct ExportCancelled {};

const QString kRed = QStringLiteral("color: #d64545;");

} // namespace

QString describeFilter(const AttemptFilter& f) {
    QStringList parts;
    const auto add = [&parts](const char* label, const std::string& value) {
        if (!value.empty()) {
            parts << QStringLiteral("%1 %2").arg(QLatin1String(label), QString::fromStdString(value));
        }
    };
    add("spec", f.spec_id);
    add("review", f.review_status);
    add("verdict", f.verdict);
    add("provider", f.provider);
    add("model", f.model.empty() ? std::string() : f.model + "*");
    add("since", f.since);
    add("until", f.until);
    if (f.min_speedup >= 0.0) {
        parts << QStringLiteral("speedup ≥ %1×").arg(f.min_speedup, 0, 'f', 2);
    }
    if (!f.search.empty()) {
        parts << QStringLiteral("search \"%1\"").arg(QString::fromStdString(f.search));
    }
    return parts.isEmpty() ? QObject::tr("every attempt") : parts.join(QStringLiteral(" · "));
}

ExportDialog::ExportDialog(const QString& storePath, QWidget* parent)
    : QDialog(parent)
    , m_path(storePath) {
    setWindowTitle(tr("Export dataset"));
    m_pool.setMaxThreadCount(1);

    m_outDir = new QLineEdit(this);
    m_outDir->setPlaceholderText(tr("Folder for data/, README.md and MANIFEST.sha256"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Export into"), m_outDir->text());
        if (!dir.isEmpty()) {
            m_outDir->setText(dir);
        }
    });
    auto* outRow = new QHBoxLayout;
    outRow->addWidget(m_outDir, 1);
    outRow->addWidget(browse);

    m_sft = new QCheckBox(QStringLiteral("sft"), this);
    m_sft->setToolTip(tr("Chat messages (prompt, reasoning, answer) for supervised fine-tuning"));
    m_full = new QCheckBox(QStringLiteral("full"), this);
    m_full->setToolTip(tr("Every field the store keeps: conversation, kernels, runs, reviews"));
    m_preference = new QCheckBox(QStringLiteral("preference"), this);
    m_preference->setToolTip(
        tr("Chosen/rejected pairs per task (accepted against rejected or failing attempts)"));
    auto* configRow = new QHBoxLayout;
    for (QCheckBox* c : {m_sft, m_full, m_preference}) {
        c->setChecked(true);
        configRow->addWidget(c);
    }
    configRow->addStretch();

    m_accepted = new QRadioButton(tr("Accepted attempts"), this);
    m_accepted->setChecked(true);
    m_filtered = new QRadioButton(this);
    setBrowserFilter({});
    auto* scopeBox = new QVBoxLayout;
    scopeBox->addWidget(m_accepted);
    scopeBox->addWidget(m_filtered);

    m_name = new QLineEdit(QString::fromStdString(ExportOptions{}.name), this);
    m_version = new QLineEdit(QString::fromStdString(ExportOptions{}.dataset_version), this);

    auto* form = new QFormLayout;
    form->addRow(tr("Output folder"), outRow);
    form->addRow(tr("Configs"), configRow);
    form->addRow(tr("Rows"), scopeBox);
    form->addRow(tr("Dataset name"), m_name);
    form->addRow(tr("Version"), m_version);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_report = new QPlainTextEdit(this);
    m_report->setReadOnly(true);
    m_report->setVisible(false);

    auto* buttons = new QDialogButtonBox(this);
    m_exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_exportButton->setDefault(true);
    m_closeButton = buttons->addButton(QDialogButtonBox::Close);
    connect(m_exportButton, &QPushButton::clicked, this, &ExportDialog::startExport);
    connect(m_closeButton, &QPushButton::clicked, this, [this] {
        if (m_running) {
            cancelExport();
        } else {
            QDialog::reject();
        }
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_report, 1);
    layout->addWidget(buttons);
    resize(560, 360);
}

ExportDialog::~ExportDialog() {
    if (m_cancel) {
        m_cancel->store(true); // the pool then waits only for the current attempt
    }
    m_tracker.invalidate();
}

void ExportDialog::setBrowserFilter(const AttemptFilter& filter) {
    m_browserFilter = filter;
    m_filtered->setText(tr("Attempts matching the browser's filter: %1").arg(describeFilter(filter)));
}

void ExportDialog::setScope(Scope scope) {
    (scope == Scope::Accepted ? m_accepted : m_filtered)->setChecked(true);
}

ExportDialog::Scope ExportDialog::scope() const {
    return m_accepted->isChecked() ? Scope::Accepted : Scope::BrowserFilter;
}

void ExportDialog::setOutDir(const QString& dir) {
    m_outDir->setText(dir);
}

QString ExportDialog::outDir() const {
    return m_outDir->text().trimmed();
}

void ExportDialog::setConfigs(const QStringList& configs) {
    m_sft->setChecked(configs.contains(QStringLiteral("sft")));
    m_full->setChecked(configs.contains(QStringLiteral("full")));
    m_preference->setChecked(configs.contains(QStringLiteral("preference")));
}

QStringList ExportDialog::configs() const {
    QStringList out;
    for (QCheckBox* c : {m_sft, m_full, m_preference}) {
        if (c->isChecked()) {
            out << c->text();
        }
    }
    return out;
}

ExportOptions ExportDialog::options() const {
    ExportOptions o;
    o.out_dir = QFileInfo(outDir()).absoluteFilePath().toStdString();
    o.configs.clear();
    for (const auto& c : configs()) {
        o.configs.push_back(c.toStdString());
    }
    if (scope() == Scope::Accepted) {
        o.filter.review_status = "accepted";
        o.include_all = false;
    } else {
        o.filter = m_browserFilter;
        o.filter.limit = -1;
        o.filter.offset = 0;
        // The exporter keeps accepted rows unless told otherwise: a filter without a review status means
        // every status, one with a status means that status.
        o.include_all = m_browserFilter.review_status.empty();
    }
    o.name = m_name->text().trimmed().toStdString();
    o.dataset_version = m_version->text().trimmed().toStdString();
    return o;
}

void ExportDialog::showError(const QString& message) {
    m_error = message;
    m_status->setStyleSheet(kRed);
    m_status->setText(message);
}

void ExportDialog::setRunning(bool running) {
    m_running = running;
    m_exportButton->setEnabled(!running);
    m_closeButton->setText(running ? tr("Cancel") : tr("Close"));
    for (QWidget* w : std::initializer_list<QWidget*>{m_outDir, m_sft, m_full, m_preference, m_accepted,
                                                      m_filtered, m_name, m_version}) {
        w->setEnabled(!running);
    }
}

void ExportDialog::startExport() {
    if (m_running) {
        return;
    }
    m_report->hide();
    m_error.clear();
    if (outDir().isEmpty()) {
        showError(tr("Choose an output folder."));
        m_outDir->setFocus();
        return;
    }
    if (configs().isEmpty()) {
        showError(tr("Choose at least one config (sft, full, preference)."));
        return;
    }
    if (m_name->text().trimmed().isEmpty() || m_version->text().trimmed().isEmpty()) {
        showError(tr("The dataset needs a name and a version."));
        return;
    }
    auto options = this->options();
    m_status->setStyleSheet({});
    m_status->setText(tr("Exporting into %1…").arg(QString::fromStdString(options.out_dir)));
    m_progress->setRange(0, 0); // busy until the first count arrives
    setRunning(true);

    const auto job = m_tracker.start();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    auto lastShown = std::make_shared<std::atomic<int64_t>>(-1);
    // Called once per attempt on the worker: post only when the bar moves by a permille, so that a large
    // export does not flood the GUI's event queue.
    options.progress = [this, job, cancel = m_cancel, lastShown](int64_t done, int64_t total) {
        if (cancel->load()) {
            throw ExportCancelled{};
        }
        const int64_t permille = total > 0 ? done * 1000 / total : 1000;
        if (lastShown->exchange(permille) != permille) {
            m_tracker.post(job, [this, done, total] { showProgress(done, total); });
        }
    };
    (void)QtConcurrent::run(&m_pool, [this, job, options = std::move(options), path = m_path.toStdString()] {
        try {
            const auto store = kf::dataset::Store::open(path);
            const auto result = kf::dataset::exportDataset(store, options);
            m_tracker.post(job, [this, result] { finish(result); });
        } catch (const ExportCancelled&) {
            m_tracker.post(job, [this] {
                fail(tr("Export cancelled: the folder does not hold a complete new export (no new "
                        "MANIFEST.sha256)."));
            });
        } catch (const std::exception& e) {
            m_tracker.post(job, [this, message = QString::fromStdString(e.what())] {
                fail(tr("Export failed: %1").arg(message));
            });
        }
    });
}

void ExportDialog::cancelExport() {
    if (m_running && m_cancel) {
        m_cancel->store(true);
        m_status->setText(tr("Cancelling…"));
    }
}

void ExportDialog::reject() {
    if (m_running) {
        cancelExport(); // the dialog closes when the export has stopped
        connect(this, &ExportDialog::exportFinished, this, &QDialog::reject, Qt::SingleShotConnection);
        return;
    }
    QDialog::reject();
}

void ExportDialog::showProgress(qint64 done, qint64 total) {
    m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, 1'000'000'000)));
    m_progress->setValue(static_cast<int>(std::min<qint64>(done, 1'000'000'000)));
    m_progress->setFormat(tr("%1 of %2 attempts").arg(QLocale().toString(done), QLocale().toString(total)));
}

void ExportDialog::finish(const ExportResult& result) {
    m_result = result;
    setRunning(false);
    if (m_progress->maximum() == 0) { // no attempt to walk: the bar was never fed
        m_progress->setRange(0, 1);
        m_progress->setValue(1);
    }
    const QLocale locale;
    const QString dir = QString::fromStdString(options().out_dir);
    QStringList lines;
    const QStringList chosen = configs();
    if (chosen.contains(QStringLiteral("sft"))) {
        lines << tr("sft: %1 rows").arg(locale.toString(result.sft_rows));
    }
    if (chosen.contains(QStringLiteral("full"))) {
        lines << tr("full: %1 rows").arg(locale.toString(result.full_rows));
    }
    if (chosen.contains(QStringLiteral("preference"))) {
        lines << tr("preference: %1 pairs").arg(locale.toString(result.preference_rows));
    }
    m_status->setStyleSheet({});
    m_status->setText(tr("Exported into %1: %2").arg(dir, lines.join(QStringLiteral(", "))));
    QStringList files; // relative to the folder named above
    for (const auto& f : result.files) {
        files << QString::fromStdString(f);
    }
    m_report->setPlainText(files.join(QLatin1Char('\n')));
    m_report->show();
    emit exportFinished(true);
}

void ExportDialog::fail(const QString& message) {
    setRunning(false);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->resetFormat();
    showError(message);
    emit exportFinished(false);
}

} // namespace kf::widgets
