// SPDX-License-Identifier: MIT
#include "streaming_call.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

namespace kf::teacher {
namespace {

using Clock = std::chrono::steady_clock;

// A non-2xx body is kept for describeHttpError and provenance, up to this size.
constexpr std::size_t kMaxErrorBody = 1 << 20;

bool is2xx(int status) {
    return status >= 200 && status < 300;
}

// Sleeps `delay` in slices, returning false as soon as `cancel` is set.
bool sleepUnlessCancelled(std::chrono::milliseconds delay, const std::atomic<bool>& cancel) {
    const auto until = Clock::now() + delay;
    while (!cancel.load()) {
        const auto now = Clock::now();
        if (now >= until)
            return true;
        std::this_thread::sleep_for(std::min<Clock::duration>(until - now, std::chrono::milliseconds(10)));
    }
    return false;
}

// Removes every request header value (keys, tokens) that occurs in `text`. Belt and braces: no message built
// here is meant to contain one, but a service may echo what it was sent.
std::string withoutHeaderValues(std::string text, const HttpRequest& request) {
    for (const auto& [name, value] : request.headers) {
        std::vector<std::string_view> secrets{value};
        const auto sp = std::string_view(value).find(' '); // "Bearer <token>": the token on its own too
        if (sp != std::string_view::npos)
            secrets.push_back(std::string_view(value).substr(sp + 1));
        for (std::string_view s : secrets) {
            if (s.size() < 6)
                continue;
            for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos))
                text.replace(pos, s.size(), "[redacted]");
        }
    }
    return text;
}

} // namespace

CallResult streamingCall(const HttpRequest& request, const HttpOptions& options, Provider provider,
                         const std::atomic<bool>& cancel,
                         const std::function<void(const StreamEvent&)>& on_event, const CallHooks& hooks) {
    std::mt19937 rng(hooks.seed != 0 ? hooks.seed : std::random_device{}());
    CallResult result;
    HttpStream http;

    for (int retries = 0;; ++retries) {
        TurnAccumulator acc;
        const auto emit = [&](const StreamEvent& e) {
            if (e.type == StreamEvent::Type::Error) { // a service may echo a key in its error message
                StreamEvent scrubbed = e;
                scrubbed.text = withoutHeaderValues(std::move(scrubbed.text), request);
                acc.apply(scrubbed);
                if (on_event)
                    on_event(scrubbed);
                return;
            }
            acc.apply(e);
            if (on_event)
                on_event(e);
        };
        const auto finish = [&](TurnStatus status) {
            result.turn = std::move(acc.turn());
            result.turn.status = status;
            if (result.turn.request_id.empty())
                result.turn.request_id = result.head.header("request-id");
            result.turn.error = withoutHeaderValues(std::move(result.turn.error), request);
            return std::move(result);
        };
        // Ends the turn with one Error event (unless the decoder already ended it with its own).
        const auto fail = [&](std::string type, std::string message, int http_status) {
            if (acc.turn().status != TurnStatus::Failed) {
                StreamEvent e;
                e.type = StreamEvent::Type::Error;
                e.error_type = std::move(type);
                e.text = withoutHeaderValues(std::move(message), request);
                e.http_status = http_status;
                e.request_id = result.head.header("request-id");
                emit(e);
            }
            return finish(TurnStatus::Failed);
        };

        if (cancel.load())
            return finish(TurnStatus::Cancelled);

        result.attempts = retries + 1;
        result.raw_bytes.clear();
        result.head = HttpHead{};
        result.http_status = 0;
        auto decoder = makeDecoder(provider);
        std::vector<StreamEvent> events;
        bool got_head = false;
        bool started = false; // a 2xx body byte arrived: from here on, no retry

        HttpStream::Callbacks callbacks;
        callbacks.on_head = [&](const HttpHead& head) {
            result.head = head;
            result.http_status = head.status;
            got_head = true;
        };
        callbacks.on_body = [&](std::string_view bytes) {
            if (!is2xx(result.http_status)) {
                if (result.raw_bytes.size() < kMaxErrorBody)
                    result.raw_bytes.append(bytes.substr(0, kMaxErrorBody - result.raw_bytes.size()));
                return;
            }
            started = true;
            result.raw_bytes.append(bytes);
            events.clear();
            decoder->feed(bytes, events);
            for (const StreamEvent& e : events)
                emit(e);
        };

        const HttpStream::Result r = http.perform(request, options, callbacks, cancel);
        using O = HttpStream::Result::Outcome;
        if (!got_head && r.status != 0)
            result.http_status = r.status;

        if (r.outcome == O::Cancelled)
            return finish(TurnStatus::Cancelled);

        if (started) { // the stream began: whatever happens now ends this turn
            if (r.outcome == O::Completed || decoder->ended()) {
                events.clear();
                decoder->finish(events); // no terminator -> incomplete_stream
                for (const StreamEvent& e : events)
                    emit(e);
                if (acc.turn().status == TurnStatus::Failed)
                    return finish(TurnStatus::Failed);
                if (acc.turn().status == TurnStatus::Streaming) // finish() reported nothing: be explicit
                    return fail("incomplete_stream", "the stream ended without its terminator",
                                result.http_status);
                return finish(acc.turn().status);
            }
            if (r.outcome == O::Inactive)
                return fail("stalled",
                            "no bytes from the service for " + formatSeconds(options.inactivity_timeout) +
                                ": the stream was abandoned (partial output kept)",
                            result.http_status);
            return fail("incomplete_stream",
                        "the connection broke mid-stream (" + r.message + "); partial output kept",
                        result.http_status);
        }

        // Nothing of a stream yet: a non-2xx response, a failed or stalled connection, or an empty 2xx.
        if (r.outcome == O::Completed && is2xx(result.http_status)) {
            events.clear();
            decoder->finish(events);
            for (const StreamEvent& e : events)
                emit(e);
            if (acc.turn().status == TurnStatus::Streaming)
                return fail("incomplete_stream", "the service sent an empty response", result.http_status);
            return finish(acc.turn().status);
        }
        const bool http_error = got_head && !is2xx(result.http_status);
        const int status_for_retry = http_error ? result.http_status : 0;
        const RetryDecision decision =
            decideRetry(status_for_retry, result.head, result.raw_bytes, retries, rng);
        if (decision.retry) {
            if (hooks.on_retry)
                hooks.on_retry(decision, retries + 2);
            if (!sleepUnlessCancelled(decision.delay, cancel))
                return finish(TurnStatus::Cancelled);
            continue;
        }

        const std::string after =
            result.attempts > 1 ? " (after " + std::to_string(result.attempts) + " attempts)" : std::string();
        if (http_error) {
            std::string message = describeHttpError(result.http_status, result.raw_bytes,
                                                    providerName(provider), result.head.header("request-id"));
            if (r.outcome != O::Completed)
                message += "; the error response was cut short: " + r.message;
            return fail("http_error", message + after, result.http_status);
        }
        if (r.outcome == O::Inactive)
            return fail("stalled",
                        "no bytes from the service for " + formatSeconds(options.inactivity_timeout) + after,
                        0);
        return fail("connection_failed", "could not reach the service: " + r.message + after,
                    result.http_status);
    }
}

} // namespace kf::teacher
