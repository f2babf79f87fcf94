// SPDX-License-Identifier: MIT
#pragma once

#include "stream_event.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

enum class Provider { Anthropic, OpenAi, Ollama };

const char* providerName(Provider p); // "anthropic", "openai", "ollama"
bool parseProvider(std::string_view name, Provider& out);

// Turns one provider's response body (bytes, any split) into StreamEvents. Layering: bytes -> framing
// (SseParser / NdjsonParser) -> provider JSON -> StreamEvent. Each decoder owns its framing parser.
class StreamDecoder {
public:
    virtual ~StreamDecoder() = default;

    // Appends the events completed by `bytes`.
    virtual void feed(std::string_view bytes, std::vector<StreamEvent>& out) = 0;

    // End of the body. Appends an Error{error_type "incomplete_stream"} when the protocol's terminator never
    // arrived (a stream cut mid-event, or one that just stopped), unless an Error already ended the turn.
    virtual void finish(std::vector<StreamEvent>& out) = 0;

    // True once an Error or Done has been emitted: later bytes are ignored.
    virtual bool ended() const = 0;
};

std::unique_ptr<StreamDecoder> makeDecoder(Provider provider);

} // namespace kf::teacher
