// SPDX-License-Identifier: MIT
#pragma once

#include "core/teacher/code_extraction.h"
#include "core/teacher/pricing.h"
#include "core/teacher/transcript.h"
#include "core/teacher/turn.h"
#include "widgets/reasoning/session_types.h"

#include <QString>
#include <map>
#include <optional>
#include <string>

namespace kf::widgets {

// A finished turn's counters from its reported usage (no timing), and its cost.
TurnStats usageStats(int turn, const teacher::Usage& usage, const std::string& model,
                     const teacher::PriceTable& prices);

// The result of a finished assistant turn: texts, status, and `kernel` (extracted from its answer, when it
// completed and was examined: extraction runs regular expressions over the whole answer, so it happens on a
// worker, and only for the last complete answer of an opened transcript).
TurnResult resultOf(int turn, const teacher::Turn& t, const TurnStats& stats,
                    const std::optional<teacher::ExtractedKernel>& kernel);

struct OpenedTranscript {
    teacher::Transcript transcript;
    std::map<int, TurnResult> results; // by conversation index, every assistant turn
    QString error;                     // what is wrong and where, when it could not be read
};

// Reads, parses and checks a transcript, and computes its turns' results. Blocking: run it on a worker.
OpenedTranscript readTranscriptFile(const QString& path, const teacher::PriceTable& prices,
                                    const std::string& fallback_model);

} // namespace kf::widgets
