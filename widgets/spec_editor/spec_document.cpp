// SPDX-License-Identifier: MIT
#include "widgets/spec_editor/spec_document.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace kf::widgets {

SpecDocument::SpecDocument(QObject* parent)
    : QObject(parent) {
    newDocument();
}

QString SpecDocument::displayName() const {
    return isUntitled() ? suggested_name_ : QFileInfo(path_).fileName();
}

QString SpecDocument::starterText() {
    return QStringLiteral(
        "id: my-kernel\n"
        "title: Scale a vector, fp32\n"
        "description: |\n"
        "  y[i] = 2 * x[i] for every i in [0, n).\n"
        "category: elementwise\n"
        "tags: [memory-bound]\n"
        "params: [n]\n"
        "inputs:\n"
        "  - name: x\n"
        "    dtype: f32\n"
        "    shape: [n]\n"
        "outputs:\n"
        "  - name: y\n"
        "    dtype: f32\n"
        "    shape: [n]\n"
        "flops: n\n"
        "bytes: 4 * n + 4 * n\n"
        "sizes:\n"
        "  - {n: 16777216}\n"
        "  - {n: 1000003}\n"
        "reference: |\n"
        "  __global__ void scale_reference(const float* x, float* y, int64_t n) {\n"
        "    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x "
        "* "
        "blockDim.x)\n"
        "      y[i] = 2.0f * x[i];\n"
        "  }\n"
        "\n"
        "  extern \"C\" void kf_reference(const float* x, float* y, int64_t n, cudaStream_t stream) {\n"
        "    scale_reference<<<1024, 256, 0, stream>>>(x, y, n);\n"
        "  }\n");
}

void SpecDocument::replace(const QString& path, const QString& text, const QString& suggested_name) {
    const bool was_modified = isModified();
    const bool path_changed = path != path_;
    path_ = path;
    text_ = text;
    saved_text_ = text;
    suggested_name_ = suggested_name;
    emit textReplaced();
    if (path_changed)
        emit pathChanged(path_);
    if (was_modified)
        emit modifiedChanged(false);
}

void SpecDocument::setText(const QString& text) {
    const bool was = isModified();
    text_ = text;
    if (isModified() != was)
        emit modifiedChanged(!was);
}

void SpecDocument::newDocument() {
    replace({}, starterText(), QStringLiteral("untitled.kspec.yaml"));
}

bool SpecDocument::readFile(const QString& path, QString* text, QString* error) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("Cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = tr("Cannot read %1: %2").arg(path, file.errorString());
        return false;
    }
    *text = QString::fromUtf8(bytes);
    return true;
}

bool SpecDocument::load(const QString& path, QString* error) {
    QString text;
    if (!readFile(path, &text, error))
        return false;
    replace(QFileInfo(path).absoluteFilePath(), text, QFileInfo(path).fileName());
    return true;
}

bool SpecDocument::loadCopy(const QString& path, QString* error) {
    QString text;
    if (!readFile(path, &text, error))
        return false;
    replace({}, text, QFileInfo(path).fileName());
    return true;
}

bool SpecDocument::save(QString* error) {
    if (isUntitled()) {
        if (error)
            *error = tr("%1 has no file yet: use Save As.").arg(displayName());
        return false;
    }
    return saveAs(path_, error);
}

bool SpecDocument::saveAs(const QString& path, QString* error) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray bytes = text_.toUtf8();
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = tr("Cannot save %1: %2").arg(path, file.errorString());
        return false;
    }
    const QString absolute = QFileInfo(path).absoluteFilePath();
    const bool was_modified = isModified();
    const bool path_changed = absolute != path_;
    path_ = absolute;
    saved_text_ = text_;
    suggested_name_ = QFileInfo(path).fileName();
    if (path_changed)
        emit pathChanged(path_);
    if (was_modified)
        emit modifiedChanged(false);
    return true;
}

} // namespace kf::widgets
