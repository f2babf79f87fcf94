// SPDX-License-Identifier: MIT
#include "nvrtc_workers.h"

namespace kf::gpu::compile {

NvrtcWorkers::NvrtcWorkers(const Setup& setup, std::size_t count) {
    proc::Command cmd;
    cmd.argv = {setup.worker};
    if (setup.warm_up_first) {
        cmd.argv.push_back("--warm-up");
        cmd.argv.insert(cmd.argv.end(), setup.warm_up.begin(), setup.warm_up.end());
    }
    cmd.env = setup.env;
    cmd.cwd = setup.cwd;
    cmd.timeout = setup.timeout;
    cmd.cancel = &m_stop;
    for (std::size_t k = 0; k < count; ++k) {
        auto w = std::make_unique<Worker>();
        cmd.stdin_later = w->input.get_future().share();
        w->done = std::async(std::launch::async, [cmd] { return proc::runCommand(cmd); });
        m_workers.push_back(std::move(w));
    }
}

NvrtcWorkers::~NvrtcWorkers() {
    m_stop = true;
    for (auto& w : m_workers) {
        if (!w->given) {
            w->input.set_value({});
        }
        if (w->done.valid()) { // not yet collected by compile()
            w->done.wait();
        }
    }
}

proc::CommandResult NvrtcWorkers::compile(std::size_t k, std::string request,
                                          const std::atomic<bool>* cancel) {
    Worker& w = *m_workers.at(k);
    w.given = true;
    w.input.set_value(std::move(request));
    while (w.done.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
        if (cancel != nullptr && cancel->load()) {
            m_stop = true;
        }
    }
    return w.done.get();
}

} // namespace kf::gpu::compile
