// SPDX-License-Identifier: MIT
#include "conversation_parts.h"

#include "json_scanner.h"
#include "json_writer.h"

#include <nlohmann/json.hpp>

namespace kf::dataset::detail {

namespace {

bool readBlock(JsonScanner& s, ConversationReader::Block& b) {
    s.consume('{');
    if (s.consume('}')) {
        return true;
    }
    bool kind = false;
    bool text = false;
    do {
        std::string_view k;
        if (!s.key(k)) {
            return false;
        }
        if (k == "kind") {
            if (kind) {
                return false; // duplicate: nlohmann keeps the last one; the parse path decides
            }
            kind = true;
            if (!s.stringOrEmpty(b.kind, 5)) {
                return false;
            }
        } else if (k == "text") {
            if (text) {
                return false;
            }
            text = true;
            if (s.next('"')) {
                if (!s.string(b.text, b.text_bytes)) {
                    return false;
                }
            } else if (!s.skipValue(5)) {
                return false;
            }
        } else if (!s.skipValue(5)) {
            return false;
        }
    } while (s.consume(','));
    return s.consume('}');
}

bool readTurn(JsonScanner& s, ConversationReader::Turn& t) {
    s.consume('{');
    if (s.consume('}')) {
        return true;
    }
    bool seen[4] = {false, false, false, false};
    const auto once = [&](int i) {
        const bool first = !seen[i];
        seen[i] = true;
        return first;
    };
    do {
        std::string_view k;
        if (!s.key(k)) {
            return false;
        }
        if (k == "role") {
            if (!once(0) || !s.stringOrEmpty(t.role, 3)) {
                return false;
            }
        } else if (k == "stop_reason") {
            if (!once(1) || !s.stringOrEmpty(t.stop_reason, 3)) {
                return false;
            }
        } else if (k == "request_id") {
            if (!once(2) || !s.stringOrEmpty(t.request_id, 3)) {
                return false;
            }
        } else if (k == "blocks") {
            if (!once(3)) {
                return false;
            }
            if (!s.next('[')) {
                if (!s.skipValue(3)) {
                    return false;
                }
                continue;
            }
            s.consume('[');
            if (s.consume(']')) {
                continue;
            }
            do {
                if (s.next('{')) {
                    ConversationReader::Block b;
                    if (!readBlock(s, b)) {
                        return false;
                    }
                    t.blocks.push_back(std::move(b));
                } else if (!s.skipValue(4)) { // not an object: a block of no kind, which nothing reads
                    return false;
                }
            } while (s.consume(','));
            if (!s.consume(']')) {
                return false;
            }
        } else if (!s.skipValue(3)) {
            return false;
        }
    } while (s.consume(','));
    return s.consume('}');
}

std::string str(const nlohmann::json& j, const char* key) {
    if (j.is_object()) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    return {};
}

} // namespace

void ConversationReader::read(std::string_view json, ConversationParts& out, bool prompt_only) {
    if (!scan(json, out, prompt_only)) {
        ++m_fallbacks;
        parse(json, out, prompt_only);
    }
}

bool ConversationReader::scan(std::string_view json, ConversationParts& out, bool prompt_only) {
    m_turns.clear();
    JsonScanner s(json);
    if (!s.consume('{')) {
        return false;
    }
    if (!s.consume('}')) {
        bool turns = false;
        do {
            std::string_view k;
            if (!s.key(k)) {
                return false;
            }
            if (k != "turns") {
                if (!s.skipValue(1)) {
                    return false;
                }
                continue;
            }
            if (turns) {
                return false;
            }
            turns = true;
            if (!s.next('[')) {
                if (!s.skipValue(1)) { // not an array: no turns
                    return false;
                }
                continue;
            }
            s.consume('[');
            if (s.consume(']')) {
                continue;
            }
            do {
                m_turns.emplace_back();
                if (s.next('{') ? !readTurn(s, m_turns.back()) : !s.skipValue(2)) {
                    return false;
                }
            } while (s.consume(','));
            if (!s.consume(']')) {
                return false;
            }
        } while (s.consume(','));
        if (!s.consume('}')) {
            return false;
        }
    }
    if (!s.atEnd()) {
        return false;
    }
    assemble(out, prompt_only);
    return true;
}

void ConversationReader::parse(std::string_view text, ConversationParts& out, bool prompt_only) {
    using nlohmann::json;
    m_turns.clear();
    m_owned.clear();
    auto conv = text.empty() ? json::object() : json::parse(text.begin(), text.end(), nullptr, false);
    if (conv.is_object() && conv.contains("turns") && conv["turns"].is_array()) {
        for (const auto& tj : conv["turns"]) {
            Turn& t = m_turns.emplace_back();
            t.role = str(tj, "role");
            t.stop_reason = str(tj, "stop_reason");
            t.request_id = str(tj, "request_id");
            if (!tj.is_object() || !tj.contains("blocks") || !tj["blocks"].is_array()) {
                continue;
            }
            for (const auto& bj : tj["blocks"]) {
                Block& b = t.blocks.emplace_back();
                b.kind = str(bj, "kind");
                const auto unescaped = str(bj, "text");
                b.text = m_owned.emplace_back(escaped(unescaped));
                b.text_bytes = unescaped.size();
            }
        }
    }
    assemble(out, prompt_only);
}

void ConversationReader::assemble(ConversationParts& out, bool prompt_only) const {
    out.prompt.clear();
    out.task_prompt.clear();
    out.reasoning.clear();
    out.reasoning_bytes = 0;
    out.redacted = false;
    out.answer.clear();
    out.stop_reason.clear();
    out.request_id.clear();

    // The answer is the last assistant turn; everything before it is the prompt.
    std::size_t last = m_turns.size();
    for (std::size_t i = m_turns.size(); i-- > 0;) {
        if (m_turns[i].role == "assistant") {
            last = i;
            break;
        }
    }
    for (std::size_t i = 0; i < last; ++i) {
        const Turn& t = m_turns[i];
        auto& m = out.prompt.emplace_back();
        m.role = t.role == "assistant" ? "assistant" : t.role == "system" ? "system" : "user";
        for (const auto& b : t.blocks) {
            if (b.kind == "text") {
                m.content += b.text;
            }
        }
        if (t.role == "user" && out.task_prompt.empty()) {
            out.task_prompt = m.content;
        }
    }
    if (last == m_turns.size() || prompt_only) {
        return;
    }
    const Turn& answer = m_turns[last];
    for (const auto& b : answer.blocks) {
        if (b.kind == "thinking") {
            out.reasoning += b.text;
            out.reasoning_bytes += b.text_bytes;
        } else if (b.kind == "text") {
            out.answer += b.text;
        } else if (b.kind == "redacted_thinking") {
            out.redacted = true;
        }
    }
    out.stop_reason = answer.stop_reason;
    out.request_id = answer.request_id;
}

std::string unescape(std::string_view body) {
    std::string out;
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (c != '\\' || i + 1 == body.size()) {
            out += c;
            continue;
        }
        const char e = body[++i];
        switch (e) {
        case 'b':
            out += '\b';
            break;
        case 'f':
            out += '\f';
            break;
        case 'n':
            out += '\n';
            break;
        case 'r':
            out += '\r';
            break;
        case 't':
            out += '\t';
            break;
        case 'u':
            if (i + 4 < body.size()) { // \u00xx: a control character
                const auto hex = [](char h) { return h <= '9' ? h - '0' : h - 'a' + 10; };
                out += static_cast<char>(hex(body[i + 3]) * 16 + hex(body[i + 4]));
                i += 4;
            }
            break;
        default: // " and backslash
            out += e;
            break;
        }
    }
    return out;
}

} // namespace kf::dataset::detail
