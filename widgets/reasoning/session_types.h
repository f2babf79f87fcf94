// SPDX-License-Identifier: MIT
#pragma once

#include "core/teacher/turn.h"

#include <QMetaType>
#include <QString>
#include <optional>

namespace kf::widgets {

// Thinking that arrived without readable text, shown as a placeholder line rather than dropped.
enum class ThinkingNotice {
    Redacted, // a redacted_thinking block: encrypted by the service, kept byte for byte for the follow-up
    Omitted,  // a thinking block that carried only its signature (display omitted)
};

// A snapshot of one assistant turn's counters, sent with every flush while it streams and once at the end.
struct TurnStats {
    int turn = -1; // index in the conversation
    QString model;
    qint64 input_tokens = -1; // -1: not reported (yet)
    qint64 output_tokens = -1;
    qint64 thinking_tokens = -1;
    bool output_estimated = false; // counted from the streamed text (~4 bytes a token) until the service says
    double seconds = 0.0;          // since the first streamed text
    double tokens_per_second = -1.0;
    std::optional<double> cost_usd; // none when the model has no price
    bool cost_estimated = false;    // from estimated or missing counters
    bool live = false;              // still streaming
};

// What a finished (complete, failed or cancelled) assistant turn produced.
struct TurnResult {
    int turn = -1;
    teacher::TurnStatus status = teacher::TurnStatus::Complete;
    QString stop_reason;
    QString thinking;
    QString answer;
    QString error;      // Failed: what went wrong, never a key
    QString request_id; // the service's, for support requests
    bool kernel_ok = false;
    QString kernel_source;  // the extracted kernel when kernel_ok
    QString kernel_message; // why there is none, or how it was assembled
    TurnStats stats;
};

} // namespace kf::widgets

Q_DECLARE_METATYPE(kf::widgets::ThinkingNotice)
Q_DECLARE_METATYPE(kf::widgets::TurnStats)
Q_DECLARE_METATYPE(kf::widgets::TurnResult)
