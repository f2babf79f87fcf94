// SPDX-License-Identifier: MIT
#pragma once

#include "http_stream.h"
#include "retry_policy.h"
#include "stream_decoder.h"
#include "stream_event.h"
#include "turn.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace kf::teacher {

struct CallResult {
    Turn turn;             // Complete, Failed (error_type, error) or Cancelled; partial content kept
    std::string raw_bytes; // the response body of the last attempt, exactly as received (provenance)
    int attempts = 0;      // HTTP attempts made (1 + retries)
    int http_status = 0;   // status of the last attempt's response, 0 when none arrived
    HttpHead head;         // the last attempt's response head (request-id, rate-limit headers)
};

struct CallHooks {
    // Before sleeping ahead of a retry: `next_attempt` is 2 or 3.
    std::function<void(const RetryDecision& decision, int next_attempt)> on_retry;
    // Seed of the retry jitter; 0 draws one from std::random_device.
    std::uint32_t seed = 0;
};

// Streams one teacher turn, blocking (run it on a worker thread). The request is retried (decideRetry, at
// most kMaxRetries) only while no 2xx body byte has arrived: a non-2xx response, or a connection that failed
// or stalled before the stream started. Once a 2xx body has begun nothing is retried. Body bytes go through
// makeDecoder(provider); each event goes to `on_event` (on this thread) and into the turn. Every failure ends
// with one Error event: error_type "http_error" (describeHttpError, http_status set), "stalled",
// "incomplete_stream", "connection_failed", or the decoder's own ("protocol_error", "overloaded_error", ...).
// A cancel (within ~20 ms, also while sleeping before a retry) ends the turn Cancelled with no Error event.
// Exceptions thrown by `on_event` propagate.
CallResult streamingCall(const HttpRequest& request, const HttpOptions& options, Provider provider,
                         const std::atomic<bool>& cancel,
                         const std::function<void(const StreamEvent&)>& on_event,
                         const CallHooks& hooks = {});

} // namespace kf::teacher
