// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kf::teacher {

// One HTTP request: POST when `body` is non-empty, GET otherwise. Header values may hold keys: nothing here
// ever logs them or puts them into a message.
struct HttpRequest {
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct HttpOptions {
    std::chrono::milliseconds connect_timeout{10000};
    // "No bytes at all for this long" (any bytes count: SSE comments, pings, response headers, upload
    // progress).
    std::chrono::milliseconds inactivity_timeout{90000};
};

// The status and headers of the final response (interim 1xx responses are dropped; redirects are not
// followed).
struct HttpHead {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // names as received, values trimmed
    std::string header(std::string_view name) const;          // case-insensitive; "" when absent
    bool has(std::string_view name) const;
};

// One streaming HTTP transfer with libcurl, blocking: run it on a worker thread. Environment proxies
// (http_proxy, https_proxy, no_proxy) are honoured, HTTP/2 is used where TLS offers it, nothing is
// compressed.
class HttpStream {
public:
    struct Callbacks {
        std::function<void(const HttpHead&)> on_head;  // once, before the first on_body (or at the end)
        std::function<void(std::string_view)> on_body; // body bytes as they arrive
    };

    struct Result {
        enum class Outcome {
            Completed,     // the transfer ended normally (any HTTP status)
            Cancelled,     // `cancel` was set
            Inactive,      // no bytes for HttpOptions::inactivity_timeout
            ConnectFailed, // failed before any response byte (refused, DNS, TLS, connect timeout, empty
                           // reply)
            Dropped,       // failed after response bytes arrived (connection reset, truncated body)
        };
        Outcome outcome = Outcome::ConnectFailed;
        int status = 0;      // HTTP status of the final response, 0 when none arrived
        std::string message; // what went wrong, for people; never contains a header value
        std::size_t body_bytes = 0;
    };

    // Cancellation takes effect within a few tens of milliseconds of `cancel` becoming true, also while the
    // server sends nothing. Exceptions thrown by the callbacks stop the transfer and propagate.
    Result perform(const HttpRequest& request, const HttpOptions& options, const Callbacks& callbacks,
                   const std::atomic<bool>& cancel);
};

const char* outcomeName(HttpStream::Result::Outcome o);

// "90 s", "0.3 s": durations in messages.
std::string formatSeconds(std::chrono::milliseconds ms);

} // namespace kf::teacher
