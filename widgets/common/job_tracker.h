// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QPointer>
#include <atomic>
#include <cstdint>
#include <functional>

namespace kf::widgets {

// Keeps stale results off the screen. Each start() opens a new generation; work running on another thread
// delivers through post(), which queues the callback onto the context object's thread and drops it there when
// a newer generation has started since (or the context is gone). A newer compile, validation or stream thus
// always wins over an older one's late results.
class JobTracker {
public:
    explicit JobTracker(QObject* context)
        : context_(context) {}

    // Starts a new generation and returns its id; every earlier id becomes stale.
    std::uint64_t start() { return ++current_; }
    // Makes every outstanding id stale without starting anything (a cancel).
    void invalidate() { ++current_; }
    bool isCurrent(std::uint64_t id) const { return id == current_.load(); }
    std::uint64_t current() const { return current_.load(); }

    // Safe from any thread: runs `fn` on the context's thread if `id` is still current then.
    void post(std::uint64_t id, std::function<void()> fn) const;

private:
    QPointer<QObject> context_;
    std::atomic<std::uint64_t> current_{0};
};

} // namespace kf::widgets
