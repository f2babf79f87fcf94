// SPDX-License-Identifier: MIT
#include "bounded_append.h"
#include "child.h"
#include "command.h"

#include <algorithm>
#include <thread>

namespace kf::proc {

CommandResult runCommand(const Command& cmd) {
    using Clock = std::chrono::steady_clock;
    using std::chrono::milliseconds;
    const auto started = Clock::now();
    CommandResult result;
    std::unique_ptr<Child> child = Child::spawn(cmd, &result.spawn_error);
    if (!child) {
        result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return result;
    }
    bool awaiting_stdin = cmd.stdin_later.valid();
    if (!awaiting_stdin) {
        child->closeStdin(); // once stdin_data has gone in
    }

    // The cancel flag and the deadline are looked at every 20 ms at the latest, while output is collected.
    std::string out, err;
    while (!child->poll()) {
        if (awaiting_stdin && cmd.stdin_later.wait_for(milliseconds(0)) == std::future_status::ready) {
            child->writeStdin(cmd.stdin_later.get());
            child->closeStdin();
            awaiting_stdin = false;
        }
        const auto now = Clock::now();
        if (!result.timed_out && !result.cancelled) {
            if (cmd.cancel != nullptr && cmd.cancel->load()) {
                result.cancelled = true;
                child->kill(SIGKILL);
            } else if (cmd.timeout.count() > 0 && now - started >= cmd.timeout) {
                result.timed_out = true;
                child->kill(SIGKILL);
            }
        }
        // While stdin is awaited, look for it every 2 ms: the child is waiting on it.
        milliseconds slice(awaiting_stdin ? 2 : 20);
        if (cmd.timeout.count() > 0 && !result.timed_out) {
            const auto left = std::chrono::duration_cast<milliseconds>(started + cmd.timeout - now);
            slice = std::clamp(left, milliseconds(1), slice);
        }
        if (!child->read(slice, out, err)) {
            std::this_thread::sleep_for(milliseconds(5)); // both streams closed: only the exit is awaited
        }
        detail::appendBounded(result.out, out, cmd.max_output, result.truncated);
        detail::appendBounded(result.err, err, cmd.max_output, result.truncated);
    }

    CommandResult rest = child->wait();
    detail::appendBounded(result.out, rest.out, cmd.max_output, result.truncated);
    detail::appendBounded(result.err, rest.err, cmd.max_output, result.truncated);
    result.truncated = result.truncated || rest.truncated;
    result.exit_code = rest.exit_code;
    result.signal = rest.signal;
    result.seconds = std::chrono::duration<double>(Clock::now() - started).count();
    return result;
}

} // namespace kf::proc
