// SPDX-License-Identifier: MIT
#pragma once

// Internal helpers shared by the three stream decoders (not part of the public API).

#include "stream_event.h"

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher::detail {

using Json = nlohmann::json;

// Parses without exceptions; a discarded value means the text was not JSON.
Json parseJson(std::string_view text);

// Compact text of the value at `path` (object keys) inside the JSON `text`, with keys in the order the
// service sent them, so that a block's raw JSON reads back as received; "" when absent or null. Parses `text`
// again with an order-keeping (slower) document: for rare events only.
std::string dumpInOrder(std::string_view text, std::initializer_list<const char*> path);

// `obj[key]` when obj is an object holding a string there, else nullptr.
const std::string* stringField(const Json& obj, const char* key);

// `obj[key]` when obj is an object holding an object there, else nullptr.
const Json* objectField(const Json& obj, const char* key);

// `obj[key]` as an integer, or -1 when absent, null or not an integer.
int64_t intField(const Json& obj, const char* key);

// Compact JSON text; invalid UTF-8 (which the parser already rejects) would be replaced rather than throw.
std::string dumpJson(const Json& value);
std::string dumpJson(const nlohmann::ordered_json& value);

// The first `limit` bytes of `text` for an error message, cut on a UTF-8 character boundary.
std::string excerpt(std::string_view text, std::size_t limit = 80);

// Error events produced by the decoders themselves. Decoders only ever see the body of a 2xx response, so
// errors found inside it carry HTTP status 200.
StreamEvent errorEvent(std::string error_type, std::string message);
StreamEvent protocolError(std::string message);
StreamEvent incompleteStream(std::string_view terminator, bool cut_mid_event);

// Block bookkeeping for the protocols without explicit blocks (OpenAI-compatible, Ollama): a new block, with
// the next index, each time the kind of the incoming text changes.
class BlockSwitcher {
public:
    // Opens a block of `kind` unless one is open already (closing a block of another kind first); returns its
    // index.
    int ensure(BlockKind kind, std::vector<StreamEvent>& out);
    void close(std::vector<StreamEvent>& out);

private:
    int m_next = 0;
    int m_open = -1;
    BlockKind m_kind = BlockKind::Other;
};

} // namespace kf::teacher::detail
