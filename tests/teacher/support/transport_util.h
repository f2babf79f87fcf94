// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the transport tests (header-only).

#include "teacher/stream_decoder.h"
#include "teacher/turn.h"

#include <array>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace kf::test {

// Clears the proxy variables libcurl reads for the lifetime of the guard (a developer's or CI's proxy must
// not capture loopback traffic), and restores them afterwards. Tests set them explicitly where they test
// proxies.
class ProxyEnvGuard {
public:
    ProxyEnvGuard() {
        for (std::size_t i = 0; i < kNames.size(); ++i) {
            if (const char* v = std::getenv(kNames[i]))
                m_saved[i] = v;
            unsetenv(kNames[i]);
        }
    }
    ~ProxyEnvGuard() {
        for (std::size_t i = 0; i < kNames.size(); ++i) {
            if (m_saved[i])
                setenv(kNames[i], m_saved[i]->c_str(), 1);
            else
                unsetenv(kNames[i]);
        }
    }
    ProxyEnvGuard(const ProxyEnvGuard&) = delete;
    ProxyEnvGuard& operator=(const ProxyEnvGuard&) = delete;

private:
    static constexpr std::array<const char*, 8> kNames = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                                                          "HTTPS_PROXY", "all_proxy",  "ALL_PROXY",
                                                          "no_proxy",    "NO_PROXY"};
    std::array<std::optional<std::string>, kNames.size()> m_saved;
};

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::string fixture(const std::string& name) {
    return readFile(std::string(KF_FIXTURES_DIR) + "/" + name);
}

// The turn that decoding `bytes` in one piece gives, without any transport.
inline teacher::Turn decodeDirect(teacher::Provider provider, std::string_view bytes) {
    auto decoder = teacher::makeDecoder(provider);
    teacher::TurnAccumulator acc;
    std::vector<teacher::StreamEvent> events;
    decoder->feed(bytes, events);
    decoder->finish(events);
    for (const auto& e : events)
        acc.apply(e);
    return acc.turn();
}

inline double msSince(std::chrono::steady_clock::time_point t0, std::chrono::steady_clock::time_point t1) {
    return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// Anthropic SSE pieces for hand-made streams.
inline std::string sseEvent(const std::string& name, const std::string& data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
}
inline std::string anthropicStart() {
    return sseEvent("message_start",
                    R"({"type":"message_start","message":{"id":"msg_loop","type":"message",)"
                    R"("role":"assistant","model":"claude-test","content":[],"stop_reason":null,)"
                    R"("usage":{"input_tokens":12,"output_tokens":1}}})") +
           sseEvent("content_block_start",
                    R"({"type":"content_block_start","index":0,)"
                    R"("content_block":{"type":"thinking","thinking":"","signature":""}})");
}
inline std::string anthropicThinking(const std::string& text) {
    return sseEvent("content_block_delta", R"({"type":"content_block_delta","index":0,)"
                                           R"("delta":{"type":"thinking_delta","thinking":")" +
                                               text + R"("}})");
}
inline std::string anthropicPing() {
    return sseEvent("ping", R"({"type": "ping"})");
}
inline std::string anthropicEnd() {
    return sseEvent("content_block_delta", R"({"type":"content_block_delta","index":0,)"
                                           R"("delta":{"type":"signature_delta","signature":"sig"}})") +
           sseEvent("content_block_stop", R"({"type":"content_block_stop","index":0})") +
           sseEvent("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn",)"
                                     R"("stop_sequence":null},"usage":{"output_tokens":42}})") +
           sseEvent("message_stop", R"({"type":"message_stop"})");
}

} // namespace kf::test
