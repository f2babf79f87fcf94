// SPDX-License-Identifier: MIT
#pragma once

#include "http_stream.h"

#include <chrono>
#include <random>
#include <string>
#include <string_view>

namespace kf::teacher {

// At most this many retries (3 attempts), as the official SDKs.
inline constexpr int kMaxRetries = 2;

struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
    std::string reason; // for logs and the status line; never holds a header value other than retry timings
};

// docs/teacher-protocols.md §1.8, for a request that failed before its stream started. `status` 0 means a
// connection error or timeout; `body` is the error response's body. Retries on 0, 408, 409, 429 and >= 500;
// `x-should-retry: true|false` overrides that; never a 400 or the spend-cap 429, never after kMaxRetries.
// Delay: `retry-after-ms`, else `retry-after` (seconds or HTTP-date, measured from `now`) when in (0, 60 s],
// else min(0.5 s * 2^retries_so_far, 8 s) * (1 - U[0, 0.25)) drawn from `rng`.
RetryDecision decideRetry(int status, const HttpHead& head, std::string_view body, int retries_so_far,
                          std::mt19937& rng,
                          std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// True for Anthropic's spend-cap 429 body (error.details.error_code == "enforced_spend_limit_reached").
bool isSpendCapError(std::string_view body);

// A message a person can act on for a non-2xx response: what happened, what to do, the service's own message
// (key-like tokens scrubbed) and the request id (`request_id` in the body, else `request_id_header`, the
// value of the `request-id` response header). `body` may be JSON of any provider's shape, HTML or plain text.
std::string describeHttpError(int status, std::string_view body, std::string_view provider_name,
                              std::string_view request_id_header = {});

// Replaces key-like tokens (sk-…, Bearer …, long opaque strings) in text that came from a service.
std::string scrubSecrets(std::string_view text);

} // namespace kf::teacher
