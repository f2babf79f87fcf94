// SPDX-License-Identifier: MIT
#pragma once

// The parts of a stored conversation (kernelforge.conversation/1) that an export row is made of, with their
// text kept in escaped JSON form, ready to be written. Internal to kf_dataset.
//
// Reading them is the export's hottest step (a conversation is ~25 KB of JSON). The fast path scans the
// stored text once and keeps the escaped text of the blocks as it is, which is valid because the store's
// conversations are written by nlohmann's dump: a string whose escapes are all of the form the writer
// produces (json_writer.h) is already what the row must contain. The fast path never guesses: it also checks
// what a full parser checks (structure, UTF-8, control characters, numbers) and gives up on anything else
// (another escape form, a duplicate key it reads, an escaped key, deep nesting, a BOM, a huge number), and
// then nlohmann parses the text, as the export always did; both paths give the same parts for the same text.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace kf::dataset::detail {

struct ConversationParts {
    struct Message {
        const char* role = "user"; // user, assistant or system
        std::string content;       // escaped
    };
    std::vector<Message> prompt;     // the turns before the last assistant turn, their text blocks joined
    std::string task_prompt;         // escaped: the first non-empty text of a user turn before the answer
    std::string reasoning;           // escaped: the answer turn's thinking blocks, joined
    std::size_t reasoning_bytes = 0; // of the reasoning, unescaped
    bool redacted = false;           // the answer turn has a redacted_thinking block
    std::string answer;              // escaped: the answer turn's text blocks, joined
    std::string stop_reason;
    std::string request_id;
};

// Reads the parts of `json` (anything: text that is not a conversation gives empty parts, as an empty
// conversation would). `prompt_only` leaves the answer turn's text out (preference candidates need the prompt
// alone). Reuses its buffers from call to call.
class ConversationReader {
public:
    void read(std::string_view json, ConversationParts& out, bool prompt_only = false);

    // The two paths, for tests: scan() returns false when it is unsure (out is then unspecified).
    bool scan(std::string_view json, ConversationParts& out, bool prompt_only = false);
    void parse(std::string_view json, ConversationParts& out, bool prompt_only = false);

    int64_t fallbacks() const { return m_fallbacks; } // how many texts went the slow way

    struct Block {
        std::string kind;      // unescaped
        std::string_view text; // escaped
        std::size_t text_bytes = 0;
    };
    struct Turn {
        std::string role; // unescaped
        std::vector<Block> blocks;
        std::string stop_reason;
        std::string request_id;
    };

private:
    void assemble(ConversationParts& out, bool prompt_only) const;

    std::vector<Turn> m_turns;
    std::deque<std::string> m_owned; // escaped text of the parse path, which the blocks' views point into
    int64_t m_fallbacks = 0;
};

// The unescaped text of an escaped body in the writer's form (escapes \" \\ \b \f \n \r \t \u00xx only).
std::string unescape(std::string_view body);

} // namespace kf::dataset::detail
