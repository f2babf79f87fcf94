// SPDX-License-Identifier: MIT
#include "widgets/reasoning/turn_results.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

namespace kf::widgets {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

QString tr(const char* text) {
    return QCoreApplication::translate("kf::widgets::TeacherSession", text);
}

} // namespace

TurnStats usageStats(int turn, const teacher::Usage& usage, const std::string& model,
                     const teacher::PriceTable& prices) {
    TurnStats s;
    s.turn = turn;
    s.model = qs(model);
    s.input_tokens = usage.input_tokens;
    s.output_tokens = usage.output_tokens;
    s.thinking_tokens = usage.thinking_tokens;
    if (const auto price = prices.find(model)) {
        teacher::Usage u = usage;
        s.cost_estimated = u.input_tokens < 0 || u.output_tokens < 0;
        u.input_tokens = std::max<int64_t>(u.input_tokens, 0);
        u.output_tokens = std::max<int64_t>(u.output_tokens, 0);
        s.cost_usd = teacher::turnCost(u, *price);
    }
    return s;
}

TurnResult resultOf(int turn, const teacher::Turn& t, const TurnStats& stats,
                    const std::optional<teacher::ExtractedKernel>& kernel) {
    TurnResult r;
    r.turn = turn;
    r.status = t.status;
    r.stop_reason = qs(t.stop_reason);
    r.thinking = qs(t.thinkingText());
    r.answer = qs(t.answerText());
    r.error = qs(t.error);
    r.request_id = qs(t.request_id);
    r.stats = stats;
    if (t.status == teacher::TurnStatus::Complete) {
        if (kernel) {
            r.kernel_ok = kernel->ok;
            r.kernel_source = qs(kernel->source);
            r.kernel_message = qs(kernel->message);
        }
    } else {
        r.kernel_message = t.status == teacher::TurnStatus::Cancelled
                               ? tr("cancelled before the answer ended")
                               : tr("the turn failed");
    }
    return r;
}

OpenedTranscript readTranscriptFile(const QString& path, const teacher::PriceTable& prices,
                                    const std::string& fallback_model) {
    OpenedTranscript out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = tr("Cannot open %1: %2").arg(path, file.errorString());
        return out;
    }
    const QByteArray bytes = file.readAll();
    const auto j = nlohmann::json::parse(bytes.begin(), bytes.end(), nullptr, false);
    if (j.is_discarded()) {
        out.error = tr("%1 is not JSON.").arg(QFileInfo(path).fileName());
        return out;
    }
    try {
        out.transcript = teacher::transcriptFromJson(j);
    } catch (const std::exception& e) {
        out.error = tr("%1: %2").arg(QFileInfo(path).fileName(), qs(e.what()));
        return out;
    }
    const auto& turns = out.transcript.conversation.turns();
    std::size_t last_complete = turns.size();
    for (std::size_t i = 0; i < turns.size(); ++i) {
        if (turns[i].role == "assistant" && turns[i].status == teacher::TurnStatus::Complete) {
            last_complete = i;
        }
    }
    for (std::size_t i = 0; i < turns.size(); ++i) {
        if (turns[i].role != "assistant") {
            continue;
        }
        const int turn = static_cast<int>(i);
        const auto& model = turns[i].model.empty() ? fallback_model : turns[i].model;
        std::optional<teacher::ExtractedKernel> kernel;
        if (i == last_complete) {
            kernel = teacher::extractKernel(turns[i].answerText());
        }
        out.results[turn] = resultOf(turn, turns[i], usageStats(turn, turns[i].usage, model, prices), kernel);
    }
    return out;
}

} // namespace kf::widgets
