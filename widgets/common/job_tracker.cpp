// SPDX-License-Identifier: MIT
#include "widgets/common/job_tracker.h"

#include <QMetaObject>

namespace kf::widgets {

void JobTracker::post(std::uint64_t id, std::function<void()> fn) const {
    QObject* context = context_.data();
    if (context == nullptr || !isCurrent(id))
        return;
    // The tracker lives as long as its context (it is a member of it), so `this` is valid whenever the queued
    // call runs: Qt drops queued calls to a deleted context.
    QMetaObject::invokeMethod(
        context,
        [this, id, fn = std::move(fn)] {
            if (isCurrent(id))
                fn();
        },
        Qt::QueuedConnection);
}

} // namespace kf::widgets
