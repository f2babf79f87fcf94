// SPDX-License-Identifier: MIT
#pragma once

// A scripted HTTP/1.1 server on 127.0.0.1 for transport tests: plain POSIX sockets, an ephemeral port, one
// thread per connection (bounded), every connection closed after one response. It serves the scripted
// responses in order, one per request (the last one repeats), records every request, and stops itself in its
// destructor.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace kf::test {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Chunk {
    std::string bytes;
    std::chrono::milliseconds delay{0}; // wait this long before sending `bytes`
};

struct ScriptedResponse {
    enum class Framing {
        ContentLength, // Content-Length: the sum of the chunks (plus 1 when `stall` is set: more is promised)
        Chunked,       // Transfer-Encoding: chunked, one HTTP chunk per Chunk; the last-chunk is sent unless
                       // the response drops or stalls
        Close,         // no length: the body ends when the server closes the connection
    };

    int status = 200;
    std::chrono::milliseconds head_delay{0}; // wait this long before sending anything (a server that is slow
                                             // to answer; the wait ends early when the client closes)
    Headers headers;
    std::vector<Chunk> body;
    Framing framing = Framing::ContentLength;
    std::optional<std::size_t> drop_after; // close the socket after this many body bytes
    bool stall = false;                    // after the body, send nothing more but keep the socket open
    std::string raw;                       // non-empty: send exactly these bytes as the response, then close
    bool forward = false; // act as an HTTP proxy: forward to the 127.0.0.1 origin named in the absolute URI

    // A complete response with a JSON (or any) body in one piece.
    static ScriptedResponse json(int status, std::string body, Headers headers = {});
    // `body` cut into pieces of `piece` bytes, each sent `delay` after the previous one.
    static ScriptedResponse stream(std::string_view body, std::size_t piece, std::chrono::milliseconds delay,
                                   std::string content_type = "text/event-stream; charset=utf-8",
                                   Framing framing = Framing::Chunked);
    static ScriptedResponse proxy();
};

struct RecordedRequest {
    std::string method;
    std::string target; // as sent: origin form (/v1/messages) or, to a proxy, absolute (http://host:port/...)
    Headers headers;
    std::string body;
    std::chrono::steady_clock::time_point received;
    std::string header(std::string_view name) const; // case-insensitive, "" when absent
};

class LoopbackServer {
public:
    explicit LoopbackServer(std::vector<ScriptedResponse> script = {}, std::size_t max_connections = 16);
    ~LoopbackServer();
    LoopbackServer(const LoopbackServer&) = delete;
    LoopbackServer& operator=(const LoopbackServer&) = delete;

    std::uint16_t port() const { return m_port; }
    std::string url(std::string_view path = "/") const; // http://127.0.0.1:<port><path>

    // Replaces the script and restarts it at its first response (for requests arriving from now on).
    void setScript(std::vector<ScriptedResponse> script);

    std::vector<RecordedRequest> requests() const;
    std::size_t requestCount() const;
    // Waits until `n` requests arrived; false after `timeout`.
    bool waitForRequests(std::size_t n, std::chrono::milliseconds timeout) const;
    // Waits until the client closed the connection that carried request `index`; the time it did, or nullopt
    // after `timeout`.
    std::optional<std::chrono::steady_clock::time_point>
    waitForClientClose(std::size_t index, std::chrono::milliseconds timeout) const;

private:
    struct Connection {
        std::thread thread;
        bool done = false;
    };

    void acceptLoop();
    void serve(int fd, Connection* self);
    void respond(int fd, const ScriptedResponse& r, std::size_t index);
    void forward(int fd, const RecordedRequest& request, std::size_t index);
    void awaitClientClose(int fd, std::size_t index, std::chrono::milliseconds limit);
    void markClientClosed(std::size_t index);
    bool waitOrClosed(int fd, std::chrono::milliseconds delay, std::size_t index);
    bool sendAll(int fd, std::string_view data);
    bool stopping() const;

    int m_listen = -1;
    int m_wake[2] = {-1, -1}; // written on stop: wakes every poll
    std::uint16_t m_port = 0;
    std::size_t m_max_connections;

    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    bool m_stop = false;
    std::vector<ScriptedResponse> m_script;
    std::size_t m_script_pos = 0;
    std::vector<RecordedRequest> m_requests;
    std::vector<std::optional<std::chrono::steady_clock::time_point>> m_client_closed;
    std::list<Connection> m_connections;
    std::size_t m_active = 0;
    std::thread m_acceptor;
};

} // namespace kf::test
