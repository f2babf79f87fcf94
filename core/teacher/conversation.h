// SPDX-License-Identifier: MIT
#pragma once

#include "turn.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kf::teacher {

// The turns of one attempt, append-only: a follow-up sends every earlier turn back unchanged (Anthropic binds
// thinking signatures to the history before them).
class Conversation {
public:
    void addUser(std::string text);
    void addAssistant(Turn turn);

    const std::vector<Turn>& turns() const { return m_turns; }
    bool empty() const { return m_turns.empty(); }
    const Turn* lastAssistant() const;

    // Transcript form: every block with its exact text, signature, data and raw JSON; usage; status.
    nlohmann::ordered_json toJson() const;
    static Conversation fromJson(const nlohmann::json& j); // throws std::runtime_error naming the bad path

private:
    std::vector<Turn> m_turns;
};

// The Anthropic content-block JSON that replays `b` exactly as received.
nlohmann::ordered_json anthropicBlockJson(const Block& b);

} // namespace kf::teacher
