// SPDX-License-Identifier: MIT
#include "proc/cpu_count.h"

#include <algorithm>
#include <sched.h>
#include <thread>

namespace kf::proc {

unsigned usableCpuCount() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) {
        const int n = CPU_COUNT(&set);
        if (n > 0) {
            return static_cast<unsigned>(n);
        }
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace kf::proc
