// SPDX-License-Identifier: MIT
#include "stream_decoder.h"

#include "anthropic_decoder.h"
#include "decoder_common.h"
#include "ollama_decoder.h"
#include "openai_decoder.h"

namespace kf::teacher {

const char* providerName(Provider p) {
    switch (p) {
    case Provider::Anthropic:
        return "anthropic";
    case Provider::OpenAi:
        return "openai";
    case Provider::Ollama:
        return "ollama";
    }
    return "?";
}

bool parseProvider(std::string_view name, Provider& out) {
    for (Provider p : {Provider::Anthropic, Provider::OpenAi, Provider::Ollama}) {
        if (name == providerName(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

std::unique_ptr<StreamDecoder> makeDecoder(Provider provider) {
    switch (provider) {
    case Provider::Anthropic:
        return std::make_unique<AnthropicDecoder>();
    case Provider::OpenAi:
        return std::make_unique<OpenAiDecoder>();
    case Provider::Ollama:
        return std::make_unique<OllamaDecoder>();
    }
    return nullptr;
}

namespace detail {

Json parseJson(std::string_view text) {
    return Json::parse(text.begin(), text.end(), nullptr, false);
}

const std::string* stringField(const Json& obj, const char* key) {
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

const Json* objectField(const Json& obj, const char* key) {
    if (!obj.is_object()) {
        return nullptr;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? &*it : nullptr;
}

int64_t intField(const Json& obj, const char* key) {
    if (!obj.is_object()) {
        return -1;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

std::string dumpJson(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string dumpJson(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string dumpInOrder(std::string_view text, std::initializer_list<const char*> path) {
    const auto j = nlohmann::ordered_json::parse(text.begin(), text.end(), nullptr, false);
    const nlohmann::ordered_json* at = &j;
    for (const char* key : path) {
        if (!at->is_object()) {
            return {};
        }
        const auto it = at->find(key);
        if (it == at->end()) {
            return {};
        }
        at = &*it;
    }
    return at->is_null() || at->is_discarded() ? std::string() : dumpJson(*at);
}

std::string excerpt(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) {
        return std::string(text);
    }
    std::size_t n = limit;
    // Step back over UTF-8 continuation bytes so that the cut does not split a character.
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) {
        --n;
    }
    return std::string(text.substr(0, n)) + "...";
}

StreamEvent errorEvent(std::string error_type, std::string message) {
    StreamEvent e;
    e.type = StreamEvent::Type::Error;
    e.error_type = std::move(error_type);
    e.text = std::move(message);
    e.http_status = 200;
    return e;
}

StreamEvent protocolError(std::string message) {
    return errorEvent("protocol_error", std::move(message));
}

StreamEvent incompleteStream(std::string_view terminator, bool cut_mid_event) {
    std::string message = "the stream ended before ";
    message += terminator;
    message += cut_mid_event ? " (cut in the middle of an event)" : "";
    message += "; the response is incomplete";
    return errorEvent("incomplete_stream", std::move(message));
}

int BlockSwitcher::ensure(BlockKind kind, std::vector<StreamEvent>& out) {
    if (m_open >= 0 && m_kind == kind) {
        return m_open;
    }
    close(out);
    m_open = m_next++;
    m_kind = kind;
    StreamEvent e;
    e.type = StreamEvent::Type::BlockStart;
    e.index = m_open;
    e.block_kind = kind;
    out.push_back(std::move(e));
    return m_open;
}

void BlockSwitcher::close(std::vector<StreamEvent>& out) {
    if (m_open < 0) {
        return;
    }
    StreamEvent e;
    e.type = StreamEvent::Type::BlockStop;
    e.index = m_open;
    out.push_back(std::move(e));
    m_open = -1;
}

} // namespace detail

} // namespace kf::teacher
